#include "run/results_table.h"

#include <algorithm>
#include <cstdio>
#include <map>

namespace ctxbench {

namespace {

struct Group {
  std::vector<std::string> cells;
  int n = 0, success = 0, errors = 0;
  double improvement = 0, tokens = 0, wall = 0;
};

std::string Fixed(double v, int decimals) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

}  // namespace

std::string ResultsTable(const std::vector<EpisodeResult>& results) {
  std::vector<std::string> order;
  std::map<std::string, Group> groups;
  for (const auto& r : results) {
    std::string id =
        r.key.task + "\x1f" + r.key.policy + "\x1f" + r.key.mode + "\x1f" + r.key.model;
    if (!groups.count(id)) {
      order.push_back(id);
      groups[id].cells = {r.key.task, r.key.policy, r.key.mode, r.key.model};
    }
    Group& g = groups[id];
    if (r.outcome.status != EpisodeStatus::kComplete) {
      ++g.errors;
      continue;
    }
    ++g.n;
    g.success += r.outcome.success;
    g.improvement += r.outcome.improvement_pct;
    g.tokens += static_cast<double>(r.outcome.prompt_tokens + r.outcome.completion_tokens);
    g.wall += r.outcome.wall_seconds;
  }
  std::vector<std::vector<std::string>> rows = {{"task", "policy", "mode", "model", "complete",
                                                 "errors", "success", "improvement", "tokens",
                                                 "wall"}};
  for (const auto& id : order) {
    const Group& g = groups[id];
    auto row = g.cells;
    row.push_back(std::to_string(g.n));
    row.push_back(std::to_string(g.errors));
    if (g.n == 0) {
      row.insert(row.end(), 4, "n/a");
    } else {
      row.push_back(Fixed(100.0 * g.success / g.n, 0) + "%");
      row.push_back((g.improvement >= 0 ? "+" : "") + Fixed(g.improvement / g.n, 1) + "%");
      row.push_back(Fixed(g.tokens / g.n, 0));
      row.push_back(Fixed(g.wall / g.n, 2) + "s");
    }
    rows.push_back(row);
  }
  std::vector<size_t> width(rows[0].size(), 0);
  for (const auto& row : rows) {
    for (size_t i = 0; i < row.size(); ++i) width[i] = std::max(width[i], row[i].size());
  }
  std::string out;
  for (size_t r = 0; r < rows.size(); ++r) {
    for (size_t i = 0; i < rows[r].size(); ++i) {
      bool numeric = i >= 4;
      std::string pad(width[i] - rows[r][i].size(), ' ');
      if (i > 0) out.append("  ");
      out.append(numeric ? pad : rows[r][i]);
      out.append(numeric ? rows[r][i] : pad);
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    out += "\n";
    if (r == 0) {
      for (size_t i = 0; i < width.size(); ++i) {
        if (i > 0) out.append("  ");
        out.append(width[i], '-');
      }
      out += "\n";
    }
  }
  return out;
}

}  // namespace ctxbench
