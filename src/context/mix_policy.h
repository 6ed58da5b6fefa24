// `mix`: one token budget split across sections (state, summary, retrieved,
// recent turns) by weights, filled by priority, degrading in a fixed order
// as the budget tightens: mask old observations, truncate the newest turn,
// summarise what the recent share cannot hold, drop what is left. The budget
// itself tightens as the episode's token budget runs out.
#pragma once

#include <memory>

#include "context/policy.h"

namespace ctxbench {

// Parameters (all optional): weights {state, summary, retrieved, recent}
// (default 0.3, 0.15, 0.15, 0.4), k (retrieved items, 5), summary_tokens
// (400), reserve_calls (4: never plan a context larger than the episode's
// remaining tokens / reserve_calls), min_tokens (1024: the floor of that).
std::unique_ptr<Policy> MakeMixPolicy(const JsonReader& params);

}  // namespace ctxbench
