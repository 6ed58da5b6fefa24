#include "viewer/run_catalog.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "core/error.h"
#include "core/file.h"
#include "core/test_scratch_dir.h"

namespace ctxbench {
namespace {

namespace fs = std::filesystem;

void MakeRun(const fs::path& dir) {
  fs::create_directories(dir);
  WriteFileAtomic((dir / "results.db").string(), "");
}

TEST(RunCatalogTest, TakesRunFoldersAndFoldersOfThem) {
  ScratchDir dir;
  MakeRun(dir.path() / "runs" / "b-run");
  MakeRun(dir.path() / "runs" / "a-run");
  MakeRun(dir.path() / "other" / "a-run");
  fs::create_directories(dir.path() / "runs" / "not-a-run");
  RunCatalog catalog({dir.Path("runs"), dir.Path("other/a-run")});
  ASSERT_EQ(catalog.runs().size(), 3u);
  EXPECT_EQ(catalog.runs()[0].id, "a-run");
  EXPECT_EQ(catalog.runs()[1].id, "b-run");
  EXPECT_EQ(catalog.runs()[2].id, "a-run-2");
  EXPECT_EQ(catalog.Find("a-run-2")->dir, fs::canonical(dir.path() / "other" / "a-run").string());
  EXPECT_EQ(catalog.Find("../runs"), nullptr);
}

TEST(RunCatalogTest, RefusesAFolderWithoutRuns) {
  ScratchDir dir;
  fs::create_directories(dir.path() / "empty");
  EXPECT_THROW(RunCatalog({dir.Path("empty")}), Error);
  EXPECT_THROW(RunCatalog({dir.Path("missing")}), Error);
}

TEST(RunCatalogTest, ResolvesOnlyFilesInsideTheFolder) {
  ScratchDir dir;
  MakeRun(dir.path() / "run");
  fs::create_directories(dir.path() / "run" / "traces");
  WriteFileAtomic(dir.Path("run/traces/e.jsonl"), "{}\n");
  WriteFileAtomic(dir.Path("secret.txt"), "x");
  fs::create_symlink(dir.path() / "secret.txt", dir.path() / "run" / "link.txt");
  fs::create_symlink(dir.path(), dir.path() / "run" / "up");
  RunCatalog catalog({dir.Path("run")});
  const RunFolder& run = catalog.runs()[0];
  EXPECT_EQ(catalog.ResolveFile(run, "traces/e.jsonl"),
            fs::canonical(dir.path() / "run/traces/e.jsonl").string());
  EXPECT_EQ(catalog.ResolveFile(run, "traces/../results.db"), std::nullopt);
  EXPECT_EQ(catalog.ResolveFile(run, "../secret.txt"), std::nullopt);
  EXPECT_EQ(catalog.ResolveFile(run, dir.Path("secret.txt")), std::nullopt);
  EXPECT_EQ(catalog.ResolveFile(run, "link.txt"), std::nullopt);
  EXPECT_EQ(catalog.ResolveFile(run, "up/secret.txt"), std::nullopt);
  EXPECT_EQ(catalog.ResolveFile(run, "traces"), std::nullopt);
  EXPECT_EQ(catalog.ResolveFile(run, ""), std::nullopt);
}

}  // namespace
}  // namespace ctxbench
