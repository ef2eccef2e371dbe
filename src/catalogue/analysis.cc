// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0

#include "src/catalogue/analysis.h"

#include <algorithm>
#include <limits>
#include <map>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "src/base/civil_date.h"

namespace jiceng {
namespace {

// The set of values one attribute may take under a rule's predicates.
struct Constraint {
  bool absent = false;   // must be absent
  bool present = false;  // must be present
  bool has_set = false;
  std::vector<uint32_t> set;  // sorted
  double min = -std::numeric_limits<double>::infinity();
  double max = std::numeric_limits<double>::infinity();
  bool has_range = false;

  void Intersect(const Constraint& o) {
    absent |= o.absent;
    present |= o.present;
    if (o.has_set) {
      if (!has_set) {
        set = o.set;
        has_set = true;
      } else {
        std::vector<uint32_t> out;
        std::set_intersection(set.begin(), set.end(), o.set.begin(),
                              o.set.end(), std::back_inserter(out));
        set = std::move(out);
      }
    }
    if (o.has_range) {
      min = std::max(min, o.min);
      max = std::min(max, o.max);
      has_range = true;
    }
  }
  bool Satisfiable() const {
    const bool needs_value = present || has_set || has_range;
    if (absent && needs_value) return false;
    if (has_set && set.empty()) return false;
    if (has_range && !(min <= max)) return false;
    return true;
  }
};

using Constraints = std::map<AttributeId, Constraint>;

Constraints ConstraintsOf(const Catalogue& c, const CompiledRule& r) {
  Constraints out;
  for (const CompiledPredicate& p : c.predicates(r)) {
    Constraint k;
    switch (p.op) {
      case CompiledPredicate::kEquals:
        k.has_set = true;
        k.set = {p.value};
        break;
      case CompiledPredicate::kInSet: {
        k.has_set = true;
        auto values = c.set_values(p);
        k.set.assign(values.begin(), values.end());
        break;
      }
      case CompiledPredicate::kRange:
        k.has_range = true;
        k.min = p.min;
        k.max = p.max;
        break;
      case CompiledPredicate::kPresent:
        k.present = true;
        break;
      case CompiledPredicate::kAbsent:
        k.absent = true;
        break;
    }
    out[p.attribute].Intersect(k);
  }
  return out;
}

bool MasksMeet(uint32_t a, uint32_t b) { return a == 0 || b == 0 || (a & b); }

// Every region code of `ids`, at most kMaxRegionsPerFinding.
void SetRegions(const Hierarchy& h, const std::vector<RegionId>& ids,
                v1::Finding* f) {
  f->set_region_count(static_cast<int32_t>(ids.size()));
  for (size_t i = 0; i < ids.size() && i < kMaxRegionsPerFinding; ++i) {
    f->add_region_codes(h.code(ids[i]));
  }
}

std::string Truncated(const Hierarchy& h, const std::vector<RegionId>& ids) {
  std::vector<std::string> names;
  for (size_t i = 0; i < ids.size() && i < 3; ++i) {
    names.push_back(absl::StrCat(h.name(ids[i]), " ", h.code(ids[i])));
  }
  std::string out = absl::StrJoin(names, ", ");
  if (ids.size() > 3) absl::StrAppend(&out, " and ", ids.size() - 3, " more");
  return out;
}

class Analyzer {
 public:
  Analyzer(const Catalogue& c, int32_t day)
      : c_(c), h_(c.hierarchy()), o_(c.organization()), day_(day) {
    for (RegionId id = 0; id < h_.size();) {
      if (h_.level(id) == v1::REGION_LEVEL_TOWNSHIP) {
        townships_.push_back(id);
        id = h_.subtree_end(id);
      } else {
        ++id;
      }
    }
  }

  v1::CatalogueAnalysis Run() {
    Gaps();
    Overlaps();
    TwoLeads();
    UnresolvedRoles();
    DelegationsWithoutTeam();
    Expired();
    References();
    CooperatingWithoutLead();
    DelegationsReachingNoTownship();
    StatutoryPushedDown();
    NamedUnitsOutsideScope();
    ServicesWithoutWindow();
    std::stable_sort(findings_.begin(), findings_.end(),
                     [](const v1::Finding& a, const v1::Finding& b) {
                       return a.kind() < b.kind();
                     });
    v1::CatalogueAnalysis out;
    out.set_as_of_date(FormatIsoDate(day_));
    std::map<int, int> counts;
    for (v1::Finding& f : findings_) {
      ++counts[f.kind()];
      if (f.severity() == v1::SEVERITY_ERROR) {
        out.set_error_count(out.error_count() + 1);
      } else {
        out.set_warning_count(out.warning_count() + 1);
      }
      *out.add_findings() = std::move(f);
    }
    for (const auto& [kind, n] : counts) {
      v1::FindingCount* fc = out.add_counts();
      fc->set_kind(static_cast<v1::FindingKind>(kind));
      fc->set_count(n);
    }
    return out;
  }

