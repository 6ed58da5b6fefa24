// The run's two durable views of the event log fed one serialisation.
#pragma once

#include <string>

#include "events/event.h"
#include "store/jsonl_trace.h"
#include "store/sqlite_store.h"

namespace ctxbench {

// One EventSink standing for the trace writer and then the store, in that
// order (an episode is finished in the store only once its trace is whole):
// each event's JSON text (EventJsonText) is made once and written by both,
// where the two sinks side by side would each make it. Everything else is
// the two sinks' own behaviour: run hooks go to the traces, then the store;
// Failure() is the traces' failure, else the store's; OnRunEnd's warnings
// are joined with "; ". Never throws (EventSink). Thread-safe as both are.
// Both must outlive it.
class TraceAndStore : public EventSink {
 public:
  TraceAndStore(JsonlTraceWriter& traces, SqliteStore& store) : traces_(traces), store_(store) {}

  void OnEvent(const EpisodeKey& key, const Event& event) override;
  void OnRunStart(const RunStartInfo& run) override;
  std::string OnRunEnd(const RunEndInfo& end) override;
  std::string Failure() const override;

 private:
  JsonlTraceWriter& traces_;
  SqliteStore& store_;
};

}  // namespace ctxbench
