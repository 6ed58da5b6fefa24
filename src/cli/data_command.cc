// `ctxbench data prepare|fetch <dataset>`: turns raw downloads into the
// prepared datasets that tasks with data kind "prepared" read, fetches
// Kaggle competitions (src/datasets), and `ctxbench data import-mlebench
// DIR` turns an MLE-bench competition into a task.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "core/cancel.h"
#include "core/dotenv.h"
#include "core/env.h"
#include "core/error.h"
#include "datasets/download_progress.h"
#include "datasets/kaggle_fetch.h"
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
  std::string test_labels;
  std::string api_base;
  std::string file;
  double max_unpacked_gb = 20;
  bool float32 = false;
  bool quiet = false;
  bool list = false;
  MlebenchImportOptions mlebench;
};

constexpr const char* kKagglePrefix = "kaggle:";

std::string MetricNames() {
  std::string names;
  for (const CompetitionMetric& m : CompetitionMetrics())
    names += (names.empty() ? "" : ", ") + m.name;
  return names;
}

void CheckDataset(const std::string& name) {
  if (name != "nomad") ThrowUsage("dataset '" + name + "'", "unknown dataset (known: nomad)");
}

void PrintPrepared(const NomadPrepared& p) {
  std::printf("prepared nomad: %zu train rows, %zu test rows", p.train_rows, p.test_rows);
  if (p.labelled_test_rows > 0) {
    std::printf(" (%zu labelled: the hidden test scores on them)", p.labelled_test_rows);
  }
  std::printf(" -> %s\n", p.folder.c_str());
}

void OnFetchSignal(int) { Cancellation::Process().Request(); }

KaggleClient MakeClient(const DataOptions& o) {
  LoadDotenv(".env");  // KAGGLE_USERNAME/KAGGLE_KEY may live there, as model keys do
  std::string base = o.api_base.empty() ? KaggleApiBase(GetEnv) : o.api_base;
  return KaggleClient(base, FindKaggleCredentials(GetEnv));
}

// Prints the competition's data files, one a line (name, size, creation
// date), then a total line.
void ListFiles(const DataOptions& o, const std::string& competition) {
  std::vector<KaggleFile> files = MakeClient(o).ListFiles(competition);
  uint64_t total = 0;
  for (const KaggleFile& f : files) {
    total += f.total_bytes;
    std::printf("%s\t%s\t%s\n", f.name.c_str(), HumanBytes(f.total_bytes).c_str(),
                f.creation_date.c_str());
  }
  std::printf("kaggle:%s: %zu files, %s\n", competition.c_str(), files.size(),
              HumanBytes(total).c_str());
}

void Fetch(const DataOptions& o, int* exit_code) {
  std::signal(SIGINT, OnFetchSignal);
  std::signal(SIGTERM, OnFetchSignal);
  FetchDisplay display{::isatty(STDERR_FILENO) == 1, o.quiet};
  ZipLimits limits;
  limits.max_bytes = UnpackedBytesCap(o.max_unpacked_gb, "--max-unpacked-gb");
  try {
    if (!o.file.empty() && (o.list || o.dataset.rfind(kKagglePrefix, 0) != 0)) {
      ThrowUsage("--file", "fetches one file of kaggle:COMPETITION; not with nomad or --list");
    }
    if (o.list) {
      std::string competition = kNomadCompetition;
      if (o.dataset.rfind(kKagglePrefix, 0) == 0) {
        competition = o.dataset.substr(std::string(kKagglePrefix).size());
      } else {
        CheckDataset(o.dataset);
      }
      CheckCompetitionName(competition);
      ListFiles(o, competition);
      return;
    }
    if (o.dataset.rfind(kKagglePrefix, 0) == 0) {
      std::string competition = o.dataset.substr(std::string(kKagglePrefix).size());
      CheckCompetitionName(competition);
      if (o.out_dir.empty()) ThrowUsage("--to", "required with kaggle:COMPETITION");
      if (!o.local_source.empty() || !o.test_labels.empty() || o.float32) {
        ThrowUsage("kaggle:" + competition,
                   "--local-source, --test-labels and --float32 apply to nomad only");
      }
      if (!o.file.empty()) {
        auto files =
            FetchKaggleFile(MakeClient(o), competition, o.file, o.out_dir, display, limits);
        for (const std::string& f : files) std::printf("%s/%s\n", o.out_dir.c_str(), f.c_str());
        std::printf("fetched kaggle:%s --file %s: %zu file%s -> %s\n", competition.c_str(),
                    o.file.c_str(), files.size(), files.size() == 1 ? "" : "s", o.out_dir.c_str());
        return;
      }
      auto files = FetchKaggleCompetition(MakeClient(o), competition, o.out_dir, display, limits);
      std::printf("fetched kaggle:%s: %zu files -> %s\n", competition.c_str(), files.size(),
                  o.out_dir.c_str());
      return;
    }
    CheckDataset(o.dataset);
    std::string out = o.out_dir.empty() ? DefaultDataDir() : o.out_dir;
    NomadPrepareOptions prep{o.float32, o.test_labels};
    if (!o.local_source.empty()) {
      PrintPrepared(FetchNomad(o.local_source, out, prep));
    } else {
      PrintPrepared(FetchNomadFromKaggle(MakeClient(o), out, prep, display, limits));
    }
  } catch (const CancelledError& e) {
    std::fprintf(stderr, "ctxbench: %s\n", e.what());
    *exit_code = 130;
  }
}

}  // namespace

