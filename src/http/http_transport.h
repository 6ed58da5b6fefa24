// HTTP behind a small interface: the one transport (libcurl, one
// curl_global_init, http/curl_global.h) of the OpenAI client (llm), the OTLP
// exporter (telemetry) and the Kaggle client (datasets, through
// http/download_to_file.h), so each can be tested with a fake and the libcurl
// implementation against a local server. Only http and https URLs are used
// (redirects included). No file outside src/http includes libcurl (the
// layers check, cmake/check_layers.cmake, fails the build if one does).
//
// Error channel: Post() and Stream() never throw for network or HTTP
// failures; they come back in HttpResponse (status 0 and `error` for a
// failure to connect, a timeout, a stalled body, a body over
// max_response_bytes, a truncated body, an abort or a receiver that stopped).
// `error` never holds the request's URL, headers or credentials.
// Implementations are thread-compatible: one instance per model instance.
#pragma once

#include <cstdint>
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
  // Sent with HTTP basic auth when `basic_auth_user` is not empty; on a
  // redirect only to the host first asked (libcurl's rule). Never in `error`.
  std::string basic_auth_user;
  std::string basic_auth_password;
  // Location redirects followed (http/https only); 0: a 3xx is the answer.
  int max_redirects = 0;
  double timeout_s = 120;       // the whole exchange; 0: no limit (a download)
  double stall_timeout_s = 60;  // no byte received for this long: give up
  double connect_timeout_s = 10;
  // A response body (of any status) longer than this ends the exchange:
  // status 0, too_large, nothing more is read or kept.
  size_t max_response_bytes = 16u << 20;
  // Polled during the exchange (at least every 50 ms, also while waiting
  // for a silent server); returning true aborts it. May be empty.
  std::function<bool()> abort;
  // Called as the body of a 2xx answer arrives (and about once a second
  // while none does): the bytes received so far and the body's announced
  // length (0 when unknown). Never for an error's or a redirect's body. May
  // be empty. Runs on the calling thread.
  std::function<void(uint64_t received, uint64_t expected)> on_progress;
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
  bool truncated = false;       // the connection failed or ended before the whole body
  bool stopped = false;         // Stream()'s receiver returned false
};

// Receives the body as it arrives (for progress); the full body is also
// returned in HttpResponse::body.
using BodySink = std::function<void(std::string_view chunk)>;

// Receives a 2xx body as it arrives, which is kept nowhere else; returning
// false ends the exchange (HttpResponse::stopped).
using ChunkSink = std::function<bool(std::string_view chunk)>;

// The part of a non-2xx body that Stream() keeps in HttpResponse::body.
inline constexpr size_t kStreamErrorBodyBytes = 64u << 10;

class HttpTransport {
 public:
  virtual ~HttpTransport() = default;
  // Sends `request` (a POST, or a GET when its method says so); `on_body`
  // (may be empty) sees each chunk of a 2xx body.
  virtual HttpResponse Post(const HttpRequest& request, const BodySink& on_body) = 0;

  // Sends `request` as Post() does, for a body of any size: a 2xx body goes
  // only to `on_body` (REQUIRES: not empty), chunk by chunk, and
  // HttpResponse::body stays empty; another status's body is kept up to
  // kStreamErrorBodyBytes (the rest is dropped). max_response_bytes still
  // caps the body. When `on_body` returns false the exchange ends: status 0,
  // `stopped`, nothing more is read. A download to a file is
  // DownloadToFile (http/download_to_file.h), over this.
  virtual HttpResponse Stream(const HttpRequest& request, const ChunkSink& on_body) = 0;
};

// The libcurl transport (HTTP/1.1 and HTTP/2, TLS via the system's CA store).
std::unique_ptr<HttpTransport> MakeCurlTransport();

}  // namespace ctxbench
