// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0
//
// Internal header: not installed, not part of the stable API.
//
// AnalyzeCatalogue: what a reform office (编办) checks before publishing its
// lists, as a pure function of the compiled catalogue and a date. Findings
// (see analysis.proto for the kinds):
//
//   GAP (warning; error where the township has no command room to take
//     unmapped cases): a matter × township with days, from the date on,
//     when no rule in force reaches it (by region scope and township
//     class): the first such range is named ("from 2026-08-03 to
//     2026-08-31", "from 2027-01-01 on"; "no rule reaches" when it is every
//     day from the date on). Aggregated per matter and range. Rules that
//     test the case (urgency, request kind, the location's urban-rural
//     class, attributes) cover only the cases they admit, judged for cases
//     without attributes (a rule needing an attribute covers none): the
//     cases no rule takes are named ("for cases of urgency 1 or 2", "no
//     rule takes cases of request kind none, HELP or SUGGESTION"), in the
//     townships where such cases can arise (the urban-rural classes of
//     their regions, "none" for the township itself or a region without
//     one).
//   OVERLAP (error): two rules of a matter, both in force on some day from
//     the date on, at equal precedence, whose predicates can hold for one
//     case — found by intersecting their predicates (regions nested, class
//     and kind sets meeting, urgency ranges meeting, attribute tests
//     compatible), not by sampling. Routing would answer AMBIGUOUS. A
//     warning instead when both rules cite the same known dispute (职责争议,
//     DispatchRule.dispute).
//   TWO_LEADS (error): two rules of a matter citing one item, both in
//     force on some day from the date on, whose predicates can hold for
//     one case (OVERLAP's test, at any precedence), whose leads are
//     different bodies (two departments — a department's county unit,
//     dispatched units and named units count as one —, a department and the
//     township or a village, the township and a village; coordinating
//     centres taking a case up aside; a department's lead counts as the
//     township's in the townships and on the days the item is delegated
//     to them, so a department and a township unit are two leads only
//     where a township both reach lacks the delegation on a day both are
//     in force), a warning when both cite the same known dispute; and a
//     rule
//     whose lead contradicts the lead its item names: a cooperating (配合)
//     item led by another than its named lead department; a basic township
//     item led by a department (a county department, a dispatched unit, or
//     a named unit that is either); a county item of department type T led
//     by a department of another type. The pairs are compared within their
//     own work limit of kMaxOverlapWork steps, the pairs left counted in
//     overlap_pairs_not_examined.
//   UNRESOLVED_ROLE (error): a lead, co-handler or supervisor that resolves
//     to no unit in a township (or village) the rule reaches. Aggregated per
//     rule and role.
//   DELEGATION_WITHOUT_TEAM (error): a delegation in force (now or later) in
//     own-name mode to a township without an enforcement team, or in joint
//     mode to one with neither a joint-enforcement centre nor a team.
//   EXPIRED (warning): a rule, scenario or delegation whose window ended on
//     or before the date.
//   DANGLING_REFERENCE (warning): a rule or delegation in force (now or
//     later) citing an item not yet in force on its first day in force from
//     the date on (saying so when the item starts only after the entry
//     ends).
//   RETIRED_CODE_IN_USE (error): a rule or delegation in force (now or
//     later) citing an item retired by its first day in force from the date
//     on, or a code listed as retired.
//   COOPERATING_WITHOUT_LEAD (error): a cooperating item whose lead
//     department type has no department serving some county.
//   DELEGATION_REACHES_NO_TOWNSHIP (error): a delegation in force (now or
//     later) whose scope reaches no township: the power stays with the
//     department everywhere.
//   STATUTORY_PUSHED_DOWN (error): a department's own statutory matter
//     (DOMAIN §3: it must not be pushed down) led by the grassroots — a
//     rule in force (now or later) whose lead is the township government,
//     command room or enforcement, a village committee, grid workers, or a
//     named unit of a township or village other than a department or its
//     dispatched unit — or delegated to townships by a delegation in force
//     (now or later).
//   POWER_PUSHED_DOWN (error): a department's power (an item exercised at
//     the county level or above with an administrative power kind, or on
//     the power or enforcement list with a department type) or an item its
//     department reclaimed (收回), not a statutory matter (that is
//     STATUTORY_PUSHED_DOWN), led by the grassroots where the grassroots do
//     not hold it: a rule in force (now or later) whose lead is a township
//     role (as for STATUTORY_PUSHED_DOWN) in townships it reaches where, on
//     some day it applies from the date on, no delegation of the item to
//     them is in force; whose lead is below the township (a village
//     committee, grid workers, a named unit of a village or grid: no
//     delegation reaches there); or citing a reclaimed item, whatever the
//     delegations. And a delegation in force (now or later) of a reclaimed
//     item. A rule naming the department is left to routing, which applies
//     the delegation (router.h, step 3).
//
// "In force" for a rule means its window cut to its item's
// (CompiledRule::in_force, derived once by the catalogue): the window
// routing matches cases against, so that the analysis reports the gaps and
// overlaps routing meets, no more and no fewer. EXPIRED, DANGLING_REFERENCE
// and RETIRED_CODE_IN_USE look at the rule's own window instead: they
// report what the list says.
//
// Findings are ordered by kind, then by their first code: the report is
// byte-identical for the same catalogue and date.
//
// Cost, for R rules, T townships, M matters: GAP is O(M + R) where a
// matter's rules all reach every township, O((R_m + T) log T) for a
// matter with R_m rules of which some are scoped; UNRESOLVED_ROLE is
// O(log T) per rule and role, plus T role resolutions once per distinct
// (role kind, department type) that depends on the township (named units
// and grid workers do not). OVERLAP compares the rules of a matter at
// equal precedence pairwise — quadratic in the size of such a group, with
// each rule's attribute constraints built once — within a work limit of
// kMaxOverlapWork steps (a pair, an attribute or a set value compared
// each) for the whole analysis: the pairs left are counted in
// overlap_pairs_not_examined, not examined. At most kMaxRecordedFindings
// findings are recorded (the first found, by kind); later ones are only
// counted (findings_not_recorded, counts, error_count, warning_count).
//
// Example:
//   v1::CatalogueAnalysis a = AnalyzeCatalogue(engine.catalogue(), today);
//   if (a.error_count() > 0) ...

