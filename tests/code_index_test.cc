// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0

#include "src/hierarchy/code_index.h"

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "src/hierarchy/hierarchy.h"
#include "src/hierarchy/region_code.h"
#include "tests/status_matchers.h"

namespace jiceng {
namespace {

uint64_t Key(const std::string& code) {
  absl::optional<uint64_t> k = RegionKeyFromCode(code);
  EXPECT_TRUE(k.has_value()) << code;
  return k.value_or(0);
}

std::vector<uint64_t> SortedKeys(const std::vector<std::string>& codes) {
  std::vector<uint64_t> keys;
  for (const std::string& c : codes) keys.push_back(Key(c));
  std::sort(keys.begin(), keys.end());
  return keys;
}

void ExpectFindsEveryKey(const CodeIndex& index,
                         const std::vector<uint64_t>& keys) {
  for (size_t i = 0; i < keys.size(); ++i) {
    ASSERT_EQ(index.Find(keys[i], keys.data()), i) << CodeFromRegionKey(keys[i]);
  }
}

TEST(CodeIndex, EmptyIndexFindsNothing) {
  const CodeIndex by_default;
  EXPECT_EQ(by_default.Find(Key("320116001001"), nullptr), CodeIndex::kAbsent);
  const std::vector<uint64_t> none;
  const CodeIndex built = CodeIndex::Build(none);
  EXPECT_EQ(built.Find(Key("320116001001"), none.data()), CodeIndex::kAbsent);
  EXPECT_EQ(built.run_count(), 0u);
  EXPECT_EQ(built.MemoryBytes(), 0u);
}

TEST(CodeIndex, FindsEveryKeyOfAVillageAndItsGrids) {
  const std::vector<uint64_t> keys = SortedKeys(
      {"320000000000", "320100000000", "320116000000", "320116001000",
       "320116001001", "32011600100101", "32011600100102",
       "3201160010010101", "3201160010010102", "320116001002",
       "32011600100201", "320116002000"});
  const CodeIndex index = CodeIndex::Build(keys);
  ExpectFindsEveryKey(index, keys);
  // Province, city, county, two townships, two villages: one run each (the
  // grids share their village's run).
  EXPECT_EQ(index.run_count(), 7u);
}

TEST(CodeIndex, RejectsAbsentKeys) {
  const std::vector<uint64_t> keys = SortedKeys(
      {"320116001001", "32011600100101", "32011600100103", "320116001003"});
  const CodeIndex index = CodeIndex::Build(keys);
  for (const char* absent :
       {"32011600100102",    // inside a run, between two keys
        "32011600100100",    // before the first grid of the run
        "32011600100199",    // after the last key of the run
        "3201160010010",     // the same digits, another length
        "320116001001010",   // likewise
        "320116001002",      // a prefix with no run
        "999999999999999999", "100"}) {
    EXPECT_EQ(index.Find(Key(absent), keys.data()), CodeIndex::kAbsent)
        << absent;
  }
}

TEST(CodeIndex, CollidingPrefixesAndFullDirectory) {
  // 3,000 runs of 1–3 keys: linear probing must step over occupied slots
  // of other prefixes (the directory is at most half full, so clusters
  // form); every key is found, every neighbour is rejected.
  std::vector<std::string> codes;
  for (int v = 1; v <= 3000; ++v) {
    const std::string village = absl::StrCat(320116000000 + v * 7);
    codes.push_back(village);
    for (int g = 1; g <= v % 3; ++g) {
      codes.push_back(absl::StrCat(village, g < 10 ? "0" : "", g));
    }
  }
  const std::vector<uint64_t> keys = SortedKeys(codes);
  const CodeIndex index = CodeIndex::Build(keys);
  EXPECT_EQ(index.run_count(), 3000u);
  EXPECT_GE(index.slot_count(), 2 * index.run_count());
  ExpectFindsEveryKey(index, keys);
  for (int v = 1; v <= 3000; ++v) {
    EXPECT_EQ(index.Find(Key(absl::StrCat(320116000000 + v * 7 + 1)),
                         keys.data()),
              CodeIndex::kAbsent);
    EXPECT_EQ(index.Find(Key(absl::StrCat(320116000000 + v * 7, "09")),
                         keys.data()),
              CodeIndex::kAbsent);
  }
}

TEST(CodeIndex, LongRunIsSearchedExactly) {
  // 20,000 keys of 18 digits under one 12-digit prefix: one run.
  std::vector<std::string> codes = {"320116001001"};
  for (int i = 1; i <= 20000; ++i) {
    codes.push_back(absl::StrCat(320116001001000000ull + i * 37));
  }
  const std::vector<uint64_t> keys = SortedKeys(codes);
  const CodeIndex index = CodeIndex::Build(keys);
  EXPECT_EQ(index.run_count(), 1u);
  ExpectFindsEveryKey(index, keys);
  EXPECT_EQ(index.Find(Key("320116001001000001"), keys.data()),
            CodeIndex::kAbsent);
  EXPECT_EQ(index.Find(Key("320116001001999999"), keys.data()),
            CodeIndex::kAbsent);
}

// Search over runs of every length 1..300 (the five fixed steps alone for
// runs of up to 32 keys, the halving before them above): every key is
// found at its position, and
// every gap between keys, before the first and after the last, is absent.
TEST(CodeIndex, SearchIsExactForEveryRunLength) {
  std::vector<uint64_t> keys;
  for (uint64_t i = 0; i < 700; ++i) keys.push_back(10 + 3 * i);
  for (uint32_t n = 1; n <= 300; ++n) {
    for (uint32_t begin : {0u, 1u, 7u, 399u}) {
      const CodeIndex::Run run{begin, begin + n};
      for (uint32_t i = begin; i < begin + n; ++i) {
        ASSERT_EQ(CodeIndex::Search(keys[i], keys.data(), run), i)
            << n << " " << begin << " " << i;
        ASSERT_EQ(CodeIndex::Search(keys[i] + 1, keys.data(), run),
                  CodeIndex::kAbsent);
        ASSERT_EQ(CodeIndex::Search(keys[i] - 1, keys.data(), run),
                  CodeIndex::kAbsent);
      }
      // Keys of the array outside the run are not in it.
      if (begin > 0) {
        ASSERT_EQ(CodeIndex::Search(keys[begin - 1], keys.data(), run),
                  CodeIndex::kAbsent);
      }
      ASSERT_EQ(CodeIndex::Search(keys[begin + n], keys.data(), run),
                CodeIndex::kAbsent);
      ASSERT_EQ(CodeIndex::Search(0, keys.data(), run), CodeIndex::kAbsent);
      ASSERT_EQ(CodeIndex::Search(~uint64_t{0}, keys.data(), run),
                CodeIndex::kAbsent);
    }
  }
  EXPECT_EQ(CodeIndex::Search(keys[0], keys.data(), CodeIndex::Run{0, 0}),
            CodeIndex::kAbsent);
}

// `per_seed` village codes (12 digits) for each of the first `seeds`
// seeds, each group's prefixes hashing under its seed into the first 16 of
// `capacity` directory slots, each village with one grid: a run of the
// directory longer than probing::kMaxRun under every one of those seeds.
std::vector<std::string> VillagesAgainstSeeds(int seeds, size_t per_seed,
                                              size_t capacity) {
  int bits = 0;
  while ((size_t{1} << bits) < capacity) ++bits;
  std::vector<std::string> codes;
  uint64_t village = 320116000000;
  for (int seed = 0; seed < seeds; ++seed) {
    size_t found = 0;
    while (found < per_seed) {
      ++village;
      const std::string code = absl::StrCat(village);
      const uint64_t prefix = CodeIndex::PrefixOf(Key(code));
      if (CodeIndex::HashOf(probing::SeedOf(seed), prefix) >> (64 - bits) >=
          16) {
        continue;
      }
      codes.push_back(code);
      codes.push_back(absl::StrCat(code, "01"));
      ++found;
    }
  }
  return codes;
}

TEST(CodeIndex, CodesCollidingUnderOneSeedMoveToTheNext) {
  // 1,000 runs: 2,048 directory slots.
  const std::vector<uint64_t> keys =
      SortedKeys(VillagesAgainstSeeds(1, 1000, 2048));
  const CodeIndex index = CodeIndex::Build(keys);
  EXPECT_EQ(index.attempt(), 1);
  EXPECT_EQ(index.run_count(), 1000u);
  ExpectFindsEveryKey(index, keys);
}

// Codes chosen against every seed leave no directory: every key is found
// by a binary search of the whole array, and absent ones are not.
TEST(CodeIndex, CodesChosenAgainstEverySeedAreSearchedWhole) {
  const std::vector<std::string> codes =
      VillagesAgainstSeeds(probing::kAttempts, 150, 4096);
  const std::vector<uint64_t> keys = SortedKeys(codes);
  const CodeIndex index = CodeIndex::Build(keys);
  EXPECT_EQ(index.attempt(), probing::kAttempts);
  EXPECT_EQ(index.slot_count(), 0u);
  EXPECT_EQ(index.MemoryBytes(), 0u);
  EXPECT_EQ(index.run_count(), 8u * 150);
  ExpectFindsEveryKey(index, keys);
  for (size_t i = 0; i < codes.size(); i += 2) {
    EXPECT_EQ(index.Find(Key(absl::StrCat(codes[i], "02")), keys.data()),
              CodeIndex::kAbsent);
  }
  EXPECT_EQ(index.Find(Key("320116000000"), keys.data()), CodeIndex::kAbsent);
  EXPECT_EQ(index.Find(Key("999999999999"), keys.data()), CodeIndex::kAbsent);
}

TEST(CodeIndex, HierarchyWhosePreOrderIsNotKeyOrder) {
  // "32011600100101" has a child "3201160010010199"; its sibling
  // "320116001001011" sorts between them by key. Pre-order puts the child
  // first, so the hierarchy indexes a sorted copy and maps back to ids.
  v1::Dataset d;
  auto add = [&](const char* code, const char* parent, v1::RegionLevel level) {
    v1::Region* r = d.add_regions();
    r->set_code(code);
    if (parent[0] != '\0') r->set_parent_code(parent);
    r->set_level(level);
  };
  add("320116001001", "", v1::REGION_LEVEL_VILLAGE);
  add("32011600100101", "320116001001", v1::REGION_LEVEL_GRID);
  add("3201160010010199", "32011600100101", v1::REGION_LEVEL_GRID);
  add("320116001001011", "320116001001", v1::REGION_LEVEL_GRID);
  auto h = Hierarchy::Build(d);
  ASSERT_THAT(h, IsOk());
  for (const v1::Region& r : d.regions()) {
    const RegionId id = h->Find(r.code());
    ASSERT_NE(id, kNoRegion) << r.code();
    EXPECT_EQ(h->code(id), r.code());
  }
  EXPECT_EQ(h->Find("32011600100102"), kNoRegion);
  // The stepwise lookup maps back through the sorted copy too.
  for (const char* code : {"320116001001", "32011600100101",
                           "3201160010010199", "320116001001011",
                           "32011600100102"}) {
    const uint64_t key = Key(code);
    h->PrefetchCodeSlot(key);
    EXPECT_EQ(h->FindInRun(key, h->CodeRun(key)), h->FindKey(key)) << code;
  }
  EXPECT_EQ(h->parent(h->Find("3201160010010199")),
            h->Find("32011600100101"));
  // The sorted copy and its ids count in the code index.
  EXPECT_EQ(h->CodeIndexBytes(),
            d.regions_size() * (2 * sizeof(uint64_t) + sizeof(RegionId)) +
                CodeIndex::Build(std::vector<uint64_t>{Key("320116001001")})
                    .MemoryBytes());
}

}  // namespace
}  // namespace jiceng
