// `ctxbench train`: one training of a tune task's XGBoost learner from a
// params file, the experiment command of a workspace task that runs ctxbench
// itself (tasks/toy_tabular_ws). The config is the task's baseline with the
// params file's knobs on top, trained on the task's train split and scored on
// its validation split (and, on request, the held-out test split).
//
// Error channel: throws ctxbench::Error; input errors name the file and, for
// a bad knob, the knob and its allowed range.
#pragma once

#include <cstdint>
#include <string>

#include "core/json.h"
#include "tasks/learner.h"
#include "tasks/task_spec.h"

namespace ctxbench {

struct TrainRequest {
  std::string task;         // a folder holding task.json, or a task name in `task_dirs`
  std::string params_path;  // JSON object of knob values
  std::string data_dir;     // for tasks with prepared data
  uint64_t seed = 1;        // data generation and split (as an episode seed)
  int threads = 1;          // XGBoost threads
};

struct TrainReport {
  std::string task_name;
  std::string metric;
  Json config;  // the canonical config trained
  Evaluation evaluation;
};

// Loads the task (kind tune) and params, trains once. Throws an input error
// naming the file when the task or params are bad, a runtime error when
// training fails.
TrainReport TrainFromParams(const TrainRequest& request, const std::vector<std::string>& task_dirs);

// What the metrics file holds: {"<metric>": valid, "train_seconds": s}.
Json TrainMetricsJson(const TrainReport& report);

}  // namespace ctxbench
