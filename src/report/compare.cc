#include "report/compare.h"

#include <map>
#include <sstream>
#include <tuple>

#include "core/clock.h"
#include "report/aggregate.h"
#include "report/format.h"
#include "report/resampling.h"

namespace ctxbench {

namespace {

using RowKey = std::tuple<std::string, std::string, std::string>;  // task, mode, policy

std::string Models(const RunData& run) {
  std::string out;
  for (const ModelInfo& m : run.models) out += (out.empty() ? "" : ", ") + ModelLabel(run, m.name);
  return out;
}

std::string Side(const GroupStats* g) {
  if (!g) return "— | — | — | —";
  return g->key.model + " | " + std::to_string(g->successes) + "/" + std::to_string(g->episodes) +
         (g->errors ? " (" + std::to_string(g->errors) + " errors)" : "") + " | " +
         FormatSigned(g->mean_improvement_pct, 2) + " " +
         FormatInterval(g->mean_improvement_ci, 2, true) + " | " + FormatCount(g->mean_tokens);
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
  out << "\nPer task × mode × policy over seeds: successes, mean improvement over baseline % "
         "(bootstrap 95% CI), mean tokens. Δ = B − A in improvement points over the seeds both "
         "runs have (paired; sign-flip p).\n\n";
  out << "| task | mode | policy | A model | A success | A improvement % | A tokens | B model | "
         "B success | B improvement % | B tokens | pairs | Δ improvement | p |\n"
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
  for (const RowKey& k : order) {
    const auto& [as, bs] = rows[k];
    size_t n = std::max(as.size(), bs.size());
    for (size_t i = 0; i < n; ++i) {
      const GroupStats* ga = i < as.size() ? &as[i] : nullptr;
      const GroupStats* gb = i < bs.size() ? &bs[i] : nullptr;
      std::string pairs = "0", diff = "n/a", p = "n/a";
      if (ga && gb) {
        std::map<uint64_t, double> a_by_seed;
        for (const EpisodeData* e : GroupEpisodes(a, ga->key))
          a_by_seed[e->key.seed] = e->improvement_pct;
        std::vector<double> d;
        for (const EpisodeData* e : GroupEpisodes(b, gb->key)) {
          auto it = a_by_seed.find(e->key.seed);
          if (it != a_by_seed.end()) d.push_back(e->improvement_pct - it->second);
        }
        pairs = std::to_string(d.size());
        if (!d.empty()) {
          diff = FormatSigned(Mean(d), 2);
          p = FormatP(SignFlipPValue(d));
        }
      }
      out << "| " << std::get<0>(k) << " | " << std::get<1>(k) << " | " << std::get<2>(k) << " | "
          << Side(ga) << " | " << Side(gb) << " | " << pairs << " | " << diff << " | " << p
          << " |\n";
    }
  }
  return out.str();
}

}  // namespace ctxbench
