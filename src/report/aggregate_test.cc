// Statistics over the fixed golden run (test_run.h), checked against values
// worked out by hand from its episodes.
#include "report/aggregate.h"

#include <gtest/gtest.h>

#include <cmath>

#include "core/error.h"
#include "report/pareto.h"
#include "report/policy_comparison.h"
#include "report/test_run.h"

namespace ctxbench {
namespace {

using report_test::GoldenEpisodes;
using report_test::MakeRunFolder;
using report_test::ScratchDir;

TEST(RunDataTest, LoadsEpisodesAndSeries) {
  ScratchDir dir;
  RunData run = LoadRunData(MakeRunFolder(dir.Path(), GoldenEpisodes()));
  EXPECT_EQ(run.name, "golden");
  EXPECT_EQ(run.status, "complete");
  ASSERT_EQ(run.episodes.size(), 6u);
  EXPECT_EQ(run.policies, (std::vector<std::string>{"full", "window2"}));
  EXPECT_TRUE(IsSimModel(run, "sim"));
  EXPECT_EQ(ModelLabel(run, "sim"), "sim (built-in sim experimenter, not an LLM)");
  // Episodes are in id order: toy.full.sim.agentic.s1 first.
  const EpisodeData& e = run.episodes[0];
  EXPECT_EQ(e.key.Id(), "toy.full.sim.agentic.s1");
  // Metrics 0.82, 0.85, 0.84 after baseline 0.8: best 0.8 → 0.82 → 0.85 → 0.85.
  ASSERT_EQ(e.best_by_iteration.size(), 4u);
  EXPECT_DOUBLE_EQ(e.best_by_iteration[2].y, 0.85);
  EXPECT_DOUBLE_EQ(e.best_by_iteration[3].x, 3);
  EXPECT_DOUBLE_EQ(e.best_by_iteration[3].y, 0.85);
  // Cumulative tokens 120, 340, 660; best changes after calls 1 and 2, closed at 660.
  ASSERT_EQ(e.best_by_tokens.size(), 4u);
  EXPECT_DOUBLE_EQ(e.best_by_tokens[1].x, 120);
  EXPECT_DOUBLE_EQ(e.best_by_tokens[2].x, 340);
  EXPECT_DOUBLE_EQ(e.best_by_tokens[3].x, 660);
  ASSERT_EQ(e.context_by_step.size(), 3u);
  EXPECT_DOUBLE_EQ(e.context_by_step[2].y, 300);
  EXPECT_EQ(e.iterations_to_target, 2);
  EXPECT_EQ(e.experiments, 3);
  ASSERT_TRUE(e.claim_gap());
  EXPECT_NEAR(*e.claim_gap(), 0.01, 1e-12);
  // The failed training on full s3 does not move the best.
  EXPECT_DOUBLE_EQ(run.episodes[2].best_by_iteration.back().y, 0.845);
}

TEST(RunDataTest, NotARunFolderIsAnInputError) {
  ScratchDir dir;
  try {
    LoadRunData(dir.Path());
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInput);
    EXPECT_NE(std::string(e.what()).find("no results.db"), std::string::npos);
  }
}

TEST(AggregateTest, MatchesHandComputedValues) {
  ScratchDir dir;
  std::vector<GroupStats> groups =
      Aggregate(LoadRunData(MakeRunFolder(dir.Path(), GoldenEpisodes())));
  ASSERT_EQ(groups.size(), 2u);
  const GroupStats& full = groups[0];
  const GroupStats& window = groups[1];
  EXPECT_EQ(full.key.policy, "full");
  // full: best 0.85, 0.86, 0.845 → improvements 6.25, 7.5, 5.625 %.
  EXPECT_EQ(full.successes, 3);
  EXPECT_NEAR(full.success_ci.lo, 0.438503, 1e-6);  // Wilson 3/3
  EXPECT_NEAR(full.mean_improvement_pct, 19.375 / 3, 1e-9);
  EXPECT_NEAR(full.median_improvement_pct, 6.25, 1e-9);
  // t interval: mean ± t_{0.975,2}·s/√3 with s = 0.954703 (sd of 6.25, 7.5, 5.625).
  EXPECT_NEAR(full.mean_improvement_ci.ci.lo, 19.375 / 3 - 4.302653 * 0.954703 / std::sqrt(3.0),
              1e-4);
  EXPECT_NEAR(full.mean_improvement_ci.ci.hi, 19.375 / 3 + 4.302653 * 0.954703 / std::sqrt(3.0),
              1e-4);
  // Three values: the median's interval is their range, with its 75% coverage.
  EXPECT_TRUE(full.median_improvement_ci.is_range);
  EXPECT_NEAR(full.median_improvement_ci.ci.lo, 5.625, 1e-9);
  EXPECT_DOUBLE_EQ(full.median_improvement_ci.level, 0.75);
  EXPECT_DOUBLE_EQ(full.mean_tokens, 660);  // 100+200+300 prompt + 3×20 completion
  EXPECT_EQ(full.reached_target, 3);        // iterations 2, 3, 1
  EXPECT_DOUBLE_EQ(full.median_iterations_to_target, 2);
  EXPECT_NEAR(full.invalid_action_rate, 1.0 / 9, 1e-12);
  EXPECT_NEAR(full.repeated_config_rate, 1.0 / 9, 1e-12);
  EXPECT_EQ(full.claims, 3);
  EXPECT_NEAR(full.mean_claim_gap, 0.01 / 3, 1e-12);  // |0.86-0.85|, |0.86-0.86|, |0.845-0.845|
  // window2: best 0.86, 0.84, 0.82 → 7.5, 5, 2.5 %; seed 3 invalid and below target.
  EXPECT_EQ(window.successes, 2);
  EXPECT_NEAR(window.success_ci.lo, 0.207660, 1e-6);  // Wilson 2/3
  EXPECT_NEAR(window.success_ci.hi, 0.938508, 1e-6);
  EXPECT_NEAR(window.mean_improvement_pct, 5, 1e-9);
  EXPECT_DOUBLE_EQ(window.mean_tokens, 360);
  EXPECT_EQ(window.reached_target, 2);
  EXPECT_NEAR(window.final_answer_valid_rate, 2.0 / 3, 1e-12);
}

TEST(ComparisonTest, PairedAgainstControlMatchesHandComputedValues) {
  ScratchDir dir;
  std::vector<PairedComparison> cs =
      ComparePolicies(LoadRunData(MakeRunFolder(dir.Path(), GoldenEpisodes())), "full");
  ASSERT_EQ(cs.size(), 1u);
  const PairedComparison& c = cs[0];
  EXPECT_EQ(c.key.policy, "window2");
  EXPECT_EQ(c.pairs, 3);
  EXPECT_FALSE(c.improvement.testable());  // 3 nonzero differences: smallest p 0.25
  EXPECT_DOUBLE_EQ(c.improvement.smallest_p, 0.25);
  // Differences 1.25, -2.5, -3.125: mean -4.375/3; |sum| 4.375 is reached by
  // 4 of the 8 sign assignments (±(+,+,+) and ±(+,-,-)).
  EXPECT_NEAR(c.improvement.mean, -4.375 / 3, 1e-9);
  EXPECT_DOUBLE_EQ(c.improvement.p, 0.5);
  EXPECT_LT(c.improvement.ci.ci.lo, -3.125);  // the t interval is wider than the range
  EXPECT_GT(c.improvement.ci.ci.hi, 1.25);
  // Tokens: -300 on every seed: only all-plus and all-minus reach 900.
  EXPECT_DOUBLE_EQ(c.tokens.mean, -300);
  EXPECT_DOUBLE_EQ(c.tokens.p, 0.25);
  EXPECT_DOUBLE_EQ(c.tokens.ci.ci.lo, -300);  // no spread
  // Per-pair ratios 120/220, 120/220, 120/220 (a uniform cut of 300 from 220,
  // 220, 220 tokens): the geometric mean.
  EXPECT_GT(c.tokens_ratio.ratio, 0);
  EXPECT_LT(c.tokens_ratio.ratio, 1);
  // Success: seed 3 only the control succeeded: one discordant pair, p = 1.
  EXPECT_EQ(c.success.counts.only_control, 1);
  EXPECT_EQ(c.success.counts.only_policy, 0);
  EXPECT_DOUBLE_EQ(c.success.p, 1);
  EXPECT_NEAR(c.success.diff, -1.0 / 3, 1e-12);
  EXPECT_NEAR(c.success_rate, 2.0 / 3, 1e-12);
  EXPECT_DOUBLE_EQ(c.control_success_rate, 1);
}

TEST(ComparisonTest, SixPairsAreEnoughToTest) {
  ScratchDir dir;
  std::vector<report_test::SyntheticEpisode> eps;
  for (uint64_t seed = 1; seed <= 6; ++seed) {
    eps.push_back({{"toy", "full", "sim", "agentic", seed}, {0.81}, 100, true, {}, 0, 0});
    eps.push_back({{"toy", "window2", "sim", "agentic", seed}, {0.82}, 50, true, {}, 0, 0});
  }
  auto cs = ComparePolicies(LoadRunData(MakeRunFolder(dir.Path(), eps)), "full");
  ASSERT_EQ(cs.size(), 1u);
  EXPECT_TRUE(cs[0].improvement.testable());
  EXPECT_DOUBLE_EQ(cs[0].improvement.p, 2.0 / 64);
}

TEST(ComparisonTest, PoolingOverTasksPairsEachTaskAndSeed) {
  ScratchDir dir;
  std::vector<report_test::SyntheticEpisode> eps;
  for (const std::string task : {"toy", "toy2"}) {
    for (uint64_t seed = 1; seed <= 3; ++seed) {
      eps.push_back({{task, "full", "sim", "agentic", seed}, {0.81}, 100, true, {}, 0, 0});
      eps.push_back({{task, "window2", "sim", "agentic", seed}, {0.82}, 50, true, {}, 0, 0});
    }
  }
  RunData run = LoadRunData(MakeRunFolder(dir.Path(), eps));
  auto per_task = ComparePolicies(run, "full");
  ASSERT_EQ(per_task.size(), 2u);
  EXPECT_FALSE(per_task[0].improvement.testable());
  auto pooled = ComparePoliciesAcrossTasks(run, "full");
  ASSERT_EQ(pooled.size(), 1u);
  const PairedComparison& c = pooled[0];
  EXPECT_EQ(c.key.task, kAllTasks);
  EXPECT_EQ(c.key.policy, "window2");
  EXPECT_EQ(c.pairs, 6);
  EXPECT_EQ(c.tasks, 2);
  EXPECT_TRUE(c.improvement.testable());
  // +1.25 points on all six pairs: only all-plus and all-minus reach the sum.
  EXPECT_NEAR(c.improvement.mean, 1.25, 1e-9);
  EXPECT_DOUBLE_EQ(c.improvement.p, 2.0 / 64);
  // With the task as the unit: 2 task means, smallest possible p 2/4 = 0.5.
  EXPECT_DOUBLE_EQ(c.improvement.task_p, 0.5);
  EXPECT_DOUBLE_EQ(c.improvement.smallest_task_p, 0.5);
  EXPECT_NEAR(c.tokens_ratio.ratio, 70.0 / 120, 1e-12);  // (50 + 20 completion) / (100 + 20)
  // Baseline 0.80, reference best 0.82 (window2's): window2 reaches the whole
  // headroom, full (0.81) half of it.
  EXPECT_NEAR(c.headroom.mean, 50, 1e-9);

  // One task only: the pooled comparison is that task's, relabelled.
  ScratchDir one;
  eps.resize(6);
  auto single = ComparePoliciesAcrossTasks(LoadRunData(MakeRunFolder(one.Path(), eps)), "full");
  ASSERT_EQ(single.size(), 1u);
  EXPECT_EQ(single[0].pairs, 3);
  EXPECT_TRUE(std::isnan(single[0].improvement.task_p));
}

// The same episodes without the errored ones: what every statistic must equal.
std::vector<report_test::SyntheticEpisode> WithoutErrored(
    std::vector<report_test::SyntheticEpisode> eps) {
  std::erase_if(eps, [](const report_test::SyntheticEpisode& e) { return e.errored; });
  return eps;
}

void ExpectSameStats(const GroupStats& a, const GroupStats& b) {
  EXPECT_EQ(a.key, b.key);
  EXPECT_EQ(a.metric, b.metric);
  EXPECT_EQ(a.episodes, b.episodes);
  EXPECT_EQ(a.successes, b.successes);
  EXPECT_DOUBLE_EQ(a.success_rate, b.success_rate);
  EXPECT_DOUBLE_EQ(a.success_ci.lo, b.success_ci.lo);
  EXPECT_DOUBLE_EQ(a.success_ci.hi, b.success_ci.hi);
  EXPECT_DOUBLE_EQ(a.mean_improvement_pct, b.mean_improvement_pct);
  EXPECT_DOUBLE_EQ(a.mean_improvement_ci.ci.lo, b.mean_improvement_ci.ci.lo);
  EXPECT_DOUBLE_EQ(a.mean_improvement_ci.ci.hi, b.mean_improvement_ci.ci.hi);
  EXPECT_DOUBLE_EQ(a.median_improvement_pct, b.median_improvement_pct);
  EXPECT_DOUBLE_EQ(a.mean_best_valid_metric, b.mean_best_valid_metric);
  EXPECT_DOUBLE_EQ(a.mean_test_metric, b.mean_test_metric);
  EXPECT_DOUBLE_EQ(a.mean_tokens, b.mean_tokens);
  EXPECT_DOUBLE_EQ(a.mean_cost_usd, b.mean_cost_usd);
  EXPECT_DOUBLE_EQ(a.mean_wall_seconds, b.mean_wall_seconds);
  EXPECT_DOUBLE_EQ(a.mean_llm_calls, b.mean_llm_calls);
  EXPECT_DOUBLE_EQ(a.mean_iterations, b.mean_iterations);
  EXPECT_EQ(a.reached_target, b.reached_target);
  EXPECT_DOUBLE_EQ(a.invalid_action_rate, b.invalid_action_rate);
  EXPECT_DOUBLE_EQ(a.repeated_config_rate, b.repeated_config_rate);
  EXPECT_DOUBLE_EQ(a.final_answer_valid_rate, b.final_answer_valid_rate);
  EXPECT_EQ(a.claims, b.claims);
  EXPECT_DOUBLE_EQ(a.mean_context_tokens, b.mean_context_tokens);
}

TEST(AggregateTest, ErroredEpisodesAreCountedAndInNoStatistic) {
  ScratchDir dir;  // one per test: the two runs go in subfolders
  auto eps = report_test::GoldenEpisodesWithErrors();
  RunData with = LoadRunData(MakeRunFolder(dir.Path() + "/with", eps));
  RunData without = LoadRunData(MakeRunFolder(dir.Path() + "/without", WithoutErrored(eps)));
  ASSERT_EQ(with.errored.size(), 3u);
  EXPECT_EQ(with.episodes.size(), without.episodes.size());
  EXPECT_EQ(with.errored[0].outcome.status, EpisodeStatus::kError);
  EXPECT_EQ(with.Finished().size(), eps.size());
  std::vector<GroupStats> a = Aggregate(with), b = Aggregate(without);
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) ExpectSameStats(a[i], b[i]);
  EXPECT_EQ(a[0].key.policy, "full");
  EXPECT_EQ(a[0].errors, 2);  // seeds 4 and 5
  EXPECT_EQ(a[1].errors, 1);  // seed 4
  EXPECT_EQ(b[0].errors, 0);
}

