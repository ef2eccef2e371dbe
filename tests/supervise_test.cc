// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0
//
// Supervise: yellow and red warnings in working time, urges due,
// escalation steps, overdue report-ins and co-handlers, pending extensions,
// parks past their limit, parks that neither use nor add time (overdue
// when parked or not), limits past the calendar's end, errors naming the
// field, and nothing due on finished cases.

#include "src/lifecycle/supervise.h"

#include <memory>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "src/base/civil_date.h"
#include "src/lifecycle/lifecycle.h"
#include "src/sample/sample_dataset.h"
#include "tests/status_matchers.h"

namespace jiceng {
namespace {

int64_t Local(int y, int m, int d, int hh, int mm) {
  return int64_t{DaysFromCivil(y, m, d)} * 86400 + hh * 3600 + mm * 60 -
         8 * 3600;
}

const int64_t k0900 = Local(2026, 3, 9, 9, 0);  // Monday
constexpr int64_t kHour = 3600, kDay = 86400;

class SuperviseTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto e = Engine::Compile(SampleDataset());
    ASSERT_TRUE(e.ok()) << e.status();
    engine_ = std::move(*e);
  }
  // A signed record with a handle clock of 10 working hours from 09:00
  // Monday, and a two-step escalation chain.
  v1::CaseRecord Signed() {
    v1::CaseRecord r;
    r.mutable_case_()->set_id("C-1");
    r.set_state(v1::CASE_STATE_SIGNED);
    r.set_dispatched_at(k0900);
    r.mutable_decision()->mutable_lead()->set_code("LH-CG");
    r.mutable_decision()->mutable_supervisor()->set_code("LH-XZ-ZHS");
    for (int level = 1; level <= 2; ++level) {
      v1::EscalationStep* s = r.mutable_decision()->add_escalation();
      s->set_level(level);
      s->mutable_handler()->set_code(level == 1 ? "LH-XZ-ZHS" : "LH-SZZX");
    }
    v1::StageClock* c = r.add_clocks();
    c->set_stage(v1::STAGE_HANDLE);
    c->set_started_at(k0900);
    c->mutable_limit()->set_unit(v1::TIME_UNIT_WORKING_HOURS);
    c->mutable_limit()->set_amount(10);
    c->set_due_at(*engine_->calendar().AddWorkingMinutes(k0900, 600));
    return r;
  }
  v1::SupervisionReport At(const v1::CaseRecord& r, int64_t now) {
    auto rep = Supervise(*engine_, r, now);
    EXPECT_THAT(rep, IsOk());
    return rep.ok() ? *rep : v1::SupervisionReport();
  }
  // Applies to *r at `at` the action `set` fills, by the supervising
  // centre.
  template <typename Set>
  void ApplyByCentre(int64_t at, Set set, v1::CaseRecord* r) {
    v1::Action a;
    a.mutable_actor()->set_role(v1::ACTOR_ROLE_CENTRE);
    a.mutable_actor()->set_code(r->decision().supervisor().code());
    set(&a);
    auto next = Apply(*engine_, *r, a, at);
    ASSERT_THAT(next, IsOk());
    *r = *std::move(next);
  }
  std::unique_ptr<const Engine> engine_;
};

// No record Apply built runs more than kMaxRunningClocks clocks; one that
// does is refused, rather than walked clock by parked spell.
TEST_F(SuperviseTest, TooManyRunningClocksAreRefused) {
  v1::CaseRecord r = Signed();
  while (r.clocks_size() < kMaxRunningClocks) *r.add_clocks() = r.clocks(0);
  EXPECT_THAT(Supervise(*engine_, r, k0900 + kHour), IsOk());
  *r.add_clocks() = r.clocks(0);
  EXPECT_THAT(Supervise(*engine_, r, k0900 + kHour),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "record.clocks: 65 running clocks"));
}

TEST_F(SuperviseTest, NothingDueEarly) {
  v1::SupervisionReport rep = At(Signed(), k0900 + kHour);
  EXPECT_EQ(rep.warnings_size(), 0);
  EXPECT_FALSE(rep.urge_due());
  EXPECT_FALSE(rep.has_escalation());
  EXPECT_EQ(rep.case_id(), "C-1");
}

