#include "report/comparison.h"

#include <map>
#include <optional>
#include <set>

#include "report/resampling.h"

namespace ctxbench {

PairedDiff TestPairedDiff(const std::vector<double>& differences) {
  return {Mean(differences), BootstrapMean(differences), SignFlipPValue(differences)};
}

namespace {

// Pairs each episode of `episodes` with the control episode of the same task
// and seed, when there is one.
std::optional<PairedComparison> Compare(
    const GroupKey& key, const std::string& control,
    const std::vector<const EpisodeData*>& episodes,
    const std::map<std::pair<std::string, uint64_t>, const EpisodeData*>& controls) {
  PairedComparison c;
  c.key = key;
  c.control = control;
  std::vector<double> d_improvement, d_tokens;
  double tokens = 0, control_tokens = 0, wins = 0, control_wins = 0;
  for (const EpisodeData* e : episodes) {
    auto it = controls.find({e->key.task, e->key.seed});
    if (it == controls.end()) continue;
    const EpisodeData* base = it->second;
    d_improvement.push_back(e->improvement_pct - base->improvement_pct);
    d_tokens.push_back(double(e->total_tokens()) - double(base->total_tokens()));
    tokens += double(e->total_tokens());
    control_tokens += double(base->total_tokens());
    wins += e->success;
    control_wins += base->success;
  }
  c.pairs = static_cast<int>(d_improvement.size());
  if (c.pairs == 0) return std::nullopt;
  c.too_few_seeds = c.pairs < kMinPairsForTest;
  c.improvement = TestPairedDiff(d_improvement);
  c.tokens = TestPairedDiff(d_tokens);
  c.tokens_ratio = control_tokens > 0 ? tokens / control_tokens : 0;
  c.success_rate = wins / c.pairs;
  c.control_success_rate = control_wins / c.pairs;
  return c;
}

}  // namespace

std::vector<PairedComparison> ComparePolicies(const RunData& run, const std::string& control) {
  std::vector<PairedComparison> out;
  for (const GroupKey& key : GroupKeys(run)) {
    if (key.policy == control) continue;
    GroupKey control_key = key;
    control_key.policy = control;
    std::map<std::pair<std::string, uint64_t>, const EpisodeData*> controls;
    for (const EpisodeData* e : GroupEpisodes(run, control_key)) {
      controls[{e->key.task, e->key.seed}] = e;
    }
    if (auto c = Compare(key, control, GroupEpisodes(run, key), controls)) out.push_back(*c);
  }
  return out;
}

std::vector<PairedComparison> ComparePoliciesAcrossTasks(const RunData& run,
                                                         const std::string& control) {
  std::vector<PairedComparison> out;
  // Model × mode × policy in GroupKeys' order, each with its episodes of every task.
  std::vector<GroupKey> keys;
  std::map<GroupKey, std::vector<const EpisodeData*>> episodes;
  for (const GroupKey& key : GroupKeys(run)) {
    GroupKey k = key;
    k.task = kAllTasks;
    if (!episodes.count(k)) keys.push_back(k);
    auto group = GroupEpisodes(run, key);
    episodes[k].insert(episodes[k].end(), group.begin(), group.end());
  }
  for (const GroupKey& k : keys) {
    if (k.policy == control) continue;
    GroupKey control_key = k;
    control_key.policy = control;
    auto it = episodes.find(control_key);
    if (it == episodes.end()) continue;
    std::map<std::pair<std::string, uint64_t>, const EpisodeData*> controls;
    for (const EpisodeData* e : it->second) controls[{e->key.task, e->key.seed}] = e;
    std::set<std::string> tasks;
    for (const EpisodeData* e : episodes[k]) {
      if (controls.count({e->key.task, e->key.seed})) tasks.insert(e->key.task);
    }
    if (tasks.size() < 2) continue;  // no more than its one task's comparison
    if (auto c = Compare(k, control, episodes[k], controls)) out.push_back(*c);
  }
  return out;
}

}  // namespace ctxbench
