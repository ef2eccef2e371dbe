// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0
//
// Internal header: not installed, not part of the stable API.
//
// StringTable: an immutable map from (scope, byte string) to a 32-bit
// value, built once and then only read — the catalogue's codes, keys and
// values that every routed case looks up (matter code, attribute keys and
// values). One table serves several name spaces: the scope (a 32-bit
// number the caller chooses, e.g. "matter codes" or "allowed values of
// attribute 7") is part of the key.
//
// Why not absl::flat_hash_map<std::string, uint32_t>: a lookup there
// hashes the whole string through an out-of-line function, probes control
// bytes, and compares with a libc memcmp call — about 120 instructions for
// a five-byte code. Here a key of up to 16 bytes is hashed from two
// (possibly overlapping) unaligned loads and one 64x64->128-bit multiply,
// the slot (16 bytes: a 32-bit fingerprint, the value and where the key
// lies in one arena) is compared by fingerprint and length first, and the
// key bytes with word loads. Longer keys fold every 8 bytes into the hash,
// so keys sharing long prefixes and suffixes do not pile up on one slot.
//
// Keys are arbitrary bytes (empty, not UTF-8, with NULs). Open addressing
// with linear probing at a load factor of at most 1/2; lookups of absent
// keys end at the first empty slot. The hash is keyed by one of a fixed
// list of seeds (probing.h): the first under which no run of occupied
// slots exceeds probing::kMaxRun, or, for keys chosen to defeat them all,
// none — the table then searches its keys in sorted order. Either way the
// same keys build the same table, and a lookup is bounded.
//
// Example:
//   std::vector<StringTable::Entry> entries = {
//       {kMatters, "01005", 0}, {kMatters, "01006", 1}};
//   size_t duplicate;
//   StringTable table = StringTable::Build(entries, &duplicate);
//   table.Find(kMatters, "01006") == 1;
//   table.Find(kMatters, "01007") == StringTable::kAbsent;
//   table.Find(kOther, "01006", 42) == 42;  // another scope
//
// Thread safety: immutable after Build; Find may be called from any number
// of threads. Copyable and movable (it owns its slots and key bytes).

#ifndef JICENG_SRC_BASE_STRING_TABLE_H_
#define JICENG_SRC_BASE_STRING_TABLE_H_

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "absl/base/attributes.h"
#include "absl/base/optimization.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "src/base/memory_bytes.h"
#include "src/base/probing.h"

namespace jiceng {

class StringTable {
 public:
  static constexpr uint32_t kAbsent = 0xFFFFFFFFu;

  struct Entry {
    uint32_t scope;
    absl::string_view key;
    uint32_t value;
  };

  // A table of no keys: every Find answers `absent`.
  StringTable() = default;

  // Builds the table of `entries`. When an entry repeats the scope and key
  // of an earlier one, the earlier one is kept and the later ignored;
  // *first_duplicate is the index of the first such entry, or
  // entries.size() when all are distinct. May throw std::bad_alloc, and
  // then nothing was built.
  // REQUIRES: fewer than 2^30 entries; the keys' total size below 4 GiB
  // minus 4 bytes per entry.
  static StringTable Build(absl::Span<const Entry> entries,
                           size_t* first_duplicate);

  // The value of (scope, key), or `absent` when the table has no such key.
  uint32_t Find(uint32_t scope, absl::string_view key,
                uint32_t absent = kAbsent) const {
    // No table, or the sorted fallback.
    if (ABSL_PREDICT_FALSE(mask_ == 0)) return FindSorted(scope, key, absent);
    const char* p = key.data();
    const size_t n = key.size();
    const uint64_t h = Hash(seed_, scope, p, n);
    const uint32_t tag = Tag(h);
    for (size_t s = h >> shift_;; s = (s + 1) & mask_) {
      const Slot& slot = slots_[s];
      if (slot.tag == tag && slot.size == n &&
          Load32(&arena_[slot.offset - 4]) == scope &&
          SameBytes(&arena_[slot.offset], p, n)) {
        return slot.value;
      }
      if (slot.tag == 0) return absent;
    }
  }

