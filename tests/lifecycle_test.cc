// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0
//
// One test per action of the closed loop and per refusal rule, on the
// sample dataset and its routed sample cases. Every refusal also checks
// that the input record is untouched.

#include "src/lifecycle/lifecycle.h"

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "src/base/civil_date.h"
#include "src/lifecycle/supervise.h"
#include "src/sample/sample_cases.h"
#include "src/sample/sample_dataset.h"
#include "tests/status_matchers.h"

namespace jiceng {
namespace {

using absl::StatusCode;

// Unix seconds of a local (UTC+8) time.
int64_t Local(int y, int m, int d, int hh, int mm) {
  return int64_t{DaysFromCivil(y, m, d)} * 86400 + hh * 3600 + mm * 60 -
         8 * 3600;
}

const int64_t kMonday = Local(2026, 3, 9, 9, 0);  // an ordinary Monday
constexpr int64_t kMin = 60, kHour = 3600, kDay = 86400;

v1::Actor Actor(v1::ActorRole role, const std::string& code) {
  v1::Actor a;
  a.set_role(role);
  a.set_code(code);
  return a;
}

v1::Action By(const v1::Actor& actor) {
  v1::Action a;
  *a.mutable_actor() = actor;
  return a;
}

class LifecycleTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto e = Engine::Compile(SampleDataset());
    ASSERT_TRUE(e.ok()) << e.status();
    engine_ = e->release();
    cases_ = new std::vector<v1::Case>(SampleCases(*engine_));
  }
  static void TearDownTestSuite() {
    delete cases_;
    delete engine_;
  }

  // A sample case (reported on kMonday) whose decision satisfies `pred`.
  static v1::Case Find(
      const std::function<bool(const v1::RoutingDecision&)>& pred) {
    Router router(*engine_);
    for (v1::Case c : *cases_) {
      c.set_reported_at(kMonday);
      auto d = router.Decide(c);
      if (d.ok() && pred(*d)) return c;
    }
    ADD_FAILURE() << "no sample case fits";
    return v1::Case();
  }
  static v1::Case UnitLed() {
    return Find([](const v1::RoutingDecision& d) {
      return d.outcome() == v1::ROUTING_OUTCOME_ROUTED &&
             d.lead().kind() == v1::HANDLER_KIND_UNIT &&
             !d.supervisor().code().empty() &&
             d.lead().code() != d.supervisor().code();
    });
  }
  static v1::Case Whistleable() {
    return Find([](const v1::RoutingDecision& d) {
      return d.whistle_size() >= 1 && d.lead().kind() == v1::HANDLER_KIND_UNIT;
    });
  }

  // Applies and checks that `record` itself is untouched.
  static absl::StatusOr<v1::CaseRecord> Do(const v1::CaseRecord& record,
                                           const v1::Action& action,
                                           int64_t now) {
    const std::string before = record.SerializeAsString();
    absl::StatusOr<v1::CaseRecord> next =
        Apply(*engine_, record, action, now);
    EXPECT_EQ(record.SerializeAsString(), before) << "input record mutated";
    return next;
  }
  static v1::CaseRecord Must(const v1::CaseRecord& record,
                             const v1::Action& action, int64_t now) {
    absl::StatusOr<v1::CaseRecord> next = Do(record, action, now);
    EXPECT_THAT(next, IsOk()) << ActionName(action.kind_case());
    return next.ok() ? *next : record;
  }

  static v1::Actor Room(const v1::CaseRecord& r) {
    return Actor(v1::ACTOR_ROLE_CENTRE, TownshipCommandRoom(*engine_, r.case_()));
  }
  static v1::Actor Centre(const v1::CaseRecord& r) {
    return r.dispatched_at() == 0
               ? Room(r)
               : Actor(v1::ACTOR_ROLE_CENTRE, r.decision().supervisor().code());
  }
  static v1::Actor Lead(const v1::CaseRecord& r) { return LeadActor(r); }
  static v1::Actor Citizen() { return Actor(v1::ACTOR_ROLE_CITIZEN, "13900000000"); }

  // Received from `reporter` (the citizen unless given).
  static v1::CaseRecord Received(const v1::Case& c,
                                 const v1::Actor& reporter = Citizen()) {
    v1::Action a = By(reporter);
    *a.mutable_receive()->mutable_case_() = c;
    return Must(v1::CaseRecord(), a, kMonday);
  }
  static v1::CaseRecord Registered(const v1::Case& c,
                                   const v1::Actor& reporter = Citizen()) {
    v1::CaseRecord r = Received(c, reporter);
    v1::Action a = By(Centre(r));
    a.mutable_register_();
    return Must(r, a, kMonday + 5 * kMin);
  }
  static v1::CaseRecord Dispatched(const v1::Case& c,
                                   const v1::Actor& reporter = Citizen()) {
    v1::CaseRecord r = Registered(c, reporter);
    v1::Action a = By(Centre(r));
    a.mutable_dispatch();
    return Must(r, a, kMonday + 10 * kMin);
  }
  static v1::CaseRecord Signed(const v1::Case& c) {
    v1::CaseRecord r = Dispatched(c);
    v1::Action a = By(Lead(r));
    a.mutable_sign_for();
    return Must(r, a, kMonday + 20 * kMin);
  }
  static v1::CaseRecord Step(const v1::CaseRecord& r, const v1::Actor& who,
                             const std::function<void(v1::Action*)>& set,
                             int64_t now) {
    v1::Action a = By(who);
    set(&a);
    return Must(r, a, now);
  }
  static v1::CaseRecord FedBack(const v1::Case& c) {
    v1::CaseRecord r = Signed(c);
    r = Step(r, Lead(r), [](v1::Action* a) { a->mutable_handle(); },
             kMonday + kHour);
    return Step(r, Lead(r), [](v1::Action* a) { a->mutable_feed_back(); },
                kMonday + 2 * kHour);
  }
  // A dispatched record's lead signs for it at 09:25 and handles it, then
  // it is fed back, verified and closed by 13:00.
  static v1::CaseRecord SignedToClosed(v1::CaseRecord r) {
    r = Step(
        r, Lead(r), [](v1::Action* a) { a->mutable_sign_for(); },
        kMonday + 25 * kMin);
    r = Step(
        r, Lead(r), [](v1::Action* a) { a->mutable_handle(); },
        kMonday + kHour);
    r = Step(
        r, Lead(r), [](v1::Action* a) { a->mutable_feed_back(); },
        kMonday + 2 * kHour);
    return Verified(r);
  }
  static v1::CaseRecord Verified(v1::CaseRecord r) {
    r = Step(r, Centre(r),
             [](v1::Action* a) { a->mutable_verify()->set_passed(true); },
             kMonday + 3 * kHour);
    return Step(r, Centre(r), [](v1::Action* a) { a->mutable_close(); },
                kMonday + 4 * kHour);
  }
  static v1::CaseRecord Closed(const v1::Case& c) {
    return Verified(FedBack(c));
  }
  // The lead asks for `days` more working days (延期).
  static v1::Action AskWorkingDays(const v1::CaseRecord& r, int days) {
    v1::Action a = By(Lead(r));
    v1::Duration* d = a.mutable_request_extension()->mutable_extension();
    d->set_unit(v1::TIME_UNIT_WORKING_DAYS);
    d->set_amount(days);
    return a;
  }
  static v1::Action ReturnBy(const v1::CaseRecord& r) {
    v1::Action a = By(Lead(r));
    a.mutable_return_case()->set_reason_code("NOT_OUR_DUTY");
    a.mutable_return_case()->set_basis("权责清单 item X");
    return a;
  }
  static const v1::StageClock* Clock(const v1::CaseRecord& r, v1::Stage s) {
    const v1::StageClock* found = nullptr;
    for (const v1::StageClock& c : r.clocks()) {
      if (c.stage() == s && c.done_at() == 0) found = &c;
    }
    return found;
  }

  static const Engine* engine_;
  static std::vector<v1::Case>* cases_;
};

const Engine* LifecycleTest::engine_ = nullptr;
std::vector<v1::Case>* LifecycleTest::cases_ = nullptr;

// ---------------------------------------------------------------- actions

TEST_F(LifecycleTest, ReceiveCreatesTheRecord) {
  const v1::Case c = UnitLed();
  v1::CaseRecord r = Received(c);
  EXPECT_EQ(r.state(), v1::CASE_STATE_RECEIVED);
  EXPECT_EQ(r.case_().id(), c.id());
  EXPECT_EQ(r.received_at(), kMonday);
  ASSERT_EQ(r.history_size(), 1);
  EXPECT_EQ(r.history(0).action(), "receive");
  EXPECT_EQ(r.history(0).to_state(), v1::CASE_STATE_RECEIVED);
}

// A record or action with an enum value out of the schema is refused
// naming the field: the state machine never switches over one.
TEST_F(LifecycleTest, UndefinedEnumValuesAreRefused) {
  v1::CaseRecord r = Registered(UnitLed());
  v1::Action register_again;
  register_again.mutable_actor()->CopyFrom(Centre(r));
  register_again.mutable_register_();
  v1::CaseRecord bad = r;
  bad.set_state(static_cast<v1::CaseState>(99));
  EXPECT_THAT(
      Apply(*engine_, bad, register_again, kMonday + kHour),
      StatusIs(absl::StatusCode::kInvalidArgument,
               "record.state: 99 is not a value of jiceng.v1.CaseState"));
  bad = r;
  bad.mutable_case_()->set_source(static_cast<v1::CaseSource>(40));
  EXPECT_THAT(
      Apply(*engine_, bad, register_again, kMonday + kHour),
      StatusIs(absl::StatusCode::kInvalidArgument, "record.case.source: 40"));
  v1::Action odd = register_again;
  odd.mutable_actor()->set_role(static_cast<v1::ActorRole>(55));
  EXPECT_THAT(
      Apply(*engine_, r, odd, kMonday + kHour),
      StatusIs(absl::StatusCode::kInvalidArgument, "action.actor.role: 55"));
  bad = r;
  bad.set_state(static_cast<v1::CaseState>(99));
  EXPECT_THAT(Supervise(*engine_, bad, kMonday + kHour),
              StatusIs(absl::StatusCode::kInvalidArgument, "record.state: 99"));
}