TEST_F(SuperviseTest, YellowWhenMostOfTheWorkingTimeIsUsed) {
  const v1::CaseRecord r = Signed();
  const WorkCalendar& cal = engine_->calendar();
  // 8 working hours of 10: 80%.
  const int64_t eight = *cal.AddWorkingMinutes(k0900, 8 * 60);
  v1::SupervisionReport rep = At(r, eight);
  ASSERT_EQ(rep.warnings_size(), 1);
  EXPECT_EQ(rep.warnings(0).level(), v1::WARNING_LEVEL_YELLOW);
  EXPECT_EQ(rep.warnings(0).used_percent(), 80);
  EXPECT_EQ(rep.warnings(0).holder().code(), "LH-CG");
  // 7 working hours: 70%, below the threshold.
  const int64_t seven = *cal.AddWorkingMinutes(k0900, 7 * 60);
  EXPECT_EQ(At(r, seven).warnings_size(), 0);
  // Time outside the working windows does not count: Monday 23:00 has
  // used no more than Monday's close.
  const int64_t close = Local(2026, 3, 9, 23, 0);
  const int64_t used = *cal.WorkingMinutesBetween(k0900, close);
  if (used * 100 / 600 >= 80) {
    EXPECT_EQ(At(r, close).warnings(0).used_percent(), used * 100 / 600);
  } else {
    EXPECT_EQ(At(r, close).warnings_size(), 0);
  }
  EXPECT_EQ(used, *cal.WorkingMinutesBetween(k0900, Local(2026, 3, 9, 20, 0)));
}

TEST_F(SuperviseTest, RedWhenOverdueWithAnUrgeDue) {
  const v1::CaseRecord r = Signed();
  const int64_t due = r.clocks(0).due_at();
  // At the due time the stage may still be done in time (assessment counts
  // done_at <= due_at as on time): the time is used up, not overdue.
  v1::SupervisionReport rep = At(r, due);
  ASSERT_EQ(rep.warnings_size(), 1);
  EXPECT_EQ(rep.warnings(0).level(), v1::WARNING_LEVEL_YELLOW);
  EXPECT_EQ(rep.warnings(0).used_percent(), 100);
  EXPECT_FALSE(rep.urge_due());
  // A second later it is overdue.
  rep = At(r, due + 1);
  ASSERT_EQ(rep.warnings_size(), 1);
  EXPECT_EQ(rep.warnings(0).level(), v1::WARNING_LEVEL_RED);
  EXPECT_EQ(rep.warnings(0).used_percent(), 100);
  EXPECT_TRUE(rep.urge_due());
  EXPECT_FALSE(rep.has_escalation());  // not yet a full interval overdue
}

TEST_F(SuperviseTest, AnUrgeSatisfiesForOneInterval) {
  v1::CaseRecord r = Signed();
  const int64_t due = r.clocks(0).due_at();
  v1::HandOff* h = r.add_history();
  h->set_action("urge");
  h->set_at(due + kHour);
  EXPECT_FALSE(At(r, due + 2 * kHour).urge_due());
  const int64_t next = *engine_->calendar().AddWorkingDays(due + kHour, 1);
  EXPECT_TRUE(At(r, next).urge_due());
  // An urge before the deadline does not count.
  h->set_at(k0900 + kHour);
  EXPECT_TRUE(At(r, due + 2 * kHour).urge_due());
}

TEST_F(SuperviseTest, EscalationClimbsOneLevelPerInterval) {
  const v1::CaseRecord r = Signed();
  const int64_t due = r.clocks(0).due_at();
  const int64_t one = *engine_->calendar().AddWorkingDays(due, 1);
  const int64_t two = *engine_->calendar().AddWorkingDays(one, 1);
  EXPECT_FALSE(At(r, one - 1).has_escalation());
  EXPECT_EQ(At(r, one).escalation().handler().code(), "LH-XZ-ZHS");
  EXPECT_EQ(At(r, two).escalation().handler().code(), "LH-SZZX");
  // Past the end of the chain: the last step.
  EXPECT_EQ(At(r, two + 30 * kDay).escalation().level(), 2);
}

