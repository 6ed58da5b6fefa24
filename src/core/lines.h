// Splitting text into lines.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace ctxbench {

// The lines of `text`, split at '\n' (the '\n' itself dropped, a '\r' kept).
// A final '\n' ends the last line rather than starting an empty one, so
// "a\nb\n" and "a\nb" both give {"a", "b"}; "" gives no line and "\n" one
// empty line. Thread-safe; never throws but for std::bad_alloc.
std::vector<std::string> SplitLines(std::string_view text);

}  // namespace ctxbench