TEST_F(LifecycleTest, RegisterAndCancel) {
  v1::CaseRecord r = Registered(UnitLed());
  EXPECT_EQ(r.state(), v1::CASE_STATE_REGISTERED);
  EXPECT_EQ(r.registered_at(), kMonday + 5 * kMin);
  v1::CaseRecord c = Received(UnitLed());
  c = Step(c, Centre(c),
           [](v1::Action* a) { a->mutable_cancel()->set_reason("无效"); },
           kMonday + kMin);
  EXPECT_EQ(c.state(), v1::CASE_STATE_CANCELLED);
  EXPECT_EQ(c.history(1).reason(), "无效");
}

TEST_F(LifecycleTest, DispatchRoutesAsOfNowAndStartsTheClocks) {
  const v1::Case c = UnitLed();
  v1::CaseRecord r = Dispatched(c);
  EXPECT_EQ(r.state(), v1::CASE_STATE_DISPATCHED);
  EXPECT_EQ(r.dispatched_at(), kMonday + 10 * kMin);
  EXPECT_EQ(r.lead_since(), r.dispatched_at());
  EXPECT_FALSE(r.decision().lead().code().empty());
  const v1::StageClock* sign = Clock(r, v1::STAGE_SIGN_FOR);
  const v1::StageClock* handle = Clock(r, v1::STAGE_HANDLE);
  ASSERT_NE(sign, nullptr);
  ASSERT_NE(handle, nullptr);
  EXPECT_EQ(sign->started_at(), r.dispatched_at());
  // Deadlines run from dispatch: the same as routing the case reported then.
  v1::Case then = c;
  then.set_reported_at(r.dispatched_at());
  auto d = Router(*engine_).Decide(then);
  ASSERT_THAT(d, IsOk());
  for (const v1::Deadline& dl : d->deadlines()) {
    if (dl.stage() == v1::STAGE_SIGN_FOR) {
      EXPECT_EQ(sign->due_at(), dl.due_at());
    }
    if (dl.stage() == v1::STAGE_HANDLE) {
      EXPECT_EQ(handle->due_at(), dl.due_at());
    }
  }
  EXPECT_EQ(r.history(2).to_holder(), r.decision().lead().code());
}

TEST_F(LifecycleTest, SignHandleFeedBack) {
  v1::CaseRecord r = Signed(UnitLed());
  EXPECT_EQ(r.state(), v1::CASE_STATE_SIGNED);
  EXPECT_EQ(Clock(r, v1::STAGE_SIGN_FOR), nullptr);
  r = Step(r, Lead(r), [](v1::Action* a) { a->mutable_handle()->set_note("ok"); },
           kMonday + kHour);
  EXPECT_EQ(r.state(), v1::CASE_STATE_HANDLED);
  EXPECT_EQ(Clock(r, v1::STAGE_HANDLE), nullptr);
  ASSERT_NE(Clock(r, v1::STAGE_FEEDBACK), nullptr);
  r = Step(r, Lead(r), [](v1::Action* a) { a->mutable_feed_back(); },
           kMonday + 2 * kHour);
  EXPECT_EQ(r.state(), v1::CASE_STATE_FED_BACK);
  EXPECT_EQ(Clock(r, v1::STAGE_FEEDBACK), nullptr);
}

TEST_F(LifecycleTest, VerifyPassedThenClose) {
  v1::CaseRecord r = Closed(UnitLed());
  EXPECT_EQ(r.state(), v1::CASE_STATE_CLOSED);
  EXPECT_EQ(r.closed_at(), kMonday + 4 * kHour);
  EXPECT_EQ(r.resolved_tier(), r.decision().tier());
  EXPECT_NE(Clock(r, v1::STAGE_REVISIT), nullptr);
  EXPECT_EQ(r.counters().reworks(), 0);
}

TEST_F(LifecycleTest, VerifyFailedIsReworkWithANewHandleClock) {
  v1::CaseRecord r = FedBack(UnitLed());
  r = Step(r, Centre(r),
           [](v1::Action* a) { a->mutable_verify()->set_reason("未整改"); },
           kMonday + 3 * kHour);
  EXPECT_EQ(r.state(), v1::CASE_STATE_SIGNED);
  EXPECT_EQ(r.counters().reworks(), 1);
  const v1::StageClock* handle = Clock(r, v1::STAGE_HANDLE);
  ASSERT_NE(handle, nullptr);
  EXPECT_EQ(handle->started_at(), kMonday + 3 * kHour);
  EXPECT_FALSE(r.history(r.history_size() - 1).approved());
}

TEST_F(LifecycleTest, Evaluate) {
  v1::CaseRecord r = Closed(UnitLed());
  r = Step(r, Citizen(),
           [](v1::Action* a) {
             a->mutable_evaluate()->set_satisfaction(
                 v1::SATISFACTION_BASICALLY_SATISFIED);
           },
           kMonday + kDay);
  EXPECT_EQ(r.state(), v1::CASE_STATE_EVALUATED);
  EXPECT_EQ(r.satisfaction(), v1::SATISFACTION_BASICALLY_SATISFIED);
  EXPECT_EQ(r.evaluated_at(), kMonday + kDay);
  EXPECT_EQ(Clock(r, v1::STAGE_REVISIT), nullptr);
}

TEST_F(LifecycleTest, ReturnGoesBackToTheSupervisor) {
  v1::CaseRecord r = Dispatched(UnitLed());
  const std::string lead = r.decision().lead().code();
  const std::string supervisor = r.decision().supervisor().code();
  r = Must(r, ReturnBy(r), kMonday + kHour);
  EXPECT_EQ(r.state(), v1::CASE_STATE_RETURNED);
  EXPECT_EQ(r.counters().returns(), 1);
  ASSERT_EQ(r.returned_by_size(), 1);
  EXPECT_EQ(r.returned_by(0), lead);
  EXPECT_EQ(r.decision().lead().code(), supervisor);
  const v1::HandOff& h = r.history(r.history_size() - 1);
  EXPECT_EQ(h.from_holder(), lead);
  EXPECT_EQ(h.to_holder(), supervisor);
  EXPECT_EQ(h.reason(), "NOT_OUR_DUTY");
  for (const v1::StageClock& c : r.clocks()) EXPECT_NE(c.done_at(), 0);
}

TEST_F(LifecycleTest, ReassignReroutesButNeverToAUnitThatReturned) {
  v1::CaseRecord r = Dispatched(UnitLed());
  const std::string lead = r.decision().lead().code();
  r = Must(r, ReturnBy(r), kMonday + kHour);
  v1::Action a = By(Centre(r));
  a.mutable_reassign();
  // Routing again picks the same unit: refused, the centre must name one.
  absl::StatusOr<v1::CaseRecord> next = Do(r, a, kMonday + 2 * kHour);
  EXPECT_THAT(next, StatusIs(StatusCode::kFailedPrecondition,
                             "reassign.no_candidate"));
  // Naming the returning unit is refused too.
  a.mutable_reassign()->set_unit_code(lead);
  EXPECT_THAT(Do(r, a, kMonday + 2 * kHour),
              StatusIs(StatusCode::kFailedPrecondition, "reassign.returned_unit"));
  // Naming another unit works and restarts both clocks.
  a.mutable_reassign()->set_unit_code(lead == "LH-CG" ? "LH-XZ-GOV" : "LH-CG");
  r = Must(r, a, kMonday + 2 * kHour);
  EXPECT_EQ(r.state(), v1::CASE_STATE_DISPATCHED);
  EXPECT_EQ(r.decision().lead().code(), a.reassign().unit_code());
  // Named by the action: the unit itself is the role.
  EXPECT_EQ(r.decision().lead().role().kind(), v1::ROLE_KIND_NAMED_UNIT);
  EXPECT_EQ(r.decision().lead().role().unit_code(), a.reassign().unit_code());
  EXPECT_EQ(r.counters().reassigns(), 1);
  EXPECT_EQ(r.lead_since(), kMonday + 2 * kHour);
  ASSERT_NE(Clock(r, v1::STAGE_HANDLE), nullptr);
  EXPECT_EQ(Clock(r, v1::STAGE_HANDLE)->started_at(), kMonday + 2 * kHour);
}

TEST_F(LifecycleTest, ReassignNeverRestartsTheLeadsOwnClocks) {
  // Re-routing that picks the lead again, or naming the lead, would restart
  // its clocks: an extension nobody approved, even past the deadline.
  const v1::CaseRecord r = Dispatched(UnitLed());
  const std::string lead = r.decision().lead().code();
  const int64_t late = Clock(r, v1::STAGE_HANDLE)->due_at() + 3 * kHour;
  v1::Action reroute = By(Centre(r));
  reroute.mutable_reassign()->set_reason("重新研判");
  EXPECT_THAT(Do(r, reroute, late), StatusIs(StatusCode::kFailedPrecondition,
                                             "reassign.same_lead: " + lead +
                                                 " leads the case already"));
  v1::Action named = By(Centre(r));
  named.mutable_reassign()->set_unit_code(lead);
  EXPECT_THAT(Do(r, named, late),
              StatusIs(StatusCode::kFailedPrecondition, "reassign.same_lead"));
  // Another unit gets the case, with clocks of its own.
  const Organization& o = engine_->organization();
  const UnitId room = o.Find(TownshipCommandRoom(*engine_, r.case_()));
  ASSERT_NE(room, kNoUnit);
  std::string other;
  for (UnitId u : {o.Government(o.region(room)), room}) {
    if (u != kNoUnit && o.code(u) != lead) {
      other = std::string(o.code(u));
      break;
    }
  }
  ASSERT_FALSE(other.empty());
  v1::Action again = By(Centre(r));
  again.mutable_reassign()->set_unit_code(other);
  again.mutable_reassign()->set_reason("重新研判");
  const v1::CaseRecord moved = Must(r, again, late);
  EXPECT_EQ(moved.decision().lead().code(), other);
  EXPECT_EQ(Clock(moved, v1::STAGE_HANDLE)->started_at(), late);
  EXPECT_EQ(moved.state(), v1::CASE_STATE_DISPATCHED);
  EXPECT_EQ(moved.history(moved.history_size() - 1).reason(), "重新研判");
}

