// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0
//
// Internal header: not installed, not part of the stable API.
//
// The sample lifecycle script: drives the sample cases (sample_cases.h)
// through plausible lives with Apply, deterministically. The plan of a
// case depends on its position in the stream (20 plans in turn):
// completed and evaluated with varied satisfaction; returned and re-routed;
// returned twice and arbitrated; extended; parked and resumed; parked and
// left parked; left open and overdue; reworked after a failed check;
// whistled with one department late to report in; withdrawn; cancelled;
// merged into the next case; reopened after a dissatisfied revisit and
// closed again; urged and handled late. Closed cases with a co-handler get
// a township rating of that department.
//
// A step that is refused (e.g. a deadline past the end of the calendar)
// ends that case's script where it stands; cases the loop cannot receive
// (the malformed sample cases) give no record.
//
// Example:
//   SampleLifecycleResult result = RunSampleLifecycles(*engine);
//   // result.records: one per received case (merged duplicates included).

#ifndef JICENG_SRC_SAMPLE_SAMPLE_LIFECYCLE_H_
#define JICENG_SRC_SAMPLE_SAMPLE_LIFECYCLE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "jiceng/v1/lifecycle.pb.h"
#include "src/engine/engine.h"

namespace jiceng {

// An action the loop refused, and why.
struct SampleRefusal {
  std::string case_id;
  std::string action;  // the Action's kind: "sign_for", "extend", ...
  int64_t at = 0;      // unix seconds
  absl::Status status;
};

struct SampleLifecycleResult {
  std::vector<v1::CaseRecord> records;
  int64_t actions_applied = 0;
  int64_t actions_refused = 0;
  std::vector<SampleRefusal> refusals;  // in the order refused
  // The time of the last action: "now" for the still-open cases.
  int64_t end_time = 0;
};

// Deterministic: the same engine gives the same records, byte for byte.
SampleLifecycleResult RunSampleLifecycles(const Engine& engine);

}  // namespace jiceng

#endif  // JICENG_SRC_SAMPLE_SAMPLE_LIFECYCLE_H_
