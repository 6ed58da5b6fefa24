#include "datasets/zip_extract.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <zip.h>

#include <filesystem>
#include <utility>
#include <vector>

#include "core/error.h"
#include "core/file.h"
#include "core/test_scratch_dir.h"

namespace ctxbench {
namespace {

namespace fs = std::filesystem;

struct Entry {
  std::string name;
  std::string content;
  mode_t type = S_IFREG;  // S_IFLNK: content is the link target
};

// Writes a zip archive with libzip (entry names taken as given).
void MakeZip(const std::string& path, const std::vector<Entry>& entries) {
  int err = 0;
  zip_t* z = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &err);
  ASSERT_NE(z, nullptr);
  for (const auto& e : entries) {
    zip_source_t* src = zip_source_buffer(z, e.content.data(), e.content.size(), 0);
    ASSERT_NE(src, nullptr);
    zip_int64_t i = zip_file_add(z, e.name.c_str(), src, ZIP_FL_ENC_UTF_8);
    ASSERT_GE(i, 0) << zip_strerror(z);
    ASSERT_EQ(zip_file_set_external_attributes(z, static_cast<zip_uint64_t>(i), 0, ZIP_OPSYS_UNIX,
                                               static_cast<zip_uint32_t>(e.type | 0644) << 16),
              0);
  }
  ASSERT_EQ(zip_close(z), 0);
}

std::string RefusalOf(const std::string& zip, const std::string& dest) {
  try {
    ExtractZip(zip, dest);
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInput);
    return e.what();
  }
  ADD_FAILURE() << "extracted";
  return "";
}

TEST(ZipExtractTest, UnpacksFilesAndFolders) {
  ScratchDir dir;
  MakeZip(dir.Path("a.zip"), {{"train.csv", "a,b\n1,2\n"}, {"geo/1/x.xyz", "atom 0 0 0\n"}});
  std::vector<std::string> files = ExtractZip(dir.Path("a.zip"), dir.Path("out"));
  EXPECT_EQ(files, (std::vector<std::string>{"train.csv", "geo/1/x.xyz"}));
  EXPECT_EQ(ReadFile(dir.Path("out/train.csv")), "a,b\n1,2\n");
  EXPECT_EQ(ReadFile(dir.Path("out/geo/1/x.xyz")), "atom 0 0 0\n");
  // No staging folder is left behind.
  size_t n = 0;
  for (const auto& e : fs::directory_iterator(dir.Path("out"))) {
    EXPECT_EQ(e.path().filename().string().rfind(".ctxbench-unzip", 0), std::string::npos);
    ++n;
  }
  EXPECT_EQ(n, 2u);
}

TEST(ZipExtractTest, NamesThatEscapeAreUnsafe) {
  EXPECT_NE(UnsafeZipEntryReason("../x"), "");
  EXPECT_NE(UnsafeZipEntryReason("a/../../x"), "");
  EXPECT_NE(UnsafeZipEntryReason(".."), "");
  EXPECT_NE(UnsafeZipEntryReason("/etc/passwd"), "");
  EXPECT_NE(UnsafeZipEntryReason("a\\..\\x"), "");
  EXPECT_NE(UnsafeZipEntryReason(""), "");
  EXPECT_EQ(UnsafeZipEntryReason("a/b..c/..d"), "");
  EXPECT_EQ(UnsafeZipEntryReason("train.csv"), "");
}

TEST(ZipExtractTest, RefusesZipSlipBeforeWritingAnything) {
  ScratchDir dir;
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"../escape.txt", "\"..\""},
      {"ok/../../escape.txt", "\"..\""},
      {"/tmp/ctxbench-zip-slip-absolute.txt", "absolute"},
  };
  for (const auto& [name, why] : cases) {
    // The good entry comes first: nothing may be written even so.
    MakeZip(dir.Path("bad.zip"), {{"good.csv", "1\n"}, {name, "pwned\n"}});
    std::string msg = RefusalOf(dir.Path("bad.zip"), dir.Path("out/inner"));
    EXPECT_NE(msg.find(why), std::string::npos) << msg;
    EXPECT_NE(msg.find("zip-slip"), std::string::npos) << msg;
    EXPECT_FALSE(fs::exists(dir.Path("out/inner/good.csv")));
    EXPECT_FALSE(fs::exists(dir.Path("out/escape.txt")));
    EXPECT_FALSE(fs::exists(dir.Path("escape.txt")));
  }
  EXPECT_FALSE(fs::exists("/tmp/ctxbench-zip-slip-absolute.txt"));
}

TEST(ZipExtractTest, RefusesSymlinkEntries) {
  ScratchDir dir;
  MakeZip(dir.Path("link.zip"), {{"data", "/etc", S_IFLNK}, {"data/passwd", "x\n"}});
  std::string msg = RefusalOf(dir.Path("link.zip"), dir.Path("out"));
  EXPECT_NE(msg.find("symlink"), std::string::npos) << msg;
  EXPECT_FALSE(fs::exists(dir.Path("out/data")));
}

TEST(ZipExtractTest, TruncatedArchiveIsAnInputError) {
  ScratchDir dir;
  std::string big(200000, 'x');
  for (size_t i = 0; i < big.size(); ++i) big[i] = static_cast<char>('a' + (i * 7919) % 26);
  MakeZip(dir.Path("full.zip"), {{"train.csv", big}});
  std::string bytes = ReadFile(dir.Path("full.zip"));
  WriteFileAtomic(dir.Path("cut.zip"), bytes.substr(0, bytes.size() / 2));
  std::string msg = RefusalOf(dir.Path("cut.zip"), dir.Path("out"));
  EXPECT_NE(msg.find("truncated or corrupt"), std::string::npos) << msg;
  EXPECT_FALSE(fs::exists(dir.Path("out/train.csv")));
}

TEST(ZipExtractTest, ReplacesAnEarlierUnpack) {
  ScratchDir dir;
  MakeZip(dir.Path("a.zip"), {{"train.csv", "old\n"}});
  ExtractZip(dir.Path("a.zip"), dir.Path("out"));
  MakeZip(dir.Path("a.zip"), {{"train.csv", "new\n"}});
  ExtractZip(dir.Path("a.zip"), dir.Path("out"));
  EXPECT_EQ(ReadFile(dir.Path("out/train.csv")), "new\n");
}

}  // namespace
}  // namespace ctxbench
