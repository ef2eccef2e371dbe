// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0

#include "src/assessment/assessment_policy.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "src/dataset/validate.h"
#include "src/engine/engine.h"
#include "src/sample/sample_dataset.h"
#include "tests/status_matchers.h"
#include "tests/test_datasets.h"

namespace jiceng {
namespace {

v1::ScoreWeights Weights(v1::RegionLevel level, int satisfaction,
                         int response) {
  v1::ScoreWeights w;
  w.set_level(level);
  w.set_satisfaction(satisfaction);
  w.set_response(response);
  return w;
}

TEST(AssessmentPolicy, DefaultsSumTo100) {
  const v1::ScoreWeights w = DefaultScoreWeights(v1::REGION_LEVEL_CITY);
  EXPECT_EQ(w.level(), v1::REGION_LEVEL_CITY);
  EXPECT_EQ(w.satisfaction() + w.response() + w.resolution() + w.on_time() +
                w.return_rate() + w.rework() + w.reverse_evaluation() +
                w.closure(),
            100);
  // 办结率 weighs nothing by default (older datasets still sum to 100).
  EXPECT_EQ(w.closure(), 0);
  ProblemList problems;
  v1::AssessmentPolicy p;
  *p.add_weights() = w;
  ValidateAssessmentPolicy(p, "", &problems);
  EXPECT_FALSE(problems.has_errors());
}

// Without weights of its own a street (township level) weighs citizens'
// satisfaction at 50 % and a community (village level) at 70 %, Nanjing's
// floor; every level's defaults validate cleanly.
TEST(AssessmentPolicy, DefaultsKeepTheSatisfactionFloor) {
  EXPECT_EQ(DefaultScoreWeights(v1::REGION_LEVEL_TOWNSHIP).satisfaction(), 50);
  EXPECT_EQ(DefaultScoreWeights(v1::REGION_LEVEL_VILLAGE).satisfaction(), 70);
  EXPECT_EQ(DefaultScoreWeights(v1::REGION_LEVEL_COUNTY).satisfaction(), 40);
  v1::AssessmentPolicy all;
  for (int level = v1::REGION_LEVEL_PROVINCE; level <= v1::REGION_LEVEL_GRID;
       ++level) {
    *all.add_weights() =
        DefaultScoreWeights(static_cast<v1::RegionLevel>(level));
  }
  ProblemList problems;
  ValidateAssessmentPolicy(all, "", &problems);
  EXPECT_EQ(problems.report().problems_size(), 0) << Dump(problems);
}

// Weights below the floor are allowed (other places set their own) but
// warned about, naming the level and the field.
TEST(AssessmentPolicy, SatisfactionBelowTheFloorIsAWarning) {
  v1::AssessmentPolicy p;
  v1::ScoreWeights street = Weights(v1::REGION_LEVEL_TOWNSHIP, 10, 50);
  street.set_resolution(40);
  *p.add_weights() = street;
  *p.add_weights() = Weights(v1::REGION_LEVEL_VILLAGE, 60, 40);
  *p.add_weights() = Weights(v1::REGION_LEVEL_COUNTY, 10, 90);
  ProblemList problems;
  ValidateAssessmentPolicy(p, "", &problems);
  EXPECT_EQ(problems.error_count(), 0) << Dump(problems);
  ASSERT_EQ(problems.report().problems_size(), 2) << Dump(problems);
  EXPECT_TRUE(HasProblem(problems, "score_weights.satisfaction_floor",
                         "township", "weights[0].satisfaction"));
  EXPECT_TRUE(HasProblem(problems, "score_weights.satisfaction_floor",
                         "village", "weights[1].satisfaction"));
  EXPECT_THAT(problems.report().problems(0).message(),
              ::testing::HasSubstr("satisfaction is 10; citizens' "
                                   "satisfaction weighs at least 50"));
}

TEST(AssessmentPolicy, UnknownLevel) {
  v1::AssessmentPolicy p;
  *p.add_weights() = Weights(v1::REGION_LEVEL_UNSPECIFIED, 100, 0);
  *p.add_weights() = Weights(static_cast<v1::RegionLevel>(7), 100, 0);
  ProblemList problems;
  ValidateAssessmentPolicy(p, "", &problems);
  EXPECT_EQ(problems.error_count(), 2) << Dump(problems);
  EXPECT_TRUE(HasProblem(problems, "score_weights.unknown_level", "weights[0]",
                         "weights[0].level"));
  EXPECT_TRUE(HasProblem(problems, "score_weights.unknown_level", "weights[1]",
                         "weights[1].level"));
}

TEST(AssessmentPolicy, DuplicateLevel) {
  v1::AssessmentPolicy p;
  *p.add_weights() = Weights(v1::REGION_LEVEL_TOWNSHIP, 50, 50);
  *p.add_weights() = Weights(v1::REGION_LEVEL_VILLAGE, 70, 30);
  *p.add_weights() = Weights(v1::REGION_LEVEL_TOWNSHIP, 60, 40);
  ProblemList problems;
  ValidateAssessmentPolicy(p, "", &problems);
  EXPECT_EQ(problems.error_count(), 1) << Dump(problems);
  EXPECT_TRUE(HasProblem(problems, "score_weights.duplicate_level", "township",
                         "weights[2].level"));
  EXPECT_THAT(problems.report().problems(0).message(),
              ::testing::HasSubstr("already has weights at weights[0]"));
}

TEST(AssessmentPolicy, RangeIsJudgedPerWeightAndHidesTheSum) {
  v1::AssessmentPolicy p;
  v1::ScoreWeights w = Weights(v1::REGION_LEVEL_COUNTY, 120, -30);
  w.set_reverse_evaluation(10);
  *p.add_weights() = w;
  ProblemList problems;
  ValidateAssessmentPolicy(p, "", &problems);
  EXPECT_EQ(problems.error_count(), 2) << Dump(problems);
  EXPECT_TRUE(HasProblem(problems, "score_weights.range", "county",
                         "weights[0].satisfaction"));
  EXPECT_TRUE(HasProblem(problems, "score_weights.range", "county",
                         "weights[0].response"));
}

// The closure weight counts in the range and the sum like the others.
TEST(AssessmentPolicy, ClosureWeightIsJudged) {
  v1::AssessmentPolicy p;
  v1::ScoreWeights w = Weights(v1::REGION_LEVEL_VILLAGE, 70, 20);
  w.set_closure(10);
  *p.add_weights() = w;
  ProblemList problems;
  ValidateAssessmentPolicy(p, "", &problems);
  EXPECT_FALSE(problems.has_errors()) << Dump(problems);
  p.mutable_weights(0)->set_closure(101);
  ProblemList out_of_range;
  ValidateAssessmentPolicy(p, "", &out_of_range);
  EXPECT_TRUE(HasProblem(out_of_range, "score_weights.range", "village",
                         "weights[0].closure"))
      << Dump(out_of_range);
}

TEST(AssessmentPolicy, Sum) {
  v1::AssessmentPolicy p;
  *p.add_weights() = Weights(v1::REGION_LEVEL_VILLAGE, 70, 20);
  ProblemList problems;
  ValidateAssessmentPolicy(p, "weights.", &problems);
  EXPECT_EQ(problems.error_count(), 1) << Dump(problems);
  EXPECT_TRUE(HasProblem(problems, "score_weights.sum", "village",
                         "weights.weights[0]"));
  EXPECT_THAT(problems.report().problems(0).message(),
              ::testing::HasSubstr("sum to 90"));
}

TEST(AssessmentPolicy, ValidateDatasetReportsThePolicy) {
  v1::Dataset d = TinyDataset();
  *d.mutable_assessment_policy()->add_weights() =
      Weights(v1::REGION_LEVEL_TOWNSHIP, 50, 40);
  ProblemList problems = ValidateDataset(d);
  EXPECT_EQ(problems.error_count(), 1) << Dump(problems);
  EXPECT_TRUE(HasProblem(problems, "score_weights.sum", "township",
                         "weights[0]"));
  EXPECT_THAT(Engine::Compile(d),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "score_weights.sum"));
}

TEST(AssessmentPolicy, ResolveFillsEveryLevelAndOverrides) {
  v1::AssessmentPolicy base;
  *base.add_weights() = Weights(v1::REGION_LEVEL_TOWNSHIP, 50, 50);
  *base.add_weights() = Weights(v1::REGION_LEVEL_VILLAGE, 70, 30);
  v1::AssessmentPolicy overrides;
  *overrides.add_weights() = Weights(v1::REGION_LEVEL_VILLAGE, 100, 0);
  const v1::AssessmentPolicy r = ResolveAssessmentPolicy(base, overrides);
  ASSERT_EQ(r.weights_size(), 6);
  for (int i = 0; i < 6; ++i) {
    EXPECT_EQ(r.weights(i).level(), static_cast<v1::RegionLevel>(i + 1));
  }
  EXPECT_EQ(r.weights(0).satisfaction(), 40);  // province: default
  EXPECT_EQ(r.weights(3).satisfaction(), 50);  // township: base
  EXPECT_EQ(r.weights(4).satisfaction(), 100);  // village: override
  EXPECT_EQ(r.weights(5).resolution(), 20);    // grid: default
}

// The sample follows Nanjing: satisfaction at least 50 % for streets and
// 70 % for communities; the county's departments are rated by townships.
TEST(AssessmentPolicy, SampleEngine) {
  absl::StatusOr<std::unique_ptr<const Engine>> e =
      Engine::Compile(SampleDataset());
  ASSERT_THAT(e, IsOk());
  const v1::AssessmentPolicy& p = (*e)->assessment_policy();
  ASSERT_EQ(p.weights_size(), 6);
  EXPECT_EQ(p.weights(2).level(), v1::REGION_LEVEL_COUNTY);
  EXPECT_GT(p.weights(2).reverse_evaluation(), 0);
  EXPECT_GE(p.weights(3).satisfaction(), 50);
  EXPECT_GE(p.weights(4).satisfaction(), 70);
}

}  // namespace
}  // namespace jiceng
