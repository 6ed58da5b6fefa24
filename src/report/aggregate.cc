#include "report/aggregate.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>

namespace ctxbench {

namespace {

size_t IndexIn(const std::vector<std::string>& order, const std::string& v) {
  auto it = std::find(order.begin(), order.end(), v);
  return static_cast<size_t>(it - order.begin());
}

bool InGroup(const EpisodeData& e, const GroupKey& key) {
  return e.key.task == key.task && e.key.model == key.model && e.key.mode == key.mode &&
         e.key.policy == key.policy;
}

// `eps`: the group's complete episodes; `errors`: how many errored.
GroupStats Summarize(const GroupKey& key, const std::vector<const EpisodeData*>& eps, int errors) {
  GroupStats g;
  g.key = key;
  g.episodes = static_cast<int>(eps.size());
  g.errors = errors;
  const double nan = std::numeric_limits<double>::quiet_NaN();
  std::vector<double> improvement, best, test, base_test, tokens, cost, wall, calls, iters,
      to_target, recovered, gaps, context;
  long long steps = 0, invalid = 0, experiments = 0, repeated = 0;
  int valid = 0;
  for (const EpisodeData* e : eps) {
    const Outcome& o = e->outcome;
    g.metric = o.metric;
    g.higher_is_better = o.higher_is_better;
    if (o.success) ++g.successes;
    if (o.final_answer_valid) ++valid;
    improvement.push_back(o.improvement_pct);
    best.push_back(o.best_valid_metric);
    if (o.test_metric) test.push_back(*o.test_metric);
    if (o.baseline_test_metric) base_test.push_back(*o.baseline_test_metric);
    tokens.push_back(static_cast<double>(e->total_tokens()));
    cost.push_back(o.cost_usd);
    wall.push_back(o.wall_seconds);
    calls.push_back(o.llm_calls);
    iters.push_back(o.iterations);
    if (e->iterations_to_target) to_target.push_back(*e->iterations_to_target);
    recovered.push_back(o.errors_recovered);
    if (auto gap = e->claim_gap()) gaps.push_back(*gap);
    context.push_back(o.mean_context_tokens);
    steps += o.steps;
    invalid += o.invalid_actions;
    experiments += e->experiments;
    repeated += o.repeated_configs;
  }
  g.success_rate = g.episodes ? double(g.successes) / g.episodes : nan;
  g.success_ci = WilsonInterval(g.successes, g.episodes);
  g.mean_improvement_pct = Mean(improvement);
  g.mean_improvement_ci = MeanInterval(improvement);
  g.median_improvement_pct = Median(improvement);
  g.median_improvement_ci = MedianInterval(improvement);
  g.mean_best_valid_metric = Mean(best);
  g.mean_test_metric = Mean(test);
  g.tested = static_cast<int>(test.size());
  g.mean_baseline_test_metric = Mean(base_test);
  g.mean_tokens = Mean(tokens);
  g.mean_cost_usd = Mean(cost);
  g.mean_wall_seconds = Mean(wall);
  g.mean_llm_calls = Mean(calls);
  g.mean_iterations = Mean(iters);
  g.reached_target = static_cast<int>(to_target.size());
  g.median_iterations_to_target = Median(to_target);
  g.invalid_action_rate = steps ? double(invalid) / double(steps) : 0;
  g.repeated_config_rate = experiments ? double(repeated) / double(experiments) : 0;
  g.mean_errors_recovered = Mean(recovered);
  g.final_answer_valid_rate = g.episodes ? double(valid) / g.episodes : nan;
  g.claims = static_cast<int>(gaps.size());
  g.mean_claim_gap = Mean(gaps);
  g.mean_context_tokens = Mean(context);
  return g;
}

}  // namespace

void SortByOrder(std::vector<std::string>& values, const std::vector<std::string>& order) {
  std::stable_sort(values.begin(), values.end(), [&](const std::string& a, const std::string& b) {
    size_t ia = IndexIn(order, a), ib = IndexIn(order, b);
    return ia != ib ? ia < ib : a < b;
  });
}

std::vector<const EpisodeData*> GroupEpisodes(const RunData& run, const GroupKey& key) {
  std::vector<const EpisodeData*> out;
  for (const EpisodeData& e : run.episodes) {
    if (InGroup(e, key)) out.push_back(&e);
  }
  return out;
}

std::vector<const EpisodeData*> GroupErrored(const RunData& run, const GroupKey& key) {
  std::vector<const EpisodeData*> out;
  for (const EpisodeData& e : run.errored) {
    if (InGroup(e, key)) out.push_back(&e);
  }
  return out;
}

std::vector<GroupKey> GroupKeys(const RunData& run) {
  std::set<GroupKey> keys;
  for (const EpisodeData* e : run.Finished()) {
    keys.insert({e->key.task, e->key.model, e->key.mode, e->key.policy});
  }
  std::vector<ModelInfo> models = run.models;
  std::vector<std::string> model_order;
  for (const ModelInfo& m : models) model_order.push_back(m.name);
  std::vector<GroupKey> ordered(keys.begin(), keys.end());
  auto rank = [&](const GroupKey& k) {
    return std::make_tuple(IndexIn(run.tasks, k.task), k.task, IndexIn(model_order, k.model),
                           k.model, IndexIn(run.modes, k.mode), k.mode,
                           IndexIn(run.policies, k.policy), k.policy);
  };
  std::stable_sort(ordered.begin(), ordered.end(),
                   [&](const GroupKey& a, const GroupKey& b) { return rank(a) < rank(b); });
  return ordered;
}

std::vector<GroupStats> Aggregate(const RunData& run) {
  std::vector<GroupStats> out;
  for (const GroupKey& k : GroupKeys(run)) {
    GroupStats g =
        Summarize(k, GroupEpisodes(run, k), static_cast<int>(GroupErrored(run, k).size()));
    if (g.metric.empty()) {  // every episode errored: the metric is still the task's
      for (const EpisodeData* e : GroupErrored(run, k)) g.metric = e->outcome.metric;
    }
    out.push_back(std::move(g));
  }
  return out;
}

}  // namespace ctxbench
