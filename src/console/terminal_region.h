// Drawing a frame of lines in place at the bottom of a terminal with ANSI
// escapes (no curses): each redraw moves the cursor back to the frame's first
// line and writes over the old rows, erasing what is left of each. Log lines printed
// meanwhile go above the frame and scroll away with the terminal's history.
//
// After a resize the terminal may have re-wrapped the last frame's lines
// (tmux, VTE and kitty do when the width shrinks); the next redraw counts the
// rows they take at the new width, so no stale line is left on the screen.
//
// The frame is kept at the bottom of the screen, with no empty row below the
// cursor: on a narrowing tmux keeps the rows below the cursor and moves the
// top rows of the screen into its history, where no escape reaches them, to
// make room for the re-wrapped lines. With the frame at the bottom those rows
// are older output above it, never rows of the frame (as long as the
// re-wrapped frame fits on the screen). So when a redraw takes fewer rows
// than the frame before, the screen is scrolled down by the difference (the
// rows scrolled out at the bottom are the erased ones); at the start,
// ScrollDown takes out the empty rows below the cursor.
//
// Returns bytes to write; does no I/O. Not thread-safe.
#pragma once

#include <string>
#include <vector>

#include "console/frame.h"

namespace ctxbench {

class TerminalRegion {
 public:
  // Replaces the frame drawn last: prints `above` (log lines: made safe, and
  // warnings and errors coloured) then `frame` (REQUIRES: each line at most
  // width - 1 columns, so none wraps). `width` and `height` are the
  // terminal's now (height 0: not known; it bounds the rows scrolled out, in
  // case the last frame no longer fits on the screen).
  std::string Redraw(const std::vector<std::string>& above, const std::vector<FrameLine>& frame,
                     size_t width, size_t height = 0);

  // Erases the frame drawn last (the log lines above stay) and leaves the
  // cursor where the frame began.
  std::string Erase(size_t width);

  // Moves what the screen shows, and the cursor with it, down by `rows`
  // (REQUIRES: at least `rows` empty rows below the cursor): "" for 0.
  static std::string ScrollDown(size_t rows);

 private:
  size_t Rows(size_t width) const;  // of the frame drawn last, at `width`

  std::vector<size_t> drawn_;  // columns of each line of the frame drawn last
};

}  // namespace ctxbench
