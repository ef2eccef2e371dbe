// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0

#include "src/sample/sample_lifecycle.h"

#include <algorithm>
#include <string>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "src/lifecycle/lifecycle.h"
#include "src/sample/sample_cases.h"

namespace jiceng {
namespace {

constexpr int64_t kMinute = 60;
constexpr int64_t kHour = 3600;
constexpr int64_t kDay = 86400;

enum Plan {
  kSatisfied,
  kBasicallySatisfied,
  kDissatisfied,
  kNotReached,
  kReturned,
  kExtended,
  kParkedAndResumed,
  kOverdue,
  kReworked,
  kWhistled,
  kCancelled,
  kWithdrawn,
  kDuplicate,  // merged into the next case
  kMaster,
  kReopened,
  kUrgedLate,
  kReturnedTwice,
  kStillParked,
  kCoHandled,
  kSignedOpen,
  kPlanCount
};

class Script {
 public:
  Script(const Engine& engine, SampleLifecycleResult* out)
      : engine_(engine), loop_(engine), out_(out) {}

  void Run(const std::vector<v1::Case>& cases);

 private:
  // Applies one step; false (and the case's script ends) when refused.
  bool Do(v1::CaseRecord* r, v1::Action a, int64_t t) {
    const absl::Status s = loop_.ApplyInPlace(r, a, t);
    if (!s.ok()) {
      ++out_->actions_refused;
      const google::protobuf::FieldDescriptor* kind =
          a.GetDescriptor()->FindFieldByNumber(a.kind_case());
      out_->refusals.push_back(
          {a.has_receive() ? a.receive().case_().id() : r->case_().id(),
           kind != nullptr ? kind->name() : "unspecified", t, s});
      return false;
    }
    ++out_->actions_applied;
    out_->end_time = std::max(out_->end_time, t);
    return true;
  }
  v1::Actor Centre(const v1::CaseRecord& r) const {
    v1::Actor a;
    a.set_role(v1::ACTOR_ROLE_CENTRE);
    const v1::RoutingDecision& d = r.decision();
    if (r.dispatched_at() == 0) {
      a.set_code(TownshipCommandRoom(engine_, r.case_()));
    } else {
      a.set_code(d.supervisor().code().empty() ? d.arbitrator().code()
                                               : d.supervisor().code());
    }
    return a;
  }
  v1::Actor Room(const v1::CaseRecord& r) const {
    v1::Actor a;
    a.set_role(v1::ACTOR_ROLE_CENTRE);
    a.set_code(TownshipCommandRoom(engine_, r.case_()));
    return a;
  }
  static v1::Actor Lead(const v1::CaseRecord& r) { return LeadActor(r); }
  static v1::Actor Citizen(const v1::CaseRecord& r) {
    v1::Actor a;
    a.set_role(v1::ACTOR_ROLE_CITIZEN);
    a.set_code(absl::StrCat("citizen-", r.case_().id()));
    return a;
  }
  // A township unit a centre names when routing has nobody left: the
  // township government, else its enforcement team, else the command room
  // itself; never the lead or one that returned the case (nor, with
  // `co_handling`, a co-handler); "" when none is left.
  std::string TownshipUnit(const v1::CaseRecord& r, bool co_handling) const {
    const Organization& o = engine_.organization();
    const UnitId room = o.Find(TownshipCommandRoom(engine_, r.case_()));
    if (room == kNoUnit) return std::string();
    const RegionId township = o.region(room);
    for (UnitId u :
         {o.Government(township), o.EnforcementTeam(township), room}) {
      if (u == kNoUnit) continue;
      const absl::string_view code = o.code(u);
      bool taken = co_handling && code == r.decision().lead().code();
      for (const v1::Handler& h : r.decision().co_handlers()) {
        taken |= co_handling && h.code() == code;
      }
      for (const std::string& x : r.returned_by()) taken |= x == code;
      if (!taken) return std::string(code);
    }
    return std::string();
  }
  static v1::Action By(v1::Actor actor) {
    v1::Action a;
    *a.mutable_actor() = std::move(actor);
    return a;
  }

