// The ranking's bookkeeping: results that are the same data are named once
// (IdenticalResults, same_as) and the dominance test is Holm-adjusted.
#include "report/ranking.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "core/file.h"
#include "core/json.h"
#include "report/policy_comparison.h"
#include "report/test_run.h"

namespace ctxbench {
namespace {

using report_test::ScratchDir;
using report_test::SyntheticEpisode;

// A run folder of `episodes` whose config (run.json and the store's run row)
// lists `policies` and `modes`.
RunData LoadRun(const ScratchDir& dir, const std::vector<SyntheticEpisode>& episodes,
                const std::vector<std::string>& policies, const std::vector<std::string>& modes) {
  std::string run_dir = dir.Path() + "/" + report_test::kRunId;
  std::filesystem::create_directories(run_dir);
  Json config = {{"name", "golden"},
                 {"tasks", {"toy"}},
                 {"models", {{{"name", "sim"}, {"kind", "sim"}}}},
                 {"context_policies", Json::array()},
                 {"reasoning_modes", modes},
                 {"seeds", {1, 2, 3}}};
  for (const std::string& p : policies) {
    config["context_policies"].push_back({{"name", p}, {"type", "full"}});
  }
  WriteFileAtomic(run_dir + "/run.json",
                  Json{{"run_id", report_test::kRunId}, {"config", config}}.dump(2));
  auto store = SqliteStore::Open(run_dir + "/results.db");
  store->BeginRun(report_test::kRunId, "golden", config.dump(), 1.7e9);
  for (const SyntheticEpisode& s : episodes) {
    EventLog log(s.key, {store.get()});
    report_test::AppendEpisode(log, s);
  }
  store->FinishRun(report_test::kRunId, RunStatus::kComplete, 1.7e9 + 60);
  return LoadRunData(run_dir);
}

// `seeds` episodes of one policy and mode: one experiment reaching `metric`,
// `tokens` prompt tokens per call.
void Add(std::vector<SyntheticEpisode>& eps, const std::string& policy, const std::string& mode,
         int seeds, double metric, int tokens) {
  for (int s = 1; s <= seeds; ++s) {
    eps.push_back({{"toy", policy, "sim", mode, uint64_t(s)}, {metric}, tokens, true, {}, 0, 0});
  }
}

const RankedPolicy& Row(const PolicyRanking& r, const std::string& policy) {
  auto it = std::find_if(r.rows.begin(), r.rows.end(),
                         [&](const RankedPolicy& p) { return p.policy == policy; });
  EXPECT_NE(it, r.rows.end()) << policy;
  return *it;
}

bool Contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

TEST(IdenticalResultsTest, NamesPoliciesWithIdenticalEpisodesOnce) {
  ScratchDir dir;
  std::vector<SyntheticEpisode> eps;
  Add(eps, "full", "agentic", 3, 0.85, 100);
  Add(eps, "window2", "agentic", 3, 0.82, 50);
  Add(eps, "mask", "agentic", 3, 0.82, 50);  // the same results as window2
  RunData run = LoadRun(dir, eps, {"full", "window2", "mask"}, {"agentic"});
  std::vector<std::string> same = IdenticalResults(run);
  ASSERT_EQ(same.size(), 1u);
  EXPECT_EQ(same[0], "window2 and mask gave identical episodes (sim, agentic): one result, not 2.");

  std::vector<PolicyRanking> rankings =
      RankPolicies(run, ComparePoliciesAcrossTasks(run, "full"), "full");
  ASSERT_EQ(rankings.size(), 1u);
  EXPECT_EQ(Row(rankings[0], "mask").same_as, "window2");
  EXPECT_EQ(Row(rankings[0], "window2").same_as, "");
  EXPECT_EQ(Row(rankings[0], "full").same_as, "");
}

TEST(IdenticalResultsTest, OneDifferentSeedIsNotIdentical) {
  ScratchDir dir;
  std::vector<SyntheticEpisode> eps;
  Add(eps, "window2", "agentic", 3, 0.82, 50);
  Add(eps, "mask", "agentic", 2, 0.82, 50);
  eps.push_back({{"toy", "mask", "sim", "agentic", 3}, {0.83}, 50, true, {}, 0, 0});
  RunData run = LoadRun(dir, eps, {"window2", "mask"}, {"agentic"});
  EXPECT_TRUE(IdenticalResults(run).empty());
  std::vector<PolicyRanking> rankings =
      RankPolicies(run, ComparePoliciesAcrossTasks(run, "window2"), "window2");
  ASSERT_EQ(rankings.size(), 1u);
  EXPECT_EQ(Row(rankings[0], "mask").same_as, "");
}

TEST(IdenticalResultsTest, NamesAPolicyIdenticalAcrossModes) {
  ScratchDir dir;
  std::vector<SyntheticEpisode> eps;
  Add(eps, "full", "agentic", 3, 0.85, 100);
  Add(eps, "full", "controller", 3, 0.85, 100);
  Add(eps, "window2", "agentic", 3, 0.82, 50);
  Add(eps, "window2", "controller", 3, 0.83, 50);
  RunData run = LoadRun(dir, eps, {"full", "window2"}, {"agentic", "controller"});
  std::vector<std::string> same = IdenticalResults(run);
  ASSERT_EQ(same.size(), 1u);
  EXPECT_EQ(same[0],
            "full gave identical episodes in every mode (sim): the modes do not differ "
            "for it.");
}

// Three policies with equal success and strictly ordered tokens on every
// seed: each pair is one tokens test with sign-flip p = 2 / 2^seeds, and
// there are 3 such tests (window2 over mask and full, mask over full).
std::vector<PolicyRanking> TokensOnly(const ScratchDir& dir, int seeds) {
  std::vector<SyntheticEpisode> eps;
  Add(eps, "full", "agentic", seeds, 0.85, 100);
  Add(eps, "mask", "agentic", seeds, 0.85, 75);
  Add(eps, "window2", "agentic", seeds, 0.85, 50);
  RunData run = LoadRun(dir, eps, {"full", "mask", "window2"}, {"agentic"});
  return RankPolicies(run, ComparePoliciesAcrossTasks(run, "full"), "full");
}

TEST(DominanceTest, HolmAdjustedAcrossTheRankingsTests) {
  // 6 seeds: raw p = 2/64 = 0.031 would dominate; Holm 3 × 0.031 = 0.094 ties.
  ScratchDir six;
  std::vector<PolicyRanking> r = TokensOnly(six, 6);
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].dominance_tests, 3);
  for (const char* p : {"full", "mask", "window2"}) EXPECT_TRUE(Row(r[0], p).non_dominated) << p;
  EXPECT_TRUE(Contains(Row(r[0], "full").tied_with, "window2"));
  EXPECT_TRUE(Contains(Row(r[0], "full").tied_with, "mask"));
  EXPECT_TRUE(Contains(Row(r[0], "mask").tied_with, "window2"));

