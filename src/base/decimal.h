// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0
//
// Internal header: not installed, not part of the stable API.
//
// Decimal numbers as datasets and cases write them ("12", "-3", "2.5",
// "1e3"). strtod and absl::SimpleAtod accept more: leading spaces, a '+',
// hexadecimal ("0x10" is 16), "inf" and "nan". An attribute value read
// that way would match a rule its author never meant, so the text is
// checked first.

#ifndef JICENG_SRC_BASE_DECIMAL_H_
#define JICENG_SRC_BASE_DECIMAL_H_

#include <cmath>

#include "absl/strings/numbers.h"
#include "absl/strings/string_view.h"

namespace jiceng {

// An optional '-', one or more digits, optionally '.' and one or more
// digits, optionally 'e' or 'E', an optional sign and one or more digits;
// nothing else.
inline bool IsDecimalNumber(absl::string_view s) {
  size_t i = 0;
  auto digits = [&]() {
    const size_t from = i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    return i > from;
  };
  if (i < s.size() && s[i] == '-') ++i;
  if (!digits()) return false;
  if (i < s.size() && s[i] == '.') {
    ++i;
    if (!digits()) return false;
  }
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    if (!digits()) return false;
  }
  return i == s.size();
}

// A decimal number (IsDecimalNumber) whose value is finite.
inline bool ParseDecimalNumber(absl::string_view s, double* out) {
  return IsDecimalNumber(s) && absl::SimpleAtod(s, out) && std::isfinite(*out);
}

}  // namespace jiceng

#endif  // JICENG_SRC_BASE_DECIMAL_H_
