// Drawing a frame of lines in place at the bottom of a terminal with ANSI
// escapes (no curses): each redraw moves the cursor back to the frame's first
// line and writes over the old rows, erasing what is left of each. Log lines printed
// meanwhile go above the frame and scroll away with the terminal's history.
//
// After a resize the terminal may have re-wrapped the last frame's lines
// (tmux, VTE and kitty do when the width shrinks); the next redraw counts the
// rows they take at the new width, so no stale line is left on the screen
// (tmux also moves the rows above the cursor that no longer fit into its
// history, where no escape reaches them: part of the frame drawn before a
// narrowing may stay there).
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
  // width - 1 columns, so none wraps). `width` is the terminal's now.
  std::string Redraw(const std::vector<std::string>& above, const std::vector<FrameLine>& frame,
                     size_t width);

  // Erases the frame drawn last (the log lines above stay) and leaves the
  // cursor where the frame began.
  std::string Erase(size_t width);

 private:
  size_t Rows(size_t width) const;

  std::vector<size_t> drawn_;  // columns of each line of the frame drawn last
};

}  // namespace ctxbench
