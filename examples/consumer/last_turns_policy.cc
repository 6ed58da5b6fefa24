// A custom context policy written outside ctxbench (last_turns_policy.h):
// the class, its registration, a check of it beside the built-in `window`
// policy on a synthetic log, and a grid run from a config naming it. The one
// file of the consumer that includes ctxbench's headers.
#include "last_turns_policy.h"

#include <memory>
#include <string>
#include <vector>

#include "context/policy.h"
#include "context/policy_registry.h"
#include "context/synthetic_log.h"
#include "core/error.h"
#include "llm/token_counter.h"
#include "run/run_config.h"
#include "run/run_status.h"
#include "run/runner.h"

namespace consumer {
namespace {

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

}  // namespace

void RegisterLastTurnsPolicy() {
  // The policy takes no parameters; RejectUnknown names any in the config.
  ctxbench::RegisterPolicy("last_turns", [](const ctxbench::JsonReader& params) {
    params.RejectUnknown({});
    return std::make_unique<LastTurnsPolicy>();
  });
}

bool CompareWithWindowOnSyntheticLog(int budget_tokens, std::FILE* out) {
  const std::vector<ctxbench::Event> log = ctxbench::MakeSyntheticLog(40, 1);
  auto counter = ctxbench::MakeTokenCounter("estimate");
  const std::vector<ctxbench::ToolSpec> tools;
  ctxbench::PolicyInput input{log, budget_tokens, *counter, tools};

  LastTurnsPolicy mine;
  auto window = ctxbench::MakePolicy({"window", "window", {{"max_turns", 3}}}, "example");
  bool within = true;
  for (const ctxbench::Policy* policy : {static_cast<const ctxbench::Policy*>(&mine),
                                         static_cast<const ctxbench::Policy*>(window.get())}) {
    ctxbench::Context c = policy->Build(input);
    std::fprintf(out, "%-11s %3zu messages %5d tokens (budget %d)\n", policy->type().c_str(),
                 c.messages.size(), c.manifest.total_tokens, budget_tokens);
    if (c.manifest.total_tokens > budget_tokens) within = false;
  }
  return within;
}

int RunGridWithLastTurns(const char* config_path) {
  try {
    RegisterLastTurnsPolicy();
    ctxbench::RunConfig config = ctxbench::LoadRunConfig(config_path);
    ctxbench::RunOutcome run = ctxbench::ExecuteRun(config, ctxbench::RunOptions{});
    std::printf("Run folder: %s (%s)\n", run.dir.c_str(), ctxbench::RunStatusName(run.end.status));
    if (!run.end.reason.empty()) std::fprintf(stderr, "%s\n", run.end.reason.c_str());
    return ctxbench::RunExitCode(run.end.status);
  } catch (const ctxbench::Error& e) {
    std::fprintf(stderr, "run_grid: %s\n", e.what());
    return e.exit_code();
  }
}

}  // namespace consumer
