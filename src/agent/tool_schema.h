// The tools and output formats a model is given, with the JSON Schemas of
// their arguments. Every schema here is inside the subset OpenAI's strict mode
// accepts (docs/models.md, "Strict schemas"): each object lists all its
// properties in `required` and sets additionalProperties to false; an
// optional argument is required but nullable. The `config` of train and
// final_answer is the task's knob schema (tasks/knob_schema.h), so a model
// that fills arguments from the schema alone sends a config CheckConfig
// accepts.
//
// The validators in action.cc accept every argument object these schemas
// allow (tested in tool_schema_test.cc); they are more lenient than the
// schemas for models that are not held to them (an omitted summary, a null
// line number).
#pragma once

#include <string>
#include <vector>

#include "llm/model.h"
#include "tasks/task_spec.h"

namespace ctxbench {

// The tools of agentic mode for a tune task: train, ask, note, retrieve,
// summarize, final_answer.
std::vector<ToolSpec> AgentTools(const TaskSpec& task);

// The tools of a workspace task, in the order of `names` (its spec's list).
// Its final_answer takes metric and summary; the harness records the config
// file itself.
std::vector<ToolSpec> WorkspaceAgentTools(const std::vector<std::string>& names);

// Controller mode: the schema of one proposal, {"action": "train" |
// "final_answer", "config": {...}, "metric": number, "summary": string}, all
// required (a train proposal's metric is the score the model expects and its
// summary its reason; neither is used). Named "proposal".
OutputSchema ControllerProposalSchema(const TaskSpec& task);

// The schema of the answer that ends an episode of `task` in `mode`: the
// final_answer tool's parameters (agentic, workspace) or the proposal schema
// (controller). Recorded in the episode.start event.
Json FinalAnswerSchema(const TaskSpec& task, bool controller);

}  // namespace ctxbench
