// One XGBoost evaluation (DMatrix build, training, scoring valid and test) on
// the real NOMAD Kaggle data, at fixed rounds and depth, 1 and 2 threads.
//
// Reads train.csv from $CTXBENCH_NOMAD_RAW, else <repo>/../shared/data/nomad;
// skips with a message when absent. With $CTXBENCH_EXPORT_SPLIT=DIR it also
// writes the split it uses (DIR/train.csv, valid.csv, test.csv) so that
// bench/sklearn_hgb.py can train on exactly the same rows.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>

#include "core/error.h"
#include "core/file.h"
#include "core/source_dir.h"
#include "tasks/csv.h"
#include "tasks/dataset.h"
#include "tasks/learner.h"
#include "tasks/task_spec.h"

namespace ctxbench {
namespace {

namespace fs = std::filesystem;

// Settings shared with bench/sklearn_hgb.py: keep them in step.
constexpr int kRounds = 200;
constexpr int kDepth = 6;
constexpr double kEta = 0.1;
constexpr uint64_t kSeed = 1;

std::string RawDir() {
  const char* env = std::getenv("CTXBENCH_NOMAD_RAW");
  if (env != nullptr && *env != '\0') return env;
  return SourceDir() + "/../shared/data/nomad";
}

TaskSpec BenchTask() {
  Json j = {{"name", "nomad_bench"},
            {"description", "NOMAD bandgap, fixed settings for the learner benchmark"},
            {"data", {{"kind", "csv"}, {"path", "train.csv"}}},
            {"target_column", "bandgap_energy_ev"},
            {"drop_columns", {"id", "formation_energy_ev_natom"}},
            {"problem", "regression"},
            {"metric", "mae"},
            {"knobs",
             {{{"name", "max_depth"}, {"type", "int"}, {"min", 1}, {"max", 12}},
              {{"name", "eta"}, {"type", "float"}, {"min", 0.001}, {"max", 1}},
              {{"name", "num_round"}, {"type", "int"}, {"min", 1}, {"max", 2000}}}},
            {"fixed_params",
             {{"tree_method", "hist"}, {"max_bin", 255}, {"lambda", 0}, {"min_child_weight", 1}}},
            {"baseline", {{"max_depth", kDepth}, {"eta", kEta}, {"num_round", kRounds}}}};
  return TaskSpecFromJson(j, "learner_bench", RawDir());
}

void ExportPart(const Dataset& d, const std::string& path) {
  std::vector<std::string> cells = d.feature_names;
  cells.push_back(d.target_name);
  std::string out = CsvLine(cells);
  char buf[32];
  for (size_t i = 0; i < d.rows; ++i) {
    cells.clear();
    for (size_t j = 0; j <= d.cols; ++j) {
      std::snprintf(buf, sizeof buf, "%.9g", j < d.cols ? d.x[i * d.cols + j] : d.y[i]);
      cells.push_back(buf);
    }
    out += CsvLine(cells);
  }
  WriteFileAtomic(path, out);
}

// Loaded once; null when the raw data is absent.
const Splits* NomadSplits(const TaskSpec& task) {
  static std::unique_ptr<Splits> splits = [&]() -> std::unique_ptr<Splits> {
    if (!fs::exists(RawDir() + "/train.csv")) return nullptr;
    Dataset d = LoadTaskData(task, "", kSeed);
    auto s = std::make_unique<Splits>(SplitDataset(d, 0.2, 0.2, kSeed));
    if (const char* dir = std::getenv("CTXBENCH_EXPORT_SPLIT"); dir != nullptr && *dir != '\0') {
      MakeWritableDir(dir);
      ExportPart(s->train, std::string(dir) + "/train.csv");
      ExportPart(s->valid, std::string(dir) + "/valid.csv");
      ExportPart(s->test, std::string(dir) + "/test.csv");
    }
    return s;
  }();
  return splits.get();
}

void BM_XgboostNomadEvaluation(benchmark::State& state) {
  TaskSpec task = BenchTask();
  const Splits* splits = NomadSplits(task);
  if (splits == nullptr) {
    state.SkipWithError(("NOMAD data not found at " + RawDir() +
                         "/train.csv; set CTXBENCH_NOMAD_RAW to the folder with the Kaggle CSVs")
                            .c_str());
    return;
  }
  int threads = static_cast<int>(state.range(0));
  Evaluation last;
  for (auto _ : state) {
    auto learner = MakeXgboostLearner(threads);  // fresh: no cache hits
    last = learner->Evaluate(task, *splits, task.baseline, kSeed);
    if (!last.ok) {
      state.SkipWithError(last.error.c_str());
      return;
    }
  }
  state.counters["valid_mae"] = last.valid_metric;
  state.counters["test_mae"] = last.test_metric;
  state.counters["train_rows"] = static_cast<double>(splits->train.rows);
  state.counters["rounds"] = kRounds;
  state.counters["depth"] = kDepth;
}
BENCHMARK(BM_XgboostNomadEvaluation)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

// The same evaluation as an episode's learner makes it after its first: one
// learner for the run, so the split's XGBoost matrices and their histogram
// index are built once (in the first, untimed evaluation) and reused. The
// seed changes each time, so the evaluation cache never answers (with these
// settings XGBoost does not use the seed: the results are the same).
void BM_XgboostNomadEvaluationReused(benchmark::State& state) {
  TaskSpec task = BenchTask();
  const Splits* splits = NomadSplits(task);
  if (splits == nullptr) {
    state.SkipWithError(("NOMAD data not found at " + RawDir() + "/train.csv").c_str());
    return;
  }
  int threads = static_cast<int>(state.range(0));
  auto learner = MakeXgboostLearner(threads);
  uint64_t seed = kSeed;
  Evaluation last = learner->Evaluate(task, *splits, task.baseline, seed);
  for (auto _ : state) {
    last = learner->Evaluate(task, *splits, task.baseline, ++seed);
    if (!last.ok || last.cached) {
      state.SkipWithError(last.ok ? "answered from the cache" : last.error.c_str());
      return;
    }
  }
  state.counters["valid_mae"] = last.valid_metric;
  state.counters["test_mae"] = last.test_metric;
}
BENCHMARK(BM_XgboostNomadEvaluationReused)
    ->Arg(1)
    ->Arg(2)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
}  // namespace ctxbench

BENCHMARK_MAIN();
