// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0

#include "src/hierarchy/code_index.h"

#include <algorithm>

namespace jiceng {

CodeIndex CodeIndex::Build(absl::Span<const uint64_t> sorted_keys) {
  CodeIndex index;
  const size_t n = sorted_keys.size();
  if (n == 0) return index;
  for (size_t i = 0; i < n; ++i) {
    if (i == 0 || PrefixOf(sorted_keys[i]) != PrefixOf(sorted_keys[i - 1])) {
      ++index.runs_;
    }
  }
  // Load factor <= 1/2: a probe sequence is short, and the directory is
  // small next to the keys (16 bytes per run, ~17 keys per run at province
  // scale).
  size_t capacity = 4;
  int bits = 2;
  while (capacity < 2 * index.runs_) {
    capacity <<= 1;
    ++bits;
  }
  std::vector<Slot> slots(capacity, Slot{});
  index.mask_ = static_cast<uint32_t>(capacity - 1);
  index.shift_ = static_cast<uint32_t>(64 - bits);
  for (int attempt = 0; attempt < probing::kAttempts; ++attempt) {
    index.seed_ = probing::SeedOf(attempt);
    if (attempt > 0) std::fill(slots.begin(), slots.end(), Slot{});
    bool short_runs = true;
    size_t begin = 0;
    for (size_t i = 1; i <= n && short_runs; ++i) {
      if (i < n && PrefixOf(sorted_keys[i]) == PrefixOf(sorted_keys[begin])) {
        continue;
      }
      const uint64_t prefix = PrefixOf(sorted_keys[begin]);
      uint32_t s = index.SlotOf(prefix);
      for (size_t probes = 0; slots[s].end != 0; s = (s + 1) & index.mask_) {
        if (++probes > probing::kMaxRun) {
          short_runs = false;
          break;
        }
      }
      if (!short_runs) break;
      slots[s] =
          Slot{prefix, static_cast<uint32_t>(begin), static_cast<uint32_t>(i)};
      begin = i;
    }
    if (short_runs && probing::RunsAreShort(capacity, [&slots](size_t s) {
          return slots[s].end != 0;
        })) {
      index.slots_ = std::move(slots);
      index.attempt_ = attempt;
      return index;
    }
  }
  // Codes chosen against every seed: no directory; FindRun answers the
  // whole array, which Search halves in O(log n).
  index.all_ = static_cast<uint32_t>(n);
  index.mask_ = 0;
  index.shift_ = 64;
  index.seed_ = probing::SeedOf(0);
  index.attempt_ = probing::kAttempts;
  return index;
}

}  // namespace jiceng
