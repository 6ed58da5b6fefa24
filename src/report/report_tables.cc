#include "report/report_tables.h"

#include <algorithm>
#include <cmath>

#include "core/clock.h"
#include "report/charts.h"
#include "report/format.h"
#include "report/intervals.h"

namespace ctxbench {

namespace {

std::string Join(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& s : items) out += (out.empty() ? "" : ", ") + s;
  return out;
}

std::string PctCi(double rate, const Interval& ci) {
  return FormatFixed(100 * rate, 0) + "% " + FormatInterval({100 * ci.lo, 100 * ci.hi}, 0);
}

// "+1.25 [-0.50, +3.00]": a signed mean and its interval.
std::string SignedCi(double mean, const Interval& ci, int digits) {
  return FormatSigned(mean, digits) + " " + FormatInterval(ci, digits, true);
}

// A number, or an empty cell when it is missing (never "0", never "n/a").
std::string NumberCell(double v, int digits) {
  return std::isfinite(v) ? FormatFixed(v, digits) : "";
}

// "+12 [-5, +30]" in points from rates or shares in [−1, 1].
std::string PointsCi(double diff, const Interval& ci) {
  if (!std::isfinite(diff)) return "";
  return FormatSigned(100 * diff, 0) + "\n" + FormatInterval({100 * ci.lo, 100 * ci.hi}, 0, true);
}

// "0.004 (Holm 0.03)"; the Holm-adjusted p only where the test is in the family.
std::string PHolm(double p, double holm) {
  return FormatP(p) + (std::isfinite(holm) ? "\n(Holm " + FormatP(holm) + ")" : "");
}

// "-67\n[-90, -11]": a value over its interval, two lines in HTML and
// one in Markdown (the writers turn the newline into a space).
std::string Stack(const std::string& value, const std::string& interval) {
  return value + "\n" + interval;
}

// A table whose rows start with a group's task, model, mode and policy.
TextTable GroupTable(std::vector<std::string> columns) {
  TextTable t;
  t.headers = {"task", "model", "mode", "policy"};
  t.headers.insert(t.headers.end(), columns.begin(), columns.end());
  return t;
}

void AddGroupRow(TextTable& t, const GroupKey& k, std::vector<std::string> cells) {
  std::vector<std::string> row = {k.task, k.model, k.mode, k.policy};
  row.insert(row.end(), cells.begin(), cells.end());
  t.rows.push_back(std::move(row));
}

}  // namespace

std::vector<std::pair<std::string, std::string>> HeaderFacts(const Report& r) {
  const RunData& run = r.run;
  std::vector<std::string> models, seeds;
  for (const ModelInfo& m : run.models) models.push_back(ModelLabel(run, m.name));
  for (uint64_t s : run.seeds) seeds.push_back(std::to_string(s));
  std::string control = r.control + (r.control_note.empty() ? "" : " (" + r.control_note + ")");
  size_t done = run.episodes.size() + run.errored.size();
  std::string counts = std::to_string(done) + "/" + std::to_string(run.planned) +
                       " episodes done, " + std::to_string(run.errored.size()) + " errors, " +
                       std::to_string(run.planned - done) + " unfinished";
  std::vector<std::pair<std::string, std::string>> facts = {
      {"Config", run.name},
      {"Run", run.run_id + " (" + run.status + ", " + counts + ")"},
      {"Date", run.started_at > 0 ? FormatUtc(run.started_at) : "unknown"},
      {"Models", Join(models)},
      {"Tasks", Join(run.tasks)},
      {"Policies", Join(run.policies)},
      {"Control policy", control},
      {"Modes", Join(run.modes)},
      {"Seeds", Join(seeds)},
  };
  if (!run.status_reason.empty()) facts.insert(facts.begin() + 2, {"Status", run.status_reason});
  bool server_models = false;
  for (const ModelInfo& m : run.models) server_models |= m.kind != "sim";
  if (server_models) {  // how the calls went: every finished episode, errored ones too
    long long calls = 0, hits = 0, retries = 0;
    for (const auto* list : {&run.episodes, &run.errored}) {
      for (const EpisodeData& e : *list) {
        calls += e.outcome.llm_calls;
        hits += e.outcome.cache_hits;
        retries += e.outcome.llm_retries;
      }
    }
    facts.push_back({"Model calls", std::to_string(calls) + " (" + std::to_string(calls - hits) +
                                        " fresh, " + std::to_string(hits) +
                                        " from the response cache), " + std::to_string(retries) +
                                        " retried attempts"});
  }
  return facts;
}

std::string ErrorsNotice(const Report& r) {
  if (r.run.errored.empty()) return "";
  return std::to_string(r.run.errored.size()) + " of " +
         std::to_string(r.run.episodes.size() + r.run.errored.size()) +
         " finished episodes errored (the infrastructure failed them: auth, connection, "
         "retries exhausted, sandbox). They are left out of every statistic, comparison and "
         "chart, counted in the errors columns, and listed with their error in results.csv; "
         "`ctxbench run --resume RUN --retry-errors` reruns them.";
}

