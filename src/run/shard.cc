#include "run/shard.h"

#include <charconv>
#include <cstdlib>

#include "core/error.h"

namespace ctxbench {

namespace {

// A non-negative decimal integer that fits an int, or nullopt.
std::optional<int> ParseCount(const std::string& text) {
  int value = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || ec != std::errc() || ptr != end || value < 0) return std::nullopt;
  return value;
}

int EnvInt(const EnvLookup& env, const char* name, const std::string& why) {
  std::optional<std::string> value = env(name);
  if (!value) ThrowUsage(name, "not set; " + why);
  std::optional<int> n = ParseCount(*value);
  if (!n) ThrowUsage(name, "expected a non-negative integer, got '" + *value + "'");
  return *n;
}

// The 0-based shard index from the scheduler's environment.
int IndexFromEnv(const EnvLookup& env, const std::string& flag) {
  if (env("JOB_COMPLETION_INDEX")) return EnvInt(env, "JOB_COMPLETION_INDEX", "");
  if (env("SLURM_ARRAY_TASK_ID")) {
    int id = EnvInt(env, "SLURM_ARRAY_TASK_ID", "");
    int min = env("SLURM_ARRAY_TASK_MIN") ? EnvInt(env, "SLURM_ARRAY_TASK_MIN", "") : 0;
    if (id < min) ThrowUsage("SLURM_ARRAY_TASK_ID", "is below SLURM_ARRAY_TASK_MIN");
    return id - min;
  }
  ThrowUsage(flag,
             "needs the shard index from the environment (SLURM_ARRAY_TASK_ID in a Slurm job "
             "array, JOB_COMPLETION_INDEX in a Kubernetes Indexed Job); outside those give "
             "--shard I/N");
}

void CheckSpec(const ShardSpec& s, const std::string& where) {
  if (s.count < 1) ThrowUsage(where, "the number of shards must be at least 1");
  if (s.index >= s.count) {
    ThrowUsage(where, "shard index " + std::to_string(s.index) + " is not below the number of " +
                          "shards " + std::to_string(s.count) +
                          " (indices are 0-based; a Slurm array must be --array=0-" +
                          std::to_string(s.count - 1) + ")");
  }
}

}  // namespace

ShardSpec ParseShard(const std::string& text, const std::string& where) {
  size_t slash = text.find('/');
  std::optional<int> index, count;
  if (slash != std::string::npos) {
    index = ParseCount(text.substr(0, slash));
    count = ParseCount(text.substr(slash + 1));
  }
  if (!index || !count) ThrowUsage(where, "expected I/N (e.g. 0/4), got '" + text + "'");
  ShardSpec s;
  s.index = *index;
  s.count = *count;
  CheckSpec(s, where);
  return s;
}

std::optional<ShardSpec> ResolveShard(const std::string& shard_flag, const std::string& shards_flag,
                                      const EnvLookup& env) {
  if (shard_flag.empty() && shards_flag.empty()) return std::nullopt;
  if (!shard_flag.empty() && !shards_flag.empty()) {
    ThrowUsage("--shard", "give either --shard I/N or --shards N|auto, not both");
  }
  ShardSpec s;
  if (!shard_flag.empty()) {
    s = ParseShard(shard_flag, "--shard");
  } else {
    std::optional<std::string> slurm_count = env("SLURM_ARRAY_TASK_COUNT");
    if (shards_flag == "auto") {
      if (!slurm_count) {
        ThrowUsage("--shards",
                   "auto reads SLURM_ARRAY_TASK_COUNT, which is not set (not in a Slurm job "
                   "array); give --shards N or --shard I/N");
      }
      s.count = EnvInt(env, "SLURM_ARRAY_TASK_COUNT", "");
    } else {
      std::optional<int> n = ParseCount(shards_flag);
      if (!n) ThrowUsage("--shards", "expected a number or auto, got '" + shards_flag + "'");
      s.count = *n;
      if (slurm_count && !env("JOB_COMPLETION_INDEX") &&
          ParseCount(*slurm_count) != std::optional<int>(s.count)) {
        ThrowUsage("--shards", "says " + shards_flag + " but the Slurm array has " + *slurm_count +
                                   " tasks (SLURM_ARRAY_TASK_COUNT)");
      }
    }
    s.index = IndexFromEnv(env, "--shards");
    CheckSpec(s, "--shards");
  }
  if (std::optional<std::string> job = env("SLURM_ARRAY_JOB_ID"); job && ParseCount(*job)) {
    s.group = "slurm-" + *job;
  }
  return s;
}

std::vector<size_t> ShardIndices(size_t plan_size, const ShardSpec& shard) {
  std::vector<size_t> out;
  for (size_t i = static_cast<size_t>(shard.index); i < plan_size;
       i += static_cast<size_t>(shard.count)) {
    out.push_back(i);
  }
  return out;
}

std::vector<EpisodeKey> ShardEpisodes(const std::vector<EpisodeKey>& plan, const ShardSpec& shard) {
  std::vector<EpisodeKey> out;
  for (size_t i : ShardIndices(plan.size(), shard)) out.push_back(plan[i]);
  return out;
}

std::string ShardFolderSuffix(const ShardSpec& shard) {
  std::string suffix = shard.group.empty() ? "" : "-" + shard.group;
  return suffix + "-shard-" + std::to_string(shard.index) + "-of-" + std::to_string(shard.count);
}

Json ShardToJson(const ShardSpec& shard, size_t plan_size) {
  Json j = {{"index", shard.index}, {"count", shard.count}, {"plan_size", plan_size}};
  if (!shard.group.empty()) j["group"] = shard.group;
  return j;
}

ShardSpec ShardFromJson(const Json& json, const std::string& where) {
  if (!json.is_object()) ThrowInput(where, "expected an object {index, count, plan_size}");
  JsonReader r(json, where);
  ShardSpec s;
  long long index = r.Int("index");
  long long count = r.Int("count");
  if (count < 1 || index < 0 || index >= count || count > 1000000) {
    ThrowInput(where, "index " + std::to_string(index) + " of " + std::to_string(count) +
                          " is not a shard");
  }
  s.index = static_cast<int>(index);
  s.count = static_cast<int>(count);
  s.group = r.String("group", "");
  return s;
}

}  // namespace ctxbench
