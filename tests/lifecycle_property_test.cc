// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0
//
// Property test: random action sequences on the sample cases never yield a
// record that breaks an invariant, and a refusal never changes the record.
//
// 100,000 sequences by default (JICENG_PROPERTY_SEQUENCES overrides it,
// e.g. smaller under sanitizers). Each sequence receives a sample case and
// applies up to 16 actions: mostly the next step of the loop for the
// record's state, otherwise any of the 24 kinds with a random actor and
// random (sometimes malformed) arguments, at times moving forward by random
// amounts (sometimes backwards).
//
// Invariants checked after every accepted action:
//  - exactly one lead while the case is dispatched and open (a lead code,
//    not also a co-handler, without a co-handler task); none before
//    dispatch;
//  - an extension request pending only while a lead handles the case (not
//    RETURNED, closed or finished: a return, reassignment or closure lapses
//    it);
//  - deadlines consistent: due >= start, done >= start, at most one running
//    clock per stage, none running in a terminal or evaluated case;
//  - counters equal the counts of their actions in the history;
//  - history: begins with receive, times never decrease, each entry starts
//    where the previous ended, the last ends in the record's state;
//  - closed cases change only by evaluate, reopen and rate_department, and
//    then never in their case, decision or clocks;
//  - nothing applies to a terminal case.

#include <cstdlib>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "src/lifecycle/lifecycle.h"
#include "src/sample/sample_cases.h"
#include "src/sample/sample_dataset.h"

namespace jiceng {
namespace {

using v1::Action;
using v1::CaseRecord;

int64_t Sequences() {
  const char* env = std::getenv("JICENG_PROPERTY_SEQUENCES");
  int64_t n = 0;
  if (env != nullptr && absl::SimpleAtoi(env, &n) && n > 0) return n;
  return 100000;
}

// Returns "" when `r` keeps every invariant, else the first one broken.
std::string CheckInvariants(const CaseRecord& r) {
  const v1::CaseState s = r.state();
  const bool dispatched_open =
      s == v1::CASE_STATE_DISPATCHED || s == v1::CASE_STATE_SIGNED ||
      s == v1::CASE_STATE_HANDLED || s == v1::CASE_STATE_FED_BACK ||
      s == v1::CASE_STATE_VERIFIED || s == v1::CASE_STATE_RETURNED ||
      s == v1::CASE_STATE_PARKED;
  if (dispatched_open) {
    if (r.decision().lead().code().empty()) return "open case without a lead";
    for (const v1::Handler& h : r.decision().co_handlers()) {
      if (h.code() == r.decision().lead().code()) return "lead also co-handles";
    }
    for (const v1::CoHandlerTask& t : r.co_tasks()) {
      if (t.handler().code() == r.decision().lead().code()) {
        return "lead keeps a co-handler task";
      }
    }
    if (r.dispatched_at() == 0) return "dispatched without dispatched_at";
  }
  if ((s == v1::CASE_STATE_RECEIVED || s == v1::CASE_STATE_REGISTERED) &&
      (r.dispatched_at() != 0 || !r.decision().lead().code().empty())) {
    return "a lead before dispatch";
  }
  if (r.has_extension() && !r.extension().decided() &&
      (s == v1::CASE_STATE_RETURNED || IsClosedState(s))) {
    return "an extension request pending without a lead to handle it";
  }
  if ((s == v1::CASE_STATE_PARKED) != (r.parked_at() != 0)) {
    return "parked_at disagrees with the state";
  }
  if (IsClosedState(s) != (r.closed_at() != 0)) {
    return "closed_at disagrees with the state";
  }
  bool running[5] = {false, false, false, false, false};
  for (const v1::StageClock& c : r.clocks()) {
    if (c.due_at() < c.started_at()) return "a clock due before it started";
    if (c.done_at() != 0 && c.done_at() < c.started_at()) {
      return "a clock done before it started";
    }
    if (c.done_at() == 0) {
      if (IsTerminalState(s) || s == v1::CASE_STATE_EVALUATED) {
        return "a clock running in a finished case";
      }
      const int stage = static_cast<int>(c.stage());
      if (stage < 1 || stage > 4) return "a clock without a stage";
      if (running[stage]) return "two running clocks of one stage";
      running[stage] = true;
    }
  }
  for (const v1::CoHandlerTask& t : r.co_tasks()) {
    if (t.due_at() < t.assigned_at()) return "co-handler due before assigned";
  }
  for (const v1::WhistleCall& w : r.whistle_calls()) {
    if (w.report_by() < w.summoned_at()) return "report-in due before summons";
  }
  // Counters match history.
  v1::Counters n;
  for (const v1::HandOff& h : r.history()) {
    const std::string& a = h.action();
    if (a == "return_case") n.set_returns(n.returns() + 1);
    if (a == "verify" && !h.approved()) n.set_reworks(n.reworks() + 1);
    if (a == "decide_extension" && h.approved()) {
      n.set_extensions(n.extensions() + 1);
    }
    if (a == "urge") n.set_urges(n.urges() + 1);
    if (a == "reopen") n.set_reopens(n.reopens() + 1);
    if (a == "park") n.set_parks(n.parks() + 1);
    if (a == "reassign") n.set_reassigns(n.reassigns() + 1);
    if (a == "add_co_handler") n.set_co_handlers_added(n.co_handlers_added() + 1);
    if (a == "whistle") n.set_whistles(n.whistles() + 1);
    if (a == "merge" && h.to_state() != v1::CASE_STATE_MERGED) {
      n.set_merged(n.merged() + 1);
    }
  }
  if (n.SerializeAsString() != r.counters().SerializeAsString()) {
    return absl::StrCat("counters do not match history: ",
                        r.counters().ShortDebugString(), " vs ",
                        n.ShortDebugString());
  }
  if (r.counters().merged() != r.merged_size()) return "merged count";
  if ((r.counters().returns() > 0) != (r.returned_by_size() > 0)) {
    return "returned_by disagrees with returns";
  }
  if (r.history_size() == 0 || r.history(0).action() != "receive") {
    return "history does not begin with receive";
  }
  for (int i = 1; i < r.history_size(); ++i) {
    if (r.history(i).at() < r.history(i - 1).at()) return "history goes back";
    if (r.history(i).from_state() != r.history(i - 1).to_state()) {
      return "history entries do not chain";
    }
  }
  if (r.history(r.history_size() - 1).to_state() != s) {
    return "history does not end in the state";
  }
  return "";
}

class Generator {
 public:
  Generator(const Engine& engine, uint64_t seed)
      : engine_(engine), rng_(seed) {}

