// The context X-ray of one model call: the exact messages the model saw,
// rebuilt from the step's manifest (op.context) and the event log, each with
// its fate; the tokens per section against the budget; and the whole log
// before the call, each event marked with what became of it.
//
// Pure functions of the events (no I/O); thread-safe. Error channel: a step
// with no recorded context throws an input ctxbench::Error naming it.
#pragma once

#include <vector>

#include "events/event.h"
#include "core/json.h"

namespace ctxbench {

// The X-ray of model-call step `step` (1-based) of an episode:
// {step, iteration, context_seq, policy, budget_tokens, total_tokens,
//  estimated, sections: [{name, tokens}] (sum == total_tokens),
//  messages: [{index, fate, seq?, section?, role, name?, content,
//              tool_calls?, bm25?}],
//  strip: [{seq, type, state, bm25?}], llm: {seq, prompt_tokens, ...} | null,
//  extra, steps: [every step that has a context]}.
// Fates: "head" (the system prompt and task), "kept", "masked", "truncated",
// or a section's name ("summary", "retrieved", "state", ...). Strip states:
// "head", "kept", "masked", "truncated", "summarized" (left out, covered by a
// summary), "retrieved" (its text came back through retrieval), "dropped"
// (a message left out), "log" (an event that is never a message).
Json XrayJson(const std::vector<Event>& events, int step);

// Two episodes' X-rays at the same iteration (the last step whose iteration
// is <= `iteration`; the first step if none) side by side:
// {iteration, a: {step, xray...}, b: {...}, only_a: n, only_b: n}. A message
// is marked "only_here": true when the other context has no message of the
// same role, content and tool calls.
Json CompareJson(const std::vector<Event>& a, const std::vector<Event>& b, int iteration);

}  // namespace ctxbench