TEST(AggregateTest, GroupWhoseEpisodesAllErroredIsCountedWithNoStatistics) {
  ScratchDir dir;
  report_test::SyntheticEpisode e{
      {"toy", "full", "sim", "agentic", 1}, {0.9}, 100, true, std::nullopt, 0, 0, true};
  RunData run = LoadRunData(MakeRunFolder(dir.Path(), {e}));
  std::vector<GroupStats> groups = Aggregate(run);
  ASSERT_EQ(groups.size(), 1u);
  EXPECT_EQ(groups[0].episodes, 0);
  EXPECT_EQ(groups[0].errors, 1);
  EXPECT_EQ(groups[0].metric, "accuracy");
  EXPECT_TRUE(std::isnan(groups[0].success_rate));
  EXPECT_TRUE(std::isnan(groups[0].mean_improvement_pct));
}

TEST(ComparisonTest, PairsWithAnErroredSideAreDroppedAndCounted) {
  ScratchDir dir;  // one per test: the two runs go in subfolders
  auto eps = report_test::GoldenEpisodesWithErrors();
  auto with = ComparePolicies(LoadRunData(MakeRunFolder(dir.Path() + "/with", eps)), "full");
  auto without = ComparePolicies(
      LoadRunData(MakeRunFolder(dir.Path() + "/without", WithoutErrored(eps))), "full");
  ASSERT_EQ(with.size(), 1u);
  ASSERT_EQ(without.size(), 1u);
  // Seed 4: both sides errored; seed 5: the control errored. Seeds 1-3 remain.
  EXPECT_EQ(with[0].dropped_pairs, 2);
  EXPECT_EQ(without[0].dropped_pairs, 0);
  EXPECT_EQ(with[0].pairs, without[0].pairs);
  EXPECT_EQ(with[0].pairs, 3);
  EXPECT_DOUBLE_EQ(with[0].improvement.mean, without[0].improvement.mean);
  EXPECT_DOUBLE_EQ(with[0].improvement.p, without[0].improvement.p);
  EXPECT_DOUBLE_EQ(with[0].improvement.ci.ci.lo, without[0].improvement.ci.ci.lo);
  EXPECT_DOUBLE_EQ(with[0].tokens.mean, without[0].tokens.mean);
  EXPECT_DOUBLE_EQ(with[0].tokens_ratio.ratio, without[0].tokens_ratio.ratio);
  EXPECT_EQ(with[0].success.counts.n(), without[0].success.counts.n());
  EXPECT_DOUBLE_EQ(with[0].success_rate, without[0].success_rate);
}

