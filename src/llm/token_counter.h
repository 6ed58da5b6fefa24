// Counting tokens: the unit of every context budget.
//
// A TokenCounter counts the tokens of a text. Exact counters implement an
// encoding (cl100k_base, o200k_base); the `estimate` counter approximates and
// says so (exact() is false), and every count it makes is flagged as estimated
// in traces. Implementations are immutable after construction and thread-safe.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "llm/message.h"

namespace ctxbench {

class TokenCounter {
 public:
  virtual ~TokenCounter() = default;
  virtual int Count(std::string_view text) const = 0;
  virtual bool exact() const = 0;
  // The encoding name, e.g. "o200k_base" or "estimate".
  virtual std::string name() const = 0;
};

// ~4 bytes a token, rounded up; deterministic. Never exact.
class EstimateCounter final : public TokenCounter {
 public:
  int Count(std::string_view text) const override;
  bool exact() const override { return false; }
  std::string name() const override { return "estimate"; }
};

// Tokens a chat request of these messages costs: the content of each message
// plus the per-message overhead of OpenAI's chat format. Exact for plain
// messages (content, role, name); tool calls and tool schemas are documented
// approximations (see token_counter.cc and docs/tokenizer.md).
int CountMessageTokens(const TokenCounter& counter, const Message& message);
int CountMessagesTokens(const TokenCounter& counter, const std::vector<Message>& messages);
// Tokens the tool schemas add to a request.
int CountToolTokens(const TokenCounter& counter, const std::vector<ToolSpec>& tools);

// The counter for an encoding name: "estimate" always works; exact encodings
// come from the tokenizer module. Throws an input error for an unknown name or
// a missing rank file (naming the file and how to fetch it).
// Names: "estimate", "cl100k_base", "o200k_base" (see docs/tokenizer.md).
// Exact encodings are loaded once per process and shared (thread-safe).
std::shared_ptr<const TokenCounter> MakeTokenCounter(const std::string& encoding);
// Same, with rank files from `rank_dir` (empty: $CTXBENCH_RANK_DIR, else
// ShareDir()/third_party/rank_files), e.g. from a config key.
std::shared_ptr<const TokenCounter> MakeTokenCounter(const std::string& encoding,
                                                     const std::string& rank_dir);

}  // namespace ctxbench
