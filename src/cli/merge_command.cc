// `ctxbench merge OUT SHARD_DIR...`: join the run folders of a sharded run.
#include <CLI/CLI.hpp>
#include <cstdio>

#include "cli/commands.h"
#include "run/merge.h"
#include "run/run_status.h"

namespace ctxbench {

void AddMergeCommand(CLI::App& app, int* exit_code) {
  struct Flags {
    std::string out;
    std::vector<std::string> shards;
  };
  auto flags = std::make_shared<Flags>();
  CLI::App* cmd = app.add_subcommand(
      "merge",
      "Merge the run folders of `ctxbench run --shard I/N` into one run folder OUT, equal to "
      "the unsharded run (summary.json, results.db, traces/, report). Checks that the shards "
      "ran one config and cover the plan exactly once (exit 2 naming the missing or "
      "duplicated episodes); exits with the merged status's code like `run`: 0 complete, 3 "
      "complete_with_errors, 1 failed, 130 interrupted.");
  cmd->add_option("out", flags->out, "The run folder to write (must not exist)")->required();
  cmd->add_option("shard_dirs", flags->shards, "The shards' run folders")->required();
  cmd->callback([flags, exit_code] {
    MergeResult r = MergeShards(flags->out, flags->shards);
    std::printf("Merged %zu shards (%zu episodes) into %s (%s)\n", r.shards, r.planned,
                r.dir.c_str(), RunStatusName(r.status));
    *exit_code = RunExitCode(r.status);
  });
}

}  // namespace ctxbench
