// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0

#include "src/base/civil_date.h"

#include "gtest/gtest.h"

namespace jiceng {
namespace {

TEST(CivilDate, EpochAndKnownDays) {
  EXPECT_EQ(DaysFromCivil(1970, 1, 1), 0);
  EXPECT_EQ(DaysFromCivil(2026, 1, 1), 20454);
  EXPECT_EQ(FormatIsoDate(20454), "2026-01-01");
  EXPECT_EQ(IsoWeekday(DaysFromCivil(2026, 1, 1)), 4);   // Thursday
  EXPECT_EQ(IsoWeekday(DaysFromCivil(2026, 1, 4)), 7);   // Sunday
  EXPECT_EQ(IsoWeekday(DaysFromCivil(2026, 2, 14)), 6);  // Saturday
  EXPECT_EQ(IsoWeekday(DaysFromCivil(1969, 12, 31)), 3);
}

TEST(CivilDate, RoundTripsEveryDayOfFourCenturies) {
  for (int32_t d = DaysFromCivil(1900, 1, 1); d <= DaysFromCivil(2300, 12, 31);
       ++d) {
    int y, m, day;
    CivilFromDays(d, &y, &m, &day);
    ASSERT_EQ(DaysFromCivil(y, m, day), d);
    ASSERT_EQ(ParseIsoDate(FormatIsoDate(d)), d);
  }
}

TEST(CivilDate, ParseIsStrict) {
  EXPECT_TRUE(ParseIsoDate("2024-02-29").has_value());
  EXPECT_FALSE(ParseIsoDate("2026-02-29").has_value());
  EXPECT_FALSE(ParseIsoDate("1900-02-29").has_value());
  EXPECT_TRUE(ParseIsoDate("2000-02-29").has_value());
  EXPECT_FALSE(ParseIsoDate("2026-13-01").has_value());
  EXPECT_FALSE(ParseIsoDate("2026-1-01").has_value());
  EXPECT_FALSE(ParseIsoDate("2026/01/01").has_value());
  EXPECT_FALSE(ParseIsoDate("2026-01-01T00").has_value());
  EXPECT_FALSE(ParseIsoDate("").has_value());
  EXPECT_FALSE(ParseIsoDate("1899-12-31").has_value());
  EXPECT_TRUE(ParseIsoDate("9999-12-31").has_value());
  EXPECT_FALSE(ParseIsoDate("+026-01-01").has_value());
}

}  // namespace
}  // namespace jiceng
