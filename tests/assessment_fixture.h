// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0
//
// A small fixed set of hand-built case records over the tiny county of
// tests/test_datasets.h (with the sample's assessment weights), shared by
// the assessment tests. tests/assess_test.cc computes their figures by hand.
//
// Example:
//   std::unique_ptr<const Engine> engine = TinyAssessmentEngine();
//   absl::StatusOr<v1::AssessmentReport> r =
//       Assess(*engine, FixedAssessRequest());

#ifndef JICENG_TESTS_ASSESSMENT_FIXTURE_H_
#define JICENG_TESTS_ASSESSMENT_FIXTURE_H_

#include <cstdint>
#include <memory>
#include <string>
#include <utility>

#include "gtest/gtest.h"
#include "jiceng/v1/assessment.pb.h"
#include "src/engine/engine.h"
#include "tests/test_datasets.h"

namespace jiceng {

// The period: March 2026 in Asia/Shanghai, [03-01 00:00, 04-01 00:00).
inline constexpr int64_t kMarchStart = 1772294400;  // 2026-02-28T16:00:00Z
inline constexpr int64_t kMarchEnd = 1774972800;    // 2026-03-31T16:00:00Z
inline constexpr int64_t kHour = 3600;
inline constexpr int64_t kDay = 86400;

// The tiny county with the sample's weights: townships satisfaction 50,
// villages 70, the county (and its departments) 30 with 30 for the
// townships' reverse evaluation. Province and city keep the defaults
// 40/15/20/15/5/5.
inline std::unique_ptr<const Engine> TinyAssessmentEngine() {
  v1::Dataset d = TinyDataset();
  v1::AssessmentPolicy* p = d.mutable_assessment_policy();
  v1::ScoreWeights* county = p->add_weights();
  county->set_level(v1::REGION_LEVEL_COUNTY);
  county->set_satisfaction(30);
  county->set_response(10);
  county->set_resolution(15);
  county->set_on_time(10);
  county->set_return_rate(5);
  county->set_reverse_evaluation(30);
  v1::ScoreWeights* township = p->add_weights();
  township->set_level(v1::REGION_LEVEL_TOWNSHIP);
  township->set_satisfaction(50);
  township->set_response(10);
  township->set_resolution(15);
  township->set_on_time(15);
  township->set_return_rate(5);
  township->set_rework(5);
  v1::ScoreWeights* village = p->add_weights();
  village->set_level(v1::REGION_LEVEL_VILLAGE);
  village->set_satisfaction(70);
  village->set_response(10);
  village->set_resolution(10);
  village->set_on_time(10);
  absl::StatusOr<std::unique_ptr<const Engine>> e = Engine::Compile(d);
  EXPECT_TRUE(e.ok()) << e.status();
  return std::move(*e);
}

// A record received `hours` after the period start, registered a minute
// and dispatched two minutes later, led by a unit.
inline v1::CaseRecord Dispatched(const std::string& id, uint64_t location,
                          int64_t hours, const std::string& lead,
                          v1::HandlingTier tier) {
  v1::CaseRecord r;
  r.mutable_case_()->set_id(id);
  r.mutable_case_()->set_location_code(location);
  r.set_received_at(kMarchStart + hours * kHour);
  r.set_registered_at(r.received_at() + 60);
  r.set_dispatched_at(r.received_at() + 120);
  r.set_state(v1::CASE_STATE_DISPATCHED);
  r.mutable_decision()->mutable_lead()->set_kind(v1::HANDLER_KIND_UNIT);
  r.mutable_decision()->mutable_lead()->set_code(lead);
  r.mutable_decision()->set_tier(tier);
  return r;
}

// A clock of `stage` started at dispatch, due `due` seconds later, done
// `done` seconds later (0: still running).
inline void AddClock(v1::CaseRecord* r, v1::Stage stage, int64_t due,
                     int64_t done) {
  v1::StageClock* c = r->add_clocks();
  c->set_stage(stage);
  c->set_started_at(r->dispatched_at());
  c->set_due_at(r->dispatched_at() + due);
  if (done != 0) c->set_done_at(r->dispatched_at() + done);
}

inline void Close(v1::CaseRecord* r, v1::Satisfaction s) {
  r->set_state(s == v1::SATISFACTION_UNSPECIFIED ? v1::CASE_STATE_CLOSED
                                                 : v1::CASE_STATE_EVALUATED);
  r->set_closed_at(r->dispatched_at() + 2 * kDay);
  r->set_satisfaction(s);
}

inline void Rate(v1::CaseRecord* r, const std::string& department,
          const std::string& township, int score) {
  v1::DepartmentRating* rating = r->add_ratings();
  rating->set_department_code(department);
  rating->set_township_code(township);
  rating->set_score(score);
}

// Locations.
inline constexpr uint64_t kLongjinGrid = 32011600100101;  // 雄州街道 > 龙津社区
inline constexpr uint64_t kLongjin = 320116001001;        // 龙津社区 itself
inline constexpr uint64_t kZhuzhenGrid = 32011610020101;  // 竹镇镇 > 竹镇村
inline constexpr uint64_t kDaquanGrid = 32011610020201;   // 竹镇镇 > 大泉村

// The fixed set. "signed ok" = sign-for clock done by its due time.
//   R1  龙津 grid, XZ-CG, tier grid (resolved_tier grid): signed ok,
//       handled ok, closed, SATISFIED.
//   R2  龙津 grid, XZ-CG, tier village (no resolved_tier: the decision's):
//       signed LATE; a first handle clock late, a rework, the second on
//       time (still late: every handle clock counts); closed,
//       BASICALLY_SATISFIED; reworks 1.
//   R3  龙津 community, LJ-JWH, tier village: signed ok, handled LATE,
//       reopened once and closed again, DISSATISFIED; extensions 1.
//   R4  竹镇村 grid, LH-CG, tier county: returned once by ZZ-CG, signed ok,
//       the handle clock still running, due 2 days after dispatch: open and
//       overdue at the period end.
//   R5  大泉村 grid, ZZ-ZHS, tier township: signed ok, handled ok, closed,
//       SATISFIED; co-handler LH-SJ; parks 1; ZZ-ZHS (竹镇 command room)
//       rates LH-CG 90.
//   R6  竹镇村 grid, LH-CG, tier county: signed ok, handled ok, closed,
//       NOT_REACHED; 雄州街道 (region code) rates LH-CG 60, 竹镇镇 rates
//       LH-GA 70.
//   R7  an unknown grid 32011699999901, lead NO-SUCH-UNIT, only RECEIVED.
//   R8  received the day before the period: outside.
//   R9  MERGED into another record: counted apart.
//   R10 龙津 community, CANCELLED (received, never registered).
//   R11 大泉村 grid, ZZ-CG, PARKED with a clock past due (not overdue:
//       parked clocks stand still); signed ok; parks 1.
//   R12 龙津 grid, led by the grid itself (HANDLER_KIND_GRID), tier grid:
//       signed ok, handled ok, closed, SATISFIED.
inline v1::AssessRequest FixedAssessRequest() {
  v1::AssessRequest q;
  q.set_period_start(kMarchStart);
  q.set_period_end(kMarchEnd);

  v1::CaseRecord r1 = Dispatched("R1", kLongjinGrid, 1, "XZ-CG",
                                 v1::HANDLING_TIER_GRID);
  AddClock(&r1, v1::STAGE_SIGN_FOR, kHour, 600);
  AddClock(&r1, v1::STAGE_HANDLE, kDay, kHour);
  Close(&r1, v1::SATISFACTION_SATISFIED);
  r1.set_resolved_tier(v1::HANDLING_TIER_GRID);
  *q.add_records() = r1;

  v1::CaseRecord r2 = Dispatched("R2", kLongjinGrid, 2, "XZ-CG",
                                 v1::HANDLING_TIER_VILLAGE);
  AddClock(&r2, v1::STAGE_SIGN_FOR, kHour, 2 * kHour);
  AddClock(&r2, v1::STAGE_HANDLE, kDay, 2 * kDay);
  AddClock(&r2, v1::STAGE_HANDLE, 3 * kDay, 2 * kDay + kHour);
  r2.mutable_counters()->set_reworks(1);
  Close(&r2, v1::SATISFACTION_BASICALLY_SATISFIED);
  *q.add_records() = r2;

  v1::CaseRecord r3 = Dispatched("R3", kLongjin, 3, "LJ-JWH",
                                 v1::HANDLING_TIER_VILLAGE);
  AddClock(&r3, v1::STAGE_SIGN_FOR, kHour, 600);
  AddClock(&r3, v1::STAGE_HANDLE, kDay, 2 * kDay);
  r3.mutable_counters()->set_reopens(1);
  r3.mutable_counters()->set_extensions(1);
  Close(&r3, v1::SATISFACTION_DISSATISFIED);
  *q.add_records() = r3;

  v1::CaseRecord r4 = Dispatched("R4", kZhuzhenGrid, 4, "LH-CG",
                                 v1::HANDLING_TIER_COUNTY);
  AddClock(&r4, v1::STAGE_SIGN_FOR, kHour, 600);
  AddClock(&r4, v1::STAGE_HANDLE, 2 * kDay, 0);
  r4.set_state(v1::CASE_STATE_SIGNED);
  r4.add_returned_by("ZZ-CG");
  r4.mutable_counters()->set_returns(1);
  *q.add_records() = r4;

  v1::CaseRecord r5 = Dispatched("R5", kDaquanGrid, 5, "ZZ-ZHS",
                                 v1::HANDLING_TIER_TOWNSHIP);
  AddClock(&r5, v1::STAGE_SIGN_FOR, kHour, 600);
  AddClock(&r5, v1::STAGE_HANDLE, kDay, kHour);
  v1::Handler* co = r5.mutable_decision()->add_co_handlers();
  co->set_kind(v1::HANDLER_KIND_UNIT);
  co->set_code("LH-SJ");
  r5.mutable_counters()->set_parks(1);
  Close(&r5, v1::SATISFACTION_SATISFIED);
  Rate(&r5, "LH-CG", "ZZ-ZHS", 90);
  *q.add_records() = r5;

  v1::CaseRecord r6 = Dispatched("R6", kZhuzhenGrid, 6, "LH-CG",
                                 v1::HANDLING_TIER_COUNTY);
  AddClock(&r6, v1::STAGE_SIGN_FOR, kHour, 600);
  AddClock(&r6, v1::STAGE_HANDLE, kDay, kHour);
  Close(&r6, v1::SATISFACTION_NOT_REACHED);
  Rate(&r6, "LH-CG", "320116001000", 60);
  Rate(&r6, "LH-GA", "320116100000", 70);
  *q.add_records() = r6;

  v1::CaseRecord r7;
  r7.mutable_case_()->set_id("R7");
  r7.mutable_case_()->set_location_code(32011699999901);
  r7.set_received_at(kMarchStart + 7 * kHour);
  r7.set_state(v1::CASE_STATE_RECEIVED);
  r7.mutable_decision()->mutable_lead()->set_kind(v1::HANDLER_KIND_UNIT);
  r7.mutable_decision()->mutable_lead()->set_code("NO-SUCH-UNIT");
  *q.add_records() = r7;

  v1::CaseRecord r8 = Dispatched("R8", kLongjinGrid, -24, "XZ-CG",
                                 v1::HANDLING_TIER_GRID);
  *q.add_records() = r8;

  v1::CaseRecord r9 = Dispatched("R9", kLongjinGrid, 9, "XZ-CG",
                                 v1::HANDLING_TIER_GRID);
  r9.set_state(v1::CASE_STATE_MERGED);
  r9.set_merged_into("R1");
  *q.add_records() = r9;

  v1::CaseRecord r10;
  r10.mutable_case_()->set_id("R10");
  r10.mutable_case_()->set_location_code(kLongjin);
  r10.set_received_at(kMarchStart + 10 * kHour);
  r10.set_state(v1::CASE_STATE_CANCELLED);
  *q.add_records() = r10;

  v1::CaseRecord r11 = Dispatched("R11", kDaquanGrid, 11, "ZZ-CG",
                                  v1::HANDLING_TIER_TOWNSHIP);
  AddClock(&r11, v1::STAGE_SIGN_FOR, kHour, 600);
  AddClock(&r11, v1::STAGE_HANDLE, kDay, 0);
  r11.set_state(v1::CASE_STATE_PARKED);
  r11.mutable_counters()->set_parks(1);
  *q.add_records() = r11;

  v1::CaseRecord r12 = Dispatched("R12", kLongjinGrid, 12, "32011600100101",
                                  v1::HANDLING_TIER_GRID);
  r12.mutable_decision()->mutable_lead()->set_kind(v1::HANDLER_KIND_GRID);
  AddClock(&r12, v1::STAGE_SIGN_FOR, kHour, 600);
  AddClock(&r12, v1::STAGE_HANDLE, kDay, kHour);
  Close(&r12, v1::SATISFACTION_SATISFIED);
  r12.set_resolved_tier(v1::HANDLING_TIER_GRID);
  *q.add_records() = r12;
  return q;
}

}  // namespace jiceng

#endif  // JICENG_TESTS_ASSESSMENT_FIXTURE_H_
