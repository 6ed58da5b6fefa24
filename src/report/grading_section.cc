#include "report/grading_section.h"

#include <map>
#include <tuple>

#include "report/format.h"

namespace ctxbench {

const char* const kGradingSectionText =
    "Competition tasks (MLE-bench imports): the hidden test score of the final workspace's "
    "submission placed on the competition's leaderboard with MLE-bench's medal rule (thresholds "
    "by the number of teams). Graded: episodes whose final submission was scored; gold, silver, "
    "bronze: medals among them; above median: scores better than the leaderboard's median; "
    "hidden test: their mean score. Errored episodes are in none of these counts.";

TextTable GradingTable(const Report& report) {
  struct Row {
    int episodes = 0, graded = 0, gold = 0, silver = 0, bronze = 0, above = 0;
    double test_sum = 0;
    int test_n = 0;
  };
  TextTable t;
  t.label_columns = 3;  // task, model, policy
  t.headers = {"task", "model",  "policy", "episodes",     "graded",
               "gold", "silver", "bronze", "above median", "hidden test"};
  std::vector<std::tuple<std::string, std::string, std::string>> order;
  std::map<std::tuple<std::string, std::string, std::string>, Row> rows;
  bool any = false;
  for (const EpisodeData& e : report.run.episodes) {
    if (!e.workspace) continue;
    auto key = std::make_tuple(e.key.task, e.key.model, e.key.policy);
    if (!rows.count(key)) order.push_back(key);
    Row& r = rows[key];
    ++r.episodes;
    const WorkspaceStats& w = *e.workspace;
    if (!w.medal) continue;
    any = true;
    ++r.graded;
    r.gold += *w.medal == "gold";
    r.silver += *w.medal == "silver";
    r.bronze += *w.medal == "bronze";
    r.above += w.above_median;
    if (w.hidden_test) r.test_sum += *w.hidden_test, ++r.test_n;
  }
  if (!any) return t;
  for (const auto& key : order) {
    const Row& r = rows[key];
    if (r.graded == 0) continue;
    t.rows.push_back({std::get<0>(key), std::get<1>(key), std::get<2>(key),
                      std::to_string(r.episodes), std::to_string(r.graded), std::to_string(r.gold),
                      std::to_string(r.silver), std::to_string(r.bronze),
                      std::to_string(r.above) + "/" + std::to_string(r.graded),
                      r.test_n > 0 ? FormatFixed(r.test_sum / r.test_n, 5) : "-"});
  }
  return t;
}

}  // namespace ctxbench
