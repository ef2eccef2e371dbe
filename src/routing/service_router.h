// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0
//
// Internal header: not installed, not part of the stable API.
//
// RouteService: where a government-service application (政务服务) is
// accepted, who approves it, by when, and whether the chosen centre may
// take it — "village proxies, township accepts, county approves"
// (村代办、乡受理、县审批), one window (一窗受理), handled anywhere within the
// item's scope (通办).
//
//   accepting   the chosen service centre when the item's scope allows it
//               there; else the service centre at the item's accepting
//               level (township by default) of the applicant's region
//               (the applicant's own region when it lies above that
//               level), falling back to that level's government, and
//               where it has neither, to the nearest region above that
//               has one (a village without a service station: the
//               township accepts).
//   approving   an item delegated to the applicant's township (in force on
//               the request's day): the township government. Else the
//               item's department at its approving level (county by
//               default; its government when the item names no department)
//               or the nearest ancestor having one. A township-approved
//               item: the township government, or, for an item a
//               department leads (配合, 收回), that department's unit in the
//               township, else the department at the county or above.
//   proxy       with village_proxy: the village's service centre, else its
//               committee.
//   deadlines   immediate (即办): due at once in working time, else when
//               the windows next open; else the promised and the statutory
//               limits, in their units on the calendar (TimeUnit: working
//               days or hours, a statute's calendar days to a working
//               day's close, elapsed hours); an item with no promise is
//               promised its statutory limit (the trace says so).
//   scope       a centre accepts any item of its own township (its
//               villages' stations included) and any item of the regions
//               under it (the county's or the city's centre:
//               they govern the applicant), and otherwise by the item's
//               scope: COUNTY (全区通办), CITY, PROVINCE. A refusal names
//               the centre and the scope.
//
// "County" is the county-level region of Hierarchy::county_of throughout:
// where a city has no county level (东莞, 中山) the city plays its part, for
// the accepting and approving levels and for the scope.
//
// The decision is computed as a ServiceResult (ids and times, no strings)
// and written out from it: as wire bytes by AppendServiceDecision (the C
// ABI's path: no message is built, and nothing is allocated once the
// output buffer is large enough), or as a message.
//
// Example:
//   JC_ASSIGN_OR_RETURN(v1::ServiceDecision d, RouteService(engine, request));
//
//   ServiceResult r;  // reused
//   JC_RETURN_IF_ERROR(RouteService(engine, request, &r));
//   WireWriter w(&bytes);
//   AppendServiceDecision(engine, request, r, &w);
//
// Thread safety: pure functions of an immutable engine.

#ifndef JICENG_SRC_ROUTING_SERVICE_ROUTER_H_
#define JICENG_SRC_ROUTING_SERVICE_ROUTER_H_

#include <cstdint>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "jiceng/v1/routing.pb.h"
#include "src/engine/engine.h"
#include "src/routing/wire.h"

namespace jiceng {

// What RouteService decides, by id. The trace it is written with follows
// from it: the item, the applicant's region, then a step for each unit
// found (accepting; the delegation in force or ended, then approving;
// proxy) and one for the promised deadline.
struct ServiceResult {
  ItemId item = kNoIndex;
  RegionId applicant = kNoRegion;
  // kNoUnit where none is found.
  UnitId accepting = kNoUnit;
  UnitId approving = kNoUnit;
  UnitId proxy = kNoUnit;
  // The region at the accepting level when it has no service centre or
  // government and `accepting` is the nearest one above (or, with no
  // `accepting`, when none above has one either); else kNoRegion.
  RegionId accepting_above = kNoRegion;
  // The region at the approving level when it has no approving unit of the
  // kind looked for (approver_type): `approving` is then the nearest
  // above, or kNoUnit when there is none at all (a gap in the dataset,
  // which the trace names). Else kNoRegion.
  RegionId approving_wanted = kNoRegion;
  // The department type that approves, or -1: a government.
  int approver_type = -1;
  // The delegation of the item to the applicant's township in force on the
  // request's day (the township approves), else kNoIndex; and when none
  // is, the first that ended on or before it, else kNoIndex.
  DelegationIndex delegation = kNoIndex;
  DelegationIndex delegation_ended = kNoIndex;
  // False when the chosen centre (refused_by) may not accept the item:
  // `scope` then says where it may be handled (a static string).
  bool accepted_here = true;
  UnitId refused_by = kNoUnit;
  absl::string_view scope;
  bool immediate = false;
  bool courier_delivery = false;
  // 0 when not set.
  int64_t promised_due_at = 0;
  int64_t statutory_due_at = 0;
  // Unset (TIME_UNIT_UNSPECIFIED) when the item gives none.
  CompiledDuration promised_limit;
  CompiledDuration statutory_limit;
};

// INVALID_ARGUMENT naming the field and value: an unknown item or one not on
// the government-service list or not in force at requested_at, an unknown
// applicant region or one above township level, an unknown unit or one that
// is not a service centre, a requested_at that is not a real time;
// OUT_OF_RANGE naming the date when a deadline leaves the calendar. A
// centre outside the item's scope is not an error: accepted_here is false
// and `refusal` says why. Allocates nothing unless it fails.
absl::Status RouteService(const Engine& engine,
                          const v1::ServiceRequest& request,
                          ServiceResult* out);

// Appends the decision's wire bytes: what SerializeToString gives for the
// message RouteService(engine, request) returns. Allocates only when the
// writer's buffer grows. REQUIRES: `r` is RouteService's result for
// `request` on `engine`.
void AppendServiceDecision(const Engine& engine,
                           const v1::ServiceRequest& request,
                           const ServiceResult& r, WireWriter* w);

// RouteService, then the decision as a message.
absl::StatusOr<v1::ServiceDecision> RouteService(
    const Engine& engine, const v1::ServiceRequest& request);

}  // namespace jiceng

#endif  // JICENG_SRC_ROUTING_SERVICE_ROUTER_H_
