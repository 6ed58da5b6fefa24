#include "viewer/live_catalog.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "core/error.h"
#include "core/file.h"
#include "core/test_scratch_dir.h"

namespace ctxbench {
namespace {

namespace fs = std::filesystem;

void MakeRunFolder(const fs::path& dir) {
  fs::create_directories(dir);
  WriteFileAtomic((dir / "results.db").string(), "");
}

std::vector<std::string> Ids(const RunCatalog& catalog) {
  std::vector<std::string> ids;
  for (const RunFolder& run : catalog.runs()) ids.push_back(run.id);
  return ids;
}

TEST(LiveRunCatalogTest, ARescanFindsRunsCreatedAfterTheStart) {
  ScratchDir dir;
  MakeRunFolder(dir.path() / "runs" / "b-run");
  LiveRunCatalog live({dir.Path("runs")});
  auto first = live.Current();
  EXPECT_EQ(Ids(*first), std::vector<std::string>{"b-run"});

  MakeRunFolder(dir.path() / "runs" / "a-run");
  // A folder whose results.db is not written yet is not a run (yet).
  fs::create_directories(dir.path() / "runs" / "c-run");
  EXPECT_EQ(Ids(*live.Current()), std::vector<std::string>{"b-run"});  // no scan yet
  auto second = live.Rescan();
  EXPECT_EQ(Ids(*second), (std::vector<std::string>{"a-run", "b-run"}));
  EXPECT_EQ(second->Find("a-run")->dir, fs::canonical(dir.path() / "runs" / "a-run").string());
  EXPECT_EQ(live.Current(), second);
  // The catalog handed out before is unchanged.
  EXPECT_EQ(Ids(*first), std::vector<std::string>{"b-run"});

  WriteFileAtomic(dir.Path("runs/c-run/results.db"), "");
  EXPECT_EQ(Ids(*live.Rescan()), (std::vector<std::string>{"a-run", "b-run", "c-run"}));
}

TEST(LiveRunCatalogTest, AnUnchangedFolderKeepsTheSameCatalog) {
  ScratchDir dir;
  MakeRunFolder(dir.path() / "runs" / "a-run");
  LiveRunCatalog live({dir.Path("runs")});
  auto first = live.Current();
  EXPECT_EQ(live.Rescan(), first);
}

TEST(LiveRunCatalogTest, ServedRunsKeepTheirIdsAndRemovedOnesGo) {
  ScratchDir dir;
  MakeRunFolder(dir.path() / "a" / "other");
  MakeRunFolder(dir.path() / "b" / "run");
  LiveRunCatalog live({dir.Path("a"), dir.Path("b")});
  EXPECT_EQ(Ids(*live.Current()), (std::vector<std::string>{"other", "run"}));
  std::string b_run = fs::canonical(dir.path() / "b" / "run").string();

  // A new a/run comes first in scan order, but b/run keeps the id its links use.
  MakeRunFolder(dir.path() / "a" / "run");
  auto rescanned = live.Rescan();
  EXPECT_EQ(Ids(*rescanned), (std::vector<std::string>{"other", "run-2", "run"}));
  EXPECT_EQ(rescanned->Find("run")->dir, b_run);

  // A removed run is dropped; a folder that vanished is no error after the start.
  fs::remove_all(dir.path() / "b");
  rescanned = live.Rescan();
  EXPECT_EQ(Ids(*rescanned), (std::vector<std::string>{"other", "run-2"}));
  EXPECT_EQ(rescanned->Find("run"), nullptr);
  EXPECT_THROW(LiveRunCatalog({dir.Path("b")}), Error);
}

TEST(LiveRunCatalogTest, AFolderNamedTwiceIsServedOnce) {
  ScratchDir dir;
  MakeRunFolder(dir.path() / "runs" / "a-run");
  LiveRunCatalog live({dir.Path("runs"), dir.Path("runs/a-run")});
  EXPECT_EQ(Ids(*live.Current()), std::vector<std::string>{"a-run"});
  EXPECT_EQ(Ids(*live.Rescan()), std::vector<std::string>{"a-run"});
}

}  // namespace
}  // namespace ctxbench
