#include "context/mix_policy.h"

#include <algorithm>
#include <climits>

#include "context/draft.h"
#include "context/memory_index.h"
#include "context/stages.h"
#include "context/state_block.h"
#include "context/truncate.h"
#include "core/json_int.h"

namespace ctxbench {

namespace {

struct MixOptions {
  double w_state = 0.3, w_summary = 0.15, w_retrieved = 0.15, w_recent = 0.4;
  int k = 5;
  int summary_tokens = 400;
  int reserve_calls = 4;
  int min_tokens = 1024;
  int memory_items = static_cast<int>(kDefaultMemoryItems);
};

class MixPolicy final : public Policy {
 public:
  explicit MixPolicy(MixOptions o)
      : o_(o), retrieve_(MakeRetrieveStage(o.k, static_cast<size_t>(o.memory_items))) {}
  std::string type() const override { return "mix"; }

  Context Build(const PolicyInput& input) const override {
    index_.Update(input.events);
    PolicyInput in = input;
    // Tighten as the episode's token budget runs out.
    int budget = in.budget_tokens;
    if (in.remaining_tokens >= 0) {
      long long share = in.remaining_tokens / std::max(1, o_.reserve_calls);
      budget =
          static_cast<int>(std::clamp<long long>(share, std::min(o_.min_tokens, budget), budget));
    }
    in.budget_tokens = budget;
    Draft d(in, index_);
    const int avail = std::max(0, budget - d.HeadTokens() - CountToolTokens(in.counter, in.tools));
    auto share = [&](double w) { return static_cast<int>(w * avail); };

    // 1. Mask: observations older than the newest turn become placeholders.
    d.MaskOlderThan(1, {});
    // State, cut to its share.
    Section state = StateSection(in.events, index_, StateOptions{});
    int state_cap = share(o_.w_state);
    int state_tokens = CountMessageTokens(in.counter, state.message);
    if (state_tokens > state_cap) {
      state.message.content =
          TruncateToTokens(state.message.content, std::max(0, state_cap - 8), in.counter);
      state.detail["truncated"] = true;
    }
    d.AddSection(state);
    int used = CountMessageTokens(in.counter, state.message);
    // Recent turns: as many as its share holds (unused state share flows on).
    int recent_cap = share(o_.w_recent) + std::max(0, state_cap - used);
    size_t first = d.end_turn();
    int recent = 0;
    size_t unsummarized = FirstUnsummarizedTurn(d);
    for (size_t t = d.end_turn(); t-- > 0;) {
      int n = d.TurnTokens(t);
      if (recent + n > recent_cap && first < d.end_turn()) break;
      recent += n;
      first = t;
    }
    // 3. Summarise what the recent share cannot hold (rolling, from the last summary).
    if (auto s = SummarySection(d, std::min(unsummarized, first), first,
                                std::min(o_.summary_tokens, std::max(32, share(o_.w_summary))))) {
      d.AddSection(std::move(*s));
    }
    d.KeepFromTurn(first);
    retrieve_->Apply(d);  // retrieved items from before the recent turns
    // 2 and 4. Finish truncates the newest turn if needed and drops the rest.
    Context ctx = d.Finish(budget, type());
    ctx.manifest.extra["effective_budget"] = budget;
    ctx.manifest.extra["shares"] = {{"state", state_cap},
                                    {"summary", share(o_.w_summary)},
                                    {"retrieved", share(o_.w_retrieved)},
                                    {"recent", recent_cap}};
    return ctx;
  }

 private:
  MixOptions o_;
  std::unique_ptr<Stage> retrieve_;
  mutable LogIndex index_;
};

}  // namespace

std::unique_ptr<Policy> MakeMixPolicy(const JsonReader& p) {
  p.RejectUnknown(
      {"weights", "k", "summary_tokens", "reserve_calls", "min_tokens", "memory_items"});
  MixOptions o;
  if (p.Has("weights")) {
    JsonReader w = p.Child("weights");
    w.RejectUnknown({"state", "summary", "retrieved", "recent"});
    o.w_state = w.Number("state", o.w_state);
    o.w_summary = w.Number("summary", o.w_summary);
    o.w_retrieved = w.Number("retrieved", o.w_retrieved);
    o.w_recent = w.Number("recent", o.w_recent);
    double sum = o.w_state + o.w_summary + o.w_retrieved + o.w_recent;
    if (o.w_state < 0 || o.w_summary < 0 || o.w_retrieved < 0 || o.w_recent <= 0 || sum <= 0) {
      w.Fail("", "weights must be non-negative, with recent above 0");
    }
    o.w_state /= sum;
    o.w_summary /= sum;
    o.w_retrieved /= sum;
    o.w_recent /= sum;
  }
  o.k = static_cast<int>(IntInRange(p, "k", 1, 100, o.k));
  o.summary_tokens =
      static_cast<int>(IntInRange(p, "summary_tokens", 32, INT_MAX, o.summary_tokens));
  o.reserve_calls = static_cast<int>(IntInRange(p, "reserve_calls", 1, INT_MAX, o.reserve_calls));
  o.min_tokens = static_cast<int>(IntInRange(p, "min_tokens", 256, INT_MAX, o.min_tokens));
  o.memory_items = static_cast<int>(IntInRange(p, "memory_items", 1, INT_MAX, o.memory_items));
  return std::make_unique<MixPolicy>(o);
}

}  // namespace ctxbench
