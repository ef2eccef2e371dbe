// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0
//
// Internal header: not installed, not part of the stable API.
//
// The shapes of the dataset's identifiers, shared by every validator:
//   IsIdentifier   unit, item, rule, delegation, police-grid codes: 1–64
//                  characters of A-Z, a-z, 0-9 and - _ . :
//   IsSnakeKey     department-type codes and attribute keys: 1–64
//                  characters of a-z, 0-9 and _
//   ElementCode    the code to name an element by in a problem: the code,
//                  or "#index" when it is empty.

#ifndef JICENG_SRC_DATASET_IDENTIFIERS_H_
#define JICENG_SRC_DATASET_IDENTIFIERS_H_

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace jiceng {

inline bool IsIdentifier(absl::string_view s) {
  if (s.empty() || s.size() > 64) return false;
  for (char c : s) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                    (c >= '0' && c <= '9') || c == '-' || c == '_' ||
                    c == '.' || c == ':';
    if (!ok) return false;
  }
  return true;
}

inline bool IsSnakeKey(absl::string_view s) {
  if (s.empty() || s.size() > 64) return false;
  for (char c : s) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) {
      return false;
    }
  }
  return true;
}

inline std::string ElementCode(absl::string_view code, int index) {
  return code.empty() ? absl::StrCat("#", index) : std::string(code);
}

}  // namespace jiceng

#endif  // JICENG_SRC_DATASET_IDENTIFIERS_H_
