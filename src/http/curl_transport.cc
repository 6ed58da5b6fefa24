#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>

#include "http/curl_global.h"
#include "http/http_transport.h"

namespace ctxbench {

namespace {

using SteadyClock = std::chrono::steady_clock;

constexpr int kPollMs = 50;  // how often a silent exchange checks its abort

// One exchange: Post's (`on_body`, the body kept) or Stream's (`on_chunk`).
struct Exchange {
  CURL* curl;
  const HttpRequest* request;
  HttpResponse* response;
  const BodySink* on_body;            // Post: may hold an empty function
  const ChunkSink* on_chunk;          // Stream: not null, not empty
  SteadyClock::time_point last_byte;  // the last byte received or sent
  curl_off_t sent = 0;
  size_t received = 0;  // body bytes so far
  bool stalled = false;
  bool aborted = false;
  bool too_large = false;
  bool stopped = false;
};

size_t OnBody(char* data, size_t size, size_t count, void* user) {
  auto* x = static_cast<Exchange*>(user);
  size_t n = size * count;
  x->last_byte = SteadyClock::now();
  size_t cap = x->request->max_response_bytes;
  if (n > cap - std::min(cap, x->received)) {
    x->too_large = true;
    return 0;  // libcurl ends the transfer (CURLE_WRITE_ERROR)
  }
  x->received += n;
  long status = 0;
  curl_easy_getinfo(x->curl, CURLINFO_RESPONSE_CODE, &status);
  bool success = status >= 200 && status < 300;
  std::string_view chunk(data, n);
  if (x->on_chunk == nullptr) {
    x->response->body.append(chunk);
    if (*x->on_body && success) (*x->on_body)(chunk);
    return n;
  }
  if (!success) {
    size_t room = kStreamErrorBodyBytes - std::min(kStreamErrorBodyBytes, x->response->body.size());
    x->response->body.append(chunk.substr(0, room));
    return n;
  }
  if (!(*x->on_chunk)(chunk)) {
    x->stopped = true;
    return 0;
  }
  return n;
}

size_t OnHeader(char* data, size_t size, size_t count, void* user) {
  auto* x = static_cast<Exchange*>(user);
  size_t n = size * count;
  x->last_byte = SteadyClock::now();
  std::string line(data, n);
  if (line.rfind("HTTP/", 0) == 0) x->response->headers.clear();  // a new response (redirect, 100)
  size_t colon = line.find(':');
  if (colon == std::string::npos) return n;
  std::string name = line.substr(0, colon);
  std::transform(name.begin(), name.end(), name.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  std::string value = line.substr(colon + 1);
  size_t b = value.find_first_not_of(" \t");
  size_t e = value.find_last_not_of(" \t\r\n");
  value = b == std::string::npos ? "" : value.substr(b, e - b + 1);
  x->response->headers[name] = value;
  return n;
}

// Called by libcurl while the exchange runs (often while bytes move, about
// once a second while nothing does): aborts on request or on a stall.
int OnProgress(void* user, curl_off_t dltotal, curl_off_t dlnow, curl_off_t, curl_off_t ulnow) {
  auto* x = static_cast<Exchange*>(user);
  auto now = SteadyClock::now();
  if (x->request->abort && x->request->abort()) {
    x->aborted = true;
    return 1;
  }
  if (x->request->on_progress) {
    long status = 0;
    curl_easy_getinfo(x->curl, CURLINFO_RESPONSE_CODE, &status);
    if (status >= 200 && status < 300) {
      x->request->on_progress(static_cast<uint64_t>(std::max<curl_off_t>(dlnow, 0)),
                              static_cast<uint64_t>(std::max<curl_off_t>(dltotal, 0)));
    }
  }
  if (ulnow != x->sent) {
    x->sent = ulnow;
    x->last_byte = now;
  }
  if (std::chrono::duration<double>(now - x->last_byte).count() >= x->request->stall_timeout_s) {
    x->stalled = true;
    return 1;
  }
  return 0;
}

std::string Seconds(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", s);
  return buf;
}

// Fills the failure fields of `response` for a transfer that ended with `rc`.
void DescribeFailure(CURL* curl, CURLcode rc, const Exchange& x, const HttpRequest& request,
                     HttpResponse* response) {
  response->status = 0;
  response->error = curl_easy_strerror(rc);
  if (x.stalled) {
    response->timed_out = true;
    response->timeout_limit = "stall_timeout_s";
    response->error = "timed out: no byte received for stall_timeout_s " +
                      Seconds(request.stall_timeout_s) + " s";
    return;
  }
  if (x.aborted) {
    response->aborted = true;
    response->error = "aborted";
    return;
  }
  if (x.stopped) {
    response->stopped = true;
    response->error = "stopped by the receiver";
    return;
  }
  if (x.too_large || rc == CURLE_FILESIZE_EXCEEDED) {
    response->too_large = true;
    response->body.clear();
    response->error = "the reply passed max_response_bytes " +
                      std::to_string(request.max_response_bytes) + " bytes";
    return;
  }
  curl_off_t connected_us = 0;
  curl_easy_getinfo(curl, CURLINFO_CONNECT_TIME_T, &connected_us);
  if (rc == CURLE_OPERATION_TIMEDOUT) {
    response->timed_out = true;
    bool connect_limit = connected_us == 0 &&
                         (request.timeout_s <= 0 || request.connect_timeout_s < request.timeout_s);
    response->timeout_limit = connect_limit ? "connect_timeout_s" : "timeout_s";
    response->connect_failed = connected_us == 0;
    response->error = connect_limit ? "timed out: no connection within connect_timeout_s " +
                                          Seconds(request.connect_timeout_s) + " s"
                                    : "timed out: no complete answer within timeout_s " +
                                          Seconds(request.timeout_s) + " s";
    return;
  }
  response->connect_failed = rc == CURLE_COULDNT_CONNECT || rc == CURLE_COULDNT_RESOLVE_HOST ||
                             rc == CURLE_COULDNT_RESOLVE_PROXY;
  response->truncated = rc == CURLE_PARTIAL_FILE || rc == CURLE_RECV_ERROR;
}

class CurlTransport final : public HttpTransport {
 public:
  CurlTransport() {
    CurlGlobalInit();
    curl_ = curl_easy_init();
  }
  ~CurlTransport() override {
    if (curl_) curl_easy_cleanup(curl_);
  }
  CurlTransport(const CurlTransport&) = delete;
  CurlTransport& operator=(const CurlTransport&) = delete;

  HttpResponse Post(const HttpRequest& request, const BodySink& on_body) override {
    return Run(request, &on_body, nullptr);
  }

  HttpResponse Stream(const HttpRequest& request, const ChunkSink& on_body) override {
    return Run(request, nullptr, &on_body);
  }

 private:
  // The exchange of Post (`on_body` set) or Stream (`on_chunk` set).
  HttpResponse Run(const HttpRequest& request, const BodySink* on_body, const ChunkSink* on_chunk) {
    HttpResponse response;
    if (!curl_) {
      response.error = "could not initialise libcurl";
      return response;
    }
    curl_easy_reset(curl_);
    Exchange x{curl_, &request, &response, on_body, on_chunk, SteadyClock::now()};
    curl_slist* headers = nullptr;
    for (const auto& [name, value] : request.headers) {
      std::string line = value.empty() ? name + ":" : name + ": " + value;
      headers = curl_slist_append(headers, line.c_str());
    }
    auto ms = [](double s) { return static_cast<long>(std::ceil(s * 1000)); };
    curl_easy_setopt(curl_, CURLOPT_URL, request.url.c_str());
    if (request.method == "GET") {
      curl_easy_setopt(curl_, CURLOPT_HTTPGET, 1L);
    } else {
      curl_easy_setopt(curl_, CURLOPT_POST, 1L);
      curl_easy_setopt(curl_, CURLOPT_POSTFIELDS, request.body.data());
      curl_easy_setopt(curl_, CURLOPT_POSTFIELDSIZE_LARGE,
                       static_cast<curl_off_t>(request.body.size()));
    }
    curl_easy_setopt(curl_, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl_, CURLOPT_WRITEFUNCTION, OnBody);
    curl_easy_setopt(curl_, CURLOPT_WRITEDATA, &x);
    curl_easy_setopt(curl_, CURLOPT_HEADERFUNCTION, OnHeader);
    curl_easy_setopt(curl_, CURLOPT_HEADERDATA, &x);
    if (request.timeout_s > 0) curl_easy_setopt(curl_, CURLOPT_TIMEOUT_MS, ms(request.timeout_s));
    if (!request.basic_auth_user.empty()) {
      // libcurl sends these to the first host only, also across redirects.
      curl_easy_setopt(curl_, CURLOPT_HTTPAUTH, static_cast<long>(CURLAUTH_BASIC));
      curl_easy_setopt(curl_, CURLOPT_USERNAME, request.basic_auth_user.c_str());
      curl_easy_setopt(curl_, CURLOPT_PASSWORD, request.basic_auth_password.c_str());
    }
    if (request.max_redirects > 0) {
      curl_easy_setopt(curl_, CURLOPT_FOLLOWLOCATION, 1L);
      curl_easy_setopt(curl_, CURLOPT_MAXREDIRS, static_cast<long>(request.max_redirects));
      curl_easy_setopt(curl_, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    }
    curl_easy_setopt(curl_, CURLOPT_CONNECTTIMEOUT_MS, ms(request.connect_timeout_s));
    // Stalls and aborts: OnProgress, which measures the time since the last
    // byte in either direction (libcurl's own low-speed check counts whole
    // seconds and cannot say which limit fired).
    curl_easy_setopt(curl_, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(curl_, CURLOPT_XFERINFOFUNCTION, OnProgress);
    curl_easy_setopt(curl_, CURLOPT_XFERINFODATA, &x);
    curl_easy_setopt(curl_, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl_, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl_, CURLOPT_ACCEPT_ENCODING, "");
    // A Content-Length over the cap fails before the body is read; OnBody
    // checks the bytes as they arrive (chunked, streamed or decompressed).
    if (request.max_response_bytes <= static_cast<uint64_t>(INT64_MAX)) {
      curl_easy_setopt(curl_, CURLOPT_MAXFILESIZE_LARGE,
                       static_cast<curl_off_t>(request.max_response_bytes));
    }
    CURLcode rc = Perform(x);
    curl_slist_free_all(headers);
    if (rc != CURLE_OK) {
      DescribeFailure(curl_, rc, x, request, &response);
      return response;
    }
    long status = 0;
    curl_easy_getinfo(curl_, CURLINFO_RESPONSE_CODE, &status);
    response.status = static_cast<int>(status);
    return response;
  }

  // Runs the transfer on a multi handle, polled every kPollMs so that an
  // abort ends even an exchange with a server that never answers (libcurl's
  // progress callback alone runs only about once a second then). Returns the
  // transfer's result; CURLE_ABORTED_BY_CALLBACK when aborted.
  CURLcode Perform(Exchange& x) {
    CURLM* multi = curl_multi_init();
    if (!multi) return CURLE_OUT_OF_MEMORY;
    curl_multi_add_handle(multi, curl_);
    CURLcode rc = CURLE_ABORTED_BY_CALLBACK;
    for (int running = 1;;) {
      if (x.request->abort && x.request->abort()) {
        x.aborted = true;
        break;
      }
      if (curl_multi_perform(multi, &running) != CURLM_OK) {
        rc = CURLE_FAILED_INIT;
        break;
      }
      if (running == 0) {
        int left = 0;
        CURLMsg* msg = curl_multi_info_read(multi, &left);
        rc = msg && msg->msg == CURLMSG_DONE ? msg->data.result : CURLE_FAILED_INIT;
        break;
      }
      curl_multi_poll(multi, nullptr, 0, kPollMs, nullptr);
    }
    curl_multi_remove_handle(multi, curl_);
    curl_multi_cleanup(multi);
    return rc;
  }

  CURL* curl_ = nullptr;
};

}  // namespace

std::unique_ptr<HttpTransport> MakeCurlTransport() { return std::make_unique<CurlTransport>(); }

}  // namespace ctxbench
