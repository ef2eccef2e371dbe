// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0
//
// Internal header: not installed, not part of the stable API.
//
// The closed loop (DOMAIN.md §4): Apply(record, action, now) moves a case
// record one step, or refuses naming the rule broken. Pure: the input
// record is never mutated; the caller stores the record returned.
//
//   receive → register 立案 | cancel 注销 → dispatch 派遣 → sign for 签收 →
//   handle 处置 → feed back 反馈 → verify 核查 (fail: rework 返工, back to
//   SIGNED) → close 结案 → evaluate 回访/评价
//
// States and who may act (the actor's role and code must match; `centre`
// means an ACTOR_ROLE_CENTRE whose code is the decision's supervisor or
// arbitrator, the township command room of the case's township, or the
// social-governance centre of its county — before dispatch only the last
// two):
//
//   action             actor               from states → to state
//   receive            anyone              (empty record) → RECEIVED
//   register           centre              RECEIVED → REGISTERED
//   cancel             centre              RECEIVED → CANCELLED
//   dispatch           centre              REGISTERED → DISPATCHED
//   sign_for           lead                DISPATCHED → SIGNED
//   handle             lead                SIGNED → HANDLED
//   feed_back          lead                HANDLED → FED_BACK
//   verify             centre              FED_BACK → VERIFIED | SIGNED
//   close              centre              VERIFIED → CLOSED
//   evaluate           citizen or centre   CLOSED → EVALUATED
//   return_case        lead                DISPATCHED, SIGNED → RETURNED
//   reassign           centre              DISPATCHED, SIGNED, RETURNED →
//                                          DISPATCHED
//   add_co_handler     centre              DISPATCHED, SIGNED (unchanged)
//   urge               centre or an        DISPATCHED … FED_BACK, RETURNED
//                      escalation handler  (unchanged)
//   request_extension  lead                DISPATCHED, SIGNED (unchanged)
//   decide_extension   the supervisor, or  any open state with a pending
//                      the arbitrator      request (unchanged)
//                      when there is none
//   park               centre              DISPATCHED, SIGNED → PARKED
//   unpark             centre              PARKED → the state parked from
//   reopen             citizen             CLOSED, EVALUATED → SIGNED
//   merge              centre              any open, unparked state (master)
//   withdraw           citizen             any open state → WITHDRAWN
//   whistle            the township        DISPATCHED, SIGNED (unchanged)
//                      command room
//   report_in          a summoned,         any state before CLOSED
//                      unreported dept.
//   rate_department    the township        CLOSED, EVALUATED (unchanged)
//                      command room
//
// The lead acts with ACTOR_ROLE_UNIT and the unit code, or with
// ACTOR_ROLE_GRID_WORKER and the grid code when the lead is a grid; a
// summoned department with ACTOR_ROLE_UNIT.
//
// Rules (each refusal is FAILED_PRECONDITION, or INVALID_ARGUMENT for a
// malformed action, and names the rule):
//  - Clocks. Dispatch routes the case as of `now` (the rules in force that
//    day; every deadline runs from `now`) and starts the sign-for and handle
//    clocks; handle starts the feedback clock, close the revisit clock; a
//    failed verification or a reopen starts a new handle clock with the
//    decision's handle limit. Deadlines are working time on the engine's
//    calendar (OUT_OF_RANGE when they fall outside it). When routing
//    resolves no lead (a role nobody fills), the supervising centre holds
//    the case as its lead until it reassigns it.
//  - Return 退单: by the current lead only; before handling; within the
//    policy's return window from lead_since; with a reason code from the
//    policy's list and a non-empty basis; never after a binding ruling. The
//    case goes back to the supervisor (RETURNED, the supervisor holding it)
//    and the unit is remembered in returned_by.
//  - Reassign 改派: with unit_code the centre names the new lead; without,
//    the case is routed again as of `now` and the routed lead is taken
//    unless it returned the case, else the first tied candidate that did
//    not, else the refusal "reassign.no_candidate" (the centre must name a
//    unit). A named unit that returned the case is refused unless the
//    reassignment is an arbitration. After max_returns returns only an
//    arbitration (arbitration = true with unit_code) applies; an
//    arbitration is binding: the lead can no longer return the case.
//  - Extension 延期: asked by the lead before the handle deadline, at most
//    one pending, at most max_extension long (compared by the deadlines
//    they give from the running handle deadline, each in its own unit), at
//    most
//    max_extensions approved; the supervisor (the arbitrator when the
//    decision names none, as for a return; refused when it names neither)
//    approves (the running handle deadline moves by the extension; with no
//    handle clock running only a refusal applies) or refuses. The request
//    is about the lead's own deadline: one still pending when the lead
//    changes (return, reassign) or the case closes lapses (decided, not
//    approved, decision_reason "lapsed: …").
//  - Park 挂账: the clocks stop; parking neither uses nor adds time. Unpark
//    resumes each running clock not yet overdue when parked (due_at at or
//    after parked_at) with the working time it had left: due_at becomes
//    `now` plus that working time. A clock already overdue when parked
//    stays overdue by the same working time: its due_at moves later by
//    the working time the park lasted (from parked_at to `now`; unchanged
//    when that is none). Either way the due time moves on by the park's
//    working time, and supervision measures from the moved due time.
//    Co-handler tasks' due times move by the same rule.
//  - Leads: exactly one; a co-handler that becomes the lead stops
//    co-handling (its co-handler task ends).
//  - Rate department 反向考评: the township command room rates a unit that
//    led, co-handled or was summoned, and is a county department or a unit
//    one dispatched (UNIT_KIND_DEPARTMENT or DISPATCHED; "rate.not_department"
//    otherwise), once per unit.
//  - Reopen 重办: within reopen_window after closure, at most max_reopens.
//  - Merge 并单: applied to the master with the duplicate's record; the
//    duplicate (not terminal, not closed, another case id) is kept whole in
//    `merged`, in state MERGED with its own history plus the merge entry.
//  - Whistle 吹哨: the departments must be on the decision's whistle list
//    and not yet summoned; each must report in within the routing policy's
//    whistle_report_in (default 2 working hours) from `now`.
//  - Time: `now` may not precede the last history entry.
//
// Every successful action appends one HandOff to history and bumps its
// counter (returns, reworks, extensions, urges, reopens, parks, reassigns,
// co_handlers_added, whistles, merged), so counters always match history.
// Closed records change only by evaluate, reopen and rate_department.
//
// Example:
//   Lifecycle loop(*engine);
//   v1::CaseRecord record;
//   JC_RETURN_IF_ERROR(loop.ApplyInPlace(&record, receive, now));
//   absl::StatusOr<v1::CaseRecord> next = Apply(*engine, record, sign_for,
//                                               now);
//   // A unit that is not the lead signing: FAILED_PRECONDITION
//   // "sign_for: actor.wrong: ACTOR_ROLE_UNIT 320116-CG is not the lead …"
//
// Thread safety: a Lifecycle is immutable after construction; share one
// across threads. Not copyable (it holds a Router referring to the engine).

