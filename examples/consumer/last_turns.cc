// Runs the `last_turns` policy (last_turns_policy.h) on a synthetic episode
// log next to the built-in `window` policy and prints what each kept.
#include <cstdio>
#include <string>
#include <vector>

#include "context/synthetic_log.h"
#include "last_turns_policy.h"

int main() {
  const std::vector<ctxbench::Event> log = ctxbench::MakeSyntheticLog(40, 1);
  auto counter = ctxbench::MakeTokenCounter("estimate");
  const std::vector<ctxbench::ToolSpec> tools;
  const int budget = 2000;
  ctxbench::PolicyInput input{log, budget, *counter, tools};

  consumer::LastTurnsPolicy mine;
  auto window = ctxbench::MakePolicy({"window", "window", {{"max_turns", 3}}}, "example");
  for (const ctxbench::Policy* policy : {static_cast<const ctxbench::Policy*>(&mine),
                                         static_cast<const ctxbench::Policy*>(window.get())}) {
    ctxbench::Context c = policy->Build(input);
    std::printf("%-11s %3zu messages %5d tokens (budget %d)\n", policy->type().c_str(),
                c.messages.size(), c.manifest.total_tokens, budget);
    if (c.manifest.total_tokens > budget) return 1;
  }
  return 0;
}
