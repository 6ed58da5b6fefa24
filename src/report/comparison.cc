#include "report/comparison.h"

#include <limits>
#include <map>
#include <optional>
#include <set>

#include "report/resampling.h"

namespace ctxbench {

PairedDiff TestPairedDiff(const std::vector<double>& differences) {
  return {Mean(differences), BootstrapMean(differences), SignFlipPValue(differences)};
}

namespace {

using SeedKey = std::pair<std::string, uint64_t>;  // task, seed

// One side of a comparison: its complete episodes by task and seed, and the
// task and seeds where it errored.
struct Side {
  std::vector<const EpisodeData*> in_order;  // complete ones, in the order added
  std::map<SeedKey, const EpisodeData*> complete;
  std::set<SeedKey> errored;

  void Add(const std::vector<const EpisodeData*>& done,
           const std::vector<const EpisodeData*>& failed) {
    in_order.insert(in_order.end(), done.begin(), done.end());
    for (const EpisodeData* e : done) complete[{e->key.task, e->key.seed}] = e;
    for (const EpisodeData* e : failed) errored.insert({e->key.task, e->key.seed});
  }
  bool Has(const SeedKey& k) const { return complete.count(k) || errored.count(k); }
};

// Pairs each complete episode of `side` with the control's complete episode
// of the same task and seed; a seed both finished with an error on either
// side is a dropped pair. nullopt when there is neither a pair nor a dropped
// one.
std::optional<PairedComparison> Compare(const GroupKey& key, const std::string& control,
                                        const Side& side, const Side& controls) {
  PairedComparison c;
  c.key = key;
  c.control = control;
  for (const SeedKey& k : side.errored) c.dropped_pairs += controls.Has(k);
  for (const SeedKey& k : controls.errored) {
    c.dropped_pairs += side.complete.count(k) > 0;  // errored on both sides: counted above
  }
  std::vector<double> d_improvement, d_tokens;
  double tokens = 0, control_tokens = 0, wins = 0, control_wins = 0;
  for (const EpisodeData* e : side.in_order) {
    auto it = controls.complete.find({e->key.task, e->key.seed});
    if (it == controls.complete.end()) continue;
    const EpisodeData* base = it->second;
    d_improvement.push_back(e->improvement_pct - base->improvement_pct);
    d_tokens.push_back(double(e->total_tokens()) - double(base->total_tokens()));
    tokens += double(e->total_tokens());
    control_tokens += double(base->total_tokens());
    wins += e->success;
    control_wins += base->success;
  }
  c.pairs = static_cast<int>(d_improvement.size());
  if (c.pairs == 0 && c.dropped_pairs == 0) return std::nullopt;
  c.too_few_seeds = c.pairs < kMinPairsForTest;
  c.improvement = TestPairedDiff(d_improvement);
  c.tokens = TestPairedDiff(d_tokens);
  c.tokens_ratio = control_tokens > 0 ? tokens / control_tokens : 0;
  const double nan = std::numeric_limits<double>::quiet_NaN();
  c.success_rate = c.pairs ? wins / c.pairs : nan;
  c.control_success_rate = c.pairs ? control_wins / c.pairs : nan;
  return c;
}

}  // namespace

std::vector<PairedComparison> ComparePolicies(const RunData& run, const std::string& control) {
  std::vector<PairedComparison> out;
  for (const GroupKey& key : GroupKeys(run)) {
    if (key.policy == control) continue;
    GroupKey control_key = key;
    control_key.policy = control;
    Side side, controls;
    side.Add(GroupEpisodes(run, key), GroupErrored(run, key));
    controls.Add(GroupEpisodes(run, control_key), GroupErrored(run, control_key));
    if (auto c = Compare(key, control, side, controls)) out.push_back(*c);
  }
  return out;
}

std::vector<PairedComparison> ComparePoliciesAcrossTasks(const RunData& run,
                                                         const std::string& control) {
  std::vector<PairedComparison> out;
  // Model × mode × policy in GroupKeys' order, each with its episodes of every task.
  std::vector<GroupKey> keys;
  std::map<GroupKey, Side> sides;
  for (const GroupKey& key : GroupKeys(run)) {
    GroupKey k = key;
    k.task = kAllTasks;
    if (!sides.count(k)) keys.push_back(k);
    sides[k].Add(GroupEpisodes(run, key), GroupErrored(run, key));
  }
  for (const GroupKey& k : keys) {
    if (k.policy == control) continue;
    GroupKey control_key = k;
    control_key.policy = control;
    auto it = sides.find(control_key);
    if (it == sides.end()) continue;
    const Side& side = sides[k];
    std::set<std::string> tasks;  // tasks both policies finished on some seed
    for (const auto& entry : side.complete) {
      if (it->second.Has(entry.first)) tasks.insert(entry.first.first);
    }
    for (const SeedKey& seed_key : side.errored) {
      if (it->second.Has(seed_key)) tasks.insert(seed_key.first);
    }
    if (tasks.size() < 2) continue;  // no more than its one task's comparison
    if (auto c = Compare(k, control, side, it->second)) out.push_back(*c);
  }
  return out;
}

}  // namespace ctxbench
