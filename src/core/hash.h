// Stable, platform-independent hashing for ids, caches and seeded choices.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace ctxbench {

// 64-bit FNV-1a. Stable across runs and machines.
uint64_t Fnv1a64(std::string_view data, uint64_t seed = 14695981039346656037ull);
// SplitMix64 finaliser: mixes `x` into a well-distributed 64-bit value.
uint64_t Mix64(uint64_t x);
// A uniform number in [0, 1) from a hash.
double UnitFromHash(uint64_t h);
// 16 lowercase hex digits.
std::string Hex64(uint64_t h);

}  // namespace ctxbench
