#include "run/plan.h"

namespace ctxbench {

std::vector<EpisodeKey> PlanEpisodes(const RunConfig& c) {
  std::vector<EpisodeKey> keys;
  for (const auto& task : c.tasks) {
    for (const auto& policy : c.policies) {
      for (const auto& model : c.models) {
        for (const auto& mode : c.modes) {
          for (uint64_t seed : c.seeds) keys.push_back({task, policy.name, model.name, mode, seed});
        }
      }
    }
  }
  return keys;
}

}  // namespace ctxbench
