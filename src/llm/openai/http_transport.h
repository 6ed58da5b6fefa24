// HTTP behind a small interface, so the OpenAI client can be tested with a
// fake and the libcurl implementation against a local server.
//
// Error channel: Post() never throws for network or HTTP failures; they come
// back in HttpResponse (status 0 and `error` for a failure to connect, a
// timeout or a stalled body). Implementations are thread-compatible: one
// instance per model instance.
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
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;  // name, value
  std::string body;
  double timeout_s = 120;       // the whole exchange
  double stall_timeout_s = 60;  // no byte received for this long: give up
  double connect_timeout_s = 10;
};

struct HttpResponse {
  int status = 0;                              // 0: no HTTP response (see `error`)
  std::map<std::string, std::string> headers;  // names in lower case
  std::string body;
  std::string error;  // transport failure ("timed out", "connection refused", ...)
  bool timed_out = false;
};

// Receives the body as it arrives (for progress); the full body is also
// returned in HttpResponse::body.
using BodySink = std::function<void(std::string_view chunk)>;

class HttpTransport {
 public:
  virtual ~HttpTransport() = default;
  // POSTs `request`; `on_body` (may be empty) sees each chunk of a 2xx body.
  virtual HttpResponse Post(const HttpRequest& request, const BodySink& on_body) = 0;
};

// The libcurl transport (HTTP/1.1 and HTTP/2, TLS via the system's CA store).
std::unique_ptr<HttpTransport> MakeCurlTransport();

}  // namespace ctxbench
