#include "core/lines.h"

#include <gtest/gtest.h>

namespace ctxbench {
namespace {

using Lines = std::vector<std::string>;

TEST(SplitLinesTest, AFinalNewlineEndsTheLastLine) {
  EXPECT_EQ(SplitLines("a\nb\n"), (Lines{"a", "b"}));
  EXPECT_EQ(SplitLines("a\nb"), (Lines{"a", "b"}));
}

TEST(SplitLinesTest, EmptyTextHasNoLineAndEmptyLinesStay) {
  EXPECT_EQ(SplitLines(""), Lines{});
  EXPECT_EQ(SplitLines("\n"), Lines{""});
  EXPECT_EQ(SplitLines("a\n\n\nb"), (Lines{"a", "", "", "b"}));
  EXPECT_EQ(SplitLines("\nx"), (Lines{"", "x"}));
}

TEST(SplitLinesTest, CarriageReturnsAndOtherBytesAreKept) {
  EXPECT_EQ(SplitLines("a\r\nb\r\n"), (Lines{"a\r", "b\r"}));
  std::string with_nul("x\0y\nz", 5);
  EXPECT_EQ(SplitLines(with_nul), (Lines{std::string("x\0y", 3), "z"}));
}

}  // namespace
}  // namespace ctxbench
