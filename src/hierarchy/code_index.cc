// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0

#include "src/hierarchy/code_index.h"

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
  index.slots_.assign(capacity, Slot{});
  index.mask_ = static_cast<uint32_t>(capacity - 1);
  index.shift_ = static_cast<uint32_t>(64 - bits);
  size_t begin = 0;
  for (size_t i = 1; i <= n; ++i) {
    if (i < n && PrefixOf(sorted_keys[i]) == PrefixOf(sorted_keys[begin])) {
      continue;
    }
    const uint64_t prefix = PrefixOf(sorted_keys[begin]);
    uint32_t s = index.SlotOf(prefix);
    while (index.slots_[s].end != 0) s = (s + 1) & index.mask_;
    index.slots_[s] = Slot{prefix, static_cast<uint32_t>(begin),
                           static_cast<uint32_t>(i)};
    begin = i;
  }
  return index;
}

}  // namespace jiceng
