// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0

#include "src/base/string_table.h"

#include <algorithm>
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
  const size_t mask = capacity - 1;
  const uint32_t shift = 64 - bits;
  auto append = [&arena](const Entry& e) {
    char scope[4];
    std::memcpy(scope, &e.scope, sizeof scope);
    arena.append(scope, sizeof scope);
    const size_t offset = arena.size();
    arena.append(e.key.data(), e.key.size());
    return static_cast<uint32_t>(offset);
  };
  for (int attempt = 0; attempt < probing::kAttempts; ++attempt) {
    const probing::Seed seed = probing::SeedOf(attempt);
    if (attempt > 0) {
      std::fill(slots.begin(), slots.end(), Slot{0, 0, 0, 0});
      arena.clear();
    }
    size_t duplicate = entries.size();
    size_t count = 0;
    bool short_runs = true;
    for (size_t i = 0; i < entries.size() && short_runs; ++i) {
      const Entry& e = entries[i];
      const uint64_t h = Hash(seed, e.scope, e.key.data(), e.key.size());
      const uint32_t tag = Tag(h);
      size_t s = h >> shift;
      size_t probes = 0;
      bool repeated = false;
      for (; slots[s].tag != 0; s = (s + 1) & mask) {
        const Slot& slot = slots[s];
        if (slot.tag == tag && slot.size == e.key.size() &&
            Load32(&arena[slot.offset - 4]) == e.scope &&
            SameBytes(&arena[slot.offset], e.key.data(), e.key.size())) {
          repeated = true;
          break;
        }
        if (++probes > probing::kMaxRun) {
          short_runs = false;
          break;
        }
      }
      if (!short_runs) break;
      if (repeated) {
        if (duplicate == entries.size()) duplicate = i;
        continue;
      }
      slots[s] =
          Slot{tag, e.value, append(e), static_cast<uint32_t>(e.key.size())};
      ++count;
    }
    if (short_runs && probing::RunsAreShort(capacity, [&slots](size_t s) {
          return slots[s].tag != 0;
        })) {
      *first_duplicate = duplicate;
      table.slots_ = std::move(slots);
      table.arena_ = std::move(arena);
      table.mask_ = mask;
      table.shift_ = shift;
      table.size_ = count;
      table.seed_ = seed;
      table.attempt_ = attempt;
      return table;
    }
  }
  // Keys chosen against every seed: one slot per distinct key, in
  // (scope, bytes) order, the earliest entry of equal ones kept.
  std::vector<uint32_t> order(entries.size());
  std::vector<Slot> by_entry;
  by_entry.reserve(entries.size());
  std::vector<Slot> sorted;
  sorted.reserve(entries.size());
  arena.clear();
  for (size_t i = 0; i < entries.size(); ++i) {
    order[i] = static_cast<uint32_t>(i);
    const Entry& e = entries[i];
    by_entry.push_back(
        Slot{1, e.value, append(e), static_cast<uint32_t>(e.key.size())});
  }
  table.arena_ = std::move(arena);
  auto key_of = [&entries](uint32_t i) {
    return std::make_pair(entries[i].scope, entries[i].key);
  };
  std::stable_sort(
      order.begin(), order.end(),
      [&key_of](uint32_t x, uint32_t y) { return key_of(x) < key_of(y); });
  for (size_t k = 0; k < order.size(); ++k) {
    if (k > 0 && key_of(order[k]) == key_of(order[k - 1])) {
      *first_duplicate = std::min<size_t>(*first_duplicate, order[k]);
      continue;
    }
    sorted.push_back(by_entry[order[k]]);
  }
  table.size_ = sorted.size();
  table.slots_ = std::move(sorted);
  table.attempt_ = probing::kAttempts;
  return table;
}

int StringTable::Compare(const Slot& slot, uint32_t scope,
                         absl::string_view key) const {
  const uint32_t slot_scope = Load32(&arena_[slot.offset - 4]);
  if (slot_scope != scope) return slot_scope < scope ? -1 : 1;
  return absl::string_view(&arena_[slot.offset], slot.size).compare(key);
}

uint32_t StringTable::FindSorted(uint32_t scope, absl::string_view key,
                                 uint32_t absent) const {
  const size_t i = probing::SortedFind(
      slots_.size(), [&](size_t i) { return Compare(slots_[i], scope, key); });
  return i == slots_.size() ? absent : slots_[i].value;
}

}  // namespace jiceng
