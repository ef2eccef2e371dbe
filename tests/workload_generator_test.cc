// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0

#include "src/gen/workload_generator.h"

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "src/base/civil_date.h"
#include "src/dataset/validate.h"
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

// The stream handed out in pieces is the string's bytes, in pieces of whole
// cases of at least kWorkloadPieceBytes (but the last).
TEST_F(WorkloadTest, PiecesAreTheSameBytesInWholeCases) {
  WorkloadOptions options;
  options.cases = kCases;
  std::string joined;
  std::vector<size_t> sizes;
  ASSERT_THAT(GenerateWorkload(*dataset_, options,
                               [&](absl::string_view piece) {
                                 std::vector<absl::string_view> frames;
                                 EXPECT_THAT(SplitDelimited(piece, &frames),
                                             IsOk());
                                 sizes.push_back(piece.size());
                                 joined.append(piece.data(), piece.size());
                                 return absl::OkStatus();
                               }),
              IsOk());
  EXPECT_TRUE(joined == *stream_);
  ASSERT_GE(sizes.size(), 2u);  // 40,000 cases: about 2 MB
  for (size_t k = 0; k + 1 < sizes.size(); ++k) {
    EXPECT_GE(sizes[k], kWorkloadPieceBytes);
    EXPECT_LT(sizes[k], kWorkloadPieceBytes + 1000);
  }
}

// A sink that fails stops the generation at once, with its error.
TEST_F(WorkloadTest, SinkErrorStopsTheGeneration) {
  WorkloadOptions options;
  options.cases = 100000000;  // would take minutes
  int pieces = 0;
  EXPECT_THAT(GenerateWorkload(*dataset_, options,
                               [&](absl::string_view) {
                                 return ++pieces == 2
                                            ? absl::UnavailableError("pipe")
                                            : absl::OkStatus();
                               }),
              StatusIs(absl::StatusCode::kUnavailable, "pipe"));
  EXPECT_EQ(pieces, 2);
  // Options out of range: before any piece.
  options.cases = 0;
  EXPECT_THAT(GenerateWorkload(*dataset_, options,
                               [&](absl::string_view) {
                                 ADD_FAILURE() << "a piece for bad options";
                                 return absl::OkStatus();
                               }),
              StatusIs(absl::StatusCode::kInvalidArgument, "cases"));
}

// An unknown location is a drawn region's code with "00" appended, as the
// header says: over the generated dataset, 14, 16 or 18 digits.
TEST_F(WorkloadTest, UnknownLocationsAreARegionCodeWithTwoZeros) {
  absl::flat_hash_set<uint64_t> regions;
  for (const v1::Region& r : dataset_->regions()) {
    uint64_t code = 0;
    ASSERT_TRUE(absl::SimpleAtoi(r.code(), &code)) << r.code();
    regions.insert(code);
  }
  std::set<size_t> lengths;
  int64_t unknown = 0;
  for (const v1::Case& c : Cases()) {
    if (regions.contains(c.location_code())) continue;
    ++unknown;
    EXPECT_EQ(c.location_code() % 100, 0u) << c.id();
    EXPECT_TRUE(regions.contains(c.location_code() / 100)) << c.id();
    lengths.insert(absl::StrCat(c.location_code()).size());
  }
  EXPECT_GT(unknown, 0);
  EXPECT_EQ(lengths, (std::set<size_t>{14, 16, 18}));
}

// Counts of unknown locations and unknown matters in a stream over
// `dataset`.
struct UnknownCounts {
  int64_t locations = 0, matters = 0;
  std::set<std::string> matter_codes;
};
UnknownCounts CountUnknowns(const v1::Dataset& dataset,
                            absl::string_view stream) {
  absl::flat_hash_set<uint64_t> regions;
  for (const v1::Region& r : dataset.regions()) {
    uint64_t code = 0;
    if (absl::SimpleAtoi(r.code(), &code)) regions.insert(code);
  }
  absl::flat_hash_set<std::string> matters;
  for (const v1::Matter& m : dataset.catalogue().matters()) {
    matters.insert(m.code());
  }
  UnknownCounts counts;
  std::vector<absl::string_view> frames;
  EXPECT_THAT(SplitDelimited(stream, &frames), IsOk());
  v1::Case c;
  for (absl::string_view f : frames) {
    EXPECT_TRUE(c.ParseFromArray(f.data(), static_cast<int>(f.size())));
    if (!regions.contains(c.location_code())) ++counts.locations;
    if (!matters.contains(c.matter_code())) {
      ++counts.matters;
      counts.matter_codes.insert(c.matter_code());
    }
  }
  return counts;
}

