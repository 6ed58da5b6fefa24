// `openai`: a chat-completions client for OpenAI and every server that speaks
// its protocol (vLLM, llama.cpp's server, Ollama, LM Studio, OpenRouter,
// gateways). Native function calling or a text fallback, optional SSE
// streaming, retries with backoff, a response cache and cost from the price
// table. docs/models.md explains the configuration.
//
// Error channel (as Model): Complete() throws a runtime ctxbench::Error that
// ends the episode for a 400/401/403/404, for retries exhausted or the
// deadline passed, and for a request larger than the context window. Error
// messages quote the server but never the API key.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "core/clock.h"
#include "core/json.h"
#include "llm/model.h"
#include "llm/openai/http_transport.h"
#include "llm/openai/openai_options.h"
#include "llm/openai/response_cache.h"
#include "llm/token_counter.h"

namespace ctxbench {

// What an OpenAiModel talks to; tests hand in fakes.
struct OpenAiDeps {
  std::unique_ptr<HttpTransport> transport;  // required
  const Clock* clock = &SystemClock::Get();
  std::function<void(double seconds)> sleep;    // empty: really sleep
  std::function<double()> jitter;               // [0, 1); empty: random
  std::shared_ptr<ResponseCache> cache;         // null: no cache (mode off)
  std::shared_ptr<ResponseCache> recording;     // the run folder's calls; may be null
  std::shared_ptr<const TokenCounter> counter;  // required: pre-call checks, estimates
  std::string api_key;                          // "": no Authorization header
};

class OpenAiModel final : public Model {
 public:
  OpenAiModel(std::string name, OpenAiOptions options, OpenAiDeps deps);

  std::string name() const override { return name_; }
  Completion Complete(const CompletionRequest& request) override;

 private:
  Completion Fetch(const CompletionRequest& request, const Json& body);
  std::string Redact(std::string text) const;

  std::string name_;
  OpenAiOptions options_;
  OpenAiDeps deps_;
};

// The request body for `request` after the pre-call budget check: throws a
// runtime error naming `where` if the prompt alone fills the context window,
// and lowers max tokens so prompt + completion fit it.
Json PreparedChatBody(const CompletionRequest& request, const OpenAiOptions& options,
                      const TokenCounter& counter, const std::string& where);

// The completion of a cached (or recorded) response: cache_hit set, cost from
// `prices`.
Completion CompletionFromCache(const CachedResponse& cached, const PriceTable& prices);

// Fills usage the server did not report by counting with `counter`, and
// flags it as estimated.
void EstimateUsage(const TokenCounter& counter, const CompletionRequest& request,
                   Completion* completion);

// Replaces the API key, and anything shaped like an OpenAI key ("sk-..."),
// with "[redacted]".
std::string RedactKey(std::string text, const std::string& api_key);

}  // namespace ctxbench
