// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0
//
// Internal header: not installed, not part of the stable API.
//
// ValidateCatalogue: the boundary checks of the responsibility catalogue,
// called by ValidateDataset after regions and units. Like the rest of
// validation it reports every problem (rule id, element kind and code,
// field) and never recurses.
//
// Rules (severity error unless marked warning):
//   attribute.malformed_key, attribute.duplicate_key, attribute.missing_type,
//   attribute.allowed_values   allowed_values on a non-string attribute.
//   item.malformed_code, item.duplicate_code, item.missing_name,
//   item.missing_list_type
//   item.power_kind            a power or enforcement item without a power
//                              kind.
//   item.power_at_village      an administrative power exercised at village
//                              level (field list_type: a power or
//                              enforcement item; else power_kind: 01
//                              licensing … 10 other power). Powers are
//                              county departments', delegable to townships
//                              only; a village/community holds village
//                              duties, assistance items and its own
//                              self-governance lists (public services 11 and
//                              review-and-forward 12 are not powers).
//   item.village_duty_level    a village/community duty (村社履职) given
//                              another level than the village's (no level
//                              reads as the village's).
//   item.village_duty_of_department  a village/community duty naming a
//                              department_type.
//   item.unknown_department_type  department_type or lead_department_type.
//   item.cooperating_without_lead a cooperating item naming no lead.
//   item.retired_code_reused   a live item uses a code listed as retired.
//   item.malformed_date, item.window (retired_date not after
//   effective_date), item.limits (a duration without unit, non-positive,
//   or longer than 10 years), item.enum (an undefined exercising_level,
//   township_role or service.scope value).
//   item.service_limit         service.statutory_limit or promised_limit
//                              malformed, as item.limits.
//   item.service_level         service.accepting_level not a level whose
//                              service centre or government can accept
//                              (province … village), or approving_level not
//                              one whose departments or government approve
//                              (province … township); 0 means the default
//                              (township accepts, county approves).
//   item.promised_limit        the promised limit is surely longer than the
//                              statutory one: compared exactly within one
//                              clock (working or calendar time; working
//                              days count the calendar's working minutes),
//                              and a promise in working time against a
//                              statute in calendar time (a working minute
//                              takes at least a minute). A statute in
//                              working time against a promise in calendar
//                              time is not compared (holidays have no bound).
//   item.promised_share        (warning) within one clock, the promised limit
//                              is above 40% of the statutory one (the norm:
//                              promised in ≤ 40% of the statutory time).
//   item.service_unused        (warning) service terms on an item that is not
//                              on the government-service list: RouteService
//                              refuses such items, so the terms are never
//                              used.
//   retired_code.malformed_code
//   safety_floor.malformed_code, safety_floor.duplicate_code,
//   safety_floor.missing_area, safety_floor.unknown_item,
//   safety_floor.duty          a duty without level or text, or with an
//                              unknown department type.
//   matter.malformed_code      component/event codes are 5 digits (2 major
//                              + 3 minor, GB/T 47678.5); hotline codes are
//                              identifiers.
//   matter.duplicate_code, matter.missing_name, matter.missing_category,
//   matter.limits
//   delegation.malformed_id, delegation.duplicate_id,
//   delegation.unknown_item, delegation.unknown_department_type,
//   delegation.department_mismatch  from_department_type is not the item's.
//   delegation.missing_effective_date  a delegation without the date it
//                              takes effect (it would count as in force
//                              since ever).
//   delegation.missing_mode, delegation.scope (empty, unknown or
//   non-township codes), delegation.malformed_date, delegation.window
//   (end or reclaim not after the start, reclaim after the end)
//   delegation.overlap         the same item delegated to the same township
//                              by two delegations whose windows overlap
//                              (one error per township reached; judged only
//                              when both windows are well formed).
//   delegation.reclaimed_item  (warning) delegating an item whose township
//                              role is "reclaimed".
//   delegation.statutory_item  (warning) delegating a department's own
//                              statutory matter (statutory_department_matter),
//                              which must not be pushed down; the analysis
//                              reports it as an error (STATUTORY_PUSHED_DOWN).
//   delegation.no_township     (warning, field "scope") a well-formed scope
//                              that reaches no township of the dataset (a
//                              class within a region that has no township of
//                              that class, a region below township level):
//                              the delegation empowers nobody. Judged when
//                              the regions validated cleanly.
//   rule.* / scenario.*        malformed_id, duplicate_id (rules and
//                              scenarios share one id space), unknown_matter,
//                              unknown_item, malformed_date, window,
//                              missing_lead;
//   rule.* only                unknown_region, urgency (negative or
//                              min > max), limits, class (an UNSPECIFIED or
//                              undefined entry in township_classes,
//                              urban_rural_classes or request_kinds), field
//                              (scenario_code set by hand);
//   scenario.missing_name;
//   *.role                     a role without kind, a department role with
//                              a missing or unknown department type, a
//                              named-unit role with an unknown unit, or a
//                              field that does not apply to the kind;
//   *.predicate                an unknown attribute key, a test of the wrong
//                              type (a range on a string), a value outside
//                              allowed_values, an empty set, min > max, or
//                              no test at all.
//   abolished_duty.malformed_code, abolished_duty.duplicate_code,
//   abolished_duty.missing_name,
//   abolished_duty.no_keywords (warning)

