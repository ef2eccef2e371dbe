// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0
//
// Internal header: not installed, not part of the stable API.
//
// Readable renderings of routing decisions, for the CLI and the demo.

#ifndef JICENG_SRC_ROUTING_FORMAT_H_
#define JICENG_SRC_ROUTING_FORMAT_H_

#include <string>

#include "jiceng/v1/routing.pb.h"
#include "src/engine/engine.h"

namespace jiceng {

// "2026-03-02 09:00" in the calendar's local time.
std::string LocalTime(const Engine& engine, int64_t unix_seconds);

// A few lines: the case, the outcome and lead, co-handlers, supervisor,
// deadlines, escalation, whistle, and the trace's text when present.
std::string FormatDecision(const Engine& engine, const v1::Case& c,
                           const v1::RoutingDecision& d);

}  // namespace jiceng

#endif  // JICENG_SRC_ROUTING_FORMAT_H_
