// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0
//
// Internal header: not installed, not part of the stable API.
//
// SplitMix64: a tiny, fast pseudo-random generator that gives the same
// numbers on every platform, for generators and tests that must be
// reproducible (never for anything secret).
//
// Example:
//   SplitMix64 rng(20261123);
//   const uint64_t grid = rng.Below(grids.size());
//
// Copyable (a copy continues the same sequence); not thread-safe.

#ifndef JICENG_SRC_BASE_SPLITMIX64_H_
#define JICENG_SRC_BASE_SPLITMIX64_H_

#include <cstdint>

namespace jiceng {

class SplitMix64 {
 public:
  explicit SplitMix64(uint64_t seed) : s_(seed) {}

  uint64_t Next() {
    uint64_t z = (s_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }

  // In [0, n). REQUIRES: n > 0.
  uint64_t Below(uint64_t n) { return Next() % n; }

  // In [0, n) by multiply-shift, without a division (bias below 2^-32).
  // REQUIRES: 1 <= n < 2^32.
  uint32_t Scaled(uint32_t n) {
    return static_cast<uint32_t>(((Next() >> 32) * n) >> 32);
  }

  // True with probability p %: Below(100) < p.
  bool Percent(int p) { return Below(100) < static_cast<uint64_t>(p); }

 private:
  uint64_t s_;
};

}  // namespace jiceng

#endif  // JICENG_SRC_BASE_SPLITMIX64_H_
