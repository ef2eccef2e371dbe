// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0
//
// Adversarial datasets and cases (issue #8): each gives a precise error —
// the right code, naming the element and field — or a correct result, with
// bounded memory and no crash. Every input enters through the boundary an
// integrator uses (bytes → Engine::Load, or a case → Router::Route).
//
// Memory: gtest_discover_tests runs each test in its own process, so the
// process's peak RSS (getrusage) is the test's; each test bounds it.
// Validation alone of 10^6-deep chains is in validate_test
// (Validate.MillionDeepChain), 10^6 siblings in hierarchy_test; here both
// go through the whole load.

#include <sys/mman.h>
#include <sys/resource.h>

#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "src/base/civil_date.h"
#include "src/base/utf8.h"
#include "src/dataset/dataset_io.h"
#include "src/engine/engine.h"
#include "src/dataset/validate.h"
#include "src/routing/router.h"
#include "tests/catalogue_fixture.h"
#include "tests/status_matchers.h"

namespace jiceng {
namespace {

using ::testing::HasSubstr;

#if defined(__SANITIZE_ADDRESS__)
constexpr int64_t kSanitizerFactor = 4;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
constexpr int64_t kSanitizerFactor = 4;
#else
constexpr int64_t kSanitizerFactor = 1;
#endif
#else
constexpr int64_t kSanitizerFactor = 1;
#endif

// The process's peak resident set so far, in MiB.
int64_t PeakRssMiB() {
  struct rusage u;
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss / 1024;  // KiB on Linux
}

void ExpectPeakBelowMiB(int64_t mib) {
  EXPECT_LT(PeakRssMiB(), mib * kSanitizerFactor)
      << "peak RSS (MiB) above the bound for this input";
}

std::string Binary(const v1::Dataset& d) { return d.SerializeAsString(); }

absl::Status LoadStatus(absl::string_view bytes, DatasetFormat f) {
  return Engine::Load(bytes, f).status();
}

// Unix seconds of a local (UTC+8) time.
int64_t Local(int y, int m, int d, int hh, int mm) {
  return int64_t{DaysFromCivil(y, m, d)} * 86400 + hh * 3600 + mm * 60 -
         8 * 3600;
}

TEST(Adversarial, ParentCycle) {
  v1::Dataset d = TinyDataset();
  // The province's parent is a grid far below it: the chain loops.
  d.mutable_regions(0)->set_parent_code("32011600100101");
  // The load names the first problem (the province under a grid); the
  // report names the cycle too.
  EXPECT_THAT(LoadStatus(Binary(d), DatasetFormat::kBinary),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "region 320000000000 parent_code"));
  ProblemList p = ValidateDataset(d);
  EXPECT_EQ(p.error_count(), 2);
  bool cycle = false;
  for (const v1::Problem& problem : p.report().problems()) {
    cycle |= problem.rule() == "region.cycle" && problem.field() == "parent_code";
  }
  EXPECT_TRUE(cycle);
}

TEST(Adversarial, MillionDeepChainThroughTheWholeLoad) {
  v1::Dataset d = TinyDataset();
  constexpr int kN = 1000000;
  std::string parent = "32011600100101";
  d.mutable_regions()->Reserve(kN + 20);
  for (int i = 0; i < kN; ++i) {
    v1::Region* r = d.add_regions();
    std::string code = absl::StrCat(3201160010010100000ull + i);
    r->set_code(code);
    r->set_parent_code(parent);
    r->set_level(v1::REGION_LEVEL_GRID);
    r->set_grid_kind(v1::GRID_KIND_MICRO);
    r->set_name("m");
    parent = code;
  }
  const std::string bytes = Binary(d);
  d.Clear();
  // Micro grids under micro grids, with 19-digit codes: invalid, and the
  // message counts the errors and names the first.
  absl::Status s = LoadStatus(bytes, DatasetFormat::kBinary);
  EXPECT_THAT(s, StatusIs(absl::StatusCode::kInvalidArgument, "errors"));
  EXPECT_THAT(s.message(), HasSubstr("region 3201160010010100000"));
  EXPECT_LT(s.message().size(), 4096u);
  ExpectPeakBelowMiB(1536);
}

TEST(Adversarial, MillionChildrenUnderOneNode) {
  v1::Dataset d = TinyDataset();
  constexpr int kN = 1000000;
  d.mutable_regions()->Reserve(kN + 20);
  for (int i = 0; i < kN; ++i) {
    v1::Region* r = d.add_regions();
    // 10^6 "grids" under one village: a village has room for 99 grid codes,
    // so all but those are malformed.
    r->set_code(absl::StrCat(320116001001ull * 1000000 + i));
    r->set_parent_code("320116001001");
    r->set_level(v1::REGION_LEVEL_GRID);
    r->set_grid_kind(v1::GRID_KIND_BASE);
    r->set_name("g");
  }
  const std::string bytes = Binary(d);
  d.Clear();
  absl::Status s = LoadStatus(bytes, DatasetFormat::kBinary);
  EXPECT_THAT(s, StatusIs(absl::StatusCode::kInvalidArgument,
                          "region 320116001001000000"));
  EXPECT_LT(s.message().size(), 4096u);
  ExpectPeakBelowMiB(1536);
}

TEST(Adversarial, DuplicateCodes) {
  v1::Dataset d = TinyDataset();
  *d.add_regions() = d.regions(12);
  EXPECT_THAT(LoadStatus(Binary(d), DatasetFormat::kBinary),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "region.duplicate_code"));
  EXPECT_THAT(LoadStatus(Binary(d), DatasetFormat::kBinary),
              StatusIs(absl::StatusCode::kInvalidArgument, "32011610020201"));
}

