// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0
//
// Undefined enum values: found at any depth with their paths, in a fixed
// order; reported by ValidateDataset as "<kind>.enum" on their element
// (once: fields a specific rule covers are left to it); never reaching
// the compiled engine.

#include "src/dataset/enum_check.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "src/dataset/validate.h"
#include "src/engine/engine.h"
#include "src/sample/sample_dataset.h"
#include "tests/catalogue_fixture.h"
#include "tests/status_matchers.h"
#include "tests/test_datasets.h"

namespace jiceng {
namespace {

using ::testing::ElementsAre;
using ::testing::Pair;

std::vector<std::pair<std::string, int>> Found(
    const google::protobuf::Message& m) {
  std::vector<std::pair<std::string, int>> out;
  FindUndefinedEnums(m, [&](const UndefinedEnum& f) {
    out.emplace_back(f.path, f.value);
    return true;
  });
  return out;
}

v1::Dataset WithUndefinedValues() {
  v1::Dataset d = TinyWithCatalogue();
  d.mutable_regions(0)->set_township_class(static_cast<v1::TownshipClass>(5));
  v1::DispatchRule* rule = d.mutable_catalogue()->mutable_rules(0);
  rule->set_tier(static_cast<v1::HandlingTier>(9));
  rule->add_township_classes(v1::TOWNSHIP_CLASS_GENERAL);
  rule->add_township_classes(static_cast<v1::TownshipClass>(-4));
  rule->mutable_limits()->mutable_handle()->set_unit(
      static_cast<v1::TimeUnit>(42));
  d.mutable_units(0)->set_centre_type(static_cast<v1::CentreType>(77));
  return d;
}

TEST(EnumCheck, FindsEveryUndefinedValueWithItsPathInOrder) {
  const v1::Dataset d = WithUndefinedValues();
  EXPECT_THAT(Found(d),
              ElementsAre(Pair("regions[0].township_class", 5),
                          Pair("units[0].centre_type", 77),
                          Pair("catalogue.rules[0].township_classes[1]", -4),
                          Pair("catalogue.rules[0].tier", 9),
                          Pair("catalogue.rules[0].limits.handle.unit", 42)));
  // The same message, the same findings.
  EXPECT_EQ(Found(d), Found(d));
  EXPECT_TRUE(Found(TinyWithCatalogue()).empty());
  EXPECT_TRUE(Found(SampleDataset()).empty());
}

TEST(EnumCheck, StopsWhenAsked) {
  int seen = 0;
  EXPECT_EQ(
      FindUndefinedEnums(WithUndefinedValues(),
                         [&](const UndefinedEnum&) { return ++seen < 2; }),
      2);
  EXPECT_EQ(seen, 2);
}

TEST(EnumCheck, CheckNamesTheFirstWithTheEnumsValues) {
  EXPECT_THAT(CheckEnumsDefined(WithUndefinedValues(), "dataset"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "dataset.regions[0].township_class: 5 is not a value "
                       "of jiceng.v1.TownshipClass (0 to 3)"));
  v1::Case c;
  c.set_source(static_cast<v1::CaseSource>(17));
  EXPECT_THAT(CheckEnumsDefined(c, ""),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "source: 17 is not a value of jiceng.v1.CaseSource"));
  EXPECT_THAT(CheckEnumsDefined(TinyWithCatalogue(), "dataset"), IsOk());
}

// Every element with an undefined value gets one "<kind>.enum" error
// naming its code and the field; the time unit is reported by the
// limits' own rule, not twice; the engine is not compiled.
TEST(EnumCheck, ValidationReportsEachOnItsElement) {
  const v1::Dataset d = WithUndefinedValues();
  const ProblemList p = ValidateDataset(d);
  EXPECT_TRUE(
      HasProblem(p, "region.enum", d.regions(0).code(), "township_class"))
      << Dump(p);
  EXPECT_TRUE(HasProblem(p, "unit.enum", d.units(0).code(), "centre_type"))
      << Dump(p);
  const std::string rule = d.catalogue().rules(0).id();
  EXPECT_TRUE(HasProblem(p, "rule.enum", rule, "tier")) << Dump(p);
  EXPECT_TRUE(HasProblem(p, "rule.enum", rule, "township_classes[1]"))
      << Dump(p);
  EXPECT_TRUE(HasProblem(p, "rule.limits", rule, "limits.handle")) << Dump(p);
  int enum_errors = 0;
  for (const v1::Problem& problem : p.report().problems()) {
    enum_errors += absl::EndsWith(problem.rule(), ".enum");
  }
  EXPECT_EQ(enum_errors, 4) << Dump(p);
  EXPECT_THAT(Engine::Compile(d), StatusIs(absl::StatusCode::kInvalidArgument,
                                           "is not a value of"));
}

// The walk goes down a branch and back up: a message's own enum fields
// first, then the messages it holds, and every sibling after a deep
// branch is still visited.
TEST(EnumCheck, WalksPastADeepBranch) {
  v1::Dataset d = TinyWithCatalogue();
  v1::DispatchRule* rule = d.mutable_catalogue()->mutable_rules(0);
  rule->mutable_co_handlers(0)->set_kind(static_cast<v1::RoleKind>(99));
  rule->set_duty_type(static_cast<v1::DutyType>(8));
  d.mutable_assessment_policy()->add_weights()->set_level(
      static_cast<v1::RegionLevel>(11));
  EXPECT_THAT(Found(d),
              ElementsAre(Pair("catalogue.rules[0].duty_type", 8),
                          Pair("catalogue.rules[0].co_handlers[0].kind", 99),
                          Pair("assessment_policy.weights[0].level", 11)));
}

}  // namespace
}  // namespace jiceng
