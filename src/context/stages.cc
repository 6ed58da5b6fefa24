#include "context/stages.h"

#include <algorithm>
#include <utility>

#include "context/retrieved_section.h"
#include "context/summarizer.h"
#include "events/payloads.h"

namespace ctxbench {

namespace {

class WindowStage final : public Stage {
 public:
  WindowStage(int turns, int tokens) : turns_(turns), tokens_(tokens) {}
  std::string type() const override { return "window"; }
  void Apply(Draft& d) const override {
    if (turns_ > 0) d.KeepLastTurns(static_cast<size_t>(turns_));
    if (tokens_ > 0) d.CapHistoryTokens(tokens_);
  }

 private:
  int turns_, tokens_;
};

class MaskStage final : public Stage {
 public:
  MaskStage(int after, std::set<std::string> keep) : after_(after), keep_(std::move(keep)) {}
  std::string type() const override { return "mask"; }
  void Apply(Draft& d) const override { d.MaskOlderThan(static_cast<size_t>(after_), keep_); }

 private:
  int after_;
  std::set<std::string> keep_;
};

class StateStage final : public Stage {
 public:
  explicit StateStage(StateOptions o) : o_(o) {}
  std::string type() const override { return "state"; }
  void Apply(Draft& d) const override {
    d.AddSection(StateSection(d.input().events, d.index(), o_));
  }

 private:
  StateOptions o_;
};

class RetrieveStage final : public Stage {
 public:
  RetrieveStage(int k, size_t memory_items) : k_(k), memory_(memory_items) {}
  std::string type() const override { return "retrieve"; }
  void Apply(Draft& d) const override {
    const auto& events = d.input().events;
    memory_.Update(events);
    if (d.first_turn() == 0 || d.end_turn() == 0) return;  // nothing older than the window
    int64_t before = events[d.index().turn_starts()[d.first_turn()]].seq;
    // Query: the goal (task statement's first lines) and the newest turn.
    std::string query;
    if (d.index().head().size() > 1) {
      query = events[d.index().head()[1]].message->content.substr(0, 300);
    }
    for (const Message& m : d.TurnMessages(d.end_turn() - 1)) {
      query += " " + m.content;
      for (const auto& c : m.tool_calls) query += " " + c.name + " " + c.arguments;
    }
    auto hits = memory_.Search(query, before, k_);
    if (hits.empty()) return;
    Section s;
    s.name = "retrieved";
    std::string text = "Retrieved from this episode's memory (BM25, best first):";
    RetrievedSection detail;
    for (const MemoryHit& h : hits) {
      text += "\n[event " + std::to_string(h.seq) + ", " + h.kind + "] " + h.text.substr(0, 600);
      detail.items.push_back({h.seq, h.kind, h.score});
    }
    s.message = {Role::kUser, text, {}, "", ""};
    detail.query = query;
    if (memory_.horizon() >= 0) detail.memory_from_seq = memory_.horizon();
    s.detail = detail.ToJson();
    d.AddSection(std::move(s));
  }

 private:
  int k_;
  mutable MemoryIndex memory_;
};

class SummarizeStage final : public Stage {
 public:
  SummarizeStage(int keep, int trigger, int tokens)
      : keep_(keep), trigger_(trigger), tokens_(tokens) {}
  std::string type() const override { return "summarize"; }
  void Apply(Draft& d) const override {
    size_t first = std::max(d.first_turn(), FirstUnsummarizedTurn(d));
    d.KeepFromTurn(first);
    const PolicyInput& in = d.input();
    int total = d.HeadTokens() + d.SectionTokens() + CountToolTokens(in.counter, in.tools);
    for (size_t t = first; t < d.end_turn(); ++t) total += d.TurnTokens(t);
    if (auto prev = d.index().latest_summary()) {
      total += in.counter.Count(SummaryData::FromJson(in.events[*prev].data).text);
    }
    int trigger = trigger_ > 0 ? std::min(trigger_, in.budget_tokens) : in.budget_tokens;
    size_t end = d.end_turn();
    size_t drop_to = first;
    if (total > trigger && end > first + static_cast<size_t>(keep_)) drop_to = end - keep_;
    if (auto s = SummarySection(d, first, drop_to, tokens_)) d.AddSection(std::move(*s));
    d.KeepFromTurn(drop_to);
  }

 private:
  int keep_, trigger_, tokens_;
};

}  // namespace

size_t FirstUnsummarizedTurn(const Draft& d) {
  auto latest = d.index().latest_summary();
  if (!latest) return 0;
  int64_t covers_to = SummaryData::FromJson(d.input().events[*latest].data).covers_to;
  const auto& starts = d.index().turn_starts();
  // Turns start at increasing event indices and seq equals the index.
  auto it = std::upper_bound(starts.begin(), starts.end(), covers_to,
                             [&](int64_t seq, size_t i) { return seq < d.input().events[i].seq; });
  return static_cast<size_t>(it - starts.begin());
}

std::optional<Section> SummarySection(const Draft& d, size_t from, size_t to, int tokens) {
  const PolicyInput& in = d.input();
  std::string previous;
  int64_t covered = -1;
  if (auto latest = d.index().latest_summary()) {
    SummaryData latest_summary = SummaryData::FromJson(in.events[*latest].data);
    previous = std::move(latest_summary.text);
    covered = latest_summary.covers_to;
  }
  bool fresh = false;
  std::string gap;
  if (to > from) {
    int64_t covers_to = in.events[d.index().TurnRange(to - 1).second - 1].seq;
    std::vector<Message> dropped;
    for (size_t t = from; t < to; ++t) {
      for (Message& m : d.TurnMessages(t)) dropped.push_back(std::move(m));
    }
    std::optional<std::string> text;
    if (in.summarizer) text = in.summarizer->Summarize(previous, dropped, covers_to, tokens);
    if (text) {
      previous = *text;
      covered = covers_to;
      fresh = true;
    } else {
      int64_t from_seq = in.events[d.index().turn_starts()[from]].seq;
      gap = "\n(Events " + std::to_string(from_seq) + " to " + std::to_string(covers_to) +
            " were dropped without a summary.)";
    }
  }
  if (previous.empty() && gap.empty()) return std::nullopt;
  Section s;
  s.name = "summary";
  std::string head = covered >= 0
                         ? "Summary of the episode up to event " + std::to_string(covered) + ":\n"
                         : "Summary:\n";
  s.message = {Role::kUser, head + previous + gap, {}, "", ""};
  s.detail = {{"covers_to", covered}, {"fresh", fresh}, {"gap", !gap.empty()}};
  return s;
}

std::unique_ptr<Stage> MakeWindowStage(int t, int k) { return std::make_unique<WindowStage>(t, k); }
std::unique_ptr<Stage> MakeMaskStage(int after, std::set<std::string> keep) {
  return std::make_unique<MaskStage>(after, std::move(keep));
}
std::unique_ptr<Stage> MakeStateStage(StateOptions o) { return std::make_unique<StateStage>(o); }
std::unique_ptr<Stage> MakeRetrieveStage(int k, size_t memory_items) {
  return std::make_unique<RetrieveStage>(k, memory_items);
}
std::unique_ptr<Stage> MakeSummarizeStage(int keep, int trigger, int tokens) {
  return std::make_unique<SummarizeStage>(keep, trigger, tokens);
}

}  // namespace ctxbench
