// The episode's memory as a BM25 full-text index (SQLite FTS5's ranking, in
// memory):
// tool results, observations, notes, experiment records and clarifications.
// Fed incrementally from the log; one instance per episode.
//
// The memory holds the newest `capacity` items; older ones are evicted in
// order. A search costs what the capacity holds, not what the history holds
// (FTS5's bm25() counts each query term's matching rows over the whole table),
// so a context build stays flat however long the episode runs. The set of
// items is a function of the log alone, so fresh and warm indexes agree.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "events/event.h"

namespace ctxbench {

struct MemoryHit {
  int64_t seq = 0;
  std::string kind;  // "observation", "note", "experiment", "clarification"
  std::string text;
  double score = 0;  // BM25 (lower is better, as FTS5 reports it)
};

inline constexpr size_t kDefaultMemoryItems = 1000;

class MemoryIndex {
 public:
  // How a search is answered. kAuto: while every held item is ASCII text,
  // from posting lists in memory with FTS5's bm25() formula (the same
  // scores, to the bit, at a fraction of the cost); otherwise by FTS5
  // itself (whose unicode61 tokenizer folds and splits non-ASCII text).
  // kFts5: always by FTS5 (what tests compare kAuto with).
  enum class Engine { kAuto, kFts5 };

  explicit MemoryIndex(size_t capacity = kDefaultMemoryItems, Engine engine = Engine::kAuto);
  ~MemoryIndex();
  MemoryIndex(const MemoryIndex&) = delete;
  MemoryIndex& operator=(const MemoryIndex&) = delete;

  // Indexes events[seen..].
  void Update(const std::vector<Event>& events);
  // The top `k` items matching any word of `query`, among items with
  // seq < `before_seq`, best first; ties broken by seq. Words that more than
  // half of the held items contain (zero BM25 weight) are searched only when
  // the other words match fewer than `k` items.
  std::vector<MemoryHit> Search(const std::string& query, int64_t before_seq, int k) const;
  // The seq of the oldest item still held, or -1 when none was evicted.
  int64_t horizon() const;
  size_t size() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The FTS5 query for `text`: its distinct words (runs of letters and digits)
// of 3+ characters, quoted and joined with OR; at most `max_terms`.
std::string Fts5Query(const std::string& text, size_t max_terms = 32);

}  // namespace ctxbench
