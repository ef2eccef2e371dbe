// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0
//
// Every action is checked in full (actor, state, arguments, and every
// deadline it will compute) before the record is touched, so that a
// refusal leaves the record as it was without copying it first.

#include "src/lifecycle/lifecycle.h"

#include <algorithm>
#include <string>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "src/base/status_macros.h"
#include "src/base/utf8.h"
#include "src/dataset/enum_check.h"
#include "src/hierarchy/region_code.h"

namespace jiceng {
namespace {

using v1::Action;
using v1::CaseRecord;
using v1::CaseState;

// A handler named by an action (reassigned, added): the unit itself.
void SetNamedUnit(const std::string& code, v1::Handler* h) {
  h->set_kind(v1::HANDLER_KIND_UNIT);
  h->set_code(code);
  v1::Role* role = h->mutable_role();
  role->set_kind(v1::ROLE_KIND_NAMED_UNIT);
  role->set_unit_code(code);
}

absl::Status Refuse(const Action& a, absl::string_view rule,
                    absl::string_view text) {
  return absl::FailedPreconditionError(
      absl::StrCat(ActionName(a.kind_case()), ": ", rule, ": ", text));
}

absl::Status Invalid(const Action& a, absl::string_view rule,
                     absl::string_view text) {
  return absl::InvalidArgumentError(
      absl::StrCat(ActionName(a.kind_case()), ": ", rule, ": ", text));
}

// Prefixes a routing or calendar error with the action.
absl::Status Prefixed(const Action& a, const absl::Status& s) {
  return WithContext(ActionName(a.kind_case()), s);
}

std::string StateName(CaseState s) { return v1::CaseState_Name(s); }

std::string ActorText(const v1::Actor& actor) {
  return absl::StrCat(v1::ActorRole_Name(actor.role()), " ",
                      actor.code().empty() ? "\"\"" : actor.code());
}

absl::Status WrongState(const Action& a, CaseState s, absl::string_view want) {
  return Refuse(a, "state.wrong",
                absl::StrCat("the case is ", StateName(s), "; it applies to ",
                             want));
}

bool Open(CaseState s) {
  return s != v1::CASE_STATE_UNSPECIFIED && !IsClosedState(s) &&
         !IsTerminalState(s);
}

bool ValidDuration(const v1::Duration& d) {
  return d.unit() != v1::TIME_UNIT_UNSPECIFIED &&
         v1::TimeUnit_IsValid(d.unit()) && d.amount() > 0 &&
         d.amount() <= 10 * 366 * 24;
}

const v1::Duration* StageLimit(const v1::RoutingDecision& d, v1::Stage stage) {
  for (const v1::Deadline& dl : d.deadlines()) {
    if (dl.stage() == stage) return &dl.limit();
  }
  return nullptr;
}

v1::StageClock* Running(CaseRecord* r, v1::Stage stage) {
  for (int i = r->clocks_size() - 1; i >= 0; --i) {
    v1::StageClock* c = r->mutable_clocks(i);
    if (c->stage() == stage && c->done_at() == 0) return c;
  }
  return nullptr;
}

const v1::StageClock* Running(const CaseRecord& r, v1::Stage stage) {
  return Running(const_cast<CaseRecord*>(&r), stage);
}

void StartClock(CaseRecord* r, v1::Stage stage, int64_t now, int64_t due,
                const v1::Duration& limit) {
  v1::StageClock* c = r->add_clocks();
  c->set_stage(stage);
  c->set_started_at(now);
  c->set_due_at(due);
  *c->mutable_limit() = limit;
}

// Stops every running clock at `now` without its stage being done (the
// case was withdrawn, merged, returned, reassigned or reopened): each is
// marked interrupted, so that assessment does not count it as done.
void InterruptRunning(CaseRecord* r, int64_t now) {
  for (v1::StageClock& c : *r->mutable_clocks()) {
    if (c.done_at() == 0) {
      c.set_done_at(now);
      c.set_interrupted(true);
    }
  }
}

void StopStage(CaseRecord* r, v1::Stage stage, int64_t now) {
  if (v1::StageClock* c = Running(r, stage)) c->set_done_at(now);
}

// Whether `text` holds nothing but spaces (ASCII white space, or the
// ideographic space U+3000 Chinese input methods type).
bool Blank(absl::string_view text) {
  text = absl::StripAsciiWhitespace(text);
  while (!text.empty()) {
    if (absl::ConsumePrefix(&text, "\u3000")) {
      text = absl::StripLeadingAsciiWhitespace(text);
      continue;
    }
    return false;
  }
  return true;
}

std::string DurationText(const v1::Duration& d) {
  return absl::StrCat("{amount ", d.amount(), ", unit ",
                      v1::TimeUnit_IsValid(d.unit())
                          ? v1::TimeUnit_Name(d.unit())
                          : absl::StrCat(static_cast<int>(d.unit())),
                      "}");
}

bool Contains(const google::protobuf::RepeatedPtrField<std::string>& list,
              absl::string_view code) {
  for (const std::string& s : list) {
    if (s == code) return true;
  }
  return false;
}

// A due time computed before the record changes, with its limit.
struct Due {
  int64_t at = 0;
  v1::Duration limit;
};

class Applier {
 public:
  Applier(const Engine& engine, const Router* router, CaseRecord* r,
          const Action& a, int64_t now)
      : e_(engine),
        p_(engine.lifecycle_policy()),
        cal_(engine.calendar()),
        router_(router),
        r_(r),
        a_(a),
        actor_(a.actor()),
        now_(now) {}

  absl::Status Run();

 private:
  // ---- who acts
  bool IsLead() const {
    const v1::Handler& lead = r_->decision().lead();
    if (lead.code().empty() || actor_.code() != lead.code()) return false;
    return lead.kind() == v1::HANDLER_KIND_GRID
               ? actor_.role() == v1::ACTOR_ROLE_GRID_WORKER
               : actor_.role() == v1::ACTOR_ROLE_UNIT;
  }
  // The command room of the case's township, or kNoUnit.
  UnitId TownshipRoom() const {
    const RegionId loc = Location();
    if (loc == kNoRegion) return kNoUnit;
    const RegionId t = e_.hierarchy().township_of(loc);
    if (t == kNoRegion) return kNoUnit;
    return e_.organization().CommandCentre(
        t, v1::CENTRE_TYPE_TOWNSHIP_COMMAND_ROOM);
  }
  UnitId CountyCentre() const {
    const RegionId loc = Location();
    if (loc == kNoRegion) return kNoUnit;
    const RegionId c = e_.hierarchy().county_of(loc);
    if (c == kNoRegion) return kNoUnit;
    return e_.organization().CommandCentre(
        c, v1::CENTRE_TYPE_COUNTY_SOCIAL_GOVERNANCE);
  }
  RegionId Location() const {
    absl::optional<uint64_t> key =
        RegionKeyFromNumber(r_->case_().location_code());
    return key ? e_.hierarchy().FindKey(*key) : kNoRegion;
  }
  bool IsUnit(UnitId u) const {
    return u != kNoUnit && e_.organization().code(u) == actor_.code();
  }
  bool IsTownshipRoom() const {
    return actor_.role() == v1::ACTOR_ROLE_CENTRE && IsUnit(TownshipRoom());
  }
  bool IsCentre() const {
    if (actor_.role() != v1::ACTOR_ROLE_CENTRE || actor_.code().empty()) {
      return false;
    }
    const v1::RoutingDecision& d = r_->decision();
    if (actor_.code() == d.supervisor().code() ||
        actor_.code() == d.arbitrator().code()) {
      return true;
    }
    return IsUnit(TownshipRoom()) || IsUnit(CountyCentre());
  }
  bool IsCitizen() const { return actor_.role() == v1::ACTOR_ROLE_CITIZEN; }

