// The text the harness shows the agent. `sim` reads these formats (see
// llm/sim_view.h), as any reader would; docs/tasks.md shows an example.
#pragma once

#include <string>

#include "agent/mode.h"
#include "context/result_text.h"
#include "core/json.h"
#include "tasks/dataset.h"
#include "tasks/task_spec.h"

namespace ctxbench {

std::string SystemPrompt(Mode mode);

// The task statement: description, data shape, metric and direction, baseline,
// target, budget and the knobs with their ranges.
std::string TaskStatement(const TaskSpec& task, const Splits& splits, double baseline_metric,
                          double target_metric, int iterations);

std::string IterationPrompt(Mode mode, int iteration, int iterations);

// Why the harness asks for the final answer now ("target_met" or "iterations").
std::string FinalAnswerRequest(const std::string& reason);

}  // namespace ctxbench
