#include "report/policy_comparison.h"

#include <cmath>
#include <cstdio>
#include <limits>
#include <map>
#include <optional>
#include <set>

#include "core/metric_direction.h"
#include "report/hypothesis_tests.h"
#include "report/resampling.h"

namespace ctxbench {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Per-task means of `values` (pairs in the order of `task_of`), tasks in first-seen order.
std::vector<double> TaskMeans(const std::vector<double>& values,
                              const std::vector<std::string>& task_of) {
  std::vector<std::string> order;
  std::map<std::string, std::vector<double>> by_task;
  for (size_t i = 0; i < values.size() && i < task_of.size(); ++i) {
    if (!by_task.count(task_of[i])) order.push_back(task_of[i]);
    by_task[task_of[i]].push_back(values[i]);
  }
  std::vector<double> out;
  for (const std::string& t : order) out.push_back(Mean(by_task[t]));
  return out;
}

// (p, smallest p) of the sign-flip test over task means; NaN below 2 tasks.
std::pair<double, double> TaskTest(const std::vector<double>& values,
                                   const std::vector<std::string>& task_of) {
  std::vector<double> means = TaskMeans(values, task_of);
  if (means.size() < 2) return {kNaN, 1};
  return {SignFlipPValue(means), SmallestSignFlipP(means)};
}

}  // namespace

std::string EpisodePrint(const EpisodeData& e) {
  char buf[128];
  std::snprintf(buf, sizeof buf, "%d,%.10g,%lld,%.10g", int(e.outcome.success),
                e.outcome.improvement_pct, e.total_tokens(), e.outcome.best_valid_metric);
  return buf;
}

PairedDiff TestPairedDiff(const std::vector<double>& differences,
                          const std::vector<std::string>& task_of_pair) {
  PairedDiff d;
  d.mean = Mean(differences);
  d.ci = MeanInterval(differences);
  d.p = SignFlipPValue(differences);
  d.nonzero = NonzeroCount(differences);
  d.smallest_p = SmallestSignFlipP(differences);
  std::tie(d.task_p, d.smallest_task_p) = TaskTest(differences, task_of_pair);
  d.pairs_for_power = PairsForPower(d.mean, SampleSd(differences));
  return d;
}

double HeadroomShare(const EpisodeData& e, double reference_best) {
  const Outcome& o = e.outcome;
  double room = reference_best - o.baseline_metric;
  if (!std::isfinite(room) || std::fabs(room) < 1e-12) return kNaN;
  return 100 * (o.best_valid_metric - o.baseline_metric) / room;
}

