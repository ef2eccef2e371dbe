// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0
//
// Internal header: not installed, not part of the stable API.
//
// StringIndex: finds the id of a string among n strings that the caller
// keeps (a table of codes: units, items), without a copy of them. Each
// slot is 8 bytes — a 32-bit fingerprint and the id — where an
// absl::flat_hash_map<std::string, uint32_t> spends a 32-byte key, a value
// and a control byte per slot, plus a heap copy of every key longer than
// 15 bytes. At province scale (55,254 unit codes) that is 1 MB instead of
// 6 MB.
//
// Open addressing with linear probing at a load factor of at most 1/2; the
// hash is StringTable::Hash, keyed by the first of probing.h's fixed seeds
// under which no run of occupied slots exceeds probing::kMaxRun (strings
// chosen to defeat them all are searched in sorted order instead). A
// lookup compares fingerprints first and reads a string only when its
// fingerprint matches.
//
// Example:
//   std::vector<std::string> codes = {"cmd-3201", "gov-3201"};
//   auto code = [&codes](uint32_t id) { return absl::string_view(codes[id]); };
//   uint32_t duplicate;
//   StringIndex index = StringIndex::Build(codes.size(), code, &duplicate);
//   index.Find("gov-3201", code) == 1;
//   index.Find("gov-3202", code) == StringIndex::kAbsent;
//
// The index holds no pointer to the strings: Find is given the same
// accessor Build was (or one that returns the same string for every id),
// so the owner may move both freely.
//
// Thread safety: immutable after Build; Find may be called from any number
// of threads. Copyable and movable.

#ifndef JICENG_SRC_BASE_STRING_INDEX_H_
#define JICENG_SRC_BASE_STRING_INDEX_H_

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "absl/base/attributes.h"
#include "absl/base/optimization.h"
#include "absl/strings/string_view.h"
#include "src/base/memory_bytes.h"
#include "src/base/probing.h"
#include "src/base/string_table.h"

namespace jiceng {

class StringIndex {
 public:
  static constexpr uint32_t kAbsent = 0xFFFFFFFFu;

  // An index of no strings: every Find answers kAbsent.
  StringIndex() = default;

  // The index of the strings key(0), ..., key(n - 1). Where a string equals
  // an earlier one's, the earlier id is kept; *first_duplicate is the
  // first such id, or n when all are distinct. May throw std::bad_alloc.
  // REQUIRES: n < 2^31.
  template <typename KeyOf>
  static StringIndex Build(uint32_t n, const KeyOf& key,
                           uint32_t* first_duplicate) {
    *first_duplicate = n;
    StringIndex index;
    if (n == 0) return index;
    uint32_t bits = 1;
    while ((size_t{1} << bits) < size_t{2} * n) ++bits;
    const size_t capacity = size_t{1} << bits;
    std::vector<Slot> slots(capacity, Slot{0, 0});
    const size_t mask = capacity - 1;
    const uint32_t shift = 64 - bits;
    for (int attempt = 0; attempt < probing::kAttempts; ++attempt) {
      const probing::Seed seed = probing::SeedOf(attempt);
      if (attempt > 0) std::fill(slots.begin(), slots.end(), Slot{0, 0});
      uint32_t duplicate = n;
      bool short_runs = true;
      for (uint32_t id = 0; id < n && short_runs; ++id) {
        const absl::string_view s = key(id);
        const uint64_t h = StringTable::Hash(seed, 0, s.data(), s.size());
        const uint32_t tag = Tag(h);
        size_t probes = 0;
        for (size_t i = h >> shift;; i = (i + 1) & mask) {
          Slot& slot = slots[i];
          if (slot.tag == 0) {
            slot = Slot{tag, id};
            break;
          }
          if (slot.tag == tag && key(slot.id) == s) {
            if (duplicate == n) duplicate = id;
            break;
          }
          if (++probes > probing::kMaxRun) {
            short_runs = false;
            break;
          }
        }
      }
      if (short_runs && probing::RunsAreShort(capacity, [&slots](size_t i) {
            return slots[i].tag != 0;
          })) {
        *first_duplicate = duplicate;
        index.slots_ = std::move(slots);
        index.mask_ = mask;
        index.shift_ = shift;
        index.seed_ = seed;
        index.attempt_ = attempt;
        return index;
      }
    }
    // Strings chosen against every seed: the ids of the distinct strings
    // in byte order, the earliest id of equal ones kept.
    std::vector<uint32_t> order(n);
    for (uint32_t id = 0; id < n; ++id) order[id] = id;
    std::stable_sort(
        order.begin(), order.end(),
        [&key](uint32_t x, uint32_t y) { return key(x) < key(y); });
    slots.clear();
    for (uint32_t k = 0; k < n; ++k) {
      if (k > 0 && key(order[k]) == key(order[k - 1])) {
        *first_duplicate = std::min(*first_duplicate, order[k]);
        continue;
      }
      slots.push_back(Slot{1, order[k]});
    }
    slots.shrink_to_fit();
    index.slots_ = std::move(slots);
    index.attempt_ = probing::kAttempts;
    return index;
  }

  // The id whose string is `s`, or kAbsent. `key` as given to Build.
  template <typename KeyOf>
  uint32_t Find(absl::string_view s, const KeyOf& key) const {
    // No strings, or the sorted fallback.
    if (ABSL_PREDICT_FALSE(mask_ == 0)) return FindSorted(s, key);
    const uint64_t h = StringTable::Hash(seed_, 0, s.data(), s.size());
    const uint32_t tag = Tag(h);
    for (size_t i = h >> shift_;; i = (i + 1) & mask_) {
      const Slot& slot = slots_[i];
      if (slot.tag == 0) return kAbsent;
      if (slot.tag == tag && key(slot.id) == s) return slot.id;
    }
  }

  // Which seed the index settled on (probing::SeedOf), or
  // probing::kAttempts when it searches its strings in sorted order. For
  // tests.
  int attempt() const { return attempt_; }

  // Heap bytes: the slots.
  size_t MemoryBytes() const { return VectorBytes(slots_); }

 private:
  struct Slot {
    uint32_t tag;  // 0: empty; else Tag(hash)
    uint32_t id;
  };
  static_assert(sizeof(Slot) == 8, "eight slots per cache line");

  // Never 0, and independent of the slot index (the hash's high bits).
  static uint32_t Tag(uint64_t h) { return static_cast<uint32_t>(h) | 1u; }

  // Find in the sorted fallback (or in no index): a binary search.
  template <typename KeyOf>
  ABSL_ATTRIBUTE_NOINLINE uint32_t FindSorted(absl::string_view s,
                                              const KeyOf& key) const {
    const size_t i = probing::SortedFind(
        slots_.size(), [&](size_t i) { return key(slots_[i].id).compare(s); });
    return i == slots_.size() ? kAbsent : slots_[i].id;
  }

  // Hashed: a power of two of slots, at most half of them full. Sorted
  // fallback: one slot per distinct string, in byte order, mask_ 0.
  std::vector<Slot> slots_;
  size_t mask_ = 0;
  uint32_t shift_ = 63;
  probing::Seed seed_ = probing::SeedOf(0);
  int attempt_ = 0;
};

}  // namespace jiceng

#endif  // JICENG_SRC_BASE_STRING_INDEX_H_
