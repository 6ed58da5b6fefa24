#include "run/slurm_script.h"

#include <algorithm>
#include <map>

#include "core/error.h"

namespace ctxbench {

namespace {

// The scripts, with @NAME@ placeholders filled by Fill().
constexpr char kArrayTemplate[] = R"sh(#!/bin/bash
# One task per shard of @CONFIG_TEXT@ (@N@ shards).
# Written by `ctxbench slurm`; see docs/scaling.md.
@DIRECTIVES@set -euo pipefail
# Array indices are 0..@LAST@: the index is the shard. The run exits non-zero unless
# its shard is complete, so a failed shard fails its task (the merge job waits for
# after@AFTER@).
exec @CTXBENCH@ run --config @CONFIG@ --shard "$SLURM_ARRAY_TASK_ID/@N@"@OUT_FLAG@ --quiet
)sh";

constexpr char kMergeTemplate[] = R"sh(#!/bin/bash
# Merges the @N@ shards of @CONFIG_TEXT@ into one run folder.
# Written by `ctxbench slurm`; see docs/scaling.md.
@DIRECTIVES@set -euo pipefail
array=${CTXBENCH_ARRAY_JOB_ID:?submit with submit.sh, which passes the array job id}
runs=@RUNS@
shopt -s nullglob
shards=("$runs"/*@GROUP@"$array"-shard-*-of-@N@)
if [ ${#shards[@]} -eq 0 ]; then
  echo "no shard folders of array job $array in $runs" >&2
  exit 2
fi
exec @CTXBENCH@ merge "$runs/$(date -u +%Y%m%d-%H%M%S)"@GROUP@"$array" "${shards[@]}"
)sh";

constexpr char kSubmitTemplate[] = R"sh(#!/bin/bash
# Submits the shard array, then the merge job, which runs when every shard succeeded.
# Usage: bash submit.sh [--wait]   (--wait: return when the merge job ends; exit 0 only
# when it completed). Written by `ctxbench slurm`; see docs/scaling.md.
set -euo pipefail
array=$(sbatch --parsable @ARRAY_SCRIPT@)
array=${array%%;*}
echo "array job $array: @N@ shards -> "@RUNS_GLOB@"$array-shard-*-of-@N@"
# The merge job reads the array id from the environment sbatch hands on, not from a
# list of variables after ALL: such a list sets SLURM_GET_USER_ENV, and slurmd then
# runs the user's login shell on the node before the job starts (seconds; it can fail).
export CTXBENCH_ARRAY_JOB_ID="$array"
merge_args=(--dependency=after@AFTER@:"$array" --export=ALL)
if [ "${1:-}" = --wait ]; then
  echo "merge job after it (after@AFTER@:$array); waiting for it to end"
  rc=0
  merge=$(sbatch --wait --parsable "${merge_args[@]}" @MERGE_SCRIPT@) || rc=$?
  merge=${merge%%;*}
  # A merge job cancelled before it started (a shard failed) leaves sbatch with exit
  # code 0: read the job's state.
  state=$(scontrol show job "$merge" 2>/dev/null | sed -n 's/.*JobState=\([A-Z_]*\).*/\1/p')
  echo "merge job $merge: ${state:-state unknown}, exit code $rc"
  if [ "$state" != COMPLETED ]; then exit $((rc ? rc : 1)); fi
  exit "$rc"
fi
merge=$(sbatch --parsable "${merge_args[@]}" @MERGE_SCRIPT@)
merge=${merge%%;*}
echo "merge job $merge (after@AFTER@:$array) -> "@RUNS_MERGED@"$array"
echo "watch with: squeue -j $array,$merge"
)sh";

// Replaces each @NAME@ of `text` whose NAME is a key of `values`, in one pass
// (a value is never searched for placeholders).
std::string Fill(const std::string& text, const std::map<std::string, std::string>& values) {
  std::string out;
  size_t at = 0;
  while (at < text.size()) {
    size_t open = text.find('@', at);
    size_t close = open == std::string::npos ? open : text.find('@', open + 1);
    if (close == std::string::npos) break;
    auto it = values.find(text.substr(open + 1, close - open - 1));
    if (it == values.end()) {  // a lone @ (such as ${a[@]}): keep it, go on after it
      out += text.substr(at, open + 1 - at);
      at = open + 1;
      continue;
    }
    out += text.substr(at, open - at) + it->second;
    at = close + 1;
  }
  return out + text.substr(std::min(at, text.size()));
}

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
  if (o.merge_after != "ok" && o.merge_after != "any") {
    ThrowUsage("--merge-after", "expected ok or any, got '" + o.merge_after + "'");
  }
  std::string logs = o.job_dir + "/logs";
  std::string group = "-" + o.name + "-slurm-";
  std::string cpus = o.cpus_per_task > 0 ? std::to_string(o.cpus_per_task) : "";
  std::map<std::string, std::string> values = {
      {"N", std::to_string(o.shards)},
      {"LAST", std::to_string(o.shards - 1)},
      {"AFTER", o.merge_after},
      {"CONFIG_TEXT", o.config},
      {"CONFIG", ShellQuote(o.config)},
      {"CTXBENCH", ShellQuote(o.ctxbench)},
      {"OUT_FLAG", o.out.empty() ? "" : " --out " + ShellQuote(o.out)},
      {"RUNS", ShellQuote(o.runs_dir)},
      {"GROUP", ShellQuote(group)},
      {"RUNS_GLOB", ShellQuote(o.runs_dir + "/*" + group)},
      {"RUNS_MERGED", ShellQuote(o.runs_dir + "/<UTC>" + group)},
      {"ARRAY_SCRIPT", ShellQuote(o.job_dir + "/array.sbatch")},
      {"MERGE_SCRIPT", ShellQuote(o.job_dir + "/merge.sbatch")},
  };
  std::string array_directives =
      Directive("--job-name", "ctxbench-" + o.name) + "#SBATCH --array=0-" +
      std::to_string(o.shards - 1) + "\n" + Directive("--output", logs + "/shard-%a.out") +
      CommonDirectives(o) + Directive("--cpus-per-task", cpus) + Directive("--mem", o.mem);
  std::string merge_directives = Directive("--job-name", "ctxbench-" + o.name + "-merge") +
                                 Directive("--output", logs + "/merge.out") + CommonDirectives(o);
  SlurmScripts s;
  values["DIRECTIVES"] = array_directives;
  s.array = Fill(kArrayTemplate, values);
  values["DIRECTIVES"] = merge_directives;
  s.merge = Fill(kMergeTemplate, values);
  s.submit = Fill(kSubmitTemplate, values);
  return s;
}

}  // namespace ctxbench
