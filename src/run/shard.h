// Shards: a deterministic partition of a run's plan, so that one grid can run
// as N independent jobs (a Slurm job array, a Kubernetes Indexed Job) and be
// merged afterwards (run/merge.h). Episode i of the plan (plan order, see
// run/plan.h) belongs to shard i % N, so every shard gets a balanced mix of
// tasks, policies, models, modes and seeds.
//
// Error channel: bad flags or environment throw a usage ctxbench::Error
// naming the flag or variable. Pure functions otherwise; thread-safe.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/env.h"
#include "core/episode_key.h"
#include "core/json.h"

namespace ctxbench {

struct ShardSpec {
  int index = 0;  // 0-based, < count
  int count = 1;
  // Names the batch the shard belongs to in its folder name, e.g.
  // "slurm-1234" (the Slurm array job id); "" outside a scheduler.
  std::string group;
};

// The shard a `ctxbench run` should execute, from its flags and environment:
//   --shard I/N      shard I of N (0-based), whatever the environment says;
//   --shards N       N shards, I from JOB_COMPLETION_INDEX (Kubernetes Indexed
//                    Job) or SLURM_ARRAY_TASK_ID - SLURM_ARRAY_TASK_MIN;
//   --shards auto    N from SLURM_ARRAY_TASK_COUNT, I as above;
//   neither          no sharding (nullopt), even inside a Slurm array job: a
//                    run never silently executes a fraction of its grid.
// `shard_flag` and `shards_flag` are "" when not given. The group is
// "slurm-<SLURM_ARRAY_JOB_ID>" when that variable is set. Throws a usage
// error for both flags at once, a malformed value, I >= N, N < 1, a missing
// index variable, or a SLURM_ARRAY_TASK_COUNT that disagrees with --shards.
std::optional<ShardSpec> ResolveShard(const std::string& shard_flag, const std::string& shards_flag,
                                      const EnvLookup& env = GetEnv);

// "I/N" -> {I, N}; throws a usage error naming `where`.
ShardSpec ParseShard(const std::string& text, const std::string& where);

// The plan indices of the shard's episodes, in plan order.
std::vector<size_t> ShardIndices(size_t plan_size, const ShardSpec& shard);
// The shard's episodes, in plan order.
std::vector<EpisodeKey> ShardEpisodes(const std::vector<EpisodeKey>& plan, const ShardSpec& shard);

// What a shard's run folder name ends with: "-slurm-1234-shard-2-of-4"
// (or "-shard-2-of-4" without a group).
std::string ShardFolderSuffix(const ShardSpec& shard);

// run.json's "shard" object: {"index", "count", "plan_size", "group"?}, and
// back (throws an input error naming `where` on a malformed object).
Json ShardToJson(const ShardSpec& shard, size_t plan_size);
ShardSpec ShardFromJson(const Json& json, const std::string& where);

}  // namespace ctxbench
