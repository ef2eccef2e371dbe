// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0
//
// One test per routing policy validation rule; that ValidateDataset (and so
// Engine::Compile) applies them; and that the largest accepted policy routes
// without overflow.

#include "src/routing/routing_policy.h"

#include <cstdint>
#include <string>
#include <utility>

#include "gtest/gtest.h"
#include "src/base/civil_date.h"
#include "src/catalogue/validate_catalogue.h"
#include "src/dataset/validate.h"
#include "src/engine/engine.h"
#include "src/routing/router.h"
#include "src/sample/sample_dataset.h"
#include "tests/catalogue_fixture.h"
#include "tests/status_matchers.h"
#include "tests/test_datasets.h"

namespace jiceng {
namespace {

ProblemList Check(const v1::RoutingPolicy& p) {
  ProblemList problems;
  ValidateRoutingPolicy(p, &problems);
  return problems;
}

int64_t Local(int y, int m, int d, int hh, int mm) {
  return int64_t{DaysFromCivil(y, m, d)} * 86400 + hh * 3600 + mm * 60 -
         8 * 3600;
}

TEST(RoutingPolicyTest, EmptyPolicyIsValid) {
  ProblemList p = Check(v1::RoutingPolicy());
  EXPECT_EQ(p.error_count(), 0) << Dump(p);
  EXPECT_EQ(p.warning_count(), 0) << Dump(p);
}

TEST(RoutingPolicyTest, FullPolicyIsValid) {
  v1::RoutingPolicy p;
  auto set = [](v1::Duration* d, int32_t amount, v1::TimeUnit unit) {
    d->set_amount(amount);
    d->set_unit(unit);
  };
  set(p.mutable_defaults()->mutable_sign_for(), 4, v1::TIME_UNIT_WORKING_HOURS);
  set(p.mutable_defaults()->mutable_handle(), 5, v1::TIME_UNIT_WORKING_DAYS);
  set(p.mutable_defaults()->mutable_feedback(), 1, v1::TIME_UNIT_WORKING_DAYS);
  set(p.mutable_defaults()->mutable_revisit(), 3, v1::TIME_UNIT_CALENDAR_DAYS);
  set(p.mutable_consult_handle(), 2, v1::TIME_UNIT_WORKING_DAYS);
  set(p.mutable_complaint_handle(), 13, v1::TIME_UNIT_WORKING_DAYS);
  set(p.mutable_whistle_report_in(), 48, v1::TIME_UNIT_CALENDAR_HOURS);
  p.set_major_urgency(3);
  p.set_urgent_percent(80);
  p.set_very_urgent_percent(50);
  p.set_emergency_percent(10);
  ProblemList problems = Check(p);
  EXPECT_EQ(problems.error_count(), 0) << Dump(problems);
}

TEST(RoutingPolicyTest, Duration) {
  v1::RoutingPolicy p;
  // An out-of-enum unit (the router used to fail every Route with
  // INTERNAL "deadline without a unit").
  p.mutable_defaults()->mutable_handle()->set_amount(5);
  p.mutable_defaults()->mutable_handle()->set_unit(
      static_cast<v1::TimeUnit>(7));
  p.mutable_defaults()->mutable_sign_for()->set_amount(3);        // no unit
  p.mutable_help_handle()->set_unit(v1::TIME_UNIT_WORKING_DAYS);  // amount 0
  p.mutable_report_handle()->set_amount(-2);
  p.mutable_report_handle()->set_unit(v1::TIME_UNIT_WORKING_DAYS);
  // Eleven years of working days: past the catalogue's cap.
  p.mutable_suggestion_handle()->set_amount(10 * 250 + 1);
  p.mutable_suggestion_handle()->set_unit(v1::TIME_UNIT_WORKING_DAYS);
  p.mutable_whistle_report_in()->set_amount(2147483647);
  p.mutable_whistle_report_in()->set_unit(v1::TIME_UNIT_CALENDAR_HOURS);
  ProblemList problems = Check(p);
  for (const char* field :
       {"defaults.handle", "defaults.sign_for", "help_handle", "report_handle",
        "suggestion_handle", "whistle_report_in"}) {
    EXPECT_TRUE(HasProblem(problems, "routing_policy.duration", "", field))
        << field << "\n"
        << Dump(problems);
  }
  EXPECT_EQ(problems.error_count(), 6) << Dump(problems);
  // defaults.sign_for is checked first, then defaults.handle.
  EXPECT_EQ(problems.report().problems(1).element_kind(), "routing_policy");
  EXPECT_EQ(FormatProblem(problems.report().problems(1)),
            "error: routing_policy - defaults.handle: unit 7 is not a known "
            "time unit [routing_policy.duration]");
}

TEST(RoutingPolicyTest, DurationAtTheCapIsValid) {
  v1::RoutingPolicy p;
  p.mutable_defaults()->mutable_handle()->set_amount(10 * 366 * 24);
  p.mutable_defaults()->mutable_handle()->set_unit(
      v1::TIME_UNIT_CALENDAR_HOURS);
  EXPECT_EQ(Check(p).error_count(), 0);
}

TEST(RoutingPolicyTest, Percent) {
  v1::RoutingPolicy p;
  p.set_urgent_percent(150);  // more time for urgent cases than normal ones
  p.set_very_urgent_percent(-1);
  p.set_emergency_percent(101);
  ProblemList problems = Check(p);
  EXPECT_TRUE(
      HasProblem(problems, "routing_policy.percent", "", "urgent_percent"))
      << Dump(problems);
  EXPECT_TRUE(HasProblem(problems, "routing_policy.percent", "",
                         "very_urgent_percent"));
  EXPECT_TRUE(
      HasProblem(problems, "routing_policy.percent", "", "emergency_percent"));
  // Out-of-range shares are not also judged for their order.
  EXPECT_EQ(problems.error_count(), 3) << Dump(problems);
  p.set_urgent_percent(100);
  p.set_very_urgent_percent(1);
  p.set_emergency_percent(1);
  EXPECT_EQ(Check(p).error_count(), 0) << Dump(Check(p));
}

TEST(RoutingPolicyTest, PercentOrder) {
  v1::RoutingPolicy p;
  // Against the default very-urgent share of 50.
  p.set_emergency_percent(60);
  ProblemList problems = Check(p);
  EXPECT_TRUE(HasProblem(problems, "routing_policy.percent_order", "",
                         "emergency_percent"))
      << Dump(problems);
  EXPECT_EQ(problems.error_count(), 1) << Dump(problems);
  // Against an explicit urgent share.
  p.Clear();
  p.set_urgent_percent(40);
  p.set_very_urgent_percent(45);
  problems = Check(p);
  EXPECT_TRUE(HasProblem(problems, "routing_policy.percent_order", "",
                         "very_urgent_percent"))
      << Dump(problems);
  EXPECT_EQ(problems.error_count(), 1) << Dump(problems);
  // An out-of-range share is reported once and left out of the order:
  // emergency 60 is still judged against very urgent's default 50.
  p.Clear();
  p.set_urgent_percent(150);
  p.set_emergency_percent(60);
  problems = Check(p);
  EXPECT_TRUE(
      HasProblem(problems, "routing_policy.percent", "", "urgent_percent"));
  EXPECT_TRUE(HasProblem(problems, "routing_policy.percent_order", "",
                         "emergency_percent"))
      << Dump(problems);
  EXPECT_EQ(problems.error_count(), 2) << Dump(problems);
  // Equal shares are allowed.
  p.Clear();
  p.set_urgent_percent(40);
  p.set_very_urgent_percent(40);
  p.set_emergency_percent(40);
  EXPECT_EQ(Check(p).error_count(), 0) << Dump(Check(p));
}

TEST(RoutingPolicyTest, MajorUrgency) {
  v1::RoutingPolicy p;
  for (int32_t bad : {-1, 5, 100}) {
    p.set_major_urgency(bad);
    EXPECT_TRUE(HasProblem(Check(p), "routing_policy.major_urgency", "",
                           "major_urgency"))
        << bad;
  }
  for (int32_t good : {0, 1, 4}) {
    p.set_major_urgency(good);
    EXPECT_EQ(Check(p).error_count(), 0) << good;
  }
}

TEST(RoutingPolicyTest, SamplePolicyIsValid) {
  EXPECT_EQ(Check(SampleDataset().routing_policy()).error_count(), 0);
}

// The dataset boundary applies the rules: a policy that used to pass and
// then fail (or silently mis-time) every case is refused, naming the field.
TEST(RoutingPolicyTest, DatasetValidationRefusesBadPolicy) {
  v1::Dataset d = TinyWithCatalogue();
  d.mutable_routing_policy()->mutable_defaults()->mutable_handle()->set_amount(
      5);
  d.mutable_routing_policy()->mutable_defaults()->mutable_handle()->set_unit(
      static_cast<v1::TimeUnit>(7));
  d.mutable_routing_policy()->set_urgent_percent(150);
  ProblemList problems = ValidateDataset(d);
  EXPECT_TRUE(
      HasProblem(problems, "routing_policy.duration", "", "defaults.handle"))
      << Dump(problems);
  EXPECT_TRUE(
      HasProblem(problems, "routing_policy.percent", "", "urgent_percent"))
      << Dump(problems);
  EXPECT_EQ(problems.error_count(), 2) << Dump(problems);
  EXPECT_THAT(Engine::Compile(d).status(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "routing_policy - defaults.handle"));
}

// The largest policy validation admits: every handle limit at the cap in
// calendar hours, kept whole for every urgency. Routing gives a deadline or
// the calendar's OUT_OF_RANGE, never a wrapped time (UBSan checks the
// arithmetic under the asan-ubsan preset).
TEST(RoutingPolicyTest, LargestPolicyRoutesWithoutOverflow) {
  v1::Dataset d = TinyWithCatalogue();
  v1::RoutingPolicy* p = d.mutable_routing_policy();
  auto cap = [](v1::Duration* du, v1::TimeUnit unit) {
    du->set_unit(unit);
    du->set_amount(static_cast<int32_t>(MaxDurationAmount(unit)));
  };
  cap(p->mutable_defaults()->mutable_handle(), v1::TIME_UNIT_CALENDAR_HOURS);
  cap(p->mutable_defaults()->mutable_sign_for(), v1::TIME_UNIT_WORKING_HOURS);
  cap(p->mutable_whistle_report_in(), v1::TIME_UNIT_CALENDAR_DAYS);
  p->set_urgent_percent(100);
  p->set_very_urgent_percent(100);
  p->set_emergency_percent(100);
  // No rule or matter limits, so the policy's apply.
  for (v1::DispatchRule& r : *d.mutable_catalogue()->mutable_rules()) {
    r.clear_limits();
  }
  for (v1::Item& it : *d.mutable_catalogue()->mutable_items()) {
    it.clear_limits();
  }
  for (v1::Matter& m : *d.mutable_catalogue()->mutable_matters()) {
    m.clear_limits();
  }
  auto engine = Engine::Compile(d);
  ASSERT_THAT(engine, IsOk());
  Router router(**engine);
  for (int urgency = 0; urgency <= 4; ++urgency) {
    v1::Case c;
    c.set_matter_code("01005");
    c.set_location_code(32011600100101);
    c.set_urgency(urgency);
    c.set_reported_at(Local(2026, 3, 2, 9, 0));
    RouteResult r;
    const absl::Status s = router.Route(c, &r);
    EXPECT_TRUE(s.ok() || s.code() == absl::StatusCode::kOutOfRange)
        << urgency << ": " << s;
    if (s.ok()) {
      for (int i = 0; i < r.deadline_count; ++i) {
        EXPECT_GE(r.deadlines[i].due_at, c.reported_at()) << urgency;
      }
    }
  }
}

}  // namespace
}  // namespace jiceng
