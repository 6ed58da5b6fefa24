// Synthetic episode logs for tests and benchmarks: a head, then `turns`
// agentic turns (a tool call, its result, an experiment record, a note every
// fifth turn), seq = position, deterministic in `seed`.
#pragma once

#include <cstdint>
#include <vector>

#include "events/event.h"

namespace ctxbench {

std::vector<Event> MakeSyntheticLog(int turns, uint64_t seed);

}  // namespace ctxbench
