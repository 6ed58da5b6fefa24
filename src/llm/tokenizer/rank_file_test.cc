#include "llm/tokenizer/rank_file.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <vector>

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

TEST(RankFileTest, DuplicateNamesItsLineAcrossEmptyLines) {
  std::string token =
      ErrorOf([] { ParseRankFile("IQ== 0\n\r\nIg== 1\n\nIQ== 2\n", "d.tiktoken"); });
  EXPECT_NE(token.find("d.tiktoken:5"), std::string::npos) << token;
  EXPECT_NE(token.find("duplicate token or rank 2"), std::string::npos) << token;
  std::string rank = ErrorOf([] { ParseRankFile("IQ== 0\nIg== 0\naGk= 1\n", "d.tiktoken"); });
  EXPECT_NE(rank.find("d.tiktoken:2"), std::string::npos) << rank;
}

TEST(RankMapTest, AdoptAllSameAsAddAll) {
  std::string arena = "abcabcdxyz";
  std::vector<uint32_t> ends = {1, 3, 7, 10};
  std::vector<Rank> ranks = {5, 0, 2, 9};
  std::vector<std::pair<std::string_view, Rank>> tokens = {
      {"a", 5}, {"bc", 0}, {"abcd", 2}, {"xyz", 9}};
  RankMap added, adopted;
  EXPECT_EQ(added.AddAll(tokens), 4u);
  EXPECT_EQ(adopted.AdoptAll(arena, ends, ranks), 4u);
  EXPECT_EQ(adopted.size(), added.size());
  EXPECT_EQ(adopted.end_rank(), added.end_rank());
  for (const auto& [bytes, rank] : tokens) {
    EXPECT_EQ(adopted.Find(bytes), rank) << bytes;
    EXPECT_EQ(adopted.Bytes(rank), bytes);
  }
  EXPECT_EQ(adopted.FindByte('a'), 5u);
  EXPECT_EQ(adopted.Find("abc"), kNoRank);
  EXPECT_EQ(adopted.Bytes(1), "");
  // The first refused token stops it: a repeated token, then a repeated rank.
  RankMap repeat;
  std::vector<uint32_t> repeat_ends = {1, 3, 4};
  std::vector<Rank> repeat_ranks = {0, 1, 2};
  EXPECT_EQ(repeat.AdoptAll("abca", repeat_ends, repeat_ranks), 2u);
  EXPECT_EQ(repeat.size(), 2u);
  RankMap same_rank;
  EXPECT_EQ(same_rank.AdoptAll("abc", std::vector<uint32_t>{1, 2}, std::vector<Rank>{4, 4}), 1u);
  // A token out of order is refused, and ends past the arena are refused whole.
  RankMap backwards;
  EXPECT_EQ(backwards.AdoptAll("abcd", std::vector<uint32_t>{2, 1, 4}, std::vector<Rank>{0, 1, 2}),
            1u);
  EXPECT_EQ(backwards.Find("ab"), 0u);
  RankMap past;
  EXPECT_EQ(past.AdoptAll("ab", std::vector<uint32_t>{3}, std::vector<Rank>{0}), 0u);
  EXPECT_EQ(past.size(), 0u);
}

}  // namespace
}  // namespace ctxbench
