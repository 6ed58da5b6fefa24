#include "llm/openai/call_gate.h"

#include <algorithm>
#include <chrono>
#include <thread>

#include "core/log.h"

namespace ctxbench {

namespace {

// Successes at the cap, per connection, before the cap grows by one when it
// has reached the level just below the last 429: about this many round trips
// of probing for each connection gained.
constexpr int kProbeRounds = 4;

void RealSleep(double seconds) {
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
}

}  // namespace

CallGate::CallGate(CallLimits limits, const Clock* clock, Sleep sleep)
    : limits_(limits),
      clock_(clock),
      sleep_(sleep ? std::move(sleep) : Sleep(RealSleep)),
      cap_(std::max(1, limits.max_connections)) {
  if (limits_.requests_per_minute > 0) requests_.emplace(limits_.requests_per_minute);
  if (limits_.tokens_per_minute > 0) tokens_.emplace(limits_.tokens_per_minute);
}

CallGate::Permit::Permit(Permit&& other) noexcept
    : gate_(other.gate_), epoch_(other.epoch_), at_cap_(other.at_cap_) {
  other.gate_ = nullptr;
}

CallGate::Permit::~Permit() { Finish(0); }

void CallGate::Permit::Finish(int http_status) {
  if (!gate_) return;
  gate_->Finish(*this, http_status);
  gate_ = nullptr;
}

CallGate::Permit CallGate::Acquire(double tokens) {
  double wait = 0;
  uint64_t epoch;
  bool at_cap;
  {
    std::unique_lock<std::mutex> lock(mu_);
    freed_.wait(lock, [&] { return in_flight_ < cap_; });
    ++in_flight_;
    epoch = epoch_;
    at_cap = in_flight_ >= cap_;
    ++stats_.calls;
    stats_.peak_in_flight = std::max(stats_.peak_in_flight, in_flight_);
    if (requests_ || tokens_) {
      double now = clock_->MonotonicSeconds();
      if (requests_) wait = std::max(wait, requests_->Take(now, 1));
      if (tokens_) wait = std::max(wait, tokens_->Take(now, std::max(0.0, tokens)));
    }
  }
  Permit permit(this, epoch, at_cap);
  if (wait > 0) sleep_(wait);
  return permit;
}

void CallGate::Finish(const Permit& permit, int http_status) {
  std::lock_guard<std::mutex> lock(mu_);
  --in_flight_;
  if (http_status == 429) ++stats_.rate_limited;
  if (limits_.adaptive && permit.epoch_ == epoch_) {
    if (http_status == 429) {
      // One decrease per overload: later 429s of calls admitted under the
      // old cap do not lower it again.
      ceiling_ = cap_;
      cap_ = std::max(1, cap_ / 2);
      successes_ = 0;
      ++epoch_;
      LogDebug("connection cap lowered to " + std::to_string(cap_) + " after a 429");
    } else if (http_status >= 200 && http_status < 300 && permit.at_cap_ &&
               cap_ < limits_.max_connections) {
      // Below the level of the last 429 the cap climbs back at one per
      // success; from there on it probes, one per kProbeRounds round trips.
      int window = cap_ + 1 < ceiling_ ? 1 : kProbeRounds * cap_;
      if (++successes_ >= window) {
        ++cap_;
        successes_ = 0;
        LogDebug("connection cap raised to " + std::to_string(cap_));
      }
    }
  }
  freed_.notify_all();
}

CallGateStats CallGate::stats() const {
  std::lock_guard<std::mutex> lock(mu_);
  CallGateStats s = stats_;
  s.cap = cap_;
  s.in_flight = in_flight_;
  return s;
}

}  // namespace ctxbench
