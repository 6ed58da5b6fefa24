// `openai`: a chat-completions client for OpenAI and every server that speaks
// its protocol (vLLM, llama.cpp's server, Ollama, LM Studio, OpenRouter,
// gateways). Native function calling or a text fallback, optional SSE
// streaming, retries with backoff, a response cache and cost from the price
// table. docs/models.md explains the configuration.
//
// Error channel (as Model): Complete() throws a ModelCallError (a runtime
// ctxbench::Error, with the attempts made) that ends the episode for a
// 400/401/403/404, for retries exhausted or the deadline passed, and when the
// model is unavailable; a runtime Error for a request larger than the context
// window; and a CancelledError, at once, when the cancellation flag is set
// (a retry wait or a transfer in flight is cut short). A 401, 403 or 404
// marks the shared ModelHealth unavailable, and so do
// `circuit_breaker_failures` connection failures in a row: from then on every
// instance's Complete() throws at once, without a request. Error messages
// quote the server but never the API key.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/cancel.h"
#include "core/clock.h"
#include "core/json.h"
#include "core/url.h"  // UrlWithoutCredentials
#include "http/http_transport.h"
#include "llm/model.h"
#include "llm/model_health.h"
#include "llm/openai/openai_options.h"
#include "llm/openai/response_cache.h"
#include "llm/token_counter.h"

namespace ctxbench {

// What an OpenAiModel talks to; tests hand in fakes.
struct OpenAiDeps {
  std::unique_ptr<HttpTransport> transport;  // required
  const Clock* clock = &SystemClock::Get();
  // Waits between attempts; empty: a real wait that ends early on
  // cancellation or when the model becomes unavailable.
  std::function<void(double seconds)> sleep;
  std::function<double()> jitter;               // [0, 1); empty: random
  std::shared_ptr<ResponseCache> cache;         // null: no cache (mode off)
  std::shared_ptr<ResponseCache> recording;     // the run folder's calls; may be null
  std::shared_ptr<const TokenCounter> counter;  // required: pre-call checks, estimates
  std::string api_key;                          // "": no Authorization header
  std::shared_ptr<ModelHealth> health;          // shared by the model's instances; null: own
  const Cancellation* cancel = &Cancellation::Process();  // required
};

class OpenAiModel final : public Model {
 public:
  OpenAiModel(std::string name, OpenAiOptions options, OpenAiDeps deps);

  std::string name() const override { return name_; }
  Completion Complete(const CompletionRequest& request) override;

 private:
  Completion Fetch(const CompletionRequest& request, const Json& body);
  // Throws CancelledError when cancelled, ModelCallError (with `failures`
  // and `retries` so far) when the model is unavailable.
  void CheckUsable(const CompletionRequest& request, const std::vector<std::string>& failures,
                   int retries) const;
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

// Replaces the API key in `text` with "[redacted]", then whatever else may
// be a secret (RedactSecrets: "sk-..." words, URL user info and query
// values, bearer tokens, secret-named assignments).
std::string RedactKey(std::string text, const std::string& api_key);

}  // namespace ctxbench
