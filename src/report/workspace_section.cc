#include "report/workspace_section.h"

#include <map>
#include <tuple>

#include "report/format.h"

namespace ctxbench {

const char* const kWorkspaceSectionText =
    "Workspace tasks: the agent edits files and runs the task's command. Runs: the agent's "
    "runs, totals over seeds (the starter's run and the final one not counted); failed: runs "
    "that exited non-zero or wrote no metric. Tracebacks: distinct Python tracebacks of failed "
    "runs, the starter's included; fixed: a run succeeded after the traceback last appeared. "
    "Final valid: the final workspace's validation metric; hidden test: the hidden evaluation "
    "of the final workspace (never shown to the agent); both means over the seeds that have "
    "one. Errors: episodes the infrastructure failed, in none of these totals.";

namespace {

struct Row {
  int episodes = 0, errors = 0, successes = 0, runs = 0, failed = 0, seen = 0, fixed = 0;
  double valid_sum = 0, test_sum = 0;
  int valid_n = 0, test_n = 0;
  std::string metric;
};

std::string Mean(double sum, int n) { return n > 0 ? FormatFixed(sum / n, 4) : "-"; }

}  // namespace

TextTable WorkspaceTable(const Report& report) {
  TextTable t;
  t.headers = {"task",        "model",       "policy",      "metric",          "episodes",
               "errors",      "runs",        "failed runs", "tracebacks seen", "tracebacks fixed",
               "final valid", "hidden test", "success"};
  std::vector<std::tuple<std::string, std::string, std::string>> order;
  std::map<std::tuple<std::string, std::string, std::string>, Row> rows;
  for (const EpisodeData& e : report.run.episodes) {
    if (!e.workspace) continue;
    auto key = std::make_tuple(e.key.task, e.key.model, e.key.policy);
    if (!rows.count(key)) order.push_back(key);
    Row& r = rows[key];
    const WorkspaceStats& w = *e.workspace;
    r.metric = e.outcome.metric + (e.outcome.higher_is_better ? " (higher)" : " (lower)");
    ++r.episodes;
    r.successes += e.outcome.success ? 1 : 0;
    r.runs += w.runs;
    r.failed += w.failed_runs;
    r.seen += w.tracebacks_seen;
    r.fixed += w.tracebacks_fixed;
    if (w.final_valid) r.valid_sum += *w.final_valid, ++r.valid_n;
    if (w.hidden_test) r.test_sum += *w.hidden_test, ++r.test_n;
  }
  // Errored episodes: counted, in no total.
  for (const EpisodeData& e : report.run.errored) {
    if (!e.workspace) continue;
    auto key = std::make_tuple(e.key.task, e.key.model, e.key.policy);
    if (!rows.count(key)) order.push_back(key);
    Row& r = rows[key];
    if (r.metric.empty())
      r.metric = e.outcome.metric + (e.outcome.higher_is_better ? " (higher)" : " (lower)");
    ++r.errors;
  }
  for (const auto& key : order) {
    const Row& r = rows[key];
    t.rows.push_back({std::get<0>(key), std::get<1>(key), std::get<2>(key), r.metric,
                      std::to_string(r.episodes), std::to_string(r.errors), std::to_string(r.runs),
                      std::to_string(r.failed), std::to_string(r.seen), std::to_string(r.fixed),
                      Mean(r.valid_sum, r.valid_n), Mean(r.test_sum, r.test_n),
                      std::to_string(r.successes) + "/" + std::to_string(r.episodes)});
  }
  return t;
}

}  // namespace ctxbench