// An odd unknown_per_mille splits half and half too: with 1, every unknown
// case draws the same value, which alternates location and matter.
TEST_F(WorkloadTest, OddUnknownPerMilleSplitsHalfAndHalf) {
  WorkloadOptions options;
  options.cases = kCases;
  options.unknown_per_mille = 1;
  absl::StatusOr<std::string> stream = GenerateWorkload(*dataset_, options);
  ASSERT_THAT(stream.status(), IsOk());
  UnknownCounts counts = CountUnknowns(*dataset_, *stream);
  EXPECT_GT(counts.locations, 10);
  EXPECT_LE(std::abs(counts.locations - counts.matters), 1)
      << counts.locations << " locations, " << counts.matters << " matters";
  // 999 per mille: 500 values give a location, 499 a matter, and the last
  // alternates; within 2 % of half.
  options.unknown_per_mille = 999;
  stream = GenerateWorkload(*dataset_, options);
  ASSERT_THAT(stream.status(), IsOk());
  counts = CountUnknowns(*dataset_, *stream);
  EXPECT_NEAR(static_cast<double>(counts.locations) /
                  static_cast<double>(counts.locations + counts.matters),
              0.5, 0.02);
}

// The Small() province with matters of the codes of 90000-99999 that
// `take` says, each a copy of the first matter with its general rule: a
// dataset that validates.
v1::Dataset SmallWithMatters(bool (*take)(int code)) {
  v1::Dataset dataset = GenerateProvince(ProvinceOptions::Small());
  v1::Catalogue* catalogue = dataset.mutable_catalogue();
  const v1::Matter matter = catalogue->matters(0);
  v1::DispatchRule rule;
  for (const v1::DispatchRule& r : catalogue->rules()) {
    if (r.matter_code() == matter.code() && r.region_code().empty() &&
        r.attributes_size() == 0 && r.scenario_code().empty()) {
      rule = r;
      break;
    }
  }
  EXPECT_FALSE(rule.id().empty()) << "no general rule for " << matter.code();
  for (int code = 90000; code <= 99999; ++code) {
    if (!take(code)) continue;
    v1::Matter* m = catalogue->add_matters();
    *m = matter;
    m->set_code(absl::StrCat(code));
    v1::DispatchRule* r = catalogue->add_rules();
    *r = rule;
    r->set_id(absl::StrCat("RX", code));
    r->set_matter_code(m->code());
  }
  EXPECT_EQ(ValidateDataset(dataset).error_count(), 0);
  return dataset;
}

// A catalogue holding every code of 90000-99999 leaves no unknown matter
// code to draw there: the draw ends, with a code longer than any the
// catalogue has, rather than spinning forever.
TEST(WorkloadFullMatterRange, UnknownMatterDrawEnds) {
  const v1::Dataset dataset = SmallWithMatters([](int) { return true; });
  WorkloadOptions options;
  options.cases = 2000;
  options.unknown_per_mille = 1000;  // every case: about 1,000 matters
  absl::StatusOr<std::string> stream = GenerateWorkload(dataset, options);
  ASSERT_THAT(stream.status(), IsOk());
  const UnknownCounts counts = CountUnknowns(dataset, *stream);
  EXPECT_GT(counts.matters, 900);
  EXPECT_EQ(counts.matter_codes, (std::set<std::string>{"999999"}));
  // The router refuses it, naming the matter code.
  absl::StatusOr<std::unique_ptr<const Engine>> engine =
      Engine::Compile(dataset);
  ASSERT_THAT(engine.status(), IsOk());
  const Router router(**engine);
  std::vector<absl::string_view> frames;
  ASSERT_THAT(SplitDelimited(*stream, &frames), IsOk());
  v1::Case c;
  RouteResult r;
  int64_t refused = 0;
  for (absl::string_view f : frames) {
    ASSERT_TRUE(c.ParseFromArray(f.data(), static_cast<int>(f.size())));
    if (c.matter_code() != "999999") continue;
    EXPECT_THAT(router.Route(c, &r),
                StatusIs(absl::StatusCode::kInvalidArgument, "matter_code"));
    if (++refused == 20) break;
  }
  EXPECT_EQ(refused, 20);
}

// With nine codes in ten of the range taken, an unknown matter is still a
// free code of the range, also when 32 draws all hit the catalogue.
TEST(WorkloadFullMatterRange, NearlyFullRangeStillDrawsFromIt) {
  const v1::Dataset dataset =
      SmallWithMatters([](int code) { return code % 10 != 0; });
  WorkloadOptions options;
  options.cases = 2000;
  options.unknown_per_mille = 1000;
  absl::StatusOr<std::string> stream = GenerateWorkload(dataset, options);
  ASSERT_THAT(stream.status(), IsOk());
  const UnknownCounts counts = CountUnknowns(dataset, *stream);
  EXPECT_GT(counts.matters, 900);
  for (const std::string& code : counts.matter_codes) {
    int n = 0;
    ASSERT_TRUE(absl::SimpleAtoi(code, &n)) << code;
    EXPECT_GE(n, 90000);
    EXPECT_LE(n, 99999);
    EXPECT_EQ(n % 10, 0) << code;
  }
  EXPECT_GT(counts.matter_codes.size(), 300u);
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
