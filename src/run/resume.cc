#include "run/resume.h"

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <filesystem>

#include "agent/fold_outcome.h"
#include "core/error.h"
#include "core/log.h"
#include "store/sqlite_store.h"

namespace ctxbench {

namespace fs = std::filesystem;

namespace {

bool ProcessAlive(long pid) {
  if (pid <= 0) return false;
  return ::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM;
}

}  // namespace

std::string HostName() {
  char name[256] = {};
  if (::gethostname(name, sizeof name - 1) != 0) return "";
  return name;
}

RunLiveness JudgeRun(const std::optional<RunStatus>& status, long pid, const std::string& host,
                     const std::string& this_host) {
  if (status) return RunLiveness::kStopped;  // it ended
  if (!host.empty() && host != this_host) return RunLiveness::kOtherHost;
  return ProcessAlive(pid) ? RunLiveness::kAlive : RunLiveness::kStopped;
}

ResumableRun ReadResumableRun(const std::string& dir) {
  if (!fs::exists(dir)) ThrowInput(dir, "no such run folder");
  if (!fs::is_directory(dir)) ThrowInput(dir, "not a folder (expected a run folder)");
  std::string run_json = (fs::path(dir) / "run.json").string();
  std::string db = (fs::path(dir) / "results.db").string();
  if (!fs::is_regular_file(run_json)) {
    ThrowInput(dir, "not a run folder (no run.json); pass a folder `ctxbench run` wrote");
  }
  if (!fs::is_regular_file(db)) ThrowInput(dir, "not a run folder (no results.db)");
  Json j = ReadJsonFile(run_json);
  if (!j.is_object() || !j.contains("config") || !j["config"].is_object()) {
    ThrowInput(run_json, "not a run.json of ctxbench (no config object)");
  }
  JsonReader r(j, run_json);
  ResumableRun run;
  run.dir = dir;
  run.run_id = r.String("run_id");
  run.status = ReadRecordedRunStatus(r.String("status"), run_json);
  long pid = static_cast<long>(r.Int("pid", 0));
  std::string host = r.String("host", "");
  switch (JudgeRun(run.status, pid, host, HostName())) {
    case RunLiveness::kAlive:
      ThrowRuntime(dir, "the run is still running (pid " + std::to_string(pid) +
                            " is alive); stop it first");
    case RunLiveness::kOtherHost:
      LogWarn(dir + ": run.json says running on host " + host + " (pid " + std::to_string(pid) +
              "), which cannot be checked from here; make sure that process has stopped");
      break;
    case RunLiveness::kStopped:
      break;
  }
  run.config = RunConfigFromJson(j["config"], run_json + ": config");
  run.config.source = r.String("config_file", run.config.source);
  if (j.contains("shard")) {
    run.shard = ShardFromJson(j["shard"], run_json + ": shard");
    run.plan_size =
        static_cast<size_t>(JsonReader(j["shard"], run_json + ": shard").Int("plan_size"));
  }

  auto store = SqliteStore::Open(db);  // upgrades an older schema; throws naming db on a newer one
  std::optional<RunRow> row = store->Run(run.run_id);
  if (!row) ThrowInput(db, "holds no run '" + run.run_id + "' (the run run.json names)");
  run.started_at = row->started_at.value_or(0);
  return run;
}

std::map<std::string, Outcome> FinishedOutcomes(SqliteStore& store, const std::string& run_id) {
  std::map<std::string, Outcome> out;
  for (const EpisodeRow& e : store.Episodes(run_id)) {
    if (!e.status || e.status == EpisodeStatus::kInterrupted || e.outcome_json.empty()) continue;
    std::string where = store.path() + ": episode " + e.episode_id;
    out.emplace(e.episode_id, StoredOutcome(store.Events(e.episode_id), e.outcome_json, where));
  }
  return out;
}

}  // namespace ctxbench
