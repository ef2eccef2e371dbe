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
// hash is StringTable::Hash (fixed, no per-process seed: the strings are
// the operator's dataset, never what callers look up, so probe lengths
// depend only on the dataset). A lookup compares fingerprints first and
// reads a string only when its fingerprint matches.
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

#include <cstddef>
#include <cstdint>
#include <vector>

#include "absl/strings/string_view.h"
#include "src/base/memory_bytes.h"
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
    index.slots_.assign(size_t{1} << bits, Slot{0, 0});
    index.mask_ = (size_t{1} << bits) - 1;
    index.shift_ = 64 - bits;
    for (uint32_t id = 0; id < n; ++id) {
      const absl::string_view s = key(id);
      const uint64_t h = StringTable::Hash(0, s.data(), s.size());
      const uint32_t tag = Tag(h);
      for (size_t i = h >> index.shift_;; i = (i + 1) & index.mask_) {
        Slot& slot = index.slots_[i];
        if (slot.tag == 0) {
          slot = Slot{tag, id};
          break;
        }
        if (slot.tag == tag && key(slot.id) == s) {
          if (*first_duplicate == n) *first_duplicate = id;
          break;
        }
      }
    }
    return index;
  }

  // The id whose string is `s`, or kAbsent. `key` as given to Build.
  template <typename KeyOf>
  uint32_t Find(absl::string_view s, const KeyOf& key) const {
    if (slots_.empty()) return kAbsent;
    const uint64_t h = StringTable::Hash(0, s.data(), s.size());
    const uint32_t tag = Tag(h);
    for (size_t i = h >> shift_;; i = (i + 1) & mask_) {
      const Slot& slot = slots_[i];
      if (slot.tag == 0) return kAbsent;
      if (slot.tag == tag && key(slot.id) == s) return slot.id;
    }
  }

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

  std::vector<Slot> slots_;
  size_t mask_ = 0;
  uint32_t shift_ = 63;
};

}  // namespace jiceng

#endif  // JICENG_SRC_BASE_STRING_INDEX_H_