std::map<std::string, double> ReferenceBest(const RunData& run) {
  std::map<std::string, double> best;
  for (const EpisodeData& e : run.episodes) {
    const Outcome& o = e.outcome;
    auto it = best.find(e.key.task);
    if (it == best.end()) {
      best[e.key.task] = o.best_valid_metric;
    } else if (MetricDirection{o.higher_is_better}.Better(o.best_valid_metric, it->second)) {
      it->second = o.best_valid_metric;
    }
  }
  return best;
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
                                        const Side& side, const Side& controls,
                                        const std::map<std::string, double>& reference) {
  PairedComparison c;
  c.key = key;
  c.control = control;
  for (const SeedKey& k : side.errored) c.dropped_pairs += controls.Has(k);
  for (const SeedKey& k : controls.errored) {
    c.dropped_pairs += side.complete.count(k) > 0;  // errored on both sides: counted above
  }
  std::vector<double> d_success, d_improvement, d_headroom, d_tokens, log_ratio;
  std::vector<std::string> task_of, headroom_task_of, ratio_task_of;
  std::set<std::string> tasks;
  double wins = 0, control_wins = 0;
  for (const EpisodeData* e : side.in_order) {
    auto it = controls.complete.find({e->key.task, e->key.seed});
    if (it == controls.complete.end()) continue;
    const EpisodeData* base = it->second;
    task_of.push_back(e->key.task);
    tasks.insert(e->key.task);
    bool won = e->outcome.success, control_won = base->outcome.success;
    d_success.push_back(double(won) - double(control_won));
    if (won && control_won) ++c.success.counts.both;
    if (won && !control_won) ++c.success.counts.only_policy;
    if (!won && control_won) ++c.success.counts.only_control;
    if (!won && !control_won) ++c.success.counts.neither;
    d_improvement.push_back(e->outcome.improvement_pct - base->outcome.improvement_pct);
    auto ref = reference.find(e->key.task);
    if (ref != reference.end()) {
      double h = HeadroomShare(*e, ref->second), hb = HeadroomShare(*base, ref->second);
      if (std::isfinite(h) && std::isfinite(hb)) {
        d_headroom.push_back(h - hb);
        headroom_task_of.push_back(e->key.task);
      }
    }
    d_tokens.push_back(double(e->total_tokens()) - double(base->total_tokens()));
    if (e->total_tokens() > 0 && base->total_tokens() > 0) {
      log_ratio.push_back(std::log(double(e->total_tokens()) / double(base->total_tokens())));
      ratio_task_of.push_back(e->key.task);
    }
    wins += won;
    control_wins += control_won;
    c.fingerprint += e->key.task + "|" + std::to_string(e->key.seed) + "|" + EpisodePrint(*e) +
                     "|" + EpisodePrint(*base) + ";";
  }
  c.pairs = static_cast<int>(d_improvement.size());
  c.tasks = static_cast<int>(tasks.size());
  if (c.pairs == 0 && c.dropped_pairs == 0) return std::nullopt;
  SuccessDiff& s = c.success;
  s.diff = c.pairs ? double(s.counts.only_policy - s.counts.only_control) / c.pairs : kNaN;
  s.ci = PairedRateDifferenceInterval(s.counts);
  s.p = ExactMcNemarP(s.counts.only_policy, s.counts.only_control);
  std::tie(s.task_p, s.smallest_task_p) = TaskTest(d_success, task_of);
  s.sd = SampleSd(d_success);
  s.pairs_for_power = PairsForPower(s.diff, s.sd);
  c.improvement = TestPairedDiff(d_improvement, task_of);
  c.headroom = TestPairedDiff(d_headroom, headroom_task_of);
  c.tokens = TestPairedDiff(d_tokens, task_of);
  if (!log_ratio.empty()) {
    LabelledInterval li = MeanInterval(log_ratio);
    c.tokens_ratio.ratio = std::exp(Mean(log_ratio));
    c.tokens_ratio.ci = {std::exp(li.ci.lo), std::exp(li.ci.hi)};
    c.tokens_ratio.p = SignFlipPValue(log_ratio);
    c.tokens_ratio.task_p = TaskTest(log_ratio, ratio_task_of).first;
  } else {
    c.tokens_ratio = {kNaN, {kNaN, kNaN}, 1, kNaN};
  }
  c.holm_success = c.holm_headroom = c.holm_tokens = kNaN;
  c.success_rate = c.pairs ? wins / c.pairs : kNaN;
  c.control_success_rate = c.pairs ? control_wins / c.pairs : kNaN;
  return c;
}

// Model × mode × policy with its episodes of every task, in GroupKeys' order.
struct PooledSides {
  std::vector<GroupKey> keys;
  std::map<GroupKey, Side> sides;
};

PooledSides Pool(const RunData& run) {
  PooledSides out;
  for (const GroupKey& key : GroupKeys(run)) {
    GroupKey k = key;
    k.task = kAllTasks;
    if (!out.sides.count(k)) out.keys.push_back(k);
    out.sides[k].Add(GroupEpisodes(run, key), GroupErrored(run, key));
  }
  return out;
}

}  // namespace

std::vector<PairedComparison> ComparePolicies(const RunData& run, const std::string& control) {
  std::vector<PairedComparison> out;
  std::map<std::string, double> reference = ReferenceBest(run);
  for (const GroupKey& key : GroupKeys(run)) {
    if (key.policy == control) continue;
    GroupKey control_key = key;
    control_key.policy = control;
    Side side, controls;
    side.Add(GroupEpisodes(run, key), GroupErrored(run, key));
    controls.Add(GroupEpisodes(run, control_key), GroupErrored(run, control_key));
    if (auto c = Compare(key, control, side, controls, reference)) out.push_back(*c);
  }
  return out;
}

std::vector<PairedComparison> ComparePoliciesAcrossTasks(const RunData& run,
                                                         const std::string& control) {
  std::vector<PairedComparison> out;
  std::map<std::string, double> reference = ReferenceBest(run);
  PooledSides pooled = Pool(run);
  for (const GroupKey& k : pooled.keys) {
    if (k.policy == control) continue;
    GroupKey control_key = k;
    control_key.policy = control;
    auto it = pooled.sides.find(control_key);
    if (it == pooled.sides.end()) continue;
    if (auto c = Compare(k, control, pooled.sides[k], it->second, reference)) out.push_back(*c);
  }
  return out;
}

PairedComparison ComparePooled(const RunData& run, const std::string& model,
                               const std::string& mode, const std::string& policy,
                               const std::string& other) {
  PooledSides pooled = Pool(run);
  GroupKey a{kAllTasks, model, mode, policy}, b{kAllTasks, model, mode, other};
  PairedComparison none;
  none.key = a;
  none.control = other;
  if (!pooled.sides.count(a) || !pooled.sides.count(b)) return none;
  auto c = Compare(a, other, pooled.sides[a], pooled.sides[b], ReferenceBest(run));
  return c ? *c : none;
}

}  // namespace ctxbench
