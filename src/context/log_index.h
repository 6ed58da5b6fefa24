// An incremental index of an episode's event log for context policies.
//
// The log is append-only, so the index only reads events it has not seen:
// each Update costs O(new events). It records the head, where each turn
// starts, the experiments (best ones kept in order), notes, clarifications,
// errors and summaries, and caches token counts per event. A policy instance
// serves one episode and keeps one index; its output never depends on how
// warm the index is (tests build from fresh and warm indexes alike).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "events/event.h"
#include "events/payloads.h"
#include "llm/token_counter.h"

namespace ctxbench {

struct IndexedExperiment {
  int64_t seq = 0;
  int number = 0;
  Json config;
  bool ok = false;
  double value = 0;
  std::string error;
};

class LogIndex {
 public:
  // Reads events[seen..]; throws a runtime error if `events` is not the log
  // this index has seen (shorter than before).
  void Update(const std::vector<Event>& events);

  const std::vector<size_t>& head() const { return head_; }
  // Start index (into events) of each turn; a turn runs to the next start.
  const std::vector<size_t>& turn_starts() const { return turn_starts_; }
  size_t turn_count() const { return turn_starts_.size(); }
  // [begin, end) event indices of turn `t`.
  std::pair<size_t, size_t> TurnRange(size_t t) const;
  size_t size() const { return seen_; }
  // Whether events[i]'s message belongs in the conversation: not the head,
  // not a summariser's own call. Computed once per event.
  bool InConversation(size_t i) const { return in_conversation_[i] != 0; }

  // Tokens of the message of events[i] (0 for events without a message);
  // cached per event.
  int MessageTokens(const std::vector<Event>& events, size_t i, const TokenCounter& counter) const;
  // Tokens of the one-line placeholder that stands for events[i]'s message
  // when it is masked, counted by `count` the first time; cached per event
  // (a placeholder depends only on its event).
  template <typename Count>
  int PlaceholderTokens(size_t i, const TokenCounter& counter, Count count) const {
    ResetIfCounterChanged(counter);
    if (placeholder_tokens_[i] < 0) placeholder_tokens_[i] = count();
    return placeholder_tokens_[i];
  }

  const std::vector<IndexedExperiment>& experiments() const { return experiments_; }
  // Indices into experiments() of successful ones, best first.
  std::vector<size_t> BestExperiments(size_t k) const;
  const std::vector<size_t>& notes() const { return notes_; }  // kNote events
  const std::vector<size_t>& clarifications() const { return clarifications_; }
  const std::vector<size_t>& errors() const { return errors_; }  // invalid actions, failed runs
  std::optional<size_t> latest_summary() const { return latest_summary_; }  // kSummary event
  // The episode.start payload, parsed once; null before that event.
  const EpisodeStartData* episode_start() const { return start_ ? &*start_ : nullptr; }
  bool higher_is_better() const { return higher_is_better_; }

 private:
  size_t seen_ = 0;
  std::vector<size_t> head_;
  std::vector<size_t> turn_starts_;
  std::vector<unsigned char> in_conversation_;
  std::vector<IndexedExperiment> experiments_;
  std::multimap<double, size_t> ranked_;  // key: value, negated when higher is better
  std::vector<size_t> notes_, clarifications_, errors_;
  std::optional<size_t> latest_summary_;
  std::optional<EpisodeStartData> start_;
  bool higher_is_better_ = false;
  void ResetIfCounterChanged(const TokenCounter& counter) const;

  mutable std::vector<int> tokens_;              // -1: not counted yet
  mutable std::vector<int> placeholder_tokens_;  // -1: not counted yet
  mutable std::string counter_name_;
};

}  // namespace ctxbench
