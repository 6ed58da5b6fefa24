// The vocabulary of a BPE encoding: token bytes <-> rank (the token id).
//
// An open-addressing hash table over one byte arena, built once when a rank
// file loads and read-only afterwards (safe to share across threads).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ctxbench {

using Rank = uint32_t;
inline constexpr Rank kNoRank = UINT32_MAX;

class RankMap {
 public:
  RankMap() = default;

  // Adds a token. Returns false (and adds nothing) when `bytes` is empty or
  // already present, or when `rank` is kNoRank or already used.
  bool Add(std::string_view bytes, Rank rank);
  // Adds many tokens at once (faster: hashes first, prefetches slots). Returns
  // the index of the first token Add would refuse (nothing after it is
  // added), or tokens.size().
  size_t AddAll(std::span<const std::pair<std::string_view, Rank>> tokens);
  // Builds an empty map from `arena` at once, without copying it: token i is
  // arena[ends[i - 1], ends[i]) (from 0 for i = 0) with rank ranks[i]; `ends`
  // ascend and end at most at arena.size(), and ends and ranks have the same
  // size. Returns the index of the first token Add would refuse (the map then
  // holds the tokens before it), or ends.size(). Same map as AddAll.
  size_t AdoptAll(std::string arena, std::span<const uint32_t> ends, std::span<const Rank> ranks);
  // Reserves room for `n` tokens of `total_bytes` bytes in all.
  void Reserve(size_t n, size_t total_bytes);

  // The rank of `bytes`, or kNoRank.
  Rank Find(std::string_view bytes) const;
  // The rank of the single byte `b`, or kNoRank.
  Rank FindByte(unsigned char b) const { return byte_rank_[b]; }
  // The bytes of `rank`; empty when no token has that rank.
  std::string_view Bytes(Rank rank) const;

  size_t size() const { return count_; }
  // One more than the largest rank added (0 when empty).
  Rank end_rank() const { return static_cast<Rank>(spans_.size()); }

 private:
  struct Slot {
    uint32_t tag = 0;     // high bits of the hash, to skip most compares
    Rank rank = kNoRank;  // kNoRank marks an empty slot
  };
  struct Span {
    uint32_t offset = 0;
    uint32_t length = 0;  // 0: no token with this rank
  };

  bool AddHashed(std::string_view bytes, Rank rank, uint64_t hash);
  // AddHashed for bytes already in the arena at `offset`.
  bool AddInArena(uint32_t offset, uint32_t length, Rank rank, uint64_t hash);
  void Grow();
  size_t ProbeStart(uint64_t hash) const { return static_cast<size_t>(hash) & mask_; }

  std::string arena_;
  std::vector<Span> spans_;  // indexed by rank
  std::vector<Slot> slots_;
  size_t mask_ = 0;
  size_t count_ = 0;
  std::array<Rank, 256> byte_rank_ = MakeNoRanks();

  static std::array<Rank, 256> MakeNoRanks() {
    std::array<Rank, 256> a;
    a.fill(kNoRank);
    return a;
  }
};

}  // namespace ctxbench