 private:
  v1::Finding* Add(v1::FindingKind kind, v1::Severity severity,
                   std::string message) {
    findings_.emplace_back();
    v1::Finding* f = &findings_.back();
    f->set_kind(kind);
    f->set_severity(severity);
    f->set_message(std::move(message));
    return f;
  }

  // Whether the rule applies on some day from the date on. Its window in
  // force (CompiledRule::in_force: its own cut to its item's, derived once
  // by the catalogue) is the one routing matches cases against: a rule
  // outliving its item applies no longer, whatever its own end date.
  bool LiveFromNow(const CompiledRule& r) const {
    return r.in_force.to > day_ && r.in_force.from < r.in_force.to;
  }

  // Whether `role` as a lead puts the matter on the grassroots: a role of
  // the township or below, or a named unit of a township or village other
  // than a department's own (a department or its dispatched unit).
  bool GrassrootsRole(const CompiledRole& role) const {
    switch (role.kind) {
      case v1::ROLE_KIND_TOWNSHIP_GOVERNMENT:
      case v1::ROLE_KIND_TOWNSHIP_COMMAND_ROOM:
      case v1::ROLE_KIND_VILLAGE_COMMITTEE:
      case v1::ROLE_KIND_GRID_WORKER:
      case v1::ROLE_KIND_TOWNSHIP_ENFORCEMENT:
        return true;
      case v1::ROLE_KIND_NAMED_UNIT: {
        if (role.unit == kNoUnit) return false;
        const v1::UnitKind kind = o_.kind(role.unit);
        const RegionId region = o_.region(role.unit);
        return kind != v1::UNIT_KIND_DEPARTMENT &&
               kind != v1::UNIT_KIND_DISPATCHED && region != kNoRegion &&
               h_.level(region) >= v1::REGION_LEVEL_TOWNSHIP;
      }
      default:
        return false;
    }
  }

  // Whether a rule can reach township t by its region scope and class.
  bool Reaches(const CompiledRule& r, RegionId t) const {
    if (r.region != kNoRegion && !h_.Contains(r.region, t) &&
        !h_.Contains(t, r.region)) {
      return false;
    }
    return r.township_class_mask == 0 ||
           (r.township_class_mask & (1u << h_.township_class(t))) != 0;
  }

  void Gaps();
  void Overlaps();
  void TwoLeads();
  void UnresolvedRoles();
  void DelegationsWithoutTeam();
  void Expired();
  void References();
  void CooperatingWithoutLead();
  void DelegationsReachingNoTownship();
  void StatutoryPushedDown();
  void NamedUnitsOutsideScope();
  void ServicesWithoutWindow();