TEST(Adversarial, HundredMegabyteName) {
  v1::Dataset d = TinyDataset();
  d.mutable_regions(12)->set_name(std::string(100 << 20, 'x'));
  const std::string bytes = Binary(d);
  d.Clear();
  // A long name is legal: the engine loads, holding it once.
  auto engine = Engine::Load(bytes, DatasetFormat::kBinary);
  ASSERT_THAT(engine, IsOk());
  // The input, the parsed dataset and the engine's copy.
  ExpectPeakBelowMiB(3 * 100 + 128);
}

TEST(Adversarial, HundredMegabyteCodeGivesABoundedError) {
  v1::Dataset d = TinyDataset();
  d.mutable_regions(12)->set_code(std::string(100 << 20, '3'));
  const std::string bytes = Binary(d);
  d.Clear();
  absl::Status s = LoadStatus(bytes, DatasetFormat::kBinary);
  EXPECT_THAT(s, StatusIs(absl::StatusCode::kInvalidArgument,
                          "region.malformed_code"));
  EXPECT_LT(s.message().size(), 4096u);
  ExpectPeakBelowMiB(3 * 100 + 128);
}

TEST(Adversarial, HundredMegabyteCaseFieldsAreBounded) {
  auto engine = Engine::Compile(TinyWithCatalogue());
  ASSERT_THAT(engine, IsOk());
  Router router(**engine);
  v1::Case c;
  c.set_matter_code(std::string(100 << 20, '0'));
  c.set_location_code(32011600100101);
  c.set_reported_at(Local(2026, 3, 2, 9, 0));
  RouteResult r;
  absl::Status s = router.Route(c, &r);
  EXPECT_THAT(s, StatusIs(absl::StatusCode::kInvalidArgument, "matter_code"));
  EXPECT_LT(s.message().size(), 4096u);
  // An id is copied into every decision: it has a limit.
  c.set_matter_code("01005");
  c.set_id(std::string(100 << 20, 'i'));
  EXPECT_THAT(router.Route(c, &r),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       absl::StrCat("id: ", 100 << 20, " bytes, at most ",
                                    kMaxCaseIdBytes)));
  c.set_id(std::string(kMaxCaseIdBytes, 'i'));
  EXPECT_THAT(router.Route(c, &r), IsOk());
}

