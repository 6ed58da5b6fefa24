// Merging shards (`ctxbench merge OUT SHARD_DIR...`): the run folders of the
// shards of one plan (run/shard.h) become one run folder, equal to the run
// the whole plan would have made in one go: same summary.json, a results.db
// with every episode's rows, traces/, workspaces/ and calls.db, run.json and
// the report.
//
// Error channel: bad input (a folder that is not a shard's run folder, shards
// of different configs, episodes missing from every shard or present in two,
// an existing OUT) throws an input ctxbench::Error (exit 2) with one line
// naming the folders and episodes; a failure while writing throws a runtime
// error naming the file. Nothing is written before the checks pass.
#pragma once

#include <cstddef>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "events/run_status.h"
#include "run/shard.h"

namespace ctxbench {

// What one shard folder holds, for the coverage check.
struct ShardContent {
  std::string dir;
  std::optional<ShardSpec> shard;
  std::optional<RunStatus> status;    // run.json's status (nullopt: "running")
  std::set<std::string> episode_ids;  // its finished episodes
};

// Throws an input error unless every id of `plan_ids` is a finished episode
// of exactly one shard and no shard holds an id outside the plan. The message
// names up to five episodes, how many in all, the shards not given (when the
// given ones agree on N), and a shard to resume when its unfinished episodes
// are the missing ones.
void CheckCoverage(const std::vector<std::string>& plan_ids,
                   const std::vector<ShardContent>& shards);

struct MergeResult {
  std::string dir;
  // From the merged episodes (run/run_status.h: complete, or
  // complete_with_errors when some errored), unless a shard ended worse
  // (interrupted, failed).
  RunStatus status = RunStatus::kComplete;
  size_t planned = 0;
  size_t shards = 0;
};

// Checks the shards (same config compared as RunConfigToJson, which leaves
// telemetry out; coverage as CheckCoverage) and writes `out_dir`, which must
// not exist or be an empty folder.
MergeResult MergeShards(const std::string& out_dir, const std::vector<std::string>& shard_dirs);

}  // namespace ctxbench
