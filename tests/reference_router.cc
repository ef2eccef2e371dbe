// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0
//
// The reference follows router.h's steps in order. Comments cite the
// documentation each choice rests on; "Docs silent:" marks a choice the
// documentation leaves open (the reference then does what router.cc does),
// "Documented:" a reading that router.cc may not share.

#include "tests/reference_router.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <regex>
#include <set>
#include <tuple>
#include <utility>

#include "absl/strings/str_cat.h"
#include "src/base/civil_date.h"
#include "src/base/status_macros.h"

namespace jiceng {
namespace {

// Instants a case may carry: after 1970-01-01 00:00:00 UTC, up to
// 9999-12-31 23:59:59 UTC ("a reported time that is not a real instant";
// Docs silent on 0 itself: rejected, as router.cc does).
constexpr int64_t kLastInstant = 253402300799;

bool IsSet(const v1::Duration& d) {
  return d.unit() != v1::TIME_UNIT_UNSPECIFIED && d.amount() > 0;
}

v1::Duration Make(int amount, v1::TimeUnit unit) {
  v1::Duration d;
  d.set_amount(amount);
  d.set_unit(unit);
  return d;
}

v1::Duration WorkingDays(int n) { return Make(n, v1::TIME_UNIT_WORKING_DAYS); }

const v1::Duration& StageOf(const v1::StageLimits& l, int stage) {
  switch (stage) {
    case 0:
      return l.sign_for();
    case 1:
      return l.handle();
    case 2:
      return l.feedback();
    default:
      return l.revisit();
  }
}

// A decimal number: the whole text, finite; digits with an optional '-',
// fraction and exponent, nothing strtod accepts beyond (spaces, '+',
// hexadecimal, inf, nan).
bool ParseNumber(const std::string& text, double* out) {
  static const std::regex kDecimal("-?[0-9]+(\\.[0-9]+)?([eE][-+]?[0-9]+)?");
  if (!std::regex_match(text, kDecimal)) return false;
  const char* begin = text.c_str();
  char* end = nullptr;
  const double x = std::strtod(begin, &end);
  if (end != begin + text.size() || !std::isfinite(x)) return false;
  *out = x;
  return true;
}

// [effective, end) of "YYYY-MM-DD" dates, empty sides open.
bool InWindow(const std::string& from, const std::string& to, int32_t day) {
  if (!from.empty() && day < *ParseIsoDate(from)) return false;
  if (!to.empty() && day >= *ParseIsoDate(to)) return false;
  return true;
}

const v1::AttributeDefinition* FindAttribute(const v1::Catalogue& cat,
                                             const std::string& key) {
  for (const v1::AttributeDefinition& a : cat.attributes()) {
    if (a.key() == key) return &a;
  }
  return nullptr;
}

const v1::CaseAttribute* CaseValue(const v1::Case& c, const std::string& key) {
  for (const v1::CaseAttribute& a : c.attributes()) {
    if (a.key() == key) return &a;
  }
  return nullptr;
}

absl::Status Bad(std::string what) {
  return absl::InvalidArgumentError(std::move(what));
}

}  // namespace

absl::StatusOr<std::unique_ptr<const ReferenceRouter>> ReferenceRouter::Create(
    const v1::Dataset& dataset) {
  absl::StatusOr<WorkCalendar> cal = WorkCalendar::Build(dataset.calendar());
  if (!cal.ok()) return cal.status();
  return std::unique_ptr<const ReferenceRouter>(
      new ReferenceRouter(dataset, std::move(*cal)));
}

ReferenceRouter::ReferenceRouter(const v1::Dataset& dataset,
                                 WorkCalendar calendar)
    : d_(dataset), calendar_(std::move(calendar)) {
  for (const v1::Region& r : d_.regions()) regions_[r.code()] = &r;
  for (const v1::Unit& u : d_.units()) units_[u.code()] = &u;
  for (const v1::Item& i : d_.catalogue().items()) items_[i.code()] = &i;
}

// ---------------------------------------------------------------------------
// Regions.

const v1::Region* ReferenceRouter::FindRegion(const std::string& code) const {
  auto it = regions_.find(code);
  return it == regions_.end() ? nullptr : it->second;
}

const v1::Region* ReferenceRouter::Parent(const v1::Region* r) const {
  return r->parent_code().empty() ? nullptr : FindRegion(r->parent_code());
}

std::vector<const v1::Region*> ReferenceRouter::SelfAndAncestors(
    const v1::Region* r) const {
  std::vector<const v1::Region*> out;
  for (; r != nullptr; r = Parent(r)) out.push_back(r);
  return out;
}

const v1::Region* ReferenceRouter::AncestorAtLevel(
    const v1::Region* r, v1::RegionLevel level) const {
  for (const v1::Region* a : SelfAndAncestors(r)) {
    if (a->level() == level) return a;
  }
  return nullptr;
}

bool ReferenceRouter::InSubtree(const v1::Region* node,
                                const std::string& root) const {
  for (const v1::Region* a : SelfAndAncestors(node)) {
    if (a->code() == root) return true;
  }
  return false;
}

const v1::Region* ReferenceRouter::CountyOf(const v1::Region* r) const {
  if (r->level() == v1::REGION_LEVEL_COUNTY) return r;
  const v1::Region* township = AncestorAtLevel(r, v1::REGION_LEVEL_TOWNSHIP);
  return township == nullptr ? nullptr : Parent(township);
}

// hierarchy.proto: UNSPECIFIED "treated as general".
v1::TownshipClass ReferenceRouter::EffectiveTownshipClass(
    const v1::Region* township) const {
  return township->township_class() == v1::TOWNSHIP_CLASS_UNSPECIFIED
             ? v1::TOWNSHIP_CLASS_GENERAL
             : township->township_class();
}

// hierarchy.proto: "grids inherit their village's class unless they set
// one" (a micro grid its base grid's, which inherits the village's).
v1::UrbanRuralClass ReferenceRouter::EffectiveUrbanRural(
    const v1::Region* r) const {
  for (const v1::Region* a : SelfAndAncestors(r)) {
    if (a->urban_rural_class() != v1::URBAN_RURAL_CLASS_UNSPECIFIED) {
      return a->urban_rural_class();
    }
  }
  return v1::URBAN_RURAL_CLASS_UNSPECIFIED;
}

// ---------------------------------------------------------------------------
// Units and roles.

ReferenceRouter::Who ReferenceRouter::FirstUnit(const std::string& region_code,
                                                v1::UnitKind kind,
                                                v1::CentreType centre) const {
  for (const auto& [code, u] : units_) {  // code order
    if (u->kind() != kind ||
        (centre != v1::CENTRE_TYPE_UNSPECIFIED && u->centre_type() != centre)) {
      continue;
    }
    // organization.proto: the townships "a 12345 station covers besides its
    // own region" — any command centre's covered_region_codes (validation
    // keeps one centre of a type per township).
    bool here = u->region_code() == region_code;
    if (kind == v1::UNIT_KIND_COMMAND_CENTRE) {
      for (const std::string& t : u->covered_region_codes()) {
        here |= t == region_code;
      }
    }
    if (here) return Who{v1::HANDLER_KIND_UNIT, code};
  }
  return Who{};
}

// organization.proto: "A dispatched unit's type defaults to its
// department's."
std::string ReferenceRouter::UnitType(const v1::Unit& u) const {
  if (!u.department_type().empty()) return u.department_type();
  if (u.kind() == v1::UNIT_KIND_DISPATCHED && !u.parent_unit_code().empty()) {
    auto it = units_.find(u.parent_unit_code());
    if (it != units_.end()) return it->second->department_type();
  }
  return "";
}

// catalogue.h and catalogue.proto's RoleKind comments.
ReferenceRouter::Who ReferenceRouter::Resolve(const v1::Role& role,
                                              const v1::Region* loc) const {
  const v1::Region* township = AncestorAtLevel(loc, v1::REGION_LEVEL_TOWNSHIP);
  switch (role.kind()) {
    case v1::ROLE_KIND_TOWNSHIP_GOVERNMENT:
      if (township == nullptr) return {};
      return FirstUnit(township->code(), v1::UNIT_KIND_GOVERNMENT);
    case v1::ROLE_KIND_TOWNSHIP_COMMAND_ROOM:
      if (township == nullptr) return {};
      return FirstUnit(township->code(), v1::UNIT_KIND_COMMAND_CENTRE,
                       v1::CENTRE_TYPE_TOWNSHIP_COMMAND_ROOM);
    case v1::ROLE_KIND_COUNTY_DEPARTMENT: {
      // "the county department of type T of its county (or the nearest
      // ancestor that has one)".
      const v1::Region* from = CountyOf(loc);
      if (from == nullptr) from = loc;
      for (const v1::Region* r : SelfAndAncestors(from)) {
        for (const auto& [code, u] : units_) {
          if (u->kind() == v1::UNIT_KIND_DEPARTMENT &&
              u->region_code() == r->code() &&
              u->department_type() == role.department_type()) {
            return Who{v1::HANDLER_KIND_UNIT, code};
          }
        }
      }
      return {};
    }
    case v1::ROLE_KIND_DISPATCHED_UNIT: {
      // "the dispatched unit of type T covering the township": sitting in
      // it or listing it in covered_region_codes.
      if (township == nullptr) return {};
      for (const auto& [code, u] : units_) {
        if (u->kind() != v1::UNIT_KIND_DISPATCHED ||
            UnitType(*u) != role.department_type()) {
          continue;
        }
        bool covers = u->region_code() == township->code();
        for (const std::string& t : u->covered_region_codes()) {
          covers |= t == township->code();
        }
        if (covers) return Who{v1::HANDLER_KIND_UNIT, code};
      }
      return {};
    }
    case v1::ROLE_KIND_VILLAGE_COMMITTEE: {
      const v1::Region* village =
          AncestorAtLevel(loc, v1::REGION_LEVEL_VILLAGE);
      if (village == nullptr) return {};
      return FirstUnit(village->code(), v1::UNIT_KIND_VILLAGE_COMMITTEE);
    }
    case v1::ROLE_KIND_GRID_WORKER:
      if (loc->level() != v1::REGION_LEVEL_GRID) return {};
      return Who{v1::HANDLER_KIND_GRID, loc->code()};
    case v1::ROLE_KIND_COUNTY_SOCIAL_GOVERNANCE_CENTRE: {
      const v1::Region* county = CountyOf(loc);
      if (county != nullptr) {
        // organization.h: a centre covering the township, else the
        // county's.
        if (township != nullptr) {
          Who w = FirstUnit(township->code(), v1::UNIT_KIND_COMMAND_CENTRE,
                            v1::CENTRE_TYPE_COUNTY_SOCIAL_GOVERNANCE);
          if (!w.none()) return w;
        }
        Who w = FirstUnit(county->code(), v1::UNIT_KIND_COMMAND_CENTRE,
                          v1::CENTRE_TYPE_COUNTY_SOCIAL_GOVERNANCE);
        if (!w.none()) return w;
      }
      // "A case spanning counties is coordinated at their common city", and
      // a county without a centre of its own is served from above: at or
      // above the county (else the region), the first with a
      // social-governance centre, else a city-operations centre, else a
      // 12345 centre.
      for (const v1::Region* r :
           SelfAndAncestors(county != nullptr ? county : loc)) {
        for (v1::CentreType type : {v1::CENTRE_TYPE_COUNTY_SOCIAL_GOVERNANCE,
                                    v1::CENTRE_TYPE_CITY_OPERATIONS,
                                    v1::CENTRE_TYPE_HOTLINE_12345}) {
          Who w = FirstUnit(r->code(), v1::UNIT_KIND_COMMAND_CENTRE, type);
          if (!w.none()) return w;
        }
      }
      return {};
    }
    case v1::ROLE_KIND_TOWNSHIP_ENFORCEMENT: {
      // "The township's enforcement team (own name), else its
      // joint-enforcement centre."
      if (township == nullptr) return {};
      Who team = FirstUnit(township->code(), v1::UNIT_KIND_ENFORCEMENT_TEAM);
      if (!team.none()) return team;
      return FirstUnit(township->code(),
                       v1::UNIT_KIND_JOINT_ENFORCEMENT_CENTRE);
    }
    case v1::ROLE_KIND_HOTLINE_CENTRE:
      // "The 12345 centre covering the location": one covering its
      // township, else that of the nearest ancestor.
      for (const v1::Region* r : SelfAndAncestors(loc)) {
        Who w = FirstUnit(r->code(), v1::UNIT_KIND_COMMAND_CENTRE,
                          v1::CENTRE_TYPE_HOTLINE_12345);
        if (!w.none()) return w;
      }
      return {};
    case v1::ROLE_KIND_CITY_OPERATIONS_CENTRE:
      // "The 一网统管 city-operations centre at or above the location."
      for (const v1::Region* r : SelfAndAncestors(loc)) {
        Who w = FirstUnit(r->code(), v1::UNIT_KIND_COMMAND_CENTRE,
                          v1::CENTRE_TYPE_CITY_OPERATIONS);
        if (!w.none()) return w;
      }
      return {};
    case v1::ROLE_KIND_NAMED_UNIT:
      if (units_.count(role.unit_code()) == 0) return {};
      return Who{v1::HANDLER_KIND_UNIT, role.unit_code()};
    default:
      return {};
  }
}

// Documented (router.h step 3): the overlay applies when "the rule names a
// department to lead": a county department, a dispatched unit of a
// department, or a named unit that is one of those. A command centre, a
// 12345 centre, a government or a township-side role is no department.
bool ReferenceRouter::NamesDepartment(const v1::Role& role) const {
  switch (role.kind()) {
    case v1::ROLE_KIND_COUNTY_DEPARTMENT:
    case v1::ROLE_KIND_DISPATCHED_UNIT:
      return true;
    case v1::ROLE_KIND_NAMED_UNIT: {
      auto it = units_.find(role.unit_code());
      return it != units_.end() &&
             (it->second->kind() == v1::UNIT_KIND_DEPARTMENT ||
              it->second->kind() == v1::UNIT_KIND_DISPATCHED);
    }
    default:
      return false;
  }
}

// ---------------------------------------------------------------------------
// Rules.

// Precedence key (catalogue.proto, catalogue.h): priority; then the depth
// of region_code (its ancestors + 1; 0 without one); then the number of
// set restrictions: township classes, urban-rural classes, request kinds,
// urgency range, one per attribute predicate. The region counts only
// through its depth and the validity window not at all (catalogue.h:
// windows version rules, they do not specialise them). A scenario is a
// rule whose predicates are its facts.
std::vector<ReferenceRouter::RuleView> ReferenceRouter::RulesOf(
    const std::string& matter_code) const {
  std::vector<RuleView> out;
  for (const v1::DispatchRule& r : d_.catalogue().rules()) {
    if (r.matter_code() != matter_code) continue;
    RuleView v;
    v.id = r.id();
    v.rule = &r;
    v.priority = r.priority();
    if (!r.region_code().empty()) {
      v.depth = static_cast<int>(
          SelfAndAncestors(FindRegion(r.region_code())).size());
    }
    v.predicate_count =
        (r.township_classes_size() > 0 ? 1 : 0) +
        (r.urban_rural_classes_size() > 0 ? 1 : 0) +
        (r.request_kinds_size() > 0 ? 1 : 0) +
        (r.min_urgency() > 0 || r.max_urgency() > 0 ? 1 : 0) +
        r.attributes_size();
    v.lead = &r.lead();
    for (const v1::Role& x : r.co_handlers()) v.co_handlers.push_back(&x);
    if (r.supervisor().kind() != v1::ROLE_KIND_UNSPECIFIED) {
      v.supervisor = &r.supervisor();
    }
    v.item_code = r.item_code();
    v.tier = r.tier();
    v.limits = &r.limits();
    out.push_back(std::move(v));
  }
  for (const v1::Scenario& s : d_.catalogue().scenarios()) {
    if (s.matter_code() != matter_code) continue;
    RuleView v;
    v.id = s.code();
    v.scenario = true;
    v.scenario_msg = &s;
    v.priority = s.priority();
    v.predicate_count = s.facts_size();
    v.lead = &s.lead();
    for (const v1::Role& x : s.cooperators()) v.co_handlers.push_back(&x);
    if (s.supervisor().kind() != v1::ROLE_KIND_UNSPECIFIED) {
      v.supervisor = &s.supervisor();
    }
    v.item_code = s.item_code();
    v.limits = &s.limits();
    out.push_back(std::move(v));
  }
  return out;
}

bool ReferenceRouter::PredicateHolds(const v1::AttributePredicate& p,
                                     const v1::Case& c) const {
  const v1::CaseAttribute* v = CaseValue(c, p.key());
  const v1::AttributeDefinition* def = FindAttribute(d_.catalogue(), p.key());
  const bool number = def->type() == v1::ATTRIBUTE_TYPE_NUMBER;
  switch (p.test_case()) {
    case v1::AttributePredicate::kPresent:
      return p.present() ? v != nullptr : v == nullptr;
    case v1::AttributePredicate::kEquals: {
      if (v == nullptr) return false;
      if (!number) return v->value() == p.equals();
      double x = 0, want = 0;
      return ParseNumber(v->value(), &x) && ParseNumber(p.equals(), &want) &&
             x == want;
    }
    case v1::AttributePredicate::kInSet:
      if (v == nullptr) return false;
      for (const std::string& s : p.in_set().values()) {
        if (s == v->value()) return true;
      }
      return false;
    case v1::AttributePredicate::kRange: {
      double x = 0;
      if (v == nullptr || !ParseNumber(v->value(), &x)) return false;
      if (p.range().has_min() && x < p.range().min()) return false;
      if (p.range().has_max() && x > p.range().max()) return false;
      return true;
    }
    default:
      return false;
  }
}

// DispatchRule: "Predicates; unset ones match everything."
bool ReferenceRouter::Matches(const RuleView& r, const v1::Region* loc,
                              const v1::Case& c, int urgency,
                              int32_t day) const {
  // Documented: a rule (or scenario) applies only while the item it cites
  // is in force too.
  if (!r.item_code.empty()) {
    const v1::Item& it = *items_.at(r.item_code);
    if (!InWindow(it.effective_date(), it.retired_date(), day)) return false;
  }
  if (r.scenario) {
    const v1::Scenario& s = *r.scenario_msg;
    if (!InWindow(s.effective_date(), s.end_date(), day)) return false;
    for (const v1::AttributePredicate& p : s.facts()) {
      if (!PredicateHolds(p, c)) return false;
    }
    return true;
  }
  const v1::DispatchRule& rule = *r.rule;
  if (!InWindow(rule.effective_date(), rule.end_date(), day)) return false;
  if (!rule.region_code().empty() && !InSubtree(loc, rule.region_code())) {
    return false;
  }
  if (rule.township_classes_size() > 0) {
    const v1::Region* t = AncestorAtLevel(loc, v1::REGION_LEVEL_TOWNSHIP);
    if (t == nullptr) return false;
    const v1::TownshipClass cls = EffectiveTownshipClass(t);
    bool any = false;
    for (int k : rule.township_classes()) any |= k == cls;
    if (!any) return false;
  }
  if (rule.urban_rural_classes_size() > 0) {
    const v1::UrbanRuralClass cls = EffectiveUrbanRural(loc);
    bool any = false;
    for (int k : rule.urban_rural_classes()) any |= k == cls;
    if (!any) return false;
  }
  if (rule.request_kinds_size() > 0) {
    bool any = false;
    for (int k : rule.request_kinds()) any |= k == c.request_kind();
    if (!any) return false;
  }
  if (rule.min_urgency() > 0 && urgency < rule.min_urgency()) return false;
  if (rule.max_urgency() > 0 && urgency > rule.max_urgency()) return false;
  for (const v1::AttributePredicate& p : rule.attributes()) {
    if (!PredicateHolds(p, c)) return false;
  }
  return true;
}

// DelegationScope: "the union of the named townships, the townships of a
// class within `within_region_code` (or everywhere), and the townships
// under `region_code`"; Delegation: window [effective_date, end_date),
// reclaiming "ends the delegation from this date".
const v1::Delegation* ReferenceRouter::DelegationInForce(
    const std::string& item_code, const v1::Region* township,
    int32_t day) const {
  const v1::Delegation* found = nullptr;
  for (const v1::Delegation& g : d_.catalogue().delegations()) {
    if (g.item_code() != item_code) continue;
    std::string end = g.end_date();
    if (!g.reclaimed_date().empty() &&
        (end.empty() ||
         *ParseIsoDate(g.reclaimed_date()) < *ParseIsoDate(end))) {
      end = g.reclaimed_date();
    }
    if (!InWindow(g.effective_date(), end, day)) continue;
    const v1::DelegationScope& s = g.scope();
    bool reaches = false;
    for (const std::string& t : s.township_codes()) {
      reaches |= t == township->code();
    }
    if (s.township_class() != v1::TOWNSHIP_CLASS_UNSPECIFIED &&
        EffectiveTownshipClass(township) == s.township_class() &&
        (s.within_region_code().empty() ||
         InSubtree(township, s.within_region_code()))) {
      reaches = true;
    }
    if (!s.region_code().empty() && InSubtree(township, s.region_code())) {
      reaches = true;
    }
    // Validation allows at most one; should there be more, the first id.
    if (reaches && (found == nullptr || g.id() < found->id())) found = &g;
  }
  return found;
}

// ---------------------------------------------------------------------------
// Deadlines.

// `percent` of the limit. Docs silent on scaling whole working days: a
// fraction of n working days counts n × (working minutes a day) × percent
// working minutes, as router.cc does; whole working days end at the close
// of business (work_calendar.h).
absl::StatusOr<int64_t> ReferenceRouter::Add(int64_t from,
                                             const v1::Duration& d,
                                             int percent) const {
  const int64_t n = d.amount();
  switch (d.unit()) {
    case v1::TIME_UNIT_WORKING_HOURS:
      return calendar_.AddWorkingMinutes(from, n * 60 * percent / 100);
    case v1::TIME_UNIT_WORKING_DAYS:
      if (percent == 100) return calendar_.AddWorkingDays(from, n);
      return calendar_.AddWorkingMinutes(
          from, n * calendar_.working_minutes_per_day() * percent / 100);
    case v1::TIME_UNIT_CALENDAR_DAYS:
      if (percent == 100) {
        // Documented (TimeUnit): the close of business of the n-th local
        // day after from's, or of the first working day after it when it
        // is not one. Day by day here.
        JC_RETURN_IF_ERROR(calendar_.CheckInstant(from));
        const int64_t offset = int64_t{d_.calendar().utc_offset_minutes()} * 60;
        const int64_t local = from + offset;
        int32_t day = static_cast<int32_t>(
            (local >= 0 ? local / 86400 : -((-local + 86399) / 86400)) + n);
        while (day <= calendar_.last_day() && !calendar_.IsWorkingDay(day)) {
          ++day;
        }
        if (day > calendar_.last_day()) {
          return absl::OutOfRangeError("past the calendar");
        }
        // That day's close: 0 working days from its first second.
        return calendar_.AddWorkingDays(int64_t{day} * 86400 - offset, 0);
      }
      [[fallthrough]];
    case v1::TIME_UNIT_CALENDAR_HOURS: {
      // Elapsed time; the deadline must still lie within the calendar.
      const int64_t seconds =
          d.unit() == v1::TIME_UNIT_CALENDAR_HOURS ? 3600 : 86400;
      const int64_t due = from + n * seconds * percent / 100;
      JC_RETURN_IF_ERROR(calendar_.CheckInstant(from));
      JC_RETURN_IF_ERROR(calendar_.CheckInstant(due));
      return due;
    }
    default:
      return absl::InternalError("a limit without a unit");
  }
}

// ---------------------------------------------------------------------------
// The procedure.

absl::StatusOr<v1::RoutingDecision> ReferenceRouter::Decide(
    const v1::Case& c) const {
  const v1::Catalogue& cat = d_.catalogue();
  const v1::RoutingPolicy& policy = d_.routing_policy();

  // 1. Location and the case's own fields (router.h: Route's errors).
  const v1::Region* loc = FindRegion(std::to_string(c.location_code()));
  if (loc == nullptr) return Bad("location_code: unknown");
  if (loc->level() < v1::REGION_LEVEL_TOWNSHIP) {
    return Bad("location_code: above township level");
  }
  const v1::Matter* matter = nullptr;
  for (const v1::Matter& m : cat.matters()) {
    if (m.code() == c.matter_code()) matter = &m;
  }
  if (matter == nullptr) return Bad("matter_code: unknown");
  if (c.urgency() < 0 || c.urgency() > 4) return Bad("urgency: outside 0..4");
  // Docs silent on request kinds outside the enum: refused, as router.cc.
  if (!v1::RequestKind_IsValid(c.request_kind())) {
    return Bad("request_kind: unknown");
  }
  if (!v1::CaseSource_IsValid(c.source())) return Bad("source: unknown");
  if (c.reported_at() <= 0 || c.reported_at() > kLastInstant) {
    return Bad("reported_at: not a real instant");
  }
  if (c.attributes_size() > kReferenceMaxAttributes) {
    return Bad("attributes: too many");
  }
  if (c.extra_location_codes_size() > kReferenceMaxExtraLocations) {
    return Bad("extra_location_codes: too many");
  }
  std::set<std::string> keys;
  for (const v1::CaseAttribute& a : c.attributes()) {
    const v1::AttributeDefinition* def = FindAttribute(cat, a.key());
    if (def == nullptr) return Bad("attributes: unknown key");
    double x = 0;
    switch (def->type()) {
      case v1::ATTRIBUTE_TYPE_NUMBER:
        if (!ParseNumber(a.value(), &x)) return Bad("attributes: not a number");
        break;
      case v1::ATTRIBUTE_TYPE_BOOL:
        if (a.value() != "true" && a.value() != "false") {
          return Bad("attributes: not true/false");
        }
        break;
      default:
        if (def->allowed_values_size() > 0 &&
            std::find(def->allowed_values().begin(),
                      def->allowed_values().end(),
                      a.value()) == def->allowed_values().end()) {
          return Bad("attributes: not an allowed value");
        }
        break;
    }
    // Docs silent on a key given twice: refused, as router.cc does.
    if (!keys.insert(a.key()).second) return Bad("attributes: key twice");
  }

  // Extra locations (router.h step 1): the lowest common ancestor (LCA) of
  // all the case's locations says how far it reaches. Above a township: a
  // cross-township case, coordinated at the LCA. A township other than the
  // location: it spans villages of that township; a village other than the
  // location: grids of that village.
  std::vector<const v1::Region*> places = {loc};  // location, then extras
  std::vector<const v1::Region*> common = SelfAndAncestors(loc);
  for (uint64_t code : c.extra_location_codes()) {
    const v1::Region* extra = FindRegion(std::to_string(code));
    if (extra == nullptr || extra->level() < v1::REGION_LEVEL_TOWNSHIP) {
      return Bad("extra_location_codes: unknown or above township level");
    }
    places.push_back(extra);
    const std::vector<const v1::Region*> up = SelfAndAncestors(extra);
    while (!common.empty() &&
           std::find(up.begin(), up.end(), common.front()) == up.end()) {
      common.erase(common.begin());
    }
    // Documented: locations under different roots share no coordinator.
    if (common.empty()) {
      return Bad(
          "extra_location_codes: no region contains it and the location");
    }
  }
  const v1::Region* lca = common.front();
  const bool cross = lca->level() < v1::REGION_LEVEL_TOWNSHIP;
  const bool cross_village =
      lca != loc && lca->level() == v1::REGION_LEVEL_TOWNSHIP;
  const bool cross_grid =
      lca != loc && lca->level() == v1::REGION_LEVEL_VILLAGE;
  const v1::Region* township = AncestorAtLevel(loc, v1::REGION_LEVEL_TOWNSHIP);
  // Where county-level help comes from: the coordinating region of a
  // cross-township case, else the township.
  const v1::Region* centre = cross ? lca : township;
  auto room = [&] {
    v1::Role r;
    r.set_kind(v1::ROLE_KIND_TOWNSHIP_COMMAND_ROOM);
    return Resolve(r, loc);
  };
  auto county_centre = [&] {
    v1::Role r;
    r.set_kind(v1::ROLE_KIND_COUNTY_SOCIAL_GOVERNANCE_CENTRE);
    return Resolve(r, centre);
  };

  // 2. The rule in force on the reported local day.
  // reported_at > 0 and |offset| <= 14 h: the local time is >= -14 h, so
  // floor division is needed only for the first hours of 1970.
  const int64_t local_seconds =
      c.reported_at() + int64_t{d_.calendar().utc_offset_minutes()} * 60;
  const int32_t day = static_cast<int32_t>(
      local_seconds >= 0 ? local_seconds / 86400
                         : -((-local_seconds + 86399) / 86400));
  const int urgency = c.urgency() == 0 ? 1 : c.urgency();

  std::vector<RuleView> matched;
  for (RuleView& r : RulesOf(matter->code())) {
    if (Matches(r, loc, c, urgency, day)) matched.push_back(std::move(r));
  }
  auto key = [](const RuleView& r) {
    return std::make_tuple(r.priority, r.depth, r.predicate_count);
  };
  std::vector<const RuleView*> top;
  for (const RuleView& r : matched) {
    if (top.empty() || key(r) > key(*top.front())) {
      top.assign(1, &r);
    } else if (key(r) == key(*top.front())) {
      top.push_back(&r);
    }
  }
  // "never broken by the order of the list": ties are listed in id order.
  std::sort(top.begin(), top.end(),
            [](const RuleView* a, const RuleView* b) { return a->id < b->id; });

  // 3. The delegation overlay of a rule whose lead is a department: the
  // delegation of its item to the township in force on the day, the mode
  // where it applies (an enforcement item, else UNSPECIFIED) and the unit
  // that then leads.
  struct Overlay {
    const v1::Delegation* delegation = nullptr;
    v1::DelegationMode mode = v1::DELEGATION_MODE_UNSPECIFIED;
    Who lead;
  };
  auto overlay = [&](const RuleView& r) {
    Overlay o;
    if (r.item_code.empty() || !NamesDepartment(*r.lead)) return o;
    o.delegation = DelegationInForce(r.item_code, township, day);
    if (o.delegation == nullptr) return o;
    // REASON_DELEGATION_OUTSIDE: "A township exercises a delegated power
    // in its own territory only: a cross-township case stays with the
    // department, whatever the other townships hold"; a case spanning
    // villages or grids of the township takes the overlay.
    if (cross) return Overlay();
    // "its enforcement team in own-name mode, its joint-enforcement
    // centre in joint mode, its government when entrusted". Docs silent
    // on a missing unit: joint falls back to the team, then (as every
    // mode) to the government, as router.cc does.
    const std::string& t = township->code();
    // Documented: the mode applies to an enforcement item (enforcement
    // list, or a penalty, coercive-measure or inspection power); the
    // township government takes any other.
    const v1::Item& it = *items_.at(r.item_code);
    const bool enforcement =
        it.list_type() == v1::LIST_TYPE_ENFORCEMENT ||
        it.power_kind() == v1::POWER_KIND_PENALTY ||
        it.power_kind() == v1::POWER_KIND_COERCIVE_MEASURE ||
        it.power_kind() == v1::POWER_KIND_INSPECTION;
    o.mode = enforcement ? o.delegation->mode()
                         : v1::DELEGATION_MODE_UNSPECIFIED;
    if (o.mode == v1::DELEGATION_MODE_OWN_NAME) {
      o.lead = FirstUnit(t, v1::UNIT_KIND_ENFORCEMENT_TEAM);
    } else if (o.mode == v1::DELEGATION_MODE_JOINT) {
      o.lead = FirstUnit(t, v1::UNIT_KIND_JOINT_ENFORCEMENT_CENTRE);
      if (o.lead.none()) o.lead = FirstUnit(t, v1::UNIT_KIND_ENFORCEMENT_TEAM);
    }
    if (o.lead.none()) o.lead = FirstUnit(t, v1::UNIT_KIND_GOVERNMENT);
    return o;
  };

  v1::RoutingOutcome outcome;
  const RuleView* rule = nullptr;
  std::vector<Who> candidates;
  if (top.empty()) {
    outcome = v1::ROUTING_OUTCOME_UNMAPPED;
  } else if (top.size() > 1) {
    outcome = v1::ROUTING_OUTCOME_AMBIGUOUS;
    // Each candidate as its rule alone would route it: a delegated item's
    // township unit, not the department that handed it over.
    for (size_t i = 0; i < top.size() && i < kReferenceMaxCandidates; ++i) {
      const Overlay o = overlay(*top[i]);
      candidates.push_back(o.delegation != nullptr
                               ? o.lead
                               : Resolve(*top[i]->lead, loc));
    }
  } else {
    outcome = v1::ROUTING_OUTCOME_ROUTED;
    rule = top.front();
  }

  Who lead, supervisor, arbitrator;
  std::vector<Who> co;
  const v1::Delegation* delegation = nullptr;
  v1::DelegationMode mode = v1::DELEGATION_MODE_UNSPECIFIED;
  if (rule != nullptr) {
    lead = Resolve(*rule->lead, loc);
    const Overlay o = overlay(*rule);
    delegation = o.delegation;
    mode = o.mode;
    if (delegation != nullptr) {
      // "the department becomes a co-handler".
      if (!lead.none()) co.push_back(lead);
      lead = o.lead;
    }
    if (lead.none()) {
      // Docs silent (only REASON_LEAD_UNRESOLVED names it): nobody fills the
      // lead role here, so the territorial backstop takes the case; the
      // rule, item and delegation stay on record and the rule's limits
      // still set the deadlines, as in router.cc.
      outcome = v1::ROUTING_OUTCOME_UNMAPPED;
    } else {
      for (const v1::Role* role : rule->co_handlers) {
        if (co.size() >= kReferenceMaxCoHandlers) break;
        const Who h = Resolve(*role, loc);
        if (h.none() || h == lead ||
            std::find(co.begin(), co.end(), h) != co.end()) {
          continue;
        }
        co.push_back(h);
      }
      if (rule->supervisor != nullptr) {
        supervisor = Resolve(*rule->supervisor, loc);
      }
    }
  }
  if (outcome == v1::ROUTING_OUTCOME_UNMAPPED) {
    // 属地兜底: the township command room. Docs silent on a cross-township
    // case or a township without a room: the county centre of the
    // coordinating region, as router.cc does.
    co.clear();
    lead = cross ? Who{} : room();
    if (lead.none()) lead = county_centre();
  } else if (outcome == v1::ROUTING_OUTCOME_AMBIGUOUS) {
    // "the lowest command centre covering the location". Docs ambiguous
    // for a cross-township case; like router.cc, the county centre of the
    // coordinating region.
    arbitrator = cross ? Who{} : room();
    if (arbitrator.none()) arbitrator = county_centre();
  }
  const bool routed = outcome == v1::ROUTING_OUTCOME_ROUTED;

  // 4. The tier.
  const int major_urgency =
      policy.major_urgency() > 0 ? policy.major_urgency() : 4;
  auto is_village_committee = [&](const Who& w) {
    return w.kind == v1::HANDLER_KIND_UNIT &&
           units_.at(w.code)->kind() == v1::UNIT_KIND_VILLAGE_COMMITTEE;
  };
  auto is_grid = [](const Who& w) { return w.kind == v1::HANDLER_KIND_GRID; };
  v1::HandlingTier tier;
  // Documented: major or cross-township → COUNTY whatever the rule says;
  // else the rule's tier when it sets one.
  if (matter->major() || urgency >= major_urgency || cross) {
    tier = v1::HANDLING_TIER_COUNTY;
  } else if (routed && rule->tier != v1::HANDLING_TIER_UNSPECIFIED) {
    tier = rule->tier;
  } else if (routed && is_grid(lead)) {
    tier = v1::HANDLING_TIER_GRID;
  } else if (routed && is_village_committee(lead)) {
    // Documented: "a village committee → VILLAGE", whichever role named it.
    tier = v1::HANDLING_TIER_VILLAGE;
  } else {
    tier = v1::HANDLING_TIER_TOWNSHIP;
  }
  // "A case spanning villages of one township is at least at the TOWNSHIP
  // tier, one spanning grids of one village at least at the VILLAGE tier
  // ..., whatever the rule says" (GRID < VILLAGE < TOWNSHIP < COUNTY).
  if (cross_village && tier < v1::HANDLING_TIER_TOWNSHIP) {
    tier = v1::HANDLING_TIER_TOWNSHIP;
  }
  if (cross_grid && tier < v1::HANDLING_TIER_VILLAGE) {
    tier = v1::HANDLING_TIER_VILLAGE;
  }
  // A rule that sets the tier the case ends up at keeps the lead it names.
  const bool tier_from_rule = routed && rule->tier == tier;
  // REASON_LEAD_RAISED: `to` leads instead; the lead it replaces becomes
  // the first co-handler, `to` leaves the co-handlers, and the list keeps
  // its cap. Nobody to raise to: nothing changes.
  auto raise = [&](const Who& to) {
    if (to.none()) return;
    std::vector<Who> raised = {lead};
    for (const Who& h : co) {
      if (h != to && raised.size() < kReferenceMaxCoHandlers) {
        raised.push_back(h);
      }
    }
    co = raised;
    lead = to;
  };
  if (tier == v1::HANDLING_TIER_COUNTY) {
    // Documented (routing.proto, REASON_LEAD_RAISED): a lead below the
    // township (grid workers, a village committee) of a case the county
    // tier was forced on gives way to the coordinating county centre, when
    // there is one.
    if (routed && !tier_from_rule &&
        (is_grid(lead) || is_village_committee(lead))) {
      raise(county_centre());
    }
    // router.h step 4: "so does the township command room that is an
    // unmapped case's backstop" (not on a cross-township case, whose
    // backstop is the centre already).
    if (outcome == v1::ROUTING_OUTCOME_UNMAPPED && !cross && !lead.none() &&
        lead == room()) {
      raise(county_centre());
    }
  }
  // Step 4: on a case spanning villages (grids), a routed case's lead below
  // the floor — grid workers or a village committee (grid workers) — gives
  // way to the township command room (the village committee), unless the
  // rule set the tier itself. Docs ambiguous on a county-tier case whose
  // lead no centre took over above (there is none): the lead stays, as in
  // router.cc; the floor's raise is for the tiers the span sets.
  if (routed && !tier_from_rule && tier != v1::HANDLING_TIER_COUNTY) {
    if (cross_village && (is_grid(lead) || is_village_committee(lead))) {
      raise(room());
    } else if (cross_grid && is_grid(lead)) {
      v1::Role vc;
      vc.set_kind(v1::ROLE_KIND_VILLAGE_COMMITTEE);
      raise(Resolve(vc, loc));
    }
  }
  // Adds `h` as a co-handler: someone, not the lead, once, within the cap.
  auto cooperate = [&](const Who& h) {
    if (co.size() < kReferenceMaxCoHandlers && !h.none() && h != lead &&
        std::find(co.begin(), co.end(), h) == co.end()) {
      co.push_back(h);
    }
  };
  if (tier == v1::HANDLING_TIER_COUNTY) {
    // "the county social-governance centre supervising (a rule that sets
    // the county tier may name its own supervisor) with the township
    // cooperating": a supervisor the rule names and that someone fills here
    // stays when the rule set the tier.
    if (!tier_from_rule || supervisor.none()) supervisor = county_centre();
    if (!supervisor.none() && supervisor == lead) {
      // Documented: a centre does not supervise itself; the coordinating
      // centre of the level above the one it sits at does, else nobody.
      const v1::Region* above =
          Parent(FindRegion(units_.at(lead.code)->region_code()));
      v1::Role r;
      r.set_kind(v1::ROLE_KIND_COUNTY_SOCIAL_GOVERNANCE_CENTRE);
      supervisor = above == nullptr ? Who{} : Resolve(r, above);
    }
    // The township cooperates through its command room; a case spanning
    // several townships has each of them cooperate (routing.proto): the
    // location's, then the extra locations' in the order given, each once.
    // Also for an unmapped case (Docs silent; router.cc: the territories
    // cooperate with the centre that leads); an ambiguous case waits for
    // arbitration.
    if (outcome != v1::ROUTING_OUTCOME_AMBIGUOUS) {
      v1::Role room_role;
      room_role.set_kind(v1::ROLE_KIND_TOWNSHIP_COMMAND_ROOM);
      for (const v1::Region* place : places) {
        cooperate(Resolve(room_role, place));
      }
    }
  } else if (supervisor.none() || supervisor == lead) {
    // router.h step 4 (below the county tier): the command room supervises
    // unless the rule names a supervisor other than the lead; the county
    // centre when the room itself leads ("nobody" equals "nobody" here).
    supervisor = room();
    if (supervisor == lead) supervisor = county_centre();
  }
  // Step 4: "Every village (grid) the case spans cooperates: its committee
  // (its workers) is a co-handler, the location's first, then the extra
  // locations' in order, each once, never the lead (routed and unmapped
  // cases; an ambiguous one waits for arbitration)." The township itself
  // has no committee, a village no grid workers.
  if ((cross_village || cross_grid) &&
      outcome != v1::ROUTING_OUTCOME_AMBIGUOUS) {
    v1::Role each;
    each.set_kind(cross_village ? v1::ROLE_KIND_VILLAGE_COMMITTEE
                                : v1::ROLE_KIND_GRID_WORKER);
    for (const v1::Region* place : places) cooperate(Resolve(each, place));
  }

  // 5. Deadlines: rule, else item, else matter, else policy. Documented: a
  // reported time outside the calendar is an error naming it.
  if (absl::Status in_range = calendar_.CheckInstant(c.reported_at());
      !in_range.ok()) {
    return in_range;
  }
  const v1::Item* item = nullptr;
  if (rule != nullptr && !rule->item_code.empty()) {
    item = items_.at(rule->item_code);
  }
  const v1::StageLimits& defaults = policy.defaults();
  // routing.proto: handle by request kind (consult 2, help 5, complaint /
  // report / suggestion 13 working days; city-management events 5);
  // Documented: defaults.handle replaces those when set, and the per-kind
  // fields override defaults.handle. Docs silent on a case without a
  // request kind: 13 for a hotline matter, else 5, as router.cc.
  v1::Duration handle_default;
  const v1::Duration* per_kind = nullptr;
  switch (c.request_kind()) {
    case v1::REQUEST_KIND_CONSULT:
      per_kind = &policy.consult_handle();
      handle_default = WorkingDays(2);
      break;
    case v1::REQUEST_KIND_HELP:
      per_kind = &policy.help_handle();
      handle_default = WorkingDays(5);
      break;
    case v1::REQUEST_KIND_COMPLAINT:
      per_kind = &policy.complaint_handle();
      handle_default = WorkingDays(13);
      break;
    case v1::REQUEST_KIND_REPORT:
      per_kind = &policy.report_handle();
      handle_default = WorkingDays(13);
      break;
    case v1::REQUEST_KIND_SUGGESTION:
      per_kind = &policy.suggestion_handle();
      handle_default = WorkingDays(13);
      break;
    default:
      handle_default = WorkingDays(
          matter->category() == v1::MATTER_CATEGORY_HOTLINE ? 13 : 5);
      break;
  }
  if (IsSet(defaults.handle())) handle_default = defaults.handle();
  if (per_kind != nullptr && IsSet(*per_kind)) handle_default = *per_kind;
  const v1::Duration policy_limits[4] = {
      IsSet(defaults.sign_for()) ? defaults.sign_for() : WorkingDays(1),
      handle_default,
      IsSet(defaults.feedback()) ? defaults.feedback() : WorkingDays(1),
      IsSet(defaults.revisit()) ? defaults.revisit() : WorkingDays(3)};
  // "the handle limit shrinks with urgency": 2, 3, 4 keep 100, 50, 25 %.
  int percent = 100;
  if (urgency == 2 && policy.urgent_percent() > 0) {
    percent = policy.urgent_percent();
  } else if (urgency == 3) {
    percent =
        policy.very_urgent_percent() > 0 ? policy.very_urgent_percent() : 50;
  } else if (urgency == 4) {
    percent = policy.emergency_percent() > 0 ? policy.emergency_percent() : 25;
  }

  v1::RoutingDecision out;
  out.set_case_id(c.id());
  out.set_dataset_version(d_.meta().version());
  out.set_outcome(outcome);
  int64_t previous_due = 0;
  for (int stage = 0; stage < 4; ++stage) {
    v1::Duration limit;
    std::string source;
    if (rule != nullptr && rule->limits != nullptr &&
        IsSet(StageOf(*rule->limits, stage))) {
      limit = StageOf(*rule->limits, stage);
      source = "rule";
    } else if (stage == 1 &&
               matter->category() == v1::MATTER_CATEGORY_HOTLINE &&
               c.request_kind() != v1::REQUEST_KIND_UNSPECIFIED) {
      // Documented (RoutingPolicy): a hotline request with a kind takes
      // its kind's handle limit unless the rule sets one.
      limit = policy_limits[1];
      source = "policy";
    } else if (item != nullptr && IsSet(StageOf(item->limits(), stage))) {
      limit = StageOf(item->limits(), stage);
      source = "item";
    } else if (IsSet(StageOf(matter->limits(), stage))) {
      limit = StageOf(matter->limits(), stage);
      source = "matter";
    } else {
      limit = policy_limits[stage];
      source = "policy";
    }
    // Sign-for and handle run from the report, feedback after handle,
    // revisit after feedback.
    const int64_t from = stage < 2 ? c.reported_at() : previous_due;
    if (stage == 1 && percent != 100) {
      // Documented: an urgent case's handle limit is percent % of it in
      // whole hours (working hours for working time, calendar hours for
      // calendar time), rounded down, at least 1; the deadline runs from
      // that, and the decision reports it.
      int64_t hours = 0;
      switch (limit.unit()) {
        case v1::TIME_UNIT_WORKING_DAYS:
          // A working day is working_minutes_per_day / 60 hours.
          hours = int64_t{limit.amount()} *
                  calendar_.working_minutes_per_day() * percent / (60 * 100);
          limit.set_unit(v1::TIME_UNIT_WORKING_HOURS);
          break;
        case v1::TIME_UNIT_CALENDAR_DAYS:
          hours = int64_t{limit.amount()} * 24 * percent / 100;
          limit.set_unit(v1::TIME_UNIT_CALENDAR_HOURS);
          break;
        default:
          hours = int64_t{limit.amount()} * percent / 100;
          break;
      }
      limit.set_amount(static_cast<int32_t>(std::max<int64_t>(hours, 1)));
    }
    // Documented (routing.proto, Deadline): N working or calendar days
    // after an earlier stage's deadline count from the day it falls due
    // in, and a deadline at midnight falls due in the day it ends.
    const bool after_deadline_in_days =
        stage >= 2 && (limit.unit() == v1::TIME_UNIT_WORKING_DAYS ||
                       limit.unit() == v1::TIME_UNIT_CALENDAR_DAYS);
    absl::StatusOr<int64_t> due =
        Add(after_deadline_in_days ? from - 1 : from, limit, 100);
    if (!due.ok()) return due.status();
    if (stage == 1 && out.deadlines(0).due_at() > *due) {
      // Documented (routing.proto, Deadline.source): a sign-for limit
      // ending after the handle deadline takes the handle limit.
      v1::Deadline& sign_for = *out.mutable_deadlines(0);
      sign_for.set_due_at(*due);
      *sign_for.mutable_limit() = limit;
      sign_for.set_source("handle");
    }
    previous_due = *due;
    v1::Deadline* dl = out.add_deadlines();
    dl->set_stage(static_cast<v1::Stage>(stage + 1));
    dl->set_due_at(*due);
    *dl->mutable_limit() = limit;
    dl->set_source(source);
  }

  // 6. Escalation: the levels above the tier, nearest first, never the
  // lead, no repeats. Docs silent on the details; router.cc's chain.
  std::vector<Who> escalation;
  auto escalate = [&](const Who& h) {
    // Documented (router.h, step 6): never the arbitrator either.
    if (escalation.size() >= kReferenceMaxEscalation || h.none() || h == lead ||
        h == arbitrator ||
        std::find(escalation.begin(), escalation.end(), h) !=
            escalation.end()) {
      return;
    }
    escalation.push_back(h);
  };
  if (tier == v1::HANDLING_TIER_GRID) {
    v1::Role vc;
    vc.set_kind(v1::ROLE_KIND_VILLAGE_COMMITTEE);
    escalate(Resolve(vc, loc));
  }
  if (tier == v1::HANDLING_TIER_GRID || tier == v1::HANDLING_TIER_VILLAGE ||
      tier == v1::HANDLING_TIER_TOWNSHIP) {
    if (!cross) escalate(room());
  }
  escalate(county_centre());
  // Documented: a county-tier case the centre itself leads escalates to
  // its supervisor, the centre above.
  if (tier == v1::HANDLING_TIER_COUNTY && escalation.empty()) {
    escalate(supervisor);
  }

  // Whistle (吹哨报到): the departments (and their dispatched units) among
  // the co-handlers of a routed case the county does not take and the
  // township leads — grid workers, or a unit of the township or below that
  // is neither a department nor a dispatched unit (a department leading
  // its own case summons nobody) — reporting in within
  // policy.whistle_report_in (2 working hours).
  bool township_leads = is_grid(lead);
  if (lead.kind == v1::HANDLER_KIND_UNIT) {
    const v1::Unit& u = *units_.at(lead.code);
    const v1::Region* at = FindRegion(u.region_code());
    township_leads = u.kind() != v1::UNIT_KIND_DEPARTMENT &&
                     u.kind() != v1::UNIT_KIND_DISPATCHED && at != nullptr &&
                     at->level() >= v1::REGION_LEVEL_TOWNSHIP;
  }
  std::vector<Who> whistled;
  if (routed && tier != v1::HANDLING_TIER_COUNTY && township_leads) {
    for (const Who& h : co) {
      if (whistled.size() >= kReferenceMaxWhistle) break;
      if (h.kind != v1::HANDLER_KIND_UNIT) continue;
      const v1::UnitKind k = units_.at(h.code)->kind();
      if (k == v1::UNIT_KIND_DEPARTMENT || k == v1::UNIT_KIND_DISPATCHED) {
        whistled.push_back(h);
      }
    }
  }
  int64_t report_by = 0;
  if (!whistled.empty()) {
    const v1::Duration report_in = IsSet(policy.whistle_report_in())
                                       ? policy.whistle_report_in()
                                       : Make(2, v1::TIME_UNIT_WORKING_HOURS);
    absl::StatusOr<int64_t> due = Add(c.reported_at(), report_in, 100);
    if (!due.ok()) return due.status();
    report_by = *due;
  }

  auto put = [](const Who& w, v1::Handler* h) {
    h->set_kind(w.kind);
    h->set_code(w.code);
  };
  if (!lead.none()) put(lead, out.mutable_lead());
  for (const Who& h : co) put(h, out.add_co_handlers());
  if (!supervisor.none()) put(supervisor, out.mutable_supervisor());
  out.set_tier(tier);
  if (rule != nullptr) {
    if (rule->scenario) {
      out.set_scenario_code(rule->id);
    } else {
      out.set_rule_id(rule->id);
    }
    out.set_item_code(rule->item_code);
  }
  if (delegation != nullptr) {
    out.set_delegation_id(delegation->id());
    out.set_enforcement_mode(mode);
  }
  for (const Who& h : candidates) put(h, out.add_candidates());
  if (!arbitrator.none()) put(arbitrator, out.mutable_arbitrator());
  for (size_t i = 0; i < escalation.size(); ++i) {
    v1::EscalationStep* s = out.add_escalation();
    s->set_level(static_cast<int32_t>(i + 1));
    put(escalation[i], s->mutable_handler());
  }
  for (const Who& h : whistled) {
    v1::WhistleSummons* w = out.add_whistle();
    put(h, w->mutable_department());
    w->set_report_by(report_by);
  }
  return out;
}

}  // namespace jiceng
