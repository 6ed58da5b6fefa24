#include "run/slurm_script.h"

#include <gtest/gtest.h>

#include "core/error.h"

namespace ctxbench {
namespace {

SlurmJobOptions Options() {
  SlurmJobOptions o;
  o.name = "grid";
  o.config = "/home/u/config.json";
  o.ctxbench = "/opt/ctxbench/bin/ctxbench";
  o.workdir = "/home/u";
  o.job_dir = "/home/u/slurm/job";
  o.runs_dir = "/home/u/runs";
  o.shards = 4;
  return o;
}

bool Has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(SlurmScriptTest, ArrayRunsOneShardPerZeroBasedTask) {
  SlurmJobOptions o = Options();
  o.partition = "cpu";
  o.cpus_per_task = 8;
  o.mem = "4G";
  o.time = "02:00:00";
  SlurmScripts s = MakeSlurmScripts(o);
  EXPECT_TRUE(Has(s.array, "#SBATCH --array=0-3\n")) << s.array;
  EXPECT_TRUE(Has(s.array, "#SBATCH --partition=cpu\n"));
  EXPECT_TRUE(Has(s.array, "#SBATCH --cpus-per-task=8\n"));
  EXPECT_TRUE(Has(s.array, "#SBATCH --mem=4G\n"));
  EXPECT_TRUE(Has(s.array, "#SBATCH --time=02:00:00\n"));
  EXPECT_TRUE(Has(s.array, "#SBATCH --chdir=/home/u\n"));
  EXPECT_TRUE(Has(s.array, "#SBATCH --output=/home/u/slurm/job/logs/shard-%a.out\n"));
  EXPECT_TRUE(Has(s.array,
                  "'/opt/ctxbench/bin/ctxbench' run --config '/home/u/config.json' "
                  "--shard \"$SLURM_ARRAY_TASK_ID/4\""))
      << s.array;
  EXPECT_FALSE(Has(s.array, " --out "));  // the config's out_dir
  EXPECT_EQ(s.array.rfind("#!/bin/bash\n", 0), 0u);
}

TEST(SlurmScriptTest, MergeJobFindsTheArraysShardsAndSubmitChainsWithAfterok) {
  SlurmJobOptions o = Options();
  o.out = "/scratch/runs";
  SlurmScripts s = MakeSlurmScripts(o);
  EXPECT_TRUE(Has(s.array, " --out '/scratch/runs'"));
  EXPECT_TRUE(Has(s.merge, "*'-grid-slurm-'\"$array\"-shard-*-of-4)")) << s.merge;
  EXPECT_TRUE(Has(s.merge, "' merge \"$runs/$(date -u +%Y%m%d-%H%M%S)\"'-grid-slurm-'\"$array\""))
      << s.merge;
  EXPECT_FALSE(Has(s.merge, "--array"));
  EXPECT_TRUE(Has(s.submit, "array=$(sbatch --parsable '/home/u/slurm/job/array.sbatch')"));
  EXPECT_TRUE(Has(s.submit, "--dependency=afterok:\"$array\""));
  EXPECT_TRUE(Has(s.submit, "export CTXBENCH_ARRAY_JOB_ID=\"$array\""));
  // Not passed in an --export list: that makes slurmd load the user's login
  // environment before the merge job starts.
  EXPECT_TRUE(Has(s.submit, "--export=ALL)"));
  EXPECT_FALSE(Has(s.submit, "--export=ALL,"));
  EXPECT_TRUE(Has(s.submit, "sbatch --wait"));
}

TEST(SlurmScriptTest, MergeAfterAnyUsesAfterany) {
  SlurmJobOptions o = Options();
  o.merge_after = "any";
  SlurmScripts s = MakeSlurmScripts(o);
  EXPECT_TRUE(Has(s.submit, "--dependency=afterany:\"$array\"")) << s.submit;
  EXPECT_FALSE(Has(s.submit, "afterok"));
}

TEST(SlurmScriptTest, ExtraOptionsGoToBothJobs) {
  SlurmJobOptions o = Options();
  o.sbatch_args = {"--qos=low"};
  o.account = "proj";
  SlurmScripts s = MakeSlurmScripts(o);
  for (const std::string* script : {&s.array, &s.merge}) {
    EXPECT_TRUE(Has(*script, "#SBATCH --qos=low\n"));
    EXPECT_TRUE(Has(*script, "#SBATCH --account=proj\n"));
  }
}

TEST(SlurmScriptTest, ValuesThatCannotBeDirectivesAreRefused) {
  SlurmJobOptions o = Options();
  o.partition = "a b";
  EXPECT_THROW(MakeSlurmScripts(o), Error);
  o = Options();
  o.sbatch_args = {"qos=low"};
  EXPECT_THROW(MakeSlurmScripts(o), Error);
  o = Options();
  o.shards = 0;
  EXPECT_THROW(MakeSlurmScripts(o), Error);
  o = Options();
  o.merge_after = "notok";
  EXPECT_THROW(MakeSlurmScripts(o), Error);
}

TEST(SlurmScriptTest, ValuesAreNotSearchedForPlaceholders) {
  SlurmJobOptions o = Options();
  o.config = "/home/u/@N@/it's.json";
  SlurmScripts s = MakeSlurmScripts(o);
  EXPECT_TRUE(Has(s.array, "--config '/home/u/@N@/it'\\''s.json'")) << s.array;
  EXPECT_TRUE(Has(s.merge, "\"${shards[@]}\"")) << s.merge;  // bash's own @ is kept
  for (const std::string* script : {&s.array, &s.merge, &s.submit}) {
    EXPECT_FALSE(Has(*script, "@CONFIG@") || Has(*script, "@RUNS@") || Has(*script, "@GROUP@"));
  }
}

TEST(SlurmScriptTest, ShellQuoteSurvivesQuotes) {
  EXPECT_EQ(ShellQuote("a'b c"), "'a'\\''b c'");
  EXPECT_EQ(ShellQuote(""), "''");
}

}  // namespace
}  // namespace ctxbench