std::string SimNotice(const Report& r) {
  std::vector<std::string> sims;
  for (const ModelInfo& m : r.run.models) {
    if (m.kind == "sim") sims.push_back(m.name);
  }
  if (sims.empty()) return "";
  return std::string(r.sim_only ? "All results" : "Results of model " + Join(sims)) +
         " in this report were produced by the built-in sim experimenter: a deterministic "
         "coordinate search over the task's knobs, not an LLM. They exercise the harness and "
         "the context policies; they say nothing about any real model.";
}

TextTable OutcomeTable(const Report& r) {
  TextTable t = GroupTable({"n", "errors", "success (Wilson 95% CI)",
                            "mean improvement % (t 95% CI)", "median improvement % (interval)",
                            "best valid", "hidden test (baseline)", "valid answers", "claim gap"});
  for (const GroupStats& g : r.groups) {
    AddGroupRow(
        t, g.key,
        {std::to_string(g.episodes), std::to_string(g.errors),
         std::to_string(g.successes) + "/" + std::to_string(g.episodes) + " " +
             PctCi(g.success_rate, g.success_ci),
         SignedCi(g.mean_improvement_pct, g.mean_improvement_ci.ci, 2),
         SignedCi(g.median_improvement_pct, g.median_improvement_ci.ci, 2) +
             (g.median_improvement_ci.is_range ? " " + IntervalLabel(g.median_improvement_ci) : ""),
         NumberCell(g.mean_best_valid_metric, 4),
         g.tested ? FormatFixed(g.mean_test_metric, 4) + " (" +
                        NumberCell(g.mean_baseline_test_metric, 4) + ")" +
                        (g.tested < g.episodes ? " [" + std::to_string(g.tested) + " run]" : "")
                  : "",
         g.episodes ? FormatFixed(100 * g.final_answer_valid_rate, 0) + "%" : "",
         g.claims ? FormatFixed(g.mean_claim_gap, 4) + " (" + std::to_string(g.claims) + ")" : ""});
  }
  return t;
}

TextTable EfficiencyTable(const Report& r) {
  TextTable t = GroupTable({"errors", "tokens", "context tokens/step", "cost $", "wall s",
                            "LLM calls", "iterations", "iterations to target",
                            "invalid actions/step", "repeated configs", "errors recovered"});
  for (const GroupStats& g : r.groups) {
    std::string to_target = g.reached_target ? FormatFixed(g.median_iterations_to_target, 1) +
                                                   " (" + std::to_string(g.reached_target) + "/" +
                                                   std::to_string(g.episodes) + " reached)"
                            : g.episodes ? "never"
                                         : "";
    AddGroupRow(t, g.key,
                {std::to_string(g.errors), g.episodes ? FormatCount(g.mean_tokens) : "",
                 g.episodes ? FormatCount(g.mean_context_tokens) : "",
                 NumberCell(g.mean_cost_usd, 4), NumberCell(g.mean_wall_seconds, 2),
                 NumberCell(g.mean_llm_calls, 1), NumberCell(g.mean_iterations, 1), to_target,
                 g.episodes ? FormatFixed(g.invalid_action_rate, 3) : "",
                 g.episodes ? FormatFixed(100 * g.repeated_config_rate, 0) + "%" : "",
                 NumberCell(g.mean_errors_recovered, 2)});
  }
  return t;
}

TextTable ComparisonTable(const Report& r) {
  TextTable t = GroupTable({"pairs", "dropped pairs", "success vs " + r.control,
                            "Δ success, points (Newcombe 95% CI)", "p (McNemar)",
                            "Δ improvement, points (t 95% CI)", "p (sign-flip)",
                            "tokens ratio (t 95% CI)", "p (sign-flip)", "note"});
  for (const PairedComparison& c : r.comparisons) {
    auto frac = [&](double rate) {
      if (c.pairs == 0) return std::string();
      return std::to_string(static_cast<int>(std::lround(rate * c.pairs))) + "/" +
             std::to_string(c.pairs);
    };
    std::string note;
    if (c.pairs > 0 && !c.improvement.testable()) {
      note = std::to_string(c.improvement.nonzero) +
             " nonzero improvement differences: " + "smallest possible p " +
             FormatP(c.improvement.smallest_p) + ", cannot reach 0.05";
    }
    bool any = c.pairs > 0;
    AddGroupRow(
        t, c.key,
        {std::to_string(c.pairs), std::to_string(c.dropped_pairs),
         any ? frac(c.success_rate) + " vs " + frac(c.control_success_rate) : "",
         any ? PointsCi(c.success.diff, c.success.ci) : "", any ? FormatP(c.success.p) : "",
         any ? SignedCi(c.improvement.mean, c.improvement.ci.ci, 2) : "",
         any ? FormatP(c.improvement.p) : "",
         any ? FormatFixed(c.tokens_ratio.ratio, 2) + " " + FormatInterval(c.tokens_ratio.ci, 2)
             : "",
         any ? FormatP(c.tokens_ratio.p) : "", note});
  }
  return t;
}

