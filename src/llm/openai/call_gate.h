// The gate every request to one model passes: at most `max_connections`
// requests in flight across all episodes of a run, optional requests- and
// tokens-per-minute buckets, and, with `adaptive`, a connection cap that
// follows the server (AIMD: halve on a 429, +1 after a window of successes
// at the cap). docs/models.md documents the keys.
//
// One gate per model config per run, shared by that model's instances (the
// runner makes it; ModelContext hands it to MakeModel). GatedTransport puts
// it in front of an HttpTransport, so each attempt of the retry loop passes
// the gate and a retry's backoff holds no connection.
//
// Error channel: none (nothing here throws). Thread-safe.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>

#include "core/clock.h"
#include "llm/openai/call_limits.h"
#include "llm/openai/rate_bucket.h"

namespace ctxbench {

// What a gate saw, for logs and benchmarks.
struct CallGateStats {
  int64_t calls = 0;         // permits given
  int64_t rate_limited = 0;  // of them answered 429
  int peak_in_flight = 0;
  int in_flight = 0;  // permits held now
  int cap = 0;        // the connection cap now
};

class CallGate {
 public:
  using Sleep = std::function<void(double seconds)>;

  // `clock` times the rate buckets; `sleep` waits for them (empty: really
  // sleep). Tests pass a fake clock and a sleep that advances it.
  explicit CallGate(CallLimits limits, const Clock* clock = &SystemClock::Get(), Sleep sleep = {});
  CallGate(const CallGate&) = delete;
  CallGate& operator=(const CallGate&) = delete;

  // One request's passage through the gate. Move-only; destroying a permit
  // that was not finished finishes it as a transport failure (status 0).
  class Permit {
   public:
    Permit(Permit&& other) noexcept;
    Permit& operator=(Permit&&) = delete;
    Permit(const Permit&) = delete;
    ~Permit();
    // Gives the connection back; `http_status` is the answer's status (0: no
    // HTTP answer). A 429 counts as rate limited and, when adaptive, may
    // lower the cap. Idempotent.
    void Finish(int http_status);

   private:
    friend class CallGate;
    Permit(CallGate* gate, uint64_t epoch, bool at_cap)
        : gate_(gate), epoch_(epoch), at_cap_(at_cap) {}
    CallGate* gate_;
    uint64_t epoch_;
    bool at_cap_;
  };

  // Blocks until a connection is free under the current cap, then until the
  // rate buckets cover one request and `tokens` tokens (holding the
  // connection meanwhile, so requests leave in the order the buckets allow).
  Permit Acquire(double tokens);

  const CallLimits& limits() const { return limits_; }
  CallGateStats stats() const;

 private:
  void Finish(const Permit& permit, int http_status);

  const CallLimits limits_;
  const Clock* clock_;
  Sleep sleep_;
  mutable std::mutex mu_;
  std::condition_variable freed_;
  int in_flight_ = 0;
  int cap_;
  int ceiling_ = 0;     // the cap at the last 429 (0: none yet)
  int successes_ = 0;   // at the cap since the last change
  uint64_t epoch_ = 0;  // bumped when the cap is lowered
  std::optional<RateBucket> requests_;
  std::optional<RateBucket> tokens_;
  CallGateStats stats_;
};

}  // namespace ctxbench
