// Chat messages and tool specs, the currency between policies and models.
#pragma once

#include <string>
#include <vector>

#include "core/json.h"

namespace ctxbench {

enum class Role { kSystem, kUser, kAssistant, kTool };

std::string RoleName(Role role);          // "system", "user", "assistant", "tool"
Role ParseRole(const std::string& name);  // throws an input error on an unknown name

struct ToolCall {
  std::string id;
  std::string name;
  std::string arguments;  // raw JSON text as the model produced it (may be malformed)
  bool operator==(const ToolCall&) const = default;
};

struct Message {
  Role role = Role::kUser;
  std::string content;
  std::vector<ToolCall> tool_calls;  // assistant only
  std::string tool_call_id;          // tool only: the call this answers
  std::string name;                  // tool only: the tool's name
  bool operator==(const Message&) const = default;
};

// A function the model may call; `parameters` is a JSON Schema object.
struct ToolSpec {
  std::string name;
  std::string description;
  Json parameters;
};

// Usage as the backend reports it (or as `sim` counts it).
struct Usage {
  int prompt_tokens = 0;
  int completion_tokens = 0;
  int cached_prompt_tokens = 0;
  int total() const { return prompt_tokens + completion_tokens; }
};

Json MessageToJson(const Message& message);
Message MessageFromJson(const Json& json);
Json ToolSpecToJson(const ToolSpec& spec);

}  // namespace ctxbench
