// Training and scoring a config: XGBoost through its C API.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "core/json.h"
#include "tasks/dataset.h"
#include "tasks/task_spec.h"

namespace ctxbench {

struct Evaluation {
  bool ok = false;
  std::string error;        // when !ok: one line for the agent (e.g. a knob out of range)
  double valid_metric = 0;  // what the agent sees
  double test_metric = 0;   // hidden: recorded, never shown to the agent
  double train_seconds = 0;
  bool cached = false;  // an identical evaluation was answered from the cache
};

class Learner {
 public:
  virtual ~Learner() = default;
  // Trains on splits.train with the task's fixed params + config, scores on
  // valid and test. A multi-target task (TaskSpec::other_target_columns)
  // trains one model per target with the same params and seed, and each
  // metric is the mean over targets of the per-target metric. Validates
  // config against the task first (error, not throw).
  // Thread-safe.
  virtual Evaluation Evaluate(const TaskSpec& task, const Splits& splits, const Json& config,
                              uint64_t seed) = 0;
};

// XGBoost learner with `threads` OpenMP threads per training (XGBoost's
// `nthread`) and an in-process cache of identical (task, split, config, seed)
// evaluations. It builds the XGBoost matrices of a split (data, labels, the
// quantised histogram index) once and reuses them across evaluations and
// episodes; concurrent evaluations of one split each get their own set.
std::unique_ptr<Learner> MakeXgboostLearner(int threads);

}  // namespace ctxbench
