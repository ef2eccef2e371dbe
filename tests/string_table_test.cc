// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0
//
// src/base/string_table.h: exact lookups of (scope, bytes) for keys of
// every length class the hash and the comparison treat apart (0, 1-3, 4-7,
// 8-16 and longer bytes), keys that differ in one byte anywhere, keys that
// share their first and last 8 bytes, bytes that are not UTF-8, probe
// chains of keys that share a home slot, and a million absent keys.

#include "src/base/string_table.h"

#include <cstdint>
#include <new>
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

StringTable BuildOf(const std::vector<StringTable::Entry>& entries) {
  size_t duplicate = 0;
  StringTable table = StringTable::Build(entries, &duplicate);
  EXPECT_EQ(duplicate, entries.size());
  return table;
}

TEST(StringTable, EmptyTableFindsNothing) {
  const StringTable table;
  EXPECT_EQ(table.Find(0, "a"), StringTable::kAbsent);
  EXPECT_EQ(table.Find(0, ""), StringTable::kAbsent);
  EXPECT_EQ(table.Find(0, "a", 7), 7u);
  EXPECT_EQ(table.size(), 0u);
  EXPECT_EQ(table.MemoryBytes(), 0u);
  const StringTable built = BuildOf({});
  EXPECT_EQ(built.Find(0, ""), StringTable::kAbsent);
}

TEST(StringTable, EmptyKeyIsAKey) {
  const StringTable table = BuildOf({{1, "", 10}, {2, "x", 20}});
  EXPECT_EQ(table.Find(1, ""), 10u);
  EXPECT_EQ(table.Find(2, ""), StringTable::kAbsent);
  EXPECT_EQ(table.Find(1, "x"), StringTable::kAbsent);
  EXPECT_EQ(table.Find(2, "x"), 20u);
}

TEST(StringTable, ScopesSeparateEqualKeys) {
  const StringTable table =
      BuildOf({{0, "01005", 1}, {1, "01005", 2}, {0xFFFFFFFFu, "01005", 3}});
  EXPECT_EQ(table.Find(0, "01005"), 1u);
  EXPECT_EQ(table.Find(1, "01005"), 2u);
  EXPECT_EQ(table.Find(0xFFFFFFFFu, "01005"), 3u);
  EXPECT_EQ(table.Find(2, "01005", 99), 99u);
  EXPECT_EQ(table.size(), 3u);
}

TEST(StringTable, ReportsTheFirstDuplicateAndKeepsTheFirstValue) {
  const std::vector<StringTable::Entry> entries = {
      {0, "a", 1}, {0, "b", 2}, {1, "a", 3}, {0, "b", 4}, {0, "a", 5}};
  size_t duplicate = 0;
  const StringTable table = StringTable::Build(entries, &duplicate);
  EXPECT_EQ(duplicate, 3u);
  EXPECT_EQ(table.size(), 3u);
  EXPECT_EQ(table.Find(0, "a"), 1u);
  EXPECT_EQ(table.Find(0, "b"), 2u);
  EXPECT_EQ(table.Find(1, "a"), 3u);
}

