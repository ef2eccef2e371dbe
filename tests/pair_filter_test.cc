// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0

#include "src/catalogue/pair_filter.h"

#include <cstdint>
#include <vector>

#include "gtest/gtest.h"

namespace jiceng {
namespace {

TEST(PairFilter, EmptyFilterContainsNothing) {
  const PairFilter by_default;
  EXPECT_FALSE(by_default.MayContain(PairFilter::Key(1, 2)));
  const PairFilter built = PairFilter::Build({});
  EXPECT_FALSE(built.MayContain(PairFilter::Key(0, 0)));
  EXPECT_EQ(built.MemoryBytes(), 0u);
}

TEST(PairFilter, ContainsEveryKeyGivenAndFewOthers) {
  // 2,000 townships x 300 items each (the province's shape), with
  // duplicates: no key given may be missed; of 10^6 other keys (the same
  // townships with other items: they share words with the given ones)
  // about 1.5 % may pass.
  std::vector<uint64_t> keys;
  for (uint32_t t = 0; t < 2000; ++t) {
    for (uint32_t i = 0; i < 300; ++i) {
      keys.push_back(PairFilter::Key(100000 + t * 17, (t * 7 + i * 31) % 10000));
    }
  }
  keys.push_back(keys.front());
  const PairFilter f = PairFilter::Build(keys);
  for (uint64_t k : keys) ASSERT_TRUE(f.MayContain(k));
  int passed = 0;
  for (uint32_t t = 0; t < 2000; ++t) {
    for (uint32_t i = 0; i < 500; ++i) {
      passed += f.MayContain(PairFilter::Key(100000 + t * 17 + 1, i)) ? 1 : 0;
    }
  }
  EXPECT_LT(passed, 1000000 * 3 / 100);
  EXPECT_LE(f.MemoryBytes(), keys.size() * 2 + 8);
}

TEST(PairFilter, SingleKeyAndItsNeighbours) {
  const PairFilter f = PairFilter::Build({PairFilter::Key(7, 9)});
  EXPECT_TRUE(f.MayContain(PairFilter::Key(7, 9)));
  // One word of 64 bits holds two set bits: most other keys are rejected.
  int passed = 0;
  for (uint32_t i = 0; i < 1000; ++i) {
    if (i != 9) passed += f.MayContain(PairFilter::Key(7, i)) ? 1 : 0;
  }
  EXPECT_LT(passed, 10);
}

}  // namespace
}  // namespace jiceng
