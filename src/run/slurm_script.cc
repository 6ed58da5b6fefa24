#include "run/slurm_script.h"

#include "core/error.h"

namespace ctxbench {

namespace {

// One "#SBATCH --flag=value" line; "" when value is empty.
std::string Directive(const std::string& flag, const std::string& value) {
  if (value.empty()) return "";
  if (value.find_first_of(" \t\n\r") != std::string::npos) {
    ThrowUsage(flag, "'" + value + "' has whitespace, which an #SBATCH line cannot hold");
  }
  return "#SBATCH " + flag + "=" + value + "\n";
}

// The settings both jobs share.
std::string CommonDirectives(const SlurmJobOptions& o) {
  std::string out = Directive("--chdir", o.workdir) + Directive("--partition", o.partition) +
                    Directive("--time", o.time) + Directive("--account", o.account);
  for (const auto& arg : o.sbatch_args) {
    if (arg.find_first_of("\n\r") != std::string::npos || arg.rfind("-", 0) != 0) {
      ThrowUsage("--sbatch", "expected one sbatch option such as --qos=low, got '" + arg + "'");
    }
    out += "#SBATCH " + arg + "\n";
  }
  return out;
}

std::string Header(const std::string& what) {
  return "#!/bin/bash\n# " + what + "\n# Written by `ctxbench slurm`; see docs/scaling.md.\n";
}

}  // namespace

std::string ShellQuote(const std::string& text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

SlurmScripts MakeSlurmScripts(const SlurmJobOptions& o) {
  if (o.shards < 1) ThrowUsage("--shards", "must be at least 1");
  std::string n = std::to_string(o.shards);
  std::string logs = o.job_dir + "/logs";
  std::string out_flag = o.out.empty() ? "" : " --out " + ShellQuote(o.out);
  std::string group = "-" + o.name + "-slurm-";
  SlurmScripts s;

  s.array =
      Header("One task per shard of " + o.config + " (" + n + " shards).") +
      Directive("--job-name", "ctxbench-" + o.name) + "#SBATCH --array=0-" +
      std::to_string(o.shards - 1) + "\n" + Directive("--output", logs + "/shard-%a.out") +
      CommonDirectives(o) +
      Directive("--cpus-per-task", o.cpus_per_task > 0 ? std::to_string(o.cpus_per_task) : "") +
      Directive("--mem", o.mem) +
      "set -euo pipefail\n"
      "# Array indices are 0.." +
      std::to_string(o.shards - 1) +
      ": the index is the shard. The run exits non-zero unless the shard is complete,\n"
      "# so a failed shard fails its task and the merge job (afterok) does not run.\n"
      "exec " +
      ShellQuote(o.ctxbench) + " run --config " + ShellQuote(o.config) +
      " --shard \"$SLURM_ARRAY_TASK_ID/" + n + "\"" + out_flag + " --quiet\n";

  s.merge = Header("Merges the " + n + " shards of " + o.config + " into one run folder.") +
            Directive("--job-name", "ctxbench-" + o.name + "-merge") +
            Directive("--output", logs + "/merge.out") + CommonDirectives(o) +
            "set -euo pipefail\n"
            "array=${CTXBENCH_ARRAY_JOB_ID:?submit with submit.sh, which passes the array job "
            "id}\n"
            "runs=" +
            ShellQuote(o.runs_dir) +
            "\n"
            "shopt -s nullglob\n"
            "shards=(\"$runs\"/*" +
            ShellQuote(group) + "\"$array\"-shard-*-of-" + n +
            ")\n"
            "if [ ${#shards[@]} -eq 0 ]; then\n"
            "  echo \"no shard folders of array job $array in $runs\" >&2\n"
            "  exit 2\n"
            "fi\n"
            "exec " +
            ShellQuote(o.ctxbench) + " merge \"$runs/$(date -u +%Y%m%d-%H%M%S)\"" +
            ShellQuote(group) + "\"$array\" \"${shards[@]}\"\n";

  std::string array_script = ShellQuote(o.job_dir + "/array.sbatch");
  std::string merge_script = ShellQuote(o.job_dir + "/merge.sbatch");
  std::string merge_args =
      "--dependency=afterok:\"$array\" "
      "--export=ALL,CTXBENCH_ARRAY_JOB_ID=\"$array\" " +
      merge_script;
  s.submit = Header(
                 "Submits the shard array, then the merge job, which runs when every shard "
                 "succeeded.\n# Usage: bash submit.sh [--wait]  (--wait: return when the merge "
                 "job ends, with its exit code)") +
             "set -euo pipefail\n"
             "array=$(sbatch --parsable " +
             array_script +
             ")\n"
             "array=${array%%;*}\n"
             "echo \"array job $array: " +
             n + " shards -> \"" + ShellQuote(o.runs_dir + "/*" + group) + "\"$array-shard-*-of-" +
             n +
             "\"\n"
             "if [ \"${1:-}\" = --wait ]; then\n"
             "  echo \"merge job after it (afterok:$array); waiting for it to end\"\n"
             "  sbatch --wait --parsable " +
             merge_args +
             "\n"
             "else\n"
             "  merge=$(sbatch --parsable " +
             merge_args +
             ")\n"
             "  merge=${merge%%;*}\n"
             "  echo \"merge job $merge (afterok:$array) -> \"" +
             ShellQuote(o.runs_dir + "/<UTC>" + group) +
             "\"$array\"\n"
             "  echo \"watch with: squeue -j $array,$merge\"\n"
             "fi\n";
  return s;
}

}  // namespace ctxbench
