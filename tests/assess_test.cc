// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0
//
// Assess on the small fixed set of hand-built records of
// tests/assessment_fixture.h, with every expected figure computed by hand
// in the comments.

#include "src/assessment/assess.h"

#include <limits>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "src/base/status_macros.h"
#include "src/engine/engine.h"
#include "tests/assessment_fixture.h"
#include "tests/status_matchers.h"

namespace jiceng {
namespace {

using ::testing::ElementsAre;

const v1::RegionFigures* FindRegion(const v1::AssessmentReport& r,
                                    const std::string& code) {
  for (const v1::RegionFigures& f : r.regions()) {
    if (f.region_code() == code) return &f;
  }
  return nullptr;
}

const v1::UnitFigures* FindUnit(const v1::AssessmentReport& r,
                                const std::string& code) {
  for (const v1::UnitFigures& f : r.units()) {
    if (f.unit_code() == code) return &f;
  }
  return nullptr;
}

class AssessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    engine_ = TinyAssessmentEngine();
    absl::StatusOr<v1::AssessmentReport> r = Assess(*engine_, FixedAssessRequest());
    ASSERT_THAT(r, IsOk());
    report_ = *r;
  }
  std::unique_ptr<const Engine> engine_;
  v1::AssessmentReport report_;
};

TEST_F(AssessTest, CountsWhatThePeriodHolds) {
  // Counted: R1–R7, R10–R12 = 10; R8 outside; R9 merged.
  EXPECT_EQ(report_.records(), 10);
  EXPECT_EQ(report_.outside_period(), 1);
  EXPECT_EQ(report_.merged(), 1);
  // as_of defaults to the period end.
  EXPECT_EQ(report_.as_of(), kMarchEnd);
  EXPECT_EQ(report_.dataset_version(), "1");
}

// Each case is assessed once, and a record with an enum value out of the
// schema is refused rather than counted as nothing it is.
TEST_F(AssessTest, DuplicateCasesAndUndefinedValuesAreRefused) {
  v1::AssessRequest twice = FixedAssessRequest();
  *twice.add_records() = twice.records(2);
  EXPECT_THAT(
      Assess(*engine_, twice),
      StatusIs(absl::StatusCode::kInvalidArgument,
               absl::StrCat("records[", twice.records_size() - 1,
                            "].case.id: \"", twice.records(2).case_().id(),
                            "\" is the case of records[2] too")));
  v1::AssessRequest odd = FixedAssessRequest();
  odd.mutable_records(1)->set_state(static_cast<v1::CaseState>(99));
  EXPECT_THAT(Assess(*engine_, odd),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "records[1].state: 99 is not a value of"));
}

TEST_F(AssessTest, Totals) {
  const v1::Figures& t = report_.total();
  EXPECT_EQ(t.received(), 10);
  EXPECT_EQ(t.registered(), 8);   // all but R7 (RECEIVED) and R10 (CANCELLED)
  EXPECT_EQ(t.dispatched(), 8);   // R1–R6, R11, R12
  EXPECT_EQ(t.closed(), 6);       // R1, R2, R3, R5, R6, R12
  EXPECT_EQ(t.signed_on_time(), 7);  // all dispatched but R2
  EXPECT_EQ(t.resolved(), 5);     // closed, never reopened: not R3
  EXPECT_EQ(t.evaluated(), 5);    // R1 R2 R3 R5 R12 (R6 not reached)
  EXPECT_EQ(t.satisfied(), 4);    // R1 R2 R5 R12
  EXPECT_EQ(t.dissatisfied(), 1);  // R3
  // Not R3 (late), nor R2: its first handle clock ran late, and a rework
  // does not make a late case on time.
  EXPECT_EQ(t.closed_on_time(), 4);
  EXPECT_EQ(t.returned(), 1);     // R4
  EXPECT_EQ(t.reworked(), 1);     // R2 (closed)
  EXPECT_EQ(t.awaiting_response(), 0);
  EXPECT_EQ(t.extensions(), 1);   // R3
  EXPECT_EQ(t.parks(), 2);        // R5, R11
  EXPECT_EQ(t.open(), 3);         // R4, R7, R11
  EXPECT_EQ(t.overdue_open(), 1);  // R4 (R11 parked, R7 has no clock)
  EXPECT_DOUBLE_EQ(t.response_rate(), 87.5);       // 7 / 8
  EXPECT_DOUBLE_EQ(t.resolution_rate(), 83.33);    // 5 / 6
  EXPECT_DOUBLE_EQ(t.satisfaction_rate(), 80.0);   // 4 / 5
  EXPECT_DOUBLE_EQ(t.on_time_rate(), 66.67);       // 4 / 6
  EXPECT_DOUBLE_EQ(t.return_rate(), 12.5);         // 1 / 8
  EXPECT_DOUBLE_EQ(t.rework_rate(), 16.67);        // 1 / 6
  // The province's (default) weights 40/15/20/15/5/5:
  // (40*80 + 15*87.5 + 20*83.333 + 15*66.667 + 5*87.5 + 5*83.333) / 100
  // = (3200 + 1312.5 + 1666.667 + 1000 + 437.5 + 416.667) / 100 = 80.33
  EXPECT_DOUBLE_EQ(t.score(), 80.33);
}

TEST_F(AssessTest, TierShares) {
  // Closed: R1 grid (resolved_tier), R12 grid, R2 village (the decision's
  // tier), R3 village, R5 township, R6 county: 2/2/1/1 of 6.
  ASSERT_EQ(report_.tier_shares_size(), 4);
  EXPECT_EQ(report_.tier_shares(0).tier(), v1::HANDLING_TIER_GRID);
  EXPECT_EQ(report_.tier_shares(0).closed(), 2);
  EXPECT_DOUBLE_EQ(report_.tier_shares(0).percent(), 33.33);
  EXPECT_EQ(report_.tier_shares(1).tier(), v1::HANDLING_TIER_VILLAGE);
  EXPECT_EQ(report_.tier_shares(1).closed(), 2);
  EXPECT_EQ(report_.tier_shares(2).tier(), v1::HANDLING_TIER_TOWNSHIP);
  EXPECT_EQ(report_.tier_shares(2).closed(), 1);
  EXPECT_DOUBLE_EQ(report_.tier_shares(2).percent(), 16.67);
  EXPECT_EQ(report_.tier_shares(3).tier(), v1::HANDLING_TIER_COUNTY);
  EXPECT_EQ(report_.tier_shares(3).closed(), 1);
}

