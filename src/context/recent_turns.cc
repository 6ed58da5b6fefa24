#include "context/recent_turns.h"

#include <algorithm>

#include "context/turns.h"

namespace ctxbench {

namespace {

constexpr int kReplyPriming = 3;  // as in CountMessagesTokens

// Fits the newest turn into `room` tokens by cutting the content of its
// non-assistant messages, longest first.
std::vector<Message> FitTurn(std::vector<Message> msgs, int room, const TokenCounter& counter) {
  auto total = [&] {
    int n = 0;
    for (const auto& m : msgs) n += CountMessageTokens(counter, m);
    return n;
  };
  while (total() > room) {
    auto longest = std::max_element(msgs.begin(), msgs.end(), [&](const auto& a, const auto& b) {
      return counter.Count(a.content) < counter.Count(b.content);
    });
    if (longest == msgs.end() || longest->content.empty()) break;
    int content = counter.Count(longest->content);
    int over = total() - room;
    longest->content = TruncateToTokens(longest->content, std::max(0, content - over - 1), counter);
  }
  return msgs;
}

}  // namespace

Context BuildRecentTurns(const PolicyInput& in, const RecentTurnsLimits& limits,
                         const std::string& policy_type) {
  Context ctx;
  Manifest& man = ctx.manifest;
  man.policy = policy_type;
  man.budget_tokens = in.budget_tokens;
  man.estimated = !in.counter.exact();

  Turns turns = SplitTurns(in.events);
  int tool_tokens = CountToolTokens(in.counter, in.tools);
  int head_tokens = kReplyPriming;
  for (size_t i : turns.head) {
    head_tokens += CountMessageTokens(in.counter, *in.events[i].message);
    ctx.messages.push_back(*in.events[i].message);
    man.kept.push_back(in.events[i].seq);
  }
  int room = in.budget_tokens - head_tokens - tool_tokens;
  if (limits.max_tokens > 0) room = std::min(room, limits.max_tokens);

  auto turn_tokens = [&](const std::vector<size_t>& turn) {
    int n = 0;
    for (size_t i : turn) n += CountMessageTokens(in.counter, *in.events[i].message);
    return n;
  };

  // Choose turns newest first, contiguous.
  size_t first_kept = turns.turns.size();
  int used = 0;
  for (size_t k = turns.turns.size(); k-- > 0;) {
    int kept_turns = static_cast<int>(turns.turns.size() - k - 1);
    if (limits.max_turns > 0 && kept_turns >= limits.max_turns) break;
    int t = turn_tokens(turns.turns[k]);
    if (used + t > room) break;
    used += t;
    first_kept = k;
  }
  for (size_t k = 0; k < first_kept && k < turns.turns.size(); ++k) {
    bool newest = k + 1 == turns.turns.size();
    if (newest) break;  // handled below
    for (size_t i : turns.turns[k]) man.dropped.push_back(in.events[i].seq);
  }
  if (first_kept == turns.turns.size() && !turns.turns.empty()) {
    // The newest turn alone does not fit: cut it.
    const auto& turn = turns.turns.back();
    std::vector<Message> msgs;
    for (size_t i : turn) msgs.push_back(*in.events[i].message);
    msgs = FitTurn(std::move(msgs), std::max(0, room), in.counter);
    for (size_t j = 0; j < turn.size(); ++j) {
      const Event& e = in.events[turn[j]];
      (msgs[j].content == e.message->content ? man.kept : man.truncated).push_back(e.seq);
      used += CountMessageTokens(in.counter, msgs[j]);
      ctx.messages.push_back(std::move(msgs[j]));
    }
  } else {
    for (size_t k = first_kept; k < turns.turns.size(); ++k) {
      for (size_t i : turns.turns[k]) {
        ctx.messages.push_back(*in.events[i].message);
        man.kept.push_back(in.events[i].seq);
      }
    }
  }
  std::sort(man.dropped.begin(), man.dropped.end());
  man.section_tokens["head"] = head_tokens;
  man.section_tokens["history"] = used;
  man.section_tokens["tools"] = tool_tokens;
  man.total_tokens = head_tokens + used + tool_tokens;
  man.extra["turns_total"] = turns.turns.size();
  man.extra["turns_kept"] = turns.turns.size() - std::min(first_kept, turns.turns.size());
  return ctx;
}

}  // namespace ctxbench
