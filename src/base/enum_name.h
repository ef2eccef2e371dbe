// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0
//
// Internal header: not installed, not part of the stable API.
//
// Readable enum names: "COUNTY" from HANDLING_TIER_COUNTY. protobuf's
// X_Name() returns "" for a value the enum does not define, and cutting a
// prefix off "" throws std::out_of_range; such values are refused at the
// boundary (src/dataset/enum_check.h), and this prints the number should
// one still reach a message being formatted.

#ifndef JICENG_SRC_BASE_ENUM_NAME_H_
#define JICENG_SRC_BASE_ENUM_NAME_H_

#include <cstddef>
#include <string>

#include "absl/strings/str_cat.h"

namespace jiceng {

// `name` (an X_Name() result) without its first `prefix` characters, or
// `value` as a number when the name is not that long.
inline std::string EnumSuffix(const std::string& name, size_t prefix,
                              int value) {
  return name.size() > prefix ? name.substr(prefix) : absl::StrCat(value);
}

}  // namespace jiceng

#endif  // JICENG_SRC_BASE_ENUM_NAME_H_
