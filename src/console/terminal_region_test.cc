#include "console/terminal_region.h"

#include <gtest/gtest.h>

namespace ctxbench {
namespace {

TEST(TerminalRegion, RedrawWritesOverTheLastFrameAndKeepsLogLinesAbove) {
  TerminalRegion region;
  EXPECT_EQ(region.Redraw({}, {{"one"}, {"two", true}}, 80),
            "\r"
            "\x1b[2Kone\n\x1b[2K\x1b[1;33mtwo\x1b[0m\n\x1b[J");
  EXPECT_EQ(region.Redraw({"episode done", "warning: slow", "error: gone"}, {{"three"}}, 80),
            "\r\x1b[2A"
            "\x1b[2Kepisode done\n\x1b[2K\x1b[1;33mwarning: slow\x1b[0m\n"
            "\x1b[2K\x1b[1;31merror: gone\x1b[0m\n"
            "\x1b[2Kthree\n\x1b[J");
}

TEST(TerminalRegion, EraseClearsRowByRowAndNeverTheWholeScreen) {
  TerminalRegion region;
  region.Redraw({}, {{"a"}, {"b"}, {"c"}}, 80);
  // Up to the first row (the cursor is below the frame), erase each of the 3 rows, back to the
  // first.
  EXPECT_EQ(region.Erase(80), "\r\x1b[3A\x1b[2K\x1b[1B\x1b[2K\x1b[1B\x1b[2K\x1b[2A");
  EXPECT_EQ(region.Erase(80), "\r");  // nothing left to erase
  region.Redraw({}, {{"a"}}, 80);
  EXPECT_EQ(region.Redraw({}, {}, 80), "\r\x1b[1A\x1b[2K");  // an empty frame erases
}

TEST(TerminalRegion, AfterANarrowingCountsTheRowsTheTerminalRewrapped) {
  TerminalRegion region;
  region.Redraw({}, {{std::string(70, 'a')}, {"short"}}, 80);
  // At 30 columns the 70-column line takes 3 rows, the short one 1.
  EXPECT_EQ(region.Redraw({}, {{"x"}}, 30), "\r\x1b[4A\x1b[2Kx\n\x1b[J");
}

TEST(TerminalRegion, LogLinesCannotCarryEscapes) {
  TerminalRegion region;
  std::string out = region.Redraw({"HTTP 500: \x1b[2J\x1b]0;title\x07"}, {}, 80);
  EXPECT_EQ(out, "\r\x1b[2KHTTP 500:  [2J ]0;title \n\x1b[J");
}

}  // namespace
}  // namespace ctxbench
