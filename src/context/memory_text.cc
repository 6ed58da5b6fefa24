#include "context/memory_text.h"

#include "context/result_text.h"
#include "events/payloads.h"

namespace ctxbench {

std::optional<MemoryItem> MemoryText(const Event& e, const std::string& metric) {
  switch (e.type) {
    case EventType::kToolResult:
    case EventType::kObservation:
      if (!e.message || e.message->content.rfind("Retrieved", 0) == 0) return std::nullopt;
      return MemoryItem{"observation", e.message->content};
    case EventType::kNote:
      return MemoryItem{"note", "Note: " + NoteData::FromJson(e.data).text};
    case EventType::kClarification:
      return MemoryItem{"clarification", ClarificationData::FromJson(e.data).answer};
    case EventType::kExperiment: {
      ExperimentData d = ExperimentData::FromJson(e.data);
      Json config = d.config.is_null() ? Json::object() : d.config;
      return MemoryItem{"experiment", d.ok ? ExperimentResultText(d.experiment, metric, config,
                                                                  d.valid_metric.value_or(0))
                                           : ExperimentFailedText(d.experiment, config, d.error)};
    }
    default:
      return std::nullopt;
  }
}

}  // namespace ctxbench