TEST(Adversarial, InvalidUtf8InANameIsNamed) {
  v1::Dataset d = TinyDataset();
  // Binary: set the bytes on the wire (the C++ setter does not check).
  d.mutable_regions(12)->set_name("\xE5\xA4\xA7\xFF\xFE");
  std::string bytes;
  ASSERT_TRUE(d.SerializePartialToString(&bytes));
  EXPECT_THAT(LoadStatus(bytes, DatasetFormat::kBinary),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "regions[12].name: not valid UTF-8"));
  // Text and JSON name the place too.
  const std::string text =
      "meta { id: \"x\" }\nregions { code: \"320000000000\" name: \"\xFF\" }\n";
  EXPECT_THAT(LoadStatus(text, DatasetFormat::kText),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "text dataset: regions[0].name: not valid UTF-8"));
  const std::string json = "{\"regions\": [{\"name\": \"\xFF\"}]}";
  EXPECT_THAT(LoadStatus(json, DatasetFormat::kJson),
              StatusIs(absl::StatusCode::kInvalidArgument, "UTF-8"));
}

TEST(Adversarial, NumbersAtInt64Limits) {
  auto engine = Engine::Compile(TinyWithCatalogue());
  ASSERT_THAT(engine, IsOk());
  Router router(**engine);
  for (int64_t at : {std::numeric_limits<int64_t>::min(), int64_t{-1},
                     std::numeric_limits<int64_t>::max()}) {
    v1::Case c;
    c.set_matter_code("01005");
    c.set_location_code(32011600100101);
    c.set_reported_at(at);
    RouteResult r;
    EXPECT_THAT(router.Route(c, &r),
                StatusIs(absl::StatusCode::kInvalidArgument, "reported_at"))
        << at;
  }
  v1::Case c;
  c.set_matter_code("01005");
  c.set_reported_at(Local(2026, 3, 2, 9, 0));
  c.set_location_code(std::numeric_limits<uint64_t>::max());
  RouteResult r;
  EXPECT_THAT(router.Route(c, &r),
              StatusIs(absl::StatusCode::kInvalidArgument, "location_code"));
  c.set_location_code(32011600100101);
  c.set_urgency(std::numeric_limits<int32_t>::min());
  EXPECT_THAT(router.Route(c, &r),
              StatusIs(absl::StatusCode::kInvalidArgument, "urgency"));
  // Staffing counts at the int32 limits: a negative count is named.
  v1::Dataset d = TinyDataset();
  d.mutable_regions(5)->mutable_staffing()->set_volunteers(
      std::numeric_limits<int32_t>::min());
  d.mutable_regions(10)->mutable_staffing()->set_volunteers(
      std::numeric_limits<int32_t>::max());
  EXPECT_THAT(LoadStatus(Binary(d), DatasetFormat::kBinary),
              StatusIs(absl::StatusCode::kInvalidArgument, "32011600100101"));
}

TEST(Adversarial, DurationsThatOverflow) {
  v1::Dataset d = TinyWithCatalogue();
  // An amount at the int32 limit is refused, naming the item and field.
  v1::Duration* big =
      d.mutable_catalogue()->mutable_items(0)->mutable_limits()->mutable_handle();
  big->set_amount(std::numeric_limits<int32_t>::max());
  EXPECT_THAT(Engine::Compile(d).status(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "item CG-CF-001 limits.handle"));
  // The largest accepted amount of every unit: a deadline that leaves the
  // calendar is OUT_OF_RANGE naming the date — never a wrapped time.
  // (Ten years of each unit: see validate_catalogue.cc.)
  const std::pair<v1::TimeUnit, int32_t> kLargest[] = {
      {v1::TIME_UNIT_WORKING_HOURS, 10 * 250 * 24},
      {v1::TIME_UNIT_WORKING_DAYS, 10 * 250},
      {v1::TIME_UNIT_CALENDAR_HOURS, 10 * 366 * 24},
      {v1::TIME_UNIT_CALENDAR_DAYS, 10 * 366}};
  for (const auto& [unit, amount] : kLargest) {
    v1::Dataset du = d;
    v1::Duration* h =
        du.mutable_catalogue()->mutable_items(0)->mutable_limits()->mutable_handle();
    h->set_amount(amount);
    h->set_unit(unit);
    auto engine = Engine::Compile(du);
    ASSERT_THAT(engine, IsOk()) << unit;
    h->set_amount(amount + 1);
    EXPECT_THAT(Engine::Compile(du).status(),
                StatusIs(absl::StatusCode::kInvalidArgument, "limits.handle"))
        << unit;
    Router router(**engine);
    v1::Case c;
    c.set_matter_code("01005");
    c.set_location_code(32011600100101);
    c.set_reported_at(Local(2026, 3, 2, 9, 0));
    RouteResult r;
    EXPECT_THAT(router.Route(c, &r),
                StatusIs(absl::StatusCode::kOutOfRange, "calendar"))
        << unit;
  }
}

