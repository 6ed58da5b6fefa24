// A model's call limits, read from its config entry (`openai`, and `replay`
// which accepts every `openai` key): how many requests may be in flight and
// how fast they may start. CallGate enforces them; docs/models.md documents
// the keys.
#pragma once

#include "core/json.h"

namespace ctxbench {

struct CallLimits {
  int max_connections = 10;        // requests in flight at once, all episodes
  double requests_per_minute = 0;  // 0: no limit
  double tokens_per_minute = 0;    // 0: no limit (prompt + max completion tokens)
  bool adaptive = false;           // AIMD on the connection cap
};

// Reads max_connections, requests_per_minute, tokens_per_minute and adaptive
// from a model entry (other keys are the caller's to check). Throws an input
// error naming the field.
CallLimits ReadCallLimits(const JsonReader& params);

}  // namespace ctxbench
