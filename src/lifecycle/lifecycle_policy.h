// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0
//
// Internal header: not installed, not part of the stable API.
//
// The lifecycle policy (jiceng.v1.LifecyclePolicy, Dataset field 10): its
// validation rules and its defaults. A zero field means the default:
//
//   return_window        1 working day     max_returns     2
//   max_extensions       1                 max_extension   10 working days
//   reopen_window        5 working days    max_reopens     1
//   yellow_percent       80                urge_interval   1 working day
//   escalation_interval  1 working day     co_handler_limit 5 working days
//   max_park             60 working days
//   return_reasons       NOT_OUR_DUTY, WRONG_LOCATION, DUPLICATE,
//                        INSUFFICIENT_INFO, OUTSIDE_JURISDICTION
//
// Example:
//   ProblemList problems;
//   ValidateLifecyclePolicy(dataset.lifecycle_policy(), &problems);
//   v1::LifecyclePolicy p = ResolveLifecyclePolicy(dataset.lifecycle_policy());
//   // p.max_returns() == 2 when the dataset left it 0.
//
// Thread safety: pure functions.

#ifndef JICENG_SRC_LIFECYCLE_LIFECYCLE_POLICY_H_
#define JICENG_SRC_LIFECYCLE_LIFECYCLE_POLICY_H_

#include "jiceng/v1/lifecycle.pb.h"
#include "src/dataset/problems.h"

namespace jiceng {

// Appends every problem of `policy` to `*problems` (element kind
// "lifecycle_policy"; element code the return reason's code for
// return_reasons[i], else empty; field the proto path). Rules, all errors:
//
//   lifecycle_policy.duration  a duration with an amount but no (or an
//                              unknown) unit, a unit with an amount <= 0, or
//                              more than ten years of its unit.
//   lifecycle_policy.percent   yellow_percent outside 0..100 (0: default).
//   lifecycle_policy.limit     a negative max_returns, max_extensions or
//                              max_reopens, or one above 100.
//   lifecycle_policy.reason    a return reason whose code is not
//                              UPPER_SNAKE ASCII of 1..32 characters, or
//                              without a name.
//   lifecycle_policy.duplicate_reason  a return reason code listed twice
//                              (reported on the second).
void ValidateLifecyclePolicy(const v1::LifecyclePolicy& policy,
                             ProblemList* problems);

// `policy` with every zero field replaced by its default (see above).
// REQUIRES (for a meaningful result): ValidateLifecyclePolicy reported no
// error.
v1::LifecyclePolicy ResolveLifecyclePolicy(const v1::LifecyclePolicy& policy);

}  // namespace jiceng

#endif  // JICENG_SRC_LIFECYCLE_LIFECYCLE_POLICY_H_
