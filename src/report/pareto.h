// The efficiency view: which policies are Pareto-optimal in (fewer tokens,
// more improvement).
#pragma once

#include <cstddef>
#include <vector>

namespace ctxbench {

struct EfficiencyPoint {
  double tokens = 0;       // cost axis: lower is better
  double improvement = 0;  // benefit axis: higher is better
};

// Indices of the points no other point dominates (at most as many tokens and
// at least as much improvement, strictly better in one), sorted by tokens.
// Exact duplicates are all kept.
std::vector<size_t> ParetoFrontier(const std::vector<EfficiencyPoint>& points);

}  // namespace ctxbench
