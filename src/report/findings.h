// Headline findings: sentences generated from the paired comparisons and the
// efficiency frontier, e.g. "window3 used 38% of full's tokens with no loss
// in success (3/3 vs 3/3; Δ improvement +0.2 points, p=0.75)".
#pragma once

#include <string>
#include <vector>

#include "report/comparison.h"
#include "report/run_data.h"

namespace ctxbench {

// When episodes errored, first a sentence counting them per group (they are
// outside every statistic); then one sentence per comparison (saying how many
// pairs were dropped for an errored side), then one per task × model × mode
// naming the Pareto-efficient policies. Plain text (Markdown-safe: no markup).
std::vector<std::string> Findings(const RunData& run,
                                  const std::vector<PairedComparison>& comparisons);

}  // namespace ctxbench
