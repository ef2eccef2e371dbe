// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0
//
// src/base/string_index.h: every id found by its string and nothing else
// found, for strings of every length class the hash treats apart, strings
// that differ in one byte, long probe chains (a table filled to its load
// limit), duplicates reported at the first repeat with the earlier id kept,
// lookups that allocate nothing, and an index that outlives a move of the
// strings' owner.

#include "src/base/string_index.h"

#include <cstdint>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "src/base/splitmix64.h"
#include "tests/alloc_counter.h"
#include "tests/probing_keys.h"

namespace jiceng {
namespace {

struct Codes {
  std::vector<std::string> strings;
  absl::string_view operator()(uint32_t id) const { return strings[id]; }
};

StringIndex BuildOf(const Codes& codes) {
  uint32_t duplicate = 0;
  StringIndex index = StringIndex::Build(
      static_cast<uint32_t>(codes.strings.size()), codes, &duplicate);
  EXPECT_EQ(duplicate, codes.strings.size());
  return index;
}

TEST(StringIndex, EmptyIndexFindsNothing) {
  const Codes none;
  const StringIndex index;
  EXPECT_EQ(index.Find("a", none), StringIndex::kAbsent);
  EXPECT_EQ(index.MemoryBytes(), 0u);
  const StringIndex built = BuildOf(none);
  EXPECT_EQ(built.Find("", none), StringIndex::kAbsent);
  EXPECT_EQ(built.MemoryBytes(), 0u);
}

TEST(StringIndex, FindsEveryStringOfEveryLengthAndNothingNear) {
  Codes codes;
  SplitMix64 rng(20261124);
  codes.strings.push_back("");
  for (size_t length : {1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 24, 33, 100}) {
    for (int k = 0; k < 40; ++k) {
      std::string s(length, '\0');
      for (char& ch : s) ch = static_cast<char>(rng.Next() & 0xFF);
      codes.strings.push_back(s);
    }
  }
  // Unit-code-like strings sharing long prefixes and suffixes.
  for (int k = 0; k < 500; ++k) {
    codes.strings.push_back(
        absl::StrCat("disp-3201", 10000000 + k, "-urban_management"));
  }
  // Drop accidental repeats of the random short strings.
  absl::flat_hash_map<std::string, uint32_t> want;
  Codes distinct;
  for (const std::string& s : codes.strings) {
    if (want.emplace(s, static_cast<uint32_t>(distinct.strings.size()))
            .second) {
      distinct.strings.push_back(s);
    }
  }
  const StringIndex index = BuildOf(distinct);
  EXPECT_GE(index.MemoryBytes(), 2 * 8 * distinct.strings.size());
  for (uint32_t id = 0; id < distinct.strings.size(); ++id) {
    const std::string& s = distinct.strings[id];
    ASSERT_EQ(index.Find(s, distinct), id) << id;
    // Every one-byte change of it, and it one byte longer or shorter, is
    // found only where it is itself one of the strings.
    for (size_t at = 0; at < s.size(); at += 1 + s.size() / 8) {
      std::string near = s;
      near[at] = static_cast<char>(near[at] ^ 0x01);
      auto it = want.find(near);
      EXPECT_EQ(index.Find(near, distinct),
                it == want.end() ? StringIndex::kAbsent : it->second);
    }
    const std::string longer = s + "x";
    auto it = want.find(longer);
    EXPECT_EQ(index.Find(longer, distinct),
              it == want.end() ? StringIndex::kAbsent : it->second);
  }
}

TEST(StringIndex, DuplicatesKeepTheEarlierAndReportTheFirstRepeat) {
  Codes codes{{"a", "b", "c", "b", "a", "d"}};
  uint32_t duplicate = 0;
  const StringIndex index = StringIndex::Build(6, codes, &duplicate);
  EXPECT_EQ(duplicate, 3u);
  EXPECT_EQ(index.Find("a", codes), 0u);
  EXPECT_EQ(index.Find("b", codes), 1u);
  EXPECT_EQ(index.Find("d", codes), 5u);
}

TEST(StringIndex, ManyStringsAndAbsentLookupsAllocateNothing) {
  JICENG_TEST_NEEDS_ALLOCATION_COUNTING();
  // 2^16 + 1 strings: a table of 2^18 slots (the least power of two of at
  // least twice as many).
  Codes codes;
  std::vector<std::string> absent;
  for (uint32_t i = 0; i < (1u << 16) + 1; ++i) {
    codes.strings.push_back(absl::StrCat("cmd-", 320000000000ull + i));
    absent.push_back(absl::StrCat("cmd-", 330000000000ull + i));
  }
  const StringIndex index = BuildOf(codes);
  EXPECT_EQ(index.MemoryBytes(), size_t{8} << 18);
  const int64_t before = jiceng_test::ThreadAllocationCount();
  size_t right = 0;
  for (uint32_t i = 0; i < codes.strings.size(); ++i) {
    right += index.Find(codes.strings[i], codes) == i;
    right += index.Find(absent[i], codes) == StringIndex::kAbsent;
  }
  EXPECT_EQ(jiceng_test::ThreadAllocationCount(), before);
  EXPECT_EQ(right, 2 * codes.strings.size());
}

TEST(StringIndex, CodesCollidingUnderOneSeedMoveToTheNext) {
  Codes codes{KeysAgainstSeeds("dept-", 0, 1, 1000, 2048)};
  const StringIndex index = BuildOf(codes);
  EXPECT_EQ(index.attempt(), 1);
  for (uint32_t i = 0; i < codes.strings.size(); ++i) {
    ASSERT_EQ(index.Find(codes.strings[i], codes), i);
    ASSERT_EQ(index.Find(codes.strings[i] + "0", codes), StringIndex::kAbsent);
  }
}

// Codes chosen against every seed are searched in byte order: the same
// answers, the earlier of equal codes kept, no allocation per lookup.
TEST(StringIndex, CodesChosenAgainstEverySeedAreSearchedInOrder) {
  JICENG_TEST_NEEDS_ALLOCATION_COUNTING();
  Codes codes{KeysAgainstSeeds("dept-", 0, probing::kAttempts, 150, 4096)};
  const size_t distinct = codes.strings.size();
  codes.strings.push_back(codes.strings[17]);  // repeats: the earlier kept
  codes.strings.push_back(codes.strings[3]);
  uint32_t duplicate = 0;
  const StringIndex index = StringIndex::Build(
      static_cast<uint32_t>(codes.strings.size()), codes, &duplicate);
  EXPECT_EQ(duplicate, distinct);
  EXPECT_EQ(index.attempt(), probing::kAttempts);
  EXPECT_EQ(index.MemoryBytes(), 8 * distinct);
  std::vector<std::string> near;
  for (uint32_t i = 0; i < distinct; ++i) {
    near.push_back(codes.strings[i].substr(1));
    near.push_back(codes.strings[i] + "x");
  }
  const int64_t before = jiceng_test::ThreadAllocationCount();
  for (uint32_t i = 0; i < distinct; ++i) {
    ASSERT_EQ(index.Find(codes.strings[i], codes), i);
  }
  for (const std::string& s : near) {
    ASSERT_EQ(index.Find(s, codes), StringIndex::kAbsent) << s;
  }
  EXPECT_EQ(index.Find("", codes), StringIndex::kAbsent);
  EXPECT_EQ(index.Find("zzz", codes), StringIndex::kAbsent);
  EXPECT_EQ(jiceng_test::ThreadAllocationCount(), before);
}

TEST(StringIndex, SurvivesAMoveOfItsOwner) {
  struct Owner {
    Codes codes;
    StringIndex index;
  };
  Owner a;
  a.codes.strings = {"gov-3201", "cmd-3201", "sgc-3201"};
  a.index = BuildOf(a.codes);
  Owner b = std::move(a);
  EXPECT_EQ(b.index.Find("cmd-3201", b.codes), 1u);
  EXPECT_EQ(b.index.Find("sgc-3201", b.codes), 2u);
  EXPECT_EQ(b.index.Find("gov-3202", b.codes), StringIndex::kAbsent);
}

}  // namespace
}  // namespace jiceng
