// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0
//
// One test per lifecycle policy validation rule, and the defaults.

#include "src/lifecycle/lifecycle_policy.h"

#include <string>

#include "gtest/gtest.h"
#include "src/dataset/validate.h"
#include "src/sample/sample_dataset.h"
#include "tests/test_datasets.h"

namespace jiceng {
namespace {

ProblemList Check(const v1::LifecyclePolicy& p) {
  ProblemList problems;
  ValidateLifecyclePolicy(p, &problems);
  return problems;
}

TEST(LifecyclePolicyTest, EmptyPolicyIsValid) {
  EXPECT_EQ(Check(v1::LifecyclePolicy()).error_count(), 0);
}

TEST(LifecyclePolicyTest, Duration) {
  v1::LifecyclePolicy p;
  p.mutable_return_window()->set_amount(3);  // no unit
  p.mutable_max_park()->set_unit(v1::TIME_UNIT_WORKING_DAYS);
  p.mutable_max_park()->set_amount(-1);
  p.mutable_reopen_window()->set_unit(v1::TIME_UNIT_WORKING_DAYS);
  p.mutable_reopen_window()->set_amount(2501);
  ProblemList problems = Check(p);
  EXPECT_EQ(problems.error_count(), 3) << Dump(problems);
  EXPECT_TRUE(HasProblem(problems, "lifecycle_policy.duration", "", "return_window"));
  EXPECT_TRUE(HasProblem(problems, "lifecycle_policy.duration", "", "max_park"));
  EXPECT_TRUE(HasProblem(problems, "lifecycle_policy.duration", "", "reopen_window"));
}

TEST(LifecyclePolicyTest, Percent) {
  v1::LifecyclePolicy p;
  p.set_yellow_percent(101);
  EXPECT_TRUE(HasProblem(Check(p), "lifecycle_policy.percent", "", "yellow_percent"));
  p.set_yellow_percent(-1);
  EXPECT_TRUE(HasProblem(Check(p), "lifecycle_policy.percent", "", "yellow_percent"));
  p.set_yellow_percent(100);
  EXPECT_EQ(Check(p).error_count(), 0);
}

TEST(LifecyclePolicyTest, Limit) {
  v1::LifecyclePolicy p;
  p.set_max_returns(-1);
  p.set_max_extensions(101);
  p.set_max_reopens(-5);
  ProblemList problems = Check(p);
  EXPECT_EQ(problems.error_count(), 3);
  EXPECT_TRUE(HasProblem(problems, "lifecycle_policy.limit", "", "max_returns"));
  EXPECT_TRUE(HasProblem(problems, "lifecycle_policy.limit", "", "max_extensions"));
  EXPECT_TRUE(HasProblem(problems, "lifecycle_policy.limit", "", "max_reopens"));
}

TEST(LifecyclePolicyTest, ReasonAndDuplicateReason) {
  v1::LifecyclePolicy p;
  auto add = [&](const char* code, const char* name) {
    v1::ReturnReason* r = p.add_return_reasons();
    r->set_code(code);
    r->set_name(name);
  };
  add("NOT_OUR_DUTY", "非本单位职责");
  add("bad code", "x");
  add("NO_NAME", "");
  add("NOT_OUR_DUTY", "again");
  ProblemList problems = Check(p);
  EXPECT_EQ(problems.error_count(), 3) << Dump(problems);
  EXPECT_TRUE(HasProblem(problems, "lifecycle_policy.reason", "bad code",
                         "return_reasons[1].code"));
  EXPECT_TRUE(HasProblem(problems, "lifecycle_policy.reason", "NO_NAME",
                         "return_reasons[2].name"));
  EXPECT_TRUE(HasProblem(problems, "lifecycle_policy.duplicate_reason",
                         "NOT_OUR_DUTY", "return_reasons[3].code"));
}

TEST(LifecyclePolicyTest, DatasetValidationReportsThem) {
  v1::Dataset d = SampleDataset();
  d.mutable_lifecycle_policy()->set_yellow_percent(150);
  ProblemList problems = ValidateDataset(d);
  EXPECT_TRUE(HasProblem(problems, "lifecycle_policy.percent", "", "yellow_percent"));
}

TEST(LifecyclePolicyTest, DefaultsFillOnlyZeroFields) {
  v1::LifecyclePolicy p;
  p.set_max_returns(3);
  p.mutable_reopen_window()->set_unit(v1::TIME_UNIT_CALENDAR_DAYS);
  p.mutable_reopen_window()->set_amount(7);
  const v1::LifecyclePolicy r = ResolveLifecyclePolicy(p);
  EXPECT_EQ(r.max_returns(), 3);
  EXPECT_EQ(r.reopen_window().unit(), v1::TIME_UNIT_CALENDAR_DAYS);
  EXPECT_EQ(r.max_extensions(), 1);
  EXPECT_EQ(r.max_reopens(), 1);
  EXPECT_EQ(r.yellow_percent(), 80);
  EXPECT_EQ(r.max_extension().amount(), 10);
  EXPECT_EQ(r.co_handler_limit().amount(), 5);
  EXPECT_EQ(r.max_park().amount(), 60);
  ASSERT_EQ(r.return_reasons_size(), 5);
  EXPECT_EQ(r.return_reasons(0).code(), "NOT_OUR_DUTY");
}

}  // namespace
}  // namespace jiceng