TEST_F(LifecycleTest, AfterMaxReturnsOnlyABindingArbitration) {
  v1::CaseRecord r = Dispatched(UnitLed());
  const std::string first = r.decision().lead().code();
  const std::string other = first == "LH-XZ-GOV" ? "LH-CG" : "LH-XZ-GOV";
  r = Must(r, ReturnBy(r), kMonday + kHour);
  v1::Action to_other = By(Centre(r));
  to_other.mutable_reassign()->set_unit_code(other);
  r = Must(r, to_other, kMonday + 2 * kHour);
  r = Must(r, ReturnBy(r), kMonday + 3 * kHour);
  EXPECT_EQ(r.counters().returns(), engine_->lifecycle_policy().max_returns());
  v1::Action plain = By(Centre(r));
  plain.mutable_reassign()->set_unit_code("LH-SZZX");
  EXPECT_THAT(Do(r, plain, kMonday + 4 * kHour),
              StatusIs(StatusCode::kFailedPrecondition,
                       "reassign.arbitration_required"));
  v1::Action no_unit = By(Centre(r));
  no_unit.mutable_reassign()->set_arbitration(true);
  EXPECT_THAT(Do(r, no_unit, kMonday + 4 * kHour),
              StatusIs(StatusCode::kInvalidArgument, "reassign.arbitration_unit"));
  v1::Action ruling = By(Centre(r));
  ruling.mutable_reassign()->set_arbitration(true);
  ruling.mutable_reassign()->set_unit_code(first);
  r = Must(r, ruling, kMonday + 4 * kHour);
  EXPECT_TRUE(r.binding_ruling());
  EXPECT_EQ(r.decision().lead().code(), first);
  EXPECT_THAT(Do(r, ReturnBy(r), kMonday + 5 * kHour),
              StatusIs(StatusCode::kFailedPrecondition, "return.binding_ruling"));
}

TEST_F(LifecycleTest, AddCoHandlerWithItsOwnDeadline) {
  v1::CaseRecord r = Dispatched(UnitLed());
  const std::string unit =
      r.decision().lead().code() == "LH-SZZX" ? "LH-CG" : "LH-SZZX";
  v1::Action a = By(Centre(r));
  a.mutable_add_co_handler()->set_unit_code(unit);
  a.mutable_add_co_handler()->mutable_limit()->set_unit(
      v1::TIME_UNIT_WORKING_HOURS);
  a.mutable_add_co_handler()->mutable_limit()->set_amount(4);
  bool already = false;
  for (const auto& h : r.decision().co_handlers()) already |= h.code() == unit;
  if (already) GTEST_SKIP() << unit << " co-handles already";
  r = Must(r, a, kMonday + kHour);
  ASSERT_EQ(r.co_tasks_size(), 1);
  EXPECT_EQ(r.co_tasks(0).handler().code(), unit);
  EXPECT_EQ(r.co_tasks(0).handler().role().kind(), v1::ROLE_KIND_NAMED_UNIT);
  EXPECT_EQ(r.co_tasks(0).handler().role().unit_code(), unit);
  EXPECT_EQ(r.co_tasks(0).due_at(),
            *engine_->calendar().AddWorkingMinutes(kMonday + kHour, 4 * 60));
  EXPECT_EQ(r.counters().co_handlers_added(), 1);
  EXPECT_THAT(Do(r, a, kMonday + kHour),
              StatusIs(StatusCode::kFailedPrecondition, "co_handler.duplicate"));
  a.mutable_add_co_handler()->set_unit_code(r.decision().lead().code());
  EXPECT_THAT(Do(r, a, kMonday + kHour),
              StatusIs(StatusCode::kFailedPrecondition, "co_handler.is_lead"));
  a.mutable_add_co_handler()->set_unit_code("NO-SUCH-UNIT");
  EXPECT_THAT(Do(r, a, kMonday + kHour),
              StatusIs(StatusCode::kInvalidArgument, "co_handler.unknown_unit"));
}

// Exactly one lead: a co-handler the case is reassigned to stops
// co-handling, its task included, so that supervision never reports the
// lead as an overdue co-handler.
TEST_F(LifecycleTest, ACoHandlerMadeLeadLosesItsTask) {
  v1::CaseRecord r = Dispatched(UnitLed());
  const std::string unit =
      r.decision().lead().code() == "LH-SJ" ? "LH-CG" : "LH-SJ";
  for (const auto& h : r.decision().co_handlers()) {
    if (h.code() == unit) GTEST_SKIP() << unit << " co-handles already";
  }
  r = Step(
      r, Centre(r),
      [&](v1::Action* a) {
        a->mutable_add_co_handler()->set_unit_code(unit);
        a->mutable_add_co_handler()->mutable_limit()->set_unit(
            v1::TIME_UNIT_WORKING_HOURS);
        a->mutable_add_co_handler()->mutable_limit()->set_amount(1);
      },
      kMonday + kHour);
  ASSERT_EQ(r.co_tasks_size(), 1);
  r = Step(
      r, Centre(r),
      [&](v1::Action* a) { a->mutable_reassign()->set_unit_code(unit); },
      kMonday + 2 * kHour);
  EXPECT_EQ(r.decision().lead().code(), unit);
  EXPECT_EQ(r.co_tasks_size(), 0);
  absl::StatusOr<v1::SupervisionReport> due =
      Supervise(*engine_, r, kMonday + 5 * kHour);
  ASSERT_THAT(due, IsOk());
  EXPECT_EQ(due->overdue_co_handlers_size(), 0);
}

// Parking stops a co-handler's task as it stops the stage clocks: unpark
// moves its due time by the same rule, so the co-handler is not overdue as
// the case resumes (and one overdue when parked stays overdue by as much).
TEST_F(LifecycleTest, UnparkMovesTheCoHandlersTasks) {
  const WorkCalendar& cal = engine_->calendar();
  v1::CaseRecord r = Signed(UnitLed());
  const std::string lead = r.decision().lead().code();
  std::vector<std::string> units;
  for (const char* u : {"LH-SJ", "LH-CG", "LH-HB"}) {
    bool taken = u == lead;
    for (const auto& h : r.decision().co_handlers()) taken |= h.code() == u;
    if (!taken && units.size() < 2) units.push_back(u);
  }
  ASSERT_EQ(units.size(), 2u);
  const int64_t added = kMonday + kHour;
  for (size_t i = 0; i < units.size(); ++i) {
    r = Step(
        r, Centre(r),
        [&](v1::Action* a) {
          a->mutable_add_co_handler()->set_unit_code(units[i]);
          a->mutable_add_co_handler()->mutable_limit()->set_unit(
              v1::TIME_UNIT_WORKING_HOURS);
          // The first is overdue when parked, the second not.
          a->mutable_add_co_handler()->mutable_limit()->set_amount(i == 0 ? 1
                                                                          : 4);
        },
        added);
  }
  const int64_t overdue_due = r.co_tasks(0).due_at();
  const int64_t park_at = *cal.AddWorkingMinutes(added, 2 * 60);
  const int64_t left =
      *cal.WorkingMinutesBetween(park_at, r.co_tasks(1).due_at());
  ASSERT_EQ(left, 2 * 60);
  r = Step(
      r, Centre(r),
      [](v1::Action* a) { a->mutable_park()->set_reason("规划"); }, park_at);
  const int64_t unpark_at = park_at + 14 * kDay;
  r = Step(
      r, Centre(r), [](v1::Action* a) { a->mutable_unpark(); }, unpark_at);
  const int64_t parked_minutes = *cal.WorkingMinutesBetween(park_at, unpark_at);
  ASSERT_EQ(r.co_tasks_size(), 2);
  EXPECT_EQ(r.co_tasks(0).due_at(),
            *cal.AddWorkingMinutes(overdue_due, parked_minutes));
  EXPECT_EQ(*cal.WorkingMinutesBetween(r.co_tasks(0).due_at(), unpark_at), 60);
  EXPECT_EQ(r.co_tasks(1).due_at(), *cal.AddWorkingMinutes(unpark_at, left));
  absl::StatusOr<v1::SupervisionReport> due =
      Supervise(*engine_, r, unpark_at + 5 * kMin);
  ASSERT_THAT(due, IsOk());
  ASSERT_EQ(due->overdue_co_handlers_size(), 1);
  EXPECT_EQ(due->overdue_co_handlers(0).handler().code(), units[0]);
}

TEST_F(LifecycleTest, Urge) {
  v1::CaseRecord r = Signed(UnitLed());
  r = Step(r, Centre(r), [](v1::Action* a) { a->mutable_urge()->set_note("催办"); },
           kMonday + kHour);
  EXPECT_EQ(r.counters().urges(), 1);
  EXPECT_EQ(r.state(), v1::CASE_STATE_SIGNED);
  v1::Action by_lead = By(Lead(r));
  by_lead.mutable_urge();
  EXPECT_THAT(Do(r, by_lead, kMonday + kHour),
              StatusIs(StatusCode::kFailedPrecondition, "actor.wrong"));
}

TEST_F(LifecycleTest, ExtensionRequestedAndApproved) {
  v1::CaseRecord r = Signed(UnitLed());
  const int64_t due = Clock(r, v1::STAGE_HANDLE)->due_at();
  v1::Action ask = AskWorkingDays(r, 2);
  r = Must(r, ask, kMonday + kHour);
  EXPECT_TRUE(r.has_extension());
  EXPECT_FALSE(r.extension().decided());
  EXPECT_THAT(Do(r, ask, kMonday + kHour),
              StatusIs(StatusCode::kFailedPrecondition, "extension.pending"));
  v1::Action by_room_not_supervisor = By(Lead(r));
  by_room_not_supervisor.mutable_decide_extension()->set_approved(true);
  EXPECT_THAT(Do(r, by_room_not_supervisor, kMonday + kHour),
              StatusIs(StatusCode::kFailedPrecondition, "actor.wrong"));
  v1::Action decide = By(Centre(r));
  decide.mutable_decide_extension()->set_approved(true);
  r = Must(r, decide, kMonday + 2 * kHour);
  EXPECT_EQ(r.counters().extensions(), 1);
  EXPECT_TRUE(r.extension().approved());
  EXPECT_EQ(Clock(r, v1::STAGE_HANDLE)->due_at(),
            *engine_->calendar().AddWorkingDays(due, 2));
  EXPECT_TRUE(r.history(r.history_size() - 1).approved());
  // At most once (max_extensions 1).
  EXPECT_THAT(Do(r, ask, kMonday + 3 * kHour),
              StatusIs(StatusCode::kFailedPrecondition, "extension.limit"));
  EXPECT_THAT(Do(r, decide, kMonday + 3 * kHour),
              StatusIs(StatusCode::kFailedPrecondition, "extension.none_pending"));
}