  // The number of distinct keys.
  size_t size() const { return size_; }
  // Heap bytes: the slots and the key arena.
  size_t MemoryBytes() const {
    return VectorBytes(slots_) + StringBytes(arena_);
  }

  // Which seed the table settled on (probing::SeedOf), or
  // probing::kAttempts when it searches its keys in sorted order. For tests.
  int attempt() const { return attempt_; }

  // The hash of (scope, key) under `seed` that places it. Exposed for
  // tests that build colliding keys. Every word of the key is mixed with
  // both halves of the seed, so that no choice of key bytes makes keys
  // collide under every seed.
  static uint64_t Hash(probing::Seed seed, uint32_t scope, const char* p,
                       size_t n) {
    uint64_t a;
    uint64_t b;
    if (n >= 8) {
      a = Load64(p);
      b = Load64(p + n - 8);
      // The middle of a key longer than 16 bytes: every full word of it.
      for (size_t i = 8; i + 8 < n; i += 8) {
        a = probing::Mix(a ^ seed.a, Load64(p + i) ^ seed.b);
      }
    } else if (n >= 4) {
      a = Load32(p);
      b = Load32(p + n - 4);
    } else {
      // 0-3 bytes: the first, middle and last (all of them).
      a = n == 0 ? 0
                 : static_cast<uint64_t>(static_cast<unsigned char>(p[0])) |
                       static_cast<uint64_t>(
                           static_cast<unsigned char>(p[n / 2]))
                           << 8 |
                       static_cast<uint64_t>(
                           static_cast<unsigned char>(p[n - 1]))
                           << 16;
      b = 0;
    }
    return probing::Mix(a ^ seed.a ^ (static_cast<uint64_t>(scope) << 32 | n),
                        b ^ seed.b);
  }

 private:
  struct Slot {
    uint32_t tag;     // 0: an empty slot; else Tag(hash)
    uint32_t value;
    uint32_t offset;  // of the key in arena_, after its 4-byte scope
    uint32_t size;    // of the key
  };
  static_assert(sizeof(Slot) == 16, "four slots per cache line");

  static uint64_t Load64(const char* p) {
    uint64_t v;
    std::memcpy(&v, p, sizeof v);
    return v;
  }
  static uint32_t Load32(const char* p) {
    uint32_t v;
    std::memcpy(&v, p, sizeof v);
    return v;
  }
  // The fingerprint a slot keeps: never 0, and independent of the slot
  // index (which comes from the high bits).
  static uint32_t Tag(uint64_t h) { return static_cast<uint32_t>(h) | 1u; }
  // Whether n bytes at a and b are equal, by word loads.
  static bool SameBytes(const char* a, const char* b, size_t n) {
    if (n >= 8) {
      for (size_t i = 0; i + 8 < n; i += 8) {
        if (Load64(a + i) != Load64(b + i)) return false;
      }
      return Load64(a + n - 8) == Load64(b + n - 8);
    }
    if (n >= 4) {
      return ((Load32(a) ^ Load32(b)) |
              (Load32(a + n - 4) ^ Load32(b + n - 4))) == 0;
    }
    return n == 0 || (a[0] == b[0] && a[n / 2] == b[n / 2] &&
                      a[n - 1] == b[n - 1]);
  }

  // <0, 0 or >0 as the key of `slot` orders before, equals or orders after
  // (scope, key): by scope, then by bytes (the sorted fallback's order).
  int Compare(const Slot& slot, uint32_t scope, absl::string_view key) const;
  // Find in the sorted fallback (or in no table): a binary search.
  ABSL_ATTRIBUTE_NOINLINE uint32_t FindSorted(uint32_t scope,
                                              absl::string_view key,
                                              uint32_t absent) const;

  // Hashed: a power of two of slots, at most half of them full. Sorted
  // fallback: the size_ slots of the keys in (scope, bytes) order, mask_ 0.
  std::vector<Slot> slots_;
  // Per key: its scope (4 bytes, native order), then its bytes.
  std::string arena_;
  size_t mask_ = 0;
  uint32_t shift_ = 63;
  size_t size_ = 0;
  probing::Seed seed_ = probing::SeedOf(0);
  int attempt_ = 0;
};

}  // namespace jiceng

#endif  // JICENG_SRC_BASE_STRING_TABLE_H_
