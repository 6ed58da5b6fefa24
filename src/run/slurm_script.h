// The Slurm job scripts `ctxbench slurm` writes: a job array with one task
// per shard (`ctxbench run --shard $SLURM_ARRAY_TASK_ID/N`), a merge job
// (`ctxbench merge`) that the submit script makes depend on the array with
// `afterok`, and submit.sh, which submits both with `sbatch --parsable`.
// docs/scaling.md shows the files and the cluster settings they rely on.
//
// Shard folders land in the runs folder as
// <UTC>-<name>-slurm-<array job id>-shard-I-of-N, and the merged run as
// <UTC>-<name>-slurm-<array job id>; submit.sh passes the array job id to the
// merge job in CTXBENCH_ARRAY_JOB_ID.
//
// Error channel: pure text generation; MakeSlurmScripts throws a usage
// ctxbench::Error for a value that cannot go on an #SBATCH line (whitespace)
// and for a merge_after other than "ok" or "any".
#pragma once

#include <string>
#include <vector>

namespace ctxbench {

struct SlurmJobOptions {
  std::string name;      // the config's name (job names, folder names)
  std::string config;    // absolute path of the config file
  std::string ctxbench;  // absolute path of the ctxbench binary the jobs run
  std::string workdir;   // the jobs' working folder (#SBATCH --chdir): .env, relative paths
  std::string job_dir;   // absolute folder of the scripts; logs go to job_dir/logs
  std::string out;       // `--out` for the runs; "" = the config's out_dir
  std::string runs_dir;  // where the run folders land (out or the config's out_dir)
  int shards = 1;
  // Optional #SBATCH settings; "" / 0 leave them to the cluster's defaults.
  std::string partition;
  std::string time;
  std::string mem;
  std::string account;
  int cpus_per_task = 0;
  std::vector<std::string> sbatch_args;  // extra #SBATCH lines, e.g. "--qos=low"
  // When the merge job may start: "ok" (afterok: every shard task exited 0)
  // or "any" (afterany: every task ended; merge itself then refuses shards
  // that do not cover the plan, and carries an errored shard's status over).
  std::string merge_after = "ok";
};

struct SlurmScripts {
  std::string array;   // array.sbatch
  std::string merge;   // merge.sbatch
  std::string submit;  // submit.sh
};

SlurmScripts MakeSlurmScripts(const SlurmJobOptions& options);

// `text` quoted for bash: 'text' with each ' written as '\''.
std::string ShellQuote(const std::string& text);

}  // namespace ctxbench