// Every length 0..300, and for each key every one-byte change (at the
// first, middle and last byte, and each of the first and last 8 bytes) is
// a different, absent key; so is every key one byte shorter or longer.
TEST(StringTable, EveryLengthAndEveryOneByteChange) {
  std::vector<std::string> keys;
  for (size_t len = 0; len <= 300; ++len) {
    std::string k(len, '\0');
    for (size_t i = 0; i < len; ++i) k[i] = static_cast<char>('a' + i % 26);
    keys.push_back(k);
  }
  std::vector<StringTable::Entry> entries;
  for (size_t i = 0; i < keys.size(); ++i) {
    entries.push_back({5, keys[i], static_cast<uint32_t>(i)});
  }
  const StringTable table = BuildOf(entries);
  for (size_t i = 0; i < keys.size(); ++i) {
    const std::string& k = keys[i];
    ASSERT_EQ(table.Find(5, k), i) << i;
    EXPECT_EQ(table.Find(4, k), StringTable::kAbsent) << i;
    std::vector<size_t> positions = {k.size() / 2};
    for (size_t p = 0; p < 8 && p < k.size(); ++p) {
      positions.push_back(p);
      positions.push_back(k.size() - 1 - p);
    }
    for (size_t p : positions) {
      if (p >= k.size()) continue;
      for (char c : {'\0', 'Z', '\x80', '\xff'}) {
        std::string changed = k;
        changed[p] = c;
        EXPECT_EQ(table.Find(5, changed), StringTable::kAbsent)
            << i << " at " << p;
      }
    }
    if (!k.empty()) {
      // A prefix of another key of the table, but its own key there too:
      // the longer-by-one is the next key only when the bytes agree.
      std::string longer = k + "!";
      EXPECT_EQ(table.Find(5, longer), StringTable::kAbsent) << i;
    }
  }
}

// Keys of 17-300 bytes that share their first 8 and last 8 bytes and
// differ only in the middle, each in one byte.
TEST(StringTable, KeysSharingPrefixAndSuffixDifferInTheMiddle) {
  std::vector<std::string> keys;
  for (size_t len : {17u, 24u, 25u, 64u, 200u, 300u}) {
    for (size_t middle = 8; middle + 8 < len; middle += 3) {
      std::string k(len, 'm');
      k.replace(0, 8, "PREFIX__");
      k.replace(len - 8, 8, "__SUFFIX");
      k[middle] = '#';
      keys.push_back(k);
    }
  }
  std::vector<StringTable::Entry> entries;
  for (size_t i = 0; i < keys.size(); ++i) {
    entries.push_back({0, keys[i], static_cast<uint32_t>(i)});
  }
  const StringTable table = BuildOf(entries);
  for (size_t i = 0; i < keys.size(); ++i) {
    EXPECT_EQ(table.Find(0, keys[i]), i);
    std::string other = keys[i];
    other[keys[i].find('#')] = 'm';
    EXPECT_EQ(table.Find(0, other), StringTable::kAbsent);
  }
  // The middle enters the hash: most such keys get different hashes.
  absl::flat_hash_map<uint64_t, int> hashes;
  for (const std::string& k : keys) {
    ++hashes[StringTable::Hash(probing::SeedOf(0), 0, k.data(), k.size())];
  }
  EXPECT_EQ(hashes.size(), keys.size());
}

TEST(StringTable, BytesThatAreNotUtf8AndNuls) {
  const std::string nul("a\0b", 3);
  const std::string nul2("a\0c", 3);
  const std::string bad = "\xff\xfe\x80\xc0";
  const std::string chinese = "城市管理";
  const std::string cut = chinese.substr(0, 5);  // ends inside a character
  const StringTable table =
      BuildOf({{0, nul, 1}, {0, bad, 2}, {0, chinese, 3}, {0, cut, 4}});
  EXPECT_EQ(table.Find(0, nul), 1u);
  EXPECT_EQ(table.Find(0, nul2), StringTable::kAbsent);
  EXPECT_EQ(table.Find(0, std::string("a")), StringTable::kAbsent);
  EXPECT_EQ(table.Find(0, bad), 2u);
  EXPECT_EQ(table.Find(0, chinese), 3u);
  EXPECT_EQ(table.Find(0, cut), 4u);
  EXPECT_EQ(table.Find(0, chinese.substr(0, 6)), StringTable::kAbsent);
}

