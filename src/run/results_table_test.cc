#include "run/results_table.h"

#include <gtest/gtest.h>

#include <sstream>

namespace ctxbench {
namespace {

EpisodeResult Result(const std::string& policy, uint64_t seed, const std::string& status,
                     double improvement, long long tokens) {
  EpisodeResult r;
  r.key = {"toy", policy, "sim", "agentic", seed};
  r.outcome.status = *ParseEpisodeStatus(status);
  r.outcome.success = status == "complete";
  r.outcome.improvement_pct = improvement;
  r.outcome.prompt_tokens = tokens;
  r.outcome.wall_seconds = 1;
  return r;
}

// The table's rows, each split into its cells (no cell has a space).
std::vector<std::vector<std::string>> Rows(const std::string& text) {
  std::vector<std::vector<std::string>> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    std::istringstream words(line);
    out.emplace_back();
    for (std::string w; words >> w;) out.back().push_back(w);
  }
  return out;
}

using Cells = std::vector<std::string>;

TEST(ResultsTableTest, ErroredEpisodesHaveTheirColumnAndNoShareInTheMeans) {
  std::string with =
      ResultsTable({Result("full", 1, "complete", 4, 100), Result("full", 2, "error", 90, 100000),
                    Result("full", 3, "complete", 6, 300)});
  std::string without =
      ResultsTable({Result("full", 1, "complete", 4, 100), Result("full", 3, "complete", 6, 300)});
  auto a = Rows(with), b = Rows(without);
  ASSERT_EQ(a.size(), 3u) << with;
  EXPECT_EQ(a[0], (Cells{"task", "policy", "mode", "model", "complete", "errors", "success",
                         "improvement", "tokens", "wall"}));
  EXPECT_EQ(a[2],
            (Cells{"toy", "full", "agentic", "sim", "2", "1", "100%", "+5.0%", "200", "1.00s"}))
      << with;
  // The same means as without the errored episode.
  ASSERT_EQ(b.size(), 3u) << without;
  EXPECT_EQ(std::vector<std::string>(a[2].begin() + 6, a[2].end()),
            std::vector<std::string>(b[2].begin() + 6, b[2].end()));
  EXPECT_EQ(b[2][5], "0");
}

TEST(ResultsTableTest, GroupWithOnlyErrorsShowsNoMeans) {
  std::string table = ResultsTable({Result("full", 1, "error", 0, 0)});
  auto rows = Rows(table);
  ASSERT_EQ(rows.size(), 3u) << table;
  EXPECT_EQ(rows[2], (Cells{"toy", "full", "agentic", "sim", "0", "1", "n/a", "n/a", "n/a", "n/a"}))
      << table;
}

}  // namespace
}  // namespace ctxbench
