// Text for a terminal line: made safe (no control characters from a server's
// message can move the cursor) and cut to a number of columns.
//
// Columns are counted as one per UTF-8 code point (wide characters are rare
// in what the views show: ids, numbers and log lines). Error channel: none.
#pragma once

#include <cstdint>
#include <string>

namespace ctxbench {

// `text` with every control character (C0, DEL, and so ESC) replaced by a
// space and invalid UTF-8 bytes by '?'.
std::string SanitizeLine(const std::string& text);

// Code points in `text`.
size_t Columns(const std::string& text);

// The first `columns` code points of `text`; when cut, the last one shown is
// "~" so a cut is visible. REQUIRES: `text` is valid UTF-8 (SanitizeLine).
std::string FitColumns(const std::string& text, size_t columns);

// `text` padded with spaces to `columns` (cut when longer).
std::string PadColumns(const std::string& text, size_t columns);

// "950", "12.3k", "4.56M".
std::string FormatCount(int64_t n);

}  // namespace ctxbench
