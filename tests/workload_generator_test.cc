// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0

#include "src/gen/workload_generator.h"

#include <algorithm>
#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "src/base/civil_date.h"
#include "src/engine/engine.h"
#include "src/gen/province_generator.h"
#include "src/routing/batch.h"
#include "src/routing/router.h"
#include "tests/status_matchers.h"

namespace jiceng {
namespace {

constexpr int64_t kCases = 40000;

class WorkloadTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dataset_ = new v1::Dataset(GenerateProvince(ProvinceOptions::Small()));
    WorkloadOptions options;
    options.cases = kCases;
    absl::StatusOr<std::string> s = GenerateWorkload(*dataset_, options);
    ASSERT_THAT(s.status(), IsOk());
    stream_ = new std::string(std::move(*s));
  }
  static void TearDownTestSuite() {
    delete dataset_;
    delete stream_;
  }

  static std::vector<v1::Case> Cases() {
    std::vector<absl::string_view> frames;
    EXPECT_THAT(SplitDelimited(*stream_, &frames), IsOk());
    std::vector<v1::Case> out(frames.size());
    for (size_t i = 0; i < frames.size(); ++i) {
      EXPECT_TRUE(out[i].ParseFromArray(frames[i].data(),
                                        static_cast<int>(frames[i].size())));
    }
    return out;
  }

  static v1::Dataset* dataset_;
  static std::string* stream_;
};

v1::Dataset* WorkloadTest::dataset_ = nullptr;
std::string* WorkloadTest::stream_ = nullptr;

// Within `tolerance` percentage points of `percent` of kCases.
::testing::AssertionResult Near(const char* what, int64_t count,
                                double percent, double tolerance) {
  const double got = 100.0 * static_cast<double>(count) / kCases;
  if (got >= percent - tolerance && got <= percent + tolerance) {
    return ::testing::AssertionSuccess();
  }
  return ::testing::AssertionFailure()
         << what << ": " << got << " %, want " << percent << " ± " << tolerance;
}

TEST_F(WorkloadTest, SameOptionsGiveTheSameBytes) {
  WorkloadOptions options;
  options.cases = kCases;
  absl::StatusOr<std::string> again = GenerateWorkload(*dataset_, options);
  ASSERT_THAT(again.status(), IsOk());
  EXPECT_TRUE(*again == *stream_);
  options.seed += 1;
  absl::StatusOr<std::string> other = GenerateWorkload(*dataset_, options);
  ASSERT_THAT(other.status(), IsOk());
  EXPECT_FALSE(*other == *stream_);
}

TEST_F(WorkloadTest, CountsIdsAndNoExtraLocations) {
  const std::vector<v1::Case> cases = Cases();
  ASSERT_EQ(cases.size(), static_cast<size_t>(kCases));
  EXPECT_EQ(cases.front().id(), "W0");
  EXPECT_EQ(cases.back().id(), "W39999");
  for (const v1::Case& c : cases) {
    ASSERT_EQ(c.extra_location_codes_size(), 0) << c.id();
  }
}

// About 1 % unknown codes (half location, half matter); everything else
// routes, so the stream measures decisions.
TEST_F(WorkloadTest, UnknownCodesAreAboutOnePercentAndTheRestRoute) {
  auto engine = Engine::Compile(*dataset_);
  ASSERT_THAT(engine.status(), IsOk());
  const Router router(**engine);
  int64_t unknown_location = 0, unknown_matter = 0, other_errors = 0;
  RouteResult r;
  for (const v1::Case& c : Cases()) {
    const absl::Status s = router.Route(c, &r);
    if (s.ok()) continue;
    ASSERT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
    if (s.message().find("location_code") != absl::string_view::npos) {
      ++unknown_location;
    } else if (s.message().find("matter_code") != absl::string_view::npos) {
      ++unknown_matter;
    } else {
      ++other_errors;
      ADD_FAILURE() << c.ShortDebugString() << ": " << s;
    }
  }
  EXPECT_TRUE(Near("unknown codes", unknown_location + unknown_matter, 1.0,
                   0.3));
  EXPECT_TRUE(Near("unknown locations", unknown_location, 0.5, 0.2));
  EXPECT_TRUE(Near("unknown matters", unknown_matter, 0.5, 0.2));
  EXPECT_EQ(other_errors, 0);
}

TEST_F(WorkloadTest, UrgencyMix) {
  std::map<int, int64_t> by_urgency;
  for (const v1::Case& c : Cases()) ++by_urgency[c.urgency()];
  EXPECT_TRUE(Near("urgent escalations (urgency 4)", by_urgency[4], 5.0, 0.6));
  EXPECT_TRUE(Near("urgency 1", by_urgency[1], 95 * 0.85, 1.5));
  EXPECT_EQ(by_urgency.size(), 5u);  // 0..4, nothing else
}

