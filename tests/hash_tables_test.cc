// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0
//
// src/base/hash_tables.h: filling Abseil flat hash tables so that a
// std::bad_alloc at any allocation leaves them intact (issue #8). Plain
// emplace in Abseil 20220623 left a table that crashed when destroyed
// ("free(): invalid pointer"); here every allocation of a run of
// insertions is made to fail in turn (tests/alloc_counter.h) and the table
// must still hold exactly what was inserted before, then destroy cleanly.

#include "src/base/hash_tables.h"

#include <cstdint>
#include <new>
#include <string>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tests/alloc_counter.h"

namespace jiceng {
namespace {

// Keys longer than std::string's inline buffer: copying one allocates.
std::string LongKey(int i) { return absl::StrCat("key-that-allocates-", i); }

constexpr int kElements = 100;

// Inserts kElements long keys through `insert(table, i)` with the n-th
// allocation failing, for every n; after each failure the table holds
// exactly the keys inserted before it. Returns how many failures were
// injected.
template <typename Table, typename Insert, typename Check>
int SweepInsertions(Insert insert, Check check) {
  int failures = 0;
  for (int64_t n = 0;; ++n) {
    int inserted = 0;
    bool failed = false;
    {
      Table table;
      jiceng_test::FailNewAfter(n);
      try {
        for (; inserted < kElements; ++inserted) insert(&table, inserted);
      } catch (const std::bad_alloc&) {
        failed = true;
      }
      jiceng_test::FailNewAfter(-1);
      EXPECT_EQ(table.size(), static_cast<size_t>(inserted)) << "n = " << n;
      for (int i = 0; i < kElements; ++i) {
        EXPECT_EQ(check(table, i), i < inserted) << "n = " << n << ", i = " << i;
      }
      // The table stays usable: insert the rest without failures.
      for (int i = inserted; i < kElements; ++i) insert(&table, i);
      EXPECT_EQ(table.size(), static_cast<size_t>(kElements));
    }  // destroyed here: a damaged table crashes or leaks (ASan)
    if (!failed) return failures;
    ++failures;
  }
}

TEST(HashTables, Issue8_SafeEmplaceSurvivesEveryAllocationFailure) {
  JICENG_TEST_NEEDS_ALLOCATION_COUNTING();
  using Map = absl::flat_hash_map<std::string, std::string>;
  const int failures = SweepInsertions<Map>(
      [](Map* map, int i) {
        const std::string key = LongKey(i);
        EXPECT_TRUE(SafeEmplace(map, key, LongKey(i + 1000)).second);
      },
      [](const Map& map, int i) {
        auto it = map.find(LongKey(i));
        return it != map.end() && it->second == LongKey(i + 1000);
      });
  // Each insertion copies two strings (key, value) and the table grows
  // about log2(100) times.
  EXPECT_GT(failures, 2 * kElements);
}

TEST(HashTables, Issue8_SafeInsertSurvivesEveryAllocationFailure) {
  JICENG_TEST_NEEDS_ALLOCATION_COUNTING();
  using Set = absl::flat_hash_set<std::string>;
  const int failures = SweepInsertions<Set>(
      [](Set* set, int i) { EXPECT_TRUE(SafeInsert(set, LongKey(i)).second); },
      [](const Set& set, int i) { return set.contains(LongKey(i)); });
  EXPECT_GT(failures, kElements);
}

TEST(HashTables, Issue8_ReserveRoomOnAnEmptyTableSurvivesFailure) {
  JICENG_TEST_NEEDS_ALLOCATION_COUNTING();
  // A plain reserve() on an empty table set its capacity before the
  // allocation failed, and the destructor freed Abseil's static empty group.
  absl::flat_hash_map<uint64_t, uint32_t> map;
  jiceng_test::FailNewAfter(0);
  EXPECT_THROW(ReserveRoom(&map, 1000), std::bad_alloc);
  jiceng_test::FailNewAfter(-1);
  EXPECT_TRUE(map.empty());
  EXPECT_TRUE(SafeEmplace(&map, uint64_t{7}, uint32_t{1}).second);
  EXPECT_EQ(map.at(7), 1u);
}

TEST(HashTables, ReserveRoomMakesLaterInsertionsAllocateNothing) {
  JICENG_TEST_NEEDS_ALLOCATION_COUNTING();
  for (size_t n : {1u, 7u, 14u, 15u, 100u, 1000u, 4096u}) {
    absl::flat_hash_map<uint64_t, uint32_t> map;
    ReserveRoom(&map, n);
    jiceng_test::AllocationScope scope;
    for (size_t i = 0; i < n; ++i) {
      ASSERT_TRUE(SafeEmplace(&map, uint64_t{i} * 7919, uint32_t(i)).second);
    }
    EXPECT_EQ(scope.count(), 0) << "n = " << n;
    EXPECT_TRUE(TableHolds(map.bucket_count(), map.size())) << "n = " << n;
  }
}

TEST(HashTables, TableHoldsStaysBelowAbseilsGrowthThreshold) {
  // Abseil grows a table of capacity c without tombstones beyond c - c/8
  // elements and rehashes one with tombstones in place up to 25/32 c.
  for (size_t capacity = 1; capacity < (1u << 20); capacity = capacity * 2 + 1) {
    size_t most = 0;
    while (TableHolds(capacity, most + 1)) ++most;
    EXPECT_LE(most, capacity - capacity / 8) << capacity;
    EXPECT_LE(most * 32, capacity * 25) << capacity;
    EXPECT_GE(most * 4 + 4, capacity * 3) << capacity;  // still dense
  }
}

TEST(HashTables, ElementsSurviveGrowth) {
  absl::flat_hash_map<std::string, int> map;
  for (int i = 0; i < 5000; ++i) {
    ASSERT_TRUE(SafeEmplace(&map, LongKey(i), i).second);
  }
  ASSERT_EQ(map.size(), 5000u);
  for (int i = 0; i < 5000; ++i) EXPECT_EQ(map.at(LongKey(i)), i);
  auto [it, inserted] = SafeEmplace(&map, LongKey(42), -1);
  EXPECT_FALSE(inserted);
  EXPECT_EQ(it->second, 42);
}

}  // namespace
}  // namespace jiceng