TEST_F(AssessTest, RegionsRollUpTheHierarchy) {
  // Pre-order, only regions with records: the dedicated and micro grids
  // have none; R7's unknown grid is in no region.
  std::vector<std::string> codes;
  for (const v1::RegionFigures& f : report_.regions()) {
    codes.push_back(f.region_code());
  }
  EXPECT_THAT(codes, ElementsAre("320000000000", "320100000000",
                                 "320116000000", "320116001000",
                                 "320116001001", "32011600100101",
                                 "320116100000", "320116100201",
                                 "32011610020101", "320116100202",
                                 "32011610020201"));
  // Grid 龙津1: R1, R2, R12. Community 龙津: those + R3 + R10.
  EXPECT_EQ(FindRegion(report_, "32011600100101")->figures().received(), 3);
  EXPECT_EQ(FindRegion(report_, "320116001001")->figures().received(), 5);
  EXPECT_EQ(FindRegion(report_, "320116100201")->figures().received(), 2);
  // County, city, province: everything but R7.
  for (const char* code : {"320116000000", "320100000000", "320000000000"}) {
    EXPECT_EQ(FindRegion(report_, code)->figures().received(), 9) << code;
  }
}

TEST_F(AssessTest, StreetFiguresAndScore) {
  // 雄州街道: R1, R2, R3, R10, R12.
  const v1::RegionFigures* s = FindRegion(report_, "320116001000");
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->level(), v1::REGION_LEVEL_TOWNSHIP);
  EXPECT_EQ(s->region_name(), "雄州街道");
  const v1::Figures& f = s->figures();
  EXPECT_EQ(f.received(), 5);
  EXPECT_EQ(f.registered(), 4);
  EXPECT_EQ(f.dispatched(), 4);
  EXPECT_EQ(f.closed(), 4);
  EXPECT_DOUBLE_EQ(f.response_rate(), 75.0);      // R2 late: 3 / 4
  EXPECT_DOUBLE_EQ(f.resolution_rate(), 75.0);    // R3 reopened: 3 / 4
  EXPECT_DOUBLE_EQ(f.satisfaction_rate(), 75.0);  // R3 dissatisfied: 3 / 4
  EXPECT_DOUBLE_EQ(f.on_time_rate(), 50.0);       // R2, R3 late: 2 / 4
  EXPECT_DOUBLE_EQ(f.return_rate(), 0.0);
  EXPECT_DOUBLE_EQ(f.rework_rate(), 25.0);        // R2: 1 / 4
  // Township weights 50/10/15/15/5/5:
  // 50*75 + 10*75 + 15*75 + 15*50 + 5*(100-0) + 5*(100-25)
  // = 3750 + 750 + 1125 + 750 + 500 + 375 = 7250 -> 72.50
  EXPECT_DOUBLE_EQ(f.score(), 72.5);
}

TEST_F(AssessTest, TownFiguresAndScore) {
  // 竹镇镇: R4, R5, R6, R11.
  const v1::Figures& f = FindRegion(report_, "320116100000")->figures();
  EXPECT_EQ(f.received(), 4);
  EXPECT_EQ(f.dispatched(), 4);
  EXPECT_EQ(f.closed(), 2);         // R5, R6
  EXPECT_EQ(f.open(), 2);           // R4, R11
  EXPECT_EQ(f.overdue_open(), 1);   // R4
  EXPECT_EQ(f.parks(), 2);
  EXPECT_DOUBLE_EQ(f.response_rate(), 100.0);
  EXPECT_DOUBLE_EQ(f.satisfaction_rate(), 100.0);  // R5 (R6 not reached)
  EXPECT_DOUBLE_EQ(f.return_rate(), 25.0);         // R4: 1 / 4
  // 50*100 + 10*100 + 15*100 + 15*100 + 5*(100-25) + 5*100 = 9875
  EXPECT_DOUBLE_EQ(f.score(), 98.75);
}

TEST_F(AssessTest, CountyScoreLeavesOutRatesWithoutBase) {
  // The county region has no ratings: its reverse-evaluation weight (30)
  // leaves the mean. Rates as in the totals (R7 is outside every region
  // but only adds to received and open):
  // (30*80 + 10*87.5 + 15*83.333 + 10*66.667 + 5*87.5 + 0*83.333) / 70
  // = (2400 + 875 + 1250 + 666.667 + 437.5) / 70 = 80.417 -> 80.42
  const v1::Figures& f = FindRegion(report_, "320116000000")->figures();
  EXPECT_EQ(f.ratings(), 0);
  EXPECT_DOUBLE_EQ(f.score(), 80.42);
  // The province: the default weights, the same rates as the totals.
  EXPECT_DOUBLE_EQ(FindRegion(report_, "320000000000")->figures().score(),
                   80.33);
}

TEST_F(AssessTest, Units) {
  std::vector<std::string> codes;
  for (const v1::UnitFigures& u : report_.units()) codes.push_back(u.unit_code());
  // Sorted by code; the grid lead of R12 is not a unit.
  EXPECT_THAT(codes, ElementsAre("LH-CG", "LH-GA", "LH-SJ", "LJ-JWH", "XZ-CG",
                                 "ZZ-CG", "ZZ-ZHS"));

  // XZ-CG (a dispatched squadron in 雄州街道: township weights) leads R1,
  // R2: signed 1 / 2, resolved 2 / 2, satisfied 2 / 2, on time 1 / 2 (R2
  // ran late before its rework), reworked 1 / 2.
  // 50*100 + 10*50 + 15*100 + 15*50 + 5*100 + 5*50 = 8500 -> 85.00
  const v1::UnitFigures* xz = FindUnit(report_, "XZ-CG");
  EXPECT_EQ(xz->level(), v1::REGION_LEVEL_TOWNSHIP);
  EXPECT_EQ(xz->region_code(), "320116001000");
  EXPECT_EQ(xz->figures().received(), 2);
  EXPECT_DOUBLE_EQ(xz->figures().response_rate(), 50.0);
  EXPECT_DOUBLE_EQ(xz->figures().rework_rate(), 50.0);
  EXPECT_DOUBLE_EQ(xz->figures().score(), 85.0);

  // LJ-JWH (village weights 70/10/10/10) leads R3: responded, not
  // resolved, dissatisfied, late: (10*100) / 100 = 10.
  const v1::UnitFigures* lj = FindUnit(report_, "LJ-JWH");
  EXPECT_EQ(lj->level(), v1::REGION_LEVEL_VILLAGE);
  EXPECT_EQ(lj->figures().extensions(), 1);
  EXPECT_DOUBLE_EQ(lj->figures().score(), 10.0);

  // ZZ-CG leads R11 (parked) and returned R4: dispatched 2 (R11 + the
  // return), responded 2, returned 1 / 2 = 50 %; nothing closed. Township
  // weights over response and return only:
  // (10*100 + 5*(100-50)) / 15 = 1250 / 15 = 83.33
  const v1::UnitFigures* zzcg = FindUnit(report_, "ZZ-CG");
  EXPECT_EQ(zzcg->figures().received(), 1);
  EXPECT_EQ(zzcg->figures().dispatched(), 2);
  EXPECT_EQ(zzcg->figures().returned(), 1);
  EXPECT_DOUBLE_EQ(zzcg->figures().return_rate(), 50.0);
  EXPECT_DOUBLE_EQ(zzcg->figures().score(), 83.33);

  // LH-SJ only co-handled R5.
  const v1::UnitFigures* sj = FindUnit(report_, "LH-SJ");
  EXPECT_EQ(sj->figures().received(), 0);
  EXPECT_EQ(sj->figures().co_handled(), 1);
  EXPECT_DOUBLE_EQ(sj->figures().score(), 0.0);
}

