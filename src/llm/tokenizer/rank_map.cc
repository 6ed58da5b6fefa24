#include "llm/tokenizer/rank_map.h"

#include <algorithm>
#include <cstring>
#include <utility>

namespace ctxbench {
namespace {

inline uint64_t Mix(uint64_t x) {
  x ^= x >> 32;
  x *= 0xd6e8feb86659fd93ull;
  x ^= x >> 32;
  return x;
}

// Fast hash for short byte strings (tokens average ~6 bytes); not for untrusted
// adversarial keys, which cannot reach the table any other way than lookups.
inline uint64_t HashBytes(const char* p, size_t n) {
  uint64_t h = 0x9e3779b97f4a7c15ull * (n + 1);
  while (n >= 8) {
    uint64_t w;
    std::memcpy(&w, p, 8);
    h = Mix(h ^ w) * 0xbf58476d1ce4e5b9ull;
    p += 8;
    n -= 8;
  }
  if (n >= 4) {
    uint32_t a, b;
    std::memcpy(&a, p, 4);
    std::memcpy(&b, p + n - 4, 4);
    h ^= (uint64_t{a} << 32) | b;
  } else if (n > 0) {
    uint64_t w = static_cast<unsigned char>(p[0]) |
                 (uint64_t{static_cast<unsigned char>(p[n / 2])} << 8) |
                 (uint64_t{static_cast<unsigned char>(p[n - 1])} << 16);
    h ^= w;
  }
  return Mix(h * 0x94d049bb133111ebull);
}

}  // namespace

void RankMap::Reserve(size_t n, size_t total_bytes) {
  arena_.reserve(total_bytes);
  spans_.reserve(n);
  size_t want = 16;
  while (want < n * 2) want *= 2;
  if (want > slots_.size()) {
    // Rebuild at the new size.
    slots_.assign(want, Slot{});
    mask_ = want - 1;
    for (Rank r = 0; r < spans_.size(); ++r) {
      if (spans_[r].length == 0) continue;
      uint64_t h = HashBytes(arena_.data() + spans_[r].offset, spans_[r].length);
      size_t i = ProbeStart(h);
      while (slots_[i].rank != kNoRank) i = (i + 1) & mask_;
      slots_[i] = {static_cast<uint32_t>(h >> 32), r};
    }
  }
}

void RankMap::Grow() { Reserve(slots_.empty() ? 8 : slots_.size(), arena_.size()); }

bool RankMap::Add(std::string_view bytes, Rank rank) {
  return AddHashed(bytes, rank, HashBytes(bytes.data(), bytes.size()));
}

size_t RankMap::AddAll(std::span<const std::pair<std::string_view, Rank>> tokens) {
  size_t total = 0;
  for (const auto& t : tokens) total += t.first.size();
  Reserve(count_ + tokens.size(), arena_.size() + total);
  std::vector<uint64_t> hashes(tokens.size());
  for (size_t i = 0; i < tokens.size(); ++i) {
    hashes[i] = HashBytes(tokens[i].first.data(), tokens[i].first.size());
  }
  constexpr size_t kAhead = 16;  // slots are random accesses into a table larger than L2
  for (size_t i = 0; i < tokens.size(); ++i) {
    if (i + kAhead < tokens.size()) __builtin_prefetch(&slots_[ProbeStart(hashes[i + kAhead])]);
    if (!AddHashed(tokens[i].first, tokens[i].second, hashes[i])) return i;
  }
  return tokens.size();
}

size_t RankMap::AdoptAll(std::string arena, std::span<const uint32_t> ends,
                         std::span<const Rank> ranks) {
  if (count_ != 0 || ends.size() != ranks.size() || (!ends.empty() && ends.back() > arena.size())) {
    return 0;
  }
  arena_ = std::move(arena);
  Reserve(ends.size(), arena_.size());
  auto begin_of = [&](size_t i) { return i == 0 ? uint32_t{0} : ends[i - 1]; };
  auto hash_of = [&](size_t i) {  // 0 for a token out of order (refused below)
    uint32_t begin = begin_of(i);
    if (ends[i] < begin || ends[i] > arena_.size()) return uint64_t{0};
    return HashBytes(arena_.data() + begin, ends[i] - begin);
  };
  // Hashes are computed kAhead tokens early to prefetch their slots (the
  // table is larger than L2), kept in a ring instead of a vector of all.
  constexpr size_t kAhead = 16;
  std::array<uint64_t, kAhead> ring{};
  for (size_t i = 0; i < std::min(kAhead, ends.size()); ++i) ring[i] = hash_of(i);
  for (size_t i = 0; i < ends.size(); ++i) {
    uint64_t h = ring[i % kAhead];
    if (i + kAhead < ends.size()) {
      uint64_t ahead = hash_of(i + kAhead);
      ring[i % kAhead] = ahead;
      __builtin_prefetch(&slots_[ProbeStart(ahead)]);
    }
    uint32_t begin = begin_of(i);
    if (ends[i] < begin || ends[i] > arena_.size() ||
        !AddInArena(begin, ends[i] - begin, ranks[i], h)) {
      return i;
    }
  }
  return ends.size();
}

bool RankMap::AddHashed(std::string_view bytes, Rank rank, uint64_t h) {
  if (bytes.empty() || bytes.size() > UINT32_MAX || arena_.size() + bytes.size() > UINT32_MAX) {
    return false;
  }
  uint32_t offset = static_cast<uint32_t>(arena_.size());
  arena_.append(bytes);
  if (AddInArena(offset, static_cast<uint32_t>(bytes.size()), rank, h)) return true;
  arena_.resize(offset);
  return false;
}

bool RankMap::AddInArena(uint32_t offset, uint32_t length, Rank rank, uint64_t h) {
  if (length == 0 || rank == kNoRank) return false;
  if (rank < spans_.size() && spans_[rank].length != 0) return false;
  if ((count_ + 1) * 2 > slots_.size()) Grow();
  std::string_view bytes(arena_.data() + offset, length);
  uint32_t tag = static_cast<uint32_t>(h >> 32);
  size_t i = ProbeStart(h);
  for (; slots_[i].rank != kNoRank; i = (i + 1) & mask_) {
    if (slots_[i].tag == tag && Bytes(slots_[i].rank) == bytes) return false;
  }
  if (rank >= spans_.size()) spans_.resize(size_t{rank} + 1);
  spans_[rank] = {offset, length};
  slots_[i] = {tag, rank};
  if (length == 1) byte_rank_[static_cast<unsigned char>(bytes[0])] = rank;
  ++count_;
  return true;
}

Rank RankMap::Find(std::string_view bytes) const {
  if (slots_.empty()) return kNoRank;
  uint64_t h = HashBytes(bytes.data(), bytes.size());
  uint32_t tag = static_cast<uint32_t>(h >> 32);
  for (size_t i = ProbeStart(h);; i = (i + 1) & mask_) {
    const Slot& s = slots_[i];
    if (s.rank == kNoRank) return kNoRank;
    if (s.tag == tag) {
      const Span& sp = spans_[s.rank];
      if (sp.length == bytes.size() &&
          std::memcmp(arena_.data() + sp.offset, bytes.data(), bytes.size()) == 0) {
        return s.rank;
      }
    }
  }
}

std::string_view RankMap::Bytes(Rank rank) const {
  if (rank >= spans_.size()) return {};
  const Span& sp = spans_[rank];
  return std::string_view(arena_.data() + sp.offset, sp.length);
}

}  // namespace ctxbench