TEST_F(LifecycleTest, ExtensionRefusedLeavesTheDeadline) {
  v1::CaseRecord r = Signed(UnitLed());
  const int64_t due = Clock(r, v1::STAGE_HANDLE)->due_at();
  v1::Action ask = By(Lead(r));
  ask.mutable_request_extension()->mutable_extension()->set_unit(
      v1::TIME_UNIT_WORKING_HOURS);
  ask.mutable_request_extension()->mutable_extension()->set_amount(8);
  r = Must(r, ask, kMonday + kHour);
  v1::Action decide = By(Centre(r));
  decide.mutable_decide_extension()->set_approved(false);
  r = Must(r, decide, kMonday + 2 * kHour);
  EXPECT_EQ(r.counters().extensions(), 0);
  EXPECT_EQ(Clock(r, v1::STAGE_HANDLE)->due_at(), due);
}

TEST_F(LifecycleTest, ExtensionRules) {
  v1::CaseRecord r = Signed(UnitLed());
  v1::Action ask = By(Lead(r));
  auto* ext = ask.mutable_request_extension()->mutable_extension();
  ext->set_unit(v1::TIME_UNIT_WORKING_DAYS);
  ext->set_amount(11);  // max_extension is 10 working days
  EXPECT_THAT(Do(r, ask, kMonday + kHour),
              StatusIs(StatusCode::kFailedPrecondition, "extension.too_long"));
  // Units compare by the deadline they give: 5 calendar days end before 10
  // working days do, 20 calendar days after.
  ext->set_unit(v1::TIME_UNIT_CALENDAR_DAYS);
  ext->set_amount(5);
  EXPECT_THAT(Do(r, ask, kMonday + kHour), IsOk());
  ext->set_amount(20);
  EXPECT_THAT(Do(r, ask, kMonday + kHour),
              StatusIs(StatusCode::kFailedPrecondition, "extension.too_long"));
  // 60 working hours (8.6 working days) fit; 80 (11.4) do not.
  ext->set_unit(v1::TIME_UNIT_WORKING_HOURS);
  ext->set_amount(60);
  EXPECT_THAT(Do(r, ask, kMonday + kHour), IsOk());
  ext->set_amount(80);
  EXPECT_THAT(Do(r, ask, kMonday + kHour),
              StatusIs(StatusCode::kFailedPrecondition, "extension.too_long"));
  ext->set_unit(v1::TIME_UNIT_WORKING_DAYS);
  ext->set_amount(0);
  EXPECT_THAT(Do(r, ask, kMonday + kHour),
              StatusIs(StatusCode::kInvalidArgument, "extension.duration"));
  ext->set_amount(1);
  const int64_t due = Clock(r, v1::STAGE_HANDLE)->due_at();
  EXPECT_THAT(Do(r, ask, due),
              StatusIs(StatusCode::kFailedPrecondition, "extension.expired"));
}

// 延期 is the lead's request about its own deadline: reassigned, a pending
// request lapses (decided, not approved, with why), so the new lead asks
// its own and no approval lands on its clock for the old lead's request.
TEST_F(LifecycleTest, APendingExtensionLapsesWhenTheCaseIsReassigned) {
  v1::CaseRecord r = Signed(UnitLed());
  const std::string lead = r.decision().lead().code();
  const std::string other = lead == "LH-CG" ? "LH-XZ-GOV" : "LH-CG";
  auto ask = [](int days) {
    return [days](v1::Action* a) {
      auto* x = a->mutable_request_extension();
      x->mutable_extension()->set_unit(v1::TIME_UNIT_WORKING_DAYS);
      x->mutable_extension()->set_amount(days);
      x->set_reason("需协调产权单位");
    };
  };
  r = Step(r, Lead(r), ask(3), kMonday + kHour);
  r = Step(
      r, Centre(r),
      [&](v1::Action* a) { a->mutable_reassign()->set_unit_code(other); },
      kMonday + 2 * kHour);
  ASSERT_EQ(r.decision().lead().code(), other);
  EXPECT_TRUE(r.extension().decided());
  EXPECT_FALSE(r.extension().approved());
  EXPECT_EQ(r.extension().decided_at(), kMonday + 2 * kHour);
  EXPECT_EQ(r.extension().reason(), "需协调产权单位");
  EXPECT_EQ(
      r.extension().decision_reason(),
      "lapsed: the case went from " + lead + " to " + other + " (reassign)");
  v1::Action approve = By(Centre(r));
  approve.mutable_decide_extension()->set_approved(true);
  EXPECT_THAT(
      Do(r, approve, kMonday + 3 * kHour),
      StatusIs(StatusCode::kFailedPrecondition, "extension.none_pending"));
  // The new lead asks for its own time, and gets what it asked.
  const int64_t due = Clock(r, v1::STAGE_HANDLE)->due_at();
  r = Step(r, Lead(r), ask(1), kMonday + 3 * kHour);
  r = Must(r, approve, kMonday + 4 * kHour);
  EXPECT_EQ(Clock(r, v1::STAGE_HANDLE)->due_at(),
            *engine_->calendar().AddWorkingDays(due, 1));
  EXPECT_EQ(r.counters().extensions(), 1);
}

// A return lapses a pending request too: approved while RETURNED it would
// move no clock and use up max_extensions for the next lead.
TEST_F(LifecycleTest, APendingExtensionLapsesWhenTheCaseIsReturned) {
  v1::CaseRecord r = Dispatched(UnitLed());
  const std::string lead = r.decision().lead().code();
  v1::Action ask = AskWorkingDays(r, 2);
  r = Must(r, ask, kMonday + 30 * kMin);
  r = Must(r, ReturnBy(r), kMonday + kHour);
  ASSERT_EQ(r.state(), v1::CASE_STATE_RETURNED);
  EXPECT_TRUE(r.extension().decided());
  EXPECT_FALSE(r.extension().approved());
  EXPECT_EQ(r.extension().decided_at(), kMonday + kHour);
  EXPECT_EQ(r.extension().decision_reason(),
            "lapsed: " + lead + " returned the case (return_case)");
  EXPECT_EQ(r.history(r.history_size() - 1).reason(), "NOT_OUR_DUTY");
  v1::Action approve = By(Centre(r));
  approve.mutable_decide_extension()->set_approved(true);
  EXPECT_THAT(
      Do(r, approve, kMonday + 2 * kHour),
      StatusIs(StatusCode::kFailedPrecondition, "extension.none_pending"));
  EXPECT_EQ(r.counters().extensions(), 0);
  // The next lead may ask and be granted its own.
  v1::Action to_other = By(Centre(r));
  to_other.mutable_reassign()->set_unit_code(lead == "LH-CG" ? "LH-XZ-GOV"
                                                             : "LH-CG");
  r = Must(r, to_other, kMonday + 2 * kHour);
  ask = AskWorkingDays(r, 2);
  r = Must(r, ask, kMonday + 3 * kHour);
  r = Must(r, approve, kMonday + 4 * kHour);
  EXPECT_EQ(r.counters().extensions(), 1);
}

// An approval moves the running handle clock; with none running (the lead
// handled the case meanwhile) it would extend nothing and count against
// max_extensions: only a refusal applies.
TEST_F(LifecycleTest, AnApprovalThatMovesNoClockIsRefused) {
  v1::CaseRecord r = Signed(UnitLed());
  v1::Action ask = AskWorkingDays(r, 2);
  r = Must(r, ask, kMonday + 30 * kMin);
  r = Step(
      r, Lead(r), [](v1::Action* a) { a->mutable_handle(); }, kMonday + kHour);
  v1::Action decide = By(Centre(r));
  decide.mutable_decide_extension()->set_approved(true);
  EXPECT_THAT(Do(r, decide, kMonday + 2 * kHour),
              StatusIs(StatusCode::kFailedPrecondition,
                       "extension.no_clock: no handle clock runs (the case "
                       "is CASE_STATE_HANDLED)"));
  decide.mutable_decide_extension()->set_approved(false);
  decide.mutable_decide_extension()->set_reason("已处置，无需延期");
  r = Must(r, decide, kMonday + 2 * kHour);
  EXPECT_TRUE(r.extension().decided());
  EXPECT_EQ(r.extension().decision_reason(), "已处置，无需延期");
  EXPECT_EQ(r.counters().extensions(), 0);
}

// With no supervisor named, the arbitrator decides (as a return goes to
// it); with neither, nobody could, and no request is taken.
TEST_F(LifecycleTest, TheArbitratorDecidesWhenThereIsNoSupervisor) {
  v1::CaseRecord r = Signed(UnitLed());
  const std::string supervisor = r.decision().supervisor().code();
  r.mutable_decision()->clear_supervisor();
  if (r.decision().arbitrator().code().empty()) {
    r.mutable_decision()->mutable_arbitrator()->set_code("LH-SZZX");
  }
  const v1::Actor arbitrator =
      Actor(v1::ACTOR_ROLE_CENTRE, r.decision().arbitrator().code());
  v1::Action ask = AskWorkingDays(r, 2);
  const v1::CaseRecord asked = Must(r, ask, kMonday + kHour);
  v1::Action decide = By(Actor(v1::ACTOR_ROLE_CENTRE, supervisor));
  decide.mutable_decide_extension()->set_approved(true);
  if (supervisor != arbitrator.code()) {
    EXPECT_THAT(Do(asked, decide, kMonday + 2 * kHour),
                StatusIs(StatusCode::kFailedPrecondition,
                         "actor.wrong: ACTOR_ROLE_CENTRE " + supervisor +
                             " is not the arbitrator (" + arbitrator.code() +
                             "), who decides as the decision names no "
                             "supervisor"));
  }
  *decide.mutable_actor() = arbitrator;
  const v1::CaseRecord decided = Must(asked, decide, kMonday + 2 * kHour);
  EXPECT_EQ(decided.counters().extensions(), 1);
  r.mutable_decision()->clear_arbitrator();
  EXPECT_THAT(Do(r, ask, kMonday + kHour),
              StatusIs(StatusCode::kFailedPrecondition, "extension.no_centre"));
}

