// The episode's memory: the text each event stands for when it is retrieved
// (the retrieve policy and tool) or shown as a retrieved document (spans).
// One definition, so the index, the tool and the spans agree byte for byte.
#pragma once

#include <optional>
#include <string>

#include "events/event.h"

namespace ctxbench {

struct MemoryItem {
  std::string kind;  // "observation", "note", "clarification" or "experiment"
  std::string text;
};

// The memory item of `event`, or nullopt for an event that is not memory:
// tool results and observations (their message, except the retrieve tool's
// own "Retrieved ..." replies), notes ("Note: <text>"), clarification
// answers and experiment result lines (ExperimentResultText /
// ExperimentFailedText, with `metric` the task's metric name). Throws an
// input Error for a payload of the wrong shape.
std::optional<MemoryItem> MemoryText(const Event& event, const std::string& metric);

}  // namespace ctxbench