TEST_F(SuperviseTest, OverdueReportInsAndCoHandlers) {
  v1::CaseRecord r = Signed();
  v1::WhistleCall* late = r.add_whistle_calls();
  late->mutable_department()->set_code("LH-CG");
  late->set_summoned_at(k0900);
  late->set_report_by(k0900 + 2 * kHour);
  v1::WhistleCall* done = r.add_whistle_calls();
  done->mutable_department()->set_code("LH-JS");
  done->set_summoned_at(k0900);
  done->set_report_by(k0900 + 2 * kHour);
  done->set_reported_at(k0900 + kHour);
  v1::CoHandlerTask* t = r.add_co_tasks();
  t->mutable_handler()->set_code("LH-XZ-GOV");
  t->set_assigned_at(k0900);
  t->set_due_at(k0900 + kHour);
  v1::SupervisionReport rep = At(r, k0900 + 3 * kHour);
  ASSERT_EQ(rep.overdue_report_ins_size(), 1);
  EXPECT_EQ(rep.overdue_report_ins(0).department().code(), "LH-CG");
  ASSERT_EQ(rep.overdue_co_handlers_size(), 1);
  EXPECT_EQ(rep.overdue_co_handlers(0).handler().code(), "LH-XZ-GOV");
  EXPECT_EQ(At(r, k0900 + kHour).overdue_report_ins_size(), 0);
}

TEST_F(SuperviseTest, PendingExtensionAndParks) {
  v1::CaseRecord r = Signed();
  r.mutable_extension()->set_requested_at(k0900);
  EXPECT_TRUE(At(r, k0900 + kHour).extension_pending());
  r.mutable_extension()->set_decided(true);
  EXPECT_FALSE(At(r, k0900 + kHour).extension_pending());
  r.set_state(v1::CASE_STATE_PARKED);
  r.set_parked_at(k0900);
  // Parked: the clocks stand still, no warnings however late.
  v1::SupervisionReport rep = At(r, k0900 + 20 * kDay);
  EXPECT_EQ(rep.warnings_size(), 0);
  EXPECT_FALSE(rep.park_overdue());
  const int64_t limit = *engine_->calendar().AddWorkingDays(k0900, 60);
  EXPECT_FALSE(At(r, limit).park_overdue());
  EXPECT_TRUE(At(r, limit + 1).park_overdue());
}

// A closed case is only revisited: no department can report in and no
// extension can be decided any more (ReportIn and DecideExtension refuse
// it), so neither is reported due, however late.
TEST_F(SuperviseTest, AClosedCaseReportsNothingItCannotAct) {
  v1::CaseRecord r = Signed();
  v1::WhistleCall* late = r.add_whistle_calls();
  late->mutable_department()->set_code("LH-GA-LC");
  late->set_summoned_at(k0900);
  late->set_report_by(k0900 + 2 * kHour);
  r.mutable_extension()->set_requested_at(k0900);
  v1::SupervisionReport rep = At(r, k0900 + 3 * kHour);
  EXPECT_EQ(rep.overdue_report_ins_size(), 1);
  EXPECT_TRUE(rep.extension_pending());
  r.set_state(v1::CASE_STATE_CLOSED);
  r.set_closed_at(k0900 + 3 * kHour);
  rep = At(r, k0900 + 4 * kHour);
  EXPECT_EQ(rep.overdue_report_ins_size(), 0);
  EXPECT_FALSE(rep.extension_pending());
}

// The revisit (回访) is the supervising centre's: a late one names the
// centre as holder and urges or escalates nobody along the handling chain.
TEST_F(SuperviseTest, ALateRevisitIsTheCentres) {
  v1::CaseRecord r = Signed();
  r.set_state(v1::CASE_STATE_CLOSED);
  r.set_closed_at(k0900 + kHour);
  for (v1::StageClock& c : *r.mutable_clocks()) {
    if (c.done_at() == 0) c.set_done_at(k0900 + kHour);
  }
  v1::StageClock* revisit = r.add_clocks();
  revisit->set_stage(v1::STAGE_REVISIT);
  revisit->set_started_at(k0900 + kHour);
  revisit->set_due_at(k0900 + 2 * kHour);
  ASSERT_FALSE(r.decision().supervisor().code().empty());
  const v1::SupervisionReport rep =
      At(r, *engine_->calendar().AddWorkingDays(k0900, 10));
  ASSERT_EQ(rep.warnings_size(), 1);
  EXPECT_EQ(rep.warnings(0).stage(), v1::STAGE_REVISIT);
  EXPECT_EQ(rep.warnings(0).level(), v1::WARNING_LEVEL_RED);
  EXPECT_EQ(rep.warnings(0).holder().code(), r.decision().supervisor().code());
  EXPECT_FALSE(rep.urge_due());
  EXPECT_FALSE(rep.has_escalation());
}

