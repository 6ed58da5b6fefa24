// Time behind an interface so tests can control it.
#pragma once

#include <chrono>
#include <string>

namespace ctxbench {

class Clock {
 public:
  virtual ~Clock() = default;
  // Seconds on a monotonic clock, for durations and budgets.
  virtual double MonotonicSeconds() const = 0;
  // Unix epoch seconds, for timestamps in traces.
  virtual double WallSeconds() const = 0;
};

class SystemClock final : public Clock {
 public:
  double MonotonicSeconds() const override;
  double WallSeconds() const override;
  // A process-wide instance.
  static const SystemClock& Get();
};

// A clock that moves only when told to. Not thread-safe.
class FakeClock final : public Clock {
 public:
  double MonotonicSeconds() const override { return now_; }
  double WallSeconds() const override { return 1.7e9 + now_; }
  void Advance(double seconds) { now_ += seconds; }

 private:
  double now_ = 0;
};

// "2026-11-25T18:04:05Z" for `epoch_seconds`.
std::string FormatUtc(double epoch_seconds);
// "20261125-180405" for folder names.
std::string CompactUtc(double epoch_seconds);

}  // namespace ctxbench
