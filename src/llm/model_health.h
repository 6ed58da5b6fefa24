// Whether one configured model of a run can still be called: shared by every
// instance of that model (one per episode), so that an answer that rules the
// model out for all episodes (a 401, a 403, a 404 for the model) or a run of
// failed connections (the circuit breaker) stops them all at once.
//
// Thread safety: every member is safe to call from any thread.
#pragma once

#include <atomic>
#include <mutex>
#include <optional>
#include <string>

namespace ctxbench {

class ModelHealth {
 public:
  ModelHealth() = default;
  ModelHealth(const ModelHealth&) = delete;
  ModelHealth& operator=(const ModelHealth&) = delete;

  // nullopt while the model is available; else why it is not (one line).
  std::optional<std::string> Unavailable() const;
  bool available() const { return !unavailable_.load(std::memory_order_acquire); }

  // Marks the model unavailable for the rest of the run. The first reason
  // wins; later calls change nothing.
  void MarkUnavailable(const std::string& reason);

  // A call got no connection (refused, name not resolved, connect timeout);
  // `detail` says which. After `threshold` such failures in a row, with no
  // HTTP answer between them, the circuit breaker opens: the model is marked
  // unavailable naming the count and the last `detail`. threshold <= 0: never.
  void RecordConnectionFailure(const std::string& detail, int threshold);
  // The endpoint answered (any HTTP status): the run of failures starts over.
  void RecordAnswer();

  // True exactly once after the model became unavailable: to the caller
  // that should report it (so the reason is printed once per run, not once
  // per episode).
  bool TakeReport();

 private:
  mutable std::mutex mu_;
  std::string reason_;            // guarded by mu_
  int consecutive_failures_ = 0;  // guarded by mu_
  std::atomic<bool> unavailable_{false};
  std::atomic<bool> reported_{false};
};

}  // namespace ctxbench
