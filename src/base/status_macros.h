// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0
//
// Internal header: not installed, not part of the stable API.
//
// JC_RETURN_IF_ERROR / JC_ASSIGN_OR_RETURN: Abseil 20220623 ships neither.
//
// Example:
//   JC_ASSIGN_OR_RETURN(Date d, ParseDate(text));
//   JC_RETURN_IF_ERROR(Check(d));

#ifndef JICENG_SRC_BASE_STATUS_MACROS_H_
#define JICENG_SRC_BASE_STATUS_MACROS_H_

#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

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

#endif  // JICENG_SRC_BASE_STATUS_MACROS_H_