// Keys chosen so that all of them hash to the same home slot: one long
// probe chain. Every key is found; absent keys with the same home slot
// walk the chain to its end and are not.
TEST(StringTable, KeysSharingAHomeSlot) {
  constexpr size_t kKeys = 100;
  // 100 keys: the table has 256 slots, the home slot is hash >> 56.
  std::vector<std::string> chain;
  std::vector<std::string> absent;
  SplitMix64 rng(7);
  while (chain.size() < kKeys || absent.size() < kKeys) {
    const std::string k = absl::StrCat("code-", rng.Next());
    if (StringTable::Hash(probing::SeedOf(0), 3, k.data(), k.size()) >> 56 !=
        0x5a)
      continue;
    (chain.size() < kKeys ? chain : absent).push_back(k);
  }
  std::vector<StringTable::Entry> entries;
  for (size_t i = 0; i < chain.size(); ++i) {
    entries.push_back({3, chain[i], static_cast<uint32_t>(i)});
  }
  const StringTable table = BuildOf(entries);
  // A chain of 100 is within probing::kMaxRun: the first seed is kept.
  EXPECT_EQ(table.attempt(), 0);
  for (size_t i = 0; i < chain.size(); ++i) {
    EXPECT_EQ(table.Find(3, chain[i]), i);
  }
  for (const std::string& k : absent) {
    EXPECT_EQ(table.Find(3, k), StringTable::kAbsent) << k;
  }
}

// Codes piled onto one run under the first seed (the 40-second compile of
// 400,000 such item codes): the build gives that seed up at the first
// insertion that probes past probing::kMaxRun and settles on the next.
TEST(StringTable, KeysCollidingUnderOneSeedMoveToTheNext) {
  // 1,000 keys: 2,048 slots.
  const std::vector<std::string> keys =
      KeysAgainstSeeds("item-", 9, 1, 1000, 2048);
  std::vector<StringTable::Entry> entries;
  for (size_t i = 0; i < keys.size(); ++i) {
    entries.push_back({9, keys[i], static_cast<uint32_t>(i)});
  }
  const StringTable table = BuildOf(entries);
  EXPECT_EQ(table.attempt(), 1);
  EXPECT_EQ(table.size(), keys.size());
  for (size_t i = 0; i < keys.size(); ++i) {
    ASSERT_EQ(table.Find(9, keys[i]), i);
    ASSERT_EQ(table.Find(8, keys[i]), StringTable::kAbsent);
    ASSERT_EQ(table.Find(9, keys[i] + "0"), StringTable::kAbsent);
  }
}

// Keys chosen against every seed: the table searches them in sorted order,
// with the same answers — the earlier of equal keys kept, other scopes and
// near keys absent, and no allocation per lookup.
TEST(StringTable, KeysChosenAgainstEverySeedAreSearchedInOrder) {
  JICENG_TEST_NEEDS_ALLOCATION_COUNTING();
  // 8 * 150 keys, plus 7 of another scope and a repeat: 4,096 slots.
  const std::vector<std::string> keys =
      KeysAgainstSeeds("item-", 2, probing::kAttempts, 150, 4096);
  std::vector<StringTable::Entry> entries;
  for (size_t i = 0; i < keys.size(); ++i) {
    entries.push_back({2, keys[i], static_cast<uint32_t>(i)});
  }
  for (uint32_t i = 0; i < 7; ++i) {
    entries.push_back({1, keys[i], 100000 + i});
  }
  entries.push_back({2, keys[5], 99});  // a repeat: ignored
  size_t duplicate = 0;
  const StringTable table = StringTable::Build(entries, &duplicate);
  EXPECT_EQ(duplicate, entries.size() - 1);
  EXPECT_EQ(table.attempt(), probing::kAttempts);
  EXPECT_EQ(table.size(), keys.size() + 7);
  std::vector<std::string> near;
  for (const std::string& k : keys) {
    near.push_back(k.substr(1));
    near.push_back(k + "x");
  }
  const int64_t before = jiceng_test::ThreadAllocationCount();
  for (size_t i = 0; i < keys.size(); ++i) {
    ASSERT_EQ(table.Find(2, keys[i]), i);
    ASSERT_EQ(table.Find(1, keys[i]),
              i < 7 ? 100000 + i : StringTable::kAbsent);
    ASSERT_EQ(table.Find(3, keys[i], 42), 42u);
  }
  for (const std::string& k : near) {
    ASSERT_EQ(table.Find(2, k), StringTable::kAbsent) << k;
  }
  EXPECT_EQ(table.Find(2, ""), StringTable::kAbsent);
  EXPECT_EQ(table.Find(0, "item-1"), StringTable::kAbsent);
  EXPECT_EQ(jiceng_test::ThreadAllocationCount(), before);
  // A copy answers the same.
  const StringTable copy = table;
  EXPECT_EQ(copy.Find(2, keys[3]), 3u);
}

