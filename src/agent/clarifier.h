// The ask tool (clarifier): answers the agent's question about the task from
// the task's FAQ and its data notes.
#pragma once

#include <string>

#include "tasks/task_spec.h"

namespace ctxbench {

// Answers from the task's FAQ (the entry whose keywords the question matches
// most) and the data notes. The answer starts with "Clarification: ".
// Returns the answer and, through `source`, "faq", "data" or "none".
std::string AnswerQuestion(const TaskSpec& task, const std::string& data_notes,
                           const std::string& question, std::string* source);

}  // namespace ctxbench
