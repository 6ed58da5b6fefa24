#include "llm/tokenizer/byte_pair.h"

#include <algorithm>
#include <cstdint>
#include <functional>
#include <queue>
#include <utility>

namespace ctxbench {
namespace {

struct Part {
  uint32_t start;  // offset of this part in the piece
  Rank pair;       // rank of this part joined with the next one, or kNoRank
  Rank token;      // rank of this part itself
};

}  // namespace

void BytePairEncodeLinear(std::string_view piece, const RankMap& ranks, std::vector<Rank>* out) {
  const size_t n = piece.size();
  if (n == 0) return;
  if (n == 1) {
    out->push_back(ranks.FindByte(static_cast<unsigned char>(piece[0])));
    return;
  }
  // parts[n] is a sentinel marking the end of the piece.
  thread_local std::vector<Part> parts;
  parts.resize(n + 1);
  for (size_t i = 0; i < n; ++i) {
    parts[i] = {static_cast<uint32_t>(i), kNoRank,
                ranks.FindByte(static_cast<unsigned char>(piece[i]))};
  }
  parts[n] = {static_cast<uint32_t>(n), kNoRank, kNoRank};
  for (size_t i = 0; i + 1 < n; ++i) parts[i].pair = ranks.Find(piece.substr(i, 2));
  size_t count = n;  // live parts, not counting the sentinel

  // Rank of parts[i] joined with parts[i + 1] and parts[i + 2] (the pair that
  // parts[i] forms once parts[i + 1] is merged into its neighbour).
  auto triple = [&](size_t i) -> Rank {
    if (i + 3 > count) return kNoRank;
    return ranks.Find(piece.substr(parts[i].start, parts[i + 3].start - parts[i].start));
  };

  while (true) {
    Rank best = kNoRank;
    size_t at = 0;
    for (size_t i = 0; i + 1 < count; ++i) {
      if (parts[i].pair < best) {
        best = parts[i].pair;
        at = i;
      }
    }
    if (best == kNoRank) break;
    // Merge parts[at] and parts[at + 1].
    parts[at].token = best;
    parts[at].pair = triple(at);
    if (at > 0) {
      // parts[at - 1] now pairs with the merged part: bytes up to parts[at + 2].
      parts[at - 1].pair =
          ranks.Find(piece.substr(parts[at - 1].start, parts[at + 2].start - parts[at - 1].start));
    }
    std::copy(parts.begin() + at + 2, parts.begin() + count + 1, parts.begin() + at + 1);
    --count;
  }
  for (size_t i = 0; i < count; ++i) out->push_back(parts[i].token);
}

void BytePairEncodeHeap(std::string_view piece, const RankMap& ranks, std::vector<Rank>* out) {
  const size_t n = piece.size();
  if (n == 0) return;
  // Node i starts at byte i; node n is the end sentinel. Merging a node into
  // its left neighbour unlinks it.
  std::vector<uint32_t> next(n + 1), prev(n + 1);
  std::vector<Rank> pair(n + 1, kNoRank), token(n + 1, kNoRank);
  std::vector<bool> alive(n + 1, true);
  for (size_t i = 0; i <= n; ++i) {
    next[i] = static_cast<uint32_t>(i + 1);
    prev[i] = static_cast<uint32_t>(i == 0 ? 0 : i - 1);
  }
  using Entry = std::pair<Rank, uint32_t>;  // (pair rank, node): min rank, then leftmost
  std::vector<Entry> storage;
  storage.reserve(n);
  std::priority_queue<Entry, std::vector<Entry>, std::greater<Entry>> heap(std::greater<Entry>(),
                                                                           std::move(storage));
  for (size_t i = 0; i < n; ++i) {
    token[i] = ranks.FindByte(static_cast<unsigned char>(piece[i]));
    if (i + 1 < n) {
      pair[i] = ranks.Find(piece.substr(i, 2));
      if (pair[i] != kNoRank) heap.push({pair[i], static_cast<uint32_t>(i)});
    }
  }
  // The rank of node i joined with its current right neighbour.
  auto pair_rank = [&](uint32_t i) -> Rank {
    uint32_t j = next[i];
    if (j >= n) return kNoRank;
    return ranks.Find(piece.substr(i, next[j] - i));
  };
  while (!heap.empty()) {
    auto [rank, i] = heap.top();
    heap.pop();
    // Stale entries: the node was merged away or its pair changed since.
    if (!alive[i] || pair[i] != rank) continue;
    uint32_t j = next[i];
    alive[j] = false;
    next[i] = next[j];
    prev[next[j]] = i;
    token[i] = rank;
    pair[i] = pair_rank(i);
    if (pair[i] != kNoRank) heap.push({pair[i], i});
    if (i > 0) {
      uint32_t p = prev[i];
      pair[p] = pair_rank(p);
      if (pair[p] != kNoRank) heap.push({pair[p], p});
    }
  }
  for (uint32_t i = 0; i < n; i = next[i]) out->push_back(token[i]);
}

void BytePairEncode(std::string_view piece, const RankMap& ranks, std::vector<Rank>* out) {
  if (piece.size() >= kHeapMergeMinBytes) {
    BytePairEncodeHeap(piece, ranks, out);
  } else {
    BytePairEncodeLinear(piece, ranks, out);
  }
}

}  // namespace ctxbench
