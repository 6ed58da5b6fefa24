#include "report/run_comparison.h"

#include <map>
#include <sstream>
#include <tuple>
#include <vector>

#include "core/clock.h"
#include "report/aggregate.h"
#include "report/format.h"
#include "report/hypothesis_tests.h"
#include "report/resampling.h"

namespace ctxbench {

namespace {

using RowKey = std::tuple<std::string, std::string, std::string>;  // task, mode, policy

std::string Models(const RunData& run) {
  std::string out;
  for (const ModelInfo& m : run.models) out += (out.empty() ? "" : ", ") + ModelLabel(run, m.name);
  return out;
}

std::string SideCells(const GroupStats* g) {
  if (!g) return "— | — | — | —";
  return g->key.model + " | " + std::to_string(g->successes) + "/" + std::to_string(g->episodes) +
         (g->errors ? " (" + std::to_string(g->errors) + " errors)" : "") + " | " +
         FormatSigned(g->mean_improvement_pct, 2) + " " +
         FormatInterval(g->mean_improvement_ci.ci, 2, true) + " | " + FormatCount(g->mean_tokens);
}

std::string JoinComma(const std::vector<std::string>& v) {
  std::string out;
  for (const std::string& s : v) out += (out.empty() ? "" : ", ") + s;
  return out;
}

// "tasks: A toy, iris; B toy" when the lists differ, else "".
std::string Changed(const std::string& what, const std::vector<std::string>& a,
                    const std::vector<std::string>& b) {
  if (a == b) return "";
  return what + " (A: " + JoinComma(a) + "; B: " + JoinComma(b) + ")";
}

std::vector<std::string> ModelNames(const RunData& run) {
  std::vector<std::string> out;
  for (const ModelInfo& m : run.models) out.push_back(ModelLabel(run, m.name));
  return out;
}

std::vector<std::string> SeedNames(const RunData& run) {
  std::vector<std::string> out;
  for (uint64_t s : run.seeds) out.push_back(std::to_string(s));
  return out;
}

}  // namespace

std::string CompareRunsMarkdown(const RunData& a, const RunData& b) {
  std::ostringstream out;
  out << "# ctxbench compare: " << a.name << " (A) vs " << b.name << " (B)\n\n";
  for (const auto& [label, run] : {std::pair{"A", &a}, std::pair{"B", &b}}) {
    out << "- " << label << ": " << run->run_id << " (" << run->status << ", "
        << run->episodes.size() << " complete episodes, " << run->errored.size() << " errors, "
        << (run->started_at > 0 ? FormatUtc(run->started_at) : "date unknown")
        << "), models: " << Models(*run) << "\n";
  }
  bool any_sim = false;
  for (const RunData* run : {&a, &b}) {
    for (const ModelInfo& m : run->models) any_sim |= m.kind == "sim";
  }
  if (any_sim) {
    out << "\n> Results of a `sim` model were produced by the built-in sim experimenter "
           "(deterministic, not an LLM).\n";
  }
  std::string summary_marker = "\n@@SUMMARY@@\n";
  out << summary_marker;
  out << "\nPer task × mode × policy over seeds: successes, mean improvement over baseline % "
         "(bootstrap 95% CI), mean tokens. Δ = B − A in improvement points over the seeds both "
         "runs have (paired; sign-flip p, Holm-adjusted across the rows compared in brackets).\n\n";
  out << "| task | mode | policy | A model | A success | A improvement % | A tokens | B model | "
         "B success | B improvement % | B tokens | pairs | Δ improvement | p (Holm) |\n"
      << "| --- | --- | --- | --- | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: "
         "| ---: |\n";
  std::map<RowKey, std::pair<std::vector<GroupStats>, std::vector<GroupStats>>> rows;
  std::vector<RowKey> order;
  auto add = [&](const RunData& run, bool is_a) {
    for (const GroupStats& g : Aggregate(run)) {
      RowKey k{g.key.task, g.key.mode, g.key.policy};
      if (!rows.count(k)) order.push_back(k);
      (is_a ? rows[k].first : rows[k].second).push_back(g);
    }
  };
  add(a, true);
  add(b, false);
  // Each row's paired differences first, so the p-values can be Holm-adjusted
  // across every row compared before any row is written.
  struct Row {
    RowKey key;
    const GroupStats* a = nullptr;
    const GroupStats* b = nullptr;
    std::vector<double> diffs;  // B − A per shared seed
    double p = 1;
  };
  std::vector<Row> table;
  std::vector<double> p_values;
  int compared = 0, testable = 0;
  for (const RowKey& k : order) {
    const auto& [as, bs] = rows[k];
    size_t n = std::max(as.size(), bs.size());
    for (size_t i = 0; i < n; ++i) {
      Row row{k, i < as.size() ? &as[i] : nullptr, i < bs.size() ? &bs[i] : nullptr, {}, 1};
      if (row.a && row.b) {
        std::map<uint64_t, double> a_by_seed;
        for (const EpisodeData* e : GroupEpisodes(a, row.a->key))
          a_by_seed[e->key.seed] = e->outcome.improvement_pct;
        for (const EpisodeData* e : GroupEpisodes(b, row.b->key)) {
          auto it = a_by_seed.find(e->key.seed);
          if (it != a_by_seed.end()) row.diffs.push_back(e->outcome.improvement_pct - it->second);
        }
      }
      if (!row.diffs.empty()) {
        row.p = SignFlipPValue(row.diffs);
        p_values.push_back(row.p);
        ++compared;
        testable += SmallestSignFlipP(row.diffs) < 0.05;
      }
      table.push_back(std::move(row));
    }
  }
  std::vector<double> holm = HolmAdjust(p_values);
  std::vector<std::string> significant;
  size_t tested = 0;
  for (const Row& row : table) {
    std::string pairs = std::to_string(row.diffs.size()), diff = "n/a", p = "n/a";
    if (!row.diffs.empty()) {
      double adjusted = holm[tested++];
      diff = FormatSigned(Mean(row.diffs), 2);
      p = FormatP(row.p) + " (" + FormatP(adjusted) + ")";
      if (adjusted < 0.05) {
        significant.push_back(std::get<0>(row.key) + " " + std::get<1>(row.key) + " " +
                              std::get<2>(row.key) + " (" + diff + " points, Holm " +
                              PEquals(adjusted) + ")");
      }
    }
    out << "| " << std::get<0>(row.key) << " | " << std::get<1>(row.key) << " | "
        << std::get<2>(row.key) << " | " << SideCells(row.a) << " | " << SideCells(row.b) << " | "
        << pairs << " | " << diff << " | " << p << " |\n";
  }
  // The opening paragraph: what changed between the runs, what differs.
  std::vector<std::string> changes;
  for (const std::string& c :
       {Changed("models", ModelNames(a), ModelNames(b)), Changed("tasks", a.tasks, b.tasks),
        Changed("policies", a.policies, b.policies), Changed("modes", a.modes, b.modes),
        Changed("seeds", SeedNames(a), SeedNames(b))}) {
    if (!c.empty()) changes.push_back(c);
  }
  std::string summary = "Summary: " +
                        (changes.empty() ? std::string("the two runs have the same "
                                                       "grid (models, tasks, "
                                                       "policies, modes, seeds)")
                                         : "between A and B, " + JoinComma(changes) + " changed") +
                        ". Of " + std::to_string(compared) +
                        " task × mode × policy rows with shared seeds, " +
                        std::to_string(testable) +
                        " have enough nonzero paired differences for the sign-flip test to reach "
                        "p < 0.05, and " +
                        std::to_string(significant.size()) +
                        " differ in improvement at p < 0.05 after Holm's adjustment across the " +
                        std::to_string(compared) + " rows (Δ = B − A)" +
                        (significant.empty() ? "." : ": " + JoinComma(significant) + ".");
  std::string text = out.str();
  text.replace(text.find(summary_marker), summary_marker.size(), "\n" + summary + "\n");
  return text;
}

}  // namespace ctxbench
