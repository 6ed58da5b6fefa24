// The `state` section: a structured state the harness keeps from the log
// (goal and metric, baseline, experiments config -> metric, best so far,
// errors seen, notes, clarification hints).
#pragma once

#include "context/draft.h"

namespace ctxbench {

struct StateOptions {
  size_t best_experiments = 10;   // rows of the best experiments
  size_t recent_experiments = 5;  // rows of the latest experiments not among the best
  size_t errors = 3;
  size_t notes = 5;
};

// Costs O(rows shown), not O(history): it reads the index's ranked lists.
Section StateSection(const std::vector<Event>& events, const LogIndex& index,
                     const StateOptions& options);

}  // namespace ctxbench
