// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0
//
// Small hand-written datasets for unit tests, and a problem finder.
//
// Example:
//   v1::Dataset d = TinyDataset();
//   d.mutable_regions(5)->set_parent_code("320116009999");
//   EXPECT_TRUE(HasProblem(ValidateDataset(d), "region.dangling_parent",
//                          "32011600100101", "parent_code"));

#ifndef JICENG_TESTS_TEST_DATASETS_H_
#define JICENG_TESTS_TEST_DATASETS_H_

#include <string>

#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"
#include "jiceng/v1/dataset.pb.h"
#include "src/dataset/problems.h"

namespace jiceng {

// A valid county: 江苏省 > 南京市 > 六合区 > two townships (a street of class
// LARGE and an extra-large town) > three villages > grids (base, dedicated,
// micro), the units routing needs, one police grid and the 2026 calendar.
// Regions are listed top-down; indices are stable for tests:
//   0 province 320000000000   1 city 320100000000   2 county 320116000000
//   3 street 320116001000     4 community 320116001001
//   5 grid 32011600100101     6 grid 32011600100102 (dedicated, school)
//   7 micro 3201160010010101
//   8 town 320116100000       9 village 320116100201  10 grid 32011610020101
//  11 village 320116100202   12 grid 32011610020201
inline constexpr char kTinyDataset[] = R"pb(
  meta { id: "tiny" version: "1" effective_date: "2026-01-01" }
  regions { code: "320000000000" level: REGION_LEVEL_PROVINCE name: "江苏省" }
  regions { code: "320100000000" parent_code: "320000000000" level: REGION_LEVEL_CITY name: "南京市" }
  regions { code: "320116000000" parent_code: "320100000000" level: REGION_LEVEL_COUNTY name: "六合区" }
  regions { code: "320116001000" parent_code: "320116000000" level: REGION_LEVEL_TOWNSHIP name: "雄州街道"
            township_kind: TOWNSHIP_KIND_STREET township_class: TOWNSHIP_CLASS_LARGE }
  regions { code: "320116001001" parent_code: "320116001000" level: REGION_LEVEL_VILLAGE name: "龙津社区"
            village_kind: VILLAGE_KIND_COMMUNITY urban_rural_class: URBAN_RURAL_CLASS_MAIN_URBAN }
  regions { code: "32011600100101" parent_code: "320116001001" level: REGION_LEVEL_GRID name: "龙津第1网格"
            grid_kind: GRID_KIND_BASE staffing { heads: 1 full_time: 1 part_time: 2 volunteers: 5 } }
  regions { code: "32011600100102" parent_code: "320116001001" level: REGION_LEVEL_GRID name: "实验小学专属网格"
            grid_kind: GRID_KIND_DEDICATED dedicated_site: DEDICATED_GRID_SITE_SCHOOL }
  regions { code: "3201160010010101" parent_code: "32011600100101" level: REGION_LEVEL_GRID name: "第1微网格"
            grid_kind: GRID_KIND_MICRO }
  regions { code: "320116100000" parent_code: "320116000000" level: REGION_LEVEL_TOWNSHIP name: "竹镇镇"
            township_class: TOWNSHIP_CLASS_EXTRA_LARGE }
  regions { code: "320116100201" parent_code: "320116100000" level: REGION_LEVEL_VILLAGE name: "竹镇村"
            urban_rural_class: URBAN_RURAL_CLASS_VILLAGE }
  regions { code: "32011610020101" parent_code: "320116100201" level: REGION_LEVEL_GRID name: "竹镇村第1网格"
            grid_kind: GRID_KIND_BASE staffing { heads: 1 full_time: 1 part_time: 2 } }
  regions { code: "320116100202" parent_code: "320116100000" level: REGION_LEVEL_VILLAGE name: "大泉村" }
  regions { code: "32011610020201" parent_code: "320116100202" level: REGION_LEVEL_GRID name: "大泉村第1网格"
            grid_kind: GRID_KIND_BASE staffing { heads: 1 full_time: 1 part_time: 3 } }
  department_types { code: "urban_management" name: "城市管理局" enforces: true }
  department_types { code: "market_supervision" name: "市场监督管理局" enforces: true }
  department_types { code: "public_security" name: "公安分局" enforces: true }
  units { code: "LH-GOV" name: "六合区人民政府" kind: UNIT_KIND_GOVERNMENT region_code: "320116000000" }
  units { code: "LH-CG" name: "城管局" kind: UNIT_KIND_DEPARTMENT region_code: "320116000000"
          parent_unit_code: "LH-GOV" department_type: "urban_management" }
  units { code: "LH-SJ" name: "市场监管局" kind: UNIT_KIND_DEPARTMENT region_code: "320116000000"
          department_type: "market_supervision" }
  units { code: "LH-GA" name: "公安分局" kind: UNIT_KIND_DEPARTMENT region_code: "320116000000"
          department_type: "public_security" }
  units { code: "LH-SZZX" name: "社会治理中心" kind: UNIT_KIND_COMMAND_CENTRE region_code: "320116000000"
          centre_type: CENTRE_TYPE_COUNTY_SOCIAL_GOVERNANCE staff_count: 18 }
  units { code: "XZ-GOV" name: "雄州街道办事处" kind: UNIT_KIND_GOVERNMENT region_code: "320116001000"
          parent_unit_code: "LH-GOV" }
  units { code: "XZ-ZHS" name: "雄州综合信息指挥室" kind: UNIT_KIND_COMMAND_CENTRE region_code: "320116001000"
          parent_unit_code: "XZ-GOV" centre_type: CENTRE_TYPE_TOWNSHIP_COMMAND_ROOM }
  units { code: "XZ-DJB" name: "党建综合办公室" kind: UNIT_KIND_INTERNAL_OFFICE region_code: "320116001000"
          parent_unit_code: "XZ-GOV" office_type: OFFICE_TYPE_PARTY_BUILDING }
  units { code: "XZ-LHZF" name: "雄州联合执法中心" kind: UNIT_KIND_JOINT_ENFORCEMENT_CENTRE
          region_code: "320116001000" parent_unit_code: "XZ-GOV" }
  units { code: "XZ-CG" name: "雄州城管中队" kind: UNIT_KIND_DISPATCHED region_code: "320116001000"
          parent_unit_code: "LH-CG" }
  units { code: "SJ-XZ" name: "雄州市场监管所" kind: UNIT_KIND_DISPATCHED region_code: "320116001000"
          parent_unit_code: "LH-SJ" department_type: "market_supervision"
          covered_region_codes: "320116100000" }
  units { code: "GA-XZ" name: "雄州派出所" kind: UNIT_KIND_DISPATCHED region_code: "320116001000"
          parent_unit_code: "LH-GA" }
  units { code: "LJ-JWH" name: "龙津社区居委会" kind: UNIT_KIND_VILLAGE_COMMITTEE region_code: "320116001001" }
  units { code: "ZZ-GOV" name: "竹镇镇人民政府" kind: UNIT_KIND_GOVERNMENT region_code: "320116100000" }
  units { code: "ZZ-ZHS" name: "竹镇综合信息指挥室" kind: UNIT_KIND_COMMAND_CENTRE region_code: "320116100000"
          parent_unit_code: "ZZ-GOV" centre_type: CENTRE_TYPE_TOWNSHIP_COMMAND_ROOM }
  units { code: "ZZ-ZFD" name: "竹镇综合行政执法队" kind: UNIT_KIND_ENFORCEMENT_TEAM region_code: "320116100000"
          parent_unit_code: "ZZ-GOV" }
  units { code: "ZZ-CG" name: "竹镇城管中队" kind: UNIT_KIND_DISPATCHED region_code: "320116100000"
          parent_unit_code: "LH-CG" }
  units { code: "ZZC-CWH" name: "竹镇村村委会" kind: UNIT_KIND_VILLAGE_COMMITTEE region_code: "320116100201" }
  police_grids { code: "JG-01" name: "雄州警格" police_station_unit_code: "GA-XZ"
                 grid_codes: "32011600100101" grid_codes: "32011600100102" }
  calendar {
    time_zone: "Asia/Shanghai" utc_offset_minutes: 480
    first_date: "2026-01-01" last_date: "2026-12-31"
    holidays { name: "元旦" first_date: "2026-01-01" last_date: "2026-01-03" }
    holidays { name: "春节" first_date: "2026-02-15" last_date: "2026-02-23" }
    holidays { name: "清明节" first_date: "2026-04-04" last_date: "2026-04-06" }
    holidays { name: "劳动节" first_date: "2026-05-01" last_date: "2026-05-05" }
    holidays { name: "端午节" first_date: "2026-06-19" last_date: "2026-06-21" }
    holidays { name: "中秋节" first_date: "2026-09-25" last_date: "2026-09-27" }
    holidays { name: "国庆节" first_date: "2026-10-01" last_date: "2026-10-07" }
    makeup_workdays { date: "2026-01-04" name: "元旦" }
    makeup_workdays { date: "2026-02-14" name: "春节" }
    makeup_workdays { date: "2026-02-28" name: "春节" }
    makeup_workdays { date: "2026-05-09" name: "劳动节" }
    makeup_workdays { date: "2026-09-20" name: "国庆节" }
    makeup_workdays { date: "2026-10-10" name: "国庆节" }
    windows { start_minute: 510 end_minute: 720 }
    windows { start_minute: 840 end_minute: 1050 }
  }
)pb";

