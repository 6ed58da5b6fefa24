// Rank-based byte-pair merging of one pre-tokenised piece, as tiktoken does it.
//
// Start from single bytes; repeatedly merge the adjacent pair whose
// concatenation has the lowest rank (leftmost on ties) until no adjacent pair
// is a token. Short pieces use tiktoken's linear scan; long ones a min-heap
// over a linked list, so a 200 KB run of one character costs O(n log n), not
// O(n^2).
#pragma once

#include <string_view>
#include <vector>

#include "llm/tokenizer/rank_map.h"

namespace ctxbench {

// Pieces at least this long take the heap path.
inline constexpr size_t kHeapMergeMinBytes = 128;

// Appends the tokens of `piece` to `out`.
// REQUIRES: every single byte has a rank in `ranks` (true of cl100k/o200k).
void BytePairEncode(std::string_view piece, const RankMap& ranks, std::vector<Rank>* out);

// The two strategies, exposed so tests can check they agree.
void BytePairEncodeLinear(std::string_view piece, const RankMap& ranks, std::vector<Rank>* out);
void BytePairEncodeHeap(std::string_view piece, const RankMap& ranks, std::vector<Rank>* out);

}  // namespace ctxbench
