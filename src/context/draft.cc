#include "context/draft.h"

#include <algorithm>

#include "context/truncate.h"
#include "events/payloads.h"

namespace ctxbench {

namespace {
constexpr int kReplyPriming = 3;  // as in CountMessagesTokens

// Manifest records of a message sent: an event's as logged, an event's
// changed, a section's.
SentMessage Logged(int64_t seq) {
  SentMessage m;
  m.seq = seq;
  return m;
}
SentMessage Changed(int64_t seq, const char* as, const std::string& content) {
  SentMessage m;
  m.seq = seq;
  m.as = as;
  m.content = content;
  return m;
}
SentMessage SectionSent(const std::string& name, const std::string& content) {
  SentMessage m;
  m.section = name;
  m.content = content;
  return m;
}
}  // namespace

Draft::Draft(const PolicyInput& input, const LogIndex& index) : in_(input), index_(index) {}

void Draft::KeepLastTurns(size_t n) {
  size_t total = index_.turn_count();
  if (n < total) first_ = std::max(first_, total - n);
}

void Draft::KeepFromTurn(size_t t) { first_ = std::max(first_, std::min(t, index_.turn_count())); }

void Draft::MaskOlderThan(size_t w, std::set<std::string> keep_tools) {
  size_t total = index_.turn_count();
  mask_before_ = total > w ? total - w : 0;
  keep_tools_ = std::move(keep_tools);
}

bool Draft::Masked(size_t i, size_t turn) const {
  if (turn >= mask_before_) return false;
  const Event& e = in_.events[i];
  if (e.type != EventType::kToolResult && e.type != EventType::kObservation) return false;
  if (keep_tools_.empty()) return true;
  // The tool the payload names, else the message's name; read in place, uncopied.
  const std::string* tool = ResponseData::ToolIn(e.data);
  return !keep_tools_.count(tool ? *tool : e.message->name);
}

Message Draft::Placeholder(size_t i) const {
  const Event& e = in_.events[i];
  const Message& logged = *e.message;
  Message m;  // the logged message but its content, which is not copied
  m.role = logged.role;
  m.tool_calls = logged.tool_calls;
  m.tool_call_id = logged.tool_call_id;
  m.name = logged.name;
  int hidden = index_.MessageTokens(in_.events, i, in_.counter);
  std::string what = e.type == EventType::kToolResult
                         ? (m.name.empty() ? "tool" : m.name) + " result"
                         : "observation";
  m.content = "[masked: " + what + " of event " + std::to_string(e.seq) + ", " +
              std::to_string(hidden) + " tokens hidden]";
  return m;
}

std::vector<Message> Draft::TurnMessages(size_t t) const {
  std::vector<Message> out;
  auto [begin, end] = index_.TurnRange(t);
  for (size_t i = begin; i < end; ++i) {
    const Event& e = in_.events[i];
    if (!index_.InConversation(i)) continue;
    out.push_back(Masked(i, t) ? Placeholder(i) : *e.message);
  }
  return out;
}

int Draft::TurnTokens(size_t t) const {
  int n = 0;
  auto [begin, end] = index_.TurnRange(t);
  for (size_t i = begin; i < end; ++i) {
    if (!index_.InConversation(i)) continue;
    n += Masked(i, t)
             ? index_.PlaceholderTokens(
                   i, in_.counter, [&] { return CountMessageTokens(in_.counter, Placeholder(i)); })
             : index_.MessageTokens(in_.events, i, in_.counter);
  }
  return n;
}

int Draft::HeadTokens() const {
  int n = kReplyPriming;
  for (size_t i : index_.head()) n += index_.MessageTokens(in_.events, i, in_.counter);
  return n;
}

int Draft::SectionTokens() const {
  int n = 0;
  for (const Section& s : sections_) n += CountMessageTokens(in_.counter, s.message);
  return n;
}

Context Draft::Finish(int budget, const std::string& policy) const {
  Context ctx;
  Manifest& man = ctx.manifest;
  man.policy = policy;
  man.budget_tokens = budget;
  man.estimated = !in_.counter.exact();
  const int tools = CountToolTokens(in_.counter, in_.tools);
  const int head = HeadTokens();
  for (size_t i : index_.head()) {
    ctx.messages.push_back(*in_.events[i].message);
    man.kept.push_back(in_.events[i].seq);
    man.messages.push_back(Logged(in_.events[i].seq));
  }

  // Sections, cut (largest first) when they leave no room for the newest turn.
  std::vector<Section> sections = sections_;
  auto section_tokens = [&] {
    int n = 0;
    for (const Section& s : sections) n += CountMessageTokens(in_.counter, s.message);
    return n;
  };
  const size_t total_turns = index_.turn_count();
  int newest_min = 0;
  if (first_ < total_turns) {
    // The newest turn's messages with empty contents: the least it can take.
    for (Message m : TurnMessages(total_turns - 1)) {
      m.content.clear();
      newest_min += CountMessageTokens(in_.counter, m);
    }
  }
  while (!sections.empty() && head + tools + section_tokens() + newest_min > budget) {
    auto largest = std::max_element(sections.begin(), sections.end(), [&](auto& a, auto& b) {
      return in_.counter.Count(a.message.content) < in_.counter.Count(b.message.content);
    });
    int over = head + tools + section_tokens() + newest_min - budget;
    int keep = in_.counter.Count(largest->message.content) - over - 1;
    if (keep <= 8) {
      man.extra["sections_dropped"].push_back(largest->name);
      sections.erase(largest);
    } else {
      largest->message.content = TruncateToTokens(largest->message.content, keep, in_.counter);
      largest->detail["truncated"] = true;
    }
  }
  int sections_used = 0;
  for (const Section& s : sections) {
    int n = CountMessageTokens(in_.counter, s.message);
    man.section_tokens[s.name] += n;
    sections_used += n;
    man.extra["sections"][s.name] = s.detail;
    man.messages.push_back(SectionSent(s.name, s.message.content));
    ctx.messages.push_back(s.message);
  }

  int room = budget - head - tools - sections_used;
  if (history_cap_ > 0) room = std::min(room, history_cap_);
  size_t first_kept = total_turns;
  int used = 0;
  for (size_t t = total_turns; t-- > first_;) {
    int n = TurnTokens(t);
    if (used + n > room) break;
    used += n;
    first_kept = t;
  }
  std::vector<Message> history;
  if (first_kept == total_turns && first_ < total_turns) {
    // The newest turn alone does not fit: cut its longest contents.
    size_t t = total_turns - 1;
    std::vector<Message> msgs = TurnMessages(t);
    auto total = [&] {
      int n = 0;
      for (const auto& m : msgs) n += CountMessageTokens(in_.counter, m);
      return n;
    };
    while (total() > std::max(0, room)) {
      // The longest text of the turn: a content or a tool call's arguments
      // (a model may send megabytes of arguments; they are cut like content).
      std::string* longest = nullptr;
      int longest_tokens = 0;
      auto consider = [&](std::string& text) {
        int n = in_.counter.Count(text);
        if (!longest || n > longest_tokens) {
          longest = &text;
          longest_tokens = n;
        }
      };
      for (Message& m : msgs) {
        consider(m.content);
        for (ToolCall& c : m.tool_calls) consider(c.arguments);
      }
      if (!longest || longest->empty()) break;
      int keep = longest_tokens - (total() - std::max(0, room)) - 1;
      *longest = TruncateToTokens(*longest, std::max(0, keep), in_.counter);
    }
    auto [begin, end] = index_.TurnRange(t);
    size_t j = 0;
    for (size_t i = begin; i < end; ++i) {
      if (!index_.InConversation(i)) continue;
      int64_t seq = in_.events[i].seq;
      bool whole = msgs[j] == *in_.events[i].message;
      (whole ? man.kept : man.truncated).push_back(seq);
      SentMessage record = whole ? Logged(seq) : Changed(seq, "truncated", msgs[j].content);
      if (!whole) {
        if (msgs[j].tool_calls != in_.events[i].message->tool_calls) {
          record.cut_arguments = true;
          for (const ToolCall& c : msgs[j].tool_calls) record.arguments.push_back(c.arguments);
        }
      }
      man.messages.push_back(std::move(record));
      ++j;
    }
    used = total();
    history = std::move(msgs);
    first_kept = t;
  } else {
    for (size_t t = first_kept; t < total_turns; ++t) {
      auto [begin, end] = index_.TurnRange(t);
      for (size_t i = begin; i < end; ++i) {
        if (!index_.InConversation(i)) continue;
        bool masked = Masked(i, t);
        int64_t seq = in_.events[i].seq;
        (masked ? man.masked : man.kept).push_back(seq);
        history.push_back(masked ? Placeholder(i) : *in_.events[i].message);
        man.messages.push_back(masked ? Changed(seq, "masked", history.back().content)
                                      : Logged(seq));
      }
    }
  }
  for (auto& m : history) ctx.messages.push_back(std::move(m));
  if (first_kept > 0 && total_turns > 0) {
    int64_t from = in_.events[index_.turn_starts()[0]].seq;
    int64_t to = in_.events[index_.TurnRange(first_kept - 1).second - 1].seq;
    man.dropped_ranges.push_back({from, to});
  }
  man.section_tokens["head"] = head;
  man.section_tokens["history"] = used;
  man.section_tokens["tools"] = tools;
  man.total_tokens = head + sections_used + used + tools;
  man.extra["turns_total"] = total_turns;
  man.extra["turns_kept"] = total_turns - first_kept;
  return ctx;
}

}  // namespace ctxbench
