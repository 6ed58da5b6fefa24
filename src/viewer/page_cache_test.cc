#include "viewer/page_cache.h"

#include <gtest/gtest.h>

#include "core/error.h"
#include "viewer/run_pages.h"
#include "viewer/test_run.h"

namespace ctxbench {
namespace {

class RunPageCacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    viewer_test::WriteTestRun(dir_.Path("run"), 2);
    catalog_ = std::make_unique<RunCatalog>(std::vector<std::string>{dir_.Path("run")});
  }
  const RunFolder& run() { return catalog_->runs()[0]; }
  Json Grid() {
    return cache_.Get(run(), "grid", [this] {
      ++computed_;
      return GridJson(run());
    });
  }
  store_test::ScratchDir dir_;
  std::unique_ptr<RunCatalog> catalog_;
  RunPageCache cache_;
  int computed_ = 0;
};

TEST_F(RunPageCacheTest, AnUnchangedRunIsComputedOnce) {
  Json first = Grid();
  Json second = Grid();
  EXPECT_EQ(computed_, 1);
  EXPECT_EQ(first, second);
  EXPECT_EQ(first, GridJson(run()));
  EXPECT_EQ(cache_.misses(), 1);
  EXPECT_EQ(cache_.hits(), 1);
}

TEST_F(RunPageCacheTest, AWriteToTheStoreComputesAgain) {
  Json before = Grid();
  std::string stamp = RunStamp(run());
  {  // another episode, as a running grid writes one
    auto store = SqliteStore::Open(run().db);
    EventLog log(EpisodeKey{"toy", "full", "sim", "agentic", 9}, {store.get()});
    viewer_test::AppendPolicyEpisode(log, PolicyConfig{"full", "full", Json::object()}, 2, 4000,
                                     true);
  }
  EXPECT_NE(RunStamp(run()), stamp);
  Json after = Grid();
  EXPECT_EQ(computed_, 2);
  EXPECT_EQ(after, GridJson(run()));
  EXPECT_EQ(after["cells"][0]["episodes"], before["cells"][0]["episodes"].get<int>() + 1);
}

TEST_F(RunPageCacheTest, RunJsonIsPartOfTheStamp) {
  std::string stamp = RunStamp(run());
  WriteFileAtomic(run().dir + "/run.json", R"({"run_id":"r1","episodes_planned":40})");
  EXPECT_NE(RunStamp(run()), stamp);
  Json summary = cache_.Get(run(), "summary", [this] { return RunSummaryJson(run()); });
  EXPECT_EQ(summary["planned"], 40);
}

TEST_F(RunPageCacheTest, AFailedComputeIsNotCached) {
  auto fails = []() -> Json { ThrowRuntime("x", "fails"); };
  EXPECT_THROW(cache_.Get(run(), "grid", fails), Error);
  EXPECT_EQ(Grid(), GridJson(run()));
  EXPECT_EQ(computed_, 1);
}

}  // namespace
}  // namespace ctxbench