// A request still pending at closure lapses: nobody could decide it any
// more (decide_extension applies to open cases), and supervision would
// report it pending for ever.
TEST_F(LifecycleTest, ClosureLapsesAPendingExtension) {
  v1::CaseRecord r = Signed(UnitLed());
  v1::Action ask = AskWorkingDays(r, 2);
  r = Must(r, ask, kMonday + 30 * kMin);
  r = Step(
      r, Lead(r), [](v1::Action* a) { a->mutable_handle(); }, kMonday + kHour);
  r = Step(
      r, Lead(r), [](v1::Action* a) { a->mutable_feed_back(); },
      kMonday + 2 * kHour);
  r = Step(
      r, Centre(r),
      [](v1::Action* a) { a->mutable_verify()->set_passed(true); },
      kMonday + 3 * kHour);
  r = Step(
      r, Centre(r), [](v1::Action* a) { a->mutable_close(); },
      kMonday + 4 * kHour);
  ASSERT_EQ(r.state(), v1::CASE_STATE_CLOSED);
  EXPECT_TRUE(r.extension().decided());
  EXPECT_FALSE(r.extension().approved());
  EXPECT_EQ(r.extension().decided_at(), kMonday + 4 * kHour);
  EXPECT_EQ(r.extension().decision_reason(),
            "lapsed: the case was closed before a decision (close)");
  absl::StatusOr<v1::SupervisionReport> due =
      Supervise(*engine_, r, kMonday + 5 * kHour);
  ASSERT_THAT(due, IsOk());
  EXPECT_FALSE(due->extension_pending());
}

// Calendar hours and days (an extension, a policy interval) are elapsed
// time, but still bounded by the calendar as every other due time is: a
// due time past its end could not be supervised later.
TEST_F(LifecycleTest, CalendarDurationsStayInsideTheCalendar) {
  const WorkCalendar& cal = engine_->calendar();
  constexpr int64_t kDec21 = 1797814800;  // 2026-12-21T09:00+08:00
  v1::Duration days;
  days.set_unit(v1::TIME_UNIT_CALENDAR_DAYS);
  days.set_amount(5);  // Sat 12-26, which gives way to Mon 12-28's close
  EXPECT_EQ(AddDuration(cal, kDec21, days).value_or(0),
            kDec21 + 7 * 86400 + 8 * 3600 + 30 * 60);
  days.set_amount(15);  // 2027-01-05, after the calendar's 2026-12-31
  EXPECT_THAT(AddDuration(cal, kDec21, days),
              StatusIs(StatusCode::kOutOfRange,
                       "15 calendar days after 2026-12-21 (to the close of a "
                       "working day) fall after the end of the work calendar "
                       "on 2026-12-31"));
  v1::Duration hours;
  hours.set_unit(v1::TIME_UNIT_CALENDAR_HOURS);
  hours.set_amount(255);  // 2027-01-01T00:00+08:00: 24:00 of the last day
  EXPECT_EQ(AddDuration(cal, kDec21, hours).value_or(0), kDec21 + 255 * 3600);
  hours.set_amount(256);
  EXPECT_THAT(AddDuration(cal, kDec21, hours),
              StatusIs(StatusCode::kOutOfRange, "256 hours after"));
  // Working days refused the same way (as before).
  v1::Duration working;
  working.set_unit(v1::TIME_UNIT_WORKING_DAYS);
  working.set_amount(12);
  EXPECT_THAT(AddDuration(cal, kDec21, working),
              StatusIs(StatusCode::kOutOfRange, "12 working days after"));
}

TEST_F(LifecycleTest, ParkStopsTheClockAndUnparkResumesWithTimeLeft) {
  v1::CaseRecord r = Signed(UnitLed());
  const int64_t due = Clock(r, v1::STAGE_HANDLE)->due_at();
  const int64_t park_at = kMonday + kHour;
  const int64_t left = *engine_->calendar().WorkingMinutesBetween(park_at, due);
  r = Step(r, Centre(r), [](v1::Action* a) { a->mutable_park()->set_reason("规划"); },
           park_at);
  EXPECT_EQ(r.state(), v1::CASE_STATE_PARKED);
  EXPECT_EQ(r.parked_from(), v1::CASE_STATE_SIGNED);
  EXPECT_EQ(r.counters().parks(), 1);
  const int64_t unpark_at = park_at + 14 * kDay;
  r = Step(r, Centre(r), [](v1::Action* a) { a->mutable_unpark(); }, unpark_at);
  EXPECT_EQ(r.state(), v1::CASE_STATE_SIGNED);
  EXPECT_EQ(r.parked_at(), 0);
  EXPECT_EQ(Clock(r, v1::STAGE_HANDLE)->due_at(),
            *engine_->calendar().AddWorkingMinutes(unpark_at, left));
}

TEST_F(LifecycleTest, UnparkKeepsAnOverdueClockOverdueByTheSameTime) {
  // Parked 4 working hours after the handle deadline, unparked a week
  // later: the deadline moves on by the week's working time (it was set to
  // the unpark time, wiping out the overdue hours), so the clock is still
  // overdue by 4 working hours at the unpark.
  const WorkCalendar& cal = engine_->calendar();
  v1::CaseRecord r = Signed(UnitLed());
  const int64_t due = Clock(r, v1::STAGE_HANDLE)->due_at();
  const int64_t park_at = *cal.AddWorkingMinutes(due, 4 * 60);
  auto park = [](v1::Action* a) { a->mutable_park()->set_reason("规划"); };
  auto unpark = [](v1::Action* a) { a->mutable_unpark(); };
  v1::CaseRecord parked = Step(r, Centre(r), park, park_at);
  const int64_t unpark_at = park_at + 7 * kDay;
  v1::CaseRecord resumed = Step(parked, Centre(parked), unpark, unpark_at);
  const int64_t parked_minutes = *cal.WorkingMinutesBetween(park_at, unpark_at);
  ASSERT_GT(parked_minutes, 0);
  const int64_t moved = Clock(resumed, v1::STAGE_HANDLE)->due_at();
  EXPECT_EQ(moved, *cal.AddWorkingMinutes(due, parked_minutes));
  EXPECT_LT(moved, unpark_at);
  EXPECT_EQ(*cal.WorkingMinutesBetween(moved, unpark_at), 4 * 60);
  // A park that lasted no working time (Saturday to Sunday) leaves an
  // overdue due time where it was.
  const int64_t saturday = Local(2026, 3, 14, 10, 0);
  ASSERT_LT(due, saturday);
  parked = Step(r, Centre(r), park, saturday);
  resumed = Step(parked, Centre(parked), unpark, saturday + kDay);
  EXPECT_EQ(Clock(resumed, v1::STAGE_HANDLE)->due_at(), due);
}

TEST_F(LifecycleTest, ReopenAfterDissatisfaction) {
  v1::CaseRecord r = Closed(UnitLed());
  r = Step(r, Citizen(),
           [](v1::Action* a) {
             a->mutable_evaluate()->set_satisfaction(v1::SATISFACTION_DISSATISFIED);
           },
           kMonday + kDay);
  v1::Action reopen = By(Citizen());
  reopen.mutable_reopen()->set_reason("反弹");
  // The window: 5 working days after closure.
  const int64_t end = *engine_->calendar().AddWorkingDays(r.closed_at(), 5);
  EXPECT_THAT(Do(r, reopen, end + 1),
              StatusIs(StatusCode::kFailedPrecondition, "reopen.window_closed"));
  v1::CaseRecord again = Must(r, reopen, kMonday + 2 * kDay);
  EXPECT_EQ(again.state(), v1::CASE_STATE_SIGNED);
  EXPECT_EQ(again.counters().reopens(), 1);
  EXPECT_EQ(again.closed_at(), 0);
  ASSERT_NE(Clock(again, v1::STAGE_HANDLE), nullptr);
  // Close it again; a second reopen is over the limit.
  again = Step(again, Lead(again), [](v1::Action* a) { a->mutable_handle(); },
               kMonday + 3 * kDay);
  again = Step(again, Lead(again), [](v1::Action* a) { a->mutable_feed_back(); },
               kMonday + 3 * kDay + kHour);
  again = Step(again, Centre(again),
               [](v1::Action* a) { a->mutable_verify()->set_passed(true); },
               kMonday + 3 * kDay + 2 * kHour);
  again = Step(again, Centre(again), [](v1::Action* a) { a->mutable_close(); },
               kMonday + 3 * kDay + 3 * kHour);
  EXPECT_THAT(Do(again, reopen, kMonday + 3 * kDay + 4 * kHour),
              StatusIs(StatusCode::kFailedPrecondition, "reopen.limit"));
}

TEST_F(LifecycleTest, ReopenRefusedWhenSatisfied) {
  v1::CaseRecord r = Closed(UnitLed());
  r = Step(r, Citizen(),
           [](v1::Action* a) {
             a->mutable_evaluate()->set_satisfaction(v1::SATISFACTION_SATISFIED);
           },
           kMonday + kDay);
  v1::Action reopen = By(Citizen());
  reopen.mutable_reopen();
  EXPECT_THAT(Do(r, reopen, kMonday + kDay + kHour),
              StatusIs(StatusCode::kFailedPrecondition, "reopen.satisfied"));
}

TEST_F(LifecycleTest, MergeKeepsBothHistories) {
  v1::CaseRecord master = Dispatched(UnitLed());
  v1::Case other = UnitLed();
  other.set_id("DUP-1");
  v1::CaseRecord dup = Registered(other);
  v1::Action merge = By(Centre(master));
  *merge.mutable_merge()->mutable_duplicate() = dup;
  v1::CaseRecord r = Must(master, merge, kMonday + kHour);
  EXPECT_EQ(r.counters().merged(), 1);
  ASSERT_EQ(r.merged_size(), 1);
  const v1::CaseRecord& m = r.merged(0);
  EXPECT_EQ(m.state(), v1::CASE_STATE_MERGED);
  EXPECT_EQ(m.merged_into(), master.case_().id());
  EXPECT_EQ(m.history_size(), dup.history_size() + 1);
  EXPECT_EQ(m.history(m.history_size() - 1).action(), "merge");
  EXPECT_EQ(r.history_size(), master.history_size() + 1);
  EXPECT_THAT(Do(r, merge, kMonday + kHour),
              StatusIs(StatusCode::kFailedPrecondition, "merge.already_merged"));
  *merge.mutable_merge()->mutable_duplicate() = master;
  EXPECT_THAT(Do(master, merge, kMonday + kHour),
              StatusIs(StatusCode::kFailedPrecondition, "merge.self"));
  v1::CaseRecord closed = Closed(other);
  *merge.mutable_merge()->mutable_duplicate() = closed;
  EXPECT_THAT(Do(master, merge, kMonday + 5 * kHour),
              StatusIs(StatusCode::kFailedPrecondition, "merge.duplicate_state"));
}

