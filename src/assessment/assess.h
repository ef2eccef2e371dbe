// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0
//
// Internal header: not installed, not part of the stable API.
//
// Assess: 考核评价 (DOMAIN.md §6) of a set of case records over a period —
// per unit, per region rolled up the hierarchy, and in total: received,
// registered, dispatched, closed; the response 响应率, closure 办结率,
// resolution 解决率, satisfaction 满意率, on-time 按期办结率, return 退单率
// and rework 返工率 rates; extension and park counts; overdue open cases; the
// share of closed cases resolved at grid / village / township / county tier
// (小问题不出社区); townships' reverse evaluation 反向考评 of departments; and
// a weighted score per level (ScoreWeights in proto/jiceng/v1/assessment.proto
// says how).
//
// Attribution (Figures in assessment.proto says what each figure counts):
//   - the total and a region (the records whose case location lies in its
//     subtree) judge each case as a whole: its last sign-for clock for the
//     response, every handle clock it ran for on-time — a case one lead
//     let run late stays late whoever closed it;
//   - a unit is judged on its own handling, lead spell by lead spell. A
//     spell starts with a dispatch or reassignment naming it (a history
//     entry "dispatch" / "reassign") and the sign-for and handle clocks it
//     started at that instant. The unit counts:
//       . the records it leads now (the decision's lead): every figure, but
//         on-time judged on the handle clocks started since lead_since, and
//         a record it holds RETURNED (a centre, waiting to re-dispatch) is
//         no dispatch to it and no response of its;
//       . each earlier spell of its — it returned the case, or the centre
//         reassigned it away — as a dispatch (dispatched), whose response is
//         judged on that spell's sign-for clock: a return answers it, in
//         time or late (the return window can outlast the sign-for limit);
//         a reassignment after its due time finds it failed, before it
//         leaves it undue (awaiting_response);
//       . the cases it returned (returned), co-handled (co_handled) and the
//         ratings it received. A return the history does not show (a
//         record without one) is a dispatch whose response is not judged;
//   - a grid lead (HANDLER_KIND_GRID) counts in the regions only.
// Hence a unit's figures do not add up to the total's: several units may
// have had one case dispatched to them.
// Unknown codes are counted and listed, never refused (see AssessRequest).
//
// Cost: one pass over the records with dense arrays indexed by region and
// unit id (no string-keyed maps but the engine's code -> id lookups), one
// iterative bottom-up pass over the regions (pre-order ids: a parent's id is
// below its children's), then the report. Linear in records + regions +
// units. About 1 us of CPU a record (1 Mi records of a generated
// province, 470 k regions listed: 1.0 s, bench/assess_benchmark.cc), most
// of it cache misses into the records' sub-messages.
//
// Example:
//   v1::AssessRequest request;
//   *request.add_records() = record;          // from Apply
//   request.set_period_start(1772294400);     // 2026-03-01 00:00 +08:00
//   request.set_period_end(1775059200);       // 2026-04-01
//   JC_ASSIGN_OR_RETURN(v1::AssessmentReport report,
//                       Assess(*engine, request));
//   report.total().satisfaction_rate();       // e.g. 97.5
//   // period_end before period_start: INVALID_ARGUMENT
//   //   "period_end: 1772294399 is not after period_start 1772294400"
//
// Thread safety: a pure function of an immutable engine and the request.

#ifndef JICENG_SRC_ASSESSMENT_ASSESS_H_
#define JICENG_SRC_ASSESSMENT_ASSESS_H_

#include <memory>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "jiceng/v1/assessment.pb.h"
#include "src/engine/engine.h"

namespace jiceng {

// 100 * part / base rounded to 2 decimals half away from zero, 0 for no
// base: how every rate and share of a report is computed, for whoever
// shows another share beside them (html_report.cc).
double RatePercent(int64_t part, int64_t base);

// The figures of request.records(). INVALID_ARGUMENT naming the field when
// the period is negative or empty (period_end set and not after
// period_start), as_of or overdue_units_limit is negative,
// deepest_region_level is not a level, the override weights break a
// score_weights.* rule, a record's rating score is outside 0..100
// ("records[3] (case C-17) ratings[0].score: 140 ..."), or an instant of a
// record that Assess reads — received_at, registered_at, dispatched_at,
// closed_at, evaluated_at, parked_at, its clocks' started_at, due_at and
// done_at, its decision's deadlines' due_at, its last history entry's at —
// is negative or after 9999-12-31T23:59:59Z, routing's bound for a case's
// reported_at ("records[3] (case C-17) clocks[1].due_at: -5 is not a time
// from 1970 to 9999 ..."); every record is checked, in the period or not.
// The settings are checked first, then each record in order (its enums,
// that its case is not an earlier record's, its instants, its ratings):
// the first problem found is the one reported.
absl::StatusOr<v1::AssessmentReport> Assess(const Engine& engine,
                                            const v1::AssessRequest& request);

// Assess a record at a time: the report Assess gives for `settings` with
// these records, without holding them all as messages — `jiceng assess`
// reads a record store so, in about the file's size instead of ~7 times
// it. Add takes the records in order and reports the problem Assess would
// for that record ("records[3] (case C-17) ..."); after a problem, Add
// and Finish repeat it.
//
// Example:
//   JC_ASSIGN_OR_RETURN(AssessmentStream stream,
//                       AssessmentStream::Start(*engine, settings));
//   for (const v1::CaseRecord& r : records) JC_RETURN_IF_ERROR(stream.Add(r));
//   JC_ASSIGN_OR_RETURN(v1::AssessmentReport report,
//                       std::move(stream).Finish());
//
// Thread safety: one stream per thread; the engine may be shared.
class AssessmentStream {
 public:
  // INVALID_ARGUMENT as Assess for the settings (period, as_of, limits,
  // weights); settings.records must be empty ("records: ... give them to
  // Add"). The engine must outlive the stream.
  static absl::StatusOr<AssessmentStream> Start(
      const Engine& engine, const v1::AssessRequest& settings);

  AssessmentStream(AssessmentStream&&) noexcept;
  AssessmentStream& operator=(AssessmentStream&&) noexcept;
  ~AssessmentStream();

  // The next record (records[0], records[1], ...).
  absl::Status Add(const v1::CaseRecord& record);

  // The report of the records added.
  absl::StatusOr<v1::AssessmentReport> Finish() &&;

 private:
  struct State;
  explicit AssessmentStream(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

}  // namespace jiceng

#endif  // JICENG_SRC_ASSESSMENT_ASSESS_H_
