// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0
//
// Internal header: not installed, not part of the stable API.
//
// Bounded probing for the open-addressing tables built from a dataset's
// keys: StringTable (matter codes, attribute keys and values), StringIndex
// (unit and item codes) and CodeIndex (region codes). A dataset is input
// like any other: keys chosen to collide under one fixed hash pile into one
// run of occupied slots, which makes the build quadratic (400,000 item
// codes chosen so: 40 s to compile instead of 0.9 s) and every lookup in
// that run slow.
//
// So a table is built under the seeds SeedOf(0), SeedOf(1), ... in turn
// and keeps the first under which no run of occupied slots is longer than
// kMaxRun; an attempt stops as soon as one insertion probes further than
// that, so a failed attempt costs O(n * kMaxRun) at most. Keys that defeat
// all kAttempts seeds (possible only by choosing them against each seed)
// are searched in sorted order instead: O(log n) per lookup, whatever the
// keys. The seeds are fixed, so the same keys always build the same table
// — the tables are rebuilt from their keys when a snapshot loads, and
// nothing they answer depends on the seed; only the time does.
//
// At a load factor of at most 1/2, a given run of random keys is longer
// than 128 slots with probability about 0.83^128 ≈ 2 * 10^-11: a dataset
// of honest codes settles on the first seed.

#ifndef JICENG_SRC_BASE_PROBING_H_
#define JICENG_SRC_BASE_PROBING_H_

#include <cstddef>
#include <cstdint>

#include "src/base/splitmix64.h"

namespace jiceng {
namespace probing {

// The seeds tried before falling back to sorted search.
inline constexpr int kAttempts = 8;
// The longest run of occupied slots a table accepts.
inline constexpr size_t kMaxRun = 128;

// The two 64-bit words a hash is keyed with.
struct Seed {
  uint64_t a;
  uint64_t b;
};

// The seed of attempt `attempt` (0 <= attempt < kAttempts). Attempt 0 uses
// the constants the tables hashed with before they were seeded, so that
// honest datasets keep their layout.
inline Seed SeedOf(int attempt) {
  if (attempt == 0) return Seed{0xa0761d6478bd642full, 0xe7037ed1a0b428dbull};
  SplitMix64 rng(0x6a6963656e67ull + static_cast<uint64_t>(attempt));
  const uint64_t a = rng.Next();
  return Seed{a, rng.Next() | 1};
}

// The high and low halves of the 128-bit product, folded.
inline uint64_t Mix(uint64_t a, uint64_t b) {
  const unsigned __int128 m = static_cast<unsigned __int128>(a) * b;
  return static_cast<uint64_t>(m) ^ static_cast<uint64_t>(m >> 64);
}

// Whether the longest run of occupied slots among `capacity` slots in a
// ring (the last slot's run continues at slot 0) is at most kMaxRun.
// `occupied(i)` says whether slot i holds a key. REQUIRES: some slot is
// empty (a load factor below 1).
template <typename Occupied>
bool RunsAreShort(size_t capacity, const Occupied& occupied) {
  size_t start = 0;
  while (occupied(start)) ++start;
  size_t run = 0;
  for (size_t k = 1; k <= capacity; ++k) {
    const size_t i = (start + k) & (capacity - 1);
    run = occupied(i) ? run + 1 : 0;
    if (run > kMaxRun) return false;
  }
  return true;
}

// The sorted fallback's lookup: the i in [0, n) where compare(i) == 0, or
// n when none is. compare(i) < 0 when element i orders before the key
// sought, > 0 when after. REQUIRES: the elements are in that order.
template <typename Compare>
size_t SortedFind(size_t n, const Compare& compare) {
  size_t lo = 0;
  size_t hi = n;
  while (lo < hi) {
    const size_t mid = lo + (hi - lo) / 2;
    const int c = compare(mid);
    if (c == 0) return mid;
    if (c < 0) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return n;
}

}  // namespace probing
}  // namespace jiceng

#endif  // JICENG_SRC_BASE_PROBING_H_