  // 8 seeds: 3 × 2/256 = 0.023 < 0.05: window2 dominates both.
  ScratchDir eight;
  r = TokensOnly(eight, 8);
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].dominance_tests, 3);
  EXPECT_TRUE(Row(r[0], "window2").non_dominated);
  EXPECT_FALSE(Row(r[0], "mask").non_dominated);
  EXPECT_FALSE(Row(r[0], "full").non_dominated);
  EXPECT_FALSE(Row(r[0], "full").dominated_by.empty());
  EXPECT_TRUE(Row(r[0], "full").tied_with.empty());
}

TEST(DominanceTest, ARepeatIsNotTestedAgainAndTakesItsOriginalsVerdict) {
  // mask repeats window2: one test (window2 over full on tokens), p = 2/256.
  ScratchDir dir;
  std::vector<SyntheticEpisode> eps;
  Add(eps, "full", "agentic", 8, 0.85, 100);
  Add(eps, "window2", "agentic", 8, 0.85, 50);
  Add(eps, "mask", "agentic", 8, 0.85, 50);
  RunData run = LoadRun(dir, eps, {"full", "window2", "mask"}, {"agentic"});
  std::vector<PolicyRanking> r = RankPolicies(run, ComparePoliciesAcrossTasks(run, "full"), "full");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].dominance_tests, 1);
  EXPECT_EQ(Row(r[0], "mask").same_as, "window2");
  EXPECT_TRUE(Row(r[0], "window2").non_dominated);
  EXPECT_TRUE(Row(r[0], "mask").non_dominated);
  EXPECT_EQ(Row(r[0], "full").dominated_by, "window2");
}

TEST(RankPoliciesTest, InTwoPartsSameAsAtOnce) {
  // The report ranks before the pooled comparisons exist, then attaches them.
  ScratchDir dir;
  std::vector<SyntheticEpisode> eps;
  for (const char* mode : {"agentic", "controller"}) {
    Add(eps, "full", mode, 8, 0.85, 100);
    Add(eps, "window2", mode, 8, 0.85, 50);
    Add(eps, "mask", mode, 8, 0.9, 70);
  }
  RunData run = LoadRun(dir, eps, {"full", "window2", "mask"}, {"agentic", "controller"});
  std::vector<PairedComparison> pooled = ComparePoliciesAcrossTasks(run, "full");
  std::vector<PolicyRanking> once = RankPolicies(run, pooled, "full");
  std::vector<PolicyRanking> parts = RankPolicies(run, {}, "full");
  for (const PolicyRanking& r : parts) {
    for (const RankedPolicy& row : r.rows) EXPECT_FALSE(row.vs_control.has_value()) << row.policy;
  }
  AttachControlComparisons(parts, pooled, "full");
  ASSERT_EQ(once.size(), 2u);
  ASSERT_EQ(parts.size(), once.size());
  for (size_t i = 0; i < once.size(); ++i) {
    EXPECT_EQ(parts[i].mode, once[i].mode);
    EXPECT_EQ(parts[i].dominance_tests, once[i].dominance_tests);
    ASSERT_EQ(parts[i].rows.size(), 3u);
    ASSERT_EQ(parts[i].rows.size(), once[i].rows.size());
    for (size_t k = 0; k < once[i].rows.size(); ++k) {
      const RankedPolicy& a = once[i].rows[k];
      const RankedPolicy& b = parts[i].rows[k];
      EXPECT_EQ(b.policy, a.policy);
      EXPECT_EQ(b.non_dominated, a.non_dominated);
      EXPECT_EQ(b.dominated_by, a.dominated_by);
      EXPECT_EQ(b.tied_with, a.tied_with);
      EXPECT_EQ(b.vs_control.has_value(), a.vs_control.has_value()) << a.policy;
      EXPECT_EQ(a.vs_control.has_value(), a.policy != "full") << a.policy;
      if (!a.vs_control || !b.vs_control) continue;
      EXPECT_EQ(b.vs_control->key.policy, a.policy);
      EXPECT_EQ(b.vs_control->key.mode, once[i].mode);
      EXPECT_EQ(b.vs_control->pairs, a.vs_control->pairs);
      EXPECT_EQ(b.vs_control->tokens_ratio.ratio, a.vs_control->tokens_ratio.ratio);
      EXPECT_EQ(b.vs_control->success.p, a.vs_control->success.p);
    }
  }
}

}  // namespace
}  // namespace ctxbench
