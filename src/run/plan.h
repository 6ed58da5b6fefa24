// The plan: the grid of episode keys a run config describes, in a fixed order
// (task, policy, model, mode, seed).
#pragma once

#include <vector>

#include "run/run_config.h"
#include "core/episode_key.h"

namespace ctxbench {

std::vector<EpisodeKey> PlanEpisodes(const RunConfig& config);

}  // namespace ctxbench
