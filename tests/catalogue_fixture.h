// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0
//
// TinyDataset() plus a small catalogue for catalogue, admission and analysis
// tests: a construction-waste matter with a general rule and three
// attribute-specific rules, an exposed-garbage matter handled by the grid,
// a hotline matter split by request kind, a penalty item delegated to the
// extra-large town from 2026-07-01, a cooperating item, a reclaimed item,
// a village duty, abolished certificates.

#ifndef JICENG_TESTS_CATALOGUE_FIXTURE_H_
#define JICENG_TESTS_CATALOGUE_FIXTURE_H_

#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"
#include "jiceng/v1/dataset.pb.h"
#include "tests/test_datasets.h"

namespace jiceng {

inline constexpr char kTinyCatalogue[] = R"pb(
  catalogue {
    attributes { key: "site" name: "发现地点" type: ATTRIBUTE_TYPE_STRING
                 allowed_values: "road" allowed_values: "river" allowed_values: "farmland" }
    attributes { key: "area_m2" name: "面积" type: ATTRIBUTE_TYPE_NUMBER }
    attributes { key: "licensed" name: "有证" type: ATTRIBUTE_TYPE_BOOL }
    items { code: "CG-CF-001" name: "对随意倾倒建筑垃圾的处罚" list_type: LIST_TYPE_ENFORCEMENT
            power_kind: POWER_KIND_PENALTY department_type: "urban_management"
            exercising_level: REGION_LEVEL_COUNTY
            legal_basis { law: "《城市建筑垃圾管理规定》" article: "第二十六条" }
            limits { handle { amount: 4 unit: TIME_UNIT_WORKING_HOURS } }
            effective_date: "2026-01-01" }
    items { code: "SD-001" name: "暴露垃圾清理" list_type: LIST_TYPE_TERRITORIAL
            township_role: TOWNSHIP_ROLE_BASIC exercising_level: REGION_LEVEL_TOWNSHIP
            legal_basis { law: "《城市市容和环境卫生管理条例》" } }
    items { code: "PH-001" name: "食品安全隐患排查" list_type: LIST_TYPE_TERRITORIAL
            township_role: TOWNSHIP_ROLE_COOPERATING lead_department_type: "market_supervision"
            exercising_level: REGION_LEVEL_TOWNSHIP }
    items { code: "SH-001" name: "户外广告设置许可" list_type: LIST_TYPE_POWER
            power_kind: POWER_KIND_LICENSING department_type: "urban_management"
            township_role: TOWNSHIP_ROLE_RECLAIMED statutory_department_matter: true
            exercising_level: REGION_LEVEL_COUNTY }
    items { code: "CS-001" name: "人口信息采集" list_type: LIST_TYPE_VILLAGE_DUTY
            exercising_level: REGION_LEVEL_VILLAGE }
    items { code: "ZW-001" name: "社保咨询" list_type: LIST_TYPE_GOVERNMENT_SERVICE
            department_type: "market_supervision" exercising_level: REGION_LEVEL_COUNTY
            legal_basis { law: "《社会保险法》" } }
    matters { code: "01005" name: "建筑垃圾" category: MATTER_CATEGORY_EVENT major_class: "市容环境" }
    matters { code: "01001" name: "暴露垃圾" category: MATTER_CATEGORY_EVENT major_class: "市容环境" }
    matters { code: "H0101" name: "社保咨询投诉" category: MATTER_CATEGORY_HOTLINE }
    rules { id: "R-01005" matter_code: "01005" item_code: "CG-CF-001"
            lead { kind: ROLE_KIND_COUNTY_DEPARTMENT department_type: "urban_management" }
            co_handlers { kind: ROLE_KIND_TOWNSHIP_COMMAND_ROOM }
            supervisor { kind: ROLE_KIND_TOWNSHIP_COMMAND_ROOM } }
    rules { id: "R-01005-road" matter_code: "01005" item_code: "CG-CF-001"
            attributes { key: "site" equals: "road" }
            lead { kind: ROLE_KIND_DISPATCHED_UNIT department_type: "urban_management" }
            supervisor { kind: ROLE_KIND_TOWNSHIP_COMMAND_ROOM } }
    rules { id: "R-01005-river" matter_code: "01005" item_code: "CG-CF-001"
            attributes { key: "site" equals: "river" }
            lead { kind: ROLE_KIND_COUNTY_DEPARTMENT department_type: "urban_management" }
            co_handlers { kind: ROLE_KIND_VILLAGE_COMMITTEE } }
    rules { id: "R-01005-big" matter_code: "01005" item_code: "CG-CF-001" priority: 1
            attributes { key: "area_m2" range { min: 1000 } }
            lead { kind: ROLE_KIND_COUNTY_SOCIAL_GOVERNANCE_CENTRE }
            tier: HANDLING_TIER_COUNTY }
    rules { id: "R-01001" matter_code: "01001" item_code: "SD-001"
            lead { kind: ROLE_KIND_GRID_WORKER } tier: HANDLING_TIER_GRID
            supervisor { kind: ROLE_KIND_TOWNSHIP_COMMAND_ROOM } }
    rules { id: "R-H0101-consult" matter_code: "H0101" item_code: "ZW-001"
            request_kinds: REQUEST_KIND_CONSULT
            lead { kind: ROLE_KIND_NAMED_UNIT unit_code: "LH-SJ" } }
    rules { id: "R-H0101-complaint" matter_code: "H0101" item_code: "ZW-001"
            request_kinds: REQUEST_KIND_COMPLAINT request_kinds: REQUEST_KIND_REPORT
            lead { kind: ROLE_KIND_DISPATCHED_UNIT department_type: "market_supervision" } }
    delegations { id: "D-001" item_code: "CG-CF-001" from_department_type: "urban_management"
                  scope { township_class: TOWNSHIP_CLASS_EXTRA_LARGE }
                  mode: DELEGATION_MODE_OWN_NAME effective_date: "2026-07-01"
                  document: "六政发〔2026〕18号" }
    abolished_duties { code: "AB-01" name: "居住证明" keywords: "居住证明" document: "宁委办发〔2015〕" }
    retired_item_codes: "CG-OLD-001"
  }
)pb";

inline v1::Dataset TinyWithCatalogue() {
  v1::Dataset d = TinyDataset();
  EXPECT_TRUE(google::protobuf::TextFormat::MergeFromString(kTinyCatalogue, &d));
  return d;
}

}  // namespace jiceng

#endif  // JICENG_TESTS_CATALOGUE_FIXTURE_H_
