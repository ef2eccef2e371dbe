// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0
//
// Internal header: not installed, not part of the stable API.
//
// The routing policy (jiceng.v1.RoutingPolicy, Dataset field 9): its
// validation rules. A zero field means the default, which the Router
// applies when it is constructed:
//
//   defaults.sign_for    1 working day     defaults.feedback  1 working day
//   defaults.revisit     3 working days    whistle_report_in  2 working hours
//   defaults.handle and the per-kind handle limits: consult 2, help 5,
//     complaint/report/suggestion 13 working days (hotline matters without a
//     kind 13, city-management events 5)
//   major_urgency        4 (emergency)
//   urgent_percent 100, very_urgent_percent 50, emergency_percent 25
//
// Validation keeps the router's arithmetic exact: every limit has a known
// unit and at most ten years of it (MaxDurationAmount), and every share is
// a percentage, so a deadline is never computed from an unknown unit and
// amount * percent cannot overflow.
//
// Example:
//   ProblemList problems;
//   ValidateRoutingPolicy(dataset.routing_policy(), &problems);
//   // urgent_percent: 150 gives routing_policy.percent on urgent_percent.
//
// Thread safety: pure functions.

#ifndef JICENG_SRC_ROUTING_ROUTING_POLICY_H_
#define JICENG_SRC_ROUTING_ROUTING_POLICY_H_

#include "jiceng/v1/routing.pb.h"
#include "src/dataset/problems.h"

namespace jiceng {

// Appends every problem of `policy` to `*problems` (element kind
// "routing_policy", element code empty, field the proto path such as
// "defaults.handle"). Rules, all errors:
//
//   routing_policy.duration    a limit (defaults.*, *_handle,
//                              whistle_report_in) with an amount but no
//                              unit, an unknown unit, a unit with an amount
//                              <= 0, or more than ten years of its unit.
//   routing_policy.percent     urgent_percent, very_urgent_percent or
//                              emergency_percent outside 0..100 (0: the
//                              default); above 100 would give an urgent case
//                              more time than a normal one.
//   routing_policy.percent_order  with defaults applied, a more urgent level
//                              keeps a larger share than the next less
//                              urgent one in range (reported on the more
//                              urgent field).
//   routing_policy.major_urgency  major_urgency outside 0..4 (0: the
//                              default 4; case urgencies are 1..4).
void ValidateRoutingPolicy(const v1::RoutingPolicy& policy,
                           ProblemList* problems);

}  // namespace jiceng

#endif  // JICENG_SRC_ROUTING_ROUTING_POLICY_H_