TEST_F(LifecycleTest, Withdraw) {
  v1::CaseRecord r = Signed(UnitLed());
  r = Step(r, Citizen(), [](v1::Action* a) { a->mutable_withdraw(); },
           kMonday + kHour);
  EXPECT_EQ(r.state(), v1::CASE_STATE_WITHDRAWN);
  for (const v1::StageClock& c : r.clocks()) EXPECT_NE(c.done_at(), 0);
  v1::Action any = By(Citizen());
  any.mutable_withdraw();
  EXPECT_THAT(Do(r, any, kMonday + 2 * kHour),
              StatusIs(StatusCode::kFailedPrecondition, "state.terminal"));
}

TEST_F(LifecycleTest, WhistleAndReportIn) {
  v1::CaseRecord r = Signed(Whistleable());
  const std::string dept = r.decision().whistle(0).department().code();
  v1::Action w = By(Room(r));
  w.mutable_whistle()->add_department_codes(dept);
  v1::CaseRecord whistled = Must(r, w, kMonday + kHour);
  ASSERT_EQ(whistled.whistle_calls_size(), 1);
  EXPECT_EQ(whistled.whistle_calls(0).report_by(),
            *engine_->calendar().AddWorkingMinutes(kMonday + kHour, 120));
  EXPECT_EQ(whistled.counters().whistles(), 1);
  EXPECT_THAT(Do(whistled, w, kMonday + kHour),
              StatusIs(StatusCode::kFailedPrecondition, "whistle.already_summoned"));
  v1::Action not_listed = By(Room(r));
  not_listed.mutable_whistle()->add_department_codes("LH-NOT-LISTED");
  EXPECT_THAT(Do(r, not_listed, kMonday + kHour),
              StatusIs(StatusCode::kFailedPrecondition, "whistle.not_on_list"));
  v1::Action none = By(Room(r));
  none.mutable_whistle();
  EXPECT_THAT(Do(r, none, kMonday + kHour),
              StatusIs(StatusCode::kInvalidArgument, "whistle.no_department"));
  v1::Action in = By(Actor(v1::ACTOR_ROLE_UNIT, dept));
  in.mutable_report_in();
  v1::CaseRecord reported = Must(whistled, in, kMonday + 2 * kHour);
  EXPECT_EQ(reported.whistle_calls(0).reported_at(), kMonday + 2 * kHour);
  EXPECT_THAT(Do(reported, in, kMonday + 2 * kHour),
              StatusIs(StatusCode::kFailedPrecondition, "report_in.not_summoned"));
}

// A record no routing made (a whistle list longer than kMaxWhistle) is
// refused before its list is searched; an action naming many codes ends at
// the first duplicate; quoted codes are clipped.
TEST_F(LifecycleTest, WhistleListsAreBounded) {
  v1::CaseRecord r = Signed(Whistleable());
  const std::string dept = r.decision().whistle(0).department().code();
  v1::Action w = By(Room(r));
  for (int k = 0; k < 100000; ++k) {
    w.mutable_whistle()->add_department_codes(dept);
  }
  EXPECT_THAT(Do(r, w, kMonday + kHour),
              StatusIs(StatusCode::kFailedPrecondition,
                       "whistle.department_codes[1]: "));
  v1::CaseRecord forged = r;
  while (forged.decision().whistle_size() <= kMaxWhistle) {
    *forged.mutable_decision()->add_whistle() = r.decision().whistle(0);
  }
  v1::Action one = By(Room(r));
  one.mutable_whistle()->add_department_codes(dept);
  EXPECT_THAT(
      Do(forged, one, kMonday + kHour),
      StatusIs(StatusCode::kInvalidArgument, "record.decision.whistle"));
  v1::Action long_code = By(Room(r));
  long_code.mutable_whistle()->add_department_codes(std::string(100000, 'X'));
  absl::StatusOr<v1::CaseRecord> refused = Do(r, long_code, kMonday + kHour);
  EXPECT_THAT(refused,
              StatusIs(StatusCode::kFailedPrecondition, "whistle.not_on_list"));
  EXPECT_LT(refused.status().message().size(), 300u);
}

TEST_F(LifecycleTest, RateDepartment) {
  // A case a county department (or a unit one dispatched) leads.
  const Organization& o = engine_->organization();
  v1::CaseRecord r = Closed(Find([&](const v1::RoutingDecision& d) {
    const UnitId u = o.Find(d.lead().code());
    return d.outcome() == v1::ROUTING_OUTCOME_ROUTED &&
           d.lead().kind() == v1::HANDLER_KIND_UNIT &&
           !d.supervisor().code().empty() && u != kNoUnit &&
           (o.kind(u) == v1::UNIT_KIND_DEPARTMENT ||
            o.kind(u) == v1::UNIT_KIND_DISPATCHED);
  }));
  ASSERT_EQ(r.state(), v1::CASE_STATE_CLOSED);
  const std::string lead = r.decision().lead().code();
  v1::Action rate = By(Room(r));
  rate.mutable_rate_department()->set_department_code(lead);
  rate.mutable_rate_department()->set_score(85);
  v1::CaseRecord rated = Must(r, rate, kMonday + kDay);
  ASSERT_EQ(rated.ratings_size(), 1);
  EXPECT_EQ(rated.ratings(0).score(), 85);
  EXPECT_EQ(rated.ratings(0).township_code(), Room(r).code());
  EXPECT_EQ(rated.state(), v1::CASE_STATE_CLOSED);
  EXPECT_THAT(Do(rated, rate, kMonday + kDay),
              StatusIs(StatusCode::kFailedPrecondition, "rate.duplicate"));
  rate.mutable_rate_department()->set_score(101);
  EXPECT_THAT(Do(r, rate, kMonday + kDay),
              StatusIs(StatusCode::kInvalidArgument, "rate.score"));
  rate.mutable_rate_department()->set_score(50);
  rate.mutable_rate_department()->set_department_code("LH-NOBODY");
  EXPECT_THAT(Do(r, rate, kMonday + kDay),
              StatusIs(StatusCode::kFailedPrecondition, "rate.not_handler"));
}

// 反向考评: townships rate county departments and the units they
// dispatched — not their own government or command room, nor a grid.
TEST_F(LifecycleTest, RateDepartmentRatesOnlyCountyDepartments) {
  v1::CaseRecord r = Dispatched(UnitLed());
  const Organization& o = engine_->organization();
  const UnitId room = o.Find(TownshipCommandRoom(*engine_, r.case_()));
  ASSERT_NE(room, kNoUnit);
  const std::string gov(o.code(o.Government(o.region(room))));
  const std::string room_code(o.code(room));
  if (r.decision().lead().code() != gov) {
    r = Step(
        r, Centre(r),
        [&](v1::Action* a) { a->mutable_reassign()->set_unit_code(gov); },
        kMonday + 15 * kMin);
  }
  auto co_handles = [&](const std::string& code) {
    for (const auto& h : r.decision().co_handlers()) {
      if (h.code() == code) return true;
    }
    return false;
  };
  for (const std::string& code : {room_code, std::string("LH-SJ")}) {
    if (co_handles(code)) continue;
    r = Step(
        r, Centre(r),
        [&](v1::Action* a) {
          a->mutable_add_co_handler()->set_unit_code(code);
        },
        kMonday + 20 * kMin);
  }
  r = SignedToClosed(r);
  ASSERT_EQ(r.state(), v1::CASE_STATE_CLOSED);
  v1::Action rate = By(Room(r));
  rate.mutable_rate_department()->set_score(80);
  rate.mutable_rate_department()->set_department_code(gov);
  EXPECT_THAT(Do(r, rate, kMonday + kDay),
              StatusIs(StatusCode::kFailedPrecondition,
                       "rate.not_department: " + gov +
                           " is a UNIT_KIND_GOVERNMENT: 反向考评 rates county "
                           "departments"));
  // The command room rating itself.
  rate.mutable_rate_department()->set_department_code(room_code);
  EXPECT_THAT(Do(r, rate, kMonday + kDay),
              StatusIs(StatusCode::kFailedPrecondition,
                       "rate.not_department: " + room_code +
                           " is a UNIT_KIND_COMMAND_CENTRE"));
  rate.mutable_rate_department()->set_department_code("LH-SJ");
  EXPECT_EQ(Must(r, rate, kMonday + kDay).ratings_size(), 1);

  // A grid that led the case is no department either.
  const v1::Case grid_led = Find([](const v1::RoutingDecision& d) {
    return d.outcome() == v1::ROUTING_OUTCOME_ROUTED &&
           d.lead().kind() == v1::HANDLER_KIND_GRID &&
           !d.supervisor().code().empty();
  });
  const v1::CaseRecord closed = Closed(grid_led);
  ASSERT_EQ(closed.state(), v1::CASE_STATE_CLOSED);
  rate = By(Room(closed));
  rate.mutable_rate_department()->set_score(80);
  rate.mutable_rate_department()->set_department_code(
      closed.decision().lead().code());
  EXPECT_THAT(
      Do(closed, rate, kMonday + kDay),
      StatusIs(StatusCode::kFailedPrecondition,
               "rate.not_department: " + closed.decision().lead().code() +
                   " is no unit (a grid)"));
}