  // Who reported the case: the actor of its receive (the record's first
  // hand-off); null for a record without one.
  const v1::Actor* Reporter() const {
    if (r_->history_size() == 0 || r_->history(0).action() != "receive") {
      return nullptr;
    }
    return &r_->history(0).actor();
  }
  // The reporter when it names someone who can act on the case again: a
  // citizen, grid worker or unit with a code (a centre or the system takes
  // a report on someone else's behalf).
  const v1::Actor* PersonalReporter() const {
    const v1::Actor* r = Reporter();
    if (r == nullptr || r->code().empty()) return nullptr;
    switch (r->role()) {
      case v1::ACTOR_ROLE_CITIZEN:
      case v1::ACTOR_ROLE_GRID_WORKER:
      case v1::ACTOR_ROLE_UNIT:
        return r;
      default:
        return nullptr;
    }
  }
  // 报办分离: whether `h` is the grid worker or unit that reported the case,
  // which does not handle it.
  bool ReportedBy(const v1::Handler& h) const {
    const v1::Actor* r = PersonalReporter();
    if (r == nullptr || h.code() != r->code()) return false;
    return h.kind() == v1::HANDLER_KIND_GRID
               ? r->role() == v1::ACTOR_ROLE_GRID_WORKER
               : r->role() == v1::ACTOR_ROLE_UNIT;
  }
  // Whether the lead handled the case since it got it (before a rework or
  // a reopen): the history back to the dispatch or reassignment that made
  // it the lead.
  const v1::HandOff* HandledByLead() const {
    for (int i = r_->history_size() - 1; i >= 0; --i) {
      const v1::HandOff& h = r_->history(i);
      if (h.action() == "handle") return &h;
      if (h.action() == "dispatch" || h.action() == "reassign") break;
    }
    return nullptr;
  }

  // Who decides an extension request: the supervisor, else (as a return
  // goes back to) the arbitrator; "" when the decision names neither.
  const std::string& ExtensionDecider() const {
    const v1::RoutingDecision& d = r_->decision();
    return d.supervisor().code().empty() ? d.arbitrator().code()
                                         : d.supervisor().code();
  }

  absl::Status WrongActor(absl::string_view who) const {
    return Refuse(a_, "actor.wrong",
                  absl::StrCat(ActorText(actor_), " is not ", who));
  }
  absl::Status NeedLead() const {
    if (IsLead()) return absl::OkStatus();
    return WrongActor(
        absl::StrCat("the lead (", r_->decision().lead().code(), ")"));
  }
  absl::Status NeedCentre() const {
    if (IsCentre()) return absl::OkStatus();
    return WrongActor(
        "a supervising centre of the case (its supervisor, arbitrator, "
        "township command room or county social-governance centre)");
  }
  absl::Status NeedCitizen() const {
    if (IsCitizen()) return absl::OkStatus();
    return WrongActor("the citizen");
  }
  // A citizen: the one who reported the case when a citizen with a
  // reference did; any citizen when the report came through someone else
  // (a hotline's centre, a grid worker).
  bool IsReportingCitizen() const {
    const v1::Actor* r = PersonalReporter();
    if (r != nullptr && r->role() == v1::ACTOR_ROLE_CITIZEN) {
      return IsCitizen() && actor_.code() == r->code();
    }
    return IsCitizen();
  }
  std::string ReportingCitizenText() const {
    const v1::Actor* r = PersonalReporter();
    if (r != nullptr && r->role() == v1::ACTOR_ROLE_CITIZEN) {
      return absl::StrCat("the citizen who reported the case (", r->code(),
                          ")");
    }
    return "the citizen";
  }
  // 撤回 by the reporter: the citizen, grid worker or unit whose report it
  // is; a citizen when a centre or the system took the report.
  absl::Status NeedReporter() const {
    if (const v1::Actor* r = PersonalReporter()) {
      if (actor_.role() == r->role() && actor_.code() == r->code()) {
        return absl::OkStatus();
      }
      return WrongActor(absl::StrCat("the reporter (", ActorText(*r), ")"));
    }
    return NeedCitizen();
  }
  absl::Status NeedState(std::initializer_list<CaseState> states,
                         absl::string_view want) const {
    for (CaseState s : states) {
      if (r_->state() == s) return absl::OkStatus();
    }
    return WrongState(a_, r_->state(), want);
  }

  // ---- deadlines
  absl::StatusOr<Due> DueFrom(int64_t from, v1::Stage stage) const {
    const v1::Duration* limit = StageLimit(r_->decision(), stage);
    if (limit == nullptr) {
      return absl::InternalError(absl::StrCat(
          ActionName(a_.kind_case()), ": the decision has no ",
          v1::Stage_Name(stage), " limit"));
    }
    absl::StatusOr<int64_t> at = AddDuration(cal_, from, *limit);
    if (!at.ok()) return Prefixed(a_, at.status());
    return Due{*at, *limit};
  }
  absl::StatusOr<int64_t> AddPolicy(int64_t from, const v1::Duration& d) const {
    absl::StatusOr<int64_t> at = AddDuration(cal_, from, d);
    if (!at.ok()) return Prefixed(a_, at.status());
    return *at;
  }

  // ---- history
  void Record(CaseState from, const std::string& from_holder,
              absl::string_view reason, bool approved = false) {
    v1::HandOff* h = r_->add_history();
    h->set_at(now_);
    *h->mutable_actor() = actor_;
    h->set_action(ActionName(a_.kind_case()));
    h->set_from_state(from);
    h->set_to_state(r_->state());
    h->set_from_holder(from_holder);
    h->set_to_holder(r_->decision().lead().code());
    if (!reason.empty()) h->set_reason(std::string(reason));
    if (approved) h->set_approved(true);
  }

  void SetLead(v1::Handler lead) {
    v1::RoutingDecision* d = r_->mutable_decision();
    // Exactly one lead: a co-handler that becomes the lead stops helping.
    auto* co = d->mutable_co_handlers();
    for (int i = 0; i < co->size(); ++i) {
      if (co->Get(i).code() == lead.code()) {
        co->DeleteSubrange(i, 1);
        break;
      }
    }
    // Its task as a co-handler ends too: supervision would otherwise
    // report the lead as an overdue co-handler once the task's due time
    // passed.
    auto* tasks = r_->mutable_co_tasks();
    for (int i = tasks->size() - 1; i >= 0; --i) {
      if (tasks->Get(i).handler().code() == lead.code()) {
        tasks->DeleteSubrange(i, 1);
      }
    }
    *d->mutable_lead() = std::move(lead);
    r_->set_lead_since(now_);
  }

  // 延期 is the lead's request about its own deadline: one still pending
  // when the lead changes (return, reassign) or the case closes lapses —
  // decided, not approved, at `now`, with `why` as its decision reason —
  // so that the new lead may ask its own and no approval lands on
  // another lead's clock or on a closed case.
  void LapsePendingExtension(absl::string_view why) {
    if (!r_->has_extension() || r_->extension().decided()) return;
    v1::ExtensionRequest* x = r_->mutable_extension();
    x->set_decided(true);
    x->set_approved(false);
    x->set_decided_at(now_);
    x->set_decision_reason(absl::StrCat("lapsed: ", why));
  }

  absl::Status Receive();
  absl::Status Register(bool cancel);
  absl::Status Dispatch();
  absl::Status SignFor();
  absl::Status Handle();
  absl::Status FeedBack();
  absl::Status Verify();
  absl::Status Close();
  absl::Status Evaluate();
  absl::Status Return();
  absl::Status Reassign();
  absl::Status AddCoHandler();
  absl::Status Urge();
  absl::Status RequestExtension();
  absl::Status DecideExtension();
  absl::Status Park();
  absl::Status Unpark();
  absl::Status Reopen();
  absl::Status Merge();
  absl::Status Withdraw();
  absl::Status Whistle();
  absl::Status ReportIn();
  absl::Status RateDepartment();