// Parking stops the co-handlers' tasks as it stops the stage clocks (the
// report's example): a co-handler that had used 1 of its 5 working days
// when parked is not overdue as the case resumes, but 4 working days on.
TEST_F(SuperviseTest, UnparkedCoHandlersAreNotOverdueAtOnce) {
  const WorkCalendar& cal = engine_->calendar();
  v1::CaseRecord r = Signed();
  auto apply = [&](int64_t at, auto set) { ApplyByCentre(at, set, &r); };
  apply(k0900 + kHour, [](v1::Action* a) {
    a->mutable_add_co_handler()->set_unit_code("LH-XZ-GOV");
    a->mutable_add_co_handler()->mutable_limit()->set_unit(
        v1::TIME_UNIT_WORKING_DAYS);
    a->mutable_add_co_handler()->mutable_limit()->set_amount(5);
  });
  const int64_t park = k0900 + kDay;  // Tuesday 09:00
  apply(park, [](v1::Action* a) { a->mutable_park()->set_reason("待规划"); });
  const int64_t unpark = park + 20 * kDay;  // three weeks later, 09:00
  apply(unpark, [](v1::Action* a) { a->mutable_unpark(); });
  ASSERT_EQ(r.state(), v1::CASE_STATE_SIGNED);
  EXPECT_EQ(At(r, unpark + 5 * 60).overdue_co_handlers_size(), 0);
  const int64_t left =
      *cal.WorkingMinutesBetween(park, *cal.AddWorkingDays(k0900 + kHour, 5));
  EXPECT_EQ(r.co_tasks(0).due_at(), *cal.AddWorkingMinutes(unpark, left));
  EXPECT_EQ(At(r, r.co_tasks(0).due_at()).overdue_co_handlers_size(), 0);
  EXPECT_EQ(At(r, r.co_tasks(0).due_at() + 60).overdue_co_handlers_size(), 1);
}

TEST_F(SuperviseTest, ParkedSpellsNeitherUseNorAddTime) {
  // Through Apply: 2 working hours used, parked for a week, unparked (the
  // handle clock resumes with its 8 hours left), then 6 more working hours:
  // 8 of 10 used, 80 %, whatever the week adds to the clock's span.
  const WorkCalendar& cal = engine_->calendar();
  v1::CaseRecord r = Signed();
  auto apply = [&](int64_t at, auto set) { ApplyByCentre(at, set, &r); };
  const int64_t park = *cal.AddWorkingMinutes(k0900, 2 * 60);
  apply(park, [](v1::Action* a) { a->mutable_park()->set_reason("待规划"); });
  const int64_t unpark = park + 7 * kDay;
  apply(unpark, [](v1::Action* a) { a->mutable_unpark(); });
  ASSERT_EQ(r.state(), v1::CASE_STATE_SIGNED);
  const int64_t six = *cal.AddWorkingMinutes(unpark, 6 * 60);
  v1::SupervisionReport rep = At(r, six);
  ASSERT_EQ(rep.warnings_size(), 1);
  EXPECT_EQ(rep.warnings(0).level(), v1::WARNING_LEVEL_YELLOW);
  EXPECT_EQ(rep.warnings(0).used_percent(), 80);
  // 1 hour after unparking: 3 of 10, no warning (counting the week would
  // have given (3 + 40) / (10 + 40) = 86 %).
  EXPECT_EQ(At(r, *cal.AddWorkingMinutes(unpark, 60)).warnings_size(), 0);
  // At the moved deadline: 100 %; past it, red.
  rep = At(r, r.clocks(0).due_at());
  ASSERT_EQ(rep.warnings_size(), 1);
  EXPECT_EQ(rep.warnings(0).level(), v1::WARNING_LEVEL_YELLOW);
  EXPECT_EQ(rep.warnings(0).used_percent(), 100);
  rep = At(r, r.clocks(0).due_at() + 60);
  ASSERT_EQ(rep.warnings_size(), 1);
  EXPECT_EQ(rep.warnings(0).level(), v1::WARNING_LEVEL_RED);
}

