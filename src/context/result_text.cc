#include "context/result_text.h"

#include <cstdio>

namespace ctxbench {

std::string FormatMetric(double value) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", value);
  return buf;
}

std::string ExperimentResultText(int number, const std::string& metric, const Json& config,
                                 double value) {
  return "Experiment " + std::to_string(number) + ": config " + config.dump() + " -> validation " +
         metric + " = " + FormatMetric(value);
}

std::string ExperimentFailedText(int number, const Json& config, const std::string& error) {
  return "Experiment " + std::to_string(number) + " failed: config " + config.dump() + ": " + error;
}

}  // namespace ctxbench
