// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0
//
// Internal header: not installed, not part of the stable API.
//
// ValidateDataset: the one boundary check. It reports every problem of a
// dataset (never stopping at the first), each with a stable rule id, the
// element kind and code, and the field. Algorithms after it assume a valid
// dataset. It never recurses over user data: a 10^6-deep parent chain or
// 10^6 children under one node cost linear time and constant stack.
//
// Rules (severity error unless marked warning):
//   meta.*                     id missing; effective_date not YYYY-MM-DD,
//                              or outside the work calendar's years.
//   region.too_many            more than kMaxRegions regions.
//   region.malformed_code      code not 3–18 digits without a leading zero,
//                              or of the wrong length for its level (12 for
//                              province…village, 14/15 for base and
//                              dedicated grids, +2/3 digits for micro grids).
//   region.segment             a statistical segment is wrong for the level:
//                              its own segment zero, or a lower segment
//                              non-zero (e.g. a county "320116001000").
//   region.duplicate_code      two regions with one code.
//   region.missing_level       level unspecified.
//   region.missing_name        name empty.
//   region.dangling_parent     parent_code names no region.
//   region.missing_parent      a township, village or grid with no parent.
//   region.cycle               the region's parent chain loops.
//   region.level_order         the parent is not one level up (allowed
//                              exceptions: a township under a city with no
//                              county level, county digits "00"; a micro
//                              grid under a base grid).
//   region.code_prefix         the code does not extend the parent's code.
//   region.grid_parent         a base/dedicated grid not under a village.
//   region.micro_grid_parent   a micro grid not under a base grid.
//   region.grid_kind           a grid without grid_kind.
//   region.field_for_level     a level-specific field set on another level.
//   region.township_kind       township_kind contradicts the code digits.
//   region.village_kind        village_kind contradicts the code digits, or
//                              the digits are in no defined range.
//   region.grid_code_length    14- and 15-digit grids mixed in one village.
//   region.dedicated_site      a dedicated grid without dedicated_site.
//   region.staffing            (warning) a base grid below the 1+1+2+N
//                              standard; negative counts are errors.
//   department_type.*          duplicate or malformed code, missing name.
//   unit.duplicate_code, unit.malformed_code, unit.missing_name,
//   unit.missing_kind, unit.staff_count (negative)
//   unit.field_for_kind        department_type, office_type, centre_type or
//                              covered_region_codes on a kind without them.
//   unit.unknown_region        region_code names no region.
//   unit.region_level          the unit kind cannot sit at that level (a
//                              department below county, a township command
//                              room outside a township, a village committee
//                              outside a village…).
//   unit.unknown_parent        parent_unit_code names no unit.
//   unit.parent_kind           the parent is of the wrong kind (a dispatched
//                              unit whose "department" is not a department;
//                              an enforcement team or joint-enforcement
//                              centre not its government's).
//   unit.missing_parent        a dispatched unit or internal office without
//                              its department / government.
//   unit.unknown_department_type, unit.missing_department_type,
//   unit.department_type_mismatch (dispatched unit vs. its department)
//   unit.dispatched_outside    a dispatched unit (or a township it covers)
//                              outside its department's region.
//   unit.parent_region         any other unit outside its parent unit's
//                              region (a government must sit strictly below
//                              its parent government).
//   unit.covered_region        a covered region unknown or not a township.
//   unit.missing_office_type, unit.missing_centre_type
//   unit.duplicate_government  two governments (or village committees,
//                              enforcement teams, joint-enforcement centres,
//                              or command centres of one type) in one region;
//                              a township covered by a centre of a type it
//                              already has (its own or another's cover).
//   unit.duplicate_department  two departments of one type in one region.
//   unit.duplicate_dispatched  two dispatched units of one type sitting in
//                              or covering one township.
//                              (These three keep "the unit of role R at
//                              location L" unique: 责任主体唯一.)
//   unit.institution_cap       (warning) a township with more institutions
//                              (internal offices + command room) than its
//                              class allows (default 6 / 7 / 8).
//   police_grid.duplicate_code, police_grid.malformed_code,
//   police_grid.unknown_grid   a linked grid code names no grid.
//   police_grid.grid_linked_twice
//   police_grid.unknown_station
//   calendar.*                 see src/calendar/work_calendar.h.
//   the catalogue's rules      see src/catalogue/validate_catalogue.h.
//   routing_policy.*           see src/routing/routing_policy.h.
//   lifecycle_policy.*         see src/lifecycle/lifecycle_policy.h.
//   score_weights.*            see src/assessment/assessment_policy.h.
//
// Example:
//   ProblemList problems = ValidateDataset(dataset);
//   if (problems.has_errors()) return problems.ToStatus();

#ifndef JICENG_SRC_DATASET_VALIDATE_H_
#define JICENG_SRC_DATASET_VALIDATE_H_

#include "absl/types/optional.h"
#include "jiceng/v1/dataset.pb.h"
#include "src/dataset/problems.h"
#include "src/hierarchy/hierarchy.h"

namespace jiceng {

// Every problem of `dataset`. Pure; thread-safe.
ProblemList ValidateDataset(const v1::Dataset& dataset);

// The same, also handing over the hierarchy that validation builds once the
// regions and police grids check out (the catalogue's scope checks need
// it), so that compiling does not build it twice. *hierarchy is left empty
// when the regions have errors.
ProblemList ValidateDataset(const v1::Dataset& dataset,
                            absl::optional<Hierarchy>* hierarchy);

}  // namespace jiceng

#endif  // JICENG_SRC_DATASET_VALIDATE_H_
