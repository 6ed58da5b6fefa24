#include "context/log_index.h"

#include "core/error.h"
#include "events/payloads.h"

namespace ctxbench {

void LogIndex::Update(const std::vector<Event>& events) {
  if (events.size() < seen_) ThrowRuntime("context", "the event log shrank; it is append-only");
  for (size_t i = seen_; i < events.size(); ++i) {
    const Event& e = events[i];
    // An op.llm of the summariser, not an agent step. A payload without a
    // purpose (an older writer, the synthetic log) is an agent step.
    bool summariser_call = false;
    switch (e.type) {
      case EventType::kEpisodeStart:
        start_ = EpisodeStartData::FromJson(e.data);
        higher_is_better_ = start_->higher_is_better;
        break;
      case EventType::kPrompt:
        if (e.message) head_.push_back(i);
        break;
      case EventType::kLlmCall: {
        std::string purpose = LlmCallData::FromJson(e.data).purpose;
        summariser_call = !purpose.empty() && purpose != "agent";
        if (e.message && !summariser_call) turn_starts_.push_back(i);
        break;
      }
      case EventType::kExperiment: {
        ExperimentData d = ExperimentData::FromJson(e.data);
        IndexedExperiment x;
        x.seq = e.seq;
        x.number = d.experiment;
        x.config = d.config.is_null() ? Json::object() : d.config;
        x.ok = d.ok;
        x.value = d.valid_metric.value_or(0.0);
        x.error = d.error;
        experiments_.push_back(x);
        if (x.ok) {
          ranked_.emplace(higher_is_better_ ? -x.value : x.value, experiments_.size() - 1);
        } else {
          errors_.push_back(i);
        }
        break;
      }
      case EventType::kInvalidAction:
        errors_.push_back(i);
        break;
      case EventType::kNote:
        notes_.push_back(i);
        break;
      case EventType::kClarification:
        clarifications_.push_back(i);
        break;
      case EventType::kSummary:
        latest_summary_ = i;
        break;
      default:
        break;
    }
    // Messages before the first assistant message open turn 0.
    bool message_in_turn = e.message && e.type != EventType::kPrompt && !summariser_call;
    if (message_in_turn && turn_starts_.empty()) turn_starts_.push_back(i);
    in_conversation_.push_back(message_in_turn ? 1 : 0);
  }
  seen_ = events.size();
  tokens_.resize(seen_, -1);
  placeholder_tokens_.resize(seen_, -1);
}

std::pair<size_t, size_t> LogIndex::TurnRange(size_t t) const {
  size_t begin = turn_starts_[t];
  size_t end = t + 1 < turn_starts_.size() ? turn_starts_[t + 1] : seen_;
  return {begin, end};
}

int LogIndex::MessageTokens(const std::vector<Event>& events, size_t i,
                            const TokenCounter& counter) const {
  ResetIfCounterChanged(counter);
  if (tokens_[i] < 0) {
    tokens_[i] = events[i].message ? CountMessageTokens(counter, *events[i].message) : 0;
  }
  return tokens_[i];
}

void LogIndex::ResetIfCounterChanged(const TokenCounter& counter) const {
  if (counter_name_ == counter.name()) return;
  std::fill(tokens_.begin(), tokens_.end(), -1);
  std::fill(placeholder_tokens_.begin(), placeholder_tokens_.end(), -1);
  counter_name_ = counter.name();
}

std::vector<size_t> LogIndex::BestExperiments(size_t k) const {
  std::vector<size_t> out;
  for (auto it = ranked_.begin(); it != ranked_.end() && out.size() < k; ++it) {
    out.push_back(it->second);
  }
  return out;
}

}  // namespace ctxbench
