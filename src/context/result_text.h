// The text formats of experiment results, shared by the prompts the agent
// sees and the sections policies write (state, summaries, retrieved memory).
#pragma once

#include <string>

#include "core/json.h"

namespace ctxbench {

// "0.123457": 6 significant digits.
std::string FormatMetric(double value);
// "Experiment 3: config {...} -> validation mae = 0.1234"
std::string ExperimentResultText(int number, const std::string& metric, const Json& config,
                                 double value);
// "Experiment 3 failed: config {...}: <error>"
std::string ExperimentFailedText(int number, const Json& config, const std::string& error);

}  // namespace ctxbench
