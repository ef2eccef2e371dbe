// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0
//
// Internal header: not installed, not part of the stable API.
//
// CodeIndex: region key -> position in a sorted array of region keys (see
// region_code.h), in about 2 bytes per key on top of the keys themselves.
//
// Keys that share their first 12 digits (a village and its grids and micro
// grids; a township, a county alone) form one contiguous run of the sorted
// array. The index is an open-addressing directory from that 12-digit prefix
// to its run [begin, end); a lookup hashes the prefix, probes the directory
// (a few hundred KB at province scale: it stays in cache) and searches the
// run, which at province scale is ~17 keys in two or three adjacent cache
// lines. A run may be of any length (a dataset whose 10^6 grids share one
// prefix is still searched in O(log n)), so the index is exact for every
// set of distinct keys. The directory's hash is keyed by the first of
// probing.h's fixed seeds under which no run of occupied slots exceeds
// probing::kMaxRun; codes chosen to defeat them all leave no directory,
// and every key is then found by a binary search of the whole array.
//
// The index does not own the keys: the caller keeps the sorted array and
// passes it to every Find.
//
// Example:
//   std::vector<uint64_t> keys = ...;  // sorted, distinct
//   CodeIndex index = CodeIndex::Build(keys);
//   uint32_t pos = index.Find(*RegionKeyFromCode("32011600100101"), keys);
//   // pos == CodeIndex::kAbsent, or keys[pos] is that key.
//
// Thread safety: immutable after Build; Find may be called from any number
// of threads. Copyable and movable (it owns only its directory).

#ifndef JICENG_SRC_HIERARCHY_CODE_INDEX_H_
#define JICENG_SRC_HIERARCHY_CODE_INDEX_H_

#include <cstddef>
#include <cstdint>
#include <vector>

#include "absl/base/optimization.h"
#include "absl/types/span.h"
#include "src/base/probing.h"

namespace jiceng {

class CodeIndex {
 public:
  static constexpr uint32_t kAbsent = 0xFFFFFFFFu;

  // An index of no keys: every Find answers kAbsent.
  CodeIndex() = default;

  // REQUIRES: `sorted_keys` is strictly ascending and holds fewer than
  // 2^32 - 1 keys.
  static CodeIndex Build(absl::Span<const uint64_t> sorted_keys);

  // The position of `key` in `sorted_keys`, or kAbsent. O(1) probes of the
  // directory plus a binary search of one run.
  // REQUIRES: `sorted_keys` is the array given to Build.
  uint32_t Find(uint64_t key, const uint64_t* sorted_keys) const {
    return Search(key, sorted_keys, FindRun(key));
  }

  // The positions [begin, end) of the keys sharing `key`'s 12-digit prefix
  // (empty when none does): where `key` is, if anywhere. Callers that keep
  // data by position may prefetch it from `begin` while the run is
  // searched.
  struct Run {
    uint32_t begin = 0;
    uint32_t end = 0;
  };
  Run FindRun(uint64_t key) const {
    // No keys (all_ 0), or no directory: every key is in one run.
    if (ABSL_PREDICT_FALSE(slots_.empty())) return Run{0, all_};
    const uint64_t prefix = PrefixOf(key);
    for (uint32_t s = SlotOf(prefix);; s = (s + 1) & mask_) {
      const Slot& slot = slots_[s];
      // The hit, the common case, is tested first: an empty slot
      // ({0, 0, 0}) that matches a prefix 0 answers the empty run, which
      // is right, since a probe never passes an empty slot.
      if (slot.prefix == prefix) return Run{slot.begin, slot.end};
      if (slot.end == 0) return Run{};
    }
  }

  // Starts fetching the directory slot FindRun(key) reads first (for
  // callers that look up many keys and fetch each one's memory ahead).
  void PrefetchSlot(uint64_t key) const {
    if (!slots_.empty()) __builtin_prefetch(&slots_[SlotOf(PrefixOf(key))]);
  }

  // The position of `key` in `run` of `sorted_keys`, or kAbsent: a binary
  // search without branches on the keys for runs of up to 32 (a village's
  // run is ~17), five fixed steps whatever the run's length; a longer run
  // first halves towards that. A branch on a key just fetched would be
  // mispredicted about once a search (callgrind's branch simulation) and
  // the jump by length of an unrolled search half the time.
  static uint32_t Search(uint64_t key, const uint64_t* sorted_keys, Run run) {
    uint32_t n = run.end - run.begin;
    if (n == 0) return kAbsent;
    const uint64_t* b = sorted_keys + run.begin;
    // The last key <= `key` lies in b[0, n) (or is b[0] when none is).
    while (n > 32) {
      const uint32_t half = n / 2;
      b = b[half] <= key ? b + half : b;
      n -= half;
    }
    // Steps of 16, 8, 4, 2, 1 from pos 0 over b[0, n), each clamped to the
    // run's last key: pos moves to the step's key when that is <= `key`.
    // A step past the run that moves lands on the last key, which is then
    // the answer (every key is <= `key`), and no later step moves it.
    uint32_t pos = 0;
    const uint32_t last = n - 1;
    for (uint32_t step = 16; step > 0; step >>= 1) {
      const uint32_t probe = pos + step;
      const uint32_t at = probe < last ? probe : last;
      pos += (at - pos) & (0u - static_cast<uint32_t>(b[at] <= key));
    }
    return b[pos] == key ? static_cast<uint32_t>(b + pos - sorted_keys)
                         : kAbsent;
  }

  // The number of runs (distinct 12-digit prefixes) and directory slots.
  size_t run_count() const { return runs_; }
  size_t slot_count() const { return slots_.size(); }

  // Which seed the directory settled on (probing::SeedOf), or
  // probing::kAttempts when there is none. For tests.
  int attempt() const { return attempt_; }

  // The directory's hash of a 12-digit prefix under `seed`. Exposed for
  // tests that build colliding codes.
  static uint64_t HashOf(probing::Seed seed, uint64_t prefix) {
    return probing::Mix(prefix ^ seed.a, seed.b);
  }
  // The first 12 digits of the key's padded code.
  static uint64_t PrefixOf(uint64_t key) { return key / (16u * 1000000u); }

  // Heap bytes of the directory.
  size_t MemoryBytes() const { return slots_.capacity() * sizeof(Slot); }

 private:
  struct Slot {
    uint64_t prefix = 0;
    uint32_t begin = 0;
    uint32_t end = 0;  // 0: an empty slot (a run is never empty)
  };
  static_assert(sizeof(Slot) == 16, "four slots per cache line");

  uint32_t SlotOf(uint64_t prefix) const {
    return static_cast<uint32_t>(HashOf(seed_, prefix) >> shift_);
  }
  std::vector<Slot> slots_;
  uint32_t mask_ = 0;
  uint32_t shift_ = 64;
  // The keys' count when there is no directory, else 0.
  uint32_t all_ = 0;
  size_t runs_ = 0;
  probing::Seed seed_ = probing::SeedOf(0);
  int attempt_ = 0;
};

}  // namespace jiceng

#endif  // JICENG_SRC_HIERARCHY_CODE_INDEX_H_