TEST_F(SuperviseTest, AClockOverdueWhenParkedStaysOverdueByTheSameTime) {
  // The handle clock (due Tuesday 12:00) is parked 4 working hours overdue
  // on Wednesday 09:00, unparked a week later, and supervised 8 working
  // hours after that: in working time not parked that is the same moment
  // as 8 working hours after the park on a record never parked, and the
  // warning, urge and escalation must be the same.
  const WorkCalendar& cal = engine_->calendar();
  const v1::CaseRecord never = Signed();
  v1::CaseRecord r = never;
  auto apply = [&](int64_t at, auto set) { ApplyByCentre(at, set, &r); };
  const int64_t due = never.clocks(0).due_at();
  const int64_t park = *cal.AddWorkingMinutes(due, 4 * 60);
  apply(park, [](v1::Action* a) { a->mutable_park()->set_reason("待规划"); });
  const int64_t unpark = park + 7 * kDay;
  apply(unpark, [](v1::Action* a) { a->mutable_unpark(); });
  ASSERT_EQ(r.state(), v1::CASE_STATE_SIGNED);

  // At the unpark: still red, as at the park.
  v1::SupervisionReport rep = At(r, unpark);
  v1::SupervisionReport want = At(never, park);
  ASSERT_EQ(rep.warnings_size(), 1);
  ASSERT_EQ(want.warnings_size(), 1);
  EXPECT_EQ(rep.warnings(0).level(), v1::WARNING_LEVEL_RED);
  EXPECT_EQ(rep.warnings(0).used_percent(), want.warnings(0).used_percent());
  EXPECT_EQ(rep.warnings(0).used_percent(), 140);  // 840 of 600 minutes
  EXPECT_TRUE(rep.urge_due());

  // 8 working hours on: overdue by 12 working hours, one escalation step.
  const int64_t later = *cal.AddWorkingMinutes(unpark, 8 * 60);
  const int64_t same = *cal.AddWorkingMinutes(park, 8 * 60);
  rep = At(r, later);
  want = At(never, same);
  ASSERT_EQ(rep.warnings_size(), 1);
  ASSERT_EQ(want.warnings_size(), 1);
  EXPECT_EQ(rep.warnings(0).level(), v1::WARNING_LEVEL_RED);
  EXPECT_EQ(rep.warnings(0).used_percent(), want.warnings(0).used_percent());
  EXPECT_EQ(rep.warnings(0).used_percent(), 220);  // 1320 of 600 minutes
  EXPECT_EQ(*cal.WorkingMinutesBetween(rep.warnings(0).due_at(), later),
            *cal.WorkingMinutesBetween(due, same));
  EXPECT_EQ(rep.urge_due(), want.urge_due());
  ASSERT_TRUE(want.has_escalation());
  EXPECT_EQ(rep.escalation().level(), want.escalation().level());
  EXPECT_EQ(rep.escalation().handler().code(), "LH-XZ-ZHS");
}

TEST_F(SuperviseTest, LimitsPastTheCalendarsEndAreNotYetReached) {
  // Parked on 2026-12-01: 60 working days later is past the calendar's
  // last day (2026-12-31), so the park is not overdue yet; no error.
  const WorkCalendar& cal = engine_->calendar();
  v1::CaseRecord r = Signed();
  r.set_state(v1::CASE_STATE_PARKED);
  r.set_parked_at(Local(2026, 12, 1, 10, 0));
  v1::SupervisionReport rep = At(r, Local(2026, 12, 2, 10, 0));
  EXPECT_FALSE(rep.park_overdue());
  EXPECT_FALSE(At(r, Local(2026, 12, 31, 17, 0)).park_overdue());
  // Urged on the last working day, overdue: the next urge (one working
  // day on) would fall after the calendar: not due yet.
  r = Signed();
  v1::StageClock* c = r.mutable_clocks(0);
  c->set_started_at(Local(2026, 12, 28, 9, 0));
  c->set_due_at(*cal.AddWorkingMinutes(c->started_at(), 600));
  v1::HandOff* h = r.add_history();
  h->set_action("urge");
  h->set_at(Local(2026, 12, 31, 11, 0));
  ASSERT_LT(c->due_at(), h->at());
  rep = At(r, Local(2026, 12, 31, 11, 30));
  ASSERT_EQ(rep.warnings_size(), 1);
  EXPECT_EQ(rep.warnings(0).level(), v1::WARNING_LEVEL_RED);
  EXPECT_FALSE(rep.urge_due());
}

