// A context under construction: the head, extra sections (state, summary,
// retrieved memory) and a range of recent turns, some masked. Stages narrow
// and decorate it; Finish() fits it to the budget and writes the manifest.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "context/log_index.h"
#include "context/policy.h"

namespace ctxbench {

struct Section {
  std::string name;  // "state", "summary", "retrieved"
  Message message;
  Json detail = Json::object();  // recorded in the manifest
};

class Draft {
 public:
  // Every turn of the log is a candidate.
  Draft(const PolicyInput& input, const LogIndex& index);

  const PolicyInput& input() const { return in_; }
  const LogIndex& index() const { return index_; }
  size_t first_turn() const { return first_; }
  size_t end_turn() const { return index_.turn_count(); }

  // Keeps only the last `n` turns (n > 0).
  void KeepLastTurns(size_t n);
  // Keeps turns from `t` on.
  void KeepFromTurn(size_t t);
  // Replaces tool results and observations in turns older than the last `w`
  // with a one-line placeholder, except results of `keep_tools`.
  void MaskOlderThan(size_t w, std::set<std::string> keep_tools);
  // Caps the tokens of recent history (0: no cap beyond the budget).
  void CapHistoryTokens(int tokens) { history_cap_ = tokens; }
  void AddSection(Section section) { sections_.push_back(std::move(section)); }

  // The messages of turn `t` as they would go in (masking applied).
  std::vector<Message> TurnMessages(size_t t) const;
  int TurnTokens(size_t t) const;
  int HeadTokens() const;  // reply priming + head messages
  int SectionTokens() const;

  // Fits `budget`: oldest turns are dropped first, then the newest turn is
  // cut, then sections are cut (largest first). Never over budget.
  Context Finish(int budget, const std::string& policy) const;

 private:
  bool Masked(size_t event_index, size_t turn) const;
  Message Placeholder(size_t event_index) const;

  const PolicyInput& in_;
  const LogIndex& index_;
  size_t first_ = 0;
  size_t mask_before_ = 0;  // turns < this are masked
  std::set<std::string> keep_tools_;
  int history_cap_ = 0;
  std::vector<Section> sections_;
};

}  // namespace ctxbench
