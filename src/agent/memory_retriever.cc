#include "agent/memory_retriever.h"

#include <algorithm>
#include <set>

#include "context/truncate.h"

namespace ctxbench {

MemoryRetriever::Result MemoryRetriever::Retrieve(const std::vector<Event>& events,
                                                  const std::string& query, int k) {
  constexpr size_t kShownChars = 400;
  if (!index_) index_ = std::make_unique<MemoryIndex>();
  index_->Update(events);
  // Ask for more than k: duplicates of a better hit are skipped below.
  int64_t next_seq = events.empty() ? 0 : events.back().seq + 1;
  std::vector<MemoryHit> found = index_->Search(query, next_seq, std::max(k, 0) * 3);
  Result r;
  std::set<std::string> shown;
  for (MemoryHit& h : found) {
    if (static_cast<int>(r.hits.size()) >= k) break;
    if (!shown.insert(h.text).second) continue;
    std::string text = h.text.substr(0, Utf8Boundary(h.text, std::min(h.text.size(), kShownChars)));
    r.text += "\n[event " + std::to_string(h.seq) + ", " + h.kind + "] " + text;
    r.hits.push_back({h.seq, h.kind, h.score, text});
  }
  if (r.hits.empty()) {
    r.text = "Retrieved nothing for \"" + query + "\".";
  } else {
    r.text = "Retrieved for \"" + query + "\" (BM25, best first):" + r.text;
  }
  return r;
}

}  // namespace ctxbench
