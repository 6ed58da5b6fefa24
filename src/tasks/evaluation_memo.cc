#include "tasks/evaluation_memo.h"

#include <exception>
#include <utility>

#include "core/env.h"
#include "core/error.h"

namespace ctxbench {

EvaluationMemo::EvaluationMemo(size_t max_entries) : max_entries_(max_entries) {}

Evaluation EvaluationMemo::GetOrCompute(const std::string& key,
                                        const std::function<Evaluation()>& compute) {
  if (max_entries_ == 0) return compute();
  std::promise<Evaluation> mine;
  std::shared_future<Evaluation> theirs;
  uint64_t id = 0;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = slots_.find(key);
    if (it != slots_.end()) {
      theirs = it->second.result;
    } else {
      id = ++next_id_;
      order_.push_back(key);
      slots_.emplace(key, Slot{id, mine.get_future().share(), std::prev(order_.end())});
      while (slots_.size() > max_entries_) EraseLocked(slots_.find(order_.front()));
    }
  }
  if (theirs.valid()) {
    Evaluation hit = theirs.get();  // waits while another thread computes it
    hit.cached = true;
    return hit;
  }
  Evaluation result;
  try {
    result = compute();
  } catch (...) {
    mine.set_exception(std::current_exception());
    Forget(key, id);
    throw;
  }
  mine.set_value(result);
  if (!result.ok) Forget(key, id);
  return result;
}

size_t EvaluationMemo::size() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return slots_.size();
}

void EvaluationMemo::EraseLocked(std::unordered_map<std::string, Slot>::iterator it) {
  order_.erase(it->second.order);
  slots_.erase(it);
}

void EvaluationMemo::Forget(const std::string& key, uint64_t id) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = slots_.find(key);
  if (it != slots_.end() && it->second.id == id) EraseLocked(it);
}

size_t LearnerMemoEntriesFromEnv() {
  std::optional<std::string> value = GetEnv("CTXBENCH_LEARNER_MEMO");
  if (!value) return kDefaultLearnerMemoEntries;
  size_t used = 0;
  unsigned long long n = 0;
  try {
    n = std::stoull(*value, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used != value->size() || (*value)[0] == '-') {
    ThrowInput("CTXBENCH_LEARNER_MEMO",
               "expected a count of results (0 turns the memo off), got '" + *value + "'");
  }
  return static_cast<size_t>(n);
}

}  // namespace ctxbench
