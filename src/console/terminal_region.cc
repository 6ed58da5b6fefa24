#include "console/terminal_region.h"

#include <algorithm>

#include "console/text.h"

namespace ctxbench {

namespace {

constexpr char kWarningStyle[] = "\x1b[1;33m";  // bold yellow
constexpr char kErrorStyle[] = "\x1b[1;31m";    // bold red
constexpr char kPlain[] = "\x1b[0m";

std::string Styled(const std::string& text, const char* style) { return style + text + kPlain; }

// Rows a line of `columns` takes at `width`.
size_t RowsOf(size_t columns, size_t width) {
  return width > 0 && columns > width ? (columns + width - 1) / width : 1;
}

}  // namespace

// Rows the last frame takes at `width` columns.
size_t TerminalRegion::Rows(size_t width) const {
  size_t rows = 0;
  for (size_t columns : drawn_) rows += RowsOf(columns, width);
  return rows;
}

// Not "erase to the end of the screen" from the frame's first row: tmux
// (scroll-on-clear) pushes the whole screen into its history instead when
// that row is the screen's first. Each row is overwritten or erased alone.
std::string TerminalRegion::Erase(size_t width) {
  size_t rows = Rows(width);
  drawn_.clear();
  if (rows == 0) return "\r";
  std::string out = "\r\x1b[" + std::to_string(rows) + "A";  // the cursor is below the frame
  for (size_t i = 0; i < rows; ++i) out += i + 1 < rows ? "\x1b[2K\x1b[1B" : "\x1b[2K";
  if (rows > 1) out += "\x1b[" + std::to_string(rows - 1) + "A";
  return out;
}

// Scroll down (SD) inserts blank rows at the top of the screen and drops as
// many at the bottom; the cursor does not move with it, so it is moved too.
std::string TerminalRegion::ScrollDown(size_t rows) {
  if (rows == 0) return "";
  std::string n = std::to_string(rows);
  return "\x1b[" + n + "T\x1b[" + n + "B";
}

std::string TerminalRegion::Redraw(const std::vector<std::string>& above,
                                   const std::vector<FrameLine>& frame, size_t width,
                                   size_t height) {
  if (above.empty() && frame.empty()) return Erase(width);
  size_t rows = Rows(width);
  drawn_.clear();
  std::string out = "\r";
  if (rows > 0) out += "\x1b[" + std::to_string(rows) + "A";
  size_t written = 0;  // rows written, at `width`
  for (const std::string& line : above) {
    std::string safe = SanitizeLine(line);
    written += RowsOf(Columns(safe), width);
    out += "\x1b[2K";  // the whole row, as for the frame's rows below
    if (safe.rfind("error: ", 0) == 0) {
      out += Styled(safe, kErrorStyle);
    } else if (safe.rfind("warning: ", 0) == 0) {
      out += Styled(safe, kWarningStyle);
    } else {
      out += safe;
    }
    out += "\n";
  }
  for (const FrameLine& line : frame) {
    // Erasing the whole row first also drops the terminal's mark that the row
    // continues on the next (tmux sets it when a narrowing split a longer row
    // of an earlier frame, and would join the rows again on a widening).
    out += "\x1b[2K" + (line.warning ? Styled(line.text, kWarningStyle) : line.text) + "\n";
    drawn_.push_back(Columns(line.text));
  }
  written += drawn_.size();
  out += "\x1b[J";  // rows of the old frame below the new one
  // Those rows, now empty, are taken out: the frame stays at the bottom. When
  // the last frame was taller than the screen its top was out of reach, the
  // cursor is `written` rows from the top, and only the rows below are empty.
  size_t freed = rows > written ? rows - written : 0;
  if (height > 0) freed = std::min(freed, height > written ? height - 1 - written : 0);
  return out + ScrollDown(freed);
}

}  // namespace ctxbench
