#include "run/merge.h"

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <map>

#include "core/clock.h"
#include "core/error.h"
#include "core/file.h"
#include "core/log.h"
#include "report/report.h"
#include "run/merge_files.h"
#include "run/plan.h"
#include "run/resume.h"
#include "run/run_status.h"
#include "run/runner.h"
#include "store/sqlite_store.h"

namespace ctxbench {

namespace fs = std::filesystem;

namespace {

// "a, b, c, d, e and 7 more"
std::string NameSome(const std::vector<std::string>& ids) {
  std::string out;
  for (size_t i = 0; i < ids.size() && i < 5; ++i) out += (i ? ", " : "") + ids[i];
  if (ids.size() > 5) out += " and " + std::to_string(ids.size() - 5) + " more";
  return out;
}

std::string ShardName(const ShardContent& s) {
  if (!s.shard) return s.dir;
  return s.dir + " (shard " + std::to_string(s.shard->index) + "/" +
         std::to_string(s.shard->count) + ")";
}

// One shard folder, read and checked.
struct LoadedShard {
  ResumableRun run;
  std::map<std::string, Outcome> outcomes;  // finished episodes
  double finished_at = 0;
};

LoadedShard LoadShard(const std::string& dir) {
  LoadedShard s{ReadResumableRun(dir), {}, 0};
  if (!s.run.shard) {
    ThrowInput(dir,
               "not a shard (its run.json has no \"shard\"); merge joins the folders of "
               "`ctxbench run --shard I/N`");
  }
  auto store = SqliteStore::Open((fs::path(dir) / "results.db").string());
  s.outcomes = FinishedOutcomes(*store, s.run.run_id);
  if (auto row = store->Run(s.run.run_id); row && row->finished_at) {
    s.finished_at = *row->finished_at;
  }
  return s;
}

// The top-level config keys whose values differ.
std::string DifferentKeys(const Json& a, const Json& b) {
  std::string keys;
  for (auto it = a.begin(); it != a.end(); ++it) {
    if (!b.contains(it.key()) || b[it.key()] != it.value())
      keys += (keys.empty() ? "" : ", ") + it.key();
  }
  for (auto it = b.begin(); it != b.end(); ++it) {
    if (!a.contains(it.key())) keys += (keys.empty() ? "" : ", ") + it.key();
  }
  return keys;
}

// The merged run's end: from the counts of its episodes, unless a shard
// ended worse (e.g. failed on fail_on_error after its last episode).
RunEnd MergedEnd(const std::vector<LoadedShard>& shards, const EpisodeCounts& counts) {
  RunEnd end = DecideRunEnd(counts, "", false);
  // Worse to better: failed (or still "running": nullopt), interrupted,
  // complete_with_errors, complete.
  auto rank = [](const std::optional<RunStatus>& s) {
    if (!s) return 3;
    switch (*s) {
      case RunStatus::kComplete:
        return 0;
      case RunStatus::kCompleteWithErrors:
        return 1;
      case RunStatus::kInterrupted:
        return 2;
      case RunStatus::kFailed:
        return 3;
    }
    return 3;
  };
  for (const auto& s : shards) {
    if (rank(s.run.status) > rank(end.status)) {
      end.status =
          s.run.status == RunStatus::kInterrupted ? RunStatus::kInterrupted : RunStatus::kFailed;
      end.reason = "shard " + s.run.dir + " ended " + RecordedRunStatusName(s.run.status);
    }
  }
  return end;
}

void WriteMergedRunJson(const std::string& dir, const std::string& run_id, const RunConfig& config,
                        double started, double finished, const EpisodeCounts& counts,
                        const RunEnd& end, const std::vector<LoadedShard>& shards) {
  Json from = Json::array();
  for (const auto& s : shards) {
    from.push_back({{"dir", fs::absolute(s.run.dir).lexically_normal().string()},
                    {"run_id", s.run.run_id},
                    {"status", RecordedRunStatusName(s.run.status)},
                    {"shard", ShardToJson(*s.run.shard, s.run.plan_size)}});
  }
  Json j = {{"run_id", run_id},
            {"status", RunStatusName(end.status)},
            {"ctxbench_version", CTXBENCH_VERSION},
            {"config_file", config.source},
            {"started_at", FormatUtc(started)},
            {"finished_at", FormatUtc(finished)},
            {"episodes_planned", counts.planned},
            {"episodes_done", counts.done()},
            {"episodes_errors", counts.errors},
            {"episodes_unfinished", counts.unfinished()},
            {"merged_from", from},
            {"config", RunConfigToJson(config)}};
  if (!end.reason.empty()) j["status_reason"] = end.reason;
  WriteFileAtomic((fs::path(dir) / "run.json").string(), j.dump(2) + "\n");
}

}  // namespace

void CheckCoverage(const std::vector<std::string>& plan_ids,
                   const std::vector<ShardContent>& shards) {
  std::set<std::string> plan(plan_ids.begin(), plan_ids.end());
  std::map<std::string, size_t> owner;
  std::vector<std::string> duplicated, outside;
  std::string duplicate_where;
  for (size_t s = 0; s < shards.size(); ++s) {
    for (const auto& id : shards[s].episode_ids) {
      if (!plan.count(id)) outside.push_back(id);
      auto [it, fresh] = owner.emplace(id, s);
      if (!fresh) {
        if (duplicated.empty()) {
          duplicate_where = ShardName(shards[it->second]) + " and " + ShardName(shards[s]);
        }
        duplicated.push_back(id);
      }
    }
  }
  if (!duplicated.empty()) {
    ThrowInput(duplicate_where, std::to_string(duplicated.size()) +
                                    " episodes are in more than one shard (a shard given "
                                    "twice?): " +
                                    NameSome(duplicated));
  }
  if (!outside.empty()) {
    ThrowInput(shards[owner.at(outside[0])].dir,
               "holds episodes that are not in the plan: " + NameSome(outside));
  }
  std::vector<std::string> missing;
  for (const auto& id : plan_ids) {
    if (!owner.count(id)) missing.push_back(id);
  }
  if (missing.empty()) return;
  std::string hint;
  bool same_count = std::all_of(shards.begin(), shards.end(), [&](const ShardContent& s) {
    return s.shard && shards[0].shard && s.shard->count == shards[0].shard->count;
  });
  if (same_count) {
    int n = shards[0].shard->count;
    std::set<int> given;
    for (const auto& s : shards) given.insert(s.shard->index);
    std::string absent;
    for (int i = 0; i < n; ++i) {
      if (!given.count(i))
        absent += (absent.empty() ? "" : ", ") + std::to_string(i) + "/" + std::to_string(n);
    }
    if (!absent.empty()) hint += "; shards not given: " + absent;
  }
  for (const auto& s : shards) {
    if (s.status != RunStatus::kComplete) {
      hint += "; " + s.dir + " is " + RecordedRunStatusName(s.status) +
              " (finish it with `ctxbench run --resume " + s.dir + "`)";
      break;
    }
  }
  ThrowInput("merge", std::to_string(missing.size()) + " of " + std::to_string(plan_ids.size()) +
                          " episodes of the plan are in no shard: " + NameSome(missing) + hint);
}

MergeResult MergeShards(const std::string& out_dir, const std::vector<std::string>& shard_dirs) {
  if (shard_dirs.empty()) ThrowUsage("merge", "give the shard run folders to merge");
  std::error_code ec;
  if (fs::exists(out_dir) && !(fs::is_directory(out_dir) && fs::is_empty(out_dir, ec))) {
    ThrowInput(out_dir, "already exists; merge writes a new run folder");
  }
  std::vector<LoadedShard> shards;
  for (const auto& dir : shard_dirs) shards.push_back(LoadShard(dir));

  const RunConfig& config = shards[0].run.config;
  Json config_json = RunConfigToJson(config);
  for (size_t i = 1; i < shards.size(); ++i) {
    Json other = RunConfigToJson(shards[i].run.config);
    if (other != config_json) {
      ThrowInput(shards[i].run.dir, "ran another config than " + shards[0].run.dir +
                                        " (differs in: " + DifferentKeys(config_json, other) +
                                        "); merge needs the shards of one config");
    }
  }
  std::vector<EpisodeKey> plan = PlanEpisodes(config);
  std::vector<std::string> plan_ids;
  for (const auto& key : plan) plan_ids.push_back(key.Id());
  std::vector<ShardContent> contents;
  for (const auto& s : shards) {
    ShardContent c{s.run.dir, s.run.shard, s.run.status, {}};
    for (const auto& [id, outcome] : s.outcomes) c.episode_ids.insert(id);
    contents.push_back(std::move(c));
  }
  CheckCoverage(plan_ids, contents);

  MergeResult result;
  result.dir = out_dir;
  std::map<std::string, const Outcome*> outcomes;
  for (const auto& s : shards) {
    for (const auto& [id, outcome] : s.outcomes) outcomes[id] = &outcome;
  }
  EpisodeCounts counts{plan.size(), 0, 0};
  for (const auto& key : plan) CountEpisode(outcomes.at(key.Id())->status, counts);
  RunEnd end = MergedEnd(shards, counts);
  result.status = end.status;
  result.planned = plan.size();
  result.shards = shards.size();
  double started = shards[0].run.started_at, finished = 0;
  for (const auto& s : shards) {
    started = std::min(started, s.run.started_at);
    finished = std::max(finished, s.finished_at);
  }
  if (finished <= 0) finished = SystemClock::Get().WallSeconds();

  MakeWritableDir(out_dir);
  std::string run_id = fs::absolute(out_dir).lexically_normal().filename().string();
  if (run_id.empty())
    run_id = fs::absolute(out_dir).lexically_normal().parent_path().filename().string();
  std::vector<ShardPart> parts;
  for (const auto& c : contents) parts.push_back({c.dir, c.episode_ids});
  MergeStores(out_dir, {run_id, config.name, config_json.dump(), started, finished, result.status},
              parts);
  MergeCallCaches(out_dir, parts);
  CopyEpisodeFiles(out_dir, parts);

  RunOutcome run;
  run.dir = out_dir;
  run.planned = plan.size();
  run.counts = counts;
  run.end = end;
  for (const auto& key : plan) run.episodes.push_back({key, *outcomes.at(key.Id())});
  WriteFileAtomic((fs::path(out_dir) / "summary.json").string(),
                  SummaryJson(config, run).dump(2) + "\n");
  WriteMergedRunJson(out_dir, run_id, config, started, finished, counts, end, shards);
  try {
    WriteReport(out_dir);
  } catch (const std::exception& e) {
    LogWarn(std::string("report not written: ") + e.what());
  }
  return result;
}

}  // namespace ctxbench
