// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0
//
// One test per validation rule: plant exactly that defect in the tiny
// dataset and assert the rule, the element's code and the field.

#include "src/dataset/validate.h"

#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "src/sample/sample_dataset.h"
#include "tests/test_datasets.h"

namespace jiceng {
namespace {

v1::Region* R(v1::Dataset& d, int i) { return d.mutable_regions(i); }

v1::Unit* U(v1::Dataset& d, const std::string& code) {
  for (v1::Unit& u : *d.mutable_units()) {
    if (u.code() == code) return &u;
  }
  ADD_FAILURE() << "no unit " << code;
  return d.add_units();
}

#define EXPECT_PROBLEM(d, rule, element, field)                        \
  do {                                                                 \
    ProblemList problems_ = ValidateDataset(d);                        \
    EXPECT_TRUE(HasProblem(problems_, rule, element, field))           \
        << "expected " << rule << " on " << element << " " << field    \
        << ", got:\n"                                                  \
        << Dump(problems_);                                            \
  } while (false)

TEST(Validate, TinyDatasetIsClean) {
  ProblemList problems = ValidateDataset(TinyDataset());
  EXPECT_EQ(problems.error_count(), 0) << Dump(problems);
  EXPECT_EQ(problems.warning_count(), 0) << Dump(problems);
  EXPECT_TRUE(problems.ToStatus().ok());
}

TEST(Validate, MetaMissingIdAndBadDate) {
  v1::Dataset d = TinyDataset();
  d.mutable_meta()->clear_id();
  d.mutable_meta()->set_effective_date("2026-02-30");
  ProblemList p = ValidateDataset(d);
  EXPECT_TRUE(HasProblem(p, "meta.missing_id", "", "id")) << Dump(p);
  EXPECT_TRUE(HasProblem(p, "meta.effective_date", "", "effective_date"))
      << Dump(p);
}

// The date analysis and admission review default to must lie in the work
// calendar's range (2026 in the tiny dataset).
TEST(Validate, MetaEffectiveDateOutsideTheCalendar) {
  v1::Dataset d = TinyDataset();
  d.mutable_meta()->set_effective_date("2027-03-01");
  ProblemList p = ValidateDataset(d);
  EXPECT_EQ(p.error_count(), 1) << Dump(p);
  EXPECT_TRUE(HasProblem(p, "meta.effective_date", "tiny", "effective_date"))
      << Dump(p);
  EXPECT_NE(Dump(p).find("2026-01-01 to 2026-12-31"), std::string::npos)
      << Dump(p);
  d.mutable_meta()->set_effective_date("2025-12-31");
  EXPECT_PROBLEM(d, "meta.effective_date", "tiny", "effective_date");
  // The range's own days are inside it.
  for (const char* day : {"2026-01-01", "2026-12-31"}) {
    d.mutable_meta()->set_effective_date(day);
    EXPECT_EQ(ValidateDataset(d).error_count(), 0) << day;
  }
  // A calendar without a range is reported as such, not through the meta.
  d.mutable_meta()->set_effective_date("2027-03-01");
  d.mutable_calendar()->clear_last_date();
  p = ValidateDataset(d);
  EXPECT_FALSE(HasProblem(p, "meta.effective_date", "tiny", "effective_date"))
      << Dump(p);
}

TEST(Validate, RegionMalformedCode) {
  v1::Dataset d = TinyDataset();
  R(d, 10)->set_code("3201161002010A");
  EXPECT_PROBLEM(d, "region.malformed_code", "3201161002010A", "code");
  d = TinyDataset();
  R(d, 4)->set_code("32011600100");  // 11 digits for a village
  EXPECT_PROBLEM(d, "region.malformed_code", "32011600100", "code");
  d = TinyDataset();
  R(d, 10)->set_code("3201161002010");  // 13 digits for a grid
  EXPECT_PROBLEM(d, "region.malformed_code", "3201161002010", "code");
}

TEST(Validate, RegionSegment) {
  v1::Dataset d = TinyDataset();
  // A county code with township digits: not a county.
  v1::Region* extra = d.add_regions();
  extra->set_code("320117001000");
  extra->set_parent_code("320100000000");
  extra->set_level(v1::REGION_LEVEL_COUNTY);
  extra->set_name("坏县");
  EXPECT_PROBLEM(d, "region.segment", "320117001000", "code");
  d = TinyDataset();
  R(d, 5)->set_code("32011600100100");  // grid digits 00
  EXPECT_PROBLEM(d, "region.segment", "32011600100100", "code");
}

TEST(Validate, RegionDuplicateCode) {
  v1::Dataset d = TinyDataset();
  *d.add_regions() = d.regions(12);
  EXPECT_PROBLEM(d, "region.duplicate_code", "32011610020201", "code");
}

TEST(Validate, RegionMissingLevelAndName) {
  v1::Dataset d = TinyDataset();
  R(d, 11)->clear_level();
  R(d, 9)->clear_name();
  ProblemList p = ValidateDataset(d);
  EXPECT_TRUE(HasProblem(p, "region.missing_level", "320116100202", "level"))
      << Dump(p);
  EXPECT_TRUE(HasProblem(p, "region.missing_name", "320116100201", "name"))
      << Dump(p);
}

TEST(Validate, RegionDanglingParent) {
  v1::Dataset d = TinyDataset();
  R(d, 12)->set_parent_code("320116100299");
  EXPECT_PROBLEM(d, "region.dangling_parent", "32011610020201", "parent_code");
}

TEST(Validate, RegionMissingParent) {
  v1::Dataset d = TinyDataset();
  R(d, 9)->clear_parent_code();
  EXPECT_PROBLEM(d, "region.missing_parent", "320116100201", "parent_code");
}

TEST(Validate, RegionCycleIsFoundOnce) {
  v1::Dataset d = TinyDataset();
  // province -> city -> county -> province.
  R(d, 0)->set_parent_code("320116000000");
  ProblemList p = ValidateDataset(d);
  int cycles = 0;
  for (const auto& problem : p.report().problems()) {
    if (problem.rule() == "region.cycle") ++cycles;
  }
  EXPECT_EQ(cycles, 1) << Dump(p);
  EXPECT_TRUE(HasProblem(p, "region.cycle", "320000000000", "parent_code"))
      << Dump(p);
}

TEST(Validate, RegionSelfParentIsACycle) {
  v1::Dataset d = TinyDataset();
  R(d, 2)->set_parent_code("320116000000");
  EXPECT_PROBLEM(d, "region.cycle", "320116000000", "parent_code");
}

TEST(Validate, RegionLevelOrder) {
  v1::Dataset d = TinyDataset();
  R(d, 9)->set_parent_code("320116000000");  // village under county
  EXPECT_PROBLEM(d, "region.level_order", "320116100201", "parent_code");
}

TEST(Validate, TownshipUnderCityNeedsCountyDigitsZero) {
  v1::Dataset d = TinyDataset();
  R(d, 8)->set_parent_code("320100000000");  // county digits 16, not 00
  EXPECT_PROBLEM(d, "region.level_order", "320116100000", "parent_code");

  // 东莞: a city with no county level; its towns sit directly under it.
  v1::Dataset dg;
  dg.mutable_meta()->set_id("dg");
  *dg.mutable_calendar() = TinyDataset().calendar();
  auto add = [&](const char* code, const char* parent, v1::RegionLevel level) {
    v1::Region* r = dg.add_regions();
    r->set_code(code);
    r->set_parent_code(parent);
    r->set_level(level);
    r->set_name(code);
    return r;
  };
  add("440000000000", "", v1::REGION_LEVEL_PROVINCE);
  add("441900000000", "440000000000", v1::REGION_LEVEL_CITY);
  add("441900003000", "441900000000", v1::REGION_LEVEL_TOWNSHIP);
  add("441900003001", "441900003000", v1::REGION_LEVEL_VILLAGE);
  add("44190000300101", "441900003001", v1::REGION_LEVEL_GRID)
      ->set_grid_kind(v1::GRID_KIND_DEDICATED);
  dg.mutable_regions(4)->set_dedicated_site(v1::DEDICATED_GRID_SITE_MARKET);
  ProblemList p = ValidateDataset(dg);
  EXPECT_EQ(p.error_count(), 0) << Dump(p);
}

TEST(Validate, RegionCodePrefix) {
  v1::Dataset d = TinyDataset();
  R(d, 10)->set_code("32011610020301");  // village digits 203, parent 201
  EXPECT_PROBLEM(d, "region.code_prefix", "32011610020301", "code");
}

TEST(Validate, GridNotUnderVillage) {
  v1::Dataset d = TinyDataset();
  R(d, 6)->set_parent_code("32011600100101");  // dedicated grid under grid
  EXPECT_PROBLEM(d, "region.grid_parent", "32011600100102", "parent_code");
}

TEST(Validate, MicroGridNotUnderBaseGrid) {
  v1::Dataset d = TinyDataset();
  R(d, 7)->set_parent_code("320116001001");
  EXPECT_PROBLEM(d, "region.micro_grid_parent", "3201160010010101",
                 "parent_code");
  d = TinyDataset();
  R(d, 7)->set_code("3201160010010201");
  R(d, 7)->set_parent_code("32011600100102");  // under the dedicated grid
  EXPECT_PROBLEM(d, "region.micro_grid_parent", "3201160010010201",
                 "parent_code");
}

TEST(Validate, GridKindRequired) {
  v1::Dataset d = TinyDataset();
  R(d, 12)->clear_grid_kind();
  EXPECT_PROBLEM(d, "region.grid_kind", "32011610020201", "grid_kind");
}

TEST(Validate, FieldForLevel) {
  v1::Dataset d = TinyDataset();
  R(d, 4)->set_grid_kind(v1::GRID_KIND_BASE);
  R(d, 5)->set_township_class(v1::TOWNSHIP_CLASS_LARGE);
  R(d, 2)->set_urban_rural_class(v1::URBAN_RURAL_CLASS_VILLAGE);
  ProblemList p = ValidateDataset(d);
  EXPECT_TRUE(
      HasProblem(p, "region.field_for_level", "320116001001", "grid_kind"))
      << Dump(p);
  EXPECT_TRUE(HasProblem(p, "region.field_for_level", "32011600100101",
                         "township_class"))
      << Dump(p);
  EXPECT_TRUE(HasProblem(p, "region.field_for_level", "320116000000",
                         "urban_rural_class"))
      << Dump(p);
}

TEST(Validate, TownshipKindContradictsDigits) {
  v1::Dataset d = TinyDataset();
  R(d, 3)->set_township_kind(v1::TOWNSHIP_KIND_TOWN);  // digits 001: street
  EXPECT_PROBLEM(d, "region.township_kind", "320116001000", "township_kind");
}

TEST(Validate, VillageKindContradictsDigits) {
  v1::Dataset d = TinyDataset();
  R(d, 4)->set_village_kind(v1::VILLAGE_KIND_VILLAGE_COMMITTEE);  // 001
  EXPECT_PROBLEM(d, "region.village_kind", "320116001001", "village_kind");
  d = TinyDataset();
  R(d, 11)->set_code("320116100702");  // digits 702: no defined range
  R(d, 12)->set_parent_code("320116100702");
  R(d, 12)->set_code("32011610070201");
  EXPECT_PROBLEM(d, "region.village_kind", "320116100702", "code");
}

TEST(Validate, GridCodeLengthsNotMixedInOneVillage) {
  v1::Dataset d = TinyDataset();
  v1::Region* g = d.add_regions();
  *g = d.regions(10);
  g->set_code("320116100201002");
  g->set_name("15位网格");
  EXPECT_PROBLEM(d, "region.grid_code_length", "320116100201002", "code");
}

TEST(Validate, DedicatedGridNeedsSite) {
  v1::Dataset d = TinyDataset();
  R(d, 6)->clear_dedicated_site();
  EXPECT_PROBLEM(d, "region.dedicated_site", "32011600100102",
                 "dedicated_site");
}

TEST(Validate, StaffingBelowStandardIsAWarning) {
  v1::Dataset d = TinyDataset();
  R(d, 12)->mutable_staffing()->set_part_time(1);
  ProblemList p = ValidateDataset(d);
  EXPECT_EQ(p.error_count(), 0) << Dump(p);
  EXPECT_EQ(p.warning_count(), 1);
  EXPECT_TRUE(HasProblem(p, "region.staffing", "32011610020201", "staffing"));
  R(d, 12)->mutable_staffing()->set_volunteers(-1);
  EXPECT_EQ(ValidateDataset(d).error_count(), 1);
}

TEST(Validate, DepartmentTypes) {
  v1::Dataset d = TinyDataset();
  *d.add_department_types() = d.department_types(0);
  v1::DepartmentType* bad = d.add_department_types();
  bad->set_code("Urban Mgmt");
  ProblemList p = ValidateDataset(d);
  EXPECT_TRUE(HasProblem(p, "department_type.duplicate_code",
                         "urban_management", "code"))
      << Dump(p);
  EXPECT_TRUE(HasProblem(p, "department_type.malformed_code", "Urban Mgmt",
                         "code"))
      << Dump(p);
  EXPECT_TRUE(
      HasProblem(p, "department_type.missing_name", "Urban Mgmt", "name"))
      << Dump(p);
}

TEST(Validate, UnitIdentity) {
  v1::Dataset d = TinyDataset();
  *d.add_units() = d.units(0);
  v1::Unit* bad = d.add_units();
  bad->set_code("有空格 code");
  bad->set_region_code("320116000000");
  ProblemList p = ValidateDataset(d);
  EXPECT_TRUE(HasProblem(p, "unit.duplicate_code", "LH-GOV", "code"))
      << Dump(p);
  EXPECT_TRUE(HasProblem(p, "unit.malformed_code", "有空格 code", "code"))
      << Dump(p);
  EXPECT_TRUE(HasProblem(p, "unit.missing_name", "有空格 code", "name"));
  EXPECT_TRUE(HasProblem(p, "unit.missing_kind", "有空格 code", "kind"));
}

TEST(Validate, UnitUnknownRegion) {
  v1::Dataset d = TinyDataset();
  U(d, "ZZC-CWH")->set_region_code("320116100299");
  EXPECT_PROBLEM(d, "unit.unknown_region", "ZZC-CWH", "region_code");
}

TEST(Validate, UnitRegionLevel) {
  v1::Dataset d = TinyDataset();
  U(d, "LH-SJ")->set_region_code("320116001000");  // department in a street
  U(d, "XZ-ZHS")->set_region_code("320116000000");  // room at county level
  ProblemList p = ValidateDataset(d);
  EXPECT_TRUE(HasProblem(p, "unit.region_level", "LH-SJ", "region_code"))
      << Dump(p);
  EXPECT_TRUE(HasProblem(p, "unit.region_level", "XZ-ZHS", "region_code"))
      << Dump(p);
}

TEST(Validate, DispatchedUnitWhoseDepartmentDoesNotExist) {
  v1::Dataset d = TinyDataset();
  U(d, "XZ-CG")->set_parent_unit_code("LH-ZJ");
  EXPECT_PROBLEM(d, "unit.unknown_parent", "XZ-CG", "parent_unit_code");
  d = TinyDataset();
  U(d, "XZ-CG")->set_parent_unit_code("XZ-GOV");  // not a department
  EXPECT_PROBLEM(d, "unit.parent_kind", "XZ-CG", "parent_unit_code");
  d = TinyDataset();
  U(d, "XZ-CG")->clear_parent_unit_code();
  EXPECT_PROBLEM(d, "unit.missing_parent", "XZ-CG", "parent_unit_code");
}

TEST(Validate, UnitDepartmentTypes) {
  v1::Dataset d = TinyDataset();
  U(d, "LH-CG")->set_department_type("urban_mgmt");
  U(d, "LH-SJ")->clear_department_type();
  U(d, "SJ-XZ")->set_department_type("urban_management");
  U(d, "XZ-GOV")->set_department_type("urban_management");
  ProblemList p = ValidateDataset(d);
  EXPECT_TRUE(HasProblem(p, "unit.unknown_department_type", "LH-CG",
                         "department_type"))
      << Dump(p);
  EXPECT_TRUE(HasProblem(p, "unit.missing_department_type", "LH-SJ",
                         "department_type"))
      << Dump(p);
  EXPECT_TRUE(HasProblem(p, "unit.department_type_mismatch", "SJ-XZ",
                         "department_type"))
      << Dump(p);
  EXPECT_TRUE(
      HasProblem(p, "unit.field_for_kind", "XZ-GOV", "department_type"))
      << Dump(p);
}

// A dispatched unit's huge department type is quoted to 64 bytes, like the
// unknown-type check beside it.
TEST(Validate, DepartmentTypeMismatchQuotesABoundedType) {
  v1::Dataset d = TinyDataset();
  U(d, "SJ-XZ")->set_department_type(std::string(200 << 10, 'x'));
  ProblemList p = ValidateDataset(d);
  EXPECT_TRUE(HasProblem(p, "unit.department_type_mismatch", "SJ-XZ",
                         "department_type"))
      << Dump(p).substr(0, 2000);
  for (const v1::Problem& problem : p.report().problems()) {
    EXPECT_LT(problem.message().size(), 256u) << problem.rule();
  }
}

TEST(Validate, DispatchedOutsideItsDepartment) {
  v1::Dataset d = TinyDataset();
  // A second county with its own department; a Luhe street's squadron
  // cannot belong to it.
  v1::Region* c = d.add_regions();
  c->set_code("320117000000");
  c->set_parent_code("320100000000");
  c->set_level(v1::REGION_LEVEL_COUNTY);
  c->set_name("溧水区");
  v1::Unit* dept = d.add_units();
  dept->set_code("LS-CG");
  dept->set_name("溧水城管局");
  dept->set_kind(v1::UNIT_KIND_DEPARTMENT);
  dept->set_region_code("320117000000");
  dept->set_department_type("urban_management");
  U(d, "XZ-CG")->set_parent_unit_code("LS-CG");
  EXPECT_PROBLEM(d, "unit.dispatched_outside", "XZ-CG", "region_code");
}

TEST(Validate, CoveredRegion) {
  v1::Dataset d = TinyDataset();
  U(d, "SJ-XZ")->add_covered_region_codes("320116100201");  // a village
  U(d, "SJ-XZ")->add_covered_region_codes("320116999000");
  ProblemList p = ValidateDataset(d);
  EXPECT_TRUE(HasProblem(p, "unit.covered_region", "SJ-XZ",
                         "covered_region_codes[1]"))
      << Dump(p);
  EXPECT_TRUE(HasProblem(p, "unit.covered_region", "SJ-XZ",
                         "covered_region_codes[2]"))
      << Dump(p);
}

TEST(Validate, CommandCentreCover) {
  // A county's 12345 centre may serve a township of another county; a
  // second centre of that type covering the same township may not.
  v1::Dataset d = TinyDataset();
  AddRegion(&d, "320111000000", "320100000000", v1::REGION_LEVEL_COUNTY);
  AddRegion(&d, "320111001000", "320111000000", v1::REGION_LEVEL_TOWNSHIP);
  AddCentre(&d, "LH-12345", "320116000000", v1::CENTRE_TYPE_HOTLINE_12345)
      ->add_covered_region_codes("320111001000");
  AddCentre(&d, "NJ-12345", "320100000000", v1::CENTRE_TYPE_HOTLINE_12345);
  ProblemList ok = ValidateDataset(d);
  EXPECT_FALSE(HasProblem(ok, "unit.duplicate_government", "LH-12345",
                          "covered_region_codes[0]"))
      << Dump(ok);

  AddCentre(&d, "PK-12345", "320111000000", v1::CENTRE_TYPE_CITY_OPERATIONS)
      ->add_covered_region_codes("320111001000");  // another type: fine
  AddCentre(&d, "ZZ-12345", "320111000000", v1::CENTRE_TYPE_HOTLINE_12345)
      ->add_covered_region_codes("320111001000");  // LH-12345 covers it
  ProblemList p = ValidateDataset(d);
  EXPECT_TRUE(HasProblem(p, "unit.duplicate_government", "ZZ-12345",
                         "covered_region_codes[0]"))
      << Dump(p);
  EXPECT_FALSE(HasProblem(p, "unit.duplicate_government", "PK-12345",
                          "covered_region_codes[0]"))
      << Dump(p);
}

TEST(Validate, OfficeAndCentreTypes) {
  v1::Dataset d = TinyDataset();
  U(d, "XZ-DJB")->clear_office_type();
  U(d, "ZZ-ZHS")->clear_centre_type();
  U(d, "LH-GOV")->set_office_type(v1::OFFICE_TYPE_LOCAL);
  ProblemList p = ValidateDataset(d);
  EXPECT_TRUE(
      HasProblem(p, "unit.missing_office_type", "XZ-DJB", "office_type"))
      << Dump(p);
  EXPECT_TRUE(
      HasProblem(p, "unit.missing_centre_type", "ZZ-ZHS", "centre_type"))
      << Dump(p);
  EXPECT_TRUE(HasProblem(p, "unit.field_for_kind", "LH-GOV", "office_type"))
      << Dump(p);
}

// A township has one enforcement team and one joint-enforcement centre,
// its government's: a second one, or one under a department (a
// department's team in a township is a dispatched unit), would take the
// enforcement cases and delegations by code order.
TEST(Validate, OneEnforcementTeamAndJointCentrePerTownship) {
  v1::Dataset d = TinyDataset();
  v1::Unit* team = d.add_units();
  *team = *U(d, "ZZ-ZFD");
  team->set_code("ZZ-AAA");
  v1::Unit* joint = d.add_units();
  *joint = *U(d, "XZ-LHZF");
  joint->set_code("XZ-AAA");
  v1::Unit* departments = d.add_units();
  *departments = *U(d, "ZZ-ZFD");
  departments->set_code("LH-CG-TEAM");
  departments->set_region_code("320116001000");
  departments->set_parent_unit_code("LH-CG");
  ProblemList p = ValidateDataset(d);
  EXPECT_TRUE(
      HasProblem(p, "unit.duplicate_government", "ZZ-AAA", "region_code"))
      << Dump(p);
  EXPECT_TRUE(
      HasProblem(p, "unit.duplicate_government", "XZ-AAA", "region_code"))
      << Dump(p);
  EXPECT_TRUE(
      HasProblem(p, "unit.parent_kind", "LH-CG-TEAM", "parent_unit_code"))
      << Dump(p);
}

TEST(Validate, OneLeadPerRole) {
  v1::Dataset d = TinyDataset();
  v1::Unit* gov = d.add_units();
  *gov = *U(d, "ZZ-GOV");
  gov->set_code("ZZ-GOV-2");
  v1::Unit* dept = d.add_units();
  *dept = *U(d, "LH-CG");
  dept->set_code("LH-CG-2");
  v1::Unit* squad = d.add_units();
  *squad = *U(d, "ZZ-CG");
  squad->set_code("ZZ-CG-2");
  v1::Unit* station = d.add_units();
  *station = *U(d, "SJ-XZ");
  station->set_code("SJ-ZZ");
  station->set_region_code("320116100000");
  station->clear_covered_region_codes();
  ProblemList p = ValidateDataset(d);
  EXPECT_TRUE(
      HasProblem(p, "unit.duplicate_government", "ZZ-GOV-2", "region_code"))
      << Dump(p);
  EXPECT_TRUE(HasProblem(p, "unit.duplicate_department", "LH-CG-2",
                         "department_type"))
      << Dump(p);
  EXPECT_TRUE(
      HasProblem(p, "unit.duplicate_dispatched", "ZZ-CG-2", "region_code"))
      << Dump(p);
  // SJ-XZ already covers 竹镇镇.
  EXPECT_TRUE(
      HasProblem(p, "unit.duplicate_dispatched", "SJ-ZZ", "region_code"))
      << Dump(p);
}

TEST(Validate, InstitutionCapIsAWarning) {
  v1::Dataset d = TinyDataset();
  d.mutable_organization_policy()->set_institution_cap_large(2);
  ProblemList p = ValidateDataset(d);
  EXPECT_EQ(p.warning_count(), 0) << Dump(p);  // room + 1 office = 2
  v1::Unit* office = d.add_units();
  *office = *U(d, "XZ-DJB");
  office->set_code("XZ-FZB");
  office->set_office_type(v1::OFFICE_TYPE_DEVELOPMENT_SERVICES);
  p = ValidateDataset(d);
  EXPECT_EQ(p.error_count(), 0) << Dump(p);
  EXPECT_TRUE(HasProblem(p, "unit.institution_cap", "320116001000",
                         "township_class"))
      << Dump(p);
}

// The warnings come in the dataset's order of townships, the same bytes on
// every run (they were once in a hash table's order, which changes from
// table to table).
TEST(Validate, InstitutionCapWarningsInRegionOrder) {
  v1::Dataset d = SampleDataset();
  d.mutable_organization_policy()->set_institution_cap_general(1);
  d.mutable_organization_policy()->set_institution_cap_large(1);
  d.mutable_organization_policy()->set_institution_cap_extra_large(1);
  std::vector<std::string> townships;  // in the dataset's order
  for (const v1::Region& r : d.regions()) {
    if (r.level() == v1::REGION_LEVEL_TOWNSHIP) townships.push_back(r.code());
  }
  for (int run = 0; run < 8; ++run) {
    const ProblemList p = ValidateDataset(d);
    std::vector<std::string> warned;
    for (const v1::Problem& problem : p.report().problems()) {
      if (problem.rule() == "unit.institution_cap") {
        warned.push_back(problem.element_code());
      }
    }
    ASSERT_GE(warned.size(), 3u) << Dump(p);
    std::vector<std::string> expected;
    for (const std::string& t : townships) {
      if (std::find(warned.begin(), warned.end(), t) != warned.end()) {
        expected.push_back(t);
      }
    }
    EXPECT_EQ(warned, expected) << "run " << run;
  }
}

TEST(Validate, UnitParentRegion) {
  v1::Dataset d = TinyDataset();
  U(d, "ZZ-ZFD")->set_parent_unit_code("XZ-GOV");  // another township's
  EXPECT_PROBLEM(d, "unit.parent_region", "ZZ-ZFD", "region_code");
}

TEST(Validate, PoliceGrids) {
  v1::Dataset d = TinyDataset();
  v1::PoliceGrid* pg = d.add_police_grids();
  pg->set_code("JG-01");
  pg->set_police_station_unit_code("GA-ZZ");
  pg->add_grid_codes("32011600100101");  // already linked by JG-01
  pg->add_grid_codes("320116100201");    // a village, not a grid
  ProblemList p = ValidateDataset(d);
  EXPECT_TRUE(HasProblem(p, "police_grid.duplicate_code", "JG-01", "code"))
      << Dump(p);
  EXPECT_TRUE(HasProblem(p, "police_grid.unknown_station", "JG-01",
                         "police_station_unit_code"))
      << Dump(p);
  EXPECT_TRUE(HasProblem(p, "police_grid.grid_linked_twice", "JG-01",
                         "grid_codes[0]"))
      << Dump(p);
  EXPECT_TRUE(
      HasProblem(p, "police_grid.unknown_grid", "JG-01", "grid_codes[1]"))
      << Dump(p);
}

// A message quotes at most 64 bytes of another element's code,
// so that one huge string quoted by many problems keeps the report small.
TEST(Validate, QuotedCodesAreClippedInMessages) {
  v1::Dataset d = TinyDataset();
  const std::string huge(256 * 1024, 'G');
  d.mutable_police_grids(0)->set_code(huge);  // malformed, still quoted
  constexpr int kGrids = 1000;
  for (int i = 0; i < kGrids; ++i) {
    v1::PoliceGrid* pg = d.add_police_grids();
    pg->set_code(absl::StrCat("JG-X", i));
    pg->add_grid_codes("32011600100101");  // already linked by the first
  }
  ProblemList p = ValidateDataset(d);
  int linked_twice = 0;
  size_t message_bytes = 0;
  for (const v1::Problem& problem : p.report().problems()) {
    message_bytes += problem.message().size();
    EXPECT_LE(problem.element_code().size(), 64u + 3u);
    if (problem.rule() == "police_grid.grid_linked_twice") {
      ++linked_twice;
      EXPECT_NE(problem.message().find(
                    absl::StrCat("police grid ", std::string(64, 'G'))),
                std::string::npos)
          << problem.message();
    }
  }
  EXPECT_EQ(linked_twice, kGrids) << Dump(p);
  EXPECT_LT(message_bytes, size_t{kGrids} * 200);
}

// The backstop: whatever a validator passes, a recorded message keeps at
// most kMaxMessageBytes, cut at a UTF-8 boundary and marked with "…".
TEST(Validate, ProblemListCapsMessageLength) {
  ProblemList p;
  std::string long_text;
  for (int i = 0; i < 2000; ++i) long_text += "界";  // 3 bytes each
  p.Error("test.rule", "region", "320116001000", "code", long_text);
  p.Warning("test.rule", "region", "320116001000", "code", "short");
  ASSERT_EQ(p.report().problems_size(), 2);
  const std::string& clipped = p.report().problems(0).message();
  EXPECT_LE(clipped.size(), ProblemList::kMaxMessageBytes);
  EXPECT_GT(clipped.size(), ProblemList::kMaxMessageBytes - 6);
  EXPECT_EQ(clipped.substr(clipped.size() - 3), "…");
  EXPECT_EQ(clipped.substr(0, 3 * 100), long_text.substr(0, 3 * 100));
  EXPECT_EQ((clipped.size() - 3) % 3, 0u);  // no character cut in half
  EXPECT_EQ(p.report().problems(1).message(), "short");
}

TEST(Validate, ReportsEveryProblemNotJustTheFirst) {
  v1::Dataset d = TinyDataset();
  R(d, 12)->set_parent_code("320116100299");
  R(d, 10)->set_code("32011610020301");
  U(d, "XZ-CG")->set_parent_unit_code("LH-ZJ");
  ProblemList p = ValidateDataset(d);
  EXPECT_EQ(p.error_count(), 3) << Dump(p);
  absl::Status s = p.ToStatus();
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("dataset has 3 errors"), std::string::npos)
      << s;
}

// Never recurse over user data: a 10^6-deep chain of micro grids is
// validated in linear time and constant stack, with a bounded report.
// (10^6 children under one node: see ForestLayout.MillionChildren.)
TEST(Validate, MillionDeepChain) {
  v1::Dataset deep = TinyDataset();
  constexpr int kN = 1000000;
  std::string parent = "32011600100101";
  deep.mutable_regions()->Reserve(kN + 20);
  for (int i = 0; i < kN; ++i) {
    v1::Region* r = deep.add_regions();
    std::string code = absl::StrCat(3201160010010100000ull + i);
    r->set_code(code);
    r->set_parent_code(parent);
    r->set_level(v1::REGION_LEVEL_GRID);
    r->set_grid_kind(v1::GRID_KIND_MICRO);
    r->set_name("m");
    parent = code;
  }
  ProblemList p = ValidateDataset(deep);
  EXPECT_GT(p.error_count(), kN - 10);
  EXPECT_LE(p.report().problems_size(), ProblemList::kMaxRecorded);
}

TEST(Validate, HugeStringsAreBoundedInTheReport) {
  v1::Dataset d = TinyDataset();
  R(d, 12)->set_parent_code(std::string(100 << 20, '7'));  // 100 MB
  ProblemList p = ValidateDataset(d);
  ASSERT_EQ(p.error_count(), 1) << p.report().problems(0).message().size();
  EXPECT_LT(p.report().ByteSizeLong(), 4096u);
}

}  // namespace
}  // namespace jiceng
