// The table printed at the end of a run: per task × policy × mode × model,
// the episodes that completed and those that errored, then over the
// completed ones only (errored episodes are outside the statistics) success
// rate, mean improvement, mean tokens and mean wall time ("n/a" when none
// completed).
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
