// Cancellation: a flag that a signal handler may set, waits that end early
// when it is set, and the error a call cut short by it throws.
//
// Thread safety: every member is safe from any thread; Request() is also
// async-signal-safe (one lock-free atomic store).
#pragma once

#include <atomic>
#include <functional>
#include <string>

#include "core/error.h"

namespace ctxbench {

class Cancellation {
 public:
  Cancellation() = default;
  Cancellation(const Cancellation&) = delete;
  Cancellation& operator=(const Cancellation&) = delete;

  // Sets the flag. Async-signal-safe.
  void Request() noexcept { requested_.store(true, std::memory_order_relaxed); }
  bool requested() const noexcept { return requested_.load(std::memory_order_relaxed); }
  // Clears the flag (tests; a process that starts over).
  void Clear() noexcept { requested_.store(false, std::memory_order_relaxed); }

  // Sleeps `seconds` (<= 0: not at all), in slices of at most 50 ms, and
  // returns early when the flag is set or `also` (may be empty) returns true.
  // Returns true when it returned early for either reason.
  bool WaitFor(double seconds, const std::function<bool()>& also = {}) const;

  // The process-wide flag the CLI's SIGINT/SIGTERM handler sets.
  static Cancellation& Process();

 private:
  static_assert(std::atomic<bool>::is_always_lock_free, "Request() must be signal-safe");
  std::atomic<bool> requested_{false};
};

// Thrown by work cut short by a Cancellation (a model call's retry wait or
// transfer). A runtime Error; catch it before Error to tell an interrupted
// episode from a failed one.
class CancelledError : public Error {
 public:
  CancelledError(const std::string& where, const std::string& what)
      : Error(ErrorCode::kRuntime, where, what) {}
};

}  // namespace ctxbench
