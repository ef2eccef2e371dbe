// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0

#include "src/hierarchy/region_code.h"

#include <algorithm>
#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace jiceng {
namespace {

TEST(RegionCode, RoundTripsEveryLength) {
  for (const std::string code :
       {"320", "320116001001", "32011600100101", "320116001001001",
        "3201160010010101", "32011600100101011", "320116001001010111",
        "999999999999999999"}) {
    auto key = RegionKeyFromCode(code);
    ASSERT_TRUE(key.has_value()) << code;
    EXPECT_EQ(CodeLength(*key), static_cast<int>(code.size()));
    EXPECT_EQ(CodeFromRegionKey(*key), code);
    EXPECT_EQ(RegionKeyFromNumber(std::stoull(code)), key);
    EXPECT_EQ(CodeNumberFromRegionKey(*key), std::stoull(code));
  }
}

TEST(RegionCode, RejectsMalformed) {
  for (const std::string code :
       {"", "32", "0320116001001", "32011600100a", "3201160010010101234",
        " 320116001001", "-320116001001"}) {
    EXPECT_FALSE(RegionKeyFromCode(code).has_value()) << code;
  }
  EXPECT_FALSE(RegionKeyFromNumber(0).has_value());
  EXPECT_FALSE(RegionKeyFromNumber(99).has_value());
  EXPECT_FALSE(RegionKeyFromNumber(1000000000000000000ull).has_value());
}

// Every position of every length, with every kind of non-digit byte: the
// eight-at-a-time parse must reject exactly what the byte-wise one would.
TEST(RegionCode, RejectsANonDigitAnywhere) {
  const std::string digits = "320116001001010111";
  for (size_t len = 3; len <= digits.size(); ++len) {
    for (size_t pos = 1; pos < len; ++pos) {
      for (char bad : {'/', ':', 'a', ' ', '\x80', '\xe5', '\0', '\xff'}) {
        std::string code = digits.substr(0, len);
        code[pos] = bad;
        EXPECT_FALSE(RegionKeyFromCode(code).has_value())
            << len << " " << pos << " " << static_cast<int>(bad);
      }
    }
    EXPECT_TRUE(RegionKeyFromCode(digits.substr(0, len)).has_value()) << len;
  }
}

// RegionKeyFromNumber (a digit count from the highest set bit) against
// the string path, at every power of ten and its neighbours and at random
// numbers of every length.
TEST(RegionCode, NumberKeysAgreeWithStringKeys) {
  std::vector<uint64_t> numbers;
  uint64_t p = 1;
  for (int digits = 1; digits <= 20; ++digits) {
    for (uint64_t d : {p - 1, p, p + 1, 2 * p - 1, 2 * p, 5 * p, 9 * p}) {
      numbers.push_back(d);
    }
    if (digits < 20) p *= 10;
  }
  numbers.push_back(~uint64_t{0});
  uint64_t x = 0x9E3779B97F4A7C15ull;
  for (int i = 0; i < 100000; ++i) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    numbers.push_back(x >> (i % 64));
  }
  for (uint64_t n : numbers) {
    const std::string code = std::to_string(n);
    EXPECT_EQ(RegionKeyFromNumber(n), RegionKeyFromCode(code)) << code;
  }
}

TEST(RegionCode, SegmentsAndPrefixes) {
  const uint64_t village = *RegionKeyFromCode("320116001201");
  EXPECT_EQ(CodeDigits(village, 0, kProvinceEnd), 32u);
  EXPECT_EQ(CodeDigits(village, kProvinceEnd, kCityEnd), 1u);
  EXPECT_EQ(CodeDigits(village, kCityEnd, kCountyEnd), 16u);
  EXPECT_EQ(CodeDigits(village, kCountyEnd, kTownshipEnd), 1u);
  EXPECT_EQ(CodeDigits(village, kTownshipEnd, kVillageEnd), 201u);
  EXPECT_TRUE(CodeZeroFrom(*RegionKeyFromCode("320116000000"), kCountyEnd));
  EXPECT_FALSE(CodeZeroFrom(village, kCountyEnd));
  const uint64_t grid = *RegionKeyFromCode("32011600120103");
  EXPECT_TRUE(CodeExtends(grid, village));
  EXPECT_FALSE(CodeExtends(village, grid));
  EXPECT_FALSE(CodeExtends(*RegionKeyFromCode("32011600120203"), village));
}

// Sorting keys gives the hierarchy's pre-order: a parent first, then its
// subtree, before the parent's next sibling — also with 14- and 16-digit
// codes interleaved with 12-digit ones.
TEST(RegionCode, KeyOrderIsPreorder) {
  const std::vector<std::string> preorder = {
      "320000000000", "320100000000", "320116000000", "320116001000",
      "320116001001", "32011600100101", "3201160010010101",
      "3201160010010102", "32011600100102", "320116001002",
      "320116002000", "320116002001", "320116002001001", "320117000000"};
  std::vector<uint64_t> keys;
  for (const auto& c : preorder) keys.push_back(*RegionKeyFromCode(c));
  EXPECT_TRUE(std::is_sorted(keys.begin(), keys.end()));
}

}  // namespace
}  // namespace jiceng
