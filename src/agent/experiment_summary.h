// The summarize tool: the episode's experiments so far, from its event log.
#pragma once

#include <string>
#include <vector>

#include "events/event.h"
#include "tasks/task_spec.h"

namespace ctxbench {

// Every experiment so far as one line each, and the best.
std::string SummarizeExperiments(const std::vector<Event>& events, const TaskSpec& task);

}  // namespace ctxbench