// A dispatched unit stationed in the rating township is its department's
// (派驻), and rated as such.
TEST_F(LifecycleTest, RateDepartmentRatesADispatchedUnit) {
  v1::CaseRecord r = Dispatched(UnitLed());
  const Organization& o = engine_->organization();
  const UnitId room = o.Find(TownshipCommandRoom(*engine_, r.case_()));
  ASSERT_NE(room, kNoUnit);
  const UnitId squadron = o.DispatchedCovering(
      o.region(room), o.FindDepartmentType("urban_management"));
  ASSERT_NE(squadron, kNoUnit);
  const std::string code(o.code(squadron));
  if (r.decision().lead().code() != code) {
    r = Step(
        r, Centre(r),
        [&](v1::Action* a) { a->mutable_reassign()->set_unit_code(code); },
        kMonday + 15 * kMin);
  }
  r = SignedToClosed(r);
  v1::Action rate = By(Room(r));
  rate.mutable_rate_department()->set_score(90);
  rate.mutable_rate_department()->set_department_code(code);
  EXPECT_EQ(Must(r, rate, kMonday + kDay).ratings_size(), 1);
}

// ---------------------------------------------------------------- refusals

TEST_F(LifecycleTest, WrongActorIsRefusedNamingTheRule) {
  v1::CaseRecord r = Dispatched(UnitLed());
  v1::Action sign = By(Actor(v1::ACTOR_ROLE_UNIT, "LH-SOMEONE-ELSE"));
  sign.mutable_sign_for();
  EXPECT_THAT(Do(r, sign, kMonday + kHour),
              StatusIs(StatusCode::kFailedPrecondition, "sign_for: actor.wrong"));
  // The lead's code with the wrong role.
  sign.mutable_actor()->set_role(v1::ACTOR_ROLE_CITIZEN);
  sign.mutable_actor()->set_code(r.decision().lead().code());
  EXPECT_THAT(Do(r, sign, kMonday + kHour),
              StatusIs(StatusCode::kFailedPrecondition, "actor.wrong"));
  v1::Action reg = By(Actor(v1::ACTOR_ROLE_CENTRE, "LH-NOT-A-CENTRE"));
  reg.mutable_register_();
  EXPECT_THAT(Do(Received(UnitLed()), reg, kMonday + kHour),
              StatusIs(StatusCode::kFailedPrecondition, "register: actor.wrong"));
  v1::Action withdraw = By(Lead(r));
  withdraw.mutable_withdraw();
  EXPECT_THAT(Do(r, withdraw, kMonday + kHour),
              StatusIs(StatusCode::kFailedPrecondition, "actor.wrong"));
  v1::Action whistle = By(Actor(v1::ACTOR_ROLE_CENTRE, "LH-SZZX"));
  whistle.mutable_whistle()->add_department_codes("X");
  if (Room(r).code() != "LH-SZZX") {
    EXPECT_THAT(Do(r, whistle, kMonday + kHour),
                StatusIs(StatusCode::kFailedPrecondition, "actor.wrong"));
  }
  v1::Action no_role = By(v1::Actor());
  no_role.mutable_sign_for();
  EXPECT_THAT(Do(r, no_role, kMonday + kHour),
              StatusIs(StatusCode::kInvalidArgument, "actor.role"));
}

TEST_F(LifecycleTest, WrongStateIsRefusedNamingTheRule) {
  v1::CaseRecord r = Registered(UnitLed());
  v1::Action sign = By(Actor(v1::ACTOR_ROLE_UNIT, "X"));
  sign.mutable_sign_for();
  v1::CaseRecord d = Dispatched(UnitLed());
  v1::Action handle = By(Lead(d));
  handle.mutable_handle();
  EXPECT_THAT(Do(d, handle, kMonday + kHour),
              StatusIs(StatusCode::kFailedPrecondition, "handle: state.wrong"));
  v1::Action close = By(Centre(d));
  close.mutable_close();
  EXPECT_THAT(Do(d, close, kMonday + kHour),
              StatusIs(StatusCode::kFailedPrecondition, "state.wrong"));
  v1::Action dispatch = By(Centre(d));
  dispatch.mutable_dispatch();
  EXPECT_THAT(Do(d, dispatch, kMonday + kHour),
              StatusIs(StatusCode::kFailedPrecondition, "state.wrong"));
  v1::Action on_empty = By(Citizen());
  on_empty.mutable_withdraw();
  EXPECT_THAT(Do(v1::CaseRecord(), on_empty, kMonday),
              StatusIs(StatusCode::kFailedPrecondition, "state.wrong"));
  // Closed cases: only evaluate, reopen and rate_department.
  v1::CaseRecord closed = Closed(UnitLed());
  v1::Action urge = By(Centre(closed));
  urge.mutable_urge();
  EXPECT_THAT(Do(closed, urge, kMonday + kDay),
              StatusIs(StatusCode::kFailedPrecondition, "state.wrong"));
  v1::Action park = By(Centre(closed));
  park.mutable_park();
  EXPECT_THAT(Do(closed, park, kMonday + kDay),
              StatusIs(StatusCode::kFailedPrecondition, "state.wrong"));
}

TEST_F(LifecycleTest, ReturnRules) {
  v1::CaseRecord r = Dispatched(UnitLed());
  // The window: 1 working day from dispatch.
  const int64_t end = *engine_->calendar().AddWorkingDays(r.lead_since(), 1);
  EXPECT_THAT(Do(r, ReturnBy(r), end + 1),
              StatusIs(StatusCode::kFailedPrecondition, "return.window_closed"));
  v1::Action bad_code = ReturnBy(r);
  bad_code.mutable_return_case()->set_reason_code("BORED");
  EXPECT_THAT(Do(r, bad_code, kMonday + kHour),
              StatusIs(StatusCode::kInvalidArgument, "return.reason_code"));
  v1::Action no_basis = ReturnBy(r);
  no_basis.mutable_return_case()->clear_basis();
  EXPECT_THAT(Do(r, no_basis, kMonday + kHour),
              StatusIs(StatusCode::kInvalidArgument, "return.basis"));
  v1::Action by_other = ReturnBy(r);
  by_other.mutable_actor()->set_code("LH-OTHER");
  EXPECT_THAT(Do(r, by_other, kMonday + kHour),
              StatusIs(StatusCode::kFailedPrecondition, "actor.wrong"));
  // Not after handling.
  v1::CaseRecord handled = Signed(UnitLed());
  handled = Step(handled, Lead(handled), [](v1::Action* a) { a->mutable_handle(); },
                 kMonday + kHour);
  EXPECT_THAT(Do(handled, ReturnBy(handled), kMonday + 2 * kHour),
              StatusIs(StatusCode::kFailedPrecondition, "state.wrong"));
  // Nor after a rework puts the handled case back in SIGNED, within the
  // window.
  v1::CaseRecord rework = FedBack(UnitLed());
  rework = Step(
      rework, Centre(rework),
      [](v1::Action* a) { a->mutable_verify()->set_passed(false); },
      kMonday + 3 * kHour);
  ASSERT_EQ(rework.state(), v1::CASE_STATE_SIGNED);
  EXPECT_THAT(Do(rework, ReturnBy(rework), kMonday + 4 * kHour),
              StatusIs(StatusCode::kFailedPrecondition,
                       "return.handled: " + rework.decision().lead().code() +
                           " handled the case at "));
  // A blank basis (ASCII or ideographic spaces) is no basis.
  v1::Action blank = ReturnBy(r);
  blank.mutable_return_case()->set_basis(" \t\u3000 ");
  EXPECT_THAT(Do(r, blank, kMonday + kHour),
              StatusIs(StatusCode::kInvalidArgument, "return.basis"));
}

// Report and handling are separated (报办分离): the grid worker who
// reported a case its own grid would lead does not handle it; the centre
// holds it and names someone else, never the reporter.
TEST_F(LifecycleTest, TheReporterNeverLeads) {
  const v1::Case c = Find([](const v1::RoutingDecision& d) {
    return d.outcome() == v1::ROUTING_OUTCOME_ROUTED &&
           d.lead().kind() == v1::HANDLER_KIND_GRID &&
           !d.supervisor().code().empty();
  });
  const v1::Actor worker =
      Actor(v1::ACTOR_ROLE_GRID_WORKER, std::to_string(c.location_code()));
  const v1::CaseRecord r = Dispatched(c, worker);
  // Routing picked the grid; the supervising centre holds the case.
  EXPECT_EQ(r.decision().lead().code(), r.decision().supervisor().code());
  EXPECT_EQ(r.history(r.history_size() - 1).reason(),
            "报办分离: " + worker.code() +
                " reported the case and does not handle it");
  v1::Action sign = By(worker);
  sign.mutable_sign_for();
  EXPECT_THAT(Do(r, sign, kMonday + 20 * kMin),
              StatusIs(StatusCode::kFailedPrecondition, "actor.wrong"));
  // Re-routing finds only the reporter.
  v1::Action reroute = By(Centre(r));
  reroute.mutable_reassign();
  EXPECT_THAT(Do(r, reroute, kMonday + 20 * kMin),
              StatusIs(StatusCode::kFailedPrecondition,
                       "reassign.no_candidate: routing picks " + worker.code() +
                           ", which reported the case (报办分离)"));
  // The same case reported by a citizen goes to the grid.
  const v1::CaseRecord by_citizen = Dispatched(c);
  EXPECT_EQ(by_citizen.decision().lead().code(), worker.code());

  // A unit that passed a case on is never named its lead either.
  const v1::CaseRecord t =
      Dispatched(UnitLed(), Actor(v1::ACTOR_ROLE_UNIT, "LH-CG"));
  EXPECT_NE(t.decision().lead().code(), "LH-CG");
  v1::Action name = By(Centre(t));
  name.mutable_reassign()->set_unit_code("LH-CG");
  EXPECT_THAT(Do(t, name, kMonday + kHour),
              StatusIs(StatusCode::kFailedPrecondition,
                       "reassign.reporter: LH-CG reported the case"));
}

