// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0

#include "src/assessment/report_table.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "src/assessment/assess.h"
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
  EXPECT_THAT(text, HasSubstr("response 87.50%  resolution 83.33%  "
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
