// A scripted HttpTransport for tests: returns queued responses in order and
// keeps every request it was sent. A reply with status -1 stands for a silent
// server: Post() and Stream() wait until the request's `abort` returns true
// (at most 10 s) and return an aborted response. Stream() hands a 2xx body to
// its receiver in chunks of 7 bytes (stopping when it returns false) and
// returns it with an empty body, as the real transport does.
#pragma once

#include <chrono>
#include <deque>
#include <memory>
#include <thread>
#include <vector>

#include "http/http_transport.h"

namespace ctxbench {

class FakeTransport final : public HttpTransport {
 public:
  struct Shared {
    std::deque<HttpResponse> replies;
    std::vector<HttpRequest> requests;
  };
  explicit FakeTransport(std::shared_ptr<Shared> shared) : shared_(std::move(shared)) {}

  HttpResponse Post(const HttpRequest& request, const BodySink& on_body) override {
    HttpResponse r = Next(request);
    if (on_body && r.status >= 200 && r.status < 300) {
      for (size_t i = 0; i < r.body.size(); i += 7) on_body(std::string_view(r.body).substr(i, 7));
    }
    return r;
  }

  HttpResponse Stream(const HttpRequest& request, const ChunkSink& on_body) override {
    HttpResponse r = Next(request);
    if (r.status < 200 || r.status >= 300) return r;
    std::string body = std::move(r.body);
    r.body.clear();
    for (size_t i = 0; i < body.size(); i += 7) {
      if (!on_body(std::string_view(body).substr(i, 7))) {
        HttpResponse stopped;
        stopped.stopped = true;
        stopped.error = "stopped by the receiver";
        return stopped;
      }
    }
    return r;
  }

 private:
  // The next scripted reply for `request` (kept), or the silent server's.
  HttpResponse Next(const HttpRequest& request) {
    shared_->requests.push_back(request);
    HttpResponse r;
    if (shared_->replies.empty()) {
      r.error = "no scripted reply";
      return r;
    }
    r = shared_->replies.front();
    shared_->replies.pop_front();
    if (r.status < 0) {
      r = HttpResponse{};
      for (int i = 0; i < 10000; ++i) {
        if (request.abort && request.abort()) {
          r.aborted = true;
          r.error = "aborted";
          return r;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
      }
      r.timed_out = true;
      r.error = "no abort within 10 s";
      return r;
    }
    return r;
  }

  std::shared_ptr<Shared> shared_;
};

inline HttpResponse Reply(int status, std::string body,
                          std::map<std::string, std::string> headers = {}) {
  HttpResponse r;
  r.status = status;
  r.body = std::move(body);
  r.headers = std::move(headers);
  return r;
}

}  // namespace ctxbench
