// Progress of a run on stderr: episodes done/total, the episode's result and
// the running best, elapsed time and ETA. Thread-safe.
#pragma once

#include <mutex>
#include <string>

#include "agent/outcome.h"
#include "core/clock.h"
#include "core/episode_key.h"

namespace ctxbench {

class Progress {
 public:
  Progress(size_t total, const Clock& clock, bool enabled);
  void EpisodeDone(const EpisodeKey& key, const Outcome& outcome);

 private:
  std::mutex mu_;
  size_t total_;
  size_t done_ = 0;
  int successes_ = 0;
  const Clock& clock_;
  bool enabled_;
  double start_;
};

// "1m05s", "12.3s"
std::string FormatDuration(double seconds);

}  // namespace ctxbench
