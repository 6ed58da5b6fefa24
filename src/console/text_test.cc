#include "console/text.h"

#include <gtest/gtest.h>

namespace ctxbench {
namespace {

TEST(ConsoleText, SanitizeLineRemovesControlCharacters) {
  EXPECT_EQ(SanitizeLine("a\x1b[2Jb\r\nc\x7f"), "a [2Jb  c ");
  EXPECT_EQ(SanitizeLine("csi \xc2\x9b"
                         "31m"),
            "csi  31m");  // C1 CSI
  EXPECT_EQ(SanitizeLine("bad \xff byte"), "bad ? byte");
  EXPECT_EQ(SanitizeLine("caf\xc3\xa9"), "caf\xc3\xa9");  // valid UTF-8 kept
}

TEST(ConsoleText, FitColumnsCountsCodePointsAndMarksTheCut) {
  EXPECT_EQ(Columns("caf\xc3\xa9"), 4u);
  EXPECT_EQ(FitColumns("abcdef", 6), "abcdef");
  EXPECT_EQ(FitColumns("abcdef", 4), "abc~");
  EXPECT_EQ(FitColumns("\xc3\xa9\xc3\xa9\xc3\xa9", 2), "\xc3\xa9~");
  EXPECT_EQ(PadColumns("ab", 4), "ab  ");
  EXPECT_EQ(PadColumns("abcdef", 3), "ab~");
}

TEST(ConsoleText, FormatCountScales) {
  EXPECT_EQ(FormatCount(950), "950");
  EXPECT_EQ(FormatCount(12345), "12.3k");
  EXPECT_EQ(FormatCount(4560000), "4.56M");
}

}  // namespace
}  // namespace ctxbench
