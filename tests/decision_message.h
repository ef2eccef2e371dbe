// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0
//
// DecisionMessage: a RouteResult turned into a RoutingDecision by setting
// the message's fields one by one — how Router::ToProto worked before
// decisions were serialized straight from the result. Tests compare
// Router::AppendDecision's bytes with this message's SerializeAsString, so
// that the wire bytes of every decision stay what they were.

#ifndef JICENG_TESTS_DECISION_MESSAGE_H_
#define JICENG_TESTS_DECISION_MESSAGE_H_

#include "jiceng/v1/routing.pb.h"
#include "src/engine/engine.h"
#include "src/routing/router.h"

namespace jiceng {

// Fills *out (cleared first) from Route's result `r` for `c`.
void DecisionMessage(const Engine& engine, const v1::Case& c,
                     const RouteResult& r, const v1::RouteOptions& options,
                     v1::RoutingDecision* out);

}  // namespace jiceng

#endif  // JICENG_TESTS_DECISION_MESSAGE_H_
