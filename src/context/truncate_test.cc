#include "context/truncate.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "llm/memo_counter.h"
#include "llm/token_counter.h"

namespace ctxbench {
namespace {

// The algorithm before the restart points (truncate.cc's CutCounter): every
// probe of the search re-encodes the whole marked prefix.
std::string ReferenceTruncate(const std::string& text, int max_tokens,
                              const TokenCounter& counter) {
  if (counter.Count(text) <= max_tokens) return text;
  auto with_marker = [&](size_t keep) {
    return text.substr(0, keep) + "\n[... " + std::to_string(text.size() - keep) +
           " characters cut to fit the context budget]";
  };
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
  size_t line_end = text.rfind('\n', lo);
  if (line_end != std::string::npos && line_end > 0 && line_end >= lo / 2) lo = line_end;
  std::string out = with_marker(lo);
  return counter.Count(out) <= max_tokens ? out : std::string();
}

// Texts shaped like tool results and logs, with lines starting with letters,
// digits, spaces, punctuation and multibyte characters, CRLF line ends,
// runs of blank lines and long lines.
std::vector<std::string> VariedTexts() {
  const std::vector<std::string> pieces = {"accuracy 0.8123",
                                           "Epoch 12/300",
                                           "  indented line",
                                           "\t{\"max_depth\": 4}",
                                           "é accentué",
                                           "日本語のテキスト",
                                           "emoji \xF0\x9F\x8C\x8D here",
                                           "--- separator ---",
                                           "x",
                                           "12345678901234",
                                           "Don't stop, it's fine",
                                           "/usr/lib/path",
                                           "",
                                           "   ",
                                           "\r",
                                           "A",
                                           "Traceback (most recent call last):",
                                           "    ValueError: bad",
                                           "9 lives",
                                           "'quoted'"};
  std::vector<std::string> texts;
  std::mt19937 rng(11);
  for (int t = 0; t < 24; ++t) {
    std::string text;
    size_t lines = 20 + rng() % 400;
    for (size_t i = 0; i < lines; ++i) {
      text += pieces[rng() % pieces.size()];
      if (rng() % 5 == 0) text += " " + pieces[rng() % pieces.size()];
      text += (rng() % 7 == 0) ? "\r\n" : (rng() % 9 == 0 ? "\n\n" : "\n");
    }
    if (t % 3 == 0) text += std::string(900, 'z');  // a long last line
    texts.push_back(text);
  }
  texts.push_back(std::string(3000, 'a'));         // one line
  texts.push_back(std::string(2000, '\n') + "b");  // only newlines
  return texts;
}

TEST(TruncateTest, SameAsReencodingEveryPrefix) {
  for (const char* encoding : {"o200k_base", "cl100k_base"}) {
    auto exact = MakeTokenCounter(encoding);
    auto memo = std::make_shared<const MemoCounter>(exact);
    for (const std::string& text : VariedTexts()) {
      int total = exact->Count(text);
      for (int max_tokens :
           {0, 1, 5, 12, 13, 40, total / 7, total / 3, total / 2, total - 1, total}) {
        std::string want = ReferenceTruncate(text, max_tokens, *exact);
        EXPECT_EQ(TruncateToTokens(text, max_tokens, *exact), want)
            << encoding << " max " << max_tokens << " of " << total;
        EXPECT_EQ(TruncateToTokens(text, max_tokens, *memo), want) << encoding;
      }
    }
  }
}

TEST(TruncateTest, EmptyTextLimitZeroAndTheEstimate) {
  auto exact = MakeTokenCounter("o200k_base");
  auto estimate = MakeTokenCounter("estimate");
  EXPECT_EQ(TruncateToTokens("", 0, *exact), "");
  EXPECT_EQ(TruncateToTokens("", 5, *exact), "");
  EXPECT_EQ(TruncateToTokens("short", 0, *exact), "");  // not even the marker fits
  std::string text;
  for (int i = 0; i < 300; ++i) text += "line " + std::to_string(i) + " of the log\n";
  for (int max_tokens : {0, 20, 100, 400}) {
    EXPECT_EQ(TruncateToTokens(text, max_tokens, *estimate),
              ReferenceTruncate(text, max_tokens, *estimate));
    std::string cut = TruncateToTokens(text, max_tokens, *exact);
    EXPECT_EQ(cut, ReferenceTruncate(text, max_tokens, *exact));
    EXPECT_LE(exact->Count(cut), max_tokens);
  }
  // Invalid UTF-8 takes the whole-string path and still agrees.
  std::string bad = text + "\xC3\x28 broken\n" + text;
  EXPECT_EQ(TruncateToTokens(bad, 150, *exact), ReferenceTruncate(bad, 150, *exact));
}

}  // namespace
}  // namespace ctxbench
