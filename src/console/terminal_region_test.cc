#include "console/terminal_region.h"

#include <gtest/gtest.h>

namespace ctxbench {
namespace {

TEST(TerminalRegion, RedrawReplacesTheLastFrameAndKeepsLogLinesAbove) {
  TerminalRegion region;
  EXPECT_EQ(region.Redraw({}, {{"one"}, {"two", true}}, 80),
            "\r\x1b[J"
            "one\n\x1b[1;33mtwo\x1b[0m\n");
  EXPECT_EQ(region.Redraw({"episode done", "warning: slow", "error: gone"}, {{"three"}}, 80),
            "\r\x1b[2A\x1b[J"
            "episode done\n\x1b[1;33mwarning: slow\x1b[0m\n\x1b[1;31merror: gone\x1b[0m\n"
            "three\n");
  EXPECT_EQ(region.Erase(80), "\r\x1b[1A\x1b[J");
  EXPECT_EQ(region.Erase(80), "\r\x1b[J");  // nothing left to erase
}

TEST(TerminalRegion, AfterANarrowingCountsTheRowsTheTerminalRewrapped) {
  TerminalRegion region;
  region.Redraw({}, {{std::string(70, 'a')}, {"short"}}, 80);
  // At 30 columns the 70-column line takes 3 rows, the short one 1.
  EXPECT_EQ(region.Erase(30), "\r\x1b[4A\x1b[J");
}

TEST(TerminalRegion, LogLinesCannotCarryEscapes) {
  TerminalRegion region;
  std::string out = region.Redraw({"HTTP 500: \x1b[2J\x1b]0;title\x07"}, {}, 80);
  EXPECT_EQ(out, "\r\x1b[JHTTP 500:  [2J ]0;title \n");
}

}  // namespace
}  // namespace ctxbench
