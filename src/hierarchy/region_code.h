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
// fewer than 3 or more than 18 digits.
absl::optional<uint64_t> RegionKeyFromNumber(uint64_t code);

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

}  // namespace jiceng

#endif  // JICENG_SRC_HIERARCHY_REGION_CODE_H_