// Times: holidays, make-up days, rest days, out of hours and in hours of
// working days, in the documented shares; all in 2026.
TEST_F(WorkloadTest, TimesSpreadOverTheCalendar) {
  const v1::WorkCalendar& cal = dataset_->calendar();
  std::set<int32_t> holidays, makeups;
  for (const v1::Holiday& h : cal.holidays()) {
    for (int32_t d = *ParseIsoDate(h.first_date());
         d <= *ParseIsoDate(h.last_date()); ++d) {
      holidays.insert(d);
    }
  }
  for (const v1::MakeupWorkday& m : cal.makeup_workdays()) {
    makeups.insert(*ParseIsoDate(m.date()));
  }
  int64_t holiday = 0, makeup = 0, weekend = 0, out_of_hours = 0,
          in_hours = 0;
  const int32_t first = DaysFromCivil(2026, 1, 1);
  const int32_t last = DaysFromCivil(2026, 12, 31);
  for (const v1::Case& c : Cases()) {
    const int64_t local = c.reported_at() + cal.utc_offset_minutes() * 60;
    const auto day = static_cast<int32_t>(local / 86400);
    const int64_t minute = (local % 86400) / 60;
    ASSERT_GE(day, first);
    ASSERT_LE(day, last);
    bool working_hours = false;
    for (const v1::WorkingWindow& w : cal.windows()) {
      working_hours |= minute >= w.start_minute() && minute < w.end_minute();
    }
    if (makeups.count(day) > 0) {
      ++makeup;
    } else if (holidays.count(day) > 0) {
      ++holiday;
    } else if (IsoWeekday(day) >= 6) {
      ++weekend;
    } else if (working_hours) {
      ++in_hours;
    } else {
      ++out_of_hours;
    }
  }
  EXPECT_TRUE(Near("holidays", holiday, 10, 1));
  EXPECT_TRUE(Near("make-up days", makeup, 5, 1));
  EXPECT_TRUE(Near("rest days", weekend, 10, 1));
  EXPECT_TRUE(Near("out of hours", out_of_hours, 15, 1));
  EXPECT_TRUE(Near("in hours", in_hours, 60, 1.5));
}

// Zipf half: the hottest matter and grid get far more than a uniform share;
// the uniform half still reaches most of them.
TEST_F(WorkloadTest, ZipfMakesHotSpotsAndUniformCoversTheRest) {
  std::map<std::string, int64_t> matters;
  std::map<uint64_t, int64_t> locations;
  for (const v1::Case& c : Cases()) {
    ++matters[c.matter_code()];
    ++locations[c.location_code()];
  }
  int64_t hottest_matter = 0, hottest_location = 0;
  for (const auto& [m, n] : matters) hottest_matter = std::max(hottest_matter, n);
  for (const auto& [l, n] : locations) {
    hottest_location = std::max(hottest_location, n);
  }
  const int matter_count = dataset_->catalogue().matters_size();
  // Zipf(1) over 40 matters gives rank 1 about 23 % of its half.
  EXPECT_GT(hottest_matter, 5 * kCases / matter_count);
  EXPECT_GE(static_cast<int>(matters.size()), matter_count);  // + unknowns
  EXPECT_GT(hottest_location, 20 * kCases / 1500);
  EXPECT_GT(locations.size(), 1000u);
}

TEST_F(WorkloadTest, AttributesHaveTheirTypes) {
  int64_t with = 0;
  for (const v1::Case& c : Cases()) {
    if (c.attributes_size() > 0) ++with;
  }
  // 50 % of the cases draw attributes, each of 4 kept with 1/2.
  EXPECT_TRUE(Near("cases with attributes", with, 50 * (1 - 1.0 / 16), 1.5));
}

TEST(WorkloadOptions, OutOfRangeIsRefusedNamingTheField) {
  WorkloadOptions options;
  options.cases = 0;
  EXPECT_THAT(ValidateWorkloadOptions(options),
              StatusIs(absl::StatusCode::kInvalidArgument, "cases"));
  options = WorkloadOptions();
  options.holiday_percent = 60;
  options.out_of_hours_percent = 50;
  EXPECT_THAT(ValidateWorkloadOptions(options),
              StatusIs(absl::StatusCode::kInvalidArgument, "sum to 125"));
  v1::Dataset empty;
  EXPECT_THAT(GenerateWorkload(empty, WorkloadOptions()).status(),
              StatusIs(absl::StatusCode::kInvalidArgument, "calendar"));
}

}  // namespace
}  // namespace jiceng