// The response rate counts a case only once its response fell due: not
// one withdrawn before its sign-for deadline, nor one whose sign-for clock
// still runs before its due time at as_of; one past it counts as a failure.
TEST_F(AssessTest, ResponsesNotYetDueLeaveTheBase) {
  v1::AssessRequest q;
  q.set_period_start(kMarchStart);
  q.set_period_end(kMarchEnd);
  q.set_as_of(kMarchStart + 10 * kHour);
  // W1: signed in time.
  v1::CaseRecord w1 =
      Dispatched("W1", kLongjinGrid, 1, "XZ-CG", v1::HANDLING_TIER_TOWNSHIP);
  AddClock(&w1, v1::STAGE_SIGN_FOR, kHour, 600);
  *q.add_records() = w1;
  // W2: withdrawn 5 minutes after dispatch, before anyone had to sign.
  v1::CaseRecord w2 =
      Dispatched("W2", kLongjinGrid, 2, "XZ-CG", v1::HANDLING_TIER_TOWNSHIP);
  AddClock(&w2, v1::STAGE_SIGN_FOR, kHour, 300);
  w2.mutable_clocks(0)->set_interrupted(true);
  w2.set_state(v1::CASE_STATE_WITHDRAWN);
  *q.add_records() = w2;
  // W3: withdrawn after its sign-for deadline passed unanswered.
  v1::CaseRecord w3 =
      Dispatched("W3", kLongjinGrid, 3, "XZ-CG", v1::HANDLING_TIER_TOWNSHIP);
  AddClock(&w3, v1::STAGE_SIGN_FOR, kHour, 2 * kHour);
  w3.mutable_clocks(0)->set_interrupted(true);
  w3.set_state(v1::CASE_STATE_WITHDRAWN);
  *q.add_records() = w3;
  // W4: dispatched at 08:02, sign-for due at 12:02: still running at as_of
  // (10:00), not due.
  v1::CaseRecord w4 =
      Dispatched("W4", kLongjinGrid, 8, "XZ-CG", v1::HANDLING_TIER_TOWNSHIP);
  AddClock(&w4, v1::STAGE_SIGN_FOR, 4 * kHour, 0);
  *q.add_records() = w4;
  // W5: running and past its due time at as_of: failed.
  v1::CaseRecord w5 =
      Dispatched("W5", kLongjinGrid, 4, "XZ-CG", v1::HANDLING_TIER_TOWNSHIP);
  AddClock(&w5, v1::STAGE_SIGN_FOR, kHour, 0);
  *q.add_records() = w5;
  absl::StatusOr<v1::AssessmentReport> r = Assess(*engine_, q);
  ASSERT_THAT(r, IsOk());
  const v1::Figures& t = r->total();
  EXPECT_EQ(t.dispatched(), 5);
  EXPECT_EQ(t.signed_on_time(), 1);            // W1
  EXPECT_EQ(t.awaiting_response(), 2);         // W2, W4
  EXPECT_DOUBLE_EQ(t.response_rate(), 33.33);  // 1 / (5 - 2)
  const v1::UnitFigures* xz = FindUnit(*r, "XZ-CG");
  ASSERT_NE(xz, nullptr);
  EXPECT_EQ(xz->figures().awaiting_response(), 2);
  EXPECT_DOUBLE_EQ(xz->figures().response_rate(), 33.33);
  EXPECT_EQ(FindRegion(*r, "320116001000")->figures().awaiting_response(), 2);
  // At W4's due time it still may sign in time; a second later it is due.
  q.set_as_of(w4.clocks(0).due_at());
  EXPECT_EQ(Assess(*engine_, q)->total().awaiting_response(), 2);
  q.set_as_of(w4.clocks(0).due_at() + 1);
  EXPECT_EQ(Assess(*engine_, q)->total().awaiting_response(), 1);
}

// Open cases reworked do not count in the rework rate, whose base is the
// closed cases: the rate stays within 0..100, and so does the score.
TEST_F(AssessTest, ReworkRateCountsClosedCasesOnly) {
  v1::AssessRequest q;
  q.set_period_start(kMarchStart);
  q.set_period_end(kMarchEnd);
  v1::CaseRecord done =
      Dispatched("K1", kLongjinGrid, 1, "XZ-CG", v1::HANDLING_TIER_TOWNSHIP);
  AddClock(&done, v1::STAGE_SIGN_FOR, kHour, 600);
  AddClock(&done, v1::STAGE_HANDLE, kDay, kHour);
  Close(&done, v1::SATISFACTION_SATISFIED);
  *q.add_records() = done;
  for (const char* id : {"K2", "K3"}) {
    v1::CaseRecord open =
        Dispatched(id, kLongjinGrid, 2, "XZ-CG", v1::HANDLING_TIER_TOWNSHIP);
    AddClock(&open, v1::STAGE_SIGN_FOR, kHour, 600);
    AddClock(&open, v1::STAGE_HANDLE, 20 * kDay, 0);
    open.set_state(v1::CASE_STATE_SIGNED);
    open.mutable_counters()->set_reworks(1);
    *q.add_records() = open;
  }
  v1::AssessmentPolicy* w = q.mutable_weights();
  v1::ScoreWeights* street = w->add_weights();
  street->set_level(v1::REGION_LEVEL_TOWNSHIP);
  street->set_rework(100);
  absl::StatusOr<v1::AssessmentReport> r = Assess(*engine_, q);
  ASSERT_THAT(r, IsOk());
  const v1::Figures& f = FindRegion(*r, "320116001000")->figures();
  EXPECT_EQ(f.closed(), 1);
  EXPECT_EQ(f.reworked(), 0);
  EXPECT_DOUBLE_EQ(f.rework_rate(), 0.0);
  EXPECT_DOUBLE_EQ(f.score(), 100.0);
}

TEST_F(AssessTest, DepartmentScoreWithReverseEvaluation) {
  // LH-CG (county weights 30/10/15/10/5/0/30) leads R4 and R6; R4 was
  // returned by ZZ-CG, which does not count against LH-CG. Dispatched 2,
  // signed 2; closed 1 (R6) resolved and on time; no evaluation (R6 not
  // reached); ratings 90 (R5) and 60 (R6): mean 75.
  // (10*100 + 15*100 + 10*100 + 5*(100-0) + 30*75) / (10+15+10+5+30)
  // = (1000 + 1500 + 1000 + 500 + 2250) / 70 = 89.2857 -> 89.29
  const v1::Figures& f = FindUnit(report_, "LH-CG")->figures();
  EXPECT_EQ(f.returned(), 0);
  EXPECT_EQ(f.ratings(), 2);
  EXPECT_DOUBLE_EQ(f.reverse_evaluation(), 75.0);
  EXPECT_EQ(f.overdue_open(), 1);
  EXPECT_DOUBLE_EQ(f.score(), 89.29);
  // LH-GA: one rating of 70, nothing else: 30*70 / 30 = 70.
  EXPECT_DOUBLE_EQ(FindUnit(report_, "LH-GA")->figures().score(), 70.0);
}

