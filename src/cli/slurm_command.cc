// `ctxbench slurm CONFIG --shards N`: write Slurm job scripts that run the
// config's grid as a job array of shards plus a dependent merge job.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>

#include "cli/commands.h"
#include "core/clock.h"
#include "core/error.h"
#include "core/file.h"
#include "run/plan.h"
#include "run/run_config.h"
#include "run/slurm_script.h"

namespace ctxbench {

namespace fs = std::filesystem;

namespace {

struct SlurmFlags {
  std::string config;
  int shards = 0;
  std::string dir;
  std::string ctxbench;
  SlurmJobOptions job;
};

std::string Absolute(const std::string& path) {
  return fs::absolute(path).lexically_normal().string();
}

void WriteScript(const std::string& path, const std::string& text) {
  WriteFileAtomic(path, text);
  std::error_code ec;
  fs::permissions(path, fs::perms::owner_exec | fs::perms::group_exec | fs::perms::others_exec,
                  fs::perm_options::add, ec);
  if (ec) ThrowRuntime(path, "cannot make it executable: " + ec.message());
}

void SlurmMain(const SlurmFlags& f) {
  RunConfig config = LoadRunConfig(f.config);
  size_t plan = PlanEpisodes(config).size();
  if (f.shards < 1) ThrowUsage("--shards", "must be at least 1");
  if (static_cast<size_t>(f.shards) > plan) {
    ThrowUsage("--shards", std::to_string(f.shards) + " shards for a plan of " +
                               std::to_string(plan) + " episodes would leave shards empty");
  }
  SlurmJobOptions o = f.job;
  o.name = config.name;
  o.config = Absolute(f.config);
  o.shards = f.shards;
  o.workdir = fs::current_path().string();
  if (!f.ctxbench.empty()) {
    o.ctxbench = Absolute(f.ctxbench);
  } else {
    std::error_code ec;
    o.ctxbench = fs::read_symlink("/proc/self/exe", ec).string();
    if (ec) ThrowRuntime("/proc/self/exe", "cannot find this binary; give --ctxbench PATH");
  }
  o.runs_dir = Absolute(o.out.empty() ? config.out_dir : o.out);
  std::string dir =
      f.dir.empty()
          ? (fs::path("slurm") / (CompactUtc(SystemClock::Get().WallSeconds()) + "-" + config.name))
                .string()
          : f.dir;
  o.job_dir = Absolute(dir);
  if (fs::exists(fs::path(o.job_dir) / "submit.sh")) {
    ThrowInput(o.job_dir, "already holds job scripts; give another --dir");
  }
  SlurmScripts scripts = MakeSlurmScripts(o);  // checks the values before anything is written
  MakeWritableDir(o.job_dir + "/logs");
  WriteScript(o.job_dir + "/array.sbatch", scripts.array);
  WriteScript(o.job_dir + "/merge.sbatch", scripts.merge);
  WriteScript(o.job_dir + "/submit.sh", scripts.submit);
  std::printf(
      "Wrote %s/{array.sbatch,merge.sbatch,submit.sh}: %d shards of %zu episodes, then a merge "
      "job.\nSubmit with:\n  bash %s\n(add --wait to return when the merge job ends). The "
      "merged run lands in %s/<UTC>-%s-slurm-<array job id>.\n"
      "If a shard fails, the merge job is cancelled only where slurm.conf sets "
      "DependencyParameters=kill_invalid_depend; elsewhere it stays pending: scancel it "
      "(docs/scaling.md).\n",
      o.job_dir.c_str(), f.shards, plan, ShellQuote(o.job_dir + "/submit.sh").c_str(),
      o.runs_dir.c_str(), config.name.c_str());
}

}  // namespace

void AddSlurmCommand(CLI::App& app, int* /*exit_code*/) {
  auto f = std::make_shared<SlurmFlags>();
  CLI::App* cmd = app.add_subcommand(
      "slurm",
      "Write Slurm job scripts for a config: an sbatch job array with one `ctxbench run "
      "--shard I/N` per task, a merge job that runs after all succeed (afterok; afterany "
      "with --merge-after any), and "
      "submit.sh that submits both. See docs/scaling.md.");
  cmd->add_option("config", f->config, "The run config (JSON)")->required();
  cmd->add_option("--shards", f->shards, "Number of shards (array tasks)")->required();
  cmd->add_option("--out", f->job.out,
                  "Folder for the run folders (shards and merged run; default: the config's "
                  "out_dir)");
  cmd->add_option("--dir", f->dir,
                  "Folder for the scripts and logs (default: slurm/<UTC>-<config name>)");
  cmd->add_option("--ctxbench", f->ctxbench,
                  "The ctxbench binary the jobs run (default: this one)");
  cmd->add_option("--partition", f->job.partition, "#SBATCH --partition");
  cmd->add_option("--time", f->job.time, "#SBATCH --time, per shard and for the merge");
  cmd->add_option("--cpus-per-task", f->job.cpus_per_task, "#SBATCH --cpus-per-task per shard");
  cmd->add_option("--mem", f->job.mem, "#SBATCH --mem per shard, e.g. 4G");
  cmd->add_option("--account", f->job.account, "#SBATCH --account");
  cmd->add_option("--merge-after", f->job.merge_after,
                  "ok: the merge job runs when every shard task succeeded (afterok); any: when "
                  "every task ended (afterany; merge then checks the shards itself)")
      ->capture_default_str();
  cmd->add_option("--sbatch", f->job.sbatch_args,
                  "An extra #SBATCH option for both jobs, e.g. --sbatch=--qos=low (repeatable)");
  cmd->callback([f] { SlurmMain(*f); });
}

}  // namespace ctxbench