  const Catalogue& c_;
  const Hierarchy& h_;
  const Organization& o_;
  const int32_t day_;
  std::vector<RegionId> townships_;
  std::vector<v1::Finding> findings_;
};

// The first range of days from `from` on that none of `windows` covers:
// true with *gap set, or false when they cover every day from `from` on.
// Sorts `windows`.
bool FirstUncovered(std::vector<DayWindow>* windows, int32_t from,
                    DayWindow* gap) {
  std::sort(
      windows->begin(), windows->end(),
      [](const DayWindow& a, const DayWindow& b) { return a.from < b.from; });
  int32_t covered_to = from;  // every day in [from, covered_to) is covered
  for (const DayWindow& w : *windows) {
    if (w.to <= covered_to) continue;
    if (w.from > covered_to) {
      *gap = DayWindow{covered_to, w.from};
      return true;
    }
    covered_to = w.to;
    if (covered_to == kOpenEnd) return false;
  }
  *gap = DayWindow{covered_to, kOpenEnd};
  return true;
}

void Analyzer::Gaps() {
  std::vector<DayWindow> everywhere;  // rules reaching every township
  std::vector<const CompiledRule*> scoped;
  std::vector<DayWindow> windows;
  for (MatterId m = 0; m < c_.matter_count(); ++m) {
    const CompiledMatter& matter = c_.matter(m);
    everywhere.clear();
    scoped.clear();
    for (RuleIndex i = matter.rules_begin; i < matter.rules_end; ++i) {
      const CompiledRule& r = c_.rule(i);
      if (!LiveFromNow(r)) continue;
      if (r.region == kNoRegion && r.township_class_mask == 0) {
        everywhere.push_back(r.in_force);
      } else {
        scoped.push_back(&r);
      }
    }
    windows = everywhere;
    DayWindow gap;
    if (!FirstUncovered(&windows, day_, &gap)) continue;
    // Townships by their first uncovered range, ordered by the range.
    std::map<std::pair<int32_t, int32_t>, std::vector<RegionId>> gaps;
    for (RegionId t : townships_) {
      windows = everywhere;
      for (const CompiledRule* r : scoped) {
        if (Reaches(*r, t)) windows.push_back(r->in_force);
      }
      if (FirstUncovered(&windows, day_, &gap)) {
        gaps[{gap.from, gap.to}].push_back(t);
      }
    }
    for (const auto& [range, towns] : gaps) {
      bool no_backstop = false;
      for (RegionId t : towns) {
        if (o_.CommandCentre(t, v1::CENTRE_TYPE_TOWNSHIP_COMMAND_ROOM) ==
            kNoUnit) {
          no_backstop = true;
          break;
        }
      }
      const auto [from, to] = range;
      std::string when;
      if (from == day_ && to == kOpenEnd) {
        when = "no rule reaches ";
      } else if (to == kOpenEnd) {
        when = absl::StrCat("no rule is in force from ", FormatIsoDate(from),
                            " on in ");
      } else {
        when = absl::StrCat("no rule is in force from ", FormatIsoDate(from),
                            " to ", FormatIsoDate(to - 1), " (", to - from,
                            to - from == 1 ? " day" : " days", ") in ");
      }
      v1::Finding* f = Add(
          v1::FINDING_KIND_GAP,
          no_backstop ? v1::SEVERITY_ERROR : v1::SEVERITY_WARNING,
          absl::StrCat("matter ", matter.code, " ", matter.name, ": ", when,
                       towns.size(), " township", towns.size() == 1 ? "" : "s",
                       " (", Truncated(h_, towns), "); cases there",
                       from == day_ && to == kOpenEnd ? "" : " on those days",
                       " go UNMAPPED to the township command room",
                       no_backstop ? ", and some have none" : ""));
      f->set_matter_code(matter.code);
      SetRegions(h_, towns, f);
    }
  }
}

void Analyzer::Overlaps() {
  for (MatterId m = 0; m < c_.matter_count(); ++m) {
    const CompiledMatter& matter = c_.matter(m);
    for (RuleIndex i = matter.rules_begin; i < matter.rules_end; ++i) {
      const CompiledRule& a = c_.rule(i);
      if (!LiveFromNow(a)) continue;
      for (RuleIndex j = i + 1; j < matter.rules_end; ++j) {
        const CompiledRule& b = c_.rule(j);
        if (!b.SamePrecedence(a)) break;  // sorted by precedence
        if (!LiveFromNow(b) || !RulesCanOverlap(c_, a, b, day_)) continue;
        const bool known = !a.dispute.empty() && a.dispute == b.dispute;
        v1::Finding* f = Add(
            v1::FINDING_KIND_OVERLAP,
            known ? v1::SEVERITY_WARNING : v1::SEVERITY_ERROR,
            absl::StrCat("matter ", matter.code, ": rules ", a.id, " and ",
                         b.id,
                         " can both match one case at equal precedence "
                         "(priority ",
                         a.priority, ", depth ", a.depth, ", ",
                         a.predicate_count,
                         " predicates); routing answers AMBIGUOUS",
                         known ? absl::StrCat(" (known dispute ", a.dispute,
                                              ", awaiting arbitration)")
                               : ""));
        f->set_matter_code(matter.code);
        f->add_rule_ids(a.id);
        f->add_rule_ids(b.id);
      }
    }
  }
}

void Analyzer::TwoLeads() {
  auto lead_type = [&](const CompiledRole& r) {
    if (r.kind == v1::ROLE_KIND_COUNTY_DEPARTMENT ||
        r.kind == v1::ROLE_KIND_DISPATCHED_UNIT) {
      return r.department_type;
    }
    if (r.kind == v1::ROLE_KIND_NAMED_UNIT) return o_.department_type(r.unit);
    return -1;
  };
  for (RuleIndex i = 0; i < c_.rule_count(); ++i) {
    const CompiledRule& r = c_.rule(i);
    if (r.item == kNoIndex || !LiveFromNow(r)) continue;
    const CompiledItem& it = c_.item(r.item);
    std::string problem;
    if (it.township_role == v1::TOWNSHIP_ROLE_COOPERATING &&
        it.lead_department_type >= 0 &&
        lead_type(r.lead) != it.lead_department_type) {
      problem = absl::StrCat(
          "item ", it.code, " is a cooperating (配合) item led by \"",
          o_.department_type_code(it.lead_department_type),
          "\", but rule ", r.id, " makes ", c_.RoleName(r.lead), " lead");
    } else if (it.township_role == v1::TOWNSHIP_ROLE_BASIC &&
               it.exercising_level >= v1::REGION_LEVEL_TOWNSHIP &&
               r.lead.kind == v1::ROLE_KIND_COUNTY_DEPARTMENT) {
      problem = absl::StrCat("item ", it.code,
                             " is a basic (基本) township item, but rule ",
                             r.id, " makes ", c_.RoleName(r.lead), " lead");
    } else if (it.department_type >= 0 &&
               it.exercising_level <= v1::REGION_LEVEL_COUNTY &&
               it.township_role != v1::TOWNSHIP_ROLE_BASIC &&
               it.township_role != v1::TOWNSHIP_ROLE_COOPERATING &&
               !GrassrootsRole(r.lead) && lead_type(r.lead) >= 0 &&
               lead_type(r.lead) != it.department_type) {
      problem = absl::StrCat(
          "item ", it.code, " is exercised by \"",
          o_.department_type_code(it.department_type), "\", but rule ", r.id,
          " makes ", c_.RoleName(r.lead), " lead");
    }
    if (problem.empty()) continue;
    v1::Finding* f =
        Add(v1::FINDING_KIND_TWO_LEADS, v1::SEVERITY_ERROR, problem);
    f->set_item_code(it.code);
    f->add_rule_ids(r.id);
    f->set_matter_code(c_.matter(r.matter).code);
    f->set_role(c_.RoleName(r.lead));
  }
}

void Analyzer::UnresolvedRoles() {
  // Resolution per distinct role and township, computed once: many rules
  // share the same roles.
  struct RoleKey {
    int kind, type;
    uint32_t unit;
    bool operator<(const RoleKey& o) const {
      return std::tie(kind, type, unit) < std::tie(o.kind, o.type, o.unit);
    }
  };
  std::map<RoleKey, std::vector<uint8_t>> resolved;  // per townships_ index
  auto resolves = [&](const CompiledRole& role, size_t ti) -> bool {
    const RoleKey key{role.kind, role.department_type, role.unit};
    auto it = resolved.find(key);
    if (it == resolved.end()) {
      std::vector<uint8_t> ok(townships_.size());
      for (size_t k = 0; k < townships_.size(); ++k) {
        const RegionId t = townships_[k];
        if (role.kind == v1::ROLE_KIND_VILLAGE_COMMITTEE) {
          bool all = true;
          for (RegionId v = t + 1; v < h_.subtree_end(t); v = h_.subtree_end(v)) {
            if (h_.level(v) == v1::REGION_LEVEL_VILLAGE &&
                c_.Resolve(role, v).kind == Handler::kNone) {
              all = false;
              break;
            }
          }
          ok[k] = all;
        } else if (role.kind == v1::ROLE_KIND_GRID_WORKER) {
          ok[k] = 1;  // a grid's own workers are always there
        } else {
          ok[k] = c_.Resolve(role, t).kind != Handler::kNone;
        }
      }
      it = resolved.emplace(key, std::move(ok)).first;
    }
    return it->second[ti] != 0;
  };
  for (RuleIndex i = 0; i < c_.rule_count(); ++i) {
    const CompiledRule& r = c_.rule(i);
    if (!LiveFromNow(r)) continue;
    std::vector<std::pair<const CompiledRole*, std::string>> roles;
    roles.emplace_back(&r.lead, "lead");
    int k = 0;
    for (const CompiledRole& co : c_.co_handlers(r)) {
      roles.emplace_back(&co, absl::StrCat("co_handlers[", k++, "]"));
    }
    if (r.supervisor.kind != v1::ROLE_KIND_UNSPECIFIED) {
      roles.emplace_back(&r.supervisor, "supervisor");
    }
    for (const auto& [role, field] : roles) {
      if (role->kind == v1::ROLE_KIND_UNSPECIFIED) continue;
      std::vector<RegionId> missing;
      for (size_t ti = 0; ti < townships_.size(); ++ti) {
        if (Reaches(r, townships_[ti]) && !resolves(*role, ti)) {
          missing.push_back(townships_[ti]);
        }
      }
      if (missing.empty()) continue;
      v1::Finding* f = Add(
          v1::FINDING_KIND_UNRESOLVED_ROLE, v1::SEVERITY_ERROR,
          absl::StrCat("rule ", r.id, " ", field, " ", c_.RoleName(*role),
                       " resolves to no unit in ", missing.size(),
                       " township", missing.size() == 1 ? "" : "s", " (",
                       Truncated(h_, missing), ")"));
      f->add_rule_ids(r.id);
      f->set_matter_code(c_.matter(r.matter).code);
      f->set_role(absl::StrCat(field, " ", c_.RoleName(*role)));
      SetRegions(h_, missing, f);
    }
  }
}

void Analyzer::DelegationsWithoutTeam() {
  for (DelegationIndex d = 0; d < c_.delegation_count(); ++d) {
    const CompiledDelegation& g = c_.delegation(d);
    if (g.window.to <= day_) continue;
    // A team is needed only where the mode applies: an enforcement item
    // in own-name or joint mode (the government takes any other).
    if ((g.mode != v1::DELEGATION_MODE_OWN_NAME &&
         g.mode != v1::DELEGATION_MODE_JOINT) ||
        !c_.item(g.item).enforcement()) {
      continue;
    }
    std::vector<RegionId> missing;
    for (RegionId t : g.townships) {
      const bool team = o_.EnforcementTeam(t) != kNoUnit;
      const bool joint = o_.JointEnforcementCentre(t) != kNoUnit;
      if (g.mode == v1::DELEGATION_MODE_OWN_NAME ? !team : !(team || joint)) {
        missing.push_back(t);
      }
    }
    if (missing.empty()) continue;
    v1::Finding* f = Add(
        v1::FINDING_KIND_DELEGATION_WITHOUT_TEAM, v1::SEVERITY_ERROR,
        absl::StrCat(
            "delegation ", g.id, " of item ", c_.item(g.item).code, " (",
            v1::DelegationMode_Name(g.mode), ") reaches ", missing.size(),
            " township", missing.size() == 1 ? "" : "s", " without ",
            g.mode == v1::DELEGATION_MODE_OWN_NAME
                ? "an enforcement team"
                : "a joint-enforcement centre or team",
            " (", Truncated(h_, missing), ")"));
    f->set_delegation_id(g.id);
    f->set_item_code(c_.item(g.item).code);
    SetRegions(h_, missing, f);
  }
}

void Analyzer::Expired() {
  const std::string today = FormatIsoDate(day_);
  for (RuleIndex i = 0; i < c_.rule_count(); ++i) {
    const CompiledRule& r = c_.rule(i);
    if (r.window.to > day_) continue;
    v1::Finding* f = Add(
        v1::FINDING_KIND_EXPIRED, v1::SEVERITY_WARNING,
        absl::StrCat(r.scenario >= 0 ? "scenario " : "rule ", r.id,
                     " is no longer in force from ", FormatIsoDate(r.window.to),
                     " (analysis as of ", today, ")"));
    f->add_rule_ids(r.id);
    f->set_matter_code(c_.matter(r.matter).code);
  }
  for (DelegationIndex d = 0; d < c_.delegation_count(); ++d) {
    const CompiledDelegation& g = c_.delegation(d);
    if (g.window.to > day_) continue;
    v1::Finding* f = Add(v1::FINDING_KIND_EXPIRED, v1::SEVERITY_WARNING,
                         absl::StrCat("delegation ", g.id, " of item ",
                                      c_.item(g.item).code,
                                      " is no longer in force from ",
                                      FormatIsoDate(g.window.to),
                                      " (analysis as of ", today, ")"));
    f->set_delegation_id(g.id);
    f->set_item_code(c_.item(g.item).code);
  }
}

void Analyzer::References() {
  // The finding for an entry in force citing an item that is not; nullptr
  // when the item is in force.
  auto check = [&](ItemId item, absl::string_view what) -> v1::Finding* {
    const CompiledItem& it = c_.item(item);
    v1::Finding* f = nullptr;
    if (it.window.to <= day_ || c_.IsRetiredCode(it.code)) {
      f = Add(v1::FINDING_KIND_RETIRED_CODE_IN_USE, v1::SEVERITY_ERROR,
              absl::StrCat(what, " cites item ", it.code, ", retired on ",
                           FormatIsoDate(it.window.to)));
    } else if (it.window.from > day_) {
      f = Add(v1::FINDING_KIND_DANGLING_REFERENCE, v1::SEVERITY_WARNING,
              absl::StrCat(what, " cites item ", it.code,
                           ", in force only from ",
                           FormatIsoDate(it.window.from)));
    }
    if (f != nullptr) f->set_item_code(it.code);
    return f;
  };
  for (RuleIndex i = 0; i < c_.rule_count(); ++i) {
    const CompiledRule& r = c_.rule(i);
    if (r.item == kNoIndex || !r.window.Contains(day_)) continue;
    v1::Finding* f = check(
        r.item, absl::StrCat(r.scenario >= 0 ? "scenario " : "rule ", r.id));
    if (f != nullptr) {
      f->add_rule_ids(r.id);
      f->set_matter_code(c_.matter(r.matter).code);
    }
  }
  for (DelegationIndex d = 0; d < c_.delegation_count(); ++d) {
    const CompiledDelegation& g = c_.delegation(d);
    if (!g.window.Contains(day_)) continue;
    v1::Finding* f = check(g.item, absl::StrCat("delegation ", g.id));
    if (f != nullptr) f->set_delegation_id(g.id);
  }
}

void Analyzer::CooperatingWithoutLead() {
  std::vector<RegionId> counties;
  for (RegionId t : townships_) {
    const RegionId county = h_.county_of(t);
    if (county != kNoRegion &&
        (counties.empty() || counties.back() != county)) {
      counties.push_back(county);
    }
  }
  counties.erase(std::unique(counties.begin(), counties.end()),
                 counties.end());
  for (ItemId i = 0; i < c_.item_count(); ++i) {
    const CompiledItem& it = c_.item(i);
    if (it.township_role != v1::TOWNSHIP_ROLE_COOPERATING ||
        it.lead_department_type < 0 || it.window.to <= day_) {
      continue;
    }
    CompiledRole lead;
    lead.kind = v1::ROLE_KIND_COUNTY_DEPARTMENT;
    lead.department_type = it.lead_department_type;
    std::vector<RegionId> missing;
    for (RegionId county : counties) {
      if (c_.Resolve(lead, county).kind == Handler::kNone) {
        missing.push_back(county);
      }
    }
    if (missing.empty()) continue;
    v1::Finding* f = Add(
        v1::FINDING_KIND_COOPERATING_WITHOUT_LEAD, v1::SEVERITY_ERROR,
        absl::StrCat("cooperating item ", it.code, " names \"",
                     o_.department_type_code(it.lead_department_type),
                     "\" to lead, but ", missing.size(), " count",
                     missing.size() == 1 ? "y has" : "ies have",
                     " no such department (", Truncated(h_, missing), ")"));
    f->set_item_code(it.code);
    SetRegions(h_, missing, f);
  }
}

void Analyzer::DelegationsReachingNoTownship() {
  for (DelegationIndex d = 0; d < c_.delegation_count(); ++d) {
    const CompiledDelegation& g = c_.delegation(d);
    if (g.window.to <= day_ || !g.townships.empty()) continue;
    v1::Finding* f =
        Add(v1::FINDING_KIND_DELEGATION_REACHES_NO_TOWNSHIP, v1::SEVERITY_ERROR,
            absl::StrCat(
                "delegation ", g.id, " of item ", c_.item(g.item).code,
                ": its scope reaches no township of the dataset, so the "
                "power stays with the department everywhere",
                g.document.empty() ? "" : absl::StrCat(" (", g.document, ")")));
    f->set_delegation_id(g.id);
    f->set_item_code(c_.item(g.item).code);
  }
}

void Analyzer::StatutoryPushedDown() {
  for (RuleIndex i = 0; i < c_.rule_count(); ++i) {
    const CompiledRule& r = c_.rule(i);
    if (r.item == kNoIndex || !LiveFromNow(r) || !GrassrootsRole(r.lead)) {
      continue;
    }
    const CompiledItem& it = c_.item(r.item);
    if (!it.statutory_department_matter) continue;
    v1::Finding* f =
        Add(v1::FINDING_KIND_STATUTORY_PUSHED_DOWN, v1::SEVERITY_ERROR,
            absl::StrCat(
                "item ", it.code, " is a department's own statutory matter",
                it.department_type >= 0
                    ? absl::StrCat(" (\"",
                                   o_.department_type_code(it.department_type),
                                   "\")")
                    : "",
                ", but ", r.scenario >= 0 ? "scenario " : "rule ", r.id,
                " makes ", c_.RoleName(r.lead),
                " lead: it must not be pushed down to the grassroots"));
    f->set_item_code(it.code);
    f->add_rule_ids(r.id);
    f->set_matter_code(c_.matter(r.matter).code);
    f->set_role(c_.RoleName(r.lead));
  }
  for (DelegationIndex d = 0; d < c_.delegation_count(); ++d) {
    const CompiledDelegation& g = c_.delegation(d);
    const CompiledItem& it = c_.item(g.item);
    if (g.window.to <= day_ || !it.statutory_department_matter) continue;
    v1::Finding* f =
        Add(v1::FINDING_KIND_STATUTORY_PUSHED_DOWN, v1::SEVERITY_ERROR,
            absl::StrCat(
                "delegation ", g.id, " delegates item ", it.code,
                ", a department's own statutory matter",
                g.townships.empty()
                    ? ""
                    : absl::StrCat(", to ", g.townships.size(), " township",
                                   g.townships.size() == 1 ? "" : "s", " (",
                                   Truncated(h_, g.townships), ")"),
                ": it must not be pushed down to the grassroots"));
    f->set_delegation_id(g.id);
    f->set_item_code(it.code);
    SetRegions(h_, g.townships, f);
  }
}

void Analyzer::NamedUnitsOutsideScope() {
  for (RuleIndex i = 0; i < c_.rule_count(); ++i) {
    const CompiledRule& r = c_.rule(i);
    if (r.region == kNoRegion || !LiveFromNow(r)) continue;
    auto check = [&](const CompiledRole& role, absl::string_view as) {
      if (role.kind != v1::ROLE_KIND_NAMED_UNIT || role.unit == kNoUnit) {
        return;
      }
      // A unit of a township or village (a dispatched unit may cover
      // townships other than its own: left to its cover).
      const RegionId at = o_.region(role.unit);
      if (at == kNoRegion || h_.level(at) < v1::REGION_LEVEL_TOWNSHIP ||
          o_.kind(role.unit) == v1::UNIT_KIND_DISPATCHED ||
          h_.Contains(r.region, at) || h_.Contains(at, r.region)) {
        return;
      }
      v1::Finding* f =
          Add(v1::FINDING_KIND_NAMED_UNIT_OUTSIDE_SCOPE, v1::SEVERITY_ERROR,
              absl::StrCat(
                  r.scenario >= 0 ? "scenario " : "rule ", r.id, " applies in ",
                  h_.name(r.region), " ", h_.code(r.region), " but names ",
                  o_.name(role.unit), " [", o_.code(role.unit), "] of ",
                  h_.name(at), " ", h_.code(at), " as its ", as,
                  ": a unit of another township would handle its cases"));
      f->add_rule_ids(r.id);
      f->set_matter_code(c_.matter(r.matter).code);
      f->set_role(c_.RoleName(role));
      f->add_region_codes(h_.code(at));
    };
    check(r.lead, "lead");
    for (const CompiledRole& co : c_.co_handlers(r)) check(co, "co-handler");
    check(r.supervisor, "supervisor");
  }
}

void Analyzer::ServicesWithoutWindow() {
  // The region at the item's accepting level governing township t (the
  // county level: its county, or its city where there is none; below the
  // township: the township itself, whose window its villages fall back to),
  // where RouteService looks for a window (Organization::ServiceWindow).
  auto has_window = [&](RegionId t, v1::RegionLevel level) {
    RegionId r = t;
    if (level == v1::REGION_LEVEL_COUNTY) {
      r = h_.county_of(t);
    } else {
      while (r != kNoRegion && h_.level(r) > level) r = h_.parent(r);
    }
    return r != kNoRegion && o_.ServiceWindow(h_, r) != kNoUnit;
  };
  for (ItemId i = 0; i < c_.item_count(); ++i) {
    const CompiledItem& it = c_.item(i);
    if (it.list_type != v1::LIST_TYPE_GOVERNMENT_SERVICE ||
        it.window.to <= day_) {
      continue;
    }
    std::vector<RegionId> without;
    for (RegionId t : townships_) {
      if (!has_window(t, it.accepting_level)) without.push_back(t);
    }
    if (without.empty()) continue;
    v1::Finding* f =
        Add(v1::FINDING_KIND_SERVICE_WITHOUT_WINDOW, v1::SEVERITY_ERROR,
            absl::StrCat(
                "government-service item ", it.code, " ", it.name,
                " is accepted at ", v1::RegionLevel_Name(it.accepting_level),
                ", but no service centre or government accepts "
                "it there or above for ",
                without.size(), " township", without.size() == 1 ? "" : "s",
                " (", Truncated(h_, without), ")"));
    f->set_item_code(it.code);
    SetRegions(h_, without, f);
  }
}

}  // namespace

bool RulesCanOverlap(const Catalogue& c, const CompiledRule& a,
                     const CompiledRule& b, int32_t from_day) {
  const Hierarchy& h = c.hierarchy();
  // Windows in force meet, on or after from_day: the windows routing
  // matches against (each rule's own cut to its item's, see
  // CompiledRule::in_force), so that a rule its item no longer supports
  // overlaps nothing.
  const int32_t lo = std::max({a.in_force.from, b.in_force.from, from_day});
  const int32_t hi = std::min(a.in_force.to, b.in_force.to);
  if (lo >= hi) return false;
  // Regions nested (or one of them unrestricted).
  RegionId region = kNoRegion;
  if (a.region != kNoRegion && b.region != kNoRegion) {
    if (h.Contains(a.region, b.region)) {
      region = b.region;
    } else if (h.Contains(b.region, a.region)) {
      region = a.region;
    } else {
      return false;
    }
  } else {
    region = a.region != kNoRegion ? a.region : b.region;
  }
  if (!MasksMeet(a.township_class_mask, b.township_class_mask)) return false;
  const uint32_t classes = a.township_class_mask & b.township_class_mask
                               ? (a.township_class_mask & b.township_class_mask)
                               : (a.township_class_mask | b.township_class_mask);
  if (classes != 0 && region != kNoRegion &&
      h.township_of(region) != kNoRegion &&
      (classes & (1u << h.township_class(h.township_of(region)))) == 0) {
    return false;  // the shared region is a township of another class
  }
  if (!MasksMeet(a.urban_rural_mask, b.urban_rural_mask)) return false;
  if (!MasksMeet(a.request_kind_mask, b.request_kind_mask)) return false;
  const int64_t ulo = std::max<int64_t>(a.min_urgency, b.min_urgency);
  const int64_t ahi = a.max_urgency > 0 ? a.max_urgency
                                        : std::numeric_limits<int32_t>::max();
  const int64_t bhi = b.max_urgency > 0 ? b.max_urgency
                                        : std::numeric_limits<int32_t>::max();
  if (ulo > std::min(ahi, bhi)) return false;
  Constraints ca = ConstraintsOf(c, a);
  const Constraints cb = ConstraintsOf(c, b);
  for (const auto& [attribute, k] : cb) ca[attribute].Intersect(k);
  for (const auto& [attribute, k] : ca) {
    if (!k.Satisfiable()) return false;
  }
  return true;
}

std::string FormatAnalysis(const v1::CatalogueAnalysis& a) {
  std::string out;
  for (const v1::Finding& f : a.findings()) {
    absl::StrAppend(&out,
                    f.severity() == v1::SEVERITY_ERROR ? "error: " : "warning: ",
                    v1::FindingKind_Name(f.kind()).substr(13), ": ",
                    f.message(), "\n");
  }
  absl::StrAppend(&out, "as of ", a.as_of_date(), ": ", a.error_count(),
                  a.error_count() == 1 ? " error, " : " errors, ",
                  a.warning_count(),
                  a.warning_count() == 1 ? " warning" : " warnings");
  for (int i = 0; i < a.counts_size(); ++i) {
    absl::StrAppend(&out, i == 0 ? " (" : ", ",
                    v1::FindingKind_Name(a.counts(i).kind()).substr(13), " ",
                    a.counts(i).count());
  }
  absl::StrAppend(&out, a.counts_size() > 0 ? ")\n" : "\n");
  return out;
}

v1::CatalogueAnalysis AnalyzeCatalogue(const Catalogue& catalogue,
                                       int32_t as_of_day) {
  return Analyzer(catalogue, as_of_day).Run();
}

}  // namespace jiceng
