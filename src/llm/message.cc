#include "llm/message.h"

#include "core/error.h"

namespace ctxbench {

std::string RoleName(Role role) {
  switch (role) {
    case Role::kSystem:
      return "system";
    case Role::kUser:
      return "user";
    case Role::kAssistant:
      return "assistant";
    case Role::kTool:
      return "tool";
  }
  return "user";
}

Role ParseRole(const std::string& name) {
  if (name == "system") return Role::kSystem;
  if (name == "user") return Role::kUser;
  if (name == "assistant") return Role::kAssistant;
  if (name == "tool") return Role::kTool;
  ThrowInput("role", "unknown role '" + name + "'");
}

Json MessageToJson(const Message& m) {
  Json j;
  j["role"] = RoleName(m.role);
  j["content"] = m.content;
  if (!m.tool_calls.empty()) {
    Json calls = Json::array();
    for (const auto& c : m.tool_calls) {
      calls.push_back({{"id", c.id}, {"name", c.name}, {"arguments", c.arguments}});
    }
    j["tool_calls"] = calls;
  }
  if (!m.tool_call_id.empty()) j["tool_call_id"] = m.tool_call_id;
  if (!m.name.empty()) j["name"] = m.name;
  return j;
}

Message MessageFromJson(const Json& j) {
  Message m;
  m.role = ParseRole(j.value("role", "user"));
  m.content = j.value("content", "");
  if (j.contains("tool_calls")) {
    for (const auto& c : j["tool_calls"]) {
      m.tool_calls.push_back({c.value("id", ""), c.value("name", ""), c.value("arguments", "")});
    }
  }
  m.tool_call_id = j.value("tool_call_id", "");
  m.name = j.value("name", "");
  return m;
}

Json ToolSpecToJson(const ToolSpec& spec) {
  return {
      {"type", "function"},
      {"function",
       {{"name", spec.name}, {"description", spec.description}, {"parameters", spec.parameters}}}};
}

}  // namespace ctxbench
