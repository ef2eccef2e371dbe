// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0
//
// Internal header: not installed, not part of the stable API.
//
// Heap bytes held by standard and Abseil containers, for the MemoryBytes()
// accounts of the compiled structures (Engine::MemoryBytes sums them). They
// count what the containers allocate, not the objects themselves (those are
// counted by whoever holds them): a string's buffer only when it outgrew
// the small-string buffer, a vector's whole capacity, a Swiss table's slots
// and control bytes.
//
// Example:
//   size_t bytes = VectorBytes(ids_) + StringsBytes(names_) +
//                  HashTableBytes(by_code_) + StringsBytes(by_code_keys);

#ifndef JICENG_SRC_BASE_MEMORY_BYTES_H_
#define JICENG_SRC_BASE_MEMORY_BYTES_H_

#include <cstddef>
#include <string>
#include <vector>

namespace jiceng {

// libstdc++ keeps up to 15 chars inside the string object.
inline size_t StringBytes(const std::string& s) {
  return s.capacity() > 15 ? s.capacity() + 1 : 0;
}

template <typename T, typename A>
size_t VectorBytes(const std::vector<T, A>& v) {
  return v.capacity() * sizeof(T);
}

// A vector of strings: the array and every string's own buffer.
inline size_t StringsBytes(const std::vector<std::string>& v) {
  size_t bytes = VectorBytes(v);
  for (const std::string& s : v) bytes += StringBytes(s);
  return bytes;
}

// An absl::flat_hash_map / flat_hash_set: one slot and one control byte per
// capacity, plus the cloned control group. Heap held by the elements (long
// string keys) is not included.
template <typename Table>
size_t HashTableBytes(const Table& t) {
  if (t.capacity() == 0) return 0;
  return t.capacity() * (sizeof(typename Table::value_type) + 1) + 16;
}

}  // namespace jiceng

#endif  // JICENG_SRC_BASE_MEMORY_BYTES_H_
