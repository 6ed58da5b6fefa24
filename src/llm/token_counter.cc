#include "llm/token_counter.h"

#include "core/error.h"

namespace ctxbench {

int EstimateCounter::Count(std::string_view text) const {
  return static_cast<int>((text.size() + 3) / 4);
}

// OpenAI's chat format wraps each message as <|start|>{role}\n{content}<|end|>\n:
// 3 tokens of overhead a message, 1 more when a name is set, and 3 that prime
// the reply. These are the constants of OpenAI's cookbook
// ("How to count tokens with tiktoken", gpt-4o / gpt-4 family).
constexpr int kTokensPerMessage = 3;
constexpr int kTokensPerName = 1;
constexpr int kReplyPriming = 3;

int CountMessageTokens(const TokenCounter& counter, const Message& m) {
  int n = kTokensPerMessage + counter.Count(RoleName(m.role)) + counter.Count(m.content);
  if (!m.name.empty()) n += kTokensPerName + counter.Count(m.name);
  for (const auto& c : m.tool_calls) {
    n += kTokensPerMessage + counter.Count(c.name) + counter.Count(c.arguments);
  }
  if (!m.tool_call_id.empty()) n += counter.Count(m.tool_call_id);
  return n;
}

int CountMessagesTokens(const TokenCounter& counter, const std::vector<Message>& messages) {
  int n = kReplyPriming;
  for (const auto& m : messages) n += CountMessageTokens(counter, m);
  return n;
}

int CountToolTokens(const TokenCounter& counter, const std::vector<ToolSpec>& tools) {
  int n = 0;
  for (const auto& t : tools) n += counter.Count(ToolSpecToJson(t).dump()) + kTokensPerMessage;
  return n;
}

}  // namespace ctxbench