inline v1::Dataset TinyDataset() {
  v1::Dataset d;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(kTinyDataset, &d));
  return d;
}

// Adds a region named by its code (a grid is a base grid).
inline v1::Region* AddRegion(v1::Dataset* d, const std::string& code,
                             const std::string& parent, v1::RegionLevel level) {
  v1::Region* r = d->add_regions();
  r->set_code(code);
  r->set_parent_code(parent);
  r->set_level(level);
  r->set_name(code);
  if (level == v1::REGION_LEVEL_GRID) r->set_grid_kind(v1::GRID_KIND_BASE);
  return r;
}

// Adds a command centre named by its code.
inline v1::Unit* AddCentre(v1::Dataset* d, const std::string& code,
                           const std::string& region, v1::CentreType type) {
  v1::Unit* u = d->add_units();
  u->set_code(code);
  u->set_name(code);
  u->set_kind(v1::UNIT_KIND_COMMAND_CENTRE);
  u->set_region_code(region);
  u->set_centre_type(type);
  return u;
}

// Whether `problems` holds a problem with this rule, element code and field.
inline bool HasProblem(const ProblemList& problems, const std::string& rule,
                       const std::string& element_code,
                       const std::string& field) {
  for (const v1::Problem& p : problems.report().problems()) {
    if (p.rule() == rule && p.element_code() == element_code &&
        p.field() == field) {
      return true;
    }
  }
  return false;
}

// All problems, one per line, for failure messages.
inline std::string Dump(const ProblemList& problems) {
  std::string out;
  for (const v1::Problem& p : problems.report().problems()) {
    out += FormatProblem(p);
    out += "\n";
  }
  return out;
}

}  // namespace jiceng

#endif  // JICENG_TESTS_TEST_DATASETS_H_
