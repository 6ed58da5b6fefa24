#include "llm/model_health.h"

namespace ctxbench {

std::optional<std::string> ModelHealth::Unavailable() const {
  if (available()) return std::nullopt;
  std::lock_guard<std::mutex> lock(mu_);
  return reason_;
}

void ModelHealth::MarkUnavailable(const std::string& reason) {
  std::lock_guard<std::mutex> lock(mu_);
  if (unavailable_.load(std::memory_order_relaxed)) return;
  reason_ = reason;
  unavailable_.store(true, std::memory_order_release);
}

void ModelHealth::RecordConnectionFailure(const std::string& detail, int threshold) {
  std::lock_guard<std::mutex> lock(mu_);
  ++consecutive_failures_;
  if (threshold <= 0 || consecutive_failures_ < threshold) return;
  if (unavailable_.load(std::memory_order_relaxed)) return;
  reason_ = "circuit breaker open after " + std::to_string(consecutive_failures_) +
            " connection failures in a row (circuit_breaker_failures " + std::to_string(threshold) +
            "); last: " + detail;
  unavailable_.store(true, std::memory_order_release);
}

void ModelHealth::RecordAnswer() {
  std::lock_guard<std::mutex> lock(mu_);
  consecutive_failures_ = 0;
}

bool ModelHealth::TakeReport() {
  if (available()) return false;
  return !reported_.exchange(true);
}

}  // namespace ctxbench
