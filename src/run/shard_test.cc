#include "run/shard.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

#include "core/error.h"

namespace ctxbench {
namespace {

EnvLookup FakeEnv(std::map<std::string, std::string> vars) {
  return [vars = std::move(vars)](const std::string& name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end() || it->second.empty()) return std::nullopt;
    return it->second;
  };
}

TEST(ShardTest, PartitionCoversThePlanOnceAndIsBalanced) {
  for (size_t plan = 0; plan < 30; ++plan) {
    for (int n = 1; n <= 7; ++n) {
      std::multiset<size_t> seen;
      size_t smallest = plan, largest = 0;
      for (int i = 0; i < n; ++i) {
        std::vector<size_t> part = ShardIndices(plan, {i, n, ""});
        seen.insert(part.begin(), part.end());
        smallest = std::min(smallest, part.size());
        largest = std::max(largest, part.size());
        for (size_t k = 1; k < part.size(); ++k) EXPECT_LT(part[k - 1], part[k]);
      }
      ASSERT_EQ(seen.size(), plan);
      for (size_t k = 0; k < plan; ++k) EXPECT_EQ(seen.count(k), 1u);
      EXPECT_LE(largest - smallest, 1u) << plan << " episodes, " << n << " shards";
    }
  }
}

TEST(ShardTest, ShardEpisodesKeepsPlanOrder) {
  std::vector<EpisodeKey> plan;
  for (uint64_t s = 1; s <= 5; ++s) plan.push_back({"t", "p", "m", "agentic", s});
  std::vector<EpisodeKey> part = ShardEpisodes(plan, {1, 2, ""});
  ASSERT_EQ(part.size(), 2u);
  EXPECT_EQ(part[0].seed, 2u);
  EXPECT_EQ(part[1].seed, 4u);
}

TEST(ShardTest, NoFlagsMeansNoShardEvenInsideASlurmArray) {
  auto env = FakeEnv({{"SLURM_ARRAY_TASK_ID", "3"}, {"SLURM_ARRAY_TASK_COUNT", "4"}});
  EXPECT_FALSE(ResolveShard("", "", env).has_value());
}

TEST(ShardTest, ExplicitShardWinsOverTheEnvironment) {
  auto env = FakeEnv({{"SLURM_ARRAY_TASK_ID", "3"}, {"SLURM_ARRAY_JOB_ID", "77"}});
  std::optional<ShardSpec> s = ResolveShard("1/4", "", env);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->index, 1);
  EXPECT_EQ(s->count, 4);
  EXPECT_EQ(s->group, "slurm-77");
  EXPECT_EQ(ShardFolderSuffix(*s), "-slurm-77-shard-1-of-4");
  EXPECT_EQ(ShardFolderSuffix({1, 4, ""}), "-shard-1-of-4");
}

TEST(ShardTest, ShardsAutoReadsTheSlurmArrayMadeZeroBased) {
  auto env = FakeEnv({{"SLURM_ARRAY_TASK_ID", "7"},
                      {"SLURM_ARRAY_TASK_MIN", "5"},
                      {"SLURM_ARRAY_TASK_COUNT", "3"}});
  std::optional<ShardSpec> s = ResolveShard("", "auto", env);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->index, 2);
  EXPECT_EQ(s->count, 3);
}

TEST(ShardTest, ShardsNReadsTheKubernetesIndex) {
  std::optional<ShardSpec> s = ResolveShard("", "5", FakeEnv({{"JOB_COMPLETION_INDEX", "4"}}));
  ASSERT_TRUE(s);
  EXPECT_EQ(s->index, 4);
  EXPECT_EQ(s->count, 5);
  EXPECT_EQ(s->group, "");
}

TEST(ShardTest, BadFlagsAndEnvironmentsAreUsageErrors) {
  auto none = FakeEnv({});
  auto expect_usage = [](auto f, const std::string& needle) {
    try {
      f();
      ADD_FAILURE() << "no error; expected one mentioning " << needle;
    } catch (const Error& e) {
      EXPECT_EQ(e.exit_code(), 2);
      EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
    }
  };
  expect_usage([&] { ResolveShard("4/4", "", none); }, "0-based");
  expect_usage([&] { ResolveShard("1/0", "", none); }, "at least 1");
  expect_usage([&] { ResolveShard("x", "", none); }, "expected I/N");
  expect_usage([&] { ResolveShard("-1/4", "", none); }, "expected I/N");
  expect_usage([&] { ResolveShard("1/2", "2", none); }, "not both");
  expect_usage([&] { ResolveShard("", "auto", none); }, "SLURM_ARRAY_TASK_COUNT");
  expect_usage([&] { ResolveShard("", "4", none); }, "--shard I/N");
  expect_usage([&] { ResolveShard("", "four", none); }, "number or auto");
  expect_usage(
      [&] {
        ResolveShard("", "4",
                     FakeEnv({{"SLURM_ARRAY_TASK_ID", "0"}, {"SLURM_ARRAY_TASK_COUNT", "3"}}));
      },
      "3 tasks");
  // A stepped array (--array=0-6:2) has gaps: index 6 of 4 shards.
  expect_usage(
      [&] {
        ResolveShard("", "auto",
                     FakeEnv({{"SLURM_ARRAY_TASK_ID", "6"}, {"SLURM_ARRAY_TASK_COUNT", "4"}}));
      },
      "--array=0-3");
}

TEST(ShardTest, JsonRoundTrip) {
  ShardSpec s{2, 5, "slurm-9"};
  Json j = ShardToJson(s, 17);
  EXPECT_EQ(j["plan_size"], 17);
  ShardSpec back = ShardFromJson(j, "run.json: shard");
  EXPECT_EQ(back.index, 2);
  EXPECT_EQ(back.count, 5);
  EXPECT_EQ(back.group, "slurm-9");
  EXPECT_THROW(ShardFromJson(Json{{"index", 5}, {"count", 5}}, "x"), Error);
}

}  // namespace
}  // namespace ctxbench
