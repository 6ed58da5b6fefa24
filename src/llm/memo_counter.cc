#include "llm/memo_counter.h"

#include <utility>

namespace ctxbench {

MemoCounter::MemoCounter(std::shared_ptr<const TokenCounter> inner, size_t max_bytes)
    : inner_(std::move(inner)), max_shard_bytes_(max_bytes / kShards + 1) {}

int MemoCounter::Count(std::string_view text) const {
  if (text.size() < kMinBytes) return inner_->Count(text);
  size_t hash = Hash{}(text);
  Shard& shard = shards_[(hash >> 7) % kShards];
  {
    std::lock_guard<std::mutex> lock(shard.mutex);
    auto it = shard.counts.find(text);
    if (it != shard.counts.end()) return it->second;
  }
  int n = inner_->Count(text);  // outside the lock: other threads go on counting
  std::lock_guard<std::mutex> lock(shard.mutex);
  if (shard.bytes + text.size() > max_shard_bytes_) {
    shard.counts.clear();  // forget this shard's part; recounting gives the same answers
    shard.bytes = 0;
  }
  if (text.size() <= max_shard_bytes_ && shard.counts.emplace(std::string(text), n).second) {
    shard.bytes += text.size();
  }
  return n;
}

}  // namespace ctxbench
