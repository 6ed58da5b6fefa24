// Splitting an event log into the head and turns, the units policies keep or cut.
#pragma once

#include <vector>

#include "context/event.h"

namespace ctxbench {

// The head is every op.prompt event (system prompt, task statement). A turn
// starts at an assistant message (op.llm) and holds the tool results and
// observations that follow it, so a tool call never leaves its result behind.
// Messages before the first assistant message form turn 0 with no assistant.
struct Turns {
  std::vector<size_t> head;                // indices into the events
  std::vector<std::vector<size_t>> turns;  // indices into the events, oldest first
};

Turns SplitTurns(const std::vector<Event>& events);

// Cuts `text` to at most `max_tokens` tokens (as `counter` counts) keeping the
// start, with a marker saying how much was cut. Returns `text` when it fits.
std::string TruncateToTokens(const std::string& text, int max_tokens, const class TokenCounter& counter);

}  // namespace ctxbench
