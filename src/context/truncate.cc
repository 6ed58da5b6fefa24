#include "context/truncate.h"

#include "llm/token_counter.h"

namespace ctxbench {

std::string TruncateToTokens(const std::string& text, int max_tokens, const TokenCounter& counter) {
  if (counter.Count(text) <= max_tokens) return text;
  auto with_marker = [&](size_t keep) {
    return text.substr(0, keep) + "\n[... " + std::to_string(text.size() - keep) +
           " characters cut to fit the context budget]";
  };
  // Largest prefix (at a UTF-8 boundary) whose marked form fits.
  size_t lo = 0, hi = text.size();
  while (lo < hi) {
    size_t mid = (lo + hi + 1) / 2;
    if (counter.Count(with_marker(mid)) <= max_tokens) {
      lo = mid;
    } else {
      hi = mid - 1;
    }
  }
  lo = Utf8Boundary(text, lo);
  // Cut at a line end when one is near: a half line of numbers reads as a
  // different number.
  size_t line_end = text.rfind('\n', lo);
  if (line_end != std::string::npos && line_end > 0 && line_end >= lo / 2) lo = line_end;
  std::string out = with_marker(lo);
  return counter.Count(out) <= max_tokens ? out : std::string();
}

size_t Utf8Boundary(const std::string& text, size_t pos) {
  while (pos > 0 && pos < text.size() && (static_cast<unsigned char>(text[pos]) & 0xC0) == 0x80) {
    --pos;
  }
  return pos;
}

}  // namespace ctxbench
