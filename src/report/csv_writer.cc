// results.csv (one row per finished episode, errored ones included with their
// status and error, every outcome metric) and aggregate.csv (one row per
// task × model × mode × policy: `episodes` complete ones, the statistics over
// them, `errors` the errored ones left out). Booleans are 1/0, missing values
// empty, numbers in %.10g.
#include <functional>
#include <optional>

#include "report/format.h"
#include "report/report_writer.h"

namespace ctxbench {

namespace {

template <typename Row>
struct Column {
  const char* name;
  std::function<std::string(const Row&)> value;
};

template <typename Row>
void WriteTable(const std::vector<Column<Row>>& columns, const std::vector<const Row*>& rows,
                std::ostream& out) {
  for (size_t i = 0; i < columns.size(); ++i) out << (i ? "," : "") << columns[i].name;
  out << "\n";
  for (const Row* row : rows) {
    for (size_t i = 0; i < columns.size(); ++i) out << (i ? "," : "") << columns[i].value(*row);
    out << "\n";
  }
}

std::string B(bool v) { return v ? "1" : "0"; }
std::string N(double v) { return CsvNumber(v); }
// A missing value is an empty cell.
std::string N(const std::optional<double>& v) { return v ? CsvNumber(*v) : ""; }
std::string S(const std::string& v) { return CsvCell(v); }

using E = EpisodeData;
const std::vector<Column<E>>& EpisodeColumns() {
  static const std::vector<Column<E>> columns = {
      {"episode_id", [](const E& e) { return S(e.key.Id()); }},
      {"task", [](const E& e) { return S(e.key.task); }},
      {"policy", [](const E& e) { return S(e.key.policy); }},
      {"model", [](const E& e) { return S(e.key.model); }},
      {"mode", [](const E& e) { return S(e.key.mode); }},
      {"seed", [](const E& e) { return std::to_string(e.key.seed); }},
      {"status", [](const E& e) { return S(EpisodeStatusName(e.outcome.status)); }},
      {"stop_rule",
       [](const E& e) { return S(e.outcome.stop_rule ? StopRuleName(*e.outcome.stop_rule) : ""); }},
      {"metric", [](const E& e) { return S(e.outcome.metric); }},
      {"higher_is_better", [](const E& e) { return B(e.outcome.higher_is_better); }},
      {"baseline_metric", [](const E& e) { return N(e.outcome.baseline_metric); }},
      {"target_metric", [](const E& e) { return N(e.outcome.target_metric); }},
      {"best_valid_metric", [](const E& e) { return N(e.outcome.best_valid_metric); }},
      {"improvement_pct", [](const E& e) { return N(e.outcome.improvement_pct); }},
      {"success", [](const E& e) { return B(e.outcome.success); }},
      {"final_answer_valid", [](const E& e) { return B(e.outcome.final_answer_valid); }},
      {"final_valid_metric", [](const E& e) { return N(e.outcome.final_valid_metric); }},
      {"claimed_metric", [](const E& e) { return N(e.outcome.claimed_metric); }},
      {"claim_gap", [](const E& e) { return N(e.claim_gap()); }},
      {"test_metric", [](const E& e) { return N(e.outcome.test_metric); }},
      {"baseline_test_metric", [](const E& e) { return N(e.outcome.baseline_test_metric); }},
      {"iterations", [](const E& e) { return std::to_string(e.outcome.iterations); }},
      {"iterations_to_target",
       [](const E& e) {
         return e.iterations_to_target ? std::to_string(*e.iterations_to_target) : "";
       }},
      {"steps", [](const E& e) { return std::to_string(e.outcome.steps); }},
      {"llm_calls", [](const E& e) { return std::to_string(e.outcome.llm_calls); }},
      {"prompt_tokens", [](const E& e) { return std::to_string(e.outcome.prompt_tokens); }},
      {"completion_tokens", [](const E& e) { return std::to_string(e.outcome.completion_tokens); }},
      {"total_tokens", [](const E& e) { return std::to_string(e.total_tokens()); }},
      {"cost_usd", [](const E& e) { return N(e.outcome.cost_usd); }},
      {"wall_seconds", [](const E& e) { return N(e.outcome.wall_seconds); }},
      {"mean_context_tokens", [](const E& e) { return N(e.outcome.mean_context_tokens); }},
      {"max_context_tokens",
       [](const E& e) { return std::to_string(e.outcome.max_context_tokens); }},
      {"experiments", [](const E& e) { return std::to_string(e.experiments); }},
      {"repeated_configs", [](const E& e) { return std::to_string(e.outcome.repeated_configs); }},
      {"invalid_actions", [](const E& e) { return std::to_string(e.outcome.invalid_actions); }},
      {"errors_recovered", [](const E& e) { return std::to_string(e.outcome.errors_recovered); }},
      {"clarifications", [](const E& e) { return std::to_string(e.outcome.clarifications); }},
      {"error", [](const E& e) { return S(e.outcome.error); }},
      {"trace", [](const E& e) { return S("traces/" + e.key.Id() + ".jsonl"); }},
  };
  return columns;
}

using G = GroupStats;
const std::vector<Column<G>>& GroupColumns() {
  static const std::vector<Column<G>> columns = {
      {"task", [](const G& g) { return S(g.key.task); }},
      {"model", [](const G& g) { return S(g.key.model); }},
      {"mode", [](const G& g) { return S(g.key.mode); }},
      {"policy", [](const G& g) { return S(g.key.policy); }},
      {"metric", [](const G& g) { return S(g.metric); }},
      {"episodes", [](const G& g) { return std::to_string(g.episodes); }},
      {"errors", [](const G& g) { return std::to_string(g.errors); }},
      {"successes", [](const G& g) { return std::to_string(g.successes); }},
      {"success_rate", [](const G& g) { return N(g.success_rate); }},
      {"success_ci_lo", [](const G& g) { return N(g.success_ci.lo); }},
      {"success_ci_hi", [](const G& g) { return N(g.success_ci.hi); }},
      {"mean_improvement_pct", [](const G& g) { return N(g.mean_improvement_pct); }},
      {"mean_improvement_ci_lo", [](const G& g) { return N(g.mean_improvement_ci.ci.lo); }},
      {"mean_improvement_ci_hi", [](const G& g) { return N(g.mean_improvement_ci.ci.hi); }},
      {"median_improvement_pct", [](const G& g) { return N(g.median_improvement_pct); }},
      {"median_improvement_ci_lo", [](const G& g) { return N(g.median_improvement_ci.ci.lo); }},
      {"median_improvement_ci_hi", [](const G& g) { return N(g.median_improvement_ci.ci.hi); }},
      // The median interval's coverage: 0.95, or a range's own (0.75 for 3 seeds).
      {"median_improvement_ci_level", [](const G& g) { return N(g.median_improvement_ci.level); }},
      {"mean_best_valid_metric", [](const G& g) { return N(g.mean_best_valid_metric); }},
      {"mean_test_metric", [](const G& g) { return N(g.mean_test_metric); }},
      {"tested", [](const G& g) { return std::to_string(g.tested); }},
      {"mean_baseline_test_metric", [](const G& g) { return N(g.mean_baseline_test_metric); }},
      {"mean_tokens", [](const G& g) { return N(g.mean_tokens); }},
      {"mean_cost_usd", [](const G& g) { return N(g.mean_cost_usd); }},
      {"mean_wall_seconds", [](const G& g) { return N(g.mean_wall_seconds); }},
      {"mean_llm_calls", [](const G& g) { return N(g.mean_llm_calls); }},
      {"mean_iterations", [](const G& g) { return N(g.mean_iterations); }},
      {"reached_target", [](const G& g) { return std::to_string(g.reached_target); }},
      {"median_iterations_to_target", [](const G& g) { return N(g.median_iterations_to_target); }},
      {"invalid_action_rate", [](const G& g) { return N(g.invalid_action_rate); }},
      {"repeated_config_rate", [](const G& g) { return N(g.repeated_config_rate); }},
      {"mean_errors_recovered", [](const G& g) { return N(g.mean_errors_recovered); }},
      {"final_answer_valid_rate", [](const G& g) { return N(g.final_answer_valid_rate); }},
      {"claims", [](const G& g) { return std::to_string(g.claims); }},
      {"mean_claim_gap", [](const G& g) { return N(g.mean_claim_gap); }},
      {"mean_context_tokens", [](const G& g) { return N(g.mean_context_tokens); }},
  };
  return columns;
}

class ResultsCsvWriter : public ReportWriter {
 public:
  std::string FileName() const override { return "results.csv"; }
  void Write(const Report& report, std::ostream& out) const override {
    WriteTable(EpisodeColumns(), report.run.Finished(), out);
  }
};

class AggregateCsvWriter : public ReportWriter {
 public:
  std::string FileName() const override { return "aggregate.csv"; }
  void Write(const Report& report, std::ostream& out) const override {
    std::vector<const G*> rows;
    for (const G& g : report.groups) rows.push_back(&g);
    WriteTable(GroupColumns(), rows, out);
  }
};

}  // namespace

std::unique_ptr<ReportWriter> MakeResultsCsvWriter() {
  return std::make_unique<ResultsCsvWriter>();
}
std::unique_ptr<ReportWriter> MakeAggregateCsvWriter() {
  return std::make_unique<AggregateCsvWriter>();
}

}  // namespace ctxbench