  int Pick(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng_); }
  bool Chance(int percent) { return Pick(100) < percent; }

  v1::Actor Someone(const CaseRecord& r) {
    v1::Actor a;
    const v1::RoutingDecision& d = r.decision();
    switch (Pick(8)) {
      case 0:
        a = LeadActor(r);
        break;
      case 1:
        a.set_role(v1::ACTOR_ROLE_CENTRE);
        a.set_code(d.supervisor().code().empty()
                       ? TownshipCommandRoom(engine_, r.case_())
                       : d.supervisor().code());
        break;
      case 2:
        a.set_role(v1::ACTOR_ROLE_CENTRE);
        a.set_code(TownshipCommandRoom(engine_, r.case_()));
        break;
      case 3:
        a.set_role(v1::ACTOR_ROLE_CITIZEN);
        a.set_code("c");
        break;
      case 4:
        a.set_role(v1::ACTOR_ROLE_UNIT);
        a.set_code(r.whistle_calls_size() > 0
                       ? r.whistle_calls(Pick(r.whistle_calls_size()))
                             .department()
                             .code()
                       : "LH-CG");
        break;
      case 5:
        a.set_role(static_cast<v1::ActorRole>(Pick(6)));
        a.set_code(Unit());
        break;
      case 6:
        a.set_role(v1::ACTOR_ROLE_CENTRE);
        a.set_code(d.arbitrator().code());
        break;
      default:
        a.set_role(v1::ACTOR_ROLE_CENTRE);
        a.set_code("LH-SZZX");
        break;
    }
    return a;
  }

  std::string Unit() {
    const Organization& o = engine_.organization();
    return std::string(
        o.code(static_cast<UnitId>(Pick(static_cast<int>(o.size())))));
  }

  v1::Duration Dur() {
    v1::Duration d;
    d.set_unit(static_cast<v1::TimeUnit>(Pick(5)));
    d.set_amount(Pick(14) - 1);
    return d;
  }

