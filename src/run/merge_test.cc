#include "run/merge.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "core/error.h"
#include "core/sqlite_db.h"
#include "run/merge_files.h"
#include "store/sqlite_store.h"
#include "store/test_episode.h"

namespace ctxbench {
namespace {

namespace fs = std::filesystem;
using store_test::AppendSyntheticEpisode;
using store_test::ScratchDir;
using store_test::TestKey;

std::string CoverageError(const std::vector<std::string>& plan,
                          const std::vector<ShardContent>& shards) {
  try {
    CheckCoverage(plan, shards);
  } catch (const Error& e) {
    EXPECT_EQ(e.exit_code(), 2);
    return e.what();
  }
  return "";
}

ShardContent Content(const std::string& dir, int index, int count, std::set<std::string> ids,
                     std::optional<RunStatus> status = RunStatus::kComplete) {
  return {dir, ShardSpec{index, count, ""}, status, std::move(ids)};
}

TEST(MergeTest, ExactCoverageIsAccepted) {
  EXPECT_EQ(
      CoverageError({"a", "b", "c"}, {Content("s0", 0, 2, {"a", "c"}), Content("s1", 1, 2, {"b"})}),
      "");
}

TEST(MergeTest, MissingEpisodesNameTheAbsentShard) {
  std::string e = CoverageError({"a", "b", "c"}, {Content("s0", 0, 2, {"a", "c"})});
  EXPECT_NE(e.find("1 of 3 episodes of the plan are in no shard: b"), std::string::npos) << e;
  EXPECT_NE(e.find("shards not given: 1/2"), std::string::npos) << e;
}

TEST(MergeTest, MissingEpisodesOfAnUnfinishedShardSayResume) {
  std::string e = CoverageError(
      {"a", "b", "c"},
      {Content("s0", 0, 2, {"a"}, RunStatus::kInterrupted), Content("s1", 1, 2, {"b"})});
  EXPECT_NE(e.find(": c"), std::string::npos) << e;
  EXPECT_NE(e.find("ctxbench run --resume s0"), std::string::npos) << e;
  EXPECT_EQ(e.find("not given"), std::string::npos) << e;
}

TEST(MergeTest, DuplicatedEpisodesNameBothShards) {
  std::string e = CoverageError({"a", "b"}, {Content("s0", 0, 2, {"a"}), Content("s1", 1, 2, {"b"}),
                                             Content("s0-again", 0, 2, {"a"})});
  EXPECT_NE(e.find("s0 (shard 0/2) and s0-again (shard 0/2)"), std::string::npos) << e;
  EXPECT_NE(e.find("1 episodes are in more than one shard"), std::string::npos) << e;
}

TEST(MergeTest, EpisodesOutsideThePlanAreRefused) {
  std::string e = CoverageError({"a"}, {Content("s0", 0, 1, {"a", "z"})});
  EXPECT_NE(e.find("not in the plan: z"), std::string::npos) << e;
}

TEST(MergeTest, LongListsAreCut) {
  std::vector<std::string> plan;
  for (int i = 0; i < 9; ++i) plan.push_back("e" + std::to_string(i));
  std::string e = CoverageError(plan, {Content("s0", 0, 3, {})});
  EXPECT_NE(e.find("e0, e1, e2, e3, e4 and 4 more"), std::string::npos) << e;
}

// A shard folder with one finished and one unfinished episode in results.db.
void MakeShardStore(const fs::path& dir, uint64_t finished_seed, uint64_t unfinished_seed) {
  fs::create_directories(dir / "traces");
  auto store = SqliteStore::Open((dir / "results.db").string());
  store->BeginRun(dir.filename().string(), "m", "{}", 1.7e9);
  EventLog done(TestKey("toy", finished_seed), {store.get()});
  AppendSyntheticEpisode(done, 2);
  EventLog cut(TestKey("toy", unfinished_seed), {store.get()});
  AppendSyntheticEpisode(cut, 1, /*finish=*/false);
  store->FinishRun(dir.filename().string(), RunStatus::kComplete, 1.7e9 + 5);
  std::ofstream(dir / "traces" / (TestKey("toy", finished_seed).Id() + ".jsonl")) << "{}\n";
}

TEST(MergeTest, MergeStoresCopiesTheChosenEpisodesRows) {
  ScratchDir scratch;
  fs::path a = scratch.path() / "a", b = scratch.path() / "b", out = scratch.path() / "out";
  MakeShardStore(a, 1, 2);
  MakeShardStore(b, 2, 1);  // seed 1 unfinished here, finished in a
  fs::create_directories(out);
  std::vector<ShardPart> parts = {{a.string(), {TestKey("toy", 1).Id()}},
                                  {b.string(), {TestKey("toy", 2).Id()}}};
  MergeStores(out.string(), {"merged", "m", "{}", 1.7e9, 1.7e9 + 9, RunStatus::kComplete}, parts);
  CopyEpisodeFiles(out.string(), parts);
  MergeCallCaches(out.string(), parts);

  auto store = SqliteStore::Open((out / "results.db").string());
  std::vector<EpisodeRow> episodes = store->Episodes("merged");
  ASSERT_EQ(episodes.size(), 2u);
  for (const auto& e : episodes) EXPECT_EQ(e.status, EpisodeStatus::kComplete) << e.episode_id;
  auto a_store = SqliteStore::Open((a / "results.db").string());
  {  // every column, generated ones included, as the shard has it (but run_id)
    SqliteDb merged_db((out / "results.db").string()), shard_db((a / "results.db").string());
    Json merged = store_test::EpisodeColumns(merged_db, TestKey("toy", 1).Id());
    Json shard = store_test::EpisodeColumns(shard_db, TestKey("toy", 1).Id());
    EXPECT_EQ(merged["run_id"], "merged");
    EXPECT_FALSE(merged["best_valid_metric"].is_null());
    merged.erase("run_id");
    shard.erase("run_id");
    EXPECT_EQ(merged, shard);
  }
  for (const char* table : {"steps", "llm_calls", "experiments", "events"}) {
    EXPECT_EQ(store->CountRows(table, TestKey("toy", 1).Id()),
              a_store->CountRows(table, TestKey("toy", 1).Id()))
        << table;
  }
  EXPECT_EQ(store->Run("merged")->status, RunStatus::kComplete);
  EXPECT_TRUE(fs::exists(out / "traces" / (TestKey("toy", 1).Id() + ".jsonl")));
  EXPECT_TRUE(fs::exists(out / "traces" / (TestKey("toy", 2).Id() + ".jsonl")));
  EXPECT_FALSE(fs::exists(out / "calls.db"));  // no shard recorded model answers
}

TEST(MergeTest, WorkspacesAndCallCachesOfTheChosenEpisodesAreCopied) {
  ScratchDir scratch;
  fs::path a = scratch.path() / "a", b = scratch.path() / "b", out = scratch.path() / "out";
  std::string kept = TestKey("toy", 1).Id(), other = TestKey("toy", 2).Id();
  for (const fs::path& shard : {a, b}) {
    fs::create_directories(shard / "workspaces" / (kept + ".hidden"));
    fs::create_directories(shard / "workspaces" / other);
    std::ofstream(shard / "workspaces" / (kept + ".hidden") / "test.csv") << shard.string();
    SqliteDb calls((shard / "calls.db").string());
    calls.Exec("CREATE TABLE responses (key TEXT PRIMARY KEY, response_json TEXT)");
    calls.Exec("INSERT INTO responses VALUES ('same', '" + shard.filename().string() + "'), ('" +
               shard.filename().string() + "', 'x')");
  }
  fs::create_directories(out);
  std::vector<ShardPart> parts = {{a.string(), {kept}}, {b.string(), {}}};
  CopyEpisodeFiles(out.string(), parts);
  MergeCallCaches(out.string(), parts);

  std::ifstream copied(out / "workspaces" / (kept + ".hidden") / "test.csv");
  std::string text((std::istreambuf_iterator<char>(copied)), {});
  EXPECT_EQ(text, a.string());
  EXPECT_FALSE(fs::exists(out / "workspaces" / other));  // not chosen from either shard
  SqliteDb merged((out / "calls.db").string());
  Statement& count = merged.Prepare("SELECT count(*) FROM responses");
  ASSERT_TRUE(count.Step());
  EXPECT_EQ(count.Int(0), 3);  // 'same' once, plus one key of each shard
  count.Reset();
  Statement& same = merged.Prepare("SELECT response_json FROM responses WHERE key = 'same'");
  ASSERT_TRUE(same.Step());
  EXPECT_EQ(same.Text(0), "a");  // the first shard's answer wins
  same.Reset();
}

TEST(MergeTest, MergeShardsRefusesAnExistingOutputAndNonShards) {
  ScratchDir scratch;
  fs::create_directories(scratch.path() / "out");
  std::ofstream(scratch.path() / "out" / "x") << "x";
  EXPECT_THROW(MergeShards(scratch.Path("out"), {scratch.Path("nothing")}), Error);
  EXPECT_THROW(MergeShards(scratch.Path("fresh"), {scratch.Path("nothing")}), Error);
  EXPECT_FALSE(fs::exists(scratch.path() / "fresh"));
}

}  // namespace
}  // namespace ctxbench
