// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0
//
// Internal header: not installed, not part of the stable API.
//
// protobuf's JSON parser reports an error on three lines: the reason, an
// excerpt of the input around the error, and a caret under its place:
//
//   Unexpected token.
//   x}
//   ^
//
// Error messages here are one line (a log line, a JSON-lines error entry,
// a Python exception's first line): JsonErrorLine gives
// `Unexpected token. at "x}"` (the excerpt from the caret on).

#ifndef JICENG_SRC_BASE_JSON_ERROR_H_
#define JICENG_SRC_BASE_JSON_ERROR_H_

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"

namespace jiceng {

// `message` on one line: the three-line form as above; any other line
// breaks become "; ".
inline std::string JsonErrorLine(absl::string_view message) {
  std::vector<absl::string_view> lines = absl::StrSplit(message, '\n');
  while (!lines.empty() && lines.back().empty()) lines.pop_back();
  if (lines.size() == 3) {
    const size_t caret = lines[2].find('^');
    if (caret != absl::string_view::npos &&
        lines[2].find_first_not_of(' ') == caret) {
      const absl::string_view excerpt =
          caret < lines[1].size() ? lines[1].substr(caret) : lines[1];
      return absl::StrCat(lines[0], " at \"", excerpt, "\"");
    }
  }
  return absl::StrJoin(lines, "; ");
}

}  // namespace jiceng

#endif  // JICENG_SRC_BASE_JSON_ERROR_H_
