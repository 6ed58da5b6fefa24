#include "console/terminal_region.h"

#include "console/text.h"

namespace ctxbench {

namespace {

constexpr char kWarningStyle[] = "\x1b[1;33m";  // bold yellow
constexpr char kErrorStyle[] = "\x1b[1;31m";    // bold red
constexpr char kPlain[] = "\x1b[0m";

std::string Styled(const std::string& text, const char* style) { return style + text + kPlain; }

}  // namespace

std::string TerminalRegion::Erase(size_t width) {
  size_t rows = 0;
  for (size_t columns : drawn_) {
    rows += width > 0 && columns > width ? (columns + width - 1) / width : 1;
  }
  drawn_.clear();
  std::string out = "\r";
  if (rows > 0) out += "\x1b[" + std::to_string(rows) + "A";
  return out + "\x1b[J";
}

std::string TerminalRegion::Redraw(const std::vector<std::string>& above,
                                   const std::vector<FrameLine>& frame, size_t width) {
  std::string out = Erase(width);
  for (const std::string& line : above) {
    std::string safe = SanitizeLine(line);
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
    out += (line.warning ? Styled(line.text, kWarningStyle) : line.text) + "\n";
    drawn_.push_back(Columns(line.text));
  }
  return out;
}

}  // namespace ctxbench
