#include "report/report_tables.h"

#include <algorithm>
#include <cmath>

#include "core/clock.h"
#include "report/charts.h"
#include "report/format.h"
#include "report/pareto.h"

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
        calls += e.llm_calls;
        hits += e.cache_hits;
        retries += e.llm_retries;
      }
    }
    facts.push_back({"Model calls", std::to_string(calls) + " (" + std::to_string(calls - hits) +
                                        " fresh, " + std::to_string(hits) +
                                        " from the response cache), " +
                                        std::to_string(retries) + " retried attempts"});
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
  TextTable t = GroupTable({"n", "errors", "success (95% CI)", "mean improvement % (95% CI)",
                            "median improvement % (95% CI)", "best valid", "hidden test (baseline)",
                            "valid answers", "claim gap"});
  for (const GroupStats& g : r.groups) {
    AddGroupRow(t, g.key,
                {std::to_string(g.episodes), std::to_string(g.errors),
                 std::to_string(g.successes) + "/" + std::to_string(g.episodes) + " " +
                     PctCi(g.success_rate, g.success_ci),
                 SignedCi(g.mean_improvement_pct, g.mean_improvement_ci, 2),
                 SignedCi(g.median_improvement_pct, g.median_improvement_ci, 2),
                 FormatFixed(g.mean_best_valid_metric, 4),
                 FormatFixed(g.mean_test_metric, 4) + " (" +
                     FormatFixed(g.mean_baseline_test_metric, 4) + ")",
                 FormatFixed(100 * g.final_answer_valid_rate, 0) + "%",
                 g.claims ? FormatFixed(g.mean_claim_gap, 4) + " (" + std::to_string(g.claims) + ")"
                          : "n/a"});
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
                                             : "never";
    AddGroupRow(
        t, g.key,
        {std::to_string(g.errors), FormatCount(g.mean_tokens), FormatCount(g.mean_context_tokens),
         FormatFixed(g.mean_cost_usd, 4), FormatFixed(g.mean_wall_seconds, 2),
         FormatFixed(g.mean_llm_calls, 1), FormatFixed(g.mean_iterations, 1), to_target,
         FormatFixed(g.invalid_action_rate, 3), FormatFixed(100 * g.repeated_config_rate, 0) + "%",
         FormatFixed(g.mean_errors_recovered, 2)});
  }
  return t;
}

TextTable ComparisonTable(const Report& r) {
  TextTable t = GroupTable({"pairs", "dropped pairs", "Δ improvement, points (95% CI)", "p",
                            "Δ tokens (95% CI)", "p", "tokens vs " + r.control,
                            "success vs " + r.control, "note"});
  for (const PairedComparison& c : r.comparisons) {
    auto frac = [&](double rate) {
      if (c.pairs == 0) return std::string("n/a");
      return std::to_string(static_cast<int>(std::lround(rate * c.pairs))) + "/" +
             std::to_string(c.pairs);
    };
    AddGroupRow(
        t, c.key,
        {std::to_string(c.pairs), std::to_string(c.dropped_pairs),
         SignedCi(c.improvement.mean, c.improvement.ci, 2), FormatP(c.improvement.p),
         SignedCi(c.tokens.mean, c.tokens.ci, 0), FormatP(c.tokens.p),
         FormatFixed(100 * c.tokens_ratio, 0) + "%",
         frac(c.success_rate) + " vs " + frac(c.control_success_rate),
         c.too_few_seeds ? "too few seeds to test (need " + std::to_string(kMinPairsForTest) + ")"
                         : ""});
  }
  return t;
}

TextTable ParetoTable(const Report& r) {
  TextTable t = GroupTable({"errors", "mean tokens", "mean improvement %", "Pareto-efficient"});
  for (const Panel& p : Panels(r.run)) {
    XYChart chart = EfficiencyChart(r.run, p);
    std::vector<EfficiencyPoint> means;
    for (const ChartSeries& s : chart.series) means.push_back({s.markers[0].x, s.markers[0].y});
    std::vector<size_t> frontier = ParetoFrontier(means);
    for (size_t i = 0; i < means.size(); ++i) {
      bool on = std::find(frontier.begin(), frontier.end(), i) != frontier.end();
      GroupKey key{p.task, p.model, p.mode, chart.series[i].label};
      AddGroupRow(t, key,
                  {std::to_string(GroupErrored(r.run, key).size()), FormatCount(means[i].tokens),
                   FormatSigned(means[i].improvement, 2), on ? "yes" : "no"});
    }
  }
  return t;
}

}  // namespace ctxbench
