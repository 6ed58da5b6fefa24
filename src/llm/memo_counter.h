// A TokenCounter that remembers what it has counted.
//
// An episode counts the same texts again and again: each message every time a
// context is built and again as the sim model's usage, the tool schemas on
// every call. Counting is a pure function of the text, so a count can be
// looked up instead of re-encoded; the counts are exactly the inner
// counter's.
#pragma once

#include <array>
#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "llm/token_counter.h"

namespace ctxbench {

class MemoCounter final : public TokenCounter {
 public:
  // Counts with `inner` (REQUIRES: not null) the texts it has not seen.
  // Keeps at most about `max_bytes` of text; beyond that a part of the memo
  // is forgotten (and counted again when asked).
  explicit MemoCounter(std::shared_ptr<const TokenCounter> inner,
                       size_t max_bytes = size_t{64} << 20);

  // The inner counter's count of `text`. Thread-safe.
  int Count(std::string_view text) const override;
  bool exact() const override { return inner_->exact(); }
  std::string name() const override { return inner_->name(); }

  // Texts shorter than this are counted directly: looking them up would cost
  // about as much.
  static constexpr size_t kMinBytes = 32;

 private:
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  struct Shard {
    std::mutex mutex;
    std::unordered_map<std::string, int, Hash, std::equal_to<>> counts;
    size_t bytes = 0;
  };
  static constexpr size_t kShards = 16;

  std::shared_ptr<const TokenCounter> inner_;
  size_t max_shard_bytes_;
  mutable std::array<Shard, kShards> shards_;
};

}  // namespace ctxbench
