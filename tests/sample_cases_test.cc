// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0
//
// The sample case stream covers what the demo must show.

#include "src/sample/sample_cases.h"

#include <map>
#include <set>

#include "gtest/gtest.h"
#include "src/catalogue/analysis.h"
#include "src/routing/router.h"
#include "src/sample/sample_dataset.h"
#include "tests/status_matchers.h"

namespace jiceng {
namespace {

TEST(SampleCases, CoverEveryTierOutcomeDelegationAndScenario) {
  auto e = Engine::Load(SampleDatasetBinary(), DatasetFormat::kBinary);
  ASSERT_THAT(e, IsOk());
  const Engine& engine = **e;
  std::vector<v1::Case> cases = SampleCases(engine);
  ASSERT_GE(cases.size(), 200u);
  EXPECT_EQ(SampleCases(engine).size(), cases.size());  // deterministic

  const Router router(engine);
  std::map<int, int> outcomes, tiers;
  std::set<std::string> scenarios, delegations, ids;
  int errors = 0, cross = 0, before = 0;
  for (const v1::Case& c : cases) {
    EXPECT_TRUE(ids.insert(c.id()).second) << c.id();
    auto d = router.Decide(c);
    if (!d.ok()) {
      ++errors;
      continue;
    }
    ++outcomes[d->outcome()];
    ++tiers[d->tier()];
    if (!d->scenario_code().empty()) scenarios.insert(d->scenario_code());
    if (!d->delegation_id().empty()) delegations.insert(d->delegation_id());
    if (c.extra_location_codes_size() > 0) ++cross;
    if (c.free_text() == "delegation-before") ++before;
  }
  EXPECT_EQ(errors, 2);
  EXPECT_GT(outcomes[v1::ROUTING_OUTCOME_ROUTED], 150);
  EXPECT_GT(outcomes[v1::ROUTING_OUTCOME_AMBIGUOUS], 0);
  EXPECT_GT(outcomes[v1::ROUTING_OUTCOME_UNMAPPED], 0);
  for (auto tier : {v1::HANDLING_TIER_GRID, v1::HANDLING_TIER_VILLAGE,
                    v1::HANDLING_TIER_TOWNSHIP, v1::HANDLING_TIER_COUNTY}) {
    EXPECT_GT(tiers[tier], 0) << v1::HandlingTier_Name(tier);
  }
  EXPECT_EQ(scenarios.size(), 14u);
  EXPECT_GT(delegations.size(), 5u);
  EXPECT_GT(before, 5);
  EXPECT_GT(cross, 0);
}

TEST(SampleCases, TheSampleAnalysesWithoutErrors) {
  auto e = Engine::Load(SampleDatasetBinary(), DatasetFormat::kBinary);
  ASSERT_THAT(e, IsOk());
  v1::CatalogueAnalysis a =
      AnalyzeCatalogue((*e)->catalogue(), (*e)->calendar().first_day());
  EXPECT_EQ(a.error_count(), 0) << FormatAnalysis(a);
  // The intended warnings (see the sample's header): the known dispute,
  // and H0701's requests other than consultations and help, which no rule
  // takes (UNMAPPED on purpose).
  int gaps = 0;
  for (const v1::Finding& f : a.findings()) {
    if (f.kind() == v1::FINDING_KIND_GAP) {
      ++gaps;
      EXPECT_EQ(f.matter_code(), "H0701") << f.message();
      EXPECT_NE(f.message().find("no rule takes cases of request kind none, "
                                 "COMPLAINT, REPORT or SUGGESTION"),
                std::string::npos)
          << f.message();
      continue;
    }
    EXPECT_EQ(f.kind(), v1::FINDING_KIND_OVERLAP) << f.message();
  }
  EXPECT_EQ(gaps, 1) << FormatAnalysis(a);
}

}  // namespace
}  // namespace jiceng
