// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0
//
// Internal header: not installed, not part of the stable API.
//
// PairFilter: a blocked Bloom filter over 64-bit keys (the catalogue keys
// (township, item) pairs with it). MayContain never answers false for a key
// given to Build; for other keys it answers true with a probability of
// about 1.5 % (16 bits and two hash bits per key, both bits in one 64-bit
// word, so a query reads one cache line).
//
// Routing asks "is the rule's item delegated to the case's township?" for
// most cases, and at province scale the answer is no for ~96 % of them; the
// filter turns those into one probe of ~1 MB that stays in cache, and leaves
// the exact search to the few that may be delegated.
//
// Example:
//   PairFilter f = PairFilter::Build({PairFilter::Key(town, item)});
//   f.MayContain(PairFilter::Key(town, item));  // true
//
// Thread safety: immutable after Build. Copyable and movable.

#ifndef JICENG_SRC_CATALOGUE_PAIR_FILTER_H_
#define JICENG_SRC_CATALOGUE_PAIR_FILTER_H_

#include <cstddef>
#include <cstdint>
#include <vector>

#include "absl/types/span.h"

namespace jiceng {

class PairFilter {
 public:
  static uint64_t Key(uint32_t a, uint32_t b) {
    return (static_cast<uint64_t>(a) << 32) | b;
  }

  // A filter of no keys: MayContain is always false.
  PairFilter() = default;

  // Duplicate keys are allowed.
  static PairFilter Build(absl::Span<const uint64_t> keys) {
    PairFilter f;
    if (keys.empty()) return f;
    // Four keys per 64-bit word: 16 bits per key.
    f.words_.assign((keys.size() + 3) / 4, 0);
    for (uint64_t k : keys) {
      const uint64_t h = Mix(k);
      f.words_[f.WordOf(h)] |= Bits(h);
    }
    return f;
  }

  bool MayContain(uint64_t key) const {
    if (words_.empty()) return false;
    const uint64_t h = Mix(key);
    const uint64_t bits = Bits(h);
    return (words_[WordOf(h)] & bits) == bits;
  }

  // Fetches the word MayContain(key) reads.
  void Prefetch(uint64_t key) const {
    if (!words_.empty()) __builtin_prefetch(&words_[WordOf(Mix(key))]);
  }

  size_t MemoryBytes() const { return words_.capacity() * sizeof(uint64_t); }

 private:
  static uint64_t Mix(uint64_t k) {
    k ^= k >> 31;
    k *= 0x9E3779B97F4A7C15ull;
    k ^= k >> 29;
    k *= 0xBF58476D1CE4E5B9ull;
    return k ^ (k >> 32);
  }
  // The word from the high 32 bits (a multiply-shift onto [0, words)), the
  // two bits from the low 12.
  size_t WordOf(uint64_t h) const {
    return static_cast<size_t>(((h >> 32) * words_.size()) >> 32);
  }
  static uint64_t Bits(uint64_t h) {
    return (uint64_t{1} << (h & 63)) | (uint64_t{1} << ((h >> 6) & 63));
  }

  std::vector<uint64_t> words_;
};

}  // namespace jiceng

#endif  // JICENG_SRC_CATALOGUE_PAIR_FILTER_H_
