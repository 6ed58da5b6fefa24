// Training and scoring a config: XGBoost through its C API.
#pragma once

#include <cstddef>
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
// `nthread`) and a memo of up to `memo_entries` evaluations (0: none), keyed
// by everything a result depends on: the task (name, problem, metric, fixed
// params), the split's content hash, the canonical config, the seed and
// `threads` (tasks/evaluation_memo.h). An identical evaluation asked again,
// or asked while another thread trains it, is answered from the memo with
// `cached` true and the first training's `train_seconds`. It builds the
// XGBoost matrices of a split (data, labels, the quantised histogram index)
// once and reuses them across evaluations and episodes; concurrent
// evaluations of one split each get their own set.
inline constexpr size_t kDefaultLearnerMemoEntries = 16384;
std::unique_ptr<Learner> MakeXgboostLearner(int threads,
                                            size_t memo_entries = kDefaultLearnerMemoEntries);

// The memo size for a run's learner: $CTXBENCH_LEARNER_MEMO when set (a
// count of evaluations; 0 turns the memo off), else
// kDefaultLearnerMemoEntries. Throws an input error naming the variable when
// it is not a count.
size_t LearnerMemoEntriesFromEnv();

}  // namespace ctxbench
