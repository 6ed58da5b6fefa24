// Turning a model reply into actions (the tools and their schemas are in
// agent/tool_schema.h).
//
// Parsing never throws: a reply that is not a valid action becomes an Action
// of kind kInvalid with the reason, which the episode shows the agent and
// counts.
#pragma once

#include <string>
#include <vector>

#include "agent/mode.h"
#include "core/json.h"
#include "llm/message.h"

namespace ctxbench {

struct Action {
  enum Kind {
    kTrain,
    kAsk,
    kNote,
    kRetrieve,
    kSummarize,
    kFinalAnswer,
    kInvalid,
    // workspace tasks
    kListFiles,
    kReadFile,
    kWriteFile,
    kEditFile,
    kUndoEdit,
    kRun
  };
  Kind kind = kInvalid;
  std::string call_id;  // agentic: the tool call this answers
  std::string tool;     // the tool or action name as the model wrote it
  Json args = Json::object();
  std::string error;  // kInvalid: why
  std::string raw;    // the text the action came from
};

std::string ActionName(Action::Kind kind);

// Agentic: one action per tool call (a reply with no tool call is one invalid
// action). Controller: the one JSON object in the content (a fenced or
// prose-wrapped object is accepted; anything else is invalid).
std::vector<Action> ParseActions(const Message& reply, Mode mode);

}  // namespace ctxbench
