#include "report/findings.h"

#include <algorithm>
#include <cmath>

#include "report/charts.h"
#include "report/format.h"
#include "report/pareto.h"
#include "report/resampling.h"

namespace ctxbench {

namespace {

std::string Fraction(double rate, int n) {
  return std::to_string(static_cast<int>(std::lround(rate * n))) + "/" + std::to_string(n);
}

std::string Dropped(const PairedComparison& c) {
  if (c.dropped_pairs == 0) return "";
  return " " + std::to_string(c.dropped_pairs) +
         (c.dropped_pairs == 1 ? " pair was" : " pairs were") +
         " dropped: an errored side (not a result).";
}

std::string Sentence(const PairedComparison& c) {
  const GroupKey& k = c.key;
  if (c.pairs == 0) {
    return k.task + " (" + k.model + ", " + k.mode + "): " + k.policy + " vs " + c.control +
           ": no pair to compare." + Dropped(c);
  }
  std::string s = k.task + " (" + k.model + ", " + k.mode + "): " + k.policy + " used " +
                  FormatFixed(100 * c.tokens_ratio, 0) + "% of " + c.control + "'s tokens";
  if (c.success_rate > c.control_success_rate) {
    s += " and succeeded more often (" + Fraction(c.success_rate, c.pairs) + " vs " +
         Fraction(c.control_success_rate, c.pairs) + ")";
  } else if (c.success_rate == c.control_success_rate) {
    s += " with no loss in success (" + Fraction(c.success_rate, c.pairs) + " vs " +
         Fraction(c.control_success_rate, c.pairs) + ")";
  } else {
    s += " and succeeded less often (" + Fraction(c.success_rate, c.pairs) + " vs " +
         Fraction(c.control_success_rate, c.pairs) + ")";
  }
  s += "; improvement " + FormatSigned(c.improvement.mean, 2) +
       " points (p=" + FormatP(c.improvement.p) + "), tokens p=" + FormatP(c.tokens.p) + ".";
  if (c.too_few_seeds) {
    s += " Only " + std::to_string(c.pairs) +
         " paired seeds: too few to call any difference "
         "significant (smallest possible p=" +
         FormatP(MinSignFlipPValue(c.pairs)) + ").";
  } else if (c.improvement.p < 0.05 || c.tokens.p < 0.05) {
    s += std::string(" Significant at 5%:") + (c.improvement.p < 0.05 ? " improvement" : "") +
         (c.improvement.p < 0.05 && c.tokens.p < 0.05 ? " and" : "") +
         (c.tokens.p < 0.05 ? " tokens" : "") + ".";
  }
  return s + Dropped(c);
}

// "3 of 12 finished episodes errored ...: toy (sim, agentic, full) 2, ...".
std::string ErrorsSentence(const RunData& run) {
  std::string groups;
  for (const GroupKey& k : GroupKeys(run)) {
    size_t n = GroupErrored(run, k).size();
    if (n == 0) continue;
    groups += (groups.empty() ? "" : ", ") + k.task + " (" + k.model + ", " + k.mode + ", " +
              k.policy + ") " + std::to_string(n);
  }
  return std::to_string(run.errored.size()) + " of " +
         std::to_string(run.episodes.size() + run.errored.size()) +
         " finished episodes errored and are left out of every statistic below: " + groups + ".";
}

}  // namespace

std::vector<std::string> Findings(const RunData& run,
                                  const std::vector<PairedComparison>& comparisons) {
  std::vector<std::string> out;
  if (!run.errored.empty()) out.push_back(ErrorsSentence(run));
  // When there are comparisons pooled over tasks, they are the headline; the
  // per-task ones (a few seeds each) stay in the comparison table.
  bool pooled = std::any_of(comparisons.begin(), comparisons.end(),
                            [](const PairedComparison& c) { return c.key.task == kAllTasks; });
  for (const PairedComparison& c : comparisons) {
    if (!pooled || c.key.task == kAllTasks) out.push_back(Sentence(c));
  }
  for (const Panel& p : Panels(run)) {
    XYChart chart = EfficiencyChart(run, p);
    if (chart.series.size() < 2) continue;
    std::vector<EfficiencyPoint> means;
    for (const ChartSeries& s : chart.series) {
      means.push_back({s.markers[0].x, s.markers[0].y});
    }
    std::string names;
    for (size_t i : ParetoFrontier(means)) {
      names += (names.empty() ? "" : ", ") + chart.series[i].label + " (" +
               FormatCount(means[i].tokens) + " tokens, " + FormatSigned(means[i].improvement, 2) +
               "%)";
    }
    out.push_back(p.task + " (" + p.model + ", " + p.mode + "): Pareto-efficient in tokens vs " +
                  "improvement: " + names + ".");
  }
  return out;
}

}  // namespace ctxbench
