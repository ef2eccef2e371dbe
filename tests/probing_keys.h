// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0
//
// Keys chosen against the seeds of src/base/probing.h, for the tests of
// the tables that use them (StringTable, StringIndex).

#ifndef JICENG_TESTS_PROBING_KEYS_H_
#define JICENG_TESTS_PROBING_KEYS_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "src/base/probing.h"
#include "src/base/splitmix64.h"
#include "src/base/string_table.h"

namespace jiceng {

// `per_seed` keys "<prefix><number>" for each of the first `seeds` seeds,
// each group hashing (StringTable::Hash with `scope`) under its seed into
// the first 16 of `capacity` slots: with per_seed > probing::kMaxRun, a run
// too long under every one of those seeds. REQUIRES: capacity is a power
// of two.
inline std::vector<std::string> KeysAgainstSeeds(absl::string_view prefix,
                                                 uint32_t scope, int seeds,
                                                 size_t per_seed,
                                                 size_t capacity) {
  int bits = 0;
  while ((size_t{1} << bits) < capacity) ++bits;
  std::vector<std::string> keys;
  SplitMix64 rng(20261125);
  for (int seed = 0; seed < seeds; ++seed) {
    size_t found = 0;
    while (found < per_seed) {
      const std::string k = absl::StrCat(prefix, rng.Next() % 1000000000000);
      const uint64_t h =
          StringTable::Hash(probing::SeedOf(seed), scope, k.data(), k.size());
      if (h >> (64 - bits) >= 16) continue;
      keys.push_back(k);
      ++found;
    }
  }
  return keys;
}

}  // namespace jiceng

#endif  // JICENG_TESTS_PROBING_KEYS_H_