TEST_F(AssessTest, ReverseEvaluationByTownship) {
  ASSERT_EQ(report_.reverse_evaluations_size(), 2);
  const v1::DepartmentEvaluation& cg = report_.reverse_evaluations(0);
  EXPECT_EQ(cg.unit_code(), "LH-CG");
  EXPECT_EQ(cg.ratings(), 2);
  EXPECT_DOUBLE_EQ(cg.mean(), 75.0);
  // 雄州街道 by its region code (60); 竹镇镇 through its command room
  // ZZ-ZHS (90). Townships in code order.
  ASSERT_EQ(cg.townships_size(), 2);
  EXPECT_EQ(cg.townships(0).township_code(), "320116001000");
  EXPECT_EQ(cg.townships(0).township_name(), "雄州街道");
  EXPECT_DOUBLE_EQ(cg.townships(0).mean(), 60.0);
  EXPECT_EQ(cg.townships(1).township_code(), "320116100000");
  EXPECT_DOUBLE_EQ(cg.townships(1).mean(), 90.0);
  const v1::DepartmentEvaluation& ga = report_.reverse_evaluations(1);
  EXPECT_EQ(ga.unit_code(), "LH-GA");
  ASSERT_EQ(ga.townships_size(), 1);
  EXPECT_DOUBLE_EQ(ga.townships(0).mean(), 70.0);
}

TEST_F(AssessTest, OverdueUnits) {
  // R4 is open, its handle clock due 2 days after dispatch on 03-01; the
  // period ends 03-31 24:00 +08:00.
  ASSERT_EQ(report_.overdue_units_size(), 1);
  const v1::OverdueUnit& o = report_.overdue_units(0);
  EXPECT_EQ(o.unit_code(), "LH-CG");
  EXPECT_EQ(o.overdue_open(), 1);
  EXPECT_EQ(o.open(), 1);
  const int64_t due = kMarchStart + 4 * kHour + 120 + 2 * kDay;
  EXPECT_EQ(o.longest_overdue_seconds(), kMarchEnd - due);
}

TEST_F(AssessTest, UnknownCodesAreCountedNotRefused) {
  EXPECT_EQ(report_.unknown_total(), 2);
  ASSERT_EQ(report_.unknown_size(), 2);
  EXPECT_EQ(report_.unknown(0).field(), "case.location_code");
  EXPECT_EQ(report_.unknown(0).code(), "32011699999901");
  EXPECT_EQ(report_.unknown(0).records(), 1);
  EXPECT_EQ(report_.unknown(1).field(), "decision.lead");
  EXPECT_EQ(report_.unknown(1).code(), "NO-SUCH-UNIT");
}

TEST_F(AssessTest, WeightsApplied) {
  ASSERT_EQ(report_.weights_size(), 6);
  EXPECT_EQ(report_.weights(0).level(), v1::REGION_LEVEL_PROVINCE);
  EXPECT_EQ(report_.weights(0).satisfaction(), 40);  // the default
  EXPECT_EQ(report_.weights(3).level(), v1::REGION_LEVEL_TOWNSHIP);
  EXPECT_EQ(report_.weights(3).satisfaction(), 50);
  EXPECT_EQ(report_.weights(4).satisfaction(), 70);
}

TEST_F(AssessTest, Deterministic) {
  absl::StatusOr<v1::AssessmentReport> again = Assess(*engine_, FixedAssessRequest());
  ASSERT_THAT(again, IsOk());
  EXPECT_EQ(again->SerializeAsString(), report_.SerializeAsString());
}

TEST(Assess, RequestWeightsOverrideTheDataset) {
  std::unique_ptr<const Engine> engine = TinyAssessmentEngine();
  v1::AssessRequest q = FixedAssessRequest();
  v1::ScoreWeights* w = q.mutable_weights()->add_weights();
  w->set_level(v1::REGION_LEVEL_TOWNSHIP);
  w->set_satisfaction(100);
  absl::StatusOr<v1::AssessmentReport> r = Assess(*engine, q);
  ASSERT_THAT(r, IsOk());
  // 雄州街道 is then its satisfaction rate alone: 75.
  EXPECT_DOUBLE_EQ(FindRegion(*r, "320116001000")->figures().score(), 75.0);
  // Villages keep the dataset's weights.
  EXPECT_EQ(r->weights(4).satisfaction(), 70);
}

TEST(Assess, PeriodFiltersByReceivedTime) {
  std::unique_ptr<const Engine> engine = TinyAssessmentEngine();
  v1::AssessRequest q = FixedAssessRequest();
  // No bounds: R8 counts too (11); as_of is then the latest instant any
  // counted record mentions: R12's closure (received at 12 h, dispatched
  // 120 s later, closed 2 days after that).
  q.set_period_start(0);
  q.set_period_end(0);
  absl::StatusOr<v1::AssessmentReport> all = Assess(*engine, q);
  ASSERT_THAT(all, IsOk());
  EXPECT_EQ(all->records(), 11);
  EXPECT_EQ(all->outside_period(), 0);
  EXPECT_EQ(all->as_of(), kMarchStart + 12 * kHour + 120 + 2 * kDay);
  // R4's handle clock (due at 4 h + 120 s + 2 days) is overdue by 8 h.
  EXPECT_EQ(all->total().overdue_open(), 1);
  EXPECT_EQ(all->overdue_units(0).longest_overdue_seconds(), 8 * kHour);
  // An explicit as_of before that due time: nothing overdue.
  q.set_as_of(kMarchStart + 4 * kHour + 120 + 2 * kDay);
  absl::StatusOr<v1::AssessmentReport> before = Assess(*engine, q);
  ASSERT_THAT(before, IsOk());
  EXPECT_EQ(before->total().overdue_open(), 0);
  q.set_as_of(0);

  // The first 5 hours only: R1–R4 (received at 1..4 h); R5 at 5 h is out.
  q.set_period_start(kMarchStart);
  q.set_period_end(kMarchStart + 5 * kHour);
  absl::StatusOr<v1::AssessmentReport> early = Assess(*engine, q);
  ASSERT_THAT(early, IsOk());
  EXPECT_EQ(early->records(), 4);
  EXPECT_EQ(early->outside_period(), 8);
}

