#include "agent/tool_schema.h"

#include "tasks/knob_schema.h"

namespace ctxbench {

namespace {

Json Schema(Json properties) {
  Json required = Json::array();
  for (auto it = properties.begin(); it != properties.end(); ++it) required.push_back(it.key());
  return {{"type", "object"},
          {"properties", std::move(properties)},
          {"required", std::move(required)},
          {"additionalProperties", false}};
}

Json Text(const std::string& description) {
  return {{"type", "string"}, {"description", description}};
}

const char kMetricText[] = "The validation score you measured for this config.";
const char kSummaryText[] = "One line: what you found.";

// The tools every task kind shares.
std::vector<ToolSpec> CommonTools() {
  return {
      {"ask", "Ask a clarifying question about the task, data or metric.",
       Schema({{"question", Text("The question.")}})},
      {"note", "Keep a short note for later.", Schema({{"text", Text("The note.")}})},
      {"retrieve", "Search your notes, clarifications and past results.",
       Schema({{"query", Text("Words to search for.")}})},
      {"summarize", "List every experiment so far with its score.", Schema(Json::object())},
  };
}

Json TuneFinalAnswer(const TaskSpec& task) {
  return Schema({{"config", KnobConfigSchema(task)},
                 {"metric", {{"type", "number"}, {"description", kMetricText}}},
                 {"summary", Text(kSummaryText)}});
}

Json WorkspaceFinalAnswer() {
  return Schema(
      {{"metric", {{"type", "number"}, {"description", "The best validation score you measured."}}},
       {"summary", Text(kSummaryText)}});
}

}  // namespace

std::vector<ToolSpec> AgentTools(const TaskSpec& task) {
  std::vector<ToolSpec> tools = {
      {"train", "Run one experiment: train with this config and get its validation score.",
       Schema({{"config", KnobConfigSchema(task)}})}};
  for (ToolSpec& t : CommonTools()) tools.push_back(std::move(t));
  tools.push_back({"final_answer",
                   "Finish: the best config, its validation score and a one-line summary.",
                   TuneFinalAnswer(task)});
  return tools;
}

std::vector<ToolSpec> WorkspaceAgentTools(const std::vector<std::string>& names) {
  Json path = Text("Relative to the workspace root.");
  auto line = [](const char* what) {
    return Json{{"type", Json::array({"integer", "null"})},
                {"description", std::string(what) + " (1-based); null: " +
                                    (what[0] == 'F' ? "the first line" : "the last line")}};
  };
  std::vector<ToolSpec> all = {
      {"list_files", "List the workspace's files with their sizes.", Schema(Json::object())},
      {"read_file", "Read a file, optionally lines start_line..end_line (1-based).",
       Schema({{"path", path},
               {"start_line", line("First line to show")},
               {"end_line", line("Last line to show")}})},
      {"write_file", "Create or replace a file with the whole new content.",
       Schema({{"path", path}, {"content", Text("The whole new file.")}})},
      {"edit_file", "Replace the one exact occurrence of search with replace in a file.",
       Schema({{"path", path},
               {"search", Text("The exact text to replace; it must occur once.")},
               {"replace", Text("The new text.")}})},
      {"undo_edit", "Undo the latest write or edit of a file.", Schema({{"path", path}})},
      {"run", "Run the task's experiment command and get its validation score or its error.",
       Schema(Json::object())},
      {"final_answer",
       "Finish: the best validation score you measured and a one-line summary. The workspace "
       "as you leave it is scored (its config file is recorded as your config).",
       WorkspaceFinalAnswer()},
  };
  for (ToolSpec& t : CommonTools()) all.push_back(std::move(t));
  std::vector<ToolSpec> out;
  for (const std::string& name : names) {
    for (const ToolSpec& t : all) {
      if (t.name == name) out.push_back(t);
    }
  }
  return out;
}

OutputSchema ControllerProposalSchema(const TaskSpec& task) {
  Json schema = Schema(
      {{"action",
        {{"type", "string"},
         {"enum", Json::array({"train", "final_answer"})},
         {"description", "train: run an experiment with config; final_answer: finish with it."}}},
       {"config", KnobConfigSchema(task)},
       {"metric",
        {{"type", "number"},
         {"description",
          "final_answer: the validation score you measured for config; train: the score you "
          "expect (not used)."}}},
       {"summary",
        Text("final_answer: one line on what you found; train: why this config (not used).")}});
  return {"proposal", std::move(schema)};
}

Json FinalAnswerSchema(const TaskSpec& task, bool controller) {
  if (task.is_workspace()) return WorkspaceFinalAnswer();
  return controller ? ControllerProposalSchema(task).schema : TuneFinalAnswer(task);
}

}  // namespace ctxbench
