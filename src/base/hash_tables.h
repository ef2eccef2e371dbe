// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0
//
// Internal header: not installed, not part of the stable API.
//
// Filling absl::flat_hash_map / flat_hash_set so that an allocation failure
// (std::bad_alloc, turned into JC_RESOURCE_EXHAUSTED by the C ABI) leaves
// every table intact. Abseil 20220623's tables are not exception-safe in
// two places (absl/container/internal/raw_hash_set.h):
//   1. raw_hash_set::resize (reached from insert/emplace/operator[] when the
//      table is full, and from reserve/rehash) stores the new capacity
//      before allocating the new array: when the allocation throws, the
//      table keeps its old control bytes with the new capacity, and its
//      destructor walks past them and frees a pointer it never allocated
//      ("free(): invalid pointer") — even a reserve() on an empty table.
//   2. emplace marks the slot full (prepare_insert) before constructing the
//      element in it (emplace_at): when the constructor throws (copying a
//      std::string key or value allocates), the slot holds garbage that the
//      destructor destroys.
// The helpers here avoid both: the element is built outside the table and
// moved in (a noexcept move), and the room is made beforehand by building a
// larger table with the bucket-count constructor — when that allocation
// throws, the new table was never constructed and the old one is untouched
// — and moving the elements over with extract/insert (no allocation).
// Node-based absl tables (node_hash_map/set) allocate the node after
// marking the slot and cannot be filled safely: compile paths do not use
// them.
//
// In the compile and validate paths (everything jc_engine_create* and
// jc_dataset_validate run) insert into absl tables only through these
// helpers; lookups are unrestricted. c_api_cpp_test fails every allocation
// of those entry points in turn.
//
// Example:
//   absl::flat_hash_map<std::string, uint32_t> index;
//   ReserveRoom(&index, items.size());  // optional: one growth up front
//   for (...) {
//     if (!SafeEmplace(&index, item.code(), id).second) { ...duplicate... }
//   }

#ifndef JICENG_SRC_BASE_HASH_TABLES_H_
#define JICENG_SRC_BASE_HASH_TABLES_H_

#include <cstddef>
#include <type_traits>
#include <utility>

namespace jiceng {

// Whether `count` elements fit a table of `capacity` slots without a
// resize. A full table with tombstones rehashes in place (no allocation)
// while at most 25/32 of it is used, and a table without them grows at 7/8:
// at most 25/32 used never grows, with or without tombstones.
inline bool TableHolds(size_t capacity, size_t count) {
  return count * 32 <= capacity * 25;  // both far below 2^58
}

// Makes room in `table` for `n` more elements, so that the next `n`
// insertions of new keys allocate nothing in the table. On
// std::bad_alloc, `table` is unchanged. Grows at least twofold, so a
// ReserveRoom(table, 1) before each insertion costs amortised O(1).
template <typename Table>
void ReserveRoom(Table* table, size_t n) {
  const size_t wanted = table->size() + n;
  if (TableHolds(table->bucket_count(), wanted)) return;
  size_t buckets = wanted > table->size() * 2 ? wanted : table->size() * 2;
  // The constructor rounds up to 2^k - 1 >= buckets; ask for enough that
  // TableHolds(capacity, wanted).
  buckets += buckets / 3 + 1;
  Table bigger(buckets);
  for (auto it = table->begin(); it != table->end();) {
    bigger.insert(table->extract(it++));
  }
  *table = std::move(bigger);
}

// table->emplace(key, value) for a flat_hash_map, exception-safe as
// described above: returns the element's iterator and whether it was
// inserted (false: the key was there; nothing changes).
template <typename Map, typename Key, typename Value>
std::pair<typename Map::iterator, bool> SafeEmplace(Map* map, Key&& key,
                                                    Value&& value) {
  using Element = typename Map::init_type;  // std::pair<K, V>, K not const
  static_assert(std::is_nothrow_move_constructible<Element>::value,
                "the element must move into its slot without throwing");
  Element element(std::forward<Key>(key), std::forward<Value>(value));
  ReserveRoom(map, 1);
  return map->insert(std::move(element));
}

// table->insert(key) for a flat_hash_set, exception-safe as described
// above.
template <typename Set, typename Key>
std::pair<typename Set::iterator, bool> SafeInsert(Set* set, Key&& key) {
  using Element = typename Set::init_type;
  static_assert(std::is_nothrow_move_constructible<Element>::value,
                "the element must move into its slot without throwing");
  Element element(std::forward<Key>(key));
  ReserveRoom(set, 1);
  return set->insert(std::move(element));
}

}  // namespace jiceng

#endif  // JICENG_SRC_BASE_HASH_TABLES_H_
