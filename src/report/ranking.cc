#include "report/ranking.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <set>

#include "report/aggregate.h"
#include "report/hypothesis_tests.h"

namespace ctxbench {

namespace {

// (task, seed) -> outcome print, for one model, mode and policy.
std::map<std::pair<std::string, uint64_t>, std::string> Prints(const RunData& run,
                                                               const std::string& model,
                                                               const std::string& mode,
                                                               const std::string& policy) {
  std::map<std::pair<std::string, uint64_t>, std::string> out;
  for (const EpisodeData& e : run.episodes) {
    if (e.key.model == model && e.key.mode == mode && e.key.policy == policy) {
      out[{e.key.task, e.key.seed}] = EpisodePrint(e);
    }
  }
  return out;
}

struct ModelMode {
  std::string model, mode;
  auto operator<=>(const ModelMode&) const = default;
};

std::vector<ModelMode> ModelModes(const RunData& run) {
  std::vector<ModelMode> out;
  for (const GroupKey& k : GroupKeys(run)) {
    if (GroupEpisodes(run, k).empty()) continue;
    ModelMode mm{k.model, k.mode};
    if (std::find(out.begin(), out.end(), mm) == out.end()) out.push_back(mm);
  }
  std::stable_sort(out.begin(), out.end(), [&](const ModelMode& a, const ModelMode& b) {
    auto at = [](const std::vector<std::string>& v, const std::string& x) {
      return std::find(v.begin(), v.end(), x) - v.begin();
    };
    std::vector<std::string> models;
    for (const ModelInfo& m : run.models) models.push_back(m.name);
    return std::make_pair(at(models, a.model), at(run.modes, a.mode)) <
           std::make_pair(at(models, b.model), at(run.modes, b.mode));
  });
  return out;
}

std::vector<std::string> PoliciesOf(const RunData& run, const ModelMode& mm) {
  std::vector<std::string> out;
  for (const EpisodeData* e : run.Finished()) {
    if (e->key.model == mm.model && e->key.mode == mm.mode &&
        std::find(out.begin(), out.end(), e->key.policy) == out.end()) {
      out.push_back(e->key.policy);
    }
  }
  SortByOrder(out, run.policies);
  return out;
}

// Means: does `b` have at least `a`'s success and at most its tokens, better in one?
bool WeaklyDominates(const RankedPolicy& b, const RankedPolicy& a) {
  return b.success_rate >= a.success_rate && b.mean_tokens <= a.mean_tokens &&
         (b.success_rate > a.success_rate || b.mean_tokens < a.mean_tokens);
}

// One test of the dominance family: `dominator` (index into rows) is better
// than `dominated` on success or on tokens with raw p-value `p`.
struct DominanceTest {
  size_t dominated = 0, dominator = 0;
  double p = 1;
};

// The tests of `b`'s advantages over `a` (paired, pooled over tasks): success
// where b's rate is higher, tokens where b's mean is lower. None without pairs.
void AddDominanceTests(const RunData& run, const ModelMode& mm,
                       const std::vector<RankedPolicy>& rows, size_t b, size_t a,
                       std::vector<DominanceTest>& out) {
  PairedComparison c = ComparePooled(run, mm.model, mm.mode, rows[b].policy, rows[a].policy);
  if (c.pairs == 0) return;
  if (rows[b].success_rate > rows[a].success_rate) {
    out.push_back({a, b, c.success.diff > 0 ? c.success.p : 1.0});
  }
  if (rows[b].mean_tokens < rows[a].mean_tokens) {
    bool fewer = c.tokens_ratio.ratio < 1 && std::isfinite(c.tokens_ratio.p);
    out.push_back({a, b, fewer ? c.tokens_ratio.p : 1.0});
  }
}

// Sets non_dominated, dominated_by and tied_with of `rows` (rank order) with
// the dominance tests Holm-adjusted; returns how many tests there were. A
// policy with the same episodes as another (same_as) is not tested again: it
// takes that policy's verdict.
int JudgeDominance(const RunData& run, const ModelMode& mm, std::vector<RankedPolicy>& rows) {
  auto tested = [&](size_t i) { return rows[i].episodes > 0 && rows[i].same_as.empty(); };
  std::vector<DominanceTest> tests;
  for (size_t a = 0; a < rows.size(); ++a) {
    for (size_t b = 0; b < rows.size(); ++b) {
      if (a == b || !tested(a) || !tested(b) || !WeaklyDominates(rows[b], rows[a])) continue;
      AddDominanceTests(run, mm, rows, b, a, tests);
    }
  }
  std::vector<double> p;
  for (const DominanceTest& t : tests) p.push_back(t.p);
  std::vector<double> holm = HolmAdjust(p);
  for (size_t a = 0; a < rows.size(); ++a) {
    RankedPolicy& r = rows[a];
    if (r.episodes == 0) {
      r.non_dominated = false;
      continue;
    }
    if (!tested(a)) continue;
    for (size_t b = 0; b < rows.size() && r.non_dominated; ++b) {
      if (a == b || !tested(b) || !WeaklyDominates(rows[b], r)) continue;
      bool significant = false;
      for (size_t k = 0; k < tests.size(); ++k) {
        significant |= tests[k].dominated == a && tests[k].dominator == b && holm[k] < 0.05;
      }
      if (significant) {
        r.non_dominated = false;
        r.dominated_by = rows[b].policy;
        r.tied_with.clear();
      } else {
        r.tied_with.push_back(rows[b].policy);
      }
    }
  }
  for (RankedPolicy& r : rows) {  // a repeat takes its original's verdict
    if (r.same_as.empty()) continue;
    for (const RankedPolicy& o : rows) {
      if (o.policy != r.same_as) continue;
      r.non_dominated = o.non_dominated;
      r.dominated_by = o.dominated_by;
      r.tied_with = o.tied_with;
    }
  }
  return static_cast<int>(tests.size());
}

}  // namespace

std::vector<PolicyRanking> RankPolicies(const RunData& run,
                                        const std::vector<PairedComparison>& pooled,
                                        const std::string& control) {
  std::vector<PolicyRanking> out;
  for (const ModelMode& mm : ModelModes(run)) {
    PolicyRanking ranking{mm.model, mm.mode, {}};
    std::vector<std::pair<std::string, std::map<std::pair<std::string, uint64_t>, std::string>>>
        seen;
    for (const std::string& policy : PoliciesOf(run, mm)) {
      RankedPolicy r;
      r.policy = policy;
      double tokens = 0, cost = 0;
      for (const EpisodeData& e : run.episodes) {
        if (e.key.model != mm.model || e.key.mode != mm.mode || e.key.policy != policy) continue;
        ++r.episodes;
        r.successes += e.outcome.success;
        tokens += double(e.total_tokens());
        cost += e.outcome.cost_usd;
      }
      for (const EpisodeData& e : run.errored) {
        r.errors += e.key.model == mm.model && e.key.mode == mm.mode && e.key.policy == policy;
      }
      const double nan = std::numeric_limits<double>::quiet_NaN();
      r.success_rate = r.episodes ? double(r.successes) / r.episodes : nan;
      r.success_ci = WilsonInterval(r.successes, r.episodes);
      r.mean_tokens = r.episodes ? tokens / r.episodes : nan;
      r.mean_cost = r.episodes ? cost / r.episodes : nan;
      auto prints = Prints(run, mm.model, mm.mode, policy);
      for (const auto& [other, other_prints] : seen) {
        if (!prints.empty() && prints == other_prints) {
          r.same_as = other;
          break;
        }
      }
      seen.push_back({policy, std::move(prints)});
      ranking.rows.push_back(std::move(r));
    }
    std::stable_sort(ranking.rows.begin(), ranking.rows.end(),
                     [](const RankedPolicy& a, const RankedPolicy& b) {
                       if (a.episodes == 0 || b.episodes == 0) return a.episodes > b.episodes;
                       if (a.success_rate != b.success_rate) return a.success_rate > b.success_rate;
                       return a.mean_tokens < b.mean_tokens;
                     });
    ranking.dominance_tests = JudgeDominance(run, mm, ranking.rows);
    out.push_back(std::move(ranking));
  }
  AttachControlComparisons(out, pooled, control);
  return out;
}

void AttachControlComparisons(std::vector<PolicyRanking>& rankings,
                              const std::vector<PairedComparison>& pooled,
                              const std::string& control) {
  for (PolicyRanking& ranking : rankings) {
    for (RankedPolicy& r : ranking.rows) {
      for (const PairedComparison& c : pooled) {  // the last match, as before
        if (r.policy != control && c.key.model == ranking.model && c.key.mode == ranking.mode &&
            c.key.policy == r.policy) {
          r.vs_control = c;
        }
      }
    }
  }
}

std::vector<std::string> IdenticalResults(const RunData& run) {
  std::vector<std::string> out;
  std::vector<ModelMode> mms = ModelModes(run);
  for (const ModelMode& mm : mms) {
    std::vector<std::string> policies = PoliciesOf(run, mm);
    std::set<std::string> done;
    for (size_t i = 0; i < policies.size(); ++i) {
      if (done.count(policies[i])) continue;
      auto pi = Prints(run, mm.model, mm.mode, policies[i]);
      if (pi.empty()) continue;
      std::vector<std::string> same = {policies[i]};
      for (size_t j = i + 1; j < policies.size(); ++j) {
        if (Prints(run, mm.model, mm.mode, policies[j]) == pi) {
          same.push_back(policies[j]);
          done.insert(policies[j]);
        }
      }
      if (same.size() < 2) continue;
      std::string names;
      for (size_t k = 0; k < same.size(); ++k) {
        names += (k == 0 ? "" : k + 1 == same.size() ? " and " : ", ") + same[k];
      }
      out.push_back(names + " gave identical episodes (" + mm.model + ", " + mm.mode +
                    "): one result, not " + std::to_string(same.size()) + ".");
    }
  }
  // A policy identical across modes (same model).
  std::vector<std::string> all_policies = run.policies;
  for (const EpisodeData* e : run.Finished()) {
    if (std::find(all_policies.begin(), all_policies.end(), e->key.policy) == all_policies.end()) {
      all_policies.push_back(e->key.policy);
    }
  }
  for (const ModelInfo& m : run.models) {
    for (const std::string& policy : all_policies) {
      std::vector<std::string> modes;
      std::map<std::pair<std::string, uint64_t>, std::string> first;
      for (const std::string& mode : run.modes) {
        auto p = Prints(run, m.name, mode, policy);
        if (p.empty()) continue;
        if (modes.empty()) first = p;
        if (p != first) {
          modes.clear();
          break;
        }
        modes.push_back(mode);
      }
      if (modes.size() < 2) continue;
      out.push_back(policy + " gave identical episodes in every mode (" + m.name +
                    "): the modes do not differ for it.");
    }
  }
  return out;
}

}  // namespace ctxbench