TEST(Assess, DeepestRegionLevel) {
  std::unique_ptr<const Engine> engine = TinyAssessmentEngine();
  v1::AssessRequest q = FixedAssessRequest();
  q.set_deepest_region_level(v1::REGION_LEVEL_TOWNSHIP);
  absl::StatusOr<v1::AssessmentReport> r = Assess(*engine, q);
  ASSERT_THAT(r, IsOk());
  ASSERT_EQ(r->regions_size(), 5);  // province, city, county, 2 townships
  // Grids still roll up.
  EXPECT_EQ(r->regions(4).figures().received(), 4);
}

TEST(Assess, RefusesBadRequests) {
  std::unique_ptr<const Engine> engine = TinyAssessmentEngine();
  v1::AssessRequest q = FixedAssessRequest();
  q.set_period_end(kMarchStart);
  EXPECT_THAT(Assess(*engine, q),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "period_end: 1772294400 is not after period_start"));
  q = FixedAssessRequest();
  q.set_period_start(-1);
  EXPECT_THAT(Assess(*engine, q),
              StatusIs(absl::StatusCode::kInvalidArgument, "period_start"));
  q = FixedAssessRequest();
  q.set_deepest_region_level(static_cast<v1::RegionLevel>(9));
  EXPECT_THAT(Assess(*engine, q), StatusIs(absl::StatusCode::kInvalidArgument,
                                           "deepest_region_level"));
  q = FixedAssessRequest();
  q.set_overdue_units_limit(-1);
  EXPECT_THAT(Assess(*engine, q), StatusIs(absl::StatusCode::kInvalidArgument,
                                           "overdue_units_limit"));
}

TEST(Assess, RefusesBadWeights) {
  std::unique_ptr<const Engine> engine = TinyAssessmentEngine();
  v1::AssessRequest q = FixedAssessRequest();
  v1::ScoreWeights* w = q.mutable_weights()->add_weights();
  w->set_level(v1::REGION_LEVEL_VILLAGE);
  w->set_satisfaction(70);
  w->set_response(20);
  EXPECT_THAT(Assess(*engine, q),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "weights.weights[0]: the weights sum to 90"));
  w->set_response(-10);
  w->set_satisfaction(110);
  EXPECT_THAT(Assess(*engine, q),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "weights.weights[0].satisfaction: satisfaction is 110"));
  w->set_level(v1::REGION_LEVEL_UNSPECIFIED);
  EXPECT_THAT(Assess(*engine, q),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "weights.weights[0].level"));
}

TEST(Assess, RefusesARatingOutOfRange) {
  std::unique_ptr<const Engine> engine = TinyAssessmentEngine();
  v1::AssessRequest q = FixedAssessRequest();
  q.mutable_records(5)->mutable_ratings(1)->set_score(140);
  EXPECT_THAT(Assess(*engine, q),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "records[5] (case R6) ratings[1].score: 140 is "
                       "outside 0..100"));
}

TEST(Assess, RefusesRecordInstantsNoRecordCanHold) {
  // A negative time, or one after 9999-12-31T23:59:59Z (routing's bound on
  // reported_at), named by record, case and field; in the period or not
  // (R8 is received before it).
  std::unique_ptr<const Engine> engine = TinyAssessmentEngine();
  constexpr int64_t kMaxInstant = 253402300799;
  v1::AssessRequest q = FixedAssessRequest();
  q.mutable_records(0)->mutable_clocks(1)->set_due_at(kMaxInstant + 1);
  EXPECT_THAT(Assess(*engine, q),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "records[0] (case R1) clocks[1].due_at: 253402300800 "
                       "is not a time from 1970 to 9999"));
  q.mutable_records(0)->mutable_clocks(1)->set_due_at(kMaxInstant);
  EXPECT_THAT(Assess(*engine, q), IsOk());
  q = FixedAssessRequest();
  q.mutable_records(7)->set_received_at(-1);
  EXPECT_THAT(Assess(*engine, q),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "records[7] (case R8) received_at: -1 is not a time"));
  q = FixedAssessRequest();
  q.mutable_records(11)->set_evaluated_at(std::numeric_limits<int64_t>::max());
  EXPECT_THAT(Assess(*engine, q),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "records[11] (case R12) evaluated_at: "
                       "9223372036854775807"));
  q = FixedAssessRequest();
  q.mutable_records(3)->mutable_decision()->add_deadlines()->set_due_at(
      std::numeric_limits<int64_t>::min());
  EXPECT_THAT(Assess(*engine, q),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "records[3] (case R4) decision.deadlines[0].due_at: "));
  q = FixedAssessRequest();
  q.mutable_records(2)->add_history()->set_at(1000000000000000);
  EXPECT_THAT(Assess(*engine, q),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "records[2] (case R3) history[0].at: 1000000000000000"));
  q = FixedAssessRequest();
  q.mutable_records(10)->set_parked_at(-5);
  EXPECT_THAT(Assess(*engine, q),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "records[10] (case R11) parked_at: -5"));
}

TEST(Assess, EmptyRequest) {
  std::unique_ptr<const Engine> engine = TinyAssessmentEngine();
  absl::StatusOr<v1::AssessmentReport> r = Assess(*engine, v1::AssessRequest());
  ASSERT_THAT(r, IsOk());
  EXPECT_EQ(r->records(), 0);
  EXPECT_EQ(r->regions_size(), 0);
  EXPECT_EQ(r->units_size(), 0);
  EXPECT_EQ(r->tier_shares_size(), 4);
  EXPECT_DOUBLE_EQ(r->total().score(), 0.0);
}

TEST(Assess, OverdueUnitsLimit) {
  std::unique_ptr<const Engine> engine = TinyAssessmentEngine();
  v1::AssessRequest q = FixedAssessRequest();
  // Unpark R11: ZZ-CG then has 1 overdue case, as LH-CG has. R4 is due at
  // 4 h + 2 days, R11 at 11 h + 1 day: R11 is overdue 17 h longer, so
  // ZZ-CG comes first.
  q.mutable_records(10)->set_state(v1::CASE_STATE_SIGNED);
  q.set_overdue_units_limit(1);
  absl::StatusOr<v1::AssessmentReport> r = Assess(*engine, q);
  ASSERT_THAT(r, IsOk());
  EXPECT_EQ(r->total().overdue_open(), 2);
  ASSERT_EQ(r->overdue_units_size(), 1);
  EXPECT_EQ(r->overdue_units(0).unit_code(), "ZZ-CG");
}

// The records one at a time: a stream's report is Assess's, byte for byte,
// for the fixed request and its variants (a period, as_of, weights, a
// deepest level, an overdue limit).
absl::StatusOr<v1::AssessmentReport> Streamed(const Engine& engine,
                                              const v1::AssessRequest& q) {
  v1::AssessRequest settings = q;
  settings.clear_records();
  JC_ASSIGN_OR_RETURN(AssessmentStream stream,
                      AssessmentStream::Start(engine, settings));
  for (const v1::CaseRecord& r : q.records()) {
    JC_RETURN_IF_ERROR(stream.Add(r));
  }
  return std::move(stream).Finish();
}

