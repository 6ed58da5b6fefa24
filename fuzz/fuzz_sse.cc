// libFuzzer target: a streamed (SSE) chat-completions reply, fed in chunks
// whose sizes the first byte picks, then assembled. A bad stream is a failed
// Expected with an error; any exception or crash is a bug.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "llm/openai/chat_stream.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  size_t chunk = 1 + data[0] % 64;
  std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  for (bool text_tools : {false, true}) {
    ctxbench::ChatStreamAssembler stream(1 << 20);
    for (size_t at = 0; at < rest.size(); at += chunk) stream.Feed(rest.substr(at, chunk));
    ctxbench::Expected<ctxbench::Completion> c = stream.Finish(text_tools);
    if (!c.ok() && c.error().empty()) __builtin_trap();  // a failure must say why
  }
  return 0;
}
