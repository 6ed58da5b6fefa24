// A custom context policy written outside ctxbench: the head (system prompt
// and task) and then the newest messages that fit the budget, never starting
// on a tool result whose call was cut. Used by last_turns.cc (beside the
// built-in `window` policy on a synthetic log) and run_grid.cc (registered
// and run in a grid from a config).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "context/policy.h"
#include "llm/token_counter.h"

namespace consumer {

class LastTurnsPolicy : public ctxbench::Policy {
 public:
  std::string type() const override { return "last_turns"; }

  ctxbench::Context Build(const ctxbench::PolicyInput& in) const override {
    ctxbench::Context context;
    context.manifest.policy = type();
    std::vector<const ctxbench::Event*> head, rest;
    for (const auto& e : in.events) {
      if (!e.message) continue;
      (e.type == ctxbench::EventType::kPrompt ? head : rest).push_back(&e);
    }
    // Tokens as the budget counts them: the tool schemas, the reply priming
    // (what an empty list costs) and each message with its overhead.
    int used = ctxbench::CountToolTokens(in.counter, in.tools) +
               ctxbench::CountMessagesTokens(in.counter, {});
    for (const auto* e : head) used += ctxbench::CountMessageTokens(in.counter, *e->message);
    size_t first = rest.size();  // the oldest message kept from `rest`
    while (first > 0) {
      int tokens = ctxbench::CountMessageTokens(in.counter, *rest[first - 1]->message);
      if (used + tokens > in.budget_tokens) break;
      used += tokens;
      --first;
    }
    while (first < rest.size() && rest[first]->message->role == ctxbench::Role::kTool) ++first;
    for (const auto* e : head) context.messages.push_back(*e->message);
    for (const auto* e : head) context.manifest.kept.push_back(e->seq);
    for (size_t i = first; i < rest.size(); ++i) {
      context.messages.push_back(*rest[i]->message);
      context.manifest.kept.push_back(rest[i]->seq);
    }
    context.manifest.budget_tokens = in.budget_tokens;
    context.manifest.total_tokens = ctxbench::CountMessagesTokens(in.counter, context.messages) +
                                    ctxbench::CountToolTokens(in.counter, in.tools);
    return context;
  }
};

}  // namespace consumer
