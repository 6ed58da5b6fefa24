// `ctxbench data prepare|fetch <dataset>`: turns raw downloads into the
// prepared datasets that tasks with data kind "prepared" read;
// `ctxbench data import-mlebench DIR`: an MLE-bench competition as a task.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <memory>
#include <string>

#include "cli/commands.h"
#include "core/error.h"
#include "tasks/dataset.h"
#include "tasks/metric_registry.h"
#include "tasks/mlebench_import.h"
#include "tasks/nomad_data.h"

namespace ctxbench {
namespace {

struct DataOptions {
  std::string dataset;
  std::string raw_dir;
  std::string local_source;
  std::string out_dir;
  bool float32 = false;
  MlebenchImportOptions mlebench;
};

std::string MetricNames() {
  std::string names;
  for (const CompetitionMetric& m : CompetitionMetrics())
    names += (names.empty() ? "" : ", ") + m.name;
  return names;
}

void CheckDataset(const std::string& name) {
  if (name != "nomad") ThrowUsage("dataset '" + name + "'", "unknown dataset (known: nomad)");
}

void Report(const NomadPrepared& p) {
  std::printf("prepared nomad: %zu train rows, %zu test rows -> %s\n", p.train_rows, p.test_rows,
              p.folder.c_str());
}

}  // namespace

void AddDataCommand(CLI::App& app, int* exit_code) {
  (void)exit_code;  // errors throw; success leaves the exit code at 0
  CLI::App* data = app.add_subcommand("data", "Prepare datasets that tasks read from the data dir");
  data->require_subcommand(1);
  auto opts = std::make_shared<DataOptions>();

  CLI::App* prepare = data->add_subcommand(
      "prepare", "Validate raw downloaded files and write the prepared dataset");
  prepare->add_option("dataset", opts->dataset, "Dataset name (nomad)")->required();
  prepare
      ->add_option("--raw", opts->raw_dir,
                   "Folder with the raw files (nomad: train.csv and test.csv from Kaggle)")
      ->required();
  prepare->add_option("--out", opts->out_dir,
                      "Data dir to write <dataset>/ into (default: $CTXBENCH_DATA_DIR or ./data)");
  prepare->add_flag("--float32", opts->float32, "Round values to float32 precision");
  prepare->callback([opts] {
    CheckDataset(opts->dataset);
    std::string out = opts->out_dir.empty() ? DefaultDataDir() : opts->out_dir;
    Report(PrepareNomad(opts->raw_dir, out, opts->float32));
  });

  CLI::App* fetch = data->add_subcommand(
      "fetch", "Copy the raw files from a local mirror folder, then prepare them");
  fetch->add_option("dataset", opts->dataset, "Dataset name (nomad)")->required();
  fetch
      ->add_option("--local-source", opts->local_source,
                   "Mirror folder holding the raw files (nomad: train.csv, test.csv)")
      ->required();
  fetch->add_option("--out", opts->out_dir,
                    "Data dir to write <dataset>/ into (default: $CTXBENCH_DATA_DIR or ./data)");
  fetch->add_flag("--float32", opts->float32, "Round values to float32 precision");
  fetch->callback([opts] {
    CheckDataset(opts->dataset);
    std::string out = opts->out_dir.empty() ? DefaultDataDir() : opts->out_dir;
    Report(FetchNomad(opts->local_source, out, opts->float32));
  });

  CLI::App* import = data->add_subcommand(
      "import-mlebench",
      "Turn an MLE-bench prepared competition folder (public/, private/, leaderboard.csv) into a "
      "workspace task graded with the competition's metric and medal rule");
  import
      ->add_option("prepared_dir", opts->mlebench.prepared_dir,
                   "The competition's prepared folder (<data>/<id>/prepared)")
      ->required();
  import->add_option("--id", opts->mlebench.competition,
                     "Competition id (default: the folder's name, or its parent's for prepared/)");
  import->add_option("--to", opts->mlebench.to_dir, "Task folder to write (default: tasks/<id>)");
  import->add_option("--metric", opts->mlebench.metric,
                     "The competition's metric (default: known for MLE-bench's Lite tabular "
                     "competitions); one of " +
                         MetricNames());
  import->add_option("--leaderboard", opts->mlebench.leaderboard,
                     "leaderboard.csv (default: beside public/ or one folder up)");
  import->add_option("--valid-fraction", opts->mlebench.valid_fraction,
                     "Share of train.csv held out as the validation slice (default 0.2)");
  import->add_option("--seed", opts->mlebench.seed, "Seed of the validation split (default 2018)");
  import->callback([opts] {
    MlebenchImport r = ImportMlebench(opts->mlebench);
  std::printf(
      "imported %s (%s): %zu train, %zu valid, %zu test rows, leaderboard of %zu teams -> %s\n",
      r.task_name.c_str(), r.metric.c_str(), r.train_rows, r.valid_rows, r.test_rows, r.teams,
      r.task_dir.c_str());
});
}  // namespace ctxbench

}  // namespace ctxbench
