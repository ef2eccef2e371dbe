// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0
//
// The embedded sample meets the brief: one county modelled on the seeds,
// validating with no error and only its documented, intended warning.

#include "src/sample/sample_dataset.h"

#include <map>
#include <set>

#include "gtest/gtest.h"
#include "src/base/civil_date.h"
#include "src/catalogue/admission.h"
#include "src/dataset/validate.h"
#include "src/engine/engine.h"
#include "tests/status_matchers.h"
#include "tests/test_datasets.h"

namespace jiceng {
namespace {

TEST(SampleDataset, ValidatesWithOnlyTheIntendedWarning) {
  ProblemList p = ValidateDataset(SampleDataset());
  EXPECT_EQ(p.error_count(), 0) << Dump(p);
  // 冶山街道双山村第2网格 is deliberately under-staffed (see the file's
  // header comment).
  EXPECT_EQ(p.warning_count(), 1) << Dump(p);
  EXPECT_TRUE(HasProblem(p, "region.staffing", "32011600320202", "staffing"));
}

TEST(SampleDataset, CoversTheBrief) {
  auto engine = Engine::Load(SampleDatasetBinary(), DatasetFormat::kBinary);
  ASSERT_THAT(engine, IsOk());
  const Hierarchy& h = (*engine)->hierarchy();
  const Organization& o = (*engine)->organization();
  std::map<int, int> levels, grid_kinds;
  std::set<int> classes;
  for (RegionId id = 0; id < h.size(); ++id) {
    ++levels[h.level(id)];
    if (h.level(id) == v1::REGION_LEVEL_GRID) ++grid_kinds[h.grid_kind(id)];
    if (h.level(id) == v1::REGION_LEVEL_TOWNSHIP) {
      classes.insert(h.township_class(id));
      EXPECT_NE(o.CommandCentre(id, v1::CENTRE_TYPE_TOWNSHIP_COMMAND_ROOM),
                kNoUnit)
          << h.code(id);
      const bool own_name =
          o.FirstOfKind(id, v1::UNIT_KIND_ENFORCEMENT_TEAM) != kNoUnit;
      EXPECT_EQ(own_name,
                h.township_class(id) == v1::TOWNSHIP_CLASS_EXTRA_LARGE)
          << h.code(id);
    }
  }
  EXPECT_EQ(levels[v1::REGION_LEVEL_COUNTY], 1);
  EXPECT_GE(levels[v1::REGION_LEVEL_TOWNSHIP], 3);
  EXPECT_GE(levels[v1::REGION_LEVEL_VILLAGE], 10);
  EXPECT_GE(levels[v1::REGION_LEVEL_GRID], 40);
  EXPECT_GT(grid_kinds[v1::GRID_KIND_DEDICATED], 0);
  EXPECT_GT(grid_kinds[v1::GRID_KIND_MICRO], 0);
  EXPECT_EQ(classes.size(), 3u);
  EXPECT_GT(h.police_grid_count(), 0u);

  const RegionId county = h.Find("320116000000");
  EXPECT_NE(o.CommandCentre(county, v1::CENTRE_TYPE_COUNTY_SOCIAL_GOVERNANCE),
            kNoUnit);
  for (const char* type :
       {"urban_management", "market_supervision", "natural_resources",
        "housing_construction", "ethnic_religious", "human_resources",
        "public_security"}) {
    EXPECT_NE(o.Department(county, o.FindDepartmentType(type)), kNoUnit)
        << type;
  }
  // The official 2026 calendar: 248 working days.
  EXPECT_EQ((*engine)->calendar().working_day_count(), 248);
}

// The abolished certificates (出具证明) bar issuing them, not the work
// their facts come from (r71 A2): a survey of households for social
// assistance, on the community's own assistance list, is admitted.
TEST(SampleDataset, AbolishedCertificatesAreCertificates) {
  auto engine = Engine::Compile(SampleDataset());
  ASSERT_THAT(engine, IsOk());
  const int32_t kDay = DaysFromCivil(2026, 3, 2);
  v1::AdmissionRequest survey;
  survey.set_title("协助开展高龄津贴对象健在情况入户调查");
  survey.set_to_region_code("320116001001");
  survey.set_item_code("CS-XZ-002");
  auto d = ReviewAdmission((*engine)->catalogue(), survey, kDay);
  ASSERT_THAT(d, IsOk());
  EXPECT_EQ(d->verdict(), v1::ADMISSION_VERDICT_ADMIT);
  v1::AdmissionRequest income = survey;
  income.set_title("低保家庭经济状况入户核查");
  d = ReviewAdmission((*engine)->catalogue(), income, kDay);
  ASSERT_THAT(d, IsOk());
  EXPECT_EQ(d->verdict(), v1::ADMISSION_VERDICT_ADMIT);
  v1::AdmissionRequest certificate;
  certificate.set_title("为居民出具健在证明");
  certificate.set_to_region_code("320116001001");
  d = ReviewAdmission((*engine)->catalogue(), certificate, kDay);
  ASSERT_THAT(d, IsOk());
  EXPECT_EQ(d->verdict(), v1::ADMISSION_VERDICT_REJECT);
  ASSERT_GT(d->reasons_size(), 0);
  EXPECT_EQ(d->reasons(0).code(), "admission.abolished");
}

}  // namespace
}  // namespace jiceng
