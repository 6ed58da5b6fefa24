// The live terminal view of a running grid as lines of text (no escape
// sequences: console/terminal_region.h draws them, colouring the warnings):
//
//   [########............]  12/40  30%  5 successes  1 error  elapsed 1m05s  ETA 2m10s
//   calls 120 (1.8/s)  tokens 1.20M  cost $0.4123 of $5.00  last minute: 3 retries, 2 429s
//   models: gpt 4/8 connections  sim (no server)
//   in flight 4:
//     toy.full.gpt.agentic.s1  it 3 step 7  ctx 5.1k/8.0k  tok 21.4k  $0.0213  run_experiment  in
//     call 2.3s
//   ! warning: ...
//
// Error channel: none. Pure: equal snapshots give equal frames.
#pragma once

#include <string>
#include <vector>

#include "console/live_snapshot.h"

namespace ctxbench {

struct FrameLine {
  std::string text;      // at most `width` columns, no control characters
  bool warning = false;  // drawn so that it stands out
};

// The frame for `snapshot`, each line cut to `width` columns, at most
// `max_lines` lines (in-flight episodes beyond what fits are counted in one
// "... and N more" line; the warnings always stay). REQUIRES: width > 0.
std::vector<FrameLine> RenderFrame(const LiveSnapshot& snapshot, size_t width, size_t max_lines);

// One line for logs that are not a terminal:
// "progress: 12/40 done (5 successes, 1 error), 4 in flight, 120 calls, ..."
std::string SummaryLine(const LiveSnapshot& snapshot);

}  // namespace ctxbench
