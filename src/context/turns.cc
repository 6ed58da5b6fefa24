#include "context/turns.h"

#include "llm/token_counter.h"

namespace ctxbench {

Turns SplitTurns(const std::vector<Event>& events) {
  Turns t;
  for (size_t i = 0; i < events.size(); ++i) {
    const Event& e = events[i];
    if (!e.message) continue;
    if (e.type == EventType::kPrompt) {
      t.head.push_back(i);
    } else if (e.type == EventType::kLlmCall) {
      t.turns.push_back({i});
    } else {
      if (t.turns.empty()) t.turns.push_back({});
      t.turns.back().push_back(i);
    }
  }
  return t;
}

std::string TruncateToTokens(const std::string& text, int max_tokens,
                             const TokenCounter& counter) {
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
  while (lo > 0 && (static_cast<unsigned char>(text[lo]) & 0xC0) == 0x80) --lo;
  std::string out = with_marker(lo);
  return counter.Count(out) <= max_tokens ? out : std::string();
}

}  // namespace ctxbench