  // The next step of the happy path for the record's state, with the
  // right actor.
  Action Next(const CaseRecord& r) {
    Action a;
    const v1::Actor lead = LeadActor(r);
    v1::Actor centre;
    centre.set_role(v1::ACTOR_ROLE_CENTRE);
    centre.set_code(r.decision().supervisor().code().empty()
                        ? TownshipCommandRoom(engine_, r.case_())
                        : r.decision().supervisor().code());
    switch (r.state()) {
      case v1::CASE_STATE_RECEIVED:
        *a.mutable_actor() = centre;
        a.mutable_register_();
        break;
      case v1::CASE_STATE_REGISTERED:
        *a.mutable_actor() = centre;
        a.mutable_dispatch();
        break;
      case v1::CASE_STATE_DISPATCHED:
        *a.mutable_actor() = lead;
        a.mutable_sign_for();
        break;
      case v1::CASE_STATE_SIGNED:
        *a.mutable_actor() = lead;
        a.mutable_handle();
        break;
      case v1::CASE_STATE_HANDLED:
        *a.mutable_actor() = lead;
        a.mutable_feed_back();
        break;
      case v1::CASE_STATE_FED_BACK:
        *a.mutable_actor() = centre;
        a.mutable_verify()->set_passed(Chance(70));
        break;
      case v1::CASE_STATE_VERIFIED:
        *a.mutable_actor() = centre;
        a.mutable_close();
        break;
      case v1::CASE_STATE_CLOSED:
        a.mutable_actor()->set_role(v1::ACTOR_ROLE_CITIZEN);
        a.mutable_evaluate()->set_satisfaction(
            static_cast<v1::Satisfaction>(1 + Pick(4)));
        break;
      case v1::CASE_STATE_RETURNED:
        *a.mutable_actor() = centre;
        a.mutable_reassign()->set_unit_code(Chance(50) ? "" : Unit());
        a.mutable_reassign()->set_arbitration(Chance(30));
        break;
      case v1::CASE_STATE_PARKED:
        *a.mutable_actor() = centre;
        a.mutable_unpark();
        break;
      default:
        a.mutable_actor()->set_role(v1::ACTOR_ROLE_CITIZEN);
        a.mutable_reopen();
        break;
    }
    return a;
  }

  Action Random(const CaseRecord& r, const CaseRecord& other) {
    Action a;
    *a.mutable_actor() = Someone(r);
    switch (Pick(24)) {
      case 0: *a.mutable_receive()->mutable_case_() = r.case_(); break;
      case 1: a.mutable_register_(); break;
      case 2: a.mutable_cancel(); break;
      case 3: a.mutable_dispatch(); break;
      case 4: a.mutable_sign_for(); break;
      case 5: a.mutable_handle(); break;
      case 6: a.mutable_feed_back(); break;
      case 7: a.mutable_verify()->set_passed(Chance(50)); break;
      case 8: a.mutable_close(); break;
      case 9:
        a.mutable_evaluate()->set_satisfaction(
            static_cast<v1::Satisfaction>(Pick(5)));
        break;
      case 10: {
        static const char* kCodes[] = {"NOT_OUR_DUTY", "WRONG_LOCATION",
                                       "DUPLICATE", "BOGUS", ""};
        a.mutable_return_case()->set_reason_code(kCodes[Pick(5)]);
        if (Chance(85)) a.mutable_return_case()->set_basis("basis");
        break;
      }
      case 11:
        a.mutable_reassign()->set_unit_code(
            Chance(40) ? "" : (Chance(30) && r.returned_by_size() > 0
                                   ? r.returned_by(0)
                                   : Unit()));
        a.mutable_reassign()->set_arbitration(Chance(30));
        break;
      case 12:
        a.mutable_add_co_handler()->set_unit_code(Unit());
        if (Chance(50)) *a.mutable_add_co_handler()->mutable_limit() = Dur();
        break;
      case 13: a.mutable_urge(); break;
      case 14: *a.mutable_request_extension()->mutable_extension() = Dur(); break;
      case 15: a.mutable_decide_extension()->set_approved(Chance(60)); break;
      case 16: a.mutable_park(); break;
      case 17: a.mutable_unpark(); break;
      case 18: a.mutable_reopen(); break;
      case 19: *a.mutable_merge()->mutable_duplicate() = other; break;
      case 20: a.mutable_withdraw(); break;
      case 21:
        for (const v1::WhistleSummons& s : r.decision().whistle()) {
          if (Chance(70)) a.mutable_whistle()->add_department_codes(s.department().code());
        }
        if (Chance(10)) a.mutable_whistle()->add_department_codes(Unit());
        break;
      case 22: a.mutable_report_in(); break;
      default: {
        auto* rate = a.mutable_rate_department();
        rate->set_department_code(Chance(70) ? r.decision().lead().code() : Unit());
        rate->set_score(Pick(110) - 5);
        break;
      }
    }
    return a;
  }

