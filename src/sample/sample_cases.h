// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0
//
// Internal header: not installed, not part of the stable API.
//
// The sample case stream: a deterministic script of cases derived from a
// compiled engine's catalogue, so that every rule and scenario is exercised
// and the demo shows every outcome and tier. For each rule in force it
// makes a case that the rule matches (a location in its scope, attributes
// satisfying its predicates, a request kind and urgency it accepts) on an
// ordinary Monday morning and on a Friday afternoon before a weekend or a
// holiday; for each delegated item a case the day before and the day its
// delegation takes effect; plus cross-township cases, emergencies, cases no
// rule maps, known disputes, and two malformed cases (unknown matter,
// unknown location) that show per-case errors.
//
// Example:
//   std::vector<v1::Case> cases = SampleCases(*engine);

#ifndef JICENG_SRC_SAMPLE_SAMPLE_CASES_H_
#define JICENG_SRC_SAMPLE_SAMPLE_CASES_H_

#include <vector>

#include "jiceng/v1/routing.pb.h"
#include "src/engine/engine.h"

namespace jiceng {

// Deterministic: the same engine gives the same cases, in the same order.
std::vector<v1::Case> SampleCases(const Engine& engine);

}  // namespace jiceng

#endif  // JICENG_SRC_SAMPLE_SAMPLE_CASES_H_
