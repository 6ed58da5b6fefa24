// The stages policies are made of. Each narrows or decorates a Draft; a
// policy is a list of stages followed by Draft::Finish. `pipeline` lets a
// config list stages itself.
#pragma once

#include <memory>
#include <set>
#include <string>

#include "context/draft.h"
#include "context/memory_index.h"
#include "context/state_block.h"

namespace ctxbench {

class Stage {
 public:
  virtual ~Stage() = default;
  virtual std::string type() const = 0;
  // Stages may keep caches of the (append-only) log; one instance per episode.
  virtual void Apply(Draft& draft) const = 0;
};

// The last `max_turns` turns and at most `max_tokens` of history (0: no limit).
std::unique_ptr<Stage> MakeWindowStage(int max_turns, int max_tokens);
// Observations older than the last `after_turns` turns become placeholders,
// except results of `keep_tools`.
std::unique_ptr<Stage> MakeMaskStage(int after_turns, std::set<std::string> keep_tools);
// The harness's structured state as a section.
std::unique_ptr<Stage> MakeStateStage(StateOptions options);
// The top `k` memory items (BM25) from before the kept turns, among the newest
// `memory_items` items of the episode's memory, queried with the
// goal and the latest messages.
std::unique_ptr<Stage> MakeRetrieveStage(int k, size_t memory_items = kDefaultMemoryItems);
// When the context would exceed `trigger_tokens` (0: the budget), keeps the
// last `keep_turns` turns and summarises the rest into a rolling summary of at
// most `summary_tokens`.
std::unique_ptr<Stage> MakeSummarizeStage(int keep_turns, int trigger_tokens, int summary_tokens);

// The summary section for turns [from_turn, to_turn) on top of the log's latest
// summary; asks the input's summarizer when there is one. Returns nullopt when
// there is neither a summary nor anything to summarise.
std::optional<Section> SummarySection(const Draft& draft, size_t from_turn, size_t to_turn,
                                      int summary_tokens);
// The first turn after what the log's latest summary covers.
size_t FirstUnsummarizedTurn(const Draft& draft);

}  // namespace ctxbench