TEST(AssessmentStream, GivesAssessReport) {
  std::unique_ptr<const Engine> engine = TinyAssessmentEngine();
  std::vector<v1::AssessRequest> requests(6, FixedAssessRequest());
  requests[1].set_period_start(0);
  requests[1].set_period_end(0);
  requests[2].set_as_of(kMarchStart + 86400 * 3);
  requests[3].set_deepest_region_level(v1::REGION_LEVEL_TOWNSHIP);
  requests[4].set_overdue_units_limit(1);
  requests[4].mutable_records(10)->set_state(v1::CASE_STATE_SIGNED);
  requests[5].clear_records();
  for (size_t i = 0; i < requests.size(); ++i) {
    absl::StatusOr<v1::AssessmentReport> whole = Assess(*engine, requests[i]);
    absl::StatusOr<v1::AssessmentReport> streamed =
        Streamed(*engine, requests[i]);
    ASSERT_THAT(whole, IsOk()) << i;
    ASSERT_THAT(streamed, IsOk()) << i;
    EXPECT_EQ(streamed->SerializeAsString(), whole->SerializeAsString()) << i;
  }
}

// The same refusals as Assess, for the settings at Start and for a record
// at its Add; after a refusal, Add and Finish repeat it.
TEST(AssessmentStream, RefusesWhatAssessRefuses) {
  std::unique_ptr<const Engine> engine = TinyAssessmentEngine();
  std::vector<v1::AssessRequest> bad(5, FixedAssessRequest());
  bad[0].set_period_end(kMarchStart);
  *bad[1].add_records() = bad[1].records(2);  // a repeat
  bad[2].mutable_records(1)->set_state(static_cast<v1::CaseState>(99));
  bad[3].mutable_records(5)->mutable_ratings(1)->set_score(140);
  bad[4].mutable_records(3)->set_closed_at(-5);
  for (size_t i = 0; i < bad.size(); ++i) {
    const absl::Status whole = Assess(*engine, bad[i]).status();
    ASSERT_FALSE(whole.ok()) << i;
    EXPECT_EQ(Streamed(*engine, bad[i]).status(), whole) << i;
  }
  v1::AssessRequest settings = FixedAssessRequest();
  EXPECT_THAT(AssessmentStream::Start(*engine, settings).status(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "records: 12 given with the settings of a stream"));
  settings.clear_records();
  absl::StatusOr<AssessmentStream> stream =
      AssessmentStream::Start(*engine, settings);
  ASSERT_THAT(stream, IsOk());
  const v1::AssessRequest q = FixedAssessRequest();
  EXPECT_THAT(stream->Add(q.records(0)), IsOk());
  const absl::Status refused = stream->Add(q.records(0));
  EXPECT_THAT(refused, StatusIs(absl::StatusCode::kInvalidArgument,
                                "records[1].case.id"));
  EXPECT_EQ(stream->Add(q.records(1)), refused);
  EXPECT_EQ(std::move(*stream).Finish().status(), refused);
}

// ---- Lead spells: a unit judged on its own handling -------------------------

// A clock of `stage` started at `start`, due at `due`, done at `done` (0:
// running), as the lifecycle writes it.
void AddClockAt(v1::CaseRecord* r, v1::Stage stage, int64_t start, int64_t due,
                int64_t done, bool interrupted = false) {
  v1::StageClock* c = r->add_clocks();
  c->set_stage(stage);
  c->set_started_at(start);
  c->set_due_at(due);
  c->set_done_at(done);
  c->set_interrupted(interrupted);
}

// A hand-off as the lifecycle records it.
void AddHandOff(v1::CaseRecord* r, int64_t at, const std::string& action,
                const std::string& from, const std::string& to) {
  v1::HandOff* h = r->add_history();
  h->set_at(at);
  h->set_action(action);
  h->set_from_holder(from);
  h->set_to_holder(to);
}

void Lead(v1::CaseRecord* r, const std::string& code, int64_t since) {
  r->mutable_decision()->mutable_lead()->set_kind(v1::HANDLER_KIND_UNIT);
  r->mutable_decision()->mutable_lead()->set_code(code);
  r->set_lead_since(since);
}

v1::AssessRequest OneRecord(const v1::CaseRecord& r, int64_t as_of) {
  v1::AssessRequest q;
  q.set_period_start(kMarchStart);
  q.set_period_end(kMarchEnd);
  q.set_as_of(as_of);
  *q.add_records() = r;
  return q;
}

// Dispatched to XZ-CG at t0 (sign-for due t0+1h, handle due t0+6h), which
// returns it at t0 + `returned_after` (within the return window, which can
// outlast the sign-for limit) to the centre ZZ-ZHS: RETURNED.
v1::CaseRecord ReturnedBy(const std::string& id, int64_t returned_after) {
  v1::CaseRecord r =
      Dispatched(id, kLongjinGrid, 1, "XZ-CG", v1::HANDLING_TIER_TOWNSHIP);
  const int64_t t0 = r.dispatched_at();
  const int64_t back = t0 + returned_after;
  AddHandOff(&r, t0, "dispatch", "", "XZ-CG");
  AddClockAt(&r, v1::STAGE_SIGN_FOR, t0, t0 + kHour, back);
  AddClockAt(&r, v1::STAGE_HANDLE, t0, t0 + 6 * kHour, back, true);
  AddHandOff(&r, back, "return_case", "XZ-CG", "ZZ-ZHS");
  Lead(&r, "ZZ-ZHS", back);
  r.add_returned_by("XZ-CG");
  r.mutable_counters()->set_returns(1);
  r.set_state(v1::CASE_STATE_RETURNED);
  return r;
}

// A1: a return answers the dispatch, but only in time if it came before the
// returning unit's sign-for deadline.
TEST(AssessLeads, AReturnAfterTheSignForDeadlineIsALateResponse) {
  std::unique_ptr<const Engine> engine = TinyAssessmentEngine();
  const v1::CaseRecord late = ReturnedBy("L1", 2 * kHour);
  absl::StatusOr<v1::AssessmentReport> r =
      Assess(*engine, OneRecord(late, late.dispatched_at() + 3 * kHour));
  ASSERT_THAT(r, IsOk());
  const v1::UnitFigures* xz = FindUnit(*r, "XZ-CG");
  ASSERT_NE(xz, nullptr);
  EXPECT_EQ(xz->figures().dispatched(), 1);
  EXPECT_EQ(xz->figures().returned(), 1);
  EXPECT_EQ(xz->figures().signed_on_time(), 0);
  EXPECT_EQ(xz->figures().awaiting_response(), 0);
  EXPECT_DOUBLE_EQ(xz->figures().response_rate(), 0.0);
  // The same answer as the case's.
  EXPECT_DOUBLE_EQ(r->total().response_rate(), 0.0);

  const v1::CaseRecord in_time = ReturnedBy("L2", 30 * 60);
  r = Assess(*engine, OneRecord(in_time, in_time.dispatched_at() + 3 * kHour));
  ASSERT_THAT(r, IsOk());
  xz = FindUnit(*r, "XZ-CG");
  ASSERT_NE(xz, nullptr);
  EXPECT_EQ(xz->figures().signed_on_time(), 1);
  EXPECT_DOUBLE_EQ(xz->figures().response_rate(), 100.0);
}

