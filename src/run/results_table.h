// The table printed at the end of a run: per task × policy × mode × model,
// over seeds, success rate, mean improvement, mean tokens and mean wall time.
#pragma once

#include <string>
#include <vector>

#include "agent/outcome.h"
#include "core/episode_key.h"

namespace ctxbench {

struct EpisodeResult {
  EpisodeKey key;
  Outcome outcome;
};

std::string ResultsTable(const std::vector<EpisodeResult>& results);

}  // namespace ctxbench