// Honest keys at the highest load (exactly half the slots full) keep the
// first seed: its runs stay far below probing::kMaxRun.
TEST(StringTable, RandomKeysAtFullLoadKeepTheFirstSeed) {
  std::vector<std::string> keys;
  SplitMix64 rng(5);
  for (size_t i = 0; i < (size_t{1} << 18); ++i) {
    keys.push_back(absl::StrCat(320000000000 + i * 7, "-", rng.Next() % 97));
  }
  std::vector<StringTable::Entry> entries;
  for (size_t i = 0; i < keys.size(); ++i) {
    entries.push_back({0, keys[i], static_cast<uint32_t>(i)});
  }
  const StringTable table = BuildOf(entries);
  EXPECT_EQ(table.attempt(), 0);
  EXPECT_EQ(table.Find(0, keys[12345]), 12345u);
}

TEST(StringTable, AMillionAbsentKeys) {
  std::vector<std::string> keys;
  SplitMix64 rng(11);
  for (int i = 0; i < 5000; ++i) {
    keys.push_back(absl::StrCat(rng.Next() % 100000));
  }
  std::vector<StringTable::Entry> entries;
  size_t distinct = 0;
  absl::flat_hash_map<std::string, uint32_t> reference;
  for (const std::string& k : keys) {
    if (reference.emplace(k, static_cast<uint32_t>(distinct)).second) {
      entries.push_back({0, k, static_cast<uint32_t>(distinct++)});
    }
  }
  const StringTable table = BuildOf(entries);
  EXPECT_EQ(table.size(), distinct);
  for (int i = 0; i < 1000000; ++i) {
    // Mostly numbers like the keys (some present), some of other lengths.
    const std::string k = i % 4 == 0 ? absl::StrCat("x", rng.Next())
                                     : absl::StrCat(rng.Next() % 200000);
    auto it = reference.find(k);
    ASSERT_EQ(table.Find(0, k),
              it == reference.end() ? StringTable::kAbsent : it->second)
        << k;
  }
}

// Build allocates its slots and arena before filling either: when an
// allocation fails, it throws and leaves nothing behind (the sanitizer
// builds catch a leak).
TEST(StringTable, BuildThrowsCleanlyWhenAllocationFails) {
  JICENG_TEST_NEEDS_ALLOCATION_COUNTING();
  std::vector<std::string> keys;
  for (int i = 0; i < 100; ++i) {
    keys.push_back(absl::StrCat("a key long enough to allocate ", i));
  }
  std::vector<StringTable::Entry> entries;
  for (size_t i = 0; i < keys.size(); ++i) {
    entries.push_back({0, keys[i], static_cast<uint32_t>(i)});
  }
  int failures = 0;
  for (int64_t n = 0;; ++n) {
    size_t duplicate = 0;
    jiceng_test::FailNewAfter(n);
    try {
      const StringTable table = StringTable::Build(entries, &duplicate);
      jiceng_test::FailNewAfter(-1);
      EXPECT_EQ(table.Find(0, keys[42]), 42u);
      break;
    } catch (const std::bad_alloc&) {
      jiceng_test::FailNewAfter(-1);
      ++failures;
    }
  }
  EXPECT_GT(failures, 0);
}

}  // namespace
}  // namespace jiceng
