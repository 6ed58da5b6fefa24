#include "report/ranking.h"

#include <algorithm>
#include <limits>
#include <map>
#include <set>

#include "report/aggregate.h"

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

// Is `b` distinguishably better than `a` on success or tokens (paired, 5%)?
bool Distinguishably(const RunData& run, const ModelMode& mm, const RankedPolicy& b,
                     const RankedPolicy& a) {
  PairedComparison c = ComparePooled(run, mm.model, mm.mode, b.policy, a.policy);
  if (c.pairs == 0) return false;
  bool success = b.success_rate > a.success_rate && c.success.diff > 0 && c.success.p < 0.05;
  bool tokens =
      b.mean_tokens < a.mean_tokens && c.tokens_ratio.ratio < 1 && c.tokens_ratio.p < 0.05;
  return success || tokens;
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
        r.successes += e.success;
        tokens += double(e.total_tokens());
        cost += e.cost_usd;
      }
      for (const EpisodeData& e : run.errored) {
        r.errors += e.key.model == mm.model && e.key.mode == mm.mode && e.key.policy == policy;
      }
      const double nan = std::numeric_limits<double>::quiet_NaN();
      r.success_rate = r.episodes ? double(r.successes) / r.episodes : nan;
      r.success_ci = WilsonInterval(r.successes, r.episodes);
      r.mean_tokens = r.episodes ? tokens / r.episodes : nan;
      r.mean_cost = r.episodes ? cost / r.episodes : nan;
      for (const PairedComparison& c : pooled) {
        if (policy != control && c.key.model == mm.model && c.key.mode == mm.mode &&
            c.key.policy == policy) {
          r.vs_control = c;
        }
      }
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
    for (RankedPolicy& a : ranking.rows) {
      if (a.episodes == 0) {
        a.non_dominated = false;
        continue;
      }
      for (const RankedPolicy& b : ranking.rows) {
        if (&a == &b || b.episodes == 0) continue;
        bool weakly = b.success_rate >= a.success_rate && b.mean_tokens <= a.mean_tokens &&
                      (b.success_rate > a.success_rate || b.mean_tokens < a.mean_tokens);
        if (!weakly) continue;
        if (Distinguishably(run, mm, b, a)) {
          a.non_dominated = false;
          a.dominated_by = b.policy;
          break;
        }
        a.tied_with.push_back(b.policy);
      }
      if (!a.non_dominated) a.tied_with.clear();
    }
    out.push_back(std::move(ranking));
  }
  return out;
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