  int64_t Step() {
    switch (Pick(10)) {
      case 0: return -3600;  // sometimes backwards: refused
      case 1: return 0;
      case 2: return 86400 * (1 + Pick(10));
      default: return 60 * Pick(600);
    }
  }

 private:
  const Engine& engine_;
  std::mt19937_64 rng_;
};

TEST(LifecyclePropertyTest, RandomSequencesKeepEveryInvariant) {
  auto compiled = Engine::Compile(SampleDataset());
  ASSERT_TRUE(compiled.ok()) << compiled.status();
  const Engine& engine = **compiled;
  const Lifecycle loop(engine);
  std::vector<v1::Case> cases = SampleCases(engine);
  // The two malformed sample cases are never received; keep them anyway:
  // their receive must be refused.
  const int64_t sequences = Sequences();
  Generator gen(engine, 20260505);
  CaseRecord other;
  int64_t applied = 0, refused = 0, closed_seen = 0, terminal_seen = 0;
  std::string before;
  for (int64_t seq = 0; seq < sequences; ++seq) {
    const v1::Case& c = cases[static_cast<size_t>(gen.Pick(static_cast<int>(cases.size())))];
    CaseRecord r;
    Action receive;
    receive.mutable_actor()->set_role(v1::ACTOR_ROLE_CITIZEN);
    *receive.mutable_receive()->mutable_case_() = c;
    int64_t now = c.reported_at();
    if (!loop.ApplyInPlace(&r, receive, now).ok()) {
      ++refused;
      ASSERT_EQ(r.ByteSizeLong(), 0u) << "a refused receive left a record";
      continue;
    }
    const int steps = 1 + gen.Pick(16);
    for (int i = 0; i < steps; ++i) {
      now += gen.Step();
      const Action a = gen.Chance(60) ? gen.Next(r) : gen.Random(r, other);
      const v1::CaseState from = r.state();
      const bool check_copy = IsClosedState(from) || (seq % 8) == 0;
      if (check_copy) r.SerializeToString(&before);
      CaseRecord closed_before;
      if (IsClosedState(from)) closed_before = r;
      const absl::Status s = loop.ApplyInPlace(&r, a, now);
      if (!s.ok()) {
        ++refused;
        ASSERT_TRUE(s.code() == absl::StatusCode::kFailedPrecondition ||
                    s.code() == absl::StatusCode::kInvalidArgument ||
                    s.code() == absl::StatusCode::kOutOfRange)
            << s;
        ASSERT_FALSE(s.message().empty());
        if (check_copy) {
          ASSERT_EQ(r.SerializeAsString(), before)
              << "refused " << ActionName(a.kind_case()) << " changed the record";
        }
        continue;
      }
      ++applied;
      ASSERT_FALSE(IsTerminalState(from))
          << ActionName(a.kind_case()) << " applied to a terminal case";
      if (IsClosedState(from)) {
        ++closed_seen;
        const Action::KindCase k = a.kind_case();
        ASSERT_TRUE(k == Action::kEvaluate || k == Action::kReopen ||
                    k == Action::kRateDepartment)
            << ActionName(k) << " changed a closed case";
        if (k != Action::kReopen) {
          ASSERT_EQ(r.case_().SerializeAsString(),
                    closed_before.case_().SerializeAsString());
          ASSERT_EQ(r.decision().SerializeAsString(),
                    closed_before.decision().SerializeAsString());
          ASSERT_EQ(r.clocks_size(), closed_before.clocks_size());
        }
      }
      if (IsTerminalState(r.state())) ++terminal_seen;
      const std::string broken = CheckInvariants(r);
      ASSERT_EQ(broken, "") << "after " << ActionName(a.kind_case()) << " at "
                            << now << ":\n"
                            << r.DebugString();
      for (const CaseRecord& m : r.merged()) {
        ASSERT_EQ(m.state(), v1::CASE_STATE_MERGED);
        ASSERT_EQ(m.merged_into(), r.case_().id());
      }
    }
    if (r.merged_size() == 0) other = std::move(r);
  }
  // The generator reaches deep into the loop.
  EXPECT_GT(applied, sequences * 3);
  EXPECT_GT(refused, sequences / 2);
  EXPECT_GT(closed_seen, sequences / 100);
  EXPECT_GT(terminal_seen, sequences / 100);
  std::cout << sequences << " sequences: " << applied << " actions applied, "
            << refused << " refused, " << closed_seen
            << " on closed cases, " << terminal_seen << " reached a terminal state\n";
}

}  // namespace
}  // namespace jiceng