// A5: the centre holding a returned case was dispatched nothing and owes no
// response: neither the returning unit's late answer nor its timely one is
// the centre's.
TEST(AssessLeads, TheCentreHoldingAReturnedCaseOwesNoResponse) {
  std::unique_ptr<const Engine> engine = TinyAssessmentEngine();
  for (int64_t after : {30 * 60, 2 * 3600}) {
    const v1::CaseRecord rec = ReturnedBy("L3", after);
    absl::StatusOr<v1::AssessmentReport> r =
        Assess(*engine, OneRecord(rec, rec.dispatched_at() + 3 * kHour));
    ASSERT_THAT(r, IsOk());
    const v1::UnitFigures* centre = FindUnit(*r, "ZZ-ZHS");
    ASSERT_NE(centre, nullptr) << after;
    EXPECT_EQ(centre->figures().received(), 1) << after;
    EXPECT_EQ(centre->figures().open(), 1) << after;
    EXPECT_EQ(centre->figures().dispatched(), 0) << after;
    EXPECT_EQ(centre->figures().signed_on_time(), 0) << after;
    EXPECT_DOUBLE_EQ(centre->figures().response_rate(), 0.0) << after;
    EXPECT_DOUBLE_EQ(centre->figures().closure_rate(), 0.0) << after;
    // The case itself still was dispatched.
    EXPECT_EQ(r->total().dispatched(), 1) << after;
  }
}

// Dispatched to XZ-CG at t0 (sign-for due t0+1h, handle due t0+6h); XZ-CG
// signs at `signed_after` (0: never); the centre reassigns the case at
// t0 + `reassigned_after` to LJ-JWH, which signs 10 minutes later, handles
// it within a day and sees it closed.
v1::CaseRecord Reassigned(const std::string& id, int64_t signed_after,
                          int64_t reassigned_after) {
  v1::CaseRecord r =
      Dispatched(id, kLongjinGrid, 1, "XZ-CG", v1::HANDLING_TIER_TOWNSHIP);
  const int64_t t0 = r.dispatched_at();
  const int64_t t1 = t0 + reassigned_after;
  AddHandOff(&r, t0, "dispatch", "", "XZ-CG");
  AddClockAt(&r, v1::STAGE_SIGN_FOR, t0, t0 + kHour,
             signed_after != 0 ? t0 + signed_after : t1, signed_after == 0);
  AddClockAt(&r, v1::STAGE_HANDLE, t0, t0 + 6 * kHour, t1, true);
  if (signed_after != 0) {
    AddHandOff(&r, t0 + signed_after, "sign_for", "XZ-CG", "XZ-CG");
  }
  AddHandOff(&r, t1, "reassign", "XZ-CG", "LJ-JWH");
  AddClockAt(&r, v1::STAGE_SIGN_FOR, t1, t1 + kHour, t1 + 600);
  AddClockAt(&r, v1::STAGE_HANDLE, t1, t1 + kDay, t1 + 20 * kHour);
  AddHandOff(&r, t1 + 600, "sign_for", "LJ-JWH", "LJ-JWH");
  Lead(&r, "LJ-JWH", t1);
  r.mutable_counters()->set_reassigns(1);
  r.set_state(v1::CASE_STATE_CLOSED);
  r.set_closed_at(t1 + 22 * kHour);
  return r;
}

// A2: the lead that took over after the handle deadline of an earlier lead
// ran out is on time on its own clocks; the case as a whole is late.
TEST(AssessLeads, TheLeadIsJudgedOnTheHandleClocksItRan) {
  std::unique_ptr<const Engine> engine = TinyAssessmentEngine();
  const v1::CaseRecord rec = Reassigned("S1", 30 * 60, 7 * kHour);
  absl::StatusOr<v1::AssessmentReport> r =
      Assess(*engine, OneRecord(rec, rec.closed_at() + kHour));
  ASSERT_THAT(r, IsOk());
  EXPECT_EQ(r->total().closed_on_time(), 0);
  EXPECT_DOUBLE_EQ(r->total().on_time_rate(), 0.0);
  EXPECT_EQ(FindRegion(*r, "320116001000")->figures().closed_on_time(), 0);
  const v1::UnitFigures* lj = FindUnit(*r, "LJ-JWH");
  ASSERT_NE(lj, nullptr);
  EXPECT_EQ(lj->figures().closed(), 1);
  EXPECT_EQ(lj->figures().closed_on_time(), 1);
  EXPECT_DOUBLE_EQ(lj->figures().on_time_rate(), 100.0);
  // The earlier lead signed in time: a dispatch answered in time, and no
  // closure of its.
  const v1::UnitFigures* xz = FindUnit(*r, "XZ-CG");
  ASSERT_NE(xz, nullptr);
  EXPECT_EQ(xz->figures().dispatched(), 1);
  EXPECT_EQ(xz->figures().signed_on_time(), 1);
  EXPECT_EQ(xz->figures().closed(), 0);
  EXPECT_EQ(xz->figures().returned(), 0);

  // Without lead_since (an older store) the lead is judged on every clock.
  v1::CaseRecord old = rec;
  old.clear_lead_since();
  r = Assess(*engine, OneRecord(old, rec.closed_at() + kHour));
  ASSERT_THAT(r, IsOk());
  EXPECT_EQ(FindUnit(*r, "LJ-JWH")->figures().closed_on_time(), 0);
}

// A3: a lead reassigned away after letting its sign-for deadline pass is
// still a dispatch to it, and a failed response; one reassigned away before
// its deadline owes none yet.
TEST(AssessLeads, ALeadReassignedAwayKeepsItsMissedResponse) {
  std::unique_ptr<const Engine> engine = TinyAssessmentEngine();
  const v1::CaseRecord late = Reassigned("S2", 0, 2 * kHour);
  absl::StatusOr<v1::AssessmentReport> r =
      Assess(*engine, OneRecord(late, late.closed_at() + kHour));
  ASSERT_THAT(r, IsOk());
  const v1::UnitFigures* xz = FindUnit(*r, "XZ-CG");
  ASSERT_NE(xz, nullptr);
  EXPECT_EQ(xz->figures().received(), 0);
  EXPECT_EQ(xz->figures().dispatched(), 1);
  EXPECT_EQ(xz->figures().signed_on_time(), 0);
  EXPECT_EQ(xz->figures().awaiting_response(), 0);
  EXPECT_DOUBLE_EQ(xz->figures().response_rate(), 0.0);
  // The case was answered in time by its last lead (documented choice).
  EXPECT_DOUBLE_EQ(r->total().response_rate(), 100.0);
  EXPECT_DOUBLE_EQ(FindUnit(*r, "LJ-JWH")->figures().response_rate(), 100.0);

  const v1::CaseRecord early = Reassigned("S3", 0, 30 * 60);
  r = Assess(*engine, OneRecord(early, early.closed_at() + kHour));
  ASSERT_THAT(r, IsOk());
  xz = FindUnit(*r, "XZ-CG");
  ASSERT_NE(xz, nullptr);
  EXPECT_EQ(xz->figures().dispatched(), 1);
  EXPECT_EQ(xz->figures().awaiting_response(), 1);
  EXPECT_DOUBLE_EQ(xz->figures().response_rate(), 0.0);
}

