#include "llm/tokenizer/bpe_counter.h"

#include <utility>

#include "core/error.h"
#include "llm/tokenizer/encoding_cache.h"

namespace ctxbench {

BpeCounter::BpeCounter(std::shared_ptr<const Encoding> encoding) : encoding_(std::move(encoding)) {}

int BpeCounter::Count(std::string_view text) const {
  return static_cast<int>(encoding_->Count(text));
}

std::shared_ptr<const TokenCounter> MakeTokenCounter(const std::string& encoding,
                                                     const std::string& rank_dir) {
  if (encoding == "estimate") return std::make_shared<const EstimateCounter>();
  if (FindEncodingSpec(encoding) == nullptr) {
    std::string valid;
    for (const auto& n : ExactEncodingNames()) valid += n + ", ";
    ThrowInput("encoding \"" + encoding + "\"",
               "unknown encoding; valid names: " + valid + "estimate");
  }
  return std::make_shared<const BpeCounter>(LoadEncoding(encoding, rank_dir));
}

std::shared_ptr<const TokenCounter> MakeTokenCounter(const std::string& encoding) {
  return MakeTokenCounter(encoding, "");
}

}  // namespace ctxbench
