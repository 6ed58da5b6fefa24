// The state behind the live views of a run: fed by the episodes' events and
// the grid's start and end (run/run_watcher.h), read as LiveSnapshots.
//
// ETA counts work in episodes: the finished ones plus, for each one in
// flight, the share of it done: its steps over the mean steps of the
// finished episodes, or before any finished, its iterations completed over
// its iteration budget; at most 0.9. So it moves with steps and iterations,
// not only with finished episodes.
//
// Thread safety: every member may be called from any thread.
#pragma once

#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "console/live_snapshot.h"
#include "core/clock.h"
#include "run/run_watcher.h"

namespace ctxbench {

class LiveState {
 public:
  explicit LiveState(const Clock& clock);

  void Start(const GridInfo& info);
  void OnEvent(const EpisodeKey& key, const Event& event);
  // Keeps `line` (one log line) among the warnings shown.
  void AddWarning(const std::string& line);

  // The picture now. Also samples the models' gauges (for the counts over
  // the last minute), so call it at most a few times a second.
  LiveSnapshot Snapshot();

 private:
  struct Episode {
    InFlightEpisode view;
    int iterations_budget = 0;
    double call_started = -1;  // monotonic seconds; < 0: not in a call
  };
  std::optional<double> Eta(double elapsed) const;  // REQUIRES: mu_ held
  static void DropOld(std::deque<std::pair<double, int64_t>>& samples, double now);

  const Clock& clock_;
  mutable std::mutex mu_;
  GridInfo info_;
  double start_ = 0;
  std::map<std::string, Episode> running_;  // by episode id
  std::vector<std::string> order_;          // ids of running_, in start order
  size_t done_ = 0, successes_ = 0, errors_ = 0;
  int64_t finished_steps_ = 0;
  int64_t calls_ = 0, tokens_ = 0, retries_ = 0;
  int64_t summarize_calls_ = 0;  // the summarize policy's model calls
  double summarize_s_ = 0;       // and the seconds they took
  double cost_ = 0;
  std::deque<std::pair<double, int64_t>> retry_times_;      // (time, retries then)
  std::deque<std::pair<double, int64_t>> limited_samples_;  // (time, 429s so far)
  std::deque<std::string> warnings_;
  size_t warnings_total_ = 0;
};

}  // namespace ctxbench