TEST_F(SuperviseTest, AParkedCaseStillReportsOverdueReportIns) {
  // Parking stops the stage clocks, not a summoned department's report-in.
  v1::CaseRecord r = Signed();
  v1::WhistleCall* late = r.add_whistle_calls();
  late->mutable_department()->set_code("LH-GA-LC");
  late->set_summoned_at(k0900);
  late->set_report_by(k0900 + 2 * kHour);
  r.set_state(v1::CASE_STATE_PARKED);
  r.set_parked_at(k0900 + kHour);
  v1::SupervisionReport rep = At(r, k0900 + 3 * kDay);
  EXPECT_EQ(rep.warnings_size(), 0);
  EXPECT_FALSE(rep.urge_due());
  ASSERT_EQ(rep.overdue_report_ins_size(), 1);
  EXPECT_EQ(rep.overdue_report_ins(0).department().code(), "LH-GA-LC");
  EXPECT_EQ(At(r, k0900 + kHour).overdue_report_ins_size(), 0);
}

TEST_F(SuperviseTest, ErrorsNameTheField) {
  v1::CaseRecord r = Signed();
  v1::StageClock* sign = r.add_clocks();
  sign->set_stage(v1::STAGE_SIGN_FOR);
  sign->set_started_at(k0900);
  sign->set_due_at(Local(2027, 12, 28, 21, 20));
  EXPECT_THAT(Supervise(*engine_, r, k0900 + kHour),
              StatusIs(absl::StatusCode::kOutOfRange,
                       "record.clocks[1].due_at: 2027-12-28T21:20:00+08:00 is "
                       "outside the work calendar"));
  sign->set_due_at(k0900 + kHour);
  sign->set_started_at(-5);
  EXPECT_THAT(
      Supervise(*engine_, r, k0900 + kHour),
      StatusIs(absl::StatusCode::kOutOfRange, "record.clocks[1].started_at: "));
  EXPECT_THAT(Supervise(*engine_, Signed(), 0),
              StatusIs(absl::StatusCode::kOutOfRange, "now: "));
  r = Signed();
  r.set_state(v1::CASE_STATE_PARKED);
  r.set_parked_at(Local(2025, 12, 1, 10, 0));
  EXPECT_THAT(Supervise(*engine_, r, k0900),
              StatusIs(absl::StatusCode::kOutOfRange, "record.parked_at: "));
  r = Signed();
  v1::HandOff* h = r.add_history();
  h->set_action("urge");
  h->set_at(Local(2027, 1, 4, 10, 0));
  EXPECT_THAT(
      Supervise(*engine_, r, Local(2026, 12, 31, 10, 0)),
      StatusIs(absl::StatusCode::kOutOfRange, "record.history[0].at: "));
}

TEST_F(SuperviseTest, FinishedCasesHaveNothingDue) {
  v1::CaseRecord r = Signed();
  for (v1::CaseState s : {v1::CASE_STATE_EVALUATED, v1::CASE_STATE_WITHDRAWN,
                          v1::CASE_STATE_CANCELLED, v1::CASE_STATE_MERGED}) {
    r.set_state(s);
    v1::SupervisionReport rep = At(r, k0900 + 30 * kDay);
    EXPECT_EQ(rep.warnings_size(), 0) << v1::CaseState_Name(s);
    EXPECT_FALSE(rep.urge_due());
  }
}

TEST_F(SuperviseTest, OutsideTheCalendarIsOutOfRange) {
  EXPECT_THAT(Supervise(*engine_, Signed(), Local(2027, 6, 1, 9, 0)),
              StatusIs(absl::StatusCode::kOutOfRange, "2027"));
}

}  // namespace
}  // namespace jiceng
