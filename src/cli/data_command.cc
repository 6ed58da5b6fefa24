// `ctxbench data prepare|fetch <dataset>`: turns raw downloads into the
// prepared datasets that tasks with data kind "prepared" read.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <memory>
#include <string>

#include "cli/commands.h"
#include "core/error.h"
#include "tasks/dataset.h"
#include "tasks/nomad_data.h"

namespace ctxbench {
namespace {

struct DataOptions {
  std::string dataset;
  std::string raw_dir;
  std::string local_source;
  std::string out_dir;
  bool float32 = false;
};

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
}

}  // namespace ctxbench
