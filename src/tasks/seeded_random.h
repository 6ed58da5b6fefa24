// A small seeded random source for data generation and splits: same seed, same
// sequence on every machine (unlike std:: distributions, whose output is
// implementation-defined).
#pragma once

#include <cmath>
#include <cstdint>

#include "core/hash.h"

namespace ctxbench {

class SeededRandom {
 public:
  explicit SeededRandom(uint64_t seed) : state_(Mix64(seed ^ 0x5eedda7au)) {}

  uint64_t NextU64() { return Mix64(state_++); }
  // Uniform in [0, 1).
  double Uniform() { return static_cast<double>(NextU64() >> 11) * 0x1.0p-53; }
  // Uniform integer in [0, n); REQUIRES: n > 0.
  uint64_t Below(uint64_t n) { return NextU64() % n; }
  // Standard normal (Box-Muller).
  double Normal() {
    double u1 = Uniform();
    double u2 = Uniform();
    if (u1 < 1e-300) u1 = 1e-300;
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
  }

 private:
  uint64_t state_;
};

}  // namespace ctxbench
