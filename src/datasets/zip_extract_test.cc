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
  EXPECT_EQ(CheckZipEntryName("../x").error(), "a \"..\" component");
  EXPECT_EQ(CheckZipEntryName("a/../../x").error(), "a \"..\" component");
  EXPECT_EQ(CheckZipEntryName("..").error(), "a \"..\" component");
  EXPECT_EQ(CheckZipEntryName("/etc/passwd").error(), "an absolute path");
  EXPECT_EQ(CheckZipEntryName("a\\..\\x").error(), "a backslash in the path");
  EXPECT_EQ(CheckZipEntryName(std::string("a\0b", 3)).error(), "a NUL in the path");
  EXPECT_EQ(CheckZipEntryName("").error(), "an empty name");
  EXPECT_TRUE(CheckZipEntryName("a/b..c/..d").ok());
  EXPECT_TRUE(CheckZipEntryName("train.csv").ok());
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

std::string RefusalOf(const std::string& zip, const std::string& dest, const ZipLimits& limits) {
  try {
    ExtractZip(zip, dest, limits);
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInput);
    return e.what();
  }
  ADD_FAILURE() << "extracted";
  return "";
}

// Sets the 4-byte little-endian field at `offset` after each `signature`.
void PatchField(std::string* bytes, const std::string& signature, size_t offset, uint32_t value) {
  size_t n = 0;
  for (size_t at = bytes->find(signature); at != std::string::npos;
       at = bytes->find(signature, at + 1)) {
    for (int b = 0; b < 4; ++b) (*bytes)[at + offset + b] = static_cast<char>(value >> (8 * b));
    ++n;
  }
  ASSERT_EQ(n, 1u) << "expected one record with this signature";
}

TEST(ZipExtractTest, RefusesAnArchiveDeclaringMoreThanTheCap) {
  ScratchDir dir;
  MakeZip(dir.Path("big.zip"),
          {{"a.csv", std::string(600, 'a')}, {"b.csv", std::string(600, 'b')}});
  ZipLimits limits;
  limits.max_bytes = 1000;  // each entry fits, the two together do not
  std::string msg = RefusalOf(dir.Path("big.zip"), dir.Path("out"), limits);
  EXPECT_NE(msg.find(dir.Path("big.zip")), std::string::npos) << msg;
  EXPECT_NE(msg.find("declare more than"), std::string::npos) << msg;
  EXPECT_EQ(msg.find('\n'), std::string::npos) << msg;
  EXPECT_FALSE(fs::exists(dir.Path("out/a.csv")));
  limits.max_bytes = 1200;
  EXPECT_EQ(ExtractZip(dir.Path("big.zip"), dir.Path("out"), limits).size(), 2u);
}

TEST(ZipExtractTest, RefusesMoreEntriesThanTheCap) {
  ScratchDir dir;
  MakeZip(dir.Path("many.zip"), {{"a", "1"}, {"b", "2"}, {"c", "3"}});
  ZipLimits limits;
  limits.max_entries = 2;
  std::string msg = RefusalOf(dir.Path("many.zip"), dir.Path("out"), limits);
  EXPECT_NE(msg.find("3 entries"), std::string::npos) << msg;
  EXPECT_FALSE(fs::exists(dir.Path("out/a")));
}

TEST(ZipExtractTest, CountsTheBytesWrittenNotTheDeclaredSize) {
  ScratchDir dir;
  // 100,000 bytes that deflate to a few hundred, declared as 100 bytes.
  MakeZip(dir.Path("bomb.zip"), {{"bomb.csv", std::string(100000, 'z')}});
  std::string bytes = ReadFile(dir.Path("bomb.zip"));
  PatchField(&bytes, std::string("PK\x03\x04", 4), 22, 100);  // local header
  PatchField(&bytes, std::string("PK\x01\x02", 4), 24, 100);  // central directory
  WriteFileAtomic(dir.Path("bomb.zip"), bytes);
  ZipLimits limits;
  limits.max_bytes = 1000;
  std::string msg = RefusalOf(dir.Path("bomb.zip"), dir.Path("out"), limits);
  EXPECT_NE(msg.find("unpacks to more than"), std::string::npos) << msg;
  EXPECT_FALSE(fs::exists(dir.Path("out/bomb.csv")));
}

TEST(ZipExtractTest, ReportsTheBytesUnpacked) {
  ScratchDir dir;
  MakeZip(dir.Path("a.zip"), {{"a.csv", "12345"}, {"d/b.csv", "678"}});
  uint64_t bytes = 0;
  ExtractZip(dir.Path("a.zip"), dir.Path("out"), ZipLimits{}, &bytes);
  EXPECT_EQ(bytes, 8u);
}

TEST(ZipExtractTest, UnpackedCapIsInGibibytes) {
  EXPECT_EQ(UnpackedBytesCap(2, "--max-unpacked-gb"), 2ULL << 30);
  EXPECT_THROW(UnpackedBytesCap(0, "--max-unpacked-gb"), Error);
  EXPECT_THROW(UnpackedBytesCap(-1, "--max-unpacked-gb"), Error);
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
