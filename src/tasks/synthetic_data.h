// Synthetic tabular data generated from a seed (the `toy_tabular` task).
#pragma once

#include <cstdint>

#include "tasks/dataset.h"

namespace ctxbench {

// A classification problem that boosted trees can learn but not trivially:
// about a third of the `features` are informative (a linear part plus
// interactions, a sine and a square), one is a noisy copy of an informative
// one, the rest are noise; 5% of labels are flipped. Classes are balanced
// (score quantiles). Same arguments, same data. REQUIRES: rows >= 20,
// features >= 4, num_classes >= 2.
Dataset MakeClassificationData(int rows, int features, int num_classes, uint64_t seed);

}  // namespace ctxbench
