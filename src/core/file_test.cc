#include "core/file.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "core/error.h"
#include "core/test_scratch_dir.h"

namespace ctxbench {
namespace {

namespace fs = std::filesystem;

TEST(FileTest, AtomicWriteReplacesAndLeavesNoTemporary) {
  ScratchDir scratch;  // a folder of this test's own: concurrent suites do not share it
  fs::path dir = scratch.path() / "out";
  MakeWritableDir(dir.string());
  std::string path = (dir / "a.json").string();
  WriteFileAtomic(path, "one");
  WriteFileAtomic(path, "two");
  EXPECT_EQ(ReadFile(path), "two");
  int files = 0;
  for (auto& entry : fs::directory_iterator(dir)) files += entry.is_regular_file();
  EXPECT_EQ(files, 1);
}

TEST(FileTest, MissingFileErrorNamesPath) {
  try {
    ReadFile("/nonexistent/ctxbench.json");
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent/ctxbench.json"), std::string::npos);
  }
}

}  // namespace
}  // namespace ctxbench
