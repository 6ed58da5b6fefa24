// The consumer's own `ctxbench`: every subcommand of the stock CLI (run,
// report, list, ...), plus the `last_turns` policy (last_turns_policy.h)
// registered with the policy registry before the command line is parsed, so
// a config run by it can name `"type": "last_turns"` beside the built-ins.
//   ./my_ctxbench run --config config.json
//   ./my_ctxbench list policies          # lists last_turns among the types
#include "cli/cli_main.h"
#include "last_turns_policy.h"

int main(int argc, char** argv) {
  consumer::RegisterLastTurnsPolicy();
  return ctxbench::CliMain(argc, argv);
}
