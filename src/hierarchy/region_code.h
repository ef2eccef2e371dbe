// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0
//
// Internal header: not installed, not part of the stable API.
//
// Region codes as 64-bit keys. A code is 3–18 ASCII digits without a leading
// zero. Its key is the code right-padded with zeros to 18 digits, times 16,
// plus the code's length minus 3 (so that 18 digits still fit in 4 bits, and
// 10^18 * 16 in 64 bits):
//
//   "320116001001"   -> 320116001001000000 * 16 + 9
//   "32011600100101" -> 320116001001010000 * 16 + 11
//
// Because every child code extends its parent's code with a non-zero
// segment, sorting keys gives the hierarchy's pre-order, and a code's
// segments (province 2, city 2, county 2, township 3, village 3, grid 2–3,
// micro grid 2–3 digits) are read from the key without string work.
//
// Example:
//   absl::optional<uint64_t> key = RegionKeyFromCode("320116001001");
//   CodeFromRegionKey(*key) == "320116001001";
//   CodeDigits(*key, 6, 9) == 1  // the township digits "001"

#ifndef JICENG_SRC_HIERARCHY_REGION_CODE_H_
#define JICENG_SRC_HIERARCHY_REGION_CODE_H_

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"
#include "absl/types/optional.h"

namespace jiceng {

inline constexpr int kMinCodeDigits = 3;
inline constexpr int kMaxCodeDigits = 18;
// Digit positions of the statistical code's segments: [begin, end).
inline constexpr int kProvinceEnd = 2;
inline constexpr int kCityEnd = 4;
inline constexpr int kCountyEnd = 6;
inline constexpr int kTownshipEnd = 9;
inline constexpr int kVillageEnd = 12;

// The key of a code, or nullopt unless `code` is 3–18 digits with no
// leading zero.
absl::optional<uint64_t> RegionKeyFromCode(absl::string_view code);

// The key of an integer code (e.g. 320116001001). nullopt for a value of
// fewer than 3 or more than 18 digits. Inline, without a loop: every routed
// case starts here.
inline absl::optional<uint64_t> RegionKeyFromNumber(uint64_t code);

// The number of digits of the key's code.
inline int CodeLength(uint64_t key) {
  return static_cast<int>(key & 15u) + kMinCodeDigits;
}

// The code's digits padded to 18 digits (the key without its length).
inline uint64_t PaddedCode(uint64_t key) { return key >> 4; }

// The code as a string.
std::string CodeFromRegionKey(uint64_t key);

// Writes the code's CodeLength(key) digits to `out` (no terminator) and
// returns their number. REQUIRES: `out` has room for kMaxCodeDigits chars.
int WriteCodeDigits(uint64_t key, char* out);

// The code as an integer (e.g. 320116001001).
uint64_t CodeNumberFromRegionKey(uint64_t key);

// The value of digits [begin, end) of the padded code (0-based positions).
// REQUIRES: 0 <= begin < end <= 18.
uint64_t CodeDigits(uint64_t key, int begin, int end);

// Whether digits [begin, 18) of the padded code are all zero.
bool CodeZeroFrom(uint64_t key, int begin);

// Whether `child`'s code starts with `parent`'s code.
bool CodeExtends(uint64_t child, uint64_t parent);

namespace region_code_internal {

inline constexpr uint64_t kPow10[] = {1ull,
                                      10ull,
                                      100ull,
                                      1000ull,
                                      10000ull,
                                      100000ull,
                                      1000000ull,
                                      10000000ull,
                                      100000000ull,
                                      1000000000ull,
                                      10000000000ull,
                                      100000000000ull,
                                      1000000000000ull,
                                      10000000000000ull,
                                      100000000000000ull,
                                      1000000000000000ull,
                                      10000000000000000ull,
                                      100000000000000000ull,
                                      1000000000000000000ull};

// Per digit count n (3..18): 10^(18 - n) * 16, the factor that pads an
// n-digit code to 18 digits and makes room for the length.
inline constexpr uint64_t kPadTimes16[] = {
    0, 0, 0,
    kPow10[15] * 16, kPow10[14] * 16, kPow10[13] * 16, kPow10[12] * 16,
    kPow10[11] * 16, kPow10[10] * 16, kPow10[9] * 16,  kPow10[8] * 16,
    kPow10[7] * 16,  kPow10[6] * 16,  kPow10[5] * 16,  kPow10[4] * 16,
    kPow10[3] * 16,  kPow10[2] * 16,  kPow10[1] * 16,  kPow10[0] * 16};

}  // namespace region_code_internal

inline absl::optional<uint64_t> RegionKeyFromNumber(uint64_t code) {
  using region_code_internal::kPadTimes16;
  using region_code_internal::kPow10;
  // code in [10^2, 10^18), in one unsigned comparison.
  if (code - kPow10[kMinCodeDigits - 1] >=
      kPow10[kMaxCodeDigits] - kPow10[kMinCodeDigits - 1]) {
    return absl::nullopt;
  }
  // Digits: floor(log10(code)) + 1. bits * 1233 / 4096 (1233 / 4096 just
  // above log10(2)) is floor(log10(2^bits)), which is the digit count or
  // one less; one comparison settles it.
  const int bits = 64 - __builtin_clzll(code);
  int len = (bits * 1233) >> 12;
  len += code >= kPow10[len] ? 1 : 0;
  return code * kPadTimes16[len] + static_cast<uint64_t>(len - kMinCodeDigits);
}

}  // namespace jiceng

#endif  // JICENG_SRC_HIERARCHY_REGION_CODE_H_
