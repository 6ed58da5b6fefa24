// `ctxbench run`: execute the grid a config describes.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <optional>

#include "cli/commands.h"
#include "console/cursor_report.h"
#include "console/live_display.h"
#include "core/cancel.h"
#include "core/dotenv.h"
#include "core/env.h"
#include "core/error.h"
#include "core/hard_stop.h"
#include "core/log.h"
#include "llm/openai/endpoint_check.h"
#include "llm/openai/openai_options.h"
#include "run/runner.h"

namespace ctxbench {

namespace {

std::atomic<bool> g_stop{false};
std::atomic<int> g_signals{0};
static_assert(std::atomic<int>::is_always_lock_free, "used in a signal handler");

// The first SIGINT/SIGTERM stops starting episodes and cuts model calls short
// (retry waits and transfers in flight): episodes waiting on a model end
// "interrupted", the others finish, and the run is written as interrupted. A
// second one exits at once, leaving the running episodes unfinished (run.json
// stays "running"), after the hard-stop actions (core/hard_stop.h: telemetry
// sends the spans made so far, for at most 2 s); a third exits without them.
// Either way `--resume` continues the run.
void OnSignal(int) {
  int n = g_signals.fetch_add(1) + 1;
  if (n > 2) {
    RestoreTerminalAfterQuery();  // a live view's cursor query may have echo off
    ::_exit(130);
  }
  if (n == 2) {
    static constexpr char kHardMsg[] =
        "\nctxbench: stopped at once; unfinished episodes rerun on --resume\n";
    // A live view prints it in place of its frame, from its hard-stop action.
    bool posted = LiveDisplay::PostNotice(kHardMsg);
    if (!posted) (void)!::write(STDERR_FILENO, kHardMsg, sizeof kHardMsg - 1);
    if (!RequestHardStop()) {
      if (posted) (void)!::write(STDERR_FILENO, kHardMsg, sizeof kHardMsg - 1);
      RestoreTerminalAfterQuery();
      ::_exit(130);
    }
    return;
  }
  g_stop.store(true);
  Cancellation::Process().Request();
  static constexpr char kMsg[] =
      "\nctxbench: stopping after the running episodes, model calls cut short (again to stop "
      "at once)\n";
  // A live view prints it above its frame (straight to the terminal it would
  // leave the frame in the scrollback).
  if (!LiveDisplay::PostNotice(kMsg)) (void)!::write(STDERR_FILENO, kMsg, sizeof kMsg - 1);
}

struct RunFlags {
  std::string config = "config.json";
  RunOverrides overrides;
  std::string seeds;
  std::string out;
  std::string policy_type;
  std::string base_url;
  std::optional<int> num_steps;
  std::optional<int> parallel;
  bool quiet = false;
  std::string progress = "auto";
  std::optional<double> progress_interval;
  std::string resume;
  bool retry_errors = false;
  std::string shard;   // --shard I/N
  std::string shards;  // --shards N|auto
};

// With --resume only --quiet, --progress* and --retry-errors may be given: everything
// else would change the run, whose config is the one saved in its folder.
void CheckResumeFlags(const CLI::App& run) {
  for (const CLI::Option* opt : run.get_options()) {
    std::string name = opt->get_name();
    if (opt->count() == 0 || name == "--resume" || name == "--quiet" || name == "--help" ||
        name == "--retry-errors" || name == "--progress" || name == "--progress-interval") {
      continue;
    }
    ThrowUsage("--resume", "cannot be combined with " + name +
                               ": a resumed run uses the config saved in its run.json");
  }
}

// Before anything runs: each openai model's key and endpoint (one GET
// /models each, llm/openai/endpoint_check.h). Throws the first problem as one
// line: exit 2 for the key, base_url or config, 1 for a server that is down.
void CheckModelEndpoints(const RunConfig& config) {
  for (const ModelConfig& mc : config.models) {
    if (mc.kind != "openai") continue;
    OpenAiOptions options = ReadOpenAiOptions(JsonReader(mc.params, "", "model " + mc.name));
    std::string key = options.api_key_env.empty() ? "" : GetEnv(options.api_key_env).value_or("");
    auto transport = MakeCurlTransport();
    auto problem = CheckEndpoint(mc.name, options, key, *transport);
    if (!problem) continue;
    if (problem->input) ThrowInput("preflight", problem->line);
    ThrowRuntime("preflight", problem->line);
  }
}

void RunMain(const RunFlags& f, const CLI::App& app, int* exit_code) {
  LoadDotenv(".env");
  if (f.quiet) SetLogLevel(LogLevel::kWarn);
  std::optional<ResumableRun> resume;
  if (f.retry_errors && f.resume.empty()) {
    ThrowUsage("--retry-errors",
               "goes with --resume RUN_DIR (it reruns that run's errored episodes)");
  }
  if (!f.resume.empty()) {
    CheckResumeFlags(app);
    resume = ReadResumableRun(f.resume);
    // With --retry-errors even a `complete` run is looked at: one written
    // before run statuses counted errors may hold errored episodes.
    if (!f.retry_errors && (resume->status == RunStatus::kComplete ||
                            resume->status == RunStatus::kCompleteWithErrors)) {
      std::printf("Run folder %s is already %s; nothing to resume%s.\n", f.resume.c_str(),
                  RunStatusName(*resume->status),
                  resume->status == RunStatus::kComplete
                      ? ""
                      : " (its errored episodes are kept as they are; --retry-errors reruns them)");
      *exit_code = RunExitCode(*resume->status);
      return;
    }
  }
  if (!resume && app.get_option("--config")->count() == 0 && !std::filesystem::exists(f.config)) {
    std::error_code ec;
    std::string here = std::filesystem::current_path(ec).string();
    ThrowUsage("config.json", "no config.json in the current folder (" + here +
                                  "); name one with --config PATH (e.g. --config "
                                  "configs/workspace.json) or run from the folder that holds it");
  }
  RunConfig config = resume ? resume->config : LoadRunConfig(f.config);
  RunOverrides o = f.overrides;
  if (!f.seeds.empty()) o.seeds = f.seeds;
  if (!f.out.empty()) o.out = f.out;
  if (!f.base_url.empty()) o.base_url = f.base_url;
  if (!f.policy_type.empty()) o.policy_type = f.policy_type;
  if (f.num_steps) o.num_steps = f.num_steps;  // range-checked with the config's own values
  if (f.parallel) o.parallel = f.parallel;
  if (!resume) ApplyOverrides(o, config);

  CheckModelEndpoints(config);
  StartHardStopThread(130);
  std::signal(SIGINT, OnSignal);
  std::signal(SIGTERM, OnSignal);
  RunOptions options;
  options.stop = &g_stop;
  if (resume) options.resume = &*resume;
  options.retry_errors = f.retry_errors;
  options.shard = resume ? resume->shard : ResolveShard(f.shard, f.shards, GetEnv);
  DisplayOptions display;
  display.mode = f.quiet ? ProgressMode::kNone : *ParseProgressMode(f.progress, STDERR_FILENO);
  display.interval_s =
      f.progress_interval.value_or(display.mode == ProgressMode::kJson ? 1.0 : 30.0);
  LiveDisplay live(display);
  if (display.mode != ProgressMode::kNone) options.watcher = &live;
  RunOutcome run = ExecuteRun(config, options);
  std::printf("\n%s\n", ResultsTable(run.episodes).c_str());
  std::printf("Run folder: %s (%s, %s)\n", run.dir.c_str(), RunStatusName(run.end.status),
              CountsText(run.counts).c_str());
  if (run.end.status == RunStatus::kFailed) {
    std::fprintf(stderr, "ctxbench: %s: %s\n", run.dir.c_str(), run.end.reason.c_str());
  } else if (!run.end.reason.empty()) {
    std::printf("Status %s: %s\n", RunStatusName(run.end.status), run.end.reason.c_str());
  }
  bool sim_only = true;
  for (const auto& m : config.models) sim_only &= m.kind == "sim";
  if (sim_only) {
    std::printf("Model: the built-in `sim` experimenter (deterministic, not an LLM).\n");
  } else {
    long long calls = 0, hits = 0, tokens = 0, hit_tokens = 0, retries = 0;
    double cost = 0, hit_cost = 0;
    for (const auto& e : run.episodes) {
      const Outcome& o = e.outcome;
      calls += o.llm_calls;
      hits += o.cache_hits;
      tokens += o.prompt_tokens + o.completion_tokens;
      hit_tokens += o.cache_hit_prompt_tokens + o.cache_hit_completion_tokens;
      cost += o.cost_usd;
      hit_cost += o.cache_hit_cost_usd;
      retries += o.llm_retries;
    }
    std::printf(
        "LLM calls: %lld fresh (%lld tokens, $%.4f), %lld from the cache (%lld tokens, "
        "$%.4f not paid again), %lld retried attempts.\n",
        calls - hits, tokens - hit_tokens, cost - hit_cost, hits, hit_tokens, hit_cost, retries);
  }
  if (run.end.status == RunStatus::kCompleteWithErrors) {
    std::printf("Rerun the errored episodes: ctxbench run --resume %s --retry-errors\n",
                run.dir.c_str());
  }
  *exit_code = RunExitCode(run.end.status);
}

}  // namespace

void AddRunCommand(CLI::App& app, int* exit_code) {
  auto flags = std::make_shared<RunFlags>();
  CLI::App* run = app.add_subcommand(
      "run",
      "Run the grid of episodes a config describes (tasks x policies x models x modes x "
      "seeds) and write a run folder with results.db, traces/ and summary.json.");
  run->add_option("--config,-c", flags->config, "The run config (JSON)")->capture_default_str();
  run->add_option("--task", flags->overrides.tasks, "Only these tasks (repeatable)");
  run->add_option("--model", flags->overrides.models,
                  "Only these models: a configured name, a kind such as sim, or "
                  "openai:MODEL_NAME (repeatable)");
  run->add_option("--base-url", flags->base_url,
                  "Base URL of an OpenAI-compatible server for the run's openai models, e.g. "
                  "http://127.0.0.1:8000/v1");
  run->add_option("--policy-type", flags->policy_type,
                  "Use one preset policy: short_context (window of 4 turns) or long_context "
                  "(full)");
  run->add_option("--policy", flags->overrides.policies,
                  "Only these configured policies, by name (repeatable)");
  run->add_option("--reasoning-mode", flags->overrides.modes,
                  "Only these modes: agentic or controller (repeatable)");
  run->add_option("--num-steps", flags->num_steps, "Iterations (experiments) per episode");
  run->add_option("--seeds", flags->seeds, "Seeds, e.g. 1,2,3 or 1-5");
  run->add_option("--out", flags->out, "Folder for run folders (default: the config's out_dir)");
  run->add_option("--parallel", flags->parallel,
                  "Episodes in flight (0: the API models' max_connections; CPU slots for sim)");
  run->add_flag("--quiet,-q", flags->quiet,
                "Only warnings and the final table (no progress display of any --progress)");
  run->add_option("--progress", flags->progress,
                  "Progress on stderr: live (a view redrawn in place: episodes in flight, "
                  "tokens, cost, retries, connections, ETA), lines (a line per finished "
                  "episode and a summary line every --progress-interval), json (one JSON "
                  "object per update, docs/progress.md), none, or auto (live on a terminal, "
                  "else lines)")
      ->check(CLI::IsMember({"auto", "live", "lines", "json", "none"}))
      ->capture_default_str();
  run->add_option("--progress-interval", flags->progress_interval,
                  "Seconds between summary lines (lines, default 30) or records (json, "
                  "default 1)")
      ->check(CLI::PositiveNumber);
  run->add_option("--resume", flags->resume,
                  "Continue an interrupted or failed run in its folder RUN_DIR with its saved "
                  "config: finished episodes (errored ones too) are kept, the others run (only "
                  "--quiet and --retry-errors may be added)");
  run->add_flag("--retry-errors", flags->retry_errors,
                "With --resume: also rerun the episodes that ended with an error (their rows, "
                "trace and workspace are discarded); a complete_with_errors run is resumable "
                "only with it");
  run->footer(
      "Exit codes: 0 complete (every episode finished), 3 complete_with_errors (all finished, "
      "some errored: left out of the statistics), 1 failed (a failure, fail_on_error or "
      "budget.run_max_cost_usd stopped the run), 130 interrupted (SIGINT/SIGTERM), 2 bad "
      "input (nothing run).");
  run->add_option("--shard", flags->shard,
                  "Run only shard I of N (0-based) of the plan: episode i goes to shard i % N; "
                  "the folder name ends with -shard-I-of-N; join shards with `ctxbench merge`");
  run->add_option("--shards", flags->shards,
                  "Run one of N shards, the index from the scheduler: SLURM_ARRAY_TASK_ID - "
                  "SLURM_ARRAY_TASK_MIN or JOB_COMPLETION_INDEX (Kubernetes); auto: N from "
                  "SLURM_ARRAY_TASK_COUNT. Without --shard/--shards the whole plan runs");
  run->callback([flags, run, exit_code] { RunMain(*flags, *run, exit_code); });
}

}  // namespace ctxbench