  // Who reports a case of `c`'s source: the grid worker of its location on
  // patrol, the township command room taking an assignment or a transfer
  // (or a sensor's alarm) in, the citizen otherwise (a call, an app).
  v1::Actor Reporter(const v1::Case& c) const {
    v1::Actor a;
    switch (c.source()) {
      case v1::CASE_SOURCE_GRID_PATROL:
        a.set_role(v1::ACTOR_ROLE_GRID_WORKER);
        a.set_code(std::to_string(c.location_code()));
        break;
      case v1::CASE_SOURCE_VIDEO_SENSOR:
      case v1::CASE_SOURCE_SUPERIOR_ASSIGNMENT:
      case v1::CASE_SOURCE_DEPARTMENT_TRANSFER:
        a.set_role(v1::ACTOR_ROLE_CENTRE);
        a.set_code(TownshipCommandRoom(engine_, c));
        break;
      default:
        a.set_role(v1::ACTOR_ROLE_CITIZEN);
        a.set_code(absl::StrCat("citizen-", c.id()));
        break;
    }
    return a;
  }

  // receive → register → dispatch; when the reporter's own grid would
  // lead (报办分离 keeps it from handling what it reported), the centre
  // holding the case names the township's unit.
  bool Open(v1::CaseRecord* r, const v1::Case& c, int64_t* t) {
    v1::Action receive = By(Reporter(c));
    *receive.mutable_receive()->mutable_case_() = c;
    if (!Do(r, receive, *t)) return false;
    *t += 10 * kMinute;
    v1::Action reg = By(Centre(*r));
    reg.mutable_register_();
    if (!Do(r, reg, *t)) return false;
    *t += 10 * kMinute;
    v1::Action dispatch = By(Centre(*r));
    dispatch.mutable_dispatch();
    if (!Do(r, dispatch, *t)) return false;
    const v1::HandOff& dispatched = r->history(r->history_size() - 1);
    if (!absl::StartsWith(dispatched.reason(), "报办分离")) return true;
    *t += 10 * kMinute;
    v1::Action name = By(Centre(*r));
    name.mutable_reassign()->set_unit_code(TownshipUnit(*r, true));
    name.mutable_reassign()->set_reason("报办分离：网格员上报，镇街承办");
    return Do(r, name, *t);
  }
  bool Sign(v1::CaseRecord* r, int64_t t) {
    v1::Action a = By(Lead(*r));
    a.mutable_sign_for();
    return Do(r, a, t);
  }
  // handle → feed back → verify → close.
  bool Finish(v1::CaseRecord* r, int64_t* t, bool fail_first_check) {
    v1::Action handle = By(Lead(*r));
    handle.mutable_handle()->set_note("已处置");
    if (!Do(r, handle, *t)) return false;
    *t += kHour;
    v1::Action feed = By(Lead(*r));
    feed.mutable_feed_back()->set_note("已反馈");
    if (!Do(r, feed, *t)) return false;
    *t += kHour;
    v1::Action verify = By(Centre(*r));
    verify.mutable_verify()->set_passed(!fail_first_check);
    if (fail_first_check) {
      verify.mutable_verify()->set_reason("现场核查未整改到位");
      if (!Do(r, verify, *t)) return false;
      *t += 4 * kHour;
      return Finish(r, t, false);
    }
    if (!Do(r, verify, *t)) return false;
    *t += 30 * kMinute;
    v1::Action close = By(Centre(*r));
    close.mutable_close();
    return Do(r, close, *t);
  }
  bool Evaluate(v1::CaseRecord* r, int64_t t, v1::Satisfaction s) {
    v1::Action a = By(Citizen(*r));
    a.mutable_evaluate()->set_satisfaction(s);
    return Do(r, a, t);
  }
  // 反向考评: the township command room rates the first co-handler that is
  // a county department or a unit one dispatched (not the township's own
  // units, nor the room itself cooperating on a county-tier case).
  void RateCoHandler(v1::CaseRecord* r, int64_t t) {
    const Organization& o = engine_.organization();
    for (const v1::Handler& h : r->decision().co_handlers()) {
      if (h.kind() != v1::HANDLER_KIND_UNIT) continue;
      const UnitId u = o.Find(h.code());
      if (u == kNoUnit || (o.kind(u) != v1::UNIT_KIND_DEPARTMENT &&
                           o.kind(u) != v1::UNIT_KIND_DISPATCHED)) {
        continue;
      }
      v1::Action a = By(Room(*r));
      a.mutable_rate_department()->set_department_code(h.code());
      // Scores vary with the case so that the assessment has a spread.
      a.mutable_rate_department()->set_score(
          60 + static_cast<int32_t>(r->history_size() * 7 % 41));
      Do(r, a, t);
      return;
    }
  }
  bool ReturnCase(v1::CaseRecord* r, int64_t t) {
    v1::Action a = By(Lead(*r));
    a.mutable_return_case()->set_reason_code("NOT_OUR_DUTY");
    a.mutable_return_case()->set_basis("不属于本单位权责清单事项");
    return Do(r, a, t);
  }
  // Re-routes; when routing finds only units that returned it, the centre
  // names the township government.
  bool Redispatch(v1::CaseRecord* r, int64_t t, bool arbitration) {
    v1::Action a = By(Centre(*r));
    a.mutable_reassign()->set_reason("重新派遣");
    if (arbitration) {
      a.mutable_reassign()->set_arbitration(true);
      a.mutable_reassign()->set_unit_code(r->returned_by(0));
      a.mutable_reassign()->set_reason("中心裁定：原单位承办");
      return Do(r, a, t);
    }
    // Routing again finds nobody new when the routed lead is the one that
    // returned it and no rule tied: the centre names a township unit.
    const v1::Case& c = r->case_();
    v1::Case today = c;
    today.set_reported_at(t);
    absl::StatusOr<v1::RoutingDecision> d = loop_.router().Decide(today);
    auto returned = [r](const std::string& code) {
      return std::find(r->returned_by().begin(), r->returned_by().end(),
                       code) != r->returned_by().end();
    };
    bool routable = false;
    if (d.ok()) {
      routable = !returned(d->lead().code());
      for (const v1::Handler& h : d->candidates()) routable |= !returned(h.code());
    }
    if (!routable) {
      const std::string unit = TownshipUnit(*r, false);
      if (unit.empty()) return false;
      a.mutable_reassign()->set_unit_code(unit);
    }
    return Do(r, a, t);
  }