TEST(ComparisonTest, ComparisonWhoseEveryPairErroredShowsTheDroppedPairs) {
  ScratchDir dir;
  std::vector<report_test::SyntheticEpisode> eps = {
      {{"toy", "full", "sim", "agentic", 1}, {0.81}, 100, true, {}, 0, 0, true},
      {{"toy", "window2", "sim", "agentic", 1}, {0.82}, 50, true, {}, 0, 0, false},
  };
  auto cs = ComparePolicies(LoadRunData(MakeRunFolder(dir.Path(), eps)), "full");
  ASSERT_EQ(cs.size(), 1u);
  EXPECT_EQ(cs[0].pairs, 0);
  EXPECT_EQ(cs[0].dropped_pairs, 1);
  EXPECT_FALSE(cs[0].improvement.testable());
}

TEST(ParetoTest, FrontierKeepsUndominatedPointsSortedByTokens) {
  std::vector<EfficiencyPoint> pts = {{100, 5}, {50, 5}, {200, 8}, {150, 4}, {50, 5}, {300, 8}};
  // {100,5} is dominated by {50,5}; {150,4} by {50,5}; {300,8} by {200,8}.
  EXPECT_EQ(ParetoFrontier(pts), (std::vector<size_t>{1, 4, 2}));
  EXPECT_TRUE(ParetoFrontier({}).empty());
}

}  // namespace
}  // namespace ctxbench
