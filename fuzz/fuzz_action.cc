// libFuzzer target: a model reply → actions, in both modes. The first byte
// picks how the rest is read: as a controller reply's content, or as tool
// calls "name\0arguments\0name\0arguments..." of an agentic reply. Parsing
// never throws (agent/action.h): any exception is a bug.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "agent/action.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  ctxbench::Message reply;
  reply.role = ctxbench::Role::kAssistant;
  if (data[0] % 2 == 0) {
    reply.content = std::string(rest);
    ctxbench::ParseActions(reply, ctxbench::Mode::kController);
    return 0;
  }
  while (!rest.empty()) {
    ctxbench::ToolCall call;
    call.id = "call_" + std::to_string(reply.tool_calls.size());
    size_t end = rest.find('\0');
    call.name = std::string(rest.substr(0, end));
    rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
    end = rest.find('\0');
    call.arguments = std::string(rest.substr(0, end));
    rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
    reply.tool_calls.push_back(std::move(call));
  }
  ctxbench::ParseActions(reply, ctxbench::Mode::kAgentic);
  return 0;
}
