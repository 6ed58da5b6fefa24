#include "core/file.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "core/error.h"

namespace ctxbench {
namespace {

namespace fs = std::filesystem;

TEST(FileTest, AtomicWriteReplacesAndLeavesNoTemporary) {
  fs::path dir = fs::temp_directory_path() / "ctxbench_file_test";
  fs::remove_all(dir);
  MakeWritableDir(dir.string());
  std::string path = (dir / "a.json").string();
  WriteFileAtomic(path, "one");
  WriteFileAtomic(path, "two");
  EXPECT_EQ(ReadFile(path), "two");
  int files = 0;
  for (auto& entry : fs::directory_iterator(dir)) files += entry.is_regular_file();
  EXPECT_EQ(files, 1);
  fs::remove_all(dir);
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
