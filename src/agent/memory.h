// The agent's own memory tools, answered from the episode's event log and the
// task: ask (clarifier), retrieve (keyword search) and summarize.
#pragma once

#include <string>
#include <vector>

#include "context/event.h"
#include "tasks/task_spec.h"

namespace ctxbench {

// Answers from the task's FAQ (the entry whose keywords the question matches
// most) and the data notes. The answer starts with "Clarification: ".
// Returns the answer and, through `source`, "faq", "data" or "none".
std::string AnswerQuestion(const TaskSpec& task, const std::string& data_notes,
                           const std::string& question, std::string* source);

// Up to `k` items of the episode's memory (tool results, observations, notes,
// clarifications) ranked by how many query words they contain, newest first
// on ties. One item a line, prefixed with its event seq.
std::string RetrieveFromLog(const std::vector<Event>& events, const std::string& query, int k);

// Every experiment so far as one line each, and the best.
std::string SummarizeExperiments(const std::vector<Event>& events, const TaskSpec& task);

}  // namespace ctxbench
