#include "run/run_wide_limits.h"

#include <cmath>
#include <cstdio>

namespace ctxbench {

size_t RunWideLimits::ErrorLimit(double fail_on_error, size_t planned) {
  if (fail_on_error <= 0) return 0;
  if (fail_on_error >= 1) return static_cast<size_t>(fail_on_error);
  double n = std::ceil(fail_on_error * static_cast<double>(planned) - 1e-9);
  return n < 1 ? 1 : static_cast<size_t>(n);
}

RunWideLimits::RunWideLimits(const RunConfig& config, size_t planned)
    : error_limit_(ErrorLimit(config.fail_on_error, planned)),
      cost_limit_(config.run_max_cost_usd) {}

void RunWideLimits::Add(const Outcome& outcome) {
  std::lock_guard<std::mutex> lock(mu_);
  if (outcome.status == EpisodeStatus::kError) ++errors_;
  cost_ += outcome.cost_usd;
}

std::string RunWideLimits::ErrorReason() const {
  if (error_limit_ == 0 || errors_ < error_limit_) return "";
  return "fail_on_error reached: " + std::to_string(errors_) + " episodes errored (limit " +
         std::to_string(error_limit_) +
         "); `ctxbench run --resume RUN --retry-errors` reruns the errored and unfinished ones";
}

std::string RunWideLimits::CostReason() const {
  if (cost_limit_ <= 0 || cost_ < cost_limit_) return "";
  char text[128];
  std::snprintf(text, sizeof text,
                "budget.run_max_cost_usd reached: the episodes cost $%.4f (limit $%.4f)", cost_,
                cost_limit_);
  return text;
}

std::string RunWideLimits::StopReason() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::string errors = ErrorReason();
  return errors.empty() ? CostReason() : errors;
}

std::string RunWideLimits::EndReason(size_t unfinished) const {
  std::lock_guard<std::mutex> lock(mu_);
  if (std::string errors = ErrorReason(); !errors.empty()) return errors;
  if (unfinished == 0) return "";
  std::string cost = CostReason();
  if (cost.empty()) return "";
  return cost + "; " + std::to_string(unfinished) + " episodes not started";
}

}  // namespace ctxbench
