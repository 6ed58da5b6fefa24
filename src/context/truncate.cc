#include "context/truncate.h"

#include <algorithm>
#include <string_view>
#include <vector>

#include "llm/token_counter.h"
#include "llm/tokenizer/utf8.h"

namespace ctxbench {
namespace {

std::string Marker(size_t cut) {
  return "\n[... " + std::to_string(cut) + " characters cut to fit the context budget]";
}

bool IsAsciiAlnum(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// Counts text[0, keep) + Marker(text.size() - keep), the same number as
// counter.Count of that string, re-encoding only from the last line start
// before `keep` instead of from 0.
//
// Why that is exact, for the exact encodings (cl100k_base, o200k_base) on
// valid UTF-8: their pre-tokenising patterns have no lookbehind, and no
// alternative can match across a newline followed by an ASCII letter or
// digit: letter and digit runs stop at the newline; punctuation, newline and
// whitespace runs stop at (or look ahead only as far as) the letter. So a
// match that starts before such a position r examines nothing beyond r, and
// r is a piece boundary of any string that agrees with the text on [0, r].
// A string cut at keep > r agrees there, so its count is the tokens of the
// text's pieces before r plus the count of (text[r, keep) + marker) alone;
// and the tokens before r are summed segment by segment between such
// positions in one pass (each segment counted with the next position's one
// character, an ASCII letter or digit, which is one token). Any other
// counter (the estimate, an unknown encoding) or invalid UTF-8 counts the
// whole string each time. TruncateTest.SameAsReencodingEveryPrefix compares
// both on varied texts.
class CutCounter {
 public:
  CutCounter(const std::string& text, const TokenCounter& counter)
      : text_(text), counter_(counter) {
    const std::string name = counter.name();
    if (!counter.exact() || (name != "cl100k_base" && name != "o200k_base")) return;
    if (!IsValidUtf8(text)) return;
    // Line starts at least kSpacing apart: each costs one Count of its segment.
    constexpr size_t kSpacing = 256;
    size_t last = 0;
    int before = 0;
    for (size_t r = kSpacing; r < text.size(); ++r) {
      if (text[r - 1] != '\n' || !IsAsciiAlnum(text[r]) || r - last < kSpacing) continue;
      before += counter.Count(std::string_view(text).substr(last, r + 1 - last)) - 1;
      starts_.push_back(r);
      tokens_before_.push_back(before);
      last = r;
    }
  }

  int Count(size_t keep) const {
    // The last line start r < keep (none: count from 0).
    auto it = std::lower_bound(starts_.begin(), starts_.end(), keep);
    if (it == starts_.begin())
      return counter_.Count(text_.substr(0, keep) + Marker(text_.size() - keep));
    size_t i = static_cast<size_t>(it - starts_.begin()) - 1;
    size_t r = starts_[i];
    return tokens_before_[i] +
           counter_.Count(text_.substr(r, keep - r) + Marker(text_.size() - keep));
  }

 private:
  const std::string& text_;
  const TokenCounter& counter_;
  std::vector<size_t> starts_;      // ascending line starts used as restart points
  std::vector<int> tokens_before_;  // tokens of the text's pieces before each
};

}  // namespace

std::string TruncateToTokens(const std::string& text, int max_tokens, const TokenCounter& counter) {
  if (counter.Count(text) <= max_tokens) return text;
  auto with_marker = [&](size_t keep) { return text.substr(0, keep) + Marker(text.size() - keep); };
  CutCounter cut(text, counter);
  // Largest prefix (at a UTF-8 boundary) whose marked form fits.
  size_t lo = 0, hi = text.size();
  while (lo < hi) {
    size_t mid = (lo + hi + 1) / 2;
    if (cut.Count(mid) <= max_tokens) {
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
