#include "core/nearest_name.h"

#include <gtest/gtest.h>

namespace ctxbench {
namespace {

TEST(EditDistanceTest, CountsInsertionsDeletionsAndSubstitutions) {
  EXPECT_EQ(EditDistance("", ""), 0u);
  EXPECT_EQ(EditDistance("seed", "seeds"), 1u);
  EXPECT_EQ(EditDistance("seeds", "seed"), 1u);
  EXPECT_EQ(EditDistance("kitten", "sitting"), 3u);
  EXPECT_EQ(EditDistance("abc", ""), 3u);
}

TEST(NearestNameTest, SuggestsTheClosestFlag) {
  std::vector<std::string> flags = {"--config", "--seeds", "--num-steps", "--model"};
  EXPECT_EQ(NearestName("--seed", flags), "--seeds");
  EXPECT_EQ(NearestName("--num-step", flags), "--num-steps");
  EXPECT_EQ(NearestName("--modle", flags), "--model");
}

TEST(NearestNameTest, SuggestsACandidateTheWordBegins) {
  EXPECT_EQ(NearestName("--num", {"--config", "--num-steps"}), "--num-steps");
}

TEST(NearestNameTest, SuggestsNothingForAFarWord) {
  EXPECT_EQ(NearestName("--telepathy", {"--config", "--seeds"}), "");
  EXPECT_EQ(NearestName("", {"--config"}), "");
  EXPECT_EQ(NearestName("--x", {}), "");
}

}  // namespace
}  // namespace ctxbench
