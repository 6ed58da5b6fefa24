// `ctxbench compare RUN_A RUN_B`: two runs (e.g. two models on the same grid)
// side by side, per task × mode × policy, with paired differences on the
// seeds both runs share.
#pragma once

#include <string>

#include "report/run_data.h"

namespace ctxbench {

// A Markdown document: both runs' header facts, then one row per task × mode
// × policy present in either run (model names may differ between the runs;
// a run with several models contributes one row per model). Deterministic.
std::string CompareRunsMarkdown(const RunData& a, const RunData& b);

}  // namespace ctxbench
