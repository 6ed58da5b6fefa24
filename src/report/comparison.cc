#include "report/comparison.h"

#include <map>

#include "report/resampling.h"

namespace ctxbench {

PairedDiff TestPairedDiff(const std::vector<double>& differences) {
  return {Mean(differences), BootstrapMean(differences), SignFlipPValue(differences)};
}

std::vector<PairedComparison> ComparePolicies(const RunData& run, const std::string& control) {
  std::vector<PairedComparison> out;
  for (const GroupStats& g : Aggregate(run)) {
    if (g.key.policy == control) continue;
    GroupKey control_key = g.key;
    control_key.policy = control;
    std::map<uint64_t, const EpisodeData*> by_seed;
    for (const EpisodeData* e : GroupEpisodes(run, control_key)) by_seed[e->key.seed] = e;
    if (by_seed.empty()) continue;
    PairedComparison c;
    c.key = g.key;
    c.control = control;
    std::vector<double> d_improvement, d_tokens;
    double tokens = 0, control_tokens = 0, wins = 0, control_wins = 0;
    for (const EpisodeData* e : GroupEpisodes(run, g.key)) {
      auto it = by_seed.find(e->key.seed);
      if (it == by_seed.end()) continue;
      const EpisodeData* base = it->second;
      d_improvement.push_back(e->improvement_pct - base->improvement_pct);
      d_tokens.push_back(double(e->total_tokens()) - double(base->total_tokens()));
      tokens += double(e->total_tokens());
      control_tokens += double(base->total_tokens());
      wins += e->success;
      control_wins += base->success;
    }
    c.pairs = static_cast<int>(d_improvement.size());
    if (c.pairs == 0) continue;
    c.too_few_seeds = c.pairs < kMinPairsForTest;
    c.improvement = TestPairedDiff(d_improvement);
    c.tokens = TestPairedDiff(d_tokens);
    c.tokens_ratio = control_tokens > 0 ? tokens / control_tokens : 0;
    c.success_rate = wins / c.pairs;
    c.control_success_rate = control_wins / c.pairs;
    out.push_back(c);
  }
  return out;
}

}  // namespace ctxbench
