#include "llm/tokenizer/byte_pair.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

#include "core/error.h"
#include "llm/tokenizer/encoding_cache.h"

namespace ctxbench {
namespace {

RankMap ToyRanks() {
  RankMap ranks;
  for (int b = 0; b < 256; ++b) ranks.Add(std::string(1, static_cast<char>(b)), b);
  ranks.Add("ab", 256);
  ranks.Add("bc", 257);
  ranks.Add("abc", 258);
  ranks.Add("aa", 259);
  ranks.Add("aaaa", 260);
  return ranks;
}

std::vector<Rank> Linear(std::string_view s, const RankMap& r) {
  std::vector<Rank> out;
  BytePairEncodeLinear(s, r, &out);
  return out;
}
std::vector<Rank> Heap(std::string_view s, const RankMap& r) {
  std::vector<Rank> out;
  BytePairEncodeHeap(s, r, &out);
  return out;
}

TEST(BytePairTest, MergesLowestRankFirstLeftmostOnTies) {
  RankMap ranks = ToyRanks();
  // "ab" (256) beats "bc" (257); then "ab"+"c" is "abc" (258).
  EXPECT_EQ(Linear("abc", ranks), (std::vector<Rank>{258}));
  // Leftmost "aa" first: aa|aa -> aaaa.
  EXPECT_EQ(Linear("aaaaa", ranks), (std::vector<Rank>{260, 'a'}));
  EXPECT_EQ(Linear("x", ranks), (std::vector<Rank>{'x'}));
  EXPECT_TRUE(Linear("", ranks).empty());
  for (const char* s : {"abc", "aaaaa", "x", "", "abcabcaab", "bcbcab"}) {
    EXPECT_EQ(Heap(s, ranks), Linear(s, ranks)) << s;
  }
}

TEST(BytePairTest, HeapAgreesWithLinearOnRealRanks) {
  std::shared_ptr<const Encoding> encoding;
  try {
    encoding = LoadEncoding("cl100k_base");
  } catch (const Error& e) {
    FAIL() << e.what();
  }
  const RankMap& ranks = encoding->ranks();
  std::mt19937 rng(7);
  const std::string alphabet = "aaabbe   \n\t.,tTh\xC3\xA9";
  for (int i = 0; i < 500; ++i) {
    std::string s;
    size_t len = 1 + rng() % 300;
    for (size_t k = 0; k < len; ++k) s += alphabet[rng() % alphabet.size()];
    EXPECT_EQ(Heap(s, ranks), Linear(s, ranks)) << s;
  }
}

}  // namespace
}  // namespace ctxbench