#ifndef JICENG_SRC_LIFECYCLE_LIFECYCLE_H_
#define JICENG_SRC_LIFECYCLE_LIFECYCLE_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "jiceng/v1/lifecycle.pb.h"
#include "src/engine/engine.h"
#include "src/routing/router.h"

namespace jiceng {

// The running clocks (done_at unset) a record may hold: Apply runs at most
// one per stage; unpark and supervision refuse a record with more.
inline constexpr int kMaxRunningClocks = 64;

// The oneof field name of an action kind ("return_case"), or "" for none.
const char* ActionName(v1::Action::KindCase kind);

// Whether no action but evaluate, reopen and rate_department applies.
bool IsClosedState(v1::CaseState state);
// CANCELLED, WITHDRAWN, MERGED: nothing applies.
bool IsTerminalState(v1::CaseState state);

class Lifecycle {
 public:
  // `engine` must outlive the lifecycle.
  explicit Lifecycle(const Engine& engine);
  Lifecycle(const Lifecycle&) = delete;
  Lifecycle& operator=(const Lifecycle&) = delete;

  // Applies `action` at `now` (unix seconds) to *record. On refusal returns
  // the error and leaves *record unchanged. REQUIRES: record != nullptr.
  absl::Status ApplyInPlace(v1::CaseRecord* record, const v1::Action& action,
                            int64_t now) const;

  const Engine& engine() const { return engine_; }
  const Router& router() const { return router_; }

 private:
  const Engine& engine_;
  Router router_;
};

// The record after `action` at `now`, or the refusal. `record` is not
// modified. Builds a Router only for dispatch and reassign; loops that
// apply many actions should hold a Lifecycle and use ApplyInPlace.
absl::StatusOr<v1::CaseRecord> Apply(const Engine& engine,
                                     const v1::CaseRecord& record,
                                     const v1::Action& action, int64_t now);

// In place, as Lifecycle::ApplyInPlace.
absl::Status ApplyInPlace(const Engine& engine, v1::CaseRecord* record,
                          const v1::Action& action, int64_t now);

// The code of the command room of the case's township (the centre that
// registers, whistles and rates departments), or "" when the location is
// unknown or the township has none.
std::string TownshipCommandRoom(const Engine& engine, const v1::Case& c);

// The actor the record's lead acts as: ACTOR_ROLE_GRID_WORKER with the
// grid code when a grid leads, else ACTOR_ROLE_UNIT with the unit code.
v1::Actor LeadActor(const v1::CaseRecord& record);

// Due time of `d` from `from` on `calendar` (working hours and days in
// working time, calendar hours in seconds, calendar days to a working day's
// close as TimeUnit says). INVALID_ARGUMENT for a duration without a unit;
// OUT_OF_RANGE outside the calendar.
absl::StatusOr<int64_t> AddDuration(const WorkCalendar& calendar,
                                    int64_t from, const v1::Duration& d);

}  // namespace jiceng

#endif  // JICENG_SRC_LIFECYCLE_LIFECYCLE_H_