void AddDataCommand(CLI::App& app, int* exit_code) {
  CLI::App* data = app.add_subcommand("data", "Fetch and prepare datasets that tasks read");
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
  prepare->add_option("--test-labels", opts->test_labels,
                      "CSV of the organisers' labels for test.csv (id, bandgap_energy_ev[, "
                      "formation_energy_ev_natom]): the nomad tasks then score their hidden test "
                      "on it instead of a held-out slice of train.csv (nomad_kaggle needs both "
                      "targets)");
  prepare->callback([opts] {
    CheckDataset(opts->dataset);
    std::string out = opts->out_dir.empty() ? DefaultDataDir() : opts->out_dir;
    PrintPrepared(PrepareNomad(opts->raw_dir, out, {opts->float32, opts->test_labels}));
  });

  CLI::App* fetch = data->add_subcommand(
      "fetch",
      "Download a dataset from Kaggle (or copy it from a mirror folder) and prepare it.\n"
      "  nomad: the NOMAD 2018 competition into <data dir>/nomad, then `data prepare`\n"
      "  kaggle:COMPETITION: every data file of a competition, unpacked into --to DIR\n"
      "  kaggle:COMPETITION --file NAME: one data file (as --list names it) into --to DIR\n"
      "Credentials: KAGGLE_USERNAME and KAGGLE_KEY (environment or ./.env), else\n"
      "$KAGGLE_CONFIG_DIR/kaggle.json or ~/.kaggle/kaggle.json (chmod 600). A 403 means:\n"
      "join the competition and accept its rules on kaggle.com first. Exit codes: 0 done,\n"
      "1 download failed, 2 bad input or credentials, 130 interrupted (nothing half-written).");
  fetch->add_option("dataset", opts->dataset, "nomad or kaggle:COMPETITION")->required();
  fetch->add_option("--to,--out", opts->out_dir,
                    "nomad: data dir to write nomad/ into (default: $CTXBENCH_DATA_DIR or "
                    "./data); kaggle:COMPETITION: folder to unpack into (required)");
  fetch->add_option("--local-source", opts->local_source,
                    "nomad: copy train.csv and test.csv from this mirror folder instead of "
                    "downloading");
  fetch->add_flag("--float32", opts->float32, "nomad: round values to float32 precision");
  fetch->add_option("--test-labels", opts->test_labels,
                    "nomad: the organisers' labelled test set (see `data prepare --help`)");
  fetch->add_option("--kaggle-api", opts->api_base,
                    "Kaggle API base URL (default: $KAGGLE_API_BASE or "
                    "https://www.kaggle.com/api/v1)");
  fetch->add_option("--max-unpacked-gb", opts->max_unpacked_gb,
                    "Refuse an archive that unpacks (as declared, or as written) to more than "
                    "this many GiB, or a --file download larger than that (zip-bomb guard; "
                    "default 20)");
  fetch->add_option("--file", opts->file,
                    "kaggle:COMPETITION: download only this data file (a name `--list` shows) to "
                    "--to DIR/NAME; one Kaggle sends zipped is unpacked there. Capped by "
                    "--max-unpacked-gb");
  fetch->add_flag("--quiet", opts->quiet, "No progress output on stderr");
  fetch->add_flag("--list", opts->list,
                  "Only list the competition's data files (name, size, date) and download "
                  "nothing; --to is not needed");
  fetch->callback([opts, exit_code] { Fetch(*opts, exit_code); });

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
