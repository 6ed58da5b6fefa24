// The exact TokenCounter: counts with a BPE encoding (cl100k_base,
// o200k_base). MakeTokenCounter (llm/token_counter.h) builds one by name.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "llm/token_counter.h"
#include "llm/tokenizer/encoding.h"

namespace ctxbench {

class BpeCounter final : public TokenCounter {
 public:
  // REQUIRES: `encoding` is not null.
  explicit BpeCounter(std::shared_ptr<const Encoding> encoding);

  // Special-token text counts as ordinary text, as in API message content.
  int Count(std::string_view text) const override;
  bool exact() const override { return true; }
  std::string name() const override { return encoding_->name(); }
  const Encoding& encoding() const { return *encoding_; }

 private:
  std::shared_ptr<const Encoding> encoding_;
};

}  // namespace ctxbench
