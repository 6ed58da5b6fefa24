// The retrieve tool: the episode's memory searched by BM25.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "context/memory_index.h"
#include "core/json.h"
#include "events/event.h"
#include "events/payloads.h"

namespace ctxbench {

// The episode's memory (tool results, observations, notes, experiment
// records, clarifications) ranked by BM25 (MemoryIndex, SQLite FTS5), fed
// incrementally from the log. One instance per episode.
class MemoryRetriever {
 public:
  struct Result {
    std::string text;  // what the agent is shown
    // The items shown, best first, with the text as shown and bm25 as FTS5
    // reports it (lower is better).
    std::vector<RetrieveHit> hits;
  };
  // Up to `k` items matching any word (3+ characters) of `query`, best
  // first; an item whose text repeats a better one's (an experiment record
  // and the tool result that reported it) is shown once. The text is
  // "Retrieved for \"<query>\" ..." and one line per item, "[event <seq>,
  // <kind>] <text>", or "Retrieved nothing for ...".
  Result Retrieve(const std::vector<Event>& events, const std::string& query, int k);

 private:
  std::unique_ptr<MemoryIndex> index_;  // made on first use
};

}  // namespace ctxbench