#ifndef JICENG_SRC_CATALOGUE_VALIDATE_CATALOGUE_H_
#define JICENG_SRC_CATALOGUE_VALIDATE_CATALOGUE_H_

#include "absl/container/flat_hash_set.h"
#include "absl/functional/function_ref.h"
#include "absl/strings/string_view.h"
#include "jiceng/v1/dataset.pb.h"
#include "src/dataset/problems.h"
#include "src/hierarchy/hierarchy.h"

namespace jiceng {

struct CatalogueContext {
  // The level of the region with this code, REGION_LEVEL_UNSPECIFIED when
  // there is none.
  absl::FunctionRef<v1::RegionLevel(absl::string_view)> region_level;
  const absl::flat_hash_set<std::string>* department_types;
  const absl::flat_hash_set<std::string>* unit_codes;
  // The compiled hierarchy when regions validated cleanly, else nullptr;
  // checks that need township sets (delegation.overlap) are skipped then.
  const Hierarchy* hierarchy;
  // The calendar's working minutes per working day when it validated
  // cleanly, else 0; comparisons of working hours with working days
  // (item.promised_limit, item.promised_share) are skipped then.
  int working_minutes_per_day = 0;
};

void ValidateCatalogue(const v1::Dataset& dataset,
                       const CatalogueContext& context, ProblemList* problems);

// Shared with the compiler: the townships a delegation's scope reaches, in
// id order. REQUIRES: a validated scope.
std::vector<RegionId> ScopeTownships(const v1::DelegationScope& scope,
                                     const Hierarchy& hierarchy);

// Parses an optional "YYYY-MM-DD": an empty string gives `if_empty`.
// Returns false for a malformed date.
bool ParseOptionalDate(absl::string_view text, int32_t if_empty, int32_t* day);

// The largest amount a dataset may give a duration in `unit`: ten years of
// it (anything longer is a typo, and the bound keeps deadline arithmetic far
// from overflow); 0 for an unspecified or unknown unit. Catalogue limits and
// the lifecycle policy's durations share it.
int64_t MaxDurationAmount(v1::TimeUnit unit);

// The one check of a dataset's Duration, shared by the catalogue's limits
// and service terms and by the lifecycle and routing policies: an unset
// duration (amount 0, no unit) passes; any other needs a known unit and an
// amount in 1..MaxDurationAmount(unit). One error under `rule` otherwise,
// naming the element and `field` (the Duration's path).
void CheckDuration(const v1::Duration& duration, absl::string_view rule,
                   absl::string_view element_kind,
                   absl::string_view element_code, absl::string_view field,
                   ProblemList* problems);

}  // namespace jiceng

#endif  // JICENG_SRC_CATALOGUE_VALIDATE_CATALOGUE_H_
