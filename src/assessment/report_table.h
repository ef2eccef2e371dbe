// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0
//
// Internal header: not installed, not part of the stable API.
//
// The readable text of an AssessmentReport, as `jiceng assess` prints it:
// the period, the totals and their rates, the tier shares, townships, units,
// the worst overdue units and the reverse evaluation of departments. Long
// sections stop after `max_rows` rows and say how many more there are.
// Names go last on each row: CJK text has no fixed width.
//
// Example:
//   std::cout << FormatAssessmentTable(report, /*utc_offset_minutes=*/480);
//   // assessment: 12 records, dataset 2026.1
//   // period    2026-03-01 00:00 .. 2026-04-01 00:00 (UTC+08:00) ...
//
// Thread safety: pure functions.

#ifndef JICENG_SRC_ASSESSMENT_REPORT_TABLE_H_
#define JICENG_SRC_ASSESSMENT_REPORT_TABLE_H_

#include <cstdint>
#include <string>

#include "jiceng/v1/assessment.pb.h"

namespace jiceng {

std::string FormatAssessmentTable(const v1::AssessmentReport& report,
                                  int utc_offset_minutes, int max_rows = 40);

// "2026-03-01 08:00" in local time (UTC + utc_offset_minutes); "-" for 0;
// "unix time 1000000000000000" for an instant whose local date falls
// outside the years 0001 to 9999. Total: any int64 and any offset.
std::string FormatLocalMinute(int64_t unix_seconds, int utc_offset_minutes);

// "UTC+08:00".
std::string FormatUtcOffset(int utc_offset_minutes);

// "grid", "village", "township", "county", "" otherwise.
const char* TierName(v1::HandlingTier tier);

}  // namespace jiceng

#endif  // JICENG_SRC_ASSESSMENT_REPORT_TABLE_H_