// Only the reporter withdraws; only the citizen who reported a case
// evaluates or reopens it (a centre may record the revisit).
TEST_F(LifecycleTest, TheReporterWithdrawsAndEvaluates) {
  const v1::Actor stranger = Actor(v1::ACTOR_ROLE_CITIZEN, "13111111111");
  v1::CaseRecord r = Signed(UnitLed());
  v1::Action withdraw = By(stranger);
  withdraw.mutable_withdraw();
  EXPECT_THAT(Do(r, withdraw, kMonday + kHour),
              StatusIs(StatusCode::kFailedPrecondition,
                       "actor.wrong: ACTOR_ROLE_CITIZEN 13111111111 is not "
                       "the reporter (ACTOR_ROLE_CITIZEN 13900000000)"));
  v1::CaseRecord closed = Closed(UnitLed());
  v1::Action evaluate = By(stranger);
  evaluate.mutable_evaluate()->set_satisfaction(v1::SATISFACTION_DISSATISFIED);
  EXPECT_THAT(Do(closed, evaluate, kMonday + 5 * kHour),
              StatusIs(StatusCode::kFailedPrecondition,
                       "the citizen who reported the case (13900000000)"));
  closed = Step(
      closed, Centre(closed),
      [](v1::Action* a) {
        a->mutable_evaluate()->set_satisfaction(v1::SATISFACTION_DISSATISFIED);
      },
      kMonday + 5 * kHour);
  v1::Action reopen = By(stranger);
  reopen.mutable_reopen();
  EXPECT_THAT(Do(closed, reopen, kMonday + 6 * kHour),
              StatusIs(StatusCode::kFailedPrecondition, "actor.wrong"));
  closed = Step(
      closed, Citizen(), [](v1::Action* a) { a->mutable_reopen(); },
      kMonday + 6 * kHour);
  EXPECT_EQ(closed.state(), v1::CASE_STATE_SIGNED);

  // A case a grid worker reported: the grid worker withdraws it.
  const v1::Case c = UnitLed();
  const v1::Actor worker = Actor(v1::ACTOR_ROLE_GRID_WORKER, "32011600100101");
  const v1::CaseRecord patrol = Received(c, worker);
  EXPECT_THAT(Do(patrol, withdraw, kMonday + kHour),
              StatusIs(StatusCode::kFailedPrecondition, "not the reporter"));
  const v1::CaseRecord gone = Step(
      patrol, worker, [](v1::Action* a) { a->mutable_withdraw(); },
      kMonday + kHour);
  EXPECT_EQ(gone.state(), v1::CASE_STATE_WITHDRAWN);
}

// Only an arbitration's ruling binds: a later ordinary reassignment lifts
// it, and the unit it names may return the case again.
TEST_F(LifecycleTest, AnOrdinaryReassignmentLiftsTheRuling) {
  v1::CaseRecord r = Dispatched(UnitLed());
  const std::string first = r.decision().lead().code();
  const std::string other = first == "LH-XZ-GOV" ? "LH-CG" : "LH-XZ-GOV";
  v1::Action ruling = By(Centre(r));
  ruling.mutable_reassign()->set_arbitration(true);
  ruling.mutable_reassign()->set_unit_code(other);
  r = Must(r, ruling, kMonday + kHour);
  EXPECT_TRUE(r.binding_ruling());
  v1::Action plain = By(Centre(r));
  plain.mutable_reassign()->set_unit_code(first);
  r = Must(r, plain, kMonday + 2 * kHour);
  EXPECT_FALSE(r.binding_ruling());
  r = Must(r, ReturnBy(r), kMonday + 3 * kHour);
  EXPECT_EQ(r.state(), v1::CASE_STATE_RETURNED);
}

// Clocks a case stops without their stage being done say so; a return
// answers the dispatch.
TEST_F(LifecycleTest, StoppedClocksAreMarkedInterrupted) {
  v1::CaseRecord r = Dispatched(UnitLed());
  const v1::CaseRecord returned = Must(r, ReturnBy(r), kMonday + kHour);
  for (const v1::StageClock& c : returned.clocks()) {
    EXPECT_EQ(c.done_at(), kMonday + kHour);
    EXPECT_EQ(c.interrupted(), c.stage() != v1::STAGE_SIGN_FOR)
        << v1::Stage_Name(c.stage());
  }
  const v1::CaseRecord withdrawn = Step(
      r, Citizen(), [](v1::Action* a) { a->mutable_withdraw(); },
      kMonday + kHour);
  for (const v1::StageClock& c : withdrawn.clocks()) {
    EXPECT_TRUE(c.interrupted()) << v1::Stage_Name(c.stage());
  }
  const v1::CaseRecord signed_for = Signed(UnitLed());
  for (const v1::StageClock& c : signed_for.clocks()) {
    EXPECT_FALSE(c.interrupted());
  }
}

// Arguments are named with the value given.
TEST_F(LifecycleTest, ParkNeedsAReasonAndDurationsAreEchoed) {
  const v1::CaseRecord r = Signed(UnitLed());
  v1::Action park = By(Centre(r));
  park.mutable_park();
  EXPECT_THAT(Do(r, park, kMonday + kHour),
              StatusIs(StatusCode::kInvalidArgument, "park.reason"));
  v1::Action ask = By(Lead(r));
  ask.mutable_request_extension()->mutable_extension()->set_amount(-3);
  ask.mutable_request_extension()->mutable_extension()->set_unit(
      v1::TIME_UNIT_WORKING_DAYS);
  EXPECT_THAT(Do(r, ask, kMonday + kHour),
              StatusIs(StatusCode::kInvalidArgument,
                       "request_extension.extension {amount -3, unit "
                       "TIME_UNIT_WORKING_DAYS}"));
  v1::Action add = By(Centre(r));
  add.mutable_add_co_handler()->set_unit_code("LH-SZZX");
  add.mutable_add_co_handler()->mutable_limit()->set_amount(2);
  EXPECT_THAT(Do(r, add, kMonday + kHour),
              StatusIs(StatusCode::kInvalidArgument,
                       "add_co_handler.limit {amount 2, unit "
                       "TIME_UNIT_UNSPECIFIED}"));
}

TEST_F(LifecycleTest, ReceiveRules) {
  v1::CaseRecord r = Received(UnitLed());
  v1::Action again = By(Citizen());
  *again.mutable_receive()->mutable_case_() = UnitLed();
  EXPECT_THAT(Do(r, again, kMonday),
              StatusIs(StatusCode::kFailedPrecondition, "receive.not_empty"));
  v1::Case bad = UnitLed();
  bad.set_location_code(99);
  *again.mutable_receive()->mutable_case_() = bad;
  EXPECT_THAT(Do(v1::CaseRecord(), again, kMonday),
              StatusIs(StatusCode::kInvalidArgument, "receive.location"));
  bad = UnitLed();
  bad.set_matter_code("99999");
  *again.mutable_receive()->mutable_case_() = bad;
  EXPECT_THAT(Do(v1::CaseRecord(), again, kMonday),
              StatusIs(StatusCode::kInvalidArgument, "receive.matter"));
  bad = UnitLed();
  bad.clear_id();
  *again.mutable_receive()->mutable_case_() = bad;
  EXPECT_THAT(Do(v1::CaseRecord(), again, kMonday),
              StatusIs(StatusCode::kInvalidArgument, "receive.case_id"));
  v1::Action none;
  EXPECT_THAT(Do(r, none, kMonday), StatusIs(StatusCode::kInvalidArgument, "no kind"));
}

TEST_F(LifecycleTest, TimeMayNotRunBackwards) {
  v1::CaseRecord r = Dispatched(UnitLed());
  v1::Action sign = By(Lead(r));
  sign.mutable_sign_for();
  EXPECT_THAT(Do(r, sign, kMonday),
              StatusIs(StatusCode::kInvalidArgument, "time.backwards"));
}

TEST_F(LifecycleTest, EvaluateNeedsASatisfaction) {
  v1::CaseRecord r = Closed(UnitLed());
  v1::Action e = By(Citizen());
  e.mutable_evaluate();
  EXPECT_THAT(Do(r, e, kMonday + kDay),
              StatusIs(StatusCode::kInvalidArgument, "evaluate.satisfaction"));
  e.mutable_evaluate()->set_satisfaction(v1::SATISFACTION_SATISFIED);
  v1::CaseRecord done = Must(r, e, kMonday + kDay);
  EXPECT_THAT(Do(done, e, kMonday + kDay),
              StatusIs(StatusCode::kFailedPrecondition, "state.wrong"));
}

TEST_F(LifecycleTest, DeadlinesOutsideTheCalendarAreOutOfRange) {
  v1::CaseRecord r = Registered(UnitLed());
  v1::Action dispatch = By(Centre(r));
  dispatch.mutable_dispatch();
  EXPECT_THAT(Do(r, dispatch, Local(2026, 12, 31, 16, 0)),
              StatusIs(StatusCode::kOutOfRange, "dispatch: "));
}

TEST_F(LifecycleTest, InPlaceLeavesTheRecordOnRefusal) {
  Lifecycle loop(*engine_);
  v1::CaseRecord r = Dispatched(UnitLed());
  const std::string before = r.SerializeAsString();
  v1::Action bad = ReturnBy(r);
  bad.mutable_return_case()->clear_basis();
  EXPECT_THAT(loop.ApplyInPlace(&r, bad, kMonday + kHour),
              StatusIs(StatusCode::kInvalidArgument, "return.basis"));
  EXPECT_EQ(r.SerializeAsString(), before);
  EXPECT_THAT(loop.ApplyInPlace(&r, ReturnBy(r), kMonday + kHour), IsOk());
  EXPECT_EQ(r.state(), v1::CASE_STATE_RETURNED);
}

TEST_F(LifecycleTest, PolicyDefaultsAreFilled) {
  const v1::LifecyclePolicy& p = engine_->lifecycle_policy();
  EXPECT_EQ(p.max_returns(), 2);
  EXPECT_EQ(p.max_extensions(), 1);
  EXPECT_EQ(p.max_reopens(), 1);
  EXPECT_EQ(p.yellow_percent(), 80);
  EXPECT_EQ(p.return_window().unit(), v1::TIME_UNIT_WORKING_DAYS);
  EXPECT_EQ(p.return_window().amount(), 1);
  EXPECT_GE(p.return_reasons_size(), 5);
}

TEST(ActionNameTest, NamesEveryKind) {
  const google::protobuf::OneofDescriptor* kind =
      v1::Action::descriptor()->FindOneofByName("kind");
  ASSERT_NE(kind, nullptr);
  EXPECT_EQ(kind->field_count(), 24);
  for (int i = 0; i < kind->field_count(); ++i) {
    const auto* f = kind->field(i);
    EXPECT_EQ(ActionName(static_cast<v1::Action::KindCase>(f->number())),
              f->name());
  }
  EXPECT_STREQ(ActionName(v1::Action::KIND_NOT_SET), "");
}

}  // namespace
}  // namespace jiceng
