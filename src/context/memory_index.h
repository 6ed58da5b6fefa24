// The episode's memory as a BM25 full-text index (SQLite FTS5, in memory):
// tool results, observations, notes, experiment records and clarifications.
// Fed incrementally from the log; one instance per episode.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "context/event.h"

namespace ctxbench {

struct MemoryHit {
  int64_t seq = 0;
  std::string kind;  // "observation", "note", "experiment", "clarification"
  std::string text;
  double score = 0;  // BM25 (lower is better, as FTS5 reports it)
};

class MemoryIndex {
 public:
  MemoryIndex();
  ~MemoryIndex();
  MemoryIndex(const MemoryIndex&) = delete;
  MemoryIndex& operator=(const MemoryIndex&) = delete;

  // Indexes events[seen..].
  void Update(const std::vector<Event>& events);
  // The top `k` items matching any word of `query`, among items with
  // seq < `before_seq`, best first; ties broken by seq.
  std::vector<MemoryHit> Search(const std::string& query, int64_t before_seq, int k) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The FTS5 query for `text`: its distinct words (letters, digits, _) of 3+
// characters, quoted and joined with OR; at most `max_terms`.
std::string Fts5Query(const std::string& text, size_t max_terms = 32);

}  // namespace ctxbench
