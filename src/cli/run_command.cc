// `ctxbench run`: execute the grid a config describes.
#include <CLI/CLI.hpp>
#include <csignal>
#include <cstdio>
#include <filesystem>

#include "bench/runner.h"
#include "cli/commands.h"
#include "core/dotenv.h"
#include "core/log.h"

namespace ctxbench {

namespace {

std::atomic<bool> g_stop{false};

void OnSignal(int) { g_stop = true; }

struct RunFlags {
  std::string config = "config.json";
  RunOverrides overrides;
  std::string seeds;
  std::string out;
  std::string policy_type;
  int num_steps = 0;
  int parallel = -1;
  bool quiet = false;
};

void RunMain(const RunFlags& f, int* exit_code) {
  LoadDotenv(".env");
  if (f.quiet) SetLogLevel(LogLevel::kWarn);
  RunConfig config = LoadRunConfig(f.config);
  RunOverrides o = f.overrides;
  if (!f.seeds.empty()) o.seeds = f.seeds;
  if (!f.out.empty()) o.out = f.out;
  if (!f.policy_type.empty()) o.policy_type = f.policy_type;
  if (f.num_steps != 0) o.num_steps = f.num_steps;
  if (f.parallel >= 0) o.parallel = f.parallel;
  ApplyOverrides(o, config);

  std::signal(SIGINT, OnSignal);
  std::signal(SIGTERM, OnSignal);
  RunOptions options;
  options.stop = &g_stop;
  RunOutcome run = ExecuteRun(config, options);
  std::printf("\n%s\n", ResultsTable(run.episodes).c_str());
  std::printf("Run folder: %s (%s, %zu/%zu episodes)\n", run.dir.c_str(), run.status.c_str(),
              run.episodes.size(), run.planned);
  bool sim_only = true;
  for (const auto& m : config.models) sim_only &= m.kind == "sim";
  if (sim_only) {
    std::printf("Model: the built-in `sim` experimenter (deterministic, not an LLM).\n");
  }
  if (run.status == "interrupted") *exit_code = 130;
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
                  "Only these models: a configured name or a kind such as sim (repeatable)");
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
  run->add_option("--parallel", flags->parallel, "Episodes at once (0: one per CPU)");
  run->add_flag("--quiet,-q", flags->quiet, "Only warnings and the final table");
  run->callback([flags, exit_code] { RunMain(*flags, exit_code); });
}

}  // namespace ctxbench
