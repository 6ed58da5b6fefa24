#include "llm/openai/chat_wire.h"

#include "core/json_limits.h"

namespace ctxbench {

namespace {

std::string TextToolInstructions(const std::vector<ToolSpec>& tools) {
  std::string s =
      "\n\nTools. Call a tool by replying with a JSON object {\"tool\": NAME, \"arguments\": "
      "{...}} and nothing else (several calls: one object per line). The tools:\n";
  for (const ToolSpec& t : tools) {
    s += "- " + t.name + ": " + t.description + " Arguments schema: " + t.parameters.dump() + "\n";
  }
  return s;
}

Json TextToolCall(const ToolCall& c) {
  Json args = ParseJsonWithin(c.arguments.empty() ? "{}" : c.arguments);
  if (args.is_discarded()) args = c.arguments;
  return {{"tool", c.name}, {"arguments", args}};
}

Json WireMessage(const Message& m, bool text_tools) {
  Json j = {{"role", RoleName(m.role)}, {"content", m.content}};
  if (text_tools && m.role == Role::kTool) {
    return {{"role", "user"}, {"content", "Result of " + m.name + ": " + m.content}};
  }
  if (!m.tool_calls.empty()) {
    if (text_tools) {
      std::string text = m.content;
      for (const ToolCall& c : m.tool_calls) {
        text += (text.empty() ? "" : "\n") + TextToolCall(c).dump();
      }
      j["content"] = text;
      return j;
    }
    Json calls = Json::array();
    for (const ToolCall& c : m.tool_calls) {
      calls.push_back({{"id", c.id},
                       {"type", "function"},
                       {"function", {{"name", c.name}, {"arguments", c.arguments}}}});
    }
    if (m.content.empty()) j["content"] = nullptr;
    j["tool_calls"] = calls;
  }
  if (m.role == Role::kTool) j["tool_call_id"] = m.tool_call_id;
  return j;
}

// The end of the JSON object starting at `open`, or npos.
size_t ObjectEnd(const std::string& s, size_t open) {
  int depth = 0;
  bool in_string = false;
  for (size_t i = open; i < s.size(); ++i) {
    char c = s[i];
    if (in_string) {
      if (c == '\\')
        ++i;
      else if (c == '"')
        in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{') {
      ++depth;
    } else if (c == '}' && --depth == 0) {
      return i;
    }
  }
  return std::string::npos;
}

}  // namespace

Json ChatRequestBody(const CompletionRequest& r, const OpenAiOptions& o) {
  bool text_tools = o.tool_mode == ToolMode::kText && !r.tools.empty();
  Json messages = Json::array();
  bool instructions_added = false;
  for (const Message& m : r.messages) {
    Json w = WireMessage(m, text_tools);
    if (text_tools && !instructions_added && m.role == Role::kSystem) {
      w["content"] = m.content + TextToolInstructions(r.tools);
      instructions_added = true;
    }
    messages.push_back(std::move(w));
  }
  if (text_tools && !instructions_added) {
    messages.insert(messages.begin(),
                    Json{{"role", "system"}, {"content", TextToolInstructions(r.tools)}});
  }
  Json body = {{"model", o.model}, {"messages", messages}};
  if (!r.tools.empty() && !text_tools) {
    Json tools = Json::array();
    for (const ToolSpec& t : r.tools) {
      Json tool = ToolSpecToJson(t);
      if (o.strict_tools) tool["function"]["strict"] = true;
      tools.push_back(std::move(tool));
    }
    body["tools"] = tools;
    body["tool_choice"] = "auto";
  }
  body["temperature"] = o.temperature >= 0 ? o.temperature : r.temperature;
  body[o.max_tokens_field] = o.max_tokens > 0 ? o.max_tokens : r.max_tokens;
  if (o.send_seed) body["seed"] = r.seed;
  if (r.output_schema && r.tools.empty()) {
    if (o.response_format == "json_schema") {
      body["response_format"] = {{"type", "json_schema"},
                                 {"json_schema",
                                  {{"name", r.output_schema->name},
                                   {"strict", true},
                                   {"schema", r.output_schema->schema}}}};
    } else if (o.response_format == "json_object") {
      body["response_format"] = {{"type", "json_object"}};
    }
  }
  return body;
}

std::vector<ToolCall> ToolCallsFromText(const std::string& content) {
  std::vector<ToolCall> calls;
  std::string deep;  // the first object nested too deep to read
  for (size_t open = content.find('{'); open != std::string::npos;) {
    size_t close = ObjectEnd(content, open);
    if (close == std::string::npos) break;
    std::string too_deep;
    Json obj = ParseJsonWithin(std::string_view(content).substr(open, close - open + 1),
                               kMaxJsonDepth, &too_deep);
    if (!too_deep.empty()) {  // nothing inside it is read either (and it is not rescanned)
      if (deep.empty()) deep = content.substr(open, close - open + 1);
      open = content.find('{', close + 1);
      continue;
    }
    if (!obj.is_discarded() && obj.is_object() && obj.contains("tool") && obj["tool"].is_string()) {
      ToolCall c;
      c.id = "call_text_" + std::to_string(calls.size() + 1);
      c.name = obj["tool"].get<std::string>();
      const Json& args = obj.contains("arguments") ? obj["arguments"] : Json::object();
      c.arguments = args.is_string() ? args.get<std::string>() : args.dump();
      calls.push_back(std::move(c));
      open = content.find('{', close + 1);
    } else {
      open = content.find('{', open + 1);
    }
  }
  if (calls.empty() && !deep.empty()) {
    // A call the agent cannot have meant otherwise: its arguments are refused as too deep.
    calls.push_back(ToolCall{"call_text_1", "", std::move(deep)});
  }
  return calls;
}

Message AssistantMessageFromJson(const Json& j, bool text_tools) {
  Message m;
  m.role = Role::kAssistant;
  if (j.contains("content") && j["content"].is_string()) m.content = j["content"];
  if (j.contains("tool_calls") && j["tool_calls"].is_array()) {
    for (const Json& c : j["tool_calls"]) {
      if (!c.is_object()) continue;
      ToolCall call;
      if (c.contains("id") && c["id"].is_string()) call.id = c["id"];
      const Json& f = c.contains("function") ? c["function"] : Json::object();
      if (f.is_object()) {
        if (f.contains("name") && f["name"].is_string()) call.name = f["name"];
        if (f.contains("arguments")) {
          const Json& a = f["arguments"];
          call.arguments = a.is_string() ? a.get<std::string>() : a.dump();
        }
      }
      m.tool_calls.push_back(std::move(call));
    }
  }
  if (text_tools && m.tool_calls.empty()) m.tool_calls = ToolCallsFromText(m.content);
  return m;
}

bool UsageFromJson(const Json& u, Usage* out) {
  if (!u.is_object()) return false;
  auto count = [&](const Json& obj, const char* key) {
    return obj.contains(key) && obj[key].is_number_integer() ? obj[key].get<int>() : 0;
  };
  out->prompt_tokens = count(u, "prompt_tokens");
  out->completion_tokens = count(u, "completion_tokens");
  out->cached_prompt_tokens = 0;
  if (u.contains("prompt_tokens_details") && u["prompt_tokens_details"].is_object()) {
    out->cached_prompt_tokens = count(u["prompt_tokens_details"], "cached_tokens");
  }
  return u.contains("prompt_tokens") || u.contains("completion_tokens");
}

Expected<Completion> ParseChatResponse(const std::string& body, bool text_tools) {
  std::string why;
  Json j = ParseJsonWithin(body, kMaxJsonDepth, &why);
  if (j.is_discarded() || !j.is_object()) {
    return Expected<Completion>::Failure(!why.empty() ? "the response is " + why
                                                      : "the response is not JSON");
  }
  if (!j.contains("choices") || !j["choices"].is_array() || j["choices"].empty() ||
      !j["choices"][0].is_object() || !j["choices"][0].contains("message") ||
      !j["choices"][0]["message"].is_object()) {
    return Expected<Completion>::Failure("the response has no choices[0].message");
  }
  const Json& choice = j["choices"][0];
  Completion out;
  out.message = AssistantMessageFromJson(choice["message"], text_tools);
  out.finish_reason = choice.contains("finish_reason") && choice["finish_reason"].is_string()
                          ? choice["finish_reason"].get<std::string>()
                          : "";
  out.estimated_tokens = !(j.contains("usage") && UsageFromJson(j["usage"], &out.usage));
  return out;
}

std::string ServerErrorMessage(const std::string& body) {
  Json j = ParseJsonWithin(body);
  if (!j.is_discarded() && j.is_object() && j.contains("error")) {
    const Json& e = j["error"];
    if (e.is_object() && e.contains("message") && e["message"].is_string()) {
      return e["message"].get<std::string>();
    }
    if (e.is_string()) return e.get<std::string>();
  }
  std::string text = body.substr(0, 300);
  return text.empty() ? "(empty body)" : text;
}

}  // namespace ctxbench