#ifndef JICENG_SRC_CATALOGUE_ANALYSIS_H_
#define JICENG_SRC_CATALOGUE_ANALYSIS_H_

#include <cstddef>
#include <cstdint>
#include <string>

#include "jiceng/v1/analysis.pb.h"
#include "src/catalogue/catalogue.h"

namespace jiceng {

// At most this many region codes are listed in one finding; region_count
// holds the total.
inline constexpr int kMaxRegionsPerFinding = 20;

// At most this many findings are recorded; later ones are only counted
// (CatalogueAnalysis.findings_not_recorded), as ProblemList::kMaxRecorded.
inline constexpr size_t kMaxRecordedFindings = 10000;

// The most steps the overlap check takes in one analysis (about a second
// of work); the pairs of rules left are counted in
// CatalogueAnalysis.overlap_pairs_not_examined.
inline constexpr int64_t kMaxOverlapWork = int64_t{1} << 26;

v1::CatalogueAnalysis AnalyzeCatalogue(const Catalogue& catalogue,
                                       int32_t as_of_day);

// Whether two rules' predicates can hold for one case, and their windows
// in force (CompiledRule::in_force, as routing matches) meet on or after
// `from_day`. Exposed for tests.
bool RulesCanOverlap(const Catalogue& catalogue, const CompiledRule& a,
                     const CompiledRule& b, int32_t from_day);

// A readable multi-line rendering of the analysis.
std::string FormatAnalysis(const v1::CatalogueAnalysis& analysis);

}  // namespace jiceng

#endif  // JICENG_SRC_CATALOGUE_ANALYSIS_H_
