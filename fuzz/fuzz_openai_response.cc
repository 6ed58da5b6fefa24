// libFuzzer target: an OpenAI chat-completions response body → Completion,
// with native tool calls and with tool calls written as text. A bad body is
// a failed Expected with a problem; any exception or crash is a bug.
#include <cstddef>
#include <cstdint>
#include <string>

#include "llm/openai/chat_wire.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string body(reinterpret_cast<const char*>(data), size);
  for (bool text_tools : {false, true}) {
    ctxbench::Expected<ctxbench::Completion> c = ctxbench::ParseChatResponse(body, text_tools);
    if (!c.ok() && c.error().empty()) __builtin_trap();  // a failure must say why
  }
  ctxbench::ServerErrorMessage(body);
  return 0;
}