// Two hand-offs in the same second: each lead finds its own sign-for clock
// (by order among those started then), and a return then a reassignment to
// a third unit judges each earlier lead once.
TEST(AssessLeads, EachEarlierLeadFindsItsOwnSignForClock) {
  std::unique_ptr<const Engine> engine = TinyAssessmentEngine();
  v1::CaseRecord r =
      Dispatched("S4", kLongjinGrid, 1, "XZ-CG", v1::HANDLING_TIER_TOWNSHIP);
  const int64_t t0 = r.dispatched_at();
  // XZ-CG returns late (2h > 1h), the centre ZZ-ZHS reassigns to LH-CG in
  // the same second, which the centre reassigns at once to LJ-JWH (LH-CG's
  // response never fell due); LJ-JWH signs in time.
  AddHandOff(&r, t0, "dispatch", "", "XZ-CG");
  AddClockAt(&r, v1::STAGE_SIGN_FOR, t0, t0 + kHour, t0 + 2 * kHour);
  AddClockAt(&r, v1::STAGE_HANDLE, t0, t0 + 6 * kHour, t0 + 2 * kHour, true);
  const int64_t t1 = t0 + 2 * kHour;
  AddHandOff(&r, t1, "return_case", "XZ-CG", "ZZ-ZHS");
  AddHandOff(&r, t1, "reassign", "ZZ-ZHS", "LH-CG");
  AddClockAt(&r, v1::STAGE_SIGN_FOR, t1, t1 + kHour, t1, true);
  AddClockAt(&r, v1::STAGE_HANDLE, t1, t1 + kDay, t1, true);
  AddHandOff(&r, t1, "reassign", "LH-CG", "LJ-JWH");
  AddClockAt(&r, v1::STAGE_SIGN_FOR, t1, t1 + kHour, t1 + 600);
  AddClockAt(&r, v1::STAGE_HANDLE, t1, t1 + kDay, 0);
  Lead(&r, "LJ-JWH", t1);
  r.add_returned_by("XZ-CG");
  r.mutable_counters()->set_returns(1);
  r.mutable_counters()->set_reassigns(2);
  r.set_state(v1::CASE_STATE_SIGNED);
  absl::StatusOr<v1::AssessmentReport> a =
      Assess(*engine, OneRecord(r, t1 + kHour));
  ASSERT_THAT(a, IsOk());
  const v1::Figures& xz = FindUnit(*a, "XZ-CG")->figures();
  EXPECT_EQ(xz.dispatched(), 1);
  EXPECT_EQ(xz.returned(), 1);
  EXPECT_EQ(xz.signed_on_time(), 0);
  EXPECT_EQ(xz.awaiting_response(), 0);
  const v1::Figures& lh = FindUnit(*a, "LH-CG")->figures();
  EXPECT_EQ(lh.dispatched(), 1);
  EXPECT_EQ(lh.awaiting_response(), 1);
  const v1::Figures& lj = FindUnit(*a, "LJ-JWH")->figures();
  EXPECT_EQ(lj.dispatched(), 1);
  EXPECT_EQ(lj.signed_on_time(), 1);
  // The centre held it only while RETURNED, in no dispatch to it.
  EXPECT_EQ(FindUnit(*a, "ZZ-ZHS"), nullptr);
  EXPECT_EQ(a->unknown_total(), 0);
}

// A return the record's history does not show (a hand-built record): a
// dispatch to the returning unit whose response is not judged.
TEST_F(AssessTest, AReturnWithoutHistoryIsNotJudged) {
  const v1::Figures& f = FindUnit(report_, "ZZ-CG")->figures();
  EXPECT_EQ(f.dispatched(), 2);         // R11 + the return of R4
  EXPECT_EQ(f.awaiting_response(), 1);  // the return of R4
  EXPECT_EQ(f.signed_on_time(), 1);     // R11
  EXPECT_DOUBLE_EQ(f.response_rate(), 100.0);
}

// A4: 办结率 = closed / dispatched cases led.
TEST_F(AssessTest, ClosureRate) {
  // 6 closed of 8 dispatched.
  EXPECT_DOUBLE_EQ(report_.total().closure_rate(), 75.0);
  // 雄州街道: R1, R2, R3, R12 dispatched, all closed.
  EXPECT_DOUBLE_EQ(
      FindRegion(report_, "320116001000")->figures().closure_rate(), 100.0);
  // 竹镇镇: R4 (open), R5, R6 (closed), R11 (parked): 2 / 4.
  EXPECT_DOUBLE_EQ(
      FindRegion(report_, "320116100000")->figures().closure_rate(), 50.0);
  EXPECT_DOUBLE_EQ(FindUnit(report_, "XZ-CG")->figures().closure_rate(), 100.0);
  EXPECT_DOUBLE_EQ(FindUnit(report_, "LH-CG")->figures().closure_rate(), 50.0);
  // ZZ-CG: the base is R11 it leads, not R4 it returned: 0 / 1.
  EXPECT_DOUBLE_EQ(FindUnit(report_, "ZZ-CG")->figures().closure_rate(), 0.0);
  // Not in the score by default: weight 0 at every level.
  for (const v1::ScoreWeights& w : report_.weights()) {
    EXPECT_EQ(w.closure(), 0);
  }
}

TEST(Assess, ClosureWeightEntersTheScore) {
  std::unique_ptr<const Engine> engine = TinyAssessmentEngine();
  v1::AssessRequest q = FixedAssessRequest();
  v1::ScoreWeights* w = q.mutable_weights()->add_weights();
  w->set_level(v1::REGION_LEVEL_TOWNSHIP);
  w->set_satisfaction(50);
  w->set_closure(50);
  absl::StatusOr<v1::AssessmentReport> r = Assess(*engine, q);
  ASSERT_THAT(r, IsOk());
  // 竹镇镇: satisfaction 2 / 2 (R5 satisfied; R6 not reached), closure 50:
  // (50*100 + 50*50) / 100 = 75.
  EXPECT_DOUBLE_EQ(FindRegion(*r, "320116100000")->figures().score(), 75.0);
}

}  // namespace
}  // namespace jiceng