TextTable RankedTable(const Report& r, const PolicyRanking& ranking) {
  TextTable t;
  t.label_columns = 2;
  t.headers = {"#",
               "policy",
               "success (Wilson 95% CI)",
               "Δ success vs " + r.control + ", points (95% CI)",
               "p McNemar (Holm)",
               "Δ share of headroom, points (t 95% CI)",
               "p sign-flip (Holm)",
               "tokens / episode",
               "tokens vs " + r.control + " (95% CI)",
               "cost $",
               "errors",
               "non-dominated"};
  int rank = 0;
  for (const RankedPolicy& p : ranking.rows) {
    std::vector<std::string> row = {p.episodes ? std::to_string(++rank) : "", p.policy};
    row.push_back(p.episodes
                      ? Stack(std::to_string(p.successes) + "/" + std::to_string(p.episodes) + " " +
                                  FormatFixed(100 * p.success_rate, 0) + "%",
                              FormatInterval({100 * p.success_ci.lo, 100 * p.success_ci.hi}, 0))
                      : "");
    if (p.vs_control && p.vs_control->pairs > 0) {
      const PairedComparison& c = *p.vs_control;
      row.push_back(PointsCi(c.success.diff, c.success.ci));
      row.push_back(PHolm(c.success.p, c.holm_success));
      row.push_back(
          std::isfinite(c.headroom.mean)
              ? Stack(FormatSigned(c.headroom.mean, 0), FormatInterval(c.headroom.ci.ci, 0, true))
              : "");
      row.push_back(std::isfinite(c.headroom.mean) ? PHolm(c.headroom.p, c.holm_headroom) : "");
    } else {
      row.insert(row.end(), {p.policy == r.control ? "control" : "", "", "", ""});
    }
    row.push_back(p.episodes ? FormatCount(p.mean_tokens) : "");
    if (p.vs_control && p.vs_control->pairs > 0) {
      const TokensRatio& tr = p.vs_control->tokens_ratio;
      row.push_back(std::isfinite(tr.ratio)
                        ? FormatFixed(100 * tr.ratio, 0) + "% " +
                              FormatInterval({100 * tr.ci.lo, 100 * tr.ci.hi}, 0)
                        : "");
    } else {
      row.push_back("");
    }
    row.push_back(NumberCell(p.mean_cost, 4));
    row.push_back(std::to_string(p.errors));
    std::string mark = p.non_dominated          ? "yes"
                       : p.dominated_by.empty() ? ""
                                                : "no (" + p.dominated_by + ")";
    if (p.non_dominated && !p.tied_with.empty()) mark += " (tied with " + Join(p.tied_with) + ")";
    if (!p.same_as.empty()) mark += "; same episodes as " + p.same_as;
    row.push_back(mark);
    t.rows.push_back(std::move(row));
  }
  return t;
}

std::vector<std::pair<std::string, std::string>> Conditions(const Report& r) {
  const RunData& run = r.run;
  std::vector<std::string> models, seeds;
  for (const ModelInfo& m : run.models) models.push_back(ModelLabel(run, m.name));
  for (uint64_t s : run.seeds) seeds.push_back(std::to_string(s));
  std::vector<std::pair<std::string, std::string>> out = {
      {"Models", Join(models)},
      {"Tasks", Join(run.tasks)},
      {"Modes", Join(run.modes)},
      {"Seeds", Join(seeds) + " (" + std::to_string(run.seeds.size()) + " per task)"},
  };
  std::string budget;
  if (run.num_steps > 0) budget += std::to_string(run.num_steps) + " steps per iteration";
  if (run.context_budget > 0) {
    budget += (budget.empty() ? "" : "; ") + std::string("context budget ") +
              FormatCount(double(run.context_budget)) + " tokens";
  }
  if (run.max_tokens > 0) {
    budget += (budget.empty() ? "" : "; ") + std::string("at most ") +
              FormatCount(double(run.max_tokens)) + " tokens per episode";
  }
  if (!run.token_counter.empty())
    budget += (budget.empty() ? "" : "; ") + ("tokens counted with " + run.token_counter);
  if (!budget.empty()) out.push_back({"Budget", budget});
  for (const auto& [name, params] : run.policy_params) {
    out.push_back({"policy " + name, params + (name == r.control ? " (control)" : "")});
  }
  return out;
}

}  // namespace ctxbench
