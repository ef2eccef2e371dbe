// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0
//
// Internal header: not installed, not part of the stable API.
//
// JC_RETURN_IF_ERROR / JC_ASSIGN_OR_RETURN: Abseil 20220623 ships neither.
// WithContext: an error with what it was about ahead of its message.
// NotSetError: the error for a required field left at its default.
//
// Example:
//   JC_ASSIGN_OR_RETURN(Date d, ParseDate(text));
//   JC_RETURN_IF_ERROR(Check(d));
//   if (!s.ok()) return WithContext("reported_at", s);  // "reported_at: ..."
//   if (c.matter_code().empty()) {
//     return NotSetError("matter_code", "give the code of the case's matter");
//   }

#ifndef JICENG_SRC_BASE_STATUS_MACROS_H_
#define JICENG_SRC_BASE_STATUS_MACROS_H_

#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

#define JC_RETURN_IF_ERROR(expr)                   \
  do {                                             \
    ::absl::Status jc_status_ = (expr);            \
    if (!jc_status_.ok()) return jc_status_;       \
  } while (false)

#define JC_STATUS_CONCAT_INNER_(a, b) a##b
#define JC_STATUS_CONCAT_(a, b) JC_STATUS_CONCAT_INNER_(a, b)

#define JC_ASSIGN_OR_RETURN(lhs, expr) \
  JC_ASSIGN_OR_RETURN_IMPL_(JC_STATUS_CONCAT_(jc_statusor_, __LINE__), lhs, expr)

#define JC_ASSIGN_OR_RETURN_IMPL_(statusor, lhs, expr) \
  auto statusor = (expr);                              \
  if (!statusor.ok()) return std::move(statusor).status(); \
  lhs = std::move(statusor).value()

namespace jiceng {

// `s` with "context: " ahead of its message, its code kept. REQUIRES: !s.ok().
inline absl::Status WithContext(absl::string_view context,
                                const absl::Status& s) {
  return absl::Status(s.code(), absl::StrCat(context, ": ", s.message()));
}

// INVALID_ARGUMENT "field: not set; what_to_give": a required field left
// unset says so, rather than naming its default value (0, "") as if it
// had been given.
inline absl::Status NotSetError(absl::string_view field,
                                absl::string_view what_to_give) {
  return absl::InvalidArgumentError(
      absl::StrCat(field, ": not set; ", what_to_give));
}

}  // namespace jiceng

#endif  // JICENG_SRC_BASE_STATUS_MACROS_H_
