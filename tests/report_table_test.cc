// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0

#include "src/assessment/report_table.h"

#include <cstdint>
#include <limits>
#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "src/assessment/assess.h"
#include "src/base/civil_date.h"
#include "tests/assessment_fixture.h"
#include "tests/status_matchers.h"

namespace jiceng {
namespace {

using ::testing::HasSubstr;

TEST(ReportTable, LocalTimes) {
  EXPECT_EQ(FormatLocalMinute(kMarchStart, 480), "2026-03-01 00:00");
  EXPECT_EQ(FormatLocalMinute(kMarchStart, 0), "2026-02-28 16:00");
  EXPECT_EQ(FormatLocalMinute(-60, 0), "1969-12-31 23:59");
  EXPECT_EQ(FormatLocalMinute(0, 480), "-");
  EXPECT_EQ(FormatUtcOffset(480), "UTC+08:00");
  EXPECT_EQ(FormatUtcOffset(-90), "UTC-01:30");
}

TEST(ReportTable, LocalTimesAreTotal) {
  // The years 0001 to 9999 as dates, in local time; the rest as unix
  // seconds, whatever the offset (no overflow, no wrapped day number).
  const int64_t kMax = std::numeric_limits<int64_t>::max();
  const int64_t kMin = std::numeric_limits<int64_t>::min();
  for (int offset : {-840, 0, 480, 840}) {
    EXPECT_EQ(FormatLocalMinute(kMax, offset), "unix time 9223372036854775807");
    EXPECT_EQ(FormatLocalMinute(kMin, offset),
              "unix time -9223372036854775808");
    EXPECT_EQ(FormatLocalMinute(kMax - 100, offset),
              absl::StrCat("unix time ", kMax - 100));
    EXPECT_EQ(FormatLocalMinute(kMin + 100, offset),
              absl::StrCat("unix time ", kMin + 100));
  }
  EXPECT_EQ(FormatLocalMinute(1000000000000000, 480),
            "unix time 1000000000000000");
  EXPECT_EQ(FormatLocalMinute(-1000000000000000, 480),
            "unix time -1000000000000000");
  // The last minute of 9999 and the first of year 1, local time.
  const int64_t end = (int64_t{DaysFromCivil(9999, 12, 31)} + 1) * 86400;
  const int64_t first = int64_t{DaysFromCivil(1, 1, 1)} * 86400;
  EXPECT_EQ(FormatLocalMinute(end - 60 - 480 * 60, 480), "9999-12-31 23:59");
  EXPECT_EQ(FormatLocalMinute(end - 480 * 60, 480),
            absl::StrCat("unix time ", end - 480 * 60));
  EXPECT_EQ(FormatLocalMinute(first + 480 * 60, -480), "0001-01-01 00:00");
  EXPECT_EQ(FormatLocalMinute(first + 480 * 60 - 1, -480),
            absl::StrCat("unix time ", first + 480 * 60 - 1));
}

TEST(ReportTable, ShowsTheFigures) {
  std::unique_ptr<const Engine> engine = TinyAssessmentEngine();
  absl::StatusOr<v1::AssessmentReport> r =
      Assess(*engine, FixedAssessRequest());
  ASSERT_THAT(r, IsOk());
  const std::string text = FormatAssessmentTable(*r, 480);
  EXPECT_THAT(text, HasSubstr("assessment: 10 records, dataset 1\n"));
  EXPECT_THAT(text, HasSubstr("period    2026-03-01 00:00 .. 2026-04-01 00:00 "
                              "(UTC+08:00)"));
  EXPECT_THAT(text, HasSubstr("not counted: 1 outside the period, 1 merged "
                              "duplicates; 2 unknown code references"));
  EXPECT_THAT(text, HasSubstr("response 87.50%  closure 75.00%  "
                              "resolution 83.33%  "
                              "satisfaction 80.00%  on-time 66.67%  return "
                              "12.50%  rework 16.67%"));
  EXPECT_THAT(text, HasSubstr("  grid            2   33.33%  #############\n"));
  EXPECT_THAT(text, HasSubstr("72.50  320116001000  雄州街道\n"));
  EXPECT_THAT(text, HasSubstr("dispatched 8 (0 awaiting a response not yet "
                              "due), closed 6"));
  EXPECT_THAT(text, HasSubstr("      1 overdue of     1 open"));
  EXPECT_THAT(text, HasSubstr("   75.00 from    2 ratings  LH-CG  城管局\n"));
  EXPECT_THAT(text, HasSubstr("decision.lead NO-SUCH-UNIT: 1 records"));
}

TEST(ReportTable, LimitsRows) {
  std::unique_ptr<const Engine> engine = TinyAssessmentEngine();
  absl::StatusOr<v1::AssessmentReport> r =
      Assess(*engine, FixedAssessRequest());
  ASSERT_THAT(r, IsOk());
  const std::string text = FormatAssessmentTable(*r, 480, /*max_rows=*/1);
  EXPECT_THAT(text, HasSubstr("... 1 more (see --json or --html)"));  // towns
  EXPECT_THAT(text, HasSubstr("... 6 more (see --json or --html)"));  // units
}

}  // namespace
}  // namespace jiceng
