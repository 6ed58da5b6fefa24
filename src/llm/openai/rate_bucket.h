// A token bucket for a per-minute allowance (requests or tokens per minute),
// used by CallGate. It holds at most one minute's allowance, refills
// continuously, and works by reservation: Take() always takes what is asked
// (the level may go below zero) and says how long the caller must wait before
// the amount it took is covered. So a request larger than the whole allowance
// still goes, later, and the long-run rate never exceeds the allowance.
//
// Not thread-safe: CallGate guards it with its mutex. Time comes in as an
// argument, so tests need no clock.
#pragma once

namespace ctxbench {

class RateBucket {
 public:
  // REQUIRES: per_minute > 0. The bucket starts full.
  explicit RateBucket(double per_minute);

  // Takes `amount` at monotonic time `now` (seconds; never earlier than a
  // previous call's) and returns the seconds to wait before using it (0 if
  // the bucket covered it).
  double Take(double now, double amount);

 private:
  double capacity_;
  double per_second_;
  double level_;
  double last_ = -1;  // < 0: not used yet
};

}  // namespace ctxbench