TEST(Adversarial, CalendarOfThousandsOfYears) {
  v1::Dataset d = TinyDataset();
  d.mutable_calendar()->set_first_date("1900-01-01");
  d.mutable_calendar()->set_last_date("9999-12-31");
  EXPECT_THAT(LoadStatus(Binary(d), DatasetFormat::kBinary),
              StatusIs(absl::StatusCode::kInvalidArgument, "calendar.range"));
  EXPECT_THAT(LoadStatus(Binary(d), DatasetFormat::kBinary),
              StatusIs(absl::StatusCode::kInvalidArgument, "at most 73200"));
  ExpectPeakBelowMiB(256);
}

// A dataset one byte over the limit is refused before a byte of it is read:
// the pages are mapped without access, so any read would fault.
TEST(Adversarial, DatasetBiggerThanTheLimit) {
  const size_t size = kMaxDatasetBytes + 1;
  void* p = mmap(nullptr, size, PROT_NONE,
                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  ASSERT_NE(p, MAP_FAILED);
  absl::string_view bytes(static_cast<const char*>(p), size);
  for (DatasetFormat f : {DatasetFormat::kAuto, DatasetFormat::kBinary,
                          DatasetFormat::kJson, DatasetFormat::kText}) {
    EXPECT_THAT(LoadStatus(bytes, f),
                StatusIs(absl::StatusCode::kResourceExhausted,
                         absl::StrCat("exceeds the limit of ",
                                      kMaxDatasetBytes)));
  }
  munmap(p, size);
}

TEST(Adversarial, EveryTruncationOfABinaryDataset) {
  const std::string bytes = Binary(TinyWithCatalogue());
  ASSERT_THAT(LoadStatus(bytes, DatasetFormat::kBinary), IsOk());
  int refused = 0;
  for (size_t n = 0; n < bytes.size(); ++n) {
    absl::Status s = LoadStatus(bytes.substr(0, n), DatasetFormat::kBinary);
    // A cut at a field boundary is a smaller dataset, which validation
    // judges; anywhere else the bytes are refused as truncated.
    if (!s.ok()) {
      ASSERT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << n << s;
      ++refused;
    }
  }
  EXPECT_GT(refused, static_cast<int>(bytes.size()) * 9 / 10);
}

TEST(Adversarial, CorruptedBinaryDatasets) {
  const std::string bytes = Binary(TinyWithCatalogue());
  // Every byte replaced by three values that break varints, lengths and
  // tags; deterministic so that a failure reproduces.
  for (size_t i = 0; i < bytes.size(); ++i) {
    for (char v : {'\x00', '\x7f', '\xff'}) {
      std::string c = bytes;
      c[i] = v;
      absl::Status s = LoadStatus(c, DatasetFormat::kBinary);
      ASSERT_TRUE(s.ok() || s.code() == absl::StatusCode::kInvalidArgument ||
                  s.code() == absl::StatusCode::kOutOfRange)
          << i << " " << static_cast<int>(v) << " " << s;
    }
  }
}

// Found by fuzz_dataset_json: the JSON parser echoed invalid UTF-8 into
// its error message.
TEST(Adversarial, Issue8_JsonErrorMessageIsUtf8) {
  const std::string json = "{\"meta\": {\"id\": \"\xC3\x28\"}}";
  absl::Status s = LoadStatus(json, DatasetFormat::kJson);
  EXPECT_THAT(s, StatusIs(absl::StatusCode::kInvalidArgument,
                          "JSON dataset: not valid UTF-8 at byte offset 17"));
  EXPECT_TRUE(IsValidUtf8(s.message()));
}

}  // namespace
}  // namespace jiceng
