#include "run/runner.h"

#include <unistd.h>

#include <filesystem>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include "agent/episode.h"
#include "core/clock.h"
#include "core/env.h"
#include "core/error.h"
#include "core/expected.h"
#include "core/file.h"
#include "core/log.h"
#include "core/status.h"
#include "llm/memo_counter.h"
#include "llm/model_factory.h"
#include "llm/openai/call_gate.h"
#include "report/report.h"
#include "run/cpu_slots.h"
#include "run/off_cpu_model.h"
#include "run/plan.h"
#include "run/progress.h"
#include "run/run_wide_limits.h"
#include "sandbox/sandbox_runner.h"
#include "sandbox/uid_pool.h"
#include "store/jsonl_trace.h"
#include "store/sqlite_store.h"
#include "store/trace_and_store.h"
#include "tasks/dataset_context.h"
#include "tasks/workspace.h"
#include "telemetry/run_telemetry.h"

namespace ctxbench {

namespace fs = std::filesystem;

namespace {

// Everything an episode needs that is shared across the run, loaded and
// validated before the run folder exists.
struct Prepared {
  std::map<std::string, TaskSpec> tasks;
  std::map<std::string, PolicyConfig> policies;  // validated; one instance per episode
  std::map<std::string, ModelConfig> models;
  std::map<std::string, std::shared_ptr<CallGate>> gates;  // per model; null: not gated
  std::map<std::pair<std::string, uint64_t>, Splits> splits;
  std::map<std::string, std::string> data_notes;
  std::shared_ptr<const TokenCounter> counter;
  std::unique_ptr<Learner> learner;
  std::unique_ptr<ProcessRunner> process_runner;  // workspace tasks' commands (sandboxed)
  std::unique_ptr<UidPool> sandbox_uids;          // one uid per running workspace episode
  std::string data_dir;                           // prepared datasets
};

// Loads the config's tasks, their data notes and splits into `p` (and
// sets p.data_dir).
void PrepareTasks(const RunConfig& c, Prepared& p) {
  std::vector<std::string> dirs = c.task_dirs;
  for (const auto& d : DefaultTaskDirs()) dirs.push_back(d);
  std::string data_dir = c.data_dir;
  if (data_dir.empty()) {
    data_dir = GetEnv("CTXBENCH_DATA_DIR").value_or("data");
  }
  p.data_dir = data_dir;
  for (const auto& name : c.tasks) {
    if (p.tasks.count(name)) continue;
    TaskSpec task = FindTask(name, dirs);
    if (auto o = c.task_overrides.find(name); o != c.task_overrides.end()) {
      if (!o->second.baseline.is_null()) {
        if (Status problem = CheckConfig(task, o->second.baseline); !problem.ok()) {
          ThrowInput(o->second.where + ".baseline", problem.error());
        }
        task.baseline = CanonicalConfig(task, o->second.baseline);
      }
      if (o->second.target_improvement_pct) {
        task.target_improvement_pct = *o->second.target_improvement_pct;
      }
    }
    for (uint64_t seed : c.seeds) {
      if (task.is_workspace()) {  // its data: starter files, or prepared data split per episode
        if (task.workspace.prepared_data) {
          PreparedDataFile(*task.workspace.prepared_data, task.name, data_dir);
        }
        break;
      }
      if (!p.data_notes.count(name)) {
        p.data_notes[name] = DescribeDataset(LoadTaskData(task, data_dir, seed));
      }
      // A labelled test set prepared with the data replaces the held-out slice.
      p.splits[{name, seed}] = LoadTaskSplits(task, data_dir, seed);
    }
    p.tasks.emplace(name, std::move(task));
  }
}

Prepared Prepare(const RunConfig& c) {
  Prepared p;
  // The token counter (an exact one loads, checks and indexes a rank file)
  // is made on another thread while the tasks' data load here. Its error, if
  // any, is still the one reported first, as when it was made first.
  std::future<std::shared_ptr<const TokenCounter>> counter =
      std::async(std::launch::async, [&c] { return MakeTokenCounter(c.token_counter); });
  try {
    PrepareTasks(c, p);
  } catch (...) {
    counter.get();  // throws the counter's error first, if it failed too
    throw;
  }
  p.counter = counter.get();
  // Episodes count the same messages and tool schemas at every step: an
  // exact count is looked up after the first time (same counts).
  if (p.counter->exact()) p.counter = std::make_shared<const MemoCounter>(p.counter);
  for (const auto& pc : c.policies) {
    MakePolicy(pc, c.source + ": context_policies " + pc.name);  // validates
    p.policies[pc.name] = pc;
  }
  for (const auto& mc : c.models) {
    p.models[mc.name] = mc;
    p.gates[mc.name] = MakeCallGate(mc);
  }
  p.learner = MakeXgboostLearner(c.learner_threads, LearnerMemoEntriesFromEnv());
  bool workspace_tasks = false;
  for (const auto& [name, task] : p.tasks) workspace_tasks = workspace_tasks || task.is_workspace();
  if (workspace_tasks) {  // their commands run sandboxed, or not at all
    Expected<std::unique_ptr<ProcessRunner>> sandbox = MakeSandboxRunner();
    if (!sandbox) ThrowUsage(c.source, sandbox.error());
    p.process_runner = std::move(sandbox).value();
    // Validated with a config read from JSON; a config built in code is checked here.
    Expected<UidRange> range = ParseUidRange(c.sandbox_uids);
    if (!range) ThrowUsage(c.source, "workspace.sandbox_uids: " + range.error());
    std::string lock_dir;  // as root, uids are leased machine-wide
    if (::geteuid() == 0) {
      lock_dir = kDefaultUidLockDir;
      if (Status opened = OpenUidLockDir(lock_dir); !opened) ThrowRuntime(c.source, opened.error());
    }
    p.sandbox_uids = std::make_unique<UidPool>(*range, lock_dir);
  }
  return p;
}

std::string MakeRunDir(const RunConfig& c, double now, const std::string& suffix) {
  MakeWritableDir(c.out_dir);
  std::string base = (fs::path(c.out_dir) / (CompactUtc(now) + "-" + c.name + suffix)).string();
  std::string dir = base;
  for (int i = 2; fs::exists(dir); ++i) dir = base + "-" + std::to_string(i);
  MakeWritableDir(dir);
  MakeWritableDir((fs::path(dir) / "traces").string());
  return dir;
}

Budgets EpisodeBudgets(const RunConfig& c, const TaskSpec& task) {
  Budgets b = task.budgets;
  if (c.iterations) b.iterations = *c.iterations;
  if (c.steps_per_iteration) b.steps_per_iteration = *c.steps_per_iteration;
  if (c.max_tokens > 0) b.tokens = c.max_tokens;
  if (c.wall_seconds > 0) b.wall_seconds = c.wall_seconds;
  if (c.max_cost_usd > 0) b.cost_usd = c.max_cost_usd;
  return b;
}

// `end` is null while the run is running (status "running").
void WriteRunJson(const std::string& dir, const std::string& run_id, const RunConfig& c,
                  double started, double finished, const EpisodeCounts& counts, const RunEnd* end,
                  const Json& shard) {
  Json j = {{"run_id", run_id},
            {"status", end ? RunStatusName(end->status) : RecordedRunStatusName(std::nullopt)},
            {"ctxbench_version", CTXBENCH_VERSION},
            {"config_file", c.source},
            {"started_at", FormatUtc(started)},
            {"episodes_planned", counts.planned},
            {"episodes_done", counts.done()},
            {"episodes_errors", counts.errors},
            {"episodes_unfinished", counts.unfinished()},
            {"pid", static_cast<long>(::getpid())},
            {"host", HostName()},
            {"config", RunConfigToJson(c)}};
  if (end && !end->reason.empty()) j["status_reason"] = end->reason;
  if (finished > 0) j["finished_at"] = FormatUtc(finished);
  if (!shard.is_null()) j["shard"] = shard;
  WriteFileAtomic((fs::path(dir) / "run.json").string(), j.dump(2) + "\n");
}

std::map<std::string, SpanModelInfo> ModelInfos(const RunConfig& c) {
  std::map<std::string, SpanModelInfo> models;
  for (const auto& m : c.models) models[m.name] = {m.kind, m.params};
  return models;
}

// For a resumed run: fills `outcomes` with the episodes of `plan` that
// finished before (complete, and error unless `retry_errors`), and clears
// what the others left (store rows, trace, workspace) so they start over.
// Returns how many were kept.
size_t KeepFinished(SqliteStore& store, const std::string& run_id, const std::string& dir,
                    const std::vector<EpisodeKey>& plan, bool retry_errors,
                    std::vector<std::optional<Outcome>>& outcomes) {
  std::map<std::string, Outcome> finished = FinishedOutcomes(store, run_id);
  size_t kept = 0;
  for (size_t i = 0; i < plan.size(); ++i) {
    std::string id = plan[i].Id();
    auto it = finished.find(id);
    bool keep =
        it != finished.end() && (it->second.status == EpisodeStatus::kComplete ||
                                 (it->second.status == EpisodeStatus::kError && !retry_errors));
    if (keep) {
      outcomes[i] = std::move(it->second);
      ++kept;
      continue;
    }
    store.DiscardEpisode(id);
    std::error_code ec;
    fs::remove((fs::path(dir) / "traces" / (id + ".jsonl")), ec);
    // The workspace, its hidden evaluation data and its snapshots.
    for (const char* suffix : {"", ".hidden", ".snapshots"}) {
      fs::path workspace = fs::path(dir) / "workspaces" / (id + suffix);
      if (!fs::exists(workspace, ec)) continue;
      fs::remove_all(workspace, ec);
      if (ec) {  // files the sandbox user made may not be ours to delete: move them aside
        fs::path aside;
        for (int n = 1; aside.empty() || fs::exists(aside); ++n) {
          aside = workspace.string() + ".unfinished-" + std::to_string(n);
        }
        fs::rename(workspace, aside, ec);
        if (ec) ThrowRuntime(workspace.string(), "cannot clear the workspace: " + ec.message());
      }
    }
  }
  return kept;
}

// Episodes in flight by default: the connections of the models that call a
// server, plus the CPU slots when some model works on the CPU (sim, replay).
int DefaultInFlight(const Prepared& p, int cpu_slots) {
  int in_flight = 0;
  bool cpu_models = false;
  for (const auto& [name, gate] : p.gates) {
    if (gate) {
      in_flight += gate->limits().max_connections;
    } else {
      cpu_models = true;
    }
  }
  return in_flight + (cpu_models ? cpu_slots : 0);
}

// "120 requests, at most 8 in flight (max_connections 16), 9 answered 429,
// connection cap 6 at the end".
std::string DescribeGate(const CallGate& gate) {
  CallGateStats s = gate.stats();
  std::string text = std::to_string(s.calls) + " requests, at most " +
                     std::to_string(s.peak_in_flight) + " in flight (max_connections " +
                     std::to_string(gate.limits().max_connections) + ")";
  if (s.rate_limited > 0) text += ", " + std::to_string(s.rate_limited) + " answered 429";
  if (gate.limits().adaptive) text += ", connection cap " + std::to_string(s.cap) + " at the end";
  return text;
}

}  // namespace

Json SummaryJson(const RunConfig& config, const RunOutcome& run) {
  Json episodes = Json::array();
  for (const auto& r : run.episodes) {
    episodes.push_back({{"episode_id", r.key.Id()},
                        {"task", r.key.task},
                        {"policy", r.key.policy},
                        {"model", r.key.model},
                        {"mode", r.key.mode},
                        {"seed", r.key.seed},
                        {"outcome", r.outcome.ToJson(/*with_timing=*/false)}});
  }
  Json j = {{"status", RunStatusName(run.end.status)},
            {"episodes_planned", run.counts.planned},
            {"episodes_done", run.counts.done()},
            {"episodes_errors", run.counts.errors},
            {"episodes_unfinished", run.counts.unfinished()},
            {"config", RunConfigToJson(config)},
            {"episodes", episodes}};
  if (!run.end.reason.empty()) j["status_reason"] = run.end.reason;
  return j;
}

RunOutcome ExecuteRun(const RunConfig& config, const RunOptions& options) {
  Prepared prep = Prepare(config);
  std::vector<EpisodeKey> plan = PlanEpisodes(config);
  Json shard_json;  // null unless sharded
  if (options.shard) {
    shard_json = ShardToJson(*options.shard, plan.size());
    plan = ShardEpisodes(plan, *options.shard);
  }
  const Clock& clock = SystemClock::Get();
  double started = clock.WallSeconds();

  ResolveOtlpTarget(config.telemetry);  // bad telemetry variables fail before the folder exists
  RunOutcome run;
  run.planned = plan.size();
  if (options.resume) {
    run.dir = options.resume->dir;
    started = options.resume->started_at;
  } else {
    run.dir = MakeRunDir(config, started, options.shard ? ShardFolderSuffix(*options.shard) : "");
  }
  std::string run_id =
      options.resume ? options.resume->run_id : fs::path(run.dir).filename().string();
  auto store = SqliteStore::Open((fs::path(run.dir) / "results.db").string());
  std::vector<std::optional<Outcome>> outcomes(plan.size());
  size_t skipped = options.resume
                       ? KeepFinished(*store, run_id, run.dir, plan, options.retry_errors, outcomes)
                       : 0;
  RunWideLimits limits(config, plan.size());
  EpisodeCounts kept{plan.size(), 0, 0};
  for (const auto& o : outcomes) {
    if (!o) continue;
    limits.Add(*o);
    CountEpisode(o->status, kept);
  }
  WriteRunJson(run.dir, run_id, config, started, 0, kept, nullptr, shard_json);
  JsonlTraceWriter traces((fs::path(run.dir) / "traces").string(),
                          {{"run_id", run_id},
                           {"name", config.name},
                           {"ctxbench_version", CTXBENCH_VERSION},
                           {"started_at", FormatUtc(started)}});
  // Traces before the store: the store is what resume trusts, so an episode
  // is finished there only once its trace is whole. One sink for both, so
  // each event is serialised once.
  TraceAndStore views(traces, *store);
  std::vector<EventSink*> sinks = {&views};
  auto telemetry = RunTelemetry::Start(
      config.telemetry,
      {run_id, config.name, started, RunConfigToJson(config), ModelInfos(config)});
  if (telemetry) sinks.push_back(telemetry.get());
  if (options.watcher) sinks.push_back(options.watcher);
  // The sinks' run hooks (EventSink: they never throw; a failure is kept).
  // Telemetry's registers the hard stop (a second Ctrl-C sends the spans
  // made so far, the run span included) until its OnRunEnd.
  for (EventSink* sink : sinks) {
    sink->OnRunStart({run_id, config.name, RunConfigToJson(config).dump(), started});
  }
  if (std::string failed = store->Failure(); !failed.empty()) ThrowRuntime(run.dir, failed);

  // CPU work is bounded by CPU slots (learner_threads x slots <= CPUs);
  // episodes in flight may be many more, waiting on model APIs.
  int cpu_slots = std::max(1, UsableCpus() / config.learner_threads);
  int in_flight = config.parallel > 0 ? config.parallel : DefaultInFlight(prep, cpu_slots);
  in_flight = std::max(1, std::min<int>(in_flight, static_cast<int>(plan.size() - skipped)));
  CpuSlots slots(std::min(cpu_slots, in_flight));
  std::string shape = std::to_string(in_flight) + " in flight, " + std::to_string(slots.slots()) +
                      " CPU slots -> " + run.dir;
  if (options.resume) {
    LogInfo("resuming run " + run_id + ": skipping " + std::to_string(skipped) + " of " +
            std::to_string(plan.size()) + " episodes (finished" +
            (options.retry_errors ? ", errored ones rerun"
             : kept.errors        ? ", " + std::to_string(kept.errors) + " errored kept"
                                  : "") +
            "), running " + std::to_string(plan.size() - skipped) + ", " + shape);
  } else {
    std::string part = options.shard ? " (shard " + std::to_string(options.shard->index) + "/" +
                                           std::to_string(options.shard->count) + " of " +
                                           shard_json["plan_size"].dump() + ")"
                                     : "";
    LogInfo("run " + run_id + ": " + std::to_string(plan.size()) + " episodes" + part + ", " +
            shape);
  }

  Progress progress(plan.size() - skipped, clock, options.progress);
  // One health per configured model: an unavailable model's episodes are not
  // started (they stay unfinished for --resume) and the run fails.
  std::map<std::string, std::shared_ptr<ModelHealth>> health;
  for (const auto& [name, model] : prep.models) health[name] = std::make_shared<ModelHealth>();
  auto model_unavailable = [&](const std::string& name) {
    ModelHealth& h = *health.at(name);
    if (h.TakeReport()) {
      LogError("model " + name + " is unavailable: " + h.Unavailable().value_or("") +
               "; its episodes that have not started are skipped (--resume runs them)");
    }
    return !h.available();
  };
  std::atomic<size_t> next{0};
  std::mutex failure_mu;
  std::string failure;
  std::atomic<bool> limit_logged{false};
  auto worker = [&] {
    for (size_t i = next++; i < plan.size(); i = next++) {
      if (outcomes[i]) continue;  // finished before the run was resumed
      // Take the CPU slot first: a stop or limit reached while waiting for
      // it keeps the episode from starting.
      CpuSlots::Hold cpu(slots);
      if (options.stop && options.stop->load()) return;
      if (std::string reason = limits.StopReason(); !reason.empty()) {
        if (!limit_logged.exchange(true)) LogWarn(reason + "; no new episodes start");
        return;
      }
      const EpisodeKey& key = plan[i];
      if (model_unavailable(key.model)) continue;
      try {
        const TaskSpec& task = prep.tasks.at(key.task);
        const ModelConfig& model_config = prep.models.at(key.model);
        std::unique_ptr<Model> model =
            MakeModel(model_config, prep.counter,
                      ModelContext{run.dir, health.at(key.model), prep.gates.at(key.model)});
        if (model_config.kind != "sim")
          model = std::make_unique<OffCpuModel>(std::move(model), slots);
        auto policy = MakePolicy(prep.policies.at(key.policy), "policy " + key.policy);
        EpisodeSettings settings;
        settings.key = key;
        settings.mode = ParseMode(key.mode, "mode");
        settings.budgets = EpisodeBudgets(config, task);
        settings.context_tokens = config.context_tokens;
        EpisodeDeps deps;
        deps.task = &task;
        static const Splits kNoSplits;
        deps.splits = task.is_workspace() ? &kNoSplits : &prep.splits.at({key.task, key.seed});
        deps.data_notes = task.is_workspace() ? "" : prep.data_notes.at(key.task);
        std::optional<UidPool::Lease> uid;  // held until the episode ends
        if (task.is_workspace()) {
          deps.workspace_dir = (fs::path(run.dir) / "workspaces" / key.Id()).string();
          uid.emplace(prep.sandbox_uids->Acquire());
          deps.sandbox_uid = ::geteuid() == 0 ? uid->uid() : -1;
          deps.runner = prep.process_runner.get();
          if (config.workspace_snapshots) deps.snapshot_dir = deps.workspace_dir + ".snapshots";
          PrepareEpisodeWorkspace(task.name, task.workspace, prep.data_dir, deps.workspace_dir,
                                  deps.sandbox_uid);
        }
        deps.learner = prep.learner.get();
        deps.model = model.get();
        deps.policy = policy.get();
        deps.counter = prep.counter.get();
        deps.clock = &clock;
        deps.sinks = sinks;
        Outcome outcome = RunEpisode(settings, deps);
        model_unavailable(key.model);  // report it as soon as it is known
        if (outcome.status == EpisodeStatus::kInterrupted)
          continue;  // unfinished: --resume reruns it
        outcomes[i] = std::move(outcome);
        limits.Add(*outcomes[i]);
        progress.EpisodeDone(key, *outcomes[i]);
      } catch (const std::exception& e) {
        std::lock_guard<std::mutex> lock(failure_mu);
        if (failure.empty()) failure = key.Id() + ": " + e.what();
        return;
      }
    }
  };
  if (options.watcher) {
    GridInfo grid{plan.size() - skipped, in_flight, config.run_max_cost_usd, {}};
    for (const auto& [name, h] : health)
      grid.models.push_back({name, prep.gates[name].get(), h.get()});
    options.watcher->OnGridStart(grid);
  }
  std::vector<std::thread> threads;
  for (int w = 0; w < in_flight; ++w) threads.emplace_back(worker);
  for (auto& t : threads) t.join();
  if (options.watcher) options.watcher->OnGridEnd();
  for (const auto& [name, gate] : prep.gates) {
    if (gate && gate->stats().calls > 0) LogInfo("model " + name + ": " + DescribeGate(*gate));
  }

  // A view that failed (the store, a trace) fails the run: its episodes are
  // not all recorded.
  for (EventSink* sink : sinks) {
    if (std::string failed = sink->Failure(); !failed.empty() && failure.empty()) failure = failed;
  }
  run.counts.planned = plan.size();
  for (size_t i = 0; i < plan.size(); ++i) {
    if (!outcomes[i]) continue;
    run.episodes.push_back({plan[i], *outcomes[i]});
    CountEpisode(outcomes[i]->status, run.counts);
  }
  std::string unavailable;  // the models that became unavailable, and why: the run failed
  for (const auto& [name, h] : health) {
    if (auto why = h->Unavailable()) {
      unavailable += (unavailable.empty() ? "model " : "; model ") + name + " unavailable: " + *why;
    }
  }
  std::string stop_reason = !failure.empty()       ? "run failed: " + failure
                            : !unavailable.empty() ? unavailable
                                                   : limits.EndReason(run.counts.unfinished());
  run.end = DecideRunEnd(run.counts, stop_reason, options.stop && options.stop->load());
  double finished = clock.WallSeconds();
  WriteFileAtomic((fs::path(run.dir) / "summary.json").string(),
                  SummaryJson(config, run).dump(2) + "\n");
  for (EventSink* sink : sinks) {
    if (std::string warning = sink->OnRunEnd({run.end.status, finished}); !warning.empty()) {
      LogWarn(warning);
    }
  }
  if (std::string failed = store->Failure(); !failed.empty() && failed != failure) {
    LogWarn(failed);  // the run's end could not be recorded
  }
  WriteRunJson(run.dir, run_id, config, started, finished, run.counts, &run.end, shard_json);
  try {
    WriteReport(run.dir);
  } catch (const std::exception& e) {
    LogWarn(std::string("report not written: ") + e.what());
  }
  return run;
}

}  // namespace ctxbench
