// What a policy may call to summarise events that fall out of its window.
// The episode implements it with a real model call (purpose "summarize"),
// recorded and counted in the episode's tokens and cost.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "llm/message.h"

namespace ctxbench {

class Summarizer {
 public:
  virtual ~Summarizer() = default;
  // A new rolling summary of `previous` (may be empty) and `dropped`, which
  // covers events up to seq `covers_to`, in at most `max_tokens` tokens.
  // Returns nullopt when the summary could not be made; the caller then says
  // which events went unsummarised.
  virtual std::optional<std::string> Summarize(const std::string& previous,
                                               const std::vector<Message>& dropped,
                                               int64_t covers_to, int max_tokens) = 0;
};

}  // namespace ctxbench
