// HTTP behind a small interface: the one transport (libcurl, one
// curl_global_init, http/curl_global.h) of the OpenAI client (llm) and the
// OTLP exporter (telemetry), so each can be tested with a fake and the libcurl
// implementation against a local server. Only http and https URLs are used.
//
// Error channel: Post() never throws for network or HTTP failures; they come
// back in HttpResponse (status 0 and `error` for a failure to connect, a
// timeout, a stalled body, a body over max_response_bytes or an abort).
// Implementations are
// thread-compatible: one instance per model instance.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ctxbench {

struct HttpRequest {
  std::string method = "POST";  // or "GET" (the body is not sent)
  std::string url;
  // name, value; an empty value removes a header libcurl would send
  // (e.g. {"Expect", ""}).
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  double timeout_s = 120;       // the whole exchange
  double stall_timeout_s = 60;  // no byte received for this long: give up
  double connect_timeout_s = 10;
  // A response body (of any status) longer than this ends the exchange:
  // status 0, too_large, nothing more is read or kept.
  size_t max_response_bytes = 16u << 20;
  // Polled during the exchange (at least every 50 ms, also while waiting
  // for a silent server); returning true aborts it. May be empty.
  std::function<bool()> abort;
};

struct HttpResponse {
  int status = 0;                              // 0: no HTTP response (see `error`)
  std::map<std::string, std::string> headers;  // names in lower case
  std::string body;
  std::string error;  // transport failure ("timed out", "connection refused", ...)
  bool timed_out = false;
  // When timed_out: the HttpRequest limit that fired, by its option name:
  // "timeout_s", "stall_timeout_s" or "connect_timeout_s".
  std::string timeout_limit;
  bool connect_failed = false;  // no connection was made (refused, DNS, connect timeout)
  bool aborted = false;         // HttpRequest::abort returned true
  bool too_large = false;       // the body passed HttpRequest::max_response_bytes
};

// Receives the body as it arrives (for progress); the full body is also
// returned in HttpResponse::body.
using BodySink = std::function<void(std::string_view chunk)>;

class HttpTransport {
 public:
  virtual ~HttpTransport() = default;
  // Sends `request` (a POST, or a GET when its method says so); `on_body`
  // (may be empty) sees each chunk of a 2xx body.
  virtual HttpResponse Post(const HttpRequest& request, const BodySink& on_body) = 0;
};

// The libcurl transport (HTTP/1.1 and HTTP/2, TLS via the system's CA store).
std::unique_ptr<HttpTransport> MakeCurlTransport();

}  // namespace ctxbench
