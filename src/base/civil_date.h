// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0
//
// Internal header: not installed, not part of the stable API.
//
// Civil dates as day numbers (days since 1970-01-01, proleptic Gregorian),
// and the strict "YYYY-MM-DD" form the dataset uses.
//
// Example:
//   absl::optional<int32_t> day = ParseIsoDate("2026-10-01");  // 20362
//   FormatIsoDate(*day) == "2026-10-01"; IsoWeekday(*day) == 4 (Thursday)

#ifndef JICENG_SRC_BASE_CIVIL_DATE_H_
#define JICENG_SRC_BASE_CIVIL_DATE_H_

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"
#include "absl/types/optional.h"

namespace jiceng {

// Years outside [kMinYear, kMaxYear] are refused by ParseIsoDate.
inline constexpr int kMinYear = 1900;
inline constexpr int kMaxYear = 9999;

// The latest instant a case, a service request or a record may hold:
// 9999-12-31T23:59:59Z, in unix seconds (the earliest is 1970-01-01).
inline constexpr int64_t kMaxInstant = 253402300799;

// Days since 1970-01-01 of a valid civil date. REQUIRES: a valid date.
int32_t DaysFromCivil(int year, int month, int day);

// The civil date of a day number.
void CivilFromDays(int32_t days, int* year, int* month, int* day);

// Parses exactly "YYYY-MM-DD" (a real date, year in [kMinYear, kMaxYear]);
// nullopt for anything else.
absl::optional<int32_t> ParseIsoDate(absl::string_view text);

std::string FormatIsoDate(int32_t days);

// ISO weekday: 1 = Monday … 7 = Sunday.
int IsoWeekday(int32_t days);

}  // namespace jiceng

#endif  // JICENG_SRC_BASE_CIVIL_DATE_H_
