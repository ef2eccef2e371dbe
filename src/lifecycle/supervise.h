// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0
//
// Internal header: not installed, not part of the stable API.
//
// Supervise(record, now): what is due on a case — the 督办 view. Pure: it
// only reports; the caller decides whether to urge, escalate or warn.
//
//  - Warnings: for each running stage clock (none while PARKED: the clocks
//    stand still) the working time used since the clock started, in
//    percent of the working time it was given, the spells it stood parked
//    (from the history's park/unpark hand-offs) left out of both, so
//    parking neither uses nor adds time: unpark moved its due time on by
//    each spell's working time (lifecycle.h), so a clock overdue when
//    parked is overdue after unparking by the same working time as before.
//    RED when `now` is past its due time, YELLOW when the used percent
//    reaches the policy's yellow_percent (default 80). The holder is the
//    current lead.
//  - urge_due: some stage is overdue and no urge came in the last
//    urge_interval (default 1 working day) — an urge before the (moved)
//    deadline does not count.
//  - escalation: when the earliest overdue stage has been overdue for k full
//    escalation_intervals (default 1 working day), measured from its moved
//    due time, the decision's k-th escalation step (the last one when k is
//    larger).
//  - overdue_report_ins: summoned departments that have not reported in by
//    their report_by, whether or not the case is parked, until it is
//    closed (ReportIn refuses a closed case);
//    overdue_co_handlers: co-handler tasks past due while the case is
//    DISPATCHED or SIGNED (not yet handled, not parked; unpark moved their
//    due times as it moved the stage clocks').
//  - extension_pending (an open case's pending request: DecideExtension
//    refuses a closed case, and closure lapses the request); park_overdue
//    (parked longer than max_park).
// A park limit or a next urge that would fall after the calendar's end is
// not reached yet (`now` lies inside the calendar), as an escalation
// interval ending there has not ended: no error.
//
// Cancelled, withdrawn, merged and evaluated records have nothing due.
//
// Example:
//   JC_ASSIGN_OR_RETURN(v1::SupervisionReport due,
//                       Supervise(*engine, record, now));
//   if (due.urge_due()) { ... apply an UrgeAction ... }
//
// Errors, naming the field (as of a SuperviseRequest): INVALID_ARGUMENT
// for an enum value out of the schema ("record.state: 99 is not a value
// ..."); OUT_OF_RANGE when `now` ("now: ..."), or an instant supervision
// measures from — a running clock's started_at or due_at, parked_at while
// PARKED, the park/unpark or last urge hand-off's at — lies outside the
// work calendar ("record.clocks[1].due_at: 2027-12-28T21:20:00+08:00 is
// outside the work calendar 2026-01-01 to 2026-12-31"). A record with
// nothing due (cancelled, withdrawn, merged, evaluated, or no state) is
// not checked against the calendar. Thread safety: a pure function over an
// immutable engine.

#ifndef JICENG_SRC_LIFECYCLE_SUPERVISE_H_
#define JICENG_SRC_LIFECYCLE_SUPERVISE_H_

#include <cstdint>

#include "absl/status/statusor.h"
#include "jiceng/v1/lifecycle.pb.h"
#include "src/engine/engine.h"

namespace jiceng {

absl::StatusOr<v1::SupervisionReport> Supervise(const Engine& engine,
                                                const v1::CaseRecord& record,
                                                int64_t now);

}  // namespace jiceng

#endif  // JICENG_SRC_LIFECYCLE_SUPERVISE_H_
