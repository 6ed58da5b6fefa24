// What a live view of a run (console/live_display.h) is told by the runner:
// every event of every episode (it is an EventSink), and the grid's shape and
// per-model gauges when the episodes start and stop.
//
// Thread safety: OnEvent is called from the episodes' threads concurrently;
// OnGridStart and OnGridEnd from the runner's thread, before the first and
// after the last OnEvent of the grid.
#pragma once

#include <string>
#include <vector>

#include "events/event.h"

namespace ctxbench {

class CallGate;
class ModelHealth;

// One configured model of the run. The pointers stay valid until OnGridEnd
// returns; `gate` is null for models that call no server (sim, replay).
struct WatchedModel {
  std::string name;
  const CallGate* gate = nullptr;
  const ModelHealth* health = nullptr;
};

struct GridInfo {
  size_t episodes = 0;      // to run now (a resumed run's finished ones left out)
  int in_flight = 0;        // episodes run at once
  double run_cost_cap = 0;  // budget.run_max_cost_usd, 0: none
  std::vector<WatchedModel> models;
};

class RunWatcher : public EventSink {
 public:
  virtual void OnGridStart(const GridInfo& info) = 0;
  // No events follow. Must leave the terminal as it found it.
  virtual void OnGridEnd() = 0;
};

}  // namespace ctxbench
