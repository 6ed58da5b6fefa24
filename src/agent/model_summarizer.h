// The Summarizer policies call inside an episode: the episode's own model.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "context/summarizer.h"
#include "core/clock.h"
#include "events/event.h"
#include "events/payloads.h"
#include "llm/model.h"
#include "llm/model_call_error.h"
#include "llm/token_counter.h"

namespace ctxbench {

// The `op.llm` event payload of a completed model call: model, purpose, usage,
// cost, cache hit, finish reason, whether tokens were estimated, the requests
// made (`attempts`: 0 for a cache hit) and the reasons of retried attempts
// when there were any.
LlmCallData AnsweredCallData(const std::string& model, const std::string& purpose,
                             const Completion& c);

// The `op.llm` event payload of a call that failed for good (no reply):
// model, purpose, `attempts` (requests sent), the reasons of the retried
// ones (`retried`: attempts followed by a scheduled retry) and `error`.
LlmCallData FailedCallData(const std::string& model, const ModelCallError& e);

// The summariser policies call: the episode's own model, asked to summarise.
// Its calls are real model calls, recorded (purpose "summarize") and counted
// in the episode's tokens and cost from their events (FoldOutcome); the events wait in `pending`
// until the context that asked for them is built, so the log is never appended to while a policy
// reads it. Each call's `op.llm` event (answered or failed) carries the request it sent
// (`messages`, as MessageToJson) and `latency_s`, and is stamped with the time the call ended
// (`Pending::time`, `clock` wall seconds), so a view can place the call where it happened. A failed
// call is recorded and the policy goes on without a summary, but a cancelled one (CancelledError)
// is thrown on.
class ModelSummarizer final : public Summarizer {
 public:
  ModelSummarizer(Model& model, const TokenCounter& counter, uint64_t seed, const Clock& clock)
      : model_(model), counter_(counter), seed_(seed), clock_(clock) {}

  std::optional<std::string> Summarize(const std::string& previous,
                                       const std::vector<Message>& dropped, int64_t covers_to,
                                       int max_tokens) override;

  struct Pending {
    EventType type;
    std::optional<Message> message;
    Json data;
    double time = 0;  // Unix seconds the event happened
  };
  // Takes the events recorded since the last call.
  std::vector<Pending> TakePending() { return std::exchange(pending_, {}); }

 private:
  Model& model_;
  const TokenCounter& counter_;
  uint64_t seed_;
  const Clock& clock_;
  std::vector<Pending> pending_;
};

}  // namespace ctxbench
