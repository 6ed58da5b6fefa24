#include "viewer/bundle.h"

#include <gtest/gtest.h>

#include "core/error.h"
#include "viewer/api.h"
#include "viewer/test_run.h"

namespace ctxbench {
namespace {

TEST(BundleTest, WritesEveryPageTheAppAsksForAsDataScripts) {
  store_test::ScratchDir dir;
  viewer_test::WriteTestRun(dir.Path("run"), 1);
  RunCatalog catalog({dir.Path("run")});
  size_t files = WriteBundle(catalog, dir.Path("bundle"));
  // runs, run, grid, 2 cells, one page of events, the list, 2 episodes with
  // 4 X-rays each.
  EXPECT_EQ(files, 1u + 1 + 1 + 2 + 1 + 1 + 2 * (1 + 4));
  Json events = HandleApi(catalog, "/api/runs/run/events", {{"limit", "5000"}}).body;
  EXPECT_FALSE(events["more"].get<bool>());
  EXPECT_TRUE(std::filesystem::exists(
      dir.Path("bundle/data/" + BundleDataName("/api/runs/run/events?limit=5000"))));
  std::string index = ReadFile(dir.Path("bundle/index.html"));
  EXPECT_NE(index.find("assets/bundle-marker.js"), std::string::npos);
  std::string url = "/api/runs/run/episodes/toy.full.sim.agentic.s1/xray/2";
  std::string script = ReadFile(dir.Path("bundle/data/" + BundleDataName(url)));
  Json expected = HandleApi(catalog, url, {}).body;
  std::string prefix = "window.CTXBENCH_DATA[\"" + url + "\"] = ";
  ASSERT_EQ(script.rfind(prefix, 0), 0u);
  Json stored = Json::parse(script.substr(prefix.size(), script.size() - prefix.size() - 2));
  EXPECT_EQ(stored, expected);
}

TEST(BundleTest, NamesAreSafeFileNames) {
  EXPECT_EQ(BundleDataName("/api/runs?q=a b"), "_2Fapi_2Fruns_3Fq_3Da_20b.js");
}

TEST(BundleTest, NeverWritesIntoARunFolder) {
  store_test::ScratchDir dir;
  viewer_test::WriteTestRun(dir.Path("run"), 1);
  RunCatalog catalog({dir.Path("run")});
  EXPECT_THROW(WriteBundle(catalog, dir.Path("run/bundle")), Error);
}

}  // namespace
}  // namespace ctxbench
