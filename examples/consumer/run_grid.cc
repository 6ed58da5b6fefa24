// A grid runner of the consumer's own: it registers the `last_turns` policy
// (last_turns_policy.h) with ctxbench's policy registry and then runs a
// config exactly as `ctxbench run --config` does, so the config's
// `context_policies` can name `"type": "last_turns"` beside the built-ins.
//   ./run_grid config.json       -> a run folder under the config's out_dir
// Exits as `ctxbench run` does: 0 only when every episode is complete.
#include <cstdio>

#include "core/error.h"
#include "last_turns_policy.h"
#include "run/run_config.h"
#include "run/run_status.h"
#include "run/runner.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s CONFIG.json\n", argv[0]);
    return 2;
  }
  try {
    consumer::RegisterLastTurnsPolicy();
    ctxbench::RunConfig config = ctxbench::LoadRunConfig(argv[1]);
    ctxbench::RunOutcome run = ctxbench::ExecuteRun(config, ctxbench::RunOptions{});
    std::printf("Run folder: %s (%s)\n", run.dir.c_str(), ctxbench::RunStatusName(run.end.status));
    if (!run.end.reason.empty()) std::fprintf(stderr, "%s\n", run.end.reason.c_str());
    return ctxbench::RunExitCode(run.end.status);
  } catch (const ctxbench::Error& e) {
    std::fprintf(stderr, "run_grid: %s\n", e.what());
    return e.exit_code();
  }
}
