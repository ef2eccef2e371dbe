// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0

#include "src/base/string_table.h"

#include <utility>

namespace jiceng {

StringTable StringTable::Build(absl::Span<const Entry> entries,
                               size_t* first_duplicate) {
  *first_duplicate = entries.size();
  StringTable table;
  if (entries.empty()) return table;
  // Load factor <= 1/2: an absent key's probe ends within a slot or two.
  size_t capacity = 2;
  uint32_t bits = 1;
  while (capacity < 2 * entries.size()) {
    capacity <<= 1;
    ++bits;
  }
  size_t arena_bytes = 0;
  for (const Entry& e : entries) arena_bytes += 4 + e.key.size();
  // Everything that allocates, before anything is filled.
  std::vector<Slot> slots(capacity, Slot{0, 0, 0, 0});
  std::string arena;
  arena.reserve(arena_bytes);
  table.mask_ = capacity - 1;
  table.shift_ = 64 - bits;
  for (size_t i = 0; i < entries.size(); ++i) {
    const Entry& e = entries[i];
    const uint64_t h = Hash(e.scope, e.key.data(), e.key.size());
    const uint32_t tag = Tag(h);
    size_t s = h >> table.shift_;
    bool duplicate = false;
    for (; slots[s].tag != 0; s = (s + 1) & table.mask_) {
      const Slot& slot = slots[s];
      if (slot.tag == tag && slot.size == e.key.size() &&
          Load32(&arena[slot.offset - 4]) == e.scope &&
          SameBytes(&arena[slot.offset], e.key.data(), e.key.size())) {
        duplicate = true;
        break;
      }
    }
    if (duplicate) {
      if (*first_duplicate == entries.size()) *first_duplicate = i;
      continue;
    }
    char scope[4];
    std::memcpy(scope, &e.scope, sizeof scope);
    arena.append(scope, sizeof scope);
    slots[s] = Slot{tag, e.value, static_cast<uint32_t>(arena.size()),
                    static_cast<uint32_t>(e.key.size())};
    arena.append(e.key.data(), e.key.size());
    ++table.size_;
  }
  table.slots_ = std::move(slots);
  table.arena_ = std::move(arena);
  return table;
}

}  // namespace jiceng
