#include "llm/token_counter.h"

#include "core/error.h"

namespace ctxbench {

int EstimateCounter::Count(std::string_view text) const {
  return static_cast<int>((text.size() + 3) / 4);
}

// OpenAI's chat format wraps each message as <|start|>{role}\n{content}<|end|>\n:
// 3 tokens of overhead a message, 1 more when a name is set, and 3 that prime
// the reply. Source: OpenAI cookbook "How to count tokens with tiktoken"
// (num_tokens_from_messages, gpt-3.5-turbo-0613 / gpt-4 / gpt-4o families);
// its example conversation is 129 tokens on cl100k_base and 124 on o200k_base,
// which bpe_counter_test.cc checks.
//
// Tool calls and tool schemas are not documented by OpenAI. We count a tool
// call like a message (overhead + name + arguments) and a tool schema as its
// JSON text plus a message's overhead. Reverse-engineered counts
// (hmarr/openai-chat-tokens: schemas are rendered as TypeScript types) are
// usually a little lower, so these err on the side of over-counting, which is
// the safe side for a budget.
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

namespace {

bool SameTools(const std::vector<ToolSpec>& a, const std::vector<ToolSpec>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i].name != b[i].name || a[i].description != b[i].description ||
        a[i].parameters != b[i].parameters) {
      return false;
    }
  }
  return true;
}

}  // namespace

int CountToolTokens(const TokenCounter& counter, const std::vector<ToolSpec>& tools) {
  // An episode counts the same tool schemas at every context build and model
  // call; building and writing their JSON cost more than comparing them, so
  // each thread keeps its last answer (per counter object and encoding).
  struct Last {
    const TokenCounter* counter = nullptr;
    std::string encoding;
    std::vector<ToolSpec> tools;
    int tokens = 0;
  };
  thread_local Last last;
  if (last.counter == &counter && SameTools(last.tools, tools) && last.encoding == counter.name()) {
    return last.tokens;
  }
  int n = 0;
  for (const auto& t : tools) n += counter.Count(ToolSpecToJson(t).dump()) + kTokensPerMessage;
  last = Last{&counter, counter.name(), tools, n};
  return n;
}

}  // namespace ctxbench
