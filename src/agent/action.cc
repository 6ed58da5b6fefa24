#include "agent/action.h"

#include "core/json_limits.h"

namespace ctxbench {

namespace {

Action Invalid(std::string tool, std::string error, std::string raw, std::string call_id = "") {
  Action a;
  a.kind = Action::kInvalid;
  a.tool = std::move(tool);
  a.error = std::move(error);
  a.raw = std::move(raw);
  a.call_id = std::move(call_id);
  return a;
}

// Checks the arguments of a named action; fills `a` or makes it invalid.
Action Typed(const std::string& name, const Json& args, const std::string& raw,
             const std::string& call_id) {
  Action a;
  a.tool = name;
  a.args = args;
  a.raw = raw;
  a.call_id = call_id;
  // Text arguments may be empty: an empty question or query is answered, not refused.
  auto need_string = [&](const char* key) { return args.contains(key) && args[key].is_string(); };
  if (name == "train") {
    a.kind = Action::kTrain;
    if (!args.contains("config") || !args["config"].is_object()) {
      return Invalid(name, "train needs \"config\": an object of knob values", raw, call_id);
    }
  } else if (name == "final_answer") {
    a.kind = Action::kFinalAnswer;
    // A tune task's episode requires the config (CheckConfig); a workspace
    // task's final answer has none.
    if (args.contains("config") && !args["config"].is_object()) {
      return Invalid(name, "final_answer \"config\" must be an object of knob values", raw,
                     call_id);
    }
    if (!args.contains("metric") || !args["metric"].is_number()) {
      return Invalid(name, "final_answer needs \"metric\": the validation score of that config",
                     raw, call_id);
    }
    if (args.contains("summary") && !args["summary"].is_string() && !args["summary"].is_null()) {
      return Invalid(name, "final_answer \"summary\" must be a string", raw, call_id);
    }
  } else if (name == "ask") {
    a.kind = Action::kAsk;
    if (!need_string("question")) return Invalid(name, "ask needs \"question\"", raw, call_id);
  } else if (name == "note") {
    a.kind = Action::kNote;
    if (!need_string("text")) return Invalid(name, "note needs \"text\"", raw, call_id);
  } else if (name == "retrieve") {
    a.kind = Action::kRetrieve;
    if (!need_string("query")) return Invalid(name, "retrieve needs \"query\"", raw, call_id);
  } else if (name == "summarize") {
    a.kind = Action::kSummarize;
  } else if (name == "list_files") {
    a.kind = Action::kListFiles;
  } else if (name == "run") {
    a.kind = Action::kRun;
  } else if (name == "read_file" || name == "write_file" || name == "edit_file" ||
             name == "undo_edit") {
    a.kind = name == "read_file"    ? Action::kReadFile
             : name == "write_file" ? Action::kWriteFile
             : name == "edit_file"  ? Action::kEditFile
                                    : Action::kUndoEdit;
    if (!args.contains("path") || !args["path"].is_string()) {
      return Invalid(name, name + " needs \"path\": a path relative to the workspace", raw,
                     call_id);
    }
    for (const char* key : {"start_line", "end_line"}) {
      if (args.contains(key) && !args[key].is_null() && !args[key].is_number_integer()) {
        return Invalid(name, std::string(key) + " must be an integer", raw, call_id);
      }
    }
    if (name == "write_file" && !(args.contains("content") && args["content"].is_string())) {
      return Invalid(name, "write_file needs \"content\": the whole new file", raw, call_id);
    }
    if (name == "edit_file" &&
        !(need_string("search") && args.contains("replace") && args["replace"].is_string())) {
      return Invalid(name, "edit_file needs \"search\" (exact text) and \"replace\"", raw, call_id);
    }
  } else {
    return Invalid(name, "unknown action '" + name + "'", raw, call_id);
  }
  return a;
}

}  // namespace

std::string ActionName(Action::Kind kind) {
  switch (kind) {
    case Action::kTrain:
      return "train";
    case Action::kAsk:
      return "ask";
    case Action::kNote:
      return "note";
    case Action::kRetrieve:
      return "retrieve";
    case Action::kSummarize:
      return "summarize";
    case Action::kFinalAnswer:
      return "final_answer";
    case Action::kInvalid:
      return "invalid";
    case Action::kListFiles:
      return "list_files";
    case Action::kReadFile:
      return "read_file";
    case Action::kWriteFile:
      return "write_file";
    case Action::kEditFile:
      return "edit_file";
    case Action::kUndoEdit:
      return "undo_edit";
    case Action::kRun:
      return "run";
  }
  return "invalid";
}

std::vector<Action> ParseActions(const Message& reply, Mode mode) {
  if (mode == Mode::kAgentic) {
    if (reply.tool_calls.empty()) {
      return {Invalid("", "no tool was called; call one of the tools", reply.content)};
    }
    std::vector<Action> out;
    for (const ToolCall& call : reply.tool_calls) {
      std::string why;
      Json args =
          ParseJsonWithin(call.arguments.empty() ? "{}" : call.arguments, kMaxJsonDepth, &why);
      if (args.is_discarded() || !args.is_object()) {
        std::string error = "the arguments are not a JSON object";
        if (!why.empty()) error = "the arguments are " + why;
        out.push_back(Invalid(call.name, error, call.arguments, call.id));
        continue;
      }
      out.push_back(Typed(call.name, args, call.arguments, call.id));
    }
    return out;
  }
  const std::string& text = reply.content;
  std::string why;
  Json obj = ParseJsonWithin(text, kMaxJsonDepth, &why);
  if (obj.is_discarded() && why.empty()) {
    size_t open = text.find('{');
    size_t close = text.rfind('}');
    if (open != std::string::npos && close != std::string::npos && close > open) {
      obj = ParseJsonWithin(std::string_view(text).substr(open, close - open + 1), kMaxJsonDepth,
                            &why);
    }
  }
  if (obj.is_discarded() || !obj.is_object()) {
    bool too_deep = !why.empty();
    return {
        Invalid("", too_deep ? "the reply is " + why : "the reply is not one JSON object", text)};
  }
  if (!obj.contains("action") || !obj["action"].is_string()) {
    return {Invalid("", "the JSON object needs \"action\": \"train\" or \"final_answer\"", text)};
  }
  std::string name = obj["action"];
  if (name != "train" && name != "final_answer") {
    return {Invalid(name, "action must be \"train\" or \"final_answer\"", text)};
  }
  return {Typed(name, obj, text, "")};
}

}  // namespace ctxbench
