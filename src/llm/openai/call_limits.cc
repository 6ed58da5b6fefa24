#include "llm/openai/call_limits.h"

namespace ctxbench {

CallLimits ReadCallLimits(const JsonReader& p) {
  CallLimits l;
  long long connections = p.Int("max_connections", l.max_connections);
  if (connections < 1 || connections > 1000) p.Fail("max_connections", "must be in [1, 1000]");
  l.max_connections = static_cast<int>(connections);
  for (const char* key : {"requests_per_minute", "tokens_per_minute"}) {
    if (p.Has(key) && p.Number(key, 0) <= 0) {
      p.Fail(key, "must be positive (leave it out for no limit)");
    }
  }
  l.requests_per_minute = p.Number("requests_per_minute", 0);
  l.tokens_per_minute = p.Number("tokens_per_minute", 0);
  l.adaptive = p.Bool("adaptive", false);
  return l;
}

}  // namespace ctxbench