  void Live(const v1::Case& c, Plan plan, v1::CaseRecord* r,
            v1::CaseRecord* pending_duplicate);

  const Engine& engine_;
  Lifecycle loop_;
  SampleLifecycleResult* out_;
  int whistled_ = 0;
};

void Script::Live(const v1::Case& c, Plan plan, v1::CaseRecord* r,
                  v1::CaseRecord* pending_duplicate) {
  int64_t t = c.reported_at() + 5 * kMinute;
  if (plan == kCancelled) {
    v1::Action receive = By(Citizen(*r));
    *receive.mutable_receive()->mutable_case_() = c;
    if (!Do(r, receive, t)) return;
    v1::Action cancel = By(Centre(*r));
    cancel.mutable_cancel()->set_reason("非有效案件：重复反映已办结事项");
    Do(r, cancel, t + 15 * kMinute);
    return;
  }
  if (!Open(r, c, &t)) return;
  if (plan == kDuplicate) return;  // folded into the next case
  if (plan == kMaster && pending_duplicate->state() != v1::CASE_STATE_UNSPECIFIED) {
    v1::Action merge = By(Centre(*r));
    *merge.mutable_merge()->mutable_duplicate() = *pending_duplicate;
    if (Do(r, merge, t + 5 * kMinute)) {
      *pending_duplicate = r->merged(r->merged_size() - 1);
    }
    t += 5 * kMinute;
  }
  t += kHour;
  if (plan == kWithdrawn) {
    v1::Action w = By(r->history(0).actor());
    w.mutable_withdraw()->set_reason("问题已自行解决");
    Do(r, w, t);
    return;
  }
  if (plan == kReturned || plan == kReturnedTwice) {
    if (!ReturnCase(r, t)) return;
    t += kHour;
    if (!Redispatch(r, t, false)) return;
    t += kHour;
    if (plan == kReturnedTwice) {
      if (!ReturnCase(r, t)) return;
      t += kHour;
      if (!Redispatch(r, t, true)) return;
      t += kHour;
    }
  }
  if (!Sign(r, t)) return;
  t += kHour;
  switch (plan) {
    case kOverdue:
    case kSignedOpen:
      return;  // still open at the end of the script
    case kParkedAndResumed:
    case kStillParked: {
      v1::Action park = By(Centre(*r));
      park.mutable_park()->set_reason("涉及规划调整，暂不具备处置条件");
      if (!Do(r, park, t)) return;
      if (plan == kStillParked) return;
      t += 3 * kDay;
      v1::Action unpark = By(Centre(*r));
      unpark.mutable_unpark();
      if (!Do(r, unpark, t)) return;
      t += kHour;
      break;
    }
    case kExtended: {
      v1::Action ask = By(Lead(*r));
      ask.mutable_request_extension()->mutable_extension()->set_unit(
          v1::TIME_UNIT_WORKING_DAYS);
      ask.mutable_request_extension()->mutable_extension()->set_amount(3);
      ask.mutable_request_extension()->set_reason("需协调产权单位");
      if (!Do(r, ask, t)) return;
      t += kHour;
      v1::Action decide = By(Centre(*r));
      decide.mutable_decide_extension()->set_approved(true);
      if (!Do(r, decide, t)) return;
      t += kDay;
      break;
    }
    case kWhistled: {
      if (r->decision().whistle_size() > 0) {
        v1::Action w = By(Room(*r));
        for (const v1::WhistleSummons& s : r->decision().whistle()) {
          w.mutable_whistle()->add_department_codes(s.department().code());
        }
        if (!Do(r, w, t)) return;
        // The summoned report in; on every other whistled case the last
        // one never does, and the case stays open for supervision to find.
        const bool late = whistled_++ % 2 == 1;
        const int calls = r->whistle_calls_size() - (late ? 1 : 0);
        for (int k = 0; k < calls; ++k) {
          v1::Action in = By(v1::Actor());
          in.mutable_actor()->set_role(v1::ACTOR_ROLE_UNIT);
          in.mutable_actor()->set_code(r->whistle_calls(k).department().code());
          in.mutable_report_in();
          Do(r, in, t + kHour);
        }
        if (late) return;
      }
      t += kHour;
      break;
    }
    case kUrgedLate: {
      const int64_t due = r->clocks(r->clocks_size() - 1).due_at();
      t = std::max(t, due + kHour);
      v1::Action urge = By(Centre(*r));
      urge.mutable_urge()->set_note("已超期，请立即处置");
      if (!Do(r, urge, t)) return;
      t += 2 * kHour;
      break;
    }
    case kCoHandled: {
      const std::string unit = TownshipUnit(*r, true);
      if (!unit.empty()) {
        v1::Action add = By(Centre(*r));
        add.mutable_add_co_handler()->set_unit_code(unit);
        Do(r, add, t);
      }
      t += kHour;
      break;
    }
    default:
      break;
  }
  if (!Finish(r, &t, plan == kReworked)) return;
  t += kDay;
  RateCoHandler(r, t);
  switch (plan) {
    case kBasicallySatisfied:
      Evaluate(r, t, v1::SATISFACTION_BASICALLY_SATISFIED);
      return;
    case kDissatisfied:
      Evaluate(r, t, v1::SATISFACTION_DISSATISFIED);
      return;
    case kNotReached:
      Evaluate(r, t, v1::SATISFACTION_NOT_REACHED);
      return;
    case kReopened: {
      if (!Evaluate(r, t, v1::SATISFACTION_DISSATISFIED)) return;
      t += kHour;
      v1::Action reopen = By(Citizen(*r));
      reopen.mutable_reopen()->set_reason("问题反弹，要求重办");
      if (!Do(r, reopen, t)) return;
      t += kDay;
      if (!Finish(r, &t, false)) return;
      t += kDay;
      Evaluate(r, t, v1::SATISFACTION_SATISFIED);
      return;
    }
    default:
      Evaluate(r, t, v1::SATISFACTION_SATISFIED);
      return;
  }
}

void Script::Run(const std::vector<v1::Case>& cases) {
  v1::CaseRecord pending_duplicate;
  for (size_t i = 0; i < cases.size(); ++i) {
    const Plan plan = static_cast<Plan>(i % kPlanCount);
    v1::CaseRecord r;
    Live(cases[i], plan, &r, &pending_duplicate);
    if (plan == kDuplicate) {
      pending_duplicate = std::move(r);
      continue;
    }
    if (plan == kMaster) {
      // The duplicate, MERGED when the master took it in.
      if (pending_duplicate.state() != v1::CASE_STATE_UNSPECIFIED) {
        out_->records.push_back(std::move(pending_duplicate));
      }
      pending_duplicate.Clear();
    }
    if (r.state() != v1::CASE_STATE_UNSPECIFIED) {
      out_->records.push_back(std::move(r));
    }
  }
  if (pending_duplicate.state() != v1::CASE_STATE_UNSPECIFIED) {
    out_->records.push_back(std::move(pending_duplicate));
  }
}

}  // namespace

SampleLifecycleResult RunSampleLifecycles(const Engine& engine) {
  SampleLifecycleResult result;
  Script(engine, &result).Run(SampleCases(engine));
  return result;
}

}  // namespace jiceng
