#include "report/charts.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <set>

#include "report/aggregate.h"
#include "report/format.h"
#include "report/pareto.h"
#include "report/stats.h"

namespace ctxbench {

namespace {

size_t PolicyColor(const RunData& run, const std::string& policy) {
  auto it = std::find(run.policies.begin(), run.policies.end(), policy);
  return static_cast<size_t>(it - run.policies.begin());
}

std::vector<std::string> PanelPolicies(const RunData& run, const Panel& p) {
  std::set<std::string> seen;
  for (const EpisodeData& e : run.episodes) {
    if (e.key.task == p.task && e.key.model == p.model && e.key.mode == p.mode) {
      seen.insert(e.key.policy);
    }
  }
  std::vector<std::string> out(seen.begin(), seen.end());
  SortByOrder(out, run.policies);
  return out;
}

std::string MetricLabel(const RunData& run, const Panel& p) {
  for (const EpisodeData& e : run.episodes) {
    if (e.key.task == p.task) {
      return "best validation " + e.outcome.metric +
             (e.outcome.higher_is_better ? " (higher is better)" : " (lower is better)");
    }
  }
  return "best validation metric";
}

using EpisodeList = std::vector<const EpisodeData*>;
using EpisodePoints = std::vector<SeriesPoint> EpisodeData::*;

EpisodeList Episodes(const RunData& run, const Panel& p, const std::string& policy) {
  return GroupEpisodes(run, {p.task, p.model, p.mode, policy});
}

// Every x at which some episode's `points` has a point, ascending.
std::vector<double> AllX(const EpisodeList& eps, EpisodePoints points) {
  std::set<double> xs;
  for (const EpisodeData* e : eps) {
    for (const SeriesPoint& pt : e->*points) xs.insert(pt.x);
  }
  return {xs.begin(), xs.end()};
}

// A chart of the panel with one series per policy: at each x of
// `xs_of(episodes)`, the median line and IQR band of the values
// `values_at(episode, x, values)` adds over the policy's episodes.
XYChart MedianBandChart(
    const RunData& run, const Panel& p, XYChart c,
    const std::function<std::vector<double>(const EpisodeList&)>& xs_of,
    const std::function<void(const EpisodeData&, double, std::vector<double>&)>& values_at) {
  c.subtitle = PanelSubtitle(run, p);
  for (const std::string& policy : PanelPolicies(run, p)) {
    EpisodeList eps = Episodes(run, p, policy);
    ChartSeries s{policy, PolicyColor(run, policy), {}, {}, {}, {}, {}};
    for (double x : xs_of(eps)) {
      std::vector<double> v;
      for (const EpisodeData* e : eps) values_at(*e, x, v);
      if (v.empty()) continue;
      s.line.push_back({x, Median(v)});
      s.band.push_back({x, Quantile(v, 0.25), Quantile(v, 0.75)});
    }
    c.series.push_back(std::move(s));
  }
  size_t banded = std::count_if(c.series.begin(), c.series.end(),
                                [](const ChartSeries& s) { return s.band.size() >= 2; });
  if (banded > kMaxOverlaidBands) {
    c.small_multiples = true;
    c.note += " One panel per policy; grey: the other policies' medians.";
  }
  return c;
}

// The best-so-far chart: each episode's value at x is its step function's.
XYChart BestSoFarChart(const RunData& run, const Panel& p, XYChart c, EpisodePoints points,
                       const std::function<std::vector<double>(const EpisodeList&)>& xs_of) {
  c.y_label = MetricLabel(run, p);
  for (const EpisodeData& e : run.episodes) {
    if (e.key.task == p.task) {
      double target = e.outcome.target_metric;
      c.reference_lines.push_back({target, "target " + FormatFixed(target, 4)});
      break;
    }
  }
  c.step = true;
  c.note = "Line: median over seeds; band: interquartile range.";
  return MedianBandChart(run, p, std::move(c), xs_of,
                         [points](const EpisodeData& e, double x, std::vector<double>& v) {
                           v.push_back(StepValue(e.*points, x));
                         });
}

}  // namespace

std::vector<Panel> Panels(const RunData& run) {
  std::vector<Panel> out;
  for (const GroupKey& k : GroupKeys(run)) {
    if (GroupEpisodes(run, k).empty()) continue;  // every episode errored: nothing to plot
    Panel p{k.task, k.model, k.mode};
    if (out.empty() || out.back().task != p.task || out.back().model != p.model ||
        out.back().mode != p.mode) {
      out.push_back(p);
    }
  }
  return out;
}

double StepValue(const std::vector<SeriesPoint>& points, double x) {
  if (points.empty()) return NAN;
  double y = points.front().y;
  for (const SeriesPoint& p : points) {
    if (p.x > x) break;
    y = p.y;
  }
  return y;
}

std::string PanelSubtitle(const RunData& run, const Panel& p) {
  return p.task + " · model " + ModelLabel(run, p.model) + " · " + p.mode;
}

XYChart BestByIterationChart(const RunData& run, const Panel& p) {
  XYChart c;
  c.title = "Best-so-far validation metric vs iteration";
  c.x_label = "iteration (0 = baseline)";
  return BestSoFarChart(run, p, std::move(c), &EpisodeData::best_by_iteration,
                        [](const EpisodeList& eps) {
                          double max_x = 0;
                          for (const EpisodeData* e : eps) {
                            max_x = std::max(max_x, e->best_by_iteration.back().x);
                          }
                          std::vector<double> xs;
                          for (int i = 0; i <= static_cast<int>(max_x); ++i) xs.push_back(i);
                          return xs;
                        });
}

XYChart BestByTokensChart(const RunData& run, const Panel& p) {
  XYChart c;
  c.title = "Best-so-far validation metric vs cumulative tokens";
  c.x_label = "cumulative tokens (prompt + completion, all LLM calls)";
  // Every x where some episode's best changes.
  return BestSoFarChart(
      run, p, std::move(c), &EpisodeData::best_by_tokens,
      [](const EpisodeList& eps) { return AllX(eps, &EpisodeData::best_by_tokens); });
}

XYChart ContextByStepChart(const RunData& run, const Panel& p) {
  XYChart c;
  c.title = "Context size per step";
  c.x_label = "step (model call)";
  c.y_label = "context tokens sent";
  c.note = "Line: median over seeds of the tokens the policy sent; band: interquartile range.";
  if (run.context_budget > 0) {
    c.reference_lines.push_back(
        {double(run.context_budget), "context budget " + std::to_string(run.context_budget)});
  }
  return MedianBandChart(
      run, p, std::move(c),
      [](const EpisodeList& eps) { return AllX(eps, &EpisodeData::context_by_step); },
      [](const EpisodeData& e, double x, std::vector<double>& v) {
        for (const SeriesPoint& pt : e.context_by_step) {
          if (pt.x == x) v.push_back(pt.y);
        }
      });
}

XYChart EfficiencyChart(const RunData& run, const Panel& p) {
  XYChart c;
  c.title = "Improvement vs tokens (efficiency)";
  c.subtitle = PanelSubtitle(run, p);
  c.x_label = "tokens per episode (prompt + completion)";
  c.y_label = "improvement over baseline (%)";
  c.note = "Small: one episode each; large: the policy's mean; dashed: Pareto frontier of means.";
  std::vector<EfficiencyPoint> means;
  for (const std::string& policy : PanelPolicies(run, p)) {
    ChartSeries s{policy, PolicyColor(run, policy), {}, {}, {}, {}, {}};
    std::vector<double> tokens, improvement;
    for (const EpisodeData* e : Episodes(run, p, policy)) {
      s.dots.push_back({double(e->total_tokens()), e->outcome.improvement_pct});
      tokens.push_back(double(e->total_tokens()));
      improvement.push_back(e->outcome.improvement_pct);
    }
    s.markers.push_back({Mean(tokens), Mean(improvement)});
    means.push_back({Mean(tokens), Mean(improvement)});
    c.series.push_back(std::move(s));
  }
  for (size_t i : ParetoFrontier(means))
    c.frontier.push_back({means[i].tokens, means[i].improvement});
  return c;
}

XYChart AnswerChart(const RunData& run, const PolicyRanking& ranking) {
  XYChart c;
  c.title = "Success vs tokens, pooled over tasks";
  c.subtitle = "model " + ModelLabel(run, ranking.model) + " · " + ranking.mode;
  c.x_label = "mean tokens per episode (prompt + completion)";
  c.y_label = "success rate (%)";
  c.note = "Whiskers: Wilson 95%. Dashed: the non-dominated policies (paired tests, Holm, 5%).";
  c.y_min = 0;
  c.y_max = 100;
  std::vector<SeriesPoint> front;
  for (const RankedPolicy& p : ranking.rows) {
    if (p.episodes == 0) continue;
    ChartSeries s{p.policy, PolicyColor(run, p.policy), {}, {}, {}, {}, {}};
    s.markers.push_back({p.mean_tokens, 100 * p.success_rate});
    s.whiskers.push_back({p.mean_tokens, 100 * p.success_ci.lo, 100 * p.success_ci.hi});
    if (p.non_dominated) front.push_back({p.mean_tokens, 100 * p.success_rate});
    c.series.push_back(std::move(s));
  }
  std::sort(front.begin(), front.end(),
            [](const SeriesPoint& a, const SeriesPoint& b) { return a.x < b.x; });
  if (front.size() >= 2) c.frontier = front;
  c.frontier_label = "non-dominated";
  return c;
}

IntervalChart SuccessChart(const RunData& run, const std::string& task, const std::string& model) {
  IntervalChart c;
  c.title = "Success rate (target met) with Wilson 95% intervals";
  c.subtitle = task + " · model " + ModelLabel(run, model);
  c.x_label = "success rate (share of seeds)";
  for (const GroupStats& g : Aggregate(run)) {
    if (g.key.task != task || g.key.model != model || g.episodes == 0) continue;
    c.rows.push_back({g.key.policy + " · " + g.key.mode, PolicyColor(run, g.key.policy),
                      g.success_rate, g.success_ci.lo, g.success_ci.hi,
                      std::to_string(g.successes) + "/" + std::to_string(g.episodes)});
  }
  return c;
}

}  // namespace ctxbench
