// A chat-completions server on 127.0.0.1 (an ephemeral port) for tests of the
// real client: cpp-httplib behind a pimpl. The first path segment picks the
// behaviour: http://127.0.0.1:PORT/<scenario>/v1/chat/completions, with
// scenarios ok, tools, stream, stall, flaky429 (one 429 with Retry-After: 0,
// then ok), flaky500 (two 500s, then ok), hang (never answers in time),
// malformed (200 with a body that is not JSON), unauthorized (401 quoting the
// bearer token, as some servers do).
#pragma once

#include <memory>
#include <string>

namespace ctxbench {

class FakeChatServer {
 public:
  FakeChatServer();   // starts listening
  ~FakeChatServer();  // stops
  FakeChatServer(const FakeChatServer&) = delete;
  FakeChatServer& operator=(const FakeChatServer&) = delete;

  // "http://127.0.0.1:PORT/<scenario>/v1"
  std::string BaseUrl(const std::string& scenario) const;
  // Requests received for a scenario so far.
  int Requests(const std::string& scenario) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ctxbench
