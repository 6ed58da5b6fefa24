// The consumer's own context policy, `last_turns`, written outside ctxbench
// (last_turns_policy.cc): the head (system prompt and task) and then the
// newest messages that fit the budget, never starting on a tool result whose
// call was cut. This header is all the consumer's programs include; only
// last_turns_policy.cc includes ctxbench's headers (they pull in nlohmann/json,
// most of a compile's time), so those are compiled once for the three
// programs (library `last_turns_policy`).
#pragma once

#include <cstdio>

namespace consumer {

// Registers the `last_turns` type with ctxbench's policy registry, so a
// config loaded after it can say {"name": ..., "type": "last_turns"}. The
// type takes no parameters: a config entry with any names it in an input
// error (exit 2). Call once, before loading a config; a second call throws
// ctxbench::Error (usage), as the registry refuses a name it already holds.
void RegisterLastTurnsPolicy();

// Builds one context with `last_turns` and one with the built-in `window`
// policy (max_turns 3) from the same synthetic 40-turn episode log and
// budget, and prints a line per policy to `out`: its type, messages kept,
// tokens and the budget. Returns false when either went over the budget.
bool CompareWithWindowOnSyntheticLog(int budget_tokens, std::FILE* out);

// Registers `last_turns` and runs the config file at `config_path` through
// ctxbench's library run entry point (LoadRunConfig + ExecuteRun, what
// `ctxbench run --config` calls): the run folder and its status go to stdout,
// the reason a run did not complete and any error to stderr. Returns what
// `ctxbench run` exits with: 0 only when every episode is complete, 2 for a
// bad config (refused before any run folder is made). Call once per process
// (it registers the type).
int RunGridWithLastTurns(const char* config_path);

}  // namespace consumer
