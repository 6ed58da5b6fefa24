// The Summarizer policies call inside an episode: the episode's own model.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "context/event.h"
#include "context/summarizer.h"
#include "llm/model.h"
#include "llm/token_counter.h"

namespace ctxbench {

// The `op.llm` event payload of a completed model call: model, purpose, usage,
// cost, cache hit, finish reason, whether tokens were estimated, and the
// reasons of retried attempts when there were any.
Json LlmCallData(const std::string& model, const std::string& purpose, const Completion& c);

// The summariser policies call: the episode's own model, asked to summarise.
// Its calls are real model calls, recorded (purpose "summarize") and counted
// in the episode's tokens and cost; the events wait in `pending` until the
// context that asked for them is built, so the log is never appended to while
// a policy reads it.
class ModelSummarizer final : public Summarizer {
 public:
  ModelSummarizer(Model& model, const TokenCounter& counter, uint64_t seed)
      : model_(model), counter_(counter), seed_(seed) {}

  std::optional<std::string> Summarize(const std::string& previous,
                                       const std::vector<Message>& dropped, int64_t covers_to,
                                       int max_tokens) override;

  struct Pending {
    EventType type;
    std::optional<Message> message;
    Json data;
  };
  // Takes the events recorded since the last call.
  std::vector<Pending> TakePending() { return std::exchange(pending_, {}); }
  // Takes the completed calls since the last call, for the episode to count
  // (tokens, cost, cache hits, retries) the way it counts its own calls.
  std::vector<Completion> TakeCompletions() { return std::exchange(completions_, {}); }

 private:
  Model& model_;
  const TokenCounter& counter_;
  uint64_t seed_;
  std::vector<Pending> pending_;
  std::vector<Completion> completions_;
};

}  // namespace ctxbench
