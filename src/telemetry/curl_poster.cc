// HttpPoster over the one HTTP transport (http/http_transport.h, libcurl),
// whose abort is polled every 50 ms so that an abort (the flush deadline, a
// Ctrl-C) ends a transfer at once, even one waiting on a collector that
// accepted the connection and never answers.
#include <algorithm>
#include <ctime>

#include "http/http_transport.h"
#include "llm/openai/retry_policy.h"  // ParseRetryAfter, shared with the model client
#include "telemetry/http_poster.h"

namespace ctxbench {

namespace {

// A collector's reply body is read only to be dropped; one larger than this
// ends the exchange (an error, no status).
constexpr size_t kMaxReplyBytes = 1u << 20;

class CurlPoster final : public HttpPoster {
 public:
  CurlPoster() : transport_(MakeCurlTransport()) {}

  HttpReply Post(const std::string& url, const HttpHeaders& headers, const std::string& body,
                 double timeout_seconds, const std::atomic<bool>& abort) override {
    long timeout_ms = std::max(1L, static_cast<long>(timeout_seconds * 1000));
    HttpRequest request;
    request.url = url;
    request.headers.assign(headers.begin(), headers.end());
    request.headers.push_back({"Expect", ""});  // no 100-continue round trip
    request.body = body;
    request.timeout_s = static_cast<double>(timeout_ms) / 1000;
    request.connect_timeout_s = request.timeout_s;
    request.stall_timeout_s = request.timeout_s;  // only the whole exchange's limit
    request.max_response_bytes = kMaxReplyBytes;
    request.abort = [&abort] { return abort.load(); };
    HttpResponse response = transport_->Post(request, {});
    HttpReply reply;
    if (response.status != 0) {
      reply.status = response.status;
      if (auto it = response.headers.find("retry-after"); it != response.headers.end()) {
        reply.retry_after_seconds =
            ParseRetryAfter(it->second, static_cast<double>(std::time(nullptr))).value_or(-1);
      }
      return reply;
    }
    if (response.timed_out) {
      reply.error = "timed out after " + std::to_string(timeout_ms) + " ms";
    } else if (response.aborted) {
      reply.error = "aborted at the flush deadline";
    } else {
      reply.error = response.error;  // generic text, holds no URL or header
    }
    return reply;
  }

 private:
  std::unique_ptr<HttpTransport> transport_;
};

}  // namespace

std::unique_ptr<HttpPoster> MakeCurlPoster() { return std::make_unique<CurlPoster>(); }

}  // namespace ctxbench
