// The context made of the head plus the most recent whole turns that fit:
// the shared core of `full` and `window`.
#pragma once

#include <string>

#include "context/policy.h"

namespace ctxbench {

struct RecentTurnsLimits {
  int max_turns = 0;   // 0: no limit on turns
  int max_tokens = 0;  // 0: the input's budget is the only limit
};

// Keeps the head, then whole turns from the newest back while they fit the
// limits. The newest turn always goes in, cut short if it alone is too big.
// Every kept, cut or dropped message event is named in the manifest.
Context BuildRecentTurns(const PolicyInput& input, const RecentTurnsLimits& limits,
                         const std::string& policy_type);

}  // namespace ctxbench
