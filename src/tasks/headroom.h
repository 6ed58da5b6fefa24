// How much room a task leaves above its baseline: a plain coordinate search
// over the task's knobs (in spec order) from the baseline config. Used to
// check that bundled tasks are neither trivial nor out of reach, and by
// `ctxbench_task_headroom` (bench/) to report their figures.
#pragma once

#include <cstdint>
#include <vector>

#include "core/json.h"
#include "tasks/learner.h"

namespace ctxbench {

struct HeadroomStep {
  Json config;              // the config tried at this iteration
  double valid_metric = 0;  // its validation metric
  double best_valid = 0;    // best so far, baseline included
  bool met_target = false;  // best so far meets the task's target
};

struct HeadroomReport {
  double baseline_valid = 0;
  double baseline_test = 0;
  double baseline_seconds = 0;
  std::vector<HeadroomStep> steps;
  Json best_config;
  double best_valid = 0;
  double best_test = 0;   // hidden-test metric of the best config
  int first_success = 0;  // 1-based iteration that first met the target; 0 = never
};

// One move per iteration, cycling knobs in spec order, up then down: ints by
// max(1, range/6), log floats by x3 or /3, linear floats by range/4, clamped.
// An improving move is kept and repeated in the same direction. Moves that give
// an already-tried config are skipped. Throws a runtime error if the baseline
// fails to train.
HeadroomReport ProbeHeadroom(const TaskSpec& task, const Splits& splits, Learner& learner,
                             int iterations, uint64_t seed);

}  // namespace ctxbench