  const Engine& e_;
  const v1::LifecyclePolicy& p_;
  const WorkCalendar& cal_;
  const Router* router_;
  CaseRecord* r_;
  const Action& a_;
  const v1::Actor& actor_;
  const int64_t now_;
};

absl::Status Applier::Run() {
  if (a_.kind_case() == Action::KIND_NOT_SET) {
    return absl::InvalidArgumentError("action: no kind set");
  }
  if (actor_.role() == v1::ACTOR_ROLE_UNSPECIFIED ||
      !v1::ActorRole_IsValid(actor_.role())) {
    return Invalid(a_, "actor.role", "the actor needs a role");
  }
  if (r_->history_size() > 0 && now_ < r_->history(r_->history_size() - 1).at()) {
    return Invalid(a_, "time.backwards",
                   absl::StrCat("now ", now_, " is before the last action at ",
                                r_->history(r_->history_size() - 1).at()));
  }
  if (a_.kind_case() != Action::kReceive) {
    if (r_->state() == v1::CASE_STATE_UNSPECIFIED) {
      return WrongState(a_, r_->state(), "a received case (receive first)");
    }
    if (IsTerminalState(r_->state())) {
      return Refuse(a_, "state.terminal",
                    absl::StrCat("the case is ", StateName(r_->state()),
                                 ": no action applies"));
    }
  }
  switch (a_.kind_case()) {
    case Action::kReceive: return Receive();
    case Action::kRegister: return Register(false);
    case Action::kCancel: return Register(true);
    case Action::kDispatch: return Dispatch();
    case Action::kSignFor: return SignFor();
    case Action::kHandle: return Handle();
    case Action::kFeedBack: return FeedBack();
    case Action::kVerify: return Verify();
    case Action::kClose: return Close();
    case Action::kEvaluate: return Evaluate();
    case Action::kReturnCase: return Return();
    case Action::kReassign: return Reassign();
    case Action::kAddCoHandler: return AddCoHandler();
    case Action::kUrge: return Urge();
    case Action::kRequestExtension: return RequestExtension();
    case Action::kDecideExtension: return DecideExtension();
    case Action::kPark: return Park();
    case Action::kUnpark: return Unpark();
    case Action::kReopen: return Reopen();
    case Action::kMerge: return Merge();
    case Action::kWithdraw: return Withdraw();
    case Action::kWhistle: return Whistle();
    case Action::kReportIn: return ReportIn();
    case Action::kRateDepartment: return RateDepartment();
    case Action::KIND_NOT_SET: break;
  }
  return absl::InvalidArgumentError("action: unknown kind");
}

absl::Status Applier::Receive() {
  if (r_->state() != v1::CASE_STATE_UNSPECIFIED || r_->has_case_() ||
      r_->history_size() > 0) {
    return Refuse(a_, "receive.not_empty",
                  "receive creates a record and applies to an empty one only");
  }
  const v1::Case& c = a_.receive().case_();
  if (c.id().empty()) return Invalid(a_, "receive.case_id", "case.id is empty");
  absl::optional<uint64_t> key = RegionKeyFromNumber(c.location_code());
  const RegionId loc = key ? e_.hierarchy().FindKey(*key) : kNoRegion;
  if (loc == kNoRegion || e_.hierarchy().township_of(loc) == kNoRegion) {
    return Invalid(a_, "receive.location",
                   absl::StrCat("case.location_code: no township, village or "
                                "grid has code ",
                                c.location_code()));
  }
  if (e_.catalogue().FindMatter(c.matter_code()) == kNoIndex) {
    return Invalid(a_, "receive.matter",
                   absl::StrCat("case.matter_code: no matter has code \"",
                                c.matter_code(), "\""));
  }
  *r_->mutable_case_() = c;
  r_->set_state(v1::CASE_STATE_RECEIVED);
  r_->set_received_at(now_);
  Record(v1::CASE_STATE_UNSPECIFIED, std::string(), "");
  return absl::OkStatus();
}

absl::Status Applier::Register(bool cancel) {
  JC_RETURN_IF_ERROR(NeedCentre());
  JC_RETURN_IF_ERROR(NeedState({v1::CASE_STATE_RECEIVED}, "RECEIVED"));
  const CaseState from = r_->state();
  if (cancel) {
    r_->set_state(v1::CASE_STATE_CANCELLED);
    Record(from, std::string(), a_.cancel().reason());
  } else {
    r_->set_state(v1::CASE_STATE_REGISTERED);
    r_->set_registered_at(now_);
    Record(from, std::string(), "");
  }
  return absl::OkStatus();
}

absl::Status Applier::Dispatch() {
  JC_RETURN_IF_ERROR(NeedCentre());
  JC_RETURN_IF_ERROR(NeedState({v1::CASE_STATE_REGISTERED}, "REGISTERED"));
  // The rules in force today, and every deadline from now.
  v1::Case c = r_->case_();
  c.set_reported_at(now_);
  RouteResult route;
  absl::Status routed = router_->Route(c, &route);
  if (!routed.ok()) return Prefixed(a_, routed);
  v1::RoutingDecision d;
  router_->ToProto(c, route, v1::RouteOptions(), &d);
  // A role nobody fills leaves no lead, and the grid worker or unit that
  // reported the case does not handle it (报办分离): the supervising centre
  // holds the case until it names a lead (reassign), so that an open case
  // always has exactly one lead.
  std::string held;
  if (d.lead().code().empty() || ReportedBy(d.lead())) {
    if (!d.lead().code().empty()) {
      held = absl::StrCat("报办分离: ", d.lead().code(),
                          " reported the case and does not handle it");
    }
    const v1::Handler& centre =
        d.supervisor().code().empty() ? d.arbitrator() : d.supervisor();
    if (centre.code().empty() || ReportedBy(centre)) {
      return Refuse(a_, "dispatch.no_lead",
                    held.empty()
                        ? "routing found neither a lead nor a supervising "
                          "centre"
                        : absl::StrCat(held,
                                       ", and no supervising centre "
                                       "can hold it"));
    }
    *d.mutable_lead() = centre;
  }
  int64_t sign_due = 0, handle_due = 0;
  for (const v1::Deadline& dl : d.deadlines()) {
    if (dl.stage() == v1::STAGE_SIGN_FOR) sign_due = dl.due_at();
    if (dl.stage() == v1::STAGE_HANDLE) handle_due = dl.due_at();
  }
  const CaseState from = r_->state();
  *r_->mutable_decision() = std::move(d);
  r_->set_state(v1::CASE_STATE_DISPATCHED);
  r_->set_dispatched_at(now_);
  r_->set_lead_since(now_);
  StartClock(r_, v1::STAGE_SIGN_FOR, now_, sign_due,
             *StageLimit(r_->decision(), v1::STAGE_SIGN_FOR));
  StartClock(r_, v1::STAGE_HANDLE, now_, handle_due,
             *StageLimit(r_->decision(), v1::STAGE_HANDLE));
  Record(from, std::string(), held);
  return absl::OkStatus();
}

absl::Status Applier::SignFor() {
  JC_RETURN_IF_ERROR(NeedLead());
  JC_RETURN_IF_ERROR(NeedState({v1::CASE_STATE_DISPATCHED}, "DISPATCHED"));
  StopStage(r_, v1::STAGE_SIGN_FOR, now_);
  r_->set_state(v1::CASE_STATE_SIGNED);
  const std::string& holder = r_->decision().lead().code();
  Record(v1::CASE_STATE_DISPATCHED, holder, "");
  return absl::OkStatus();
}

absl::Status Applier::Handle() {
  JC_RETURN_IF_ERROR(NeedLead());
  JC_RETURN_IF_ERROR(NeedState({v1::CASE_STATE_SIGNED}, "SIGNED"));
  JC_ASSIGN_OR_RETURN(Due feedback, DueFrom(now_, v1::STAGE_FEEDBACK));
  StopStage(r_, v1::STAGE_HANDLE, now_);
  StartClock(r_, v1::STAGE_FEEDBACK, now_, feedback.at, feedback.limit);
  r_->set_state(v1::CASE_STATE_HANDLED);
  Record(v1::CASE_STATE_SIGNED, r_->decision().lead().code(),
         a_.handle().note());
  return absl::OkStatus();
}

absl::Status Applier::FeedBack() {
  JC_RETURN_IF_ERROR(NeedLead());
  JC_RETURN_IF_ERROR(NeedState({v1::CASE_STATE_HANDLED}, "HANDLED"));
  StopStage(r_, v1::STAGE_FEEDBACK, now_);
  r_->set_state(v1::CASE_STATE_FED_BACK);
  Record(v1::CASE_STATE_HANDLED, r_->decision().lead().code(),
         a_.feed_back().note());
  return absl::OkStatus();
}

absl::Status Applier::Verify() {
  JC_RETURN_IF_ERROR(NeedCentre());
  JC_RETURN_IF_ERROR(NeedState({v1::CASE_STATE_FED_BACK}, "FED_BACK"));
  const bool passed = a_.verify().passed();
  if (passed) {
    r_->set_state(v1::CASE_STATE_VERIFIED);
  } else {
    // Rework 返工: the lead handles again against a fresh handle limit.
    JC_ASSIGN_OR_RETURN(Due handle, DueFrom(now_, v1::STAGE_HANDLE));
    StartClock(r_, v1::STAGE_HANDLE, now_, handle.at, handle.limit);
    r_->mutable_counters()->set_reworks(r_->counters().reworks() + 1);
    r_->set_state(v1::CASE_STATE_SIGNED);
  }
  Record(v1::CASE_STATE_FED_BACK, r_->decision().lead().code(),
         a_.verify().reason(), passed);
  return absl::OkStatus();
}

absl::Status Applier::Close() {
  JC_RETURN_IF_ERROR(NeedCentre());
  JC_RETURN_IF_ERROR(NeedState({v1::CASE_STATE_VERIFIED}, "VERIFIED"));
  JC_ASSIGN_OR_RETURN(Due revisit, DueFrom(now_, v1::STAGE_REVISIT));
  InterruptRunning(r_, now_);
  LapsePendingExtension("the case was closed before a decision (close)");
  StartClock(r_, v1::STAGE_REVISIT, now_, revisit.at, revisit.limit);
  r_->set_state(v1::CASE_STATE_CLOSED);
  r_->set_closed_at(now_);
  r_->set_resolved_tier(r_->decision().tier());
  Record(v1::CASE_STATE_VERIFIED, r_->decision().lead().code(), "");
  return absl::OkStatus();
}

absl::Status Applier::Evaluate() {
  if (!IsReportingCitizen() && !IsCentre()) {
    return WrongActor(absl::StrCat(ReportingCitizenText(),
                                   " or a centre recording the revisit"));
  }
  JC_RETURN_IF_ERROR(NeedState({v1::CASE_STATE_CLOSED}, "CLOSED"));
  const v1::Satisfaction s = a_.evaluate().satisfaction();
  if (s == v1::SATISFACTION_UNSPECIFIED || !v1::Satisfaction_IsValid(s)) {
    return Invalid(a_, "evaluate.satisfaction",
                   "evaluate.satisfaction must be set");
  }
  StopStage(r_, v1::STAGE_REVISIT, now_);
  r_->set_state(v1::CASE_STATE_EVALUATED);
  r_->set_evaluated_at(now_);
  r_->set_satisfaction(s);
  Record(v1::CASE_STATE_CLOSED, r_->decision().lead().code(),
         a_.evaluate().comment());
  return absl::OkStatus();
}

absl::Status Applier::Return() {
  JC_RETURN_IF_ERROR(NeedLead());
  JC_RETURN_IF_ERROR(NeedState({v1::CASE_STATE_DISPATCHED, v1::CASE_STATE_SIGNED},
                               "DISPATCHED or SIGNED (before handling)"));
  if (r_->binding_ruling()) {
    return Refuse(a_, "return.binding_ruling",
                  "an arbitration assigned the case: its ruling is binding");
  }
  if (const v1::HandOff* handled = HandledByLead()) {
    return Refuse(
        a_, "return.handled",
        absl::StrCat(r_->decision().lead().code(), " handled the case at ",
                     handled->at(), ": a return comes before handling"));
  }
  const v1::ReturnAction& ret = a_.return_case();
  bool known = false;
  for (const v1::ReturnReason& reason : p_.return_reasons()) {
    if (reason.code() == ret.reason_code()) known = true;
  }
  if (!known) {
    return Invalid(a_, "return.reason_code",
                   absl::StrCat("return_case.reason_code \"", ret.reason_code(),
                                "\" is not one of the policy's return reasons"));
  }
  if (Blank(ret.basis())) {
    return Invalid(a_, "return.basis",
                   "return_case.basis is empty: a return names the item, law "
                   "or rule that puts the case elsewhere");
  }
  JC_ASSIGN_OR_RETURN(int64_t window_end,
                      AddPolicy(r_->lead_since(), p_.return_window()));
  if (now_ > window_end) {
    return Refuse(a_, "return.window_closed",
                  absl::StrCat("the return window closed at ", window_end));
  }
  const v1::RoutingDecision& d = r_->decision();
  v1::Handler back = d.supervisor().code().empty() ? d.arbitrator() : d.supervisor();
  if (back.code().empty()) {
    return Refuse(a_, "return.no_centre", "the decision names no centre");
  }
  const std::string from_holder = d.lead().code();
  const CaseState from = r_->state();
  if (!Contains(r_->returned_by(), from_holder)) {
    r_->add_returned_by(from_holder);
  }
  // A return answers the dispatch (the sign-for stage is done); the
  // handle clock stops undone.
  StopStage(r_, v1::STAGE_SIGN_FOR, now_);
  InterruptRunning(r_, now_);
  LapsePendingExtension(
      absl::StrCat(from_holder, " returned the case (return_case)"));
  SetLead(std::move(back));
  r_->mutable_counters()->set_returns(r_->counters().returns() + 1);
  r_->set_state(v1::CASE_STATE_RETURNED);
  Record(from, from_holder, ret.reason_code());
  return absl::OkStatus();
}

absl::Status Applier::Reassign() {
  JC_RETURN_IF_ERROR(NeedCentre());
  JC_RETURN_IF_ERROR(NeedState(
      {v1::CASE_STATE_DISPATCHED, v1::CASE_STATE_SIGNED, v1::CASE_STATE_RETURNED},
      "DISPATCHED, SIGNED or RETURNED"));
  const v1::ReassignAction& ra = a_.reassign();
  if (ra.arbitration() && ra.unit_code().empty()) {
    return Invalid(a_, "reassign.arbitration_unit",
                   "an arbitration names the unit (reassign.unit_code)");
  }
  if (!ra.arbitration() && r_->counters().returns() >= p_.max_returns()) {
    return Refuse(a_, "reassign.arbitration_required",
                  absl::StrCat("returned ", r_->counters().returns(),
                               " times (max_returns ", p_.max_returns(),
                               "): only the centre's arbitration applies"));
  }
  v1::RoutingDecision rerouted;
  v1::Handler lead;
  if (!ra.unit_code().empty()) {
    const UnitId u = e_.organization().Find(ra.unit_code());
    if (u == kNoUnit) {
      return Invalid(a_, "reassign.unknown_unit",
                     absl::StrCat("reassign.unit_code: no unit has code \"",
                                  ra.unit_code(), "\""));
    }
    if (!ra.arbitration() && Contains(r_->returned_by(), ra.unit_code())) {
      return Refuse(a_, "reassign.returned_unit",
                    absl::StrCat(ra.unit_code(),
                                 " returned the case; only an arbitration "
                                 "sends it back"));
    }
    SetNamedUnit(ra.unit_code(), &lead);
    if (ReportedBy(lead)) {
      return Refuse(a_, "reassign.reporter",
                    absl::StrCat(ra.unit_code(),
                                 " reported the case and does not handle it "
                                 "(报办分离)"));
    }
  } else {
    v1::Case c = r_->case_();
    c.set_reported_at(now_);
    RouteResult route;
    absl::Status routed = router_->Route(c, &route);
    if (!routed.ok()) return Prefixed(a_, routed);
    router_->ToProto(c, route, v1::RouteOptions(), &rerouted);
    // Never a unit that returned the case, nor its reporter.
    auto excluded = [&](const v1::Handler& h) {
      return Contains(r_->returned_by(), h.code()) || ReportedBy(h);
    };
    if (!rerouted.lead().code().empty() && !excluded(rerouted.lead())) {
      lead = rerouted.lead();
    } else {
      for (const v1::Handler& h : rerouted.candidates()) {
        if (!excluded(h)) {
          lead = h;
          break;
        }
      }
    }
    if (lead.code().empty()) {
      const std::string& picked = rerouted.lead().code();
      return Refuse(
          a_, "reassign.no_candidate",
          absl::StrCat("routing picks ",
                       picked.empty() ? std::string("no lead") : picked,
                       picked.empty() ? ""
                       : ReportedBy(rerouted.lead())
                           ? ", which reported the case (报办分离),"
                           : ", which returned the case,",
                       " and no other candidate: name a unit "
                       "(reassign.unit_code)"));
    }
  }
  // A reassignment moves the case to another lead; restarting the current
  // lead's clocks would be an extension nobody approved. (A returned case
  // runs no clock: the centre holding it may take it on itself.)
  if (r_->state() != v1::CASE_STATE_RETURNED &&
      lead.code() == r_->decision().lead().code()) {
    return Refuse(a_, "reassign.same_lead",
                  absl::StrCat(lead.code(),
                               " leads the case already: a reassignment "
                               "names another unit (more time is asked for "
                               "with request_extension)"));
  }
  // Both clocks run again from now with the decision's limits.
  const v1::RoutingDecision& d = rerouted.lead().code().empty() ? r_->decision()
                                                                 : rerouted;
  const v1::Duration* sign_limit = StageLimit(d, v1::STAGE_SIGN_FOR);
  const v1::Duration* handle_limit = StageLimit(d, v1::STAGE_HANDLE);
  if (sign_limit == nullptr || handle_limit == nullptr) {
    return absl::InternalError("reassign: the decision has no limits");
  }
  JC_ASSIGN_OR_RETURN(int64_t sign_due, AddPolicy(now_, *sign_limit));
  JC_ASSIGN_OR_RETURN(int64_t handle_due, AddPolicy(now_, *handle_limit));
  const v1::Duration sign_copy = *sign_limit, handle_copy = *handle_limit;

  const std::string from_holder = r_->decision().lead().code();
  const CaseState from = r_->state();
  if (!rerouted.lead().code().empty()) {
    // Co-handlers the centre added stay on the case.
    for (const v1::CoHandlerTask& t : r_->co_tasks()) {
      bool present = false;
      for (const v1::Handler& h : rerouted.co_handlers()) {
        if (h.code() == t.handler().code()) present = true;
      }
      if (!present) *rerouted.add_co_handlers() = t.handler();
    }
    *r_->mutable_decision() = std::move(rerouted);
  }
  InterruptRunning(r_, now_);
  LapsePendingExtension(absl::StrCat("the case went from ", from_holder, " to ",
                                     lead.code(), " (reassign)"));
  SetLead(std::move(lead));
  StartClock(r_, v1::STAGE_SIGN_FOR, now_, sign_due, sign_copy);
  StartClock(r_, v1::STAGE_HANDLE, now_, handle_due, handle_copy);
  // Only an arbitration's ruling binds, and only the unit it names.
  r_->set_binding_ruling(ra.arbitration());
  r_->mutable_counters()->set_reassigns(r_->counters().reassigns() + 1);
  r_->set_state(v1::CASE_STATE_DISPATCHED);
  Record(from, from_holder, ra.reason(), ra.arbitration());
  return absl::OkStatus();
}

absl::Status Applier::AddCoHandler() {
  JC_RETURN_IF_ERROR(NeedCentre());
  JC_RETURN_IF_ERROR(NeedState({v1::CASE_STATE_DISPATCHED, v1::CASE_STATE_SIGNED},
                               "DISPATCHED or SIGNED"));
  const v1::AddCoHandlerAction& add = a_.add_co_handler();
  if (e_.organization().Find(add.unit_code()) == kNoUnit) {
    return Invalid(a_, "co_handler.unknown_unit",
                   absl::StrCat("add_co_handler.unit_code: no unit has code \"",
                                add.unit_code(), "\""));
  }
  const bool has_limit =
      add.limit().unit() != v1::TIME_UNIT_UNSPECIFIED || add.limit().amount() != 0;
  if (has_limit && !ValidDuration(add.limit())) {
    return Invalid(
        a_, "co_handler.limit",
        absl::StrCat("add_co_handler.limit ", DurationText(add.limit()),
                     " needs a unit and a positive amount"));
  }
  const v1::RoutingDecision& d = r_->decision();
  if (add.unit_code() == d.lead().code()) {
    return Refuse(a_, "co_handler.is_lead",
                  absl::StrCat(add.unit_code(), " leads the case"));
  }
  if (d.co_handlers_size() >= kMaxCoHandlers * 2) {
    return Refuse(a_, "co_handler.limit_reached",
                  absl::StrCat("the case has ", d.co_handlers_size(),
                               " co-handlers already"));
  }
  for (const v1::Handler& h : d.co_handlers()) {
    if (h.code() == add.unit_code()) {
      return Refuse(a_, "co_handler.duplicate",
                    absl::StrCat(add.unit_code(), " already co-handles"));
    }
  }
  const v1::Duration& limit = has_limit ? add.limit() : p_.co_handler_limit();
  JC_ASSIGN_OR_RETURN(int64_t due, AddPolicy(now_, limit));
  v1::Handler* h = r_->mutable_decision()->add_co_handlers();
  SetNamedUnit(add.unit_code(), h);
  v1::CoHandlerTask* t = r_->add_co_tasks();
  *t->mutable_handler() = *h;
  t->set_assigned_at(now_);
  t->set_due_at(due);
  r_->mutable_counters()->set_co_handlers_added(
      r_->counters().co_handlers_added() + 1);
  Record(r_->state(), d.lead().code(), add.unit_code());
  return absl::OkStatus();
}

absl::Status Applier::Urge() {
  bool allowed = IsCentre();
  if (!allowed && (actor_.role() == v1::ACTOR_ROLE_CENTRE ||
                   actor_.role() == v1::ACTOR_ROLE_UNIT)) {
    for (const v1::EscalationStep& s : r_->decision().escalation()) {
      if (s.handler().code() == actor_.code()) allowed = true;
    }
  }
  if (!allowed) return WrongActor("a supervising centre or escalation handler");
  JC_RETURN_IF_ERROR(NeedState(
      {v1::CASE_STATE_DISPATCHED, v1::CASE_STATE_SIGNED, v1::CASE_STATE_HANDLED,
       v1::CASE_STATE_FED_BACK, v1::CASE_STATE_RETURNED},
      "DISPATCHED, SIGNED, HANDLED, FED_BACK or RETURNED"));
  r_->mutable_counters()->set_urges(r_->counters().urges() + 1);
  Record(r_->state(), r_->decision().lead().code(), a_.urge().note());
  return absl::OkStatus();
}

absl::Status Applier::RequestExtension() {
  JC_RETURN_IF_ERROR(NeedLead());
  JC_RETURN_IF_ERROR(NeedState({v1::CASE_STATE_DISPATCHED, v1::CASE_STATE_SIGNED},
                               "DISPATCHED or SIGNED"));
  const v1::RequestExtensionAction& req = a_.request_extension();
  if (!ValidDuration(req.extension())) {
    return Invalid(a_, "extension.duration",
                   absl::StrCat("request_extension.extension ",
                                DurationText(req.extension()),
                                " needs a unit and a positive amount"));
  }
  const v1::StageClock* handle = Running(*r_, v1::STAGE_HANDLE);
  if (handle == nullptr || now_ >= handle->due_at()) {
    return Refuse(a_, "extension.expired",
                  "an extension is asked before the handle deadline");
  }
  if (r_->has_extension() && !r_->extension().decided()) {
    return Refuse(a_, "extension.pending", "a request awaits its decision");
  }
  if (ExtensionDecider().empty()) {
    return Refuse(a_, "extension.no_centre",
                  "the decision names neither a supervisor nor an arbitrator "
                  "to decide the request");
  }
  if (r_->counters().extensions() >= p_.max_extensions()) {
    return Refuse(a_, "extension.limit",
                  absl::StrCat("extended ", r_->counters().extensions(),
                               " times already (max_extensions ",
                               p_.max_extensions(), ")"));
  }
  // Longer means a later deadline: the two extensions applied to the
  // running handle deadline, each in its own unit (5 calendar days are not
  // longer than 10 working days). A request past the calendar is refused
  // as every deadline there is; a maximum past it bounds nothing.
  absl::StatusOr<int64_t> asked =
      AddDuration(cal_, handle->due_at(), req.extension());
  if (!asked.ok()) return Prefixed(a_, asked.status());
  absl::StatusOr<int64_t> longest =
      AddDuration(cal_, handle->due_at(), p_.max_extension());
  if (longest.ok() && *asked > *longest) {
    return Refuse(a_, "extension.too_long",
                  absl::StrCat("request_extension.extension is longer than "
                               "max_extension (",
                               p_.max_extension().amount(), " ",
                               v1::TimeUnit_Name(p_.max_extension().unit()),
                               ")"));
  }
  v1::ExtensionRequest* x = r_->mutable_extension();
  x->Clear();
  x->set_requested_at(now_);
  *x->mutable_extension() = req.extension();
  x->set_reason(req.reason());
  Record(r_->state(), r_->decision().lead().code(), req.reason());
  return absl::OkStatus();
}

absl::Status Applier::DecideExtension() {
  const std::string& decider = ExtensionDecider();
  if (actor_.role() != v1::ACTOR_ROLE_CENTRE || decider.empty() ||
      actor_.code() != decider) {
    return WrongActor(
        r_->decision().supervisor().code().empty()
            ? absl::StrCat("the arbitrator (", decider,
                           "), who decides as the decision names no "
                           "supervisor")
            : absl::StrCat("the supervising centre (", decider, ")"));
  }
  if (!r_->has_extension() || r_->extension().decided()) {
    return Refuse(a_, "extension.none_pending", "no extension request awaits");
  }
  if (!Open(r_->state())) {
    return WrongState(a_, r_->state(), "an open case");
  }
  const bool approved = a_.decide_extension().approved();
  v1::StageClock* handle = Running(r_, v1::STAGE_HANDLE);
  // An approval moves the running handle clock, and only one that does
  // counts against max_extensions. With none running (the lead handled
  // the case meanwhile) there is nothing to extend: the request can only
  // be refused.
  if (approved && handle == nullptr) {
    return Refuse(a_, "extension.no_clock",
                  absl::StrCat("no handle clock runs (the case is ",
                               StateName(r_->state()),
                               "): an approval would extend nothing; refuse "
                               "the request (approved false)"));
  }
  int64_t due = 0;
  if (approved) {
    JC_ASSIGN_OR_RETURN(due,
                        AddPolicy(handle->due_at(), r_->extension().extension()));
  }
  v1::ExtensionRequest* x = r_->mutable_extension();
  x->set_decided(true);
  x->set_approved(approved);
  x->set_decided_at(now_);
  x->set_decision_reason(a_.decide_extension().reason());
  if (approved) {
    handle->set_due_at(due);
    r_->mutable_counters()->set_extensions(r_->counters().extensions() + 1);
  }
  Record(r_->state(), r_->decision().lead().code(),
         a_.decide_extension().reason(), approved);
  return absl::OkStatus();
}

absl::Status Applier::Park() {
  JC_RETURN_IF_ERROR(NeedCentre());
  JC_RETURN_IF_ERROR(NeedState({v1::CASE_STATE_DISPATCHED, v1::CASE_STATE_SIGNED},
                               "DISPATCHED or SIGNED"));
  if (Blank(a_.park().reason())) {
    return Invalid(a_, "park.reason",
                   "park.reason is empty: a park (挂账) records why the case "
                   "cannot be solved now");
  }
  const CaseState from = r_->state();
  r_->set_parked_from(from);
  r_->set_parked_at(now_);
  r_->set_state(v1::CASE_STATE_PARKED);
  r_->mutable_counters()->set_parks(r_->counters().parks() + 1);
  Record(from, r_->decision().lead().code(), a_.park().reason());
  return absl::OkStatus();
}

absl::Status Applier::Unpark() {
  JC_RETURN_IF_ERROR(NeedCentre());
  JC_RETURN_IF_ERROR(NeedState({v1::CASE_STATE_PARKED}, "PARKED"));
  // Parking neither uses nor adds time. A running clock not yet overdue
  // when parked resumes with the working time it had left; one already
  // overdue keeps the working time it was overdue by: its due time moves
  // later by the working time the park lasted (unchanged when the park
  // lasted no working time). A co-handler's task is a clock of its own
  // (its handle limit) and stood still as well: its due time moves by the
  // same rule, or the co-handler would be overdue as the case resumes.
  int64_t parked = -1;  // working minutes parked; computed when needed
  auto resumed = [&](int64_t due_at) -> absl::StatusOr<int64_t> {
    if (due_at < r_->parked_at()) {
      if (parked < 0) {
        absl::StatusOr<int64_t> m =
            cal_.WorkingMinutesBetween(r_->parked_at(), now_);
        if (!m.ok()) return Prefixed(a_, m.status());
        parked = *m;
      }
      if (parked == 0) return due_at;
      absl::StatusOr<int64_t> at = cal_.AddWorkingMinutes(due_at, parked);
      if (!at.ok()) return Prefixed(a_, at.status());
      return *at;
    }
    int64_t left = 0;
    if (due_at > r_->parked_at()) {
      absl::StatusOr<int64_t> m =
          cal_.WorkingMinutesBetween(r_->parked_at(), due_at);
      if (!m.ok()) return Prefixed(a_, m.status());
      left = *m;
    }
    absl::StatusOr<int64_t> at = cal_.AddWorkingMinutes(now_, left);
    if (!at.ok()) return Prefixed(a_, at.status());
    return std::max(*at, now_);
  };
  int64_t due[kMaxRunningClocks];
  int n = 0;
  for (const v1::StageClock& c : r_->clocks()) {
    if (c.done_at() != 0) continue;
    // A record Apply built has at most one running clock per stage.
    if (n == kMaxRunningClocks) {
      return Invalid(a_, "record.clocks",
                     absl::StrCat("the record has more than ",
                                  kMaxRunningClocks, " running clocks"));
    }
    JC_ASSIGN_OR_RETURN(due[n], resumed(c.due_at()));
    ++n;
  }
  // Apply adds at most 2 * kMaxCoHandlers co-handler tasks.
  int64_t co_due[kMaxRunningClocks];
  if (r_->co_tasks_size() > kMaxRunningClocks) {
    return Invalid(a_, "record.co_tasks",
                   absl::StrCat("the record has more than ", kMaxRunningClocks,
                                " co-handler tasks"));
  }
  for (int i = 0; i < r_->co_tasks_size(); ++i) {
    JC_ASSIGN_OR_RETURN(co_due[i], resumed(r_->co_tasks(i).due_at()));
  }
  n = 0;
  for (v1::StageClock& c : *r_->mutable_clocks()) {
    if (c.done_at() == 0) c.set_due_at(due[n++]);
  }
  for (int i = 0; i < r_->co_tasks_size(); ++i) {
    r_->mutable_co_tasks(i)->set_due_at(co_due[i]);
  }
  const CaseState to = r_->parked_from();
  r_->set_state(to);
  r_->set_parked_from(v1::CASE_STATE_UNSPECIFIED);
  r_->set_parked_at(0);
  Record(v1::CASE_STATE_PARKED, r_->decision().lead().code(), "");
  return absl::OkStatus();
}

absl::Status Applier::Reopen() {
  if (!IsReportingCitizen()) return WrongActor(ReportingCitizenText());
  JC_RETURN_IF_ERROR(NeedState({v1::CASE_STATE_CLOSED, v1::CASE_STATE_EVALUATED},
                               "CLOSED or EVALUATED"));
  if (r_->satisfaction() == v1::SATISFACTION_SATISFIED ||
      r_->satisfaction() == v1::SATISFACTION_BASICALLY_SATISFIED) {
    return Refuse(a_, "reopen.satisfied",
                  absl::StrCat("the citizen evaluated the case ",
                               v1::Satisfaction_Name(r_->satisfaction())));
  }
  if (r_->counters().reopens() >= p_.max_reopens()) {
    return Refuse(a_, "reopen.limit",
                  absl::StrCat("reopened ", r_->counters().reopens(),
                               " times already (max_reopens ",
                               p_.max_reopens(), ")"));
  }
  JC_ASSIGN_OR_RETURN(int64_t window_end,
                      AddPolicy(r_->closed_at(), p_.reopen_window()));
  if (now_ > window_end) {
    return Refuse(a_, "reopen.window_closed",
                  absl::StrCat("the reopen window closed at ", window_end));
  }
  JC_ASSIGN_OR_RETURN(Due handle, DueFrom(now_, v1::STAGE_HANDLE));
  const CaseState from = r_->state();
  InterruptRunning(r_, now_);
  StartClock(r_, v1::STAGE_HANDLE, now_, handle.at, handle.limit);
  r_->set_closed_at(0);
  r_->set_state(v1::CASE_STATE_SIGNED);
  r_->mutable_counters()->set_reopens(r_->counters().reopens() + 1);
  Record(from, r_->decision().lead().code(), a_.reopen().reason());
  return absl::OkStatus();
}

absl::Status Applier::Merge() {
  JC_RETURN_IF_ERROR(NeedCentre());
  if (!Open(r_->state()) || r_->state() == v1::CASE_STATE_PARKED) {
    return WrongState(a_, r_->state(), "an open, unparked case");
  }
  const CaseRecord& dup = a_.merge().duplicate();
  if (dup.case_().id().empty()) {
    return Invalid(a_, "merge.duplicate", "merge.duplicate has no case");
  }
  if (dup.case_().id() == r_->case_().id()) {
    return Refuse(a_, "merge.self", "a case cannot be merged into itself");
  }
  if (!Open(dup.state())) {
    return Refuse(a_, "merge.duplicate_state",
                  absl::StrCat("the duplicate ", dup.case_().id(), " is ",
                               StateName(dup.state()),
                               "; only an open case is merged"));
  }
  for (const CaseRecord& m : r_->merged()) {
    if (m.case_().id() == dup.case_().id()) {
      return Refuse(a_, "merge.already_merged",
                    absl::StrCat(dup.case_().id(), " is merged already"));
    }
  }
  CaseRecord* m = r_->add_merged();
  *m = dup;
  InterruptRunning(m, now_);
  m->set_merged_into(r_->case_().id());
  const CaseState dup_from = m->state();
  m->set_state(v1::CASE_STATE_MERGED);
  v1::HandOff* h = m->add_history();
  h->set_at(now_);
  *h->mutable_actor() = actor_;
  h->set_action(ActionName(a_.kind_case()));
  h->set_from_state(dup_from);
  h->set_to_state(v1::CASE_STATE_MERGED);
  h->set_from_holder(m->decision().lead().code());
  h->set_to_holder(r_->decision().lead().code());
  h->set_reason(r_->case_().id());
  r_->mutable_counters()->set_merged(r_->counters().merged() + 1);
  Record(r_->state(), r_->decision().lead().code(), dup.case_().id());
  return absl::OkStatus();
}

absl::Status Applier::Withdraw() {
  JC_RETURN_IF_ERROR(NeedReporter());
  if (!Open(r_->state())) {
    return WrongState(a_, r_->state(), "a case not yet closed");
  }
  const CaseState from = r_->state();
  InterruptRunning(r_, now_);
  r_->set_parked_at(0);
  r_->set_parked_from(v1::CASE_STATE_UNSPECIFIED);
  r_->set_state(v1::CASE_STATE_WITHDRAWN);
  Record(from, r_->decision().lead().code(), a_.withdraw().reason());
  return absl::OkStatus();
}

absl::Status Applier::Whistle() {
  if (!IsTownshipRoom()) {
    return WrongActor("the command room of the case's township");
  }
  JC_RETURN_IF_ERROR(NeedState({v1::CASE_STATE_DISPATCHED, v1::CASE_STATE_SIGNED},
                               "DISPATCHED or SIGNED"));
  const v1::WhistleAction& w = a_.whistle();
  if (w.department_codes_size() == 0) {
    return Invalid(a_, "whistle.no_department",
                   "whistle.department_codes is empty");
  }
  const v1::RoutingDecision& d = r_->decision();
  // Routing lists at most kMaxWhistle departments; with no more on the
  // list, each code is checked against a handful, and an action naming
  // more codes than that is refused within kMaxWhistle + 1 of them.
  if (d.whistle_size() > kMaxWhistle) {
    return Invalid(a_, "record.decision.whistle",
                   absl::StrCat("the decision lists ", d.whistle_size(),
                                " departments to summon; routing lists at "
                                "most ",
                                kMaxWhistle));
  }
  for (int i = 0; i < w.department_codes_size(); ++i) {
    const std::string& code = w.department_codes(i);
    bool listed = false;
    for (const v1::WhistleSummons& s : d.whistle()) {
      if (s.department().code() == code) listed = true;
    }
    if (!listed) {
      return Refuse(a_, "whistle.not_on_list",
                    absl::StrCat("whistle.department_codes[", i,
                                 "]: ", Utf8Prefix(code, 64),
                                 " is not on the decision's whistle list"));
    }
    bool twice = false;
    for (int j = 0; j < i; ++j) twice |= w.department_codes(j) == code;
    for (const v1::WhistleCall& c : r_->whistle_calls()) {
      twice |= c.department().code() == code;
    }
    if (twice) {
      return Refuse(a_, "whistle.already_summoned",
                    absl::StrCat("whistle.department_codes[", i, "]: ",
                                 Utf8Prefix(code, 64), " is summoned already"));
    }
  }
  v1::Duration report_in = e_.routing_policy().whistle_report_in();
  if (report_in.unit() == v1::TIME_UNIT_UNSPECIFIED) {
    report_in.set_unit(v1::TIME_UNIT_WORKING_HOURS);
    report_in.set_amount(2);
  }
  JC_ASSIGN_OR_RETURN(int64_t report_by, AddPolicy(now_, report_in));
  for (const std::string& code : w.department_codes()) {
    v1::WhistleCall* c = r_->add_whistle_calls();
    for (const v1::WhistleSummons& s : d.whistle()) {
      if (s.department().code() == code) *c->mutable_department() = s.department();
    }
    c->set_summoned_at(now_);
    c->set_report_by(report_by);
  }
  r_->mutable_counters()->set_whistles(r_->counters().whistles() + 1);
  Record(r_->state(), d.lead().code(), "");
  return absl::OkStatus();
}

absl::Status Applier::ReportIn() {
  if (IsClosedState(r_->state())) {
    return WrongState(a_, r_->state(), "a case not yet closed");
  }
  v1::WhistleCall* call = nullptr;
  if (actor_.role() == v1::ACTOR_ROLE_UNIT) {
    for (v1::WhistleCall& c : *r_->mutable_whistle_calls()) {
      if (c.department().code() == actor_.code() && c.reported_at() == 0) {
        call = &c;
      }
    }
  }
  if (call == nullptr) {
    return Refuse(a_, "report_in.not_summoned",
                  absl::StrCat(ActorText(actor_),
                               " is not a summoned department yet to report"));
  }
  call->set_reported_at(now_);
  Record(r_->state(), r_->decision().lead().code(), actor_.code());
  return absl::OkStatus();
}

absl::Status Applier::RateDepartment() {
  if (!IsTownshipRoom()) {
    return WrongActor("the command room of the case's township");
  }
  JC_RETURN_IF_ERROR(NeedState({v1::CASE_STATE_CLOSED, v1::CASE_STATE_EVALUATED},
                               "CLOSED or EVALUATED"));
  const v1::RateDepartmentAction& rate = a_.rate_department();
  if (rate.score() < 0 || rate.score() > 100) {
    return Invalid(a_, "rate.score",
                   absl::StrCat("rate_department.score ", rate.score(),
                                " is outside 0..100"));
  }
  const v1::RoutingDecision& d = r_->decision();
  bool handled = d.lead().code() == rate.department_code();
  for (const v1::Handler& h : d.co_handlers()) {
    handled |= h.code() == rate.department_code();
  }
  for (const v1::WhistleCall& c : r_->whistle_calls()) {
    handled |= c.department().code() == rate.department_code();
  }
  if (!handled || rate.department_code().empty()) {
    return Refuse(a_, "rate.not_handler",
                  absl::StrCat("\"", rate.department_code(),
                               "\" neither led, co-handled nor was summoned"));
  }
  // 反向考评: the township rates county departments — a department, or a
  // unit a department dispatched (派驻, stationed in a township but the
  // department's) — never its own government, offices, teams, command room
  // or villages, nor a grid.
  const Organization& o = e_.organization();
  const UnitId u = o.Find(rate.department_code());
  const v1::UnitKind kind =
      u == kNoUnit ? v1::UNIT_KIND_UNSPECIFIED : o.kind(u);
  if (kind != v1::UNIT_KIND_DEPARTMENT && kind != v1::UNIT_KIND_DISPATCHED) {
    return Refuse(
        a_, "rate.not_department",
        absl::StrCat(rate.department_code(), " is ",
                     u == kNoUnit ? std::string("no unit (a grid)")
                                  : absl::StrCat("a ", v1::UnitKind_Name(kind)),
                     ": 反向考评 rates county departments and the units they "
                     "dispatched"));
  }
  // The department it belongs to (validation puts departments at county
  // level or above, each dispatched unit under one) sits outside the
  // rating township.
  const UnitId dept = kind == v1::UNIT_KIND_DISPATCHED ? o.parent(u) : u;
  const RegionId township = o.region(TownshipRoom());
  if (dept == kNoUnit || o.kind(dept) != v1::UNIT_KIND_DEPARTMENT ||
      e_.hierarchy().Contains(township, o.region(dept))) {
    return Refuse(a_, "rate.not_department",
                  absl::StrCat(rate.department_code(),
                               " belongs to no department outside the rating "
                               "township: 反向考评 rates county departments"));
  }
  for (const v1::DepartmentRating& x : r_->ratings()) {
    if (x.department_code() == rate.department_code() &&
        x.township_code() == actor_.code()) {
      return Refuse(a_, "rate.duplicate",
                    absl::StrCat(rate.department_code(), " is rated already"));
    }
  }
  v1::DepartmentRating* x = r_->add_ratings();
  x->set_department_code(rate.department_code());
  x->set_township_code(actor_.code());
  x->set_score(rate.score());
  x->set_rated_at(now_);
  Record(r_->state(), d.lead().code(), rate.department_code());
  return absl::OkStatus();
}

absl::Status ApplyWith(const Engine& engine, const Router* router,
                       CaseRecord* record, const Action& action, int64_t now) {
  // The state machine switches over states, stages and actors: a value
  // out of the schema is refused before it is read.
  JC_RETURN_IF_ERROR(CheckEnumsDefined(*record, "record"));
  JC_RETURN_IF_ERROR(CheckEnumsDefined(action, "action"));
  return Applier(engine, router, record, action, now).Run();
}

bool NeedsRouter(const Action& a) {
  return a.kind_case() == Action::kDispatch ||
         (a.kind_case() == Action::kReassign && a.reassign().unit_code().empty());
}

}  // namespace

const char* ActionName(v1::Action::KindCase kind) {
  if (kind == Action::KIND_NOT_SET) return "";
  const google::protobuf::FieldDescriptor* f =
      Action::descriptor()->FindFieldByNumber(static_cast<int>(kind));
  return f == nullptr ? "" : f->name().c_str();
}

bool IsClosedState(CaseState s) {
  return s == v1::CASE_STATE_CLOSED || s == v1::CASE_STATE_EVALUATED;
}

bool IsTerminalState(CaseState s) {
  return s == v1::CASE_STATE_CANCELLED || s == v1::CASE_STATE_WITHDRAWN ||
         s == v1::CASE_STATE_MERGED;
}

absl::StatusOr<int64_t> AddDuration(const WorkCalendar& calendar, int64_t from,
                                    const v1::Duration& d) {
  switch (d.unit()) {
    case v1::TIME_UNIT_WORKING_HOURS:
      return calendar.AddWorkingMinutes(from, int64_t{d.amount()} * 60);
    case v1::TIME_UNIT_WORKING_DAYS:
      return calendar.AddWorkingDays(from, d.amount());
    // Elapsed hours, and a statute's days to a working day's close (as
    // routing counts them, TimeUnit), still bounded by the calendar: a due
    // time past its end could not be supervised.
    case v1::TIME_UNIT_CALENDAR_HOURS:
      return calendar.AddElapsedSeconds(from, int64_t{d.amount()} * 3600);
    case v1::TIME_UNIT_CALENDAR_DAYS:
      return calendar.AddCalendarDays(from, d.amount());
    default:
      return absl::InvalidArgumentError("a duration without a unit");
  }
}

std::string TownshipCommandRoom(const Engine& engine, const v1::Case& c) {
  absl::optional<uint64_t> key = RegionKeyFromNumber(c.location_code());
  const RegionId loc = key ? engine.hierarchy().FindKey(*key) : kNoRegion;
  if (loc == kNoRegion) return std::string();
  const RegionId t = engine.hierarchy().township_of(loc);
  if (t == kNoRegion) return std::string();
  const UnitId u = engine.organization().CommandCentre(
      t, v1::CENTRE_TYPE_TOWNSHIP_COMMAND_ROOM);
  return u == kNoUnit ? std::string()
                      : std::string(engine.organization().code(u));
}

v1::Actor LeadActor(const v1::CaseRecord& record) {
  v1::Actor a;
  a.set_role(record.decision().lead().kind() == v1::HANDLER_KIND_GRID
                 ? v1::ACTOR_ROLE_GRID_WORKER
                 : v1::ACTOR_ROLE_UNIT);
  a.set_code(record.decision().lead().code());
  return a;
}

Lifecycle::Lifecycle(const Engine& engine) : engine_(engine), router_(engine) {}

absl::Status Lifecycle::ApplyInPlace(v1::CaseRecord* record,
                                     const v1::Action& action,
                                     int64_t now) const {
  return ApplyWith(engine_, &router_, record, action, now);
}

absl::Status ApplyInPlace(const Engine& engine, v1::CaseRecord* record,
                          const v1::Action& action, int64_t now) {
  if (NeedsRouter(action)) {
    const Router router(engine);
    return ApplyWith(engine, &router, record, action, now);
  }
  return ApplyWith(engine, nullptr, record, action, now);
}

absl::StatusOr<v1::CaseRecord> Apply(const Engine& engine,
                                     const v1::CaseRecord& record,
                                     const v1::Action& action, int64_t now) {
  v1::CaseRecord next = record;
  JC_RETURN_IF_ERROR(ApplyInPlace(engine, &next, action, now));
  return next;
}

}  // namespace jiceng
