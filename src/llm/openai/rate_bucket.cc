#include "llm/openai/rate_bucket.h"

#include <algorithm>

namespace ctxbench {

RateBucket::RateBucket(double per_minute)
    : capacity_(per_minute), per_second_(per_minute / 60.0), level_(per_minute) {}

double RateBucket::Take(double now, double amount) {
  if (last_ >= 0 && now > last_) {
    level_ = std::min(capacity_, level_ + (now - last_) * per_second_);
  }
  if (last_ < 0 || now > last_) last_ = now;
  level_ -= amount;
  return level_ >= 0 ? 0.0 : -level_ / per_second_;
}

}  // namespace ctxbench
