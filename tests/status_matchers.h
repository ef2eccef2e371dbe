// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0
//
// IsOk() and StatusIs(code, substring): Abseil 20220623 ships no status
// matchers. They accept absl::Status and absl::StatusOr<T>.
//
// Example:
//   EXPECT_THAT(ParseDataset("{", DatasetFormat::kJson),
//               StatusIs(absl::StatusCode::kInvalidArgument, "JSON"));

#ifndef JICENG_TESTS_STATUS_MATCHERS_H_
#define JICENG_TESTS_STATUS_MATCHERS_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "gmock/gmock.h"

namespace jiceng {
namespace testing_internal {

inline const absl::Status& GetStatus(const absl::Status& s) { return s; }
template <typename T>
const absl::Status& GetStatus(const absl::StatusOr<T>& s) {
  return s.status();
}

}  // namespace testing_internal

MATCHER(IsOk, "is OK") {
  const absl::Status& s = testing_internal::GetStatus(arg);
  if (!s.ok()) *result_listener << "status is " << s;
  return s.ok();
}

MATCHER_P2(StatusIs, code, substring,
           std::string("has code ") + absl::StatusCodeToString(code) +
               " and a message containing \"" + std::string(substring) +
               "\"") {
  const absl::Status& s = testing_internal::GetStatus(arg);
  *result_listener << "status is " << s;
  return s.code() == code &&
         absl::StrContains(s.message(), std::string(substring));
}

}  // namespace jiceng

#endif  // JICENG_TESTS_STATUS_MATCHERS_H_
