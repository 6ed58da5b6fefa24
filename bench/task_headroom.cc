// Reports each bundled task's baseline and what a plain coordinate search
// reaches in N iterations (see tasks/headroom.h), per seed. The figures in
// docs/tasks.md come from this program.
//
//   ctxbench_task_headroom [--iterations N] [--seeds 1,2,3] [--data-dir DIR] [task...]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "core/error.h"
#include "tasks/dataset.h"
#include "tasks/headroom.h"
#include "tasks/learner.h"
#include "tasks/task_spec.h"

namespace {

std::vector<uint64_t> ParseSeeds(const std::string& text) {
  std::vector<uint64_t> seeds;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find(',', start);
    if (end == std::string::npos) end = text.size();
    seeds.push_back(std::stoull(text.substr(start, end - start)));
    start = end + 1;
  }
  return seeds;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace ctxbench;
  int iterations = 8;
  std::vector<uint64_t> seeds = {1, 2, 3};
  std::string data_dir = DefaultDataDir();
  std::vector<std::string> names;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--iterations" && i + 1 < argc) {
      iterations = std::atoi(argv[++i]);
    } else if (a == "--seeds" && i + 1 < argc) {
      seeds = ParseSeeds(argv[++i]);
    } else if (a == "--data-dir" && i + 1 < argc) {
      data_dir = argv[++i];
    } else {
      names.push_back(a);
    }
  }
  if (names.empty()) names = ListTasks(DefaultTaskDirs());
  auto learner = MakeXgboostLearner(1);
  try {
    for (const auto& name : names) {
      TaskSpec task = FindTask(name, DefaultTaskDirs());
      for (uint64_t seed : seeds) {
        Dataset data = LoadTaskData(task, data_dir, seed);
        Splits splits = SplitDataset(data, task.valid_fraction, task.test_fraction, seed);
        auto start = std::chrono::steady_clock::now();
        HeadroomReport r = ProbeHeadroom(task, splits, *learner, iterations, seed);
        double secs =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        std::printf(
            "%-14s seed %llu  %s  baseline %.4f  target %.4f  best %.4f (%+.1f%%)  "
            "test %.4f -> %.4f  first success: %s  (%.1f ms/training)\n",
            name.c_str(), static_cast<unsigned long long>(seed), task.metric.c_str(),
            r.baseline_valid, TargetMetric(task, r.baseline_valid), r.best_valid,
            ImprovementPct(task, r.baseline_valid, r.best_valid), r.baseline_test, r.best_test,
            r.first_success ? ("iteration " + std::to_string(r.first_success)).c_str() : "never",
            1000 * secs / (1 + r.steps.size()));
        for (size_t i = 0; i < r.steps.size(); ++i) {
          std::printf("    %zu: %.4f  best %.4f  %s\n", i + 1, r.steps[i].valid_metric,
                      r.steps[i].best_valid, r.steps[i].config.dump().c_str());
        }
        std::printf("    best config: %s\n", r.best_config.dump().c_str());
      }
    }
  } catch (const Error& e) {
    std::fprintf(stderr, "ctxbench_task_headroom: %s\n", e.what());
    return e.exit_code();
  }
  return 0;
}
