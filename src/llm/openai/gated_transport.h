// An HttpTransport decorator that passes each request through a CallGate
// (connection cap, rate buckets, adaptive cap) before the inner transport
// sends it, and reports the answer's status back to the gate.
//
// Error channel: as HttpTransport (Post never throws for HTTP or network
// failures). Thread-compatible like any transport; the gate it shares is
// thread-safe.
#pragma once

#include <memory>
#include <string>

#include "http/http_transport.h"
#include "llm/openai/call_gate.h"
#include "llm/token_counter.h"

namespace ctxbench {

class GatedTransport final : public HttpTransport {
 public:
  // `counter` estimates a request's tokens for the tokens-per-minute bucket;
  // it is used only when the gate has one. REQUIRES: inner and gate non-null.
  GatedTransport(std::unique_ptr<HttpTransport> inner, std::shared_ptr<CallGate> gate,
                 std::shared_ptr<const TokenCounter> counter);

  HttpResponse Post(const HttpRequest& request, const BodySink& on_body) override;
  // Through the gate as Post.
  HttpResponse Stream(const HttpRequest& request, const ChunkSink& on_body) override;

 private:
  std::unique_ptr<HttpTransport> inner_;
  std::shared_ptr<CallGate> gate_;
  std::shared_ptr<const TokenCounter> counter_;

  // Sends `request` with `send` once the gate lets it, and reports the status.
  template <typename Send>
  HttpResponse Gated(const HttpRequest& request, const Send& send);
};

// The tokens a chat-completions request body may use, counted before it is
// sent: its messages' text and tool calls (plus 4 per message), its tool
// definitions, and the completion tokens it allows (max_tokens or
// max_completion_tokens). A body that is not JSON counts as its length / 4.
double RequestTokenEstimate(const TokenCounter& counter, const std::string& body);

}  // namespace ctxbench
