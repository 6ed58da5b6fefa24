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
  // The 3 rows the frame no longer takes are scrolled out at the bottom.
  EXPECT_EQ(region.Redraw({}, {{"x"}}, 30), "\r\x1b[4A\x1b[2Kx\n\x1b[J\x1b[3T\x1b[3B");
}

TEST(TerminalRegion, AShorterFrameKeepsItsLastRowAtTheBottom) {
  TerminalRegion region;
  region.Redraw({}, {{"a"}, {"b"}, {"c"}}, 80);
  // One log line and one frame line take 2 of the 3 rows: the third is scrolled out.
  EXPECT_EQ(region.Redraw({"done"}, {{"d"}}, 80),
            "\r\x1b[3A\x1b[2Kdone\n\x1b[2Kd\n\x1b[J\x1b[1T\x1b[1B");
  // A log line wider than the terminal takes its rows too: nothing to scroll.
  EXPECT_EQ(region.Redraw({std::string(100, 'l')}, {}, 80).find("T\x1b["), std::string::npos);
  // A last frame taller than the screen: only the rows below the cursor go.
  region.Redraw({}, {{"a"}, {"b"}, {"c"}, {"d"}, {"e"}}, 80);
  EXPECT_EQ(region.Redraw({}, {{"f"}}, 80, 4), "\r\x1b[5A\x1b[2Kf\n\x1b[J\x1b[2T\x1b[2B");
  EXPECT_EQ(TerminalRegion::ScrollDown(0), "");
  EXPECT_EQ(TerminalRegion::ScrollDown(5), "\x1b[5T\x1b[5B");
}

TEST(TerminalRegion, LogLinesCannotCarryEscapes) {
  TerminalRegion region;
  std::string out = region.Redraw({"HTTP 500: \x1b[2J\x1b]0;title\x07"}, {}, 80);
  EXPECT_EQ(out, "\r\x1b[2KHTTP 500:  [2J ]0;title \n\x1b[J");
}

}  // namespace
}  // namespace ctxbench
