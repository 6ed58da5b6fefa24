// Run-wide limits that stop a run from starting new episodes: fail_on_error
// (errored episodes) and budget.run_max_cost_usd (summed cost). Episodes
// already running finish; the run then ends `failed` with StopReason().
// Thread-safe: workers call Add and StopReason concurrently.
#pragma once

#include <cstddef>
#include <mutex>
#include <string>

#include "agent/outcome.h"
#include "run/run_config.h"

namespace ctxbench {

class RunWideLimits {
 public:
  // `planned`: the run's planned episodes (a fail_on_error fraction is of them).
  RunWideLimits(const RunConfig& config, size_t planned);

  // Counts a finished episode: one run now, or one kept by --resume.
  void Add(const Outcome& outcome);

  // Why no new episode may start, naming the config field; "" while no limit
  // is reached.
  std::string StopReason() const;

  // Why the run ends failed once its workers stopped, with `unfinished`
  // planned episodes not run: fail_on_error reached (even by the last
  // episodes: the run had too many errors), or the cost limit reached while
  // episodes were left unstarted (a limit reached by the last episode
  // stopped nothing). "" if neither.
  std::string EndReason(size_t unfinished) const;

  // The errored-episode count at which fail_on_error stops the run: the count
  // itself, or ceil(fraction × planned) (at least 1); 0 when there is none.
  static size_t ErrorLimit(double fail_on_error, size_t planned);

 private:
  std::string ErrorReason() const;  // REQUIRES: mu_ held
  std::string CostReason() const;   // REQUIRES: mu_ held

  const size_t error_limit_;
  const double cost_limit_;
  mutable std::mutex mu_;
  size_t errors_ = 0;
  double cost_ = 0;
};

}  // namespace ctxbench
