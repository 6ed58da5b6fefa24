// A grid runner of the consumer's own: it registers the `last_turns` policy
// with ctxbench's policy registry and then runs a config exactly as
// `ctxbench run --config` does (consumer::RunGridWithLastTurns,
// last_turns_policy.h), so the config's `context_policies` can name
// `"type": "last_turns"` beside the built-ins.
//   ./run_grid config.json       -> a run folder under the config's out_dir
// Exits as `ctxbench run` does: 0 only when every episode is complete.
#include <cstdio>

#include "last_turns_policy.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s CONFIG.json\n", argv[0]);
    return 2;
  }
  return consumer::RunGridWithLastTurns(argv[1]);
}
