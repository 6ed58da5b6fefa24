// The learner's memo: one training per distinct evaluation in a process.
//
// An evaluation is a pure function of its key (the task, the split's content,
// the full learner config and seed: XGBoost with a fixed `nthread` and seed
// gives the same bits every time, XgboostLearnerTest.TrainingTwiceGivesTheSameBits),
// so a repeated one is looked up instead of trained again. Episodes of a grid
// ask for the same configs often (the baseline, and the configs the `sim`
// model's deterministic search reaches under several policies).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <future>
#include <list>
#include <mutex>
#include <string>
#include <unordered_map>

#include "tasks/learner.h"

namespace ctxbench {

class EvaluationMemo {
 public:
  // Keeps at most `max_entries` results (the oldest are dropped first);
  // 0 turns the memo off: every call computes.
  explicit EvaluationMemo(size_t max_entries);
  EvaluationMemo(const EvaluationMemo&) = delete;
  EvaluationMemo& operator=(const EvaluationMemo&) = delete;

  // The result for `key`: the kept one, else `compute()`'s. Single-flight:
  // callers asking for a key that another thread is computing wait for that
  // result instead of computing it again. A result not computed by this call
  // is returned with `cached` true and the rest as computed (train_seconds is
  // the time of the training that made it). A result with `ok` false is
  // handed to the callers already waiting for it but not kept (it may be
  // transient); an exception from `compute` reaches them the same way.
  // Thread-safe.
  Evaluation GetOrCompute(const std::string& key, const std::function<Evaluation()>& compute);

  // Results kept now (including one being computed). Thread-safe.
  size_t size() const;

 private:
  struct Slot {
    uint64_t id = 0;  // tells this computation from a later one of the same key
    std::shared_future<Evaluation> result;
    std::list<std::string>::iterator order;
  };
  // REQUIRES: mutex_ held.
  void EraseLocked(std::unordered_map<std::string, Slot>::iterator it);
  // Drops `key`'s slot if it is still computation `id`'s.
  void Forget(const std::string& key, uint64_t id);

  const size_t max_entries_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, Slot> slots_;
  std::list<std::string> order_;  // keys, oldest first
  uint64_t next_id_ = 0;
};

}  // namespace ctxbench
