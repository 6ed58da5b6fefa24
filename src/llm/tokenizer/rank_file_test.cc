#include "llm/tokenizer/rank_file.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "core/error.h"
#include "llm/tokenizer/encoding_cache.h"

namespace ctxbench {
namespace {

std::string ErrorOf(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

TEST(RankFileTest, ParsesTiktokenFormat) {
  RankMap ranks = ParseRankFile("IQ== 0\nIg== 1\naGVsbG8= 2\n", "test.tiktoken");
  EXPECT_EQ(ranks.size(), 3u);
  EXPECT_EQ(ranks.Find("!"), 0u);
  EXPECT_EQ(ranks.Find("\""), 1u);
  EXPECT_EQ(ranks.Find("hello"), 2u);
  EXPECT_EQ(ranks.Find("hell"), kNoRank);
  EXPECT_EQ(ranks.Bytes(2), "hello");
  EXPECT_EQ(ranks.FindByte('!'), 0u);
}

TEST(RankFileTest, MalformedLinesNameTheLine) {
  EXPECT_NE(
      ErrorOf([] { ParseRankFile("IQ== 0\nnot base64! 1\n", "x.tiktoken"); }).find("x.tiktoken:2"),
      std::string::npos);
  EXPECT_NE(ErrorOf([] { ParseRankFile("IQ== 0\nIQ== 1\n", "x.tiktoken"); }).find("duplicate"),
            std::string::npos);
  EXPECT_NE(ErrorOf([] { ParseRankFile("IQ== x\n", "x.tiktoken"); }).find("bad rank"),
            std::string::npos);
}

TEST(RankFileTest, DecodesEveryPaddingAndRejectsMisplacedPadding) {
  RankMap ranks = ParseRankFile("YQ== 0\r\nYWI= 1\nYWJj 2\n\nYWJjZA== 3", "p.tiktoken");
  EXPECT_EQ(ranks.size(), 4u);
  EXPECT_EQ(ranks.Bytes(0), "a");
  EXPECT_EQ(ranks.Bytes(1), "ab");
  EXPECT_EQ(ranks.Bytes(2), "abc");
  EXPECT_EQ(ranks.Bytes(3), "abcd");
  EXPECT_EQ(ranks.Find("abcd"), 3u);
  for (const char* line : {"Y=Q= 0\n", "YQ==YQ== 0\n", "YQ= 0\n", " 0\n", "==== 0\n"}) {
    EXPECT_NE(ErrorOf([&] {
                ParseRankFile(std::string("YWI= 9\n") + line, "p.tiktoken");
              }).find("p.tiktoken:2"),
              std::string::npos)
        << line;
  }
}

TEST(RankFileTest, MissingOrCorruptFilesSayHowToFetch) {
  auto dir = std::filesystem::temp_directory_path() / "ctxbench_rank_file_test";
  std::filesystem::create_directories(dir);
  std::string missing = ErrorOf([&] { LoadEncodingUncached("o200k_base", dir.string()); });
  EXPECT_NE(missing.find((dir / "o200k_base.tiktoken").string()), std::string::npos) << missing;
  EXPECT_NE(missing.find(kFetchRankFilesCommand), std::string::npos) << missing;

  std::ofstream(dir / "cl100k_base.tiktoken") << "IQ== 0\n";
  std::string corrupt = ErrorOf([&] { LoadEncodingUncached("cl100k_base", dir.string()); });
  EXPECT_NE(corrupt.find("SHA-256"), std::string::npos) << corrupt;
  EXPECT_NE(corrupt.find(kFetchRankFilesCommand), std::string::npos) << corrupt;
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace ctxbench
