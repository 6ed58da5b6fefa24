#include "store/trace_and_store.h"

#include "events/event_text.h"

namespace ctxbench {

void TraceAndStore::OnEvent(const EpisodeKey& key, const Event& event) {
  std::string json;
  try {
    json = EventJsonText(event);
  } catch (const std::exception&) {
    // Not expected (the text is written without a tree); each sink then
    // meets and keeps the failure itself, as when it serialised alone.
    traces_.OnEvent(key, event);
    store_.OnEvent(key, event);
    return;
  }
  traces_.OnEventText(key, event, json);
  store_.OnEventText(key, event, json);
}

void TraceAndStore::OnRunStart(const RunStartInfo& run) {
  traces_.OnRunStart(run);
  store_.OnRunStart(run);
}

std::string TraceAndStore::OnRunEnd(const RunEndInfo& end) {
  std::string traces = traces_.OnRunEnd(end);
  std::string store = store_.OnRunEnd(end);
  if (traces.empty()) return store;
  return store.empty() ? traces : traces + "; " + store;
}

std::string TraceAndStore::Failure() const {
  std::string traces = traces_.Failure();
  return traces.empty() ? store_.Failure() : traces;
}

}  // namespace ctxbench
