// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0

#include "src/catalogue/analysis.h"

#include <algorithm>
#include <bitset>
#include <functional>
#include <limits>
#include <map>
#include <optional>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/numeric/bits.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
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

// A rule's constraints, built once per rule: by attribute, and whether
// each alone can be met.
struct RuleConstraints {
  bool satisfiable = true;
  std::vector<std::pair<AttributeId, Constraint>> by_attribute;  // sorted
};

RuleConstraints RuleConstraintsOf(const Catalogue& c, const CompiledRule& r) {
  RuleConstraints out;
  for (auto& [attribute, k] : ConstraintsOf(c, r)) {
    if (!k.Satisfiable()) out.satisfiable = false;
    out.by_attribute.emplace_back(attribute, std::move(k));
  }
  return out;
}

// Whether two sorted sets share a value, without allocating: each value of
// the smaller looked up in the larger. Adds the lookups to *work.
bool SetsMeet(const std::vector<uint32_t>& a, const std::vector<uint32_t>& b,
              int64_t* work) {
  const std::vector<uint32_t>& small = a.size() <= b.size() ? a : b;
  const std::vector<uint32_t>& large = a.size() <= b.size() ? b : a;
  auto from = large.begin();
  for (uint32_t v : small) {
    ++*work;
    from = std::lower_bound(from, large.end(), v);
    if (from == large.end()) return false;
    if (*from == v) return true;
  }
  return false;
}

// Whether both rules' constraints can hold for one case: what intersecting
// them attribute by attribute (Constraint::Intersect) and testing
// Satisfiable finds, without building the intersection. Adds the steps
// taken to *work.
bool ConstraintsMeet(const RuleConstraints& a, const RuleConstraints& b,
                     int64_t* work) {
  if (!a.satisfiable || !b.satisfiable) return false;
  auto i = a.by_attribute.begin();
  auto j = b.by_attribute.begin();
  while (i != a.by_attribute.end() && j != b.by_attribute.end()) {
    ++*work;
    if (i->first < j->first) {
      ++i;
    } else if (j->first < i->first) {
      ++j;
    } else {
      const Constraint& x = i->second;
      const Constraint& y = j->second;
      const bool absent = x.absent || y.absent;
      const bool has_set = x.has_set || y.has_set;
      const bool has_range = x.has_range || y.has_range;
      const bool needs_value = x.present || y.present || has_set || has_range;
      if (absent && needs_value) return false;
      if (x.has_set && y.has_set && !SetsMeet(x.set, y.set, work)) {
        return false;
      }
      if (has_range) {
        const double min = y.has_range ? std::max(x.min, y.min) : x.min;
        const double max = y.has_range ? std::min(x.max, y.max) : x.max;
        if (!(min <= max)) return false;
      }
      ++i;
      ++j;
    }
  }
  return true;
}

// Whether two rules' windows in force meet on or after from_day and their
// scopes (region, classes, kinds, urgency) meet: RulesCanOverlap less the
// attribute tests.
bool ScopesMeet(const Hierarchy& h, const CompiledRule& a,
                const CompiledRule& b, int32_t from_day);

bool MasksMeet(uint32_t a, uint32_t b) { return a == 0 || b == 0 || (a & b); }

// Every region code of `ids` (the first of `total`), at most
// kMaxRegionsPerFinding.
void SetRegions(const Hierarchy& h, const std::vector<RegionId>& ids,
                size_t total, v1::Finding* f) {
  f->set_region_count(static_cast<int32_t>(total));
  const size_t n =
      std::min(ids.size(), static_cast<size_t>(kMaxRegionsPerFinding));
  // Room first, and each code added as an lvalue: protobuf 3.21's
  // RepeatedPtrField::Add(std::string&&) counts the element before
  // allocating it, so a std::bad_alloc there (the C ABI's sweep makes one)
  // would leave a dangling element for the destructor.
  f->mutable_region_codes()->Reserve(f->region_codes_size() +
                                     static_cast<int>(n));
  for (size_t i = 0; i < n; ++i) {
    const std::string code = h.code(ids[i]);
    f->add_region_codes(code);
  }
}
void SetRegions(const Hierarchy& h, const std::vector<RegionId>& ids,
                v1::Finding* f) {
  SetRegions(h, ids, ids.size(), f);
}

// The first three of `ids` (the first of `total`) by name and code.
std::string Truncated(const Hierarchy& h, const std::vector<RegionId>& ids,
                      size_t total) {
  std::vector<std::string> names;
  for (size_t i = 0; i < ids.size() && i < 3; ++i) {
    names.push_back(absl::StrCat(h.name(ids[i]), " ", h.code(ids[i])));
  }
  std::string out = absl::StrJoin(names, ", ");
  if (total > 3) absl::StrAppend(&out, " and ", total - 3, " more");
  return out;
}
std::string Truncated(const Hierarchy& h, const std::vector<RegionId>& ids) {
  return Truncated(h, ids, ids.size());
}

// The first uncovered day (as FirstUncovered below) of many townships at
// once: the townships are leaves 0..n-1, each starting covered up to the
// analysis date; windows are applied in order of their first day, each to
// a range of leaves. A leaf still covered only up to before the window's
// first day has its gap found (from there to that day) and leaves the
// tree; the others are covered up to the window's end (a range chmax,
// lazily). O(log n) per window and per gap found.
class CoverTree {
 public:
  static constexpr int64_t kDone = std::numeric_limits<int64_t>::max();

  CoverTree(size_t n, int32_t from)
      : n_(n), min_(4 * n + 4, from), lazy_(4 * n + 4, kNone) {}

  // Applies window [from, to) to leaves [a, b); gaps found go to *gaps as
  // (leaf, gap).
  void Apply(size_t a, size_t b, int32_t from, int32_t to,
             std::vector<std::pair<size_t, DayWindow>>* gaps) {
    if (a >= b) return;
    Extract(1, 0, n_, a, b, from, gaps);
    Raise(1, 0, n_, a, b, to);
  }
  // The covered-to value of every leaf still in the tree (kDone for the
  // others), in leaf order.
  void Leaves(std::vector<int64_t>* out) {
    out->assign(n_, kDone);
    if (n_ > 0) Collect(1, 0, n_, out);
  }

 private:
  static constexpr int64_t kNone = std::numeric_limits<int64_t>::min();

  void Put(size_t node, int64_t x) {
    min_[node] = std::max(min_[node], x);
    lazy_[node] = std::max(lazy_[node], x);
  }
  void Push(size_t node) {
    if (lazy_[node] == kNone) return;
    Put(2 * node, lazy_[node]);
    Put(2 * node + 1, lazy_[node]);
    lazy_[node] = kNone;
  }
  void Extract(size_t node, size_t l, size_t r, size_t a, size_t b,
               int32_t from, std::vector<std::pair<size_t, DayWindow>>* gaps) {
    if (r <= a || b <= l || min_[node] >= from) return;
    if (r - l == 1) {
      gaps->emplace_back(l, DayWindow{static_cast<int32_t>(min_[node]), from});
      min_[node] = kDone;
      return;
    }
    Push(node);
    const size_t mid = l + (r - l) / 2;
    Extract(2 * node, l, mid, a, b, from, gaps);
    Extract(2 * node + 1, mid, r, a, b, from, gaps);
    min_[node] = std::min(min_[2 * node], min_[2 * node + 1]);
  }
  void Raise(size_t node, size_t l, size_t r, size_t a, size_t b, int64_t to) {
    if (r <= a || b <= l || min_[node] >= to) return;
    if (a <= l && r <= b) {
      Put(node, to);
      return;
    }
    Push(node);
    const size_t mid = l + (r - l) / 2;
    Raise(2 * node, l, mid, a, b, to);
    Raise(2 * node + 1, mid, r, a, b, to);
    min_[node] = std::min(min_[2 * node], min_[2 * node + 1]);
  }
  void Collect(size_t node, size_t l, size_t r, std::vector<int64_t>* out) {
    if (min_[node] == kDone) return;
    if (r - l == 1) {
      (*out)[l] = min_[node];
      return;
    }
    Push(node);
    const size_t mid = l + (r - l) / 2;
    Collect(2 * node, l, mid, out);
    Collect(2 * node + 1, mid, r, out);
  }

  size_t n_;
  std::vector<int64_t> min_;
  std::vector<int64_t> lazy_;
};

class Analyzer {
 public:
  Analyzer(const Catalogue& c, int32_t day)
      : c_(c), h_(c.hierarchy()), o_(c.organization()), day_(day) {
    for (RegionId id = 0; id < h_.size();) {
      if (h_.level(id) == v1::REGION_LEVEL_TOWNSHIP) {
        townships_.push_back(id);
        by_class_[h_.township_class(id) & 3u].push_back(id);
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
    PowersPushedDown();
    std::stable_sort(findings_.begin(), findings_.end(),
                     [](const v1::Finding& a, const v1::Finding& b) {
                       return a.kind() < b.kind();
                     });
    v1::CatalogueAnalysis out;
    out.set_as_of_date(FormatIsoDate(day_));
    std::map<int, int> counts = unrecorded_counts_;
    out.set_error_count(unrecorded_errors_);
    out.set_warning_count(unrecorded_warnings_);
    out.set_findings_not_recorded(unrecorded_errors_ + unrecorded_warnings_);
    out.set_overlap_pairs_not_examined(pairs_not_examined_);
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
  // Whether findings are no longer recorded, only counted.
  bool Full() const { return findings_.size() >= kMaxRecordedFindings; }
  // Counts a finding not recorded.
  void CountOnly(v1::FindingKind kind, v1::Severity severity) {
    ++unrecorded_counts_[kind];
    ++(severity == v1::SEVERITY_ERROR ? unrecorded_errors_
                                      : unrecorded_warnings_);
  }
  // The finding to fill in: a new one, or, once kMaxRecordedFindings are
  // recorded, a scratch one only counted.
  v1::Finding* Add(v1::FindingKind kind, v1::Severity severity,
                   std::string message) {
    if (Full()) {
      CountOnly(kind, severity);
      scratch_.Clear();
      return &scratch_;
    }
    findings_.emplace_back();
    v1::Finding* f = &findings_.back();
    f->set_kind(kind);
    f->set_severity(severity);
    f->set_message(std::move(message));
    return f;
  }
  // A finding on rule `r` citing item `it`: its item, rule, matter and
  // role set.
  v1::Finding* AddOnRule(v1::FindingKind kind, v1::Severity severity,
                         std::string message, const CompiledItem& it,
                         const CompiledRule& r) {
    v1::Finding* f = Add(kind, severity, std::move(message));
    f->set_item_code(it.code);
    f->add_rule_ids(r.id);
    f->set_matter_code(c_.matter(r.matter).code);
    f->set_role(c_.RoleName(r.lead));
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

  // The body a lead role makes answer for an item (责任主体): a department
  // (its county department, its dispatched units and named units that are
  // either count as one), the township (its government, command room,
  // enforcement, named units of a township), a village (its committee, grid
  // workers, named units of a village or grid), another named unit; or a
  // coordinating centre (county social-governance, 12345, city operations)
  // taking a case up, which answers for no item.
  struct LeadBody {
    enum Kind { kCoordinating, kDepartment, kTownship, kVillage, kUnit };
    Kind kind = kCoordinating;
    int64_t id = 0;  // the department type, or the unit
  };
  LeadBody BodyOf(const CompiledRole& role) const {
    switch (role.kind) {
      case v1::ROLE_KIND_COUNTY_DEPARTMENT:
      case v1::ROLE_KIND_DISPATCHED_UNIT:
        return {LeadBody::kDepartment, role.department_type};
      case v1::ROLE_KIND_TOWNSHIP_GOVERNMENT:
      case v1::ROLE_KIND_TOWNSHIP_COMMAND_ROOM:
      case v1::ROLE_KIND_TOWNSHIP_ENFORCEMENT:
        return {LeadBody::kTownship, 0};
      case v1::ROLE_KIND_VILLAGE_COMMITTEE:
      case v1::ROLE_KIND_GRID_WORKER:
        return {LeadBody::kVillage, 0};
      case v1::ROLE_KIND_NAMED_UNIT: {
        if (role.unit == kNoUnit) return {LeadBody::kUnit, -1};
        const v1::UnitKind kind = o_.kind(role.unit);
        const RegionId region = o_.region(role.unit);
        const int type = o_.department_type(role.unit);
        if ((kind == v1::UNIT_KIND_DEPARTMENT ||
             kind == v1::UNIT_KIND_DISPATCHED) &&
            type >= 0) {
          return {LeadBody::kDepartment, type};
        }
        if (region != kNoRegion &&
            h_.level(region) > v1::REGION_LEVEL_TOWNSHIP) {
          return {LeadBody::kVillage, 0};
        }
        if (region != kNoRegion &&
            h_.level(region) == v1::REGION_LEVEL_TOWNSHIP) {
          return {LeadBody::kTownship, 0};
        }
        if (kind == v1::UNIT_KIND_COMMAND_CENTRE) return {};
        return {LeadBody::kUnit, static_cast<int64_t>(role.unit)};
      }
      default:
        return {};
    }
  }

  // The (township, window) of every delegation of `item`, ordered by
  // township: built once per item asked.
  const std::vector<std::pair<RegionId, DayWindow>>& DelegatedTo(ItemId item) {
    auto [at, inserted] = delegated_to_.try_emplace(item);
    if (inserted) {
      for (DelegationIndex d : c_.item_delegations(item)) {
        const CompiledDelegation& g = c_.delegation(d);
        for (RegionId t : g.townships) at->second.emplace_back(t, g.window);
      }
      std::stable_sort(at->second.begin(), at->second.end(),
                       [](const std::pair<RegionId, DayWindow>& a,
                          const std::pair<RegionId, DayWindow>& b) {
                         return a.first < b.first;
                       });
    }
    return at->second;
  }

  // The townships of `list` (ordered by id) that a rule reaches by its
  // region scope — those inside its region, or the one containing it — as
  // an index range [first, second) of `list`; its class is left to the
  // caller. O(log n).
  std::pair<size_t, size_t> ReachRange(const std::vector<RegionId>& list,
                                       const CompiledRule& r) const {
    if (r.region == kNoRegion) return {0, list.size()};
    const auto lo = std::lower_bound(list.begin(), list.end(), r.region);
    const auto hi = std::lower_bound(lo, list.end(), h_.subtree_end(r.region));
    if (lo != hi) return {lo - list.begin(), hi - list.begin()};
    const RegionId t = h_.township_of(r.region);
    if (t != kNoRegion) {
      const auto at = std::lower_bound(list.begin(), list.end(), t);
      if (at != list.end() && *at == t) {
        return {at - list.begin(), at - list.begin() + 1};
      }
    }
    return {0, 0};
  }
  static bool ClassIn(uint32_t mask, int cls) {
    return mask == 0 || (mask & (1u << cls)) != 0;
  }
  // Whether routing's delegation overlay can apply to a rule this leads
  // (Router::Delegable): a department leads it.
  bool Delegable(const CompiledRole& lead) const {
    return BodyOf(lead).kind == LeadBody::kDepartment;
  }
  // The townships that rule `a` reaches (its region and township classes),
  // and `b` too when not null, where on some day from the date on that
  // both are in force no delegation of `item` is: appended to *missing
  // (ascending), the earliest such range of days among them in
  // *first_gap. Returns their count; adds the townships examined to
  // *work when not null.
  size_t Undelegated(ItemId item, const CompiledRule& a, const CompiledRule* b,
                     std::vector<RegionId>* missing, DayWindow* first_gap,
                     int64_t* work);
  // Whether some township lacks a command room (computed once).
  bool SomeTownshipWithoutRoom() {
    if (without_room_ < 0) {
      without_room_ = 0;
      for (RegionId t : townships_) {
        if (o_.CommandCentre(t, v1::CENTRE_TYPE_TOWNSHIP_COMMAND_ROOM) ==
            kNoUnit) {
          without_room_ = 1;
          break;
        }
      }
    }
    return without_room_ == 1;
  }
  void AddGap(const CompiledMatter& matter, DayWindow range,
              const std::vector<RegionId>& towns, bool no_backstop,
              const std::string& cases);
  // The gaps of `matter` left by `rules` for `cases` ("" for every case;
  // else cases of urban-rural indices `urban_rural`, a bit each), in the
  // townships where such cases arise (`urban_rural_in`, by townships_
  // index).
  void MatterGaps(const CompiledMatter& matter,
                  const std::vector<const CompiledRule*>& rules,
                  const std::string& cases, uint8_t urban_rural,
                  const std::vector<uint8_t>& urban_rural_in);
  // Whether one of `towns` lacks a command room to take unmapped cases.
  bool WithoutRoom(const std::vector<RegionId>& towns) const {
    for (RegionId t : towns) {
      if (o_.CommandCentre(t, v1::CENTRE_TYPE_TOWNSHIP_COMMAND_ROOM) ==
          kNoUnit) {
        return true;
      }
    }
    return false;
  }

  void Gaps();
  void Overlaps();
  void TwoLeads();
  void TwoRulesOneItem();
  void UnresolvedRoles();
  void DelegationsWithoutTeam();
  void Expired();
  void References();
  void CooperatingWithoutLead();
  void DelegationsReachingNoTownship();
  void StatutoryPushedDown();
  void PowersPushedDown();
  void NamedUnitsOutsideScope();
  void ServicesWithoutWindow();

  const Catalogue& c_;
  const Hierarchy& h_;
  const Organization& o_;
  const int32_t day_;
  std::vector<RegionId> townships_;
  std::vector<RegionId> by_class_[4];  // townships_ by township class
  int without_room_ = -1;
  std::vector<v1::Finding> findings_;
  v1::Finding scratch_;
  std::map<int, int> unrecorded_counts_;
  int unrecorded_errors_ = 0;
  int unrecorded_warnings_ = 0;
  int64_t pairs_not_examined_ = 0;
  int64_t overlap_work_ = 0;
  absl::flat_hash_map<ItemId, std::vector<std::pair<RegionId, DayWindow>>>
      delegated_to_;
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

// "in 3 townships (A 320…, B 320…, C 320…), from 2026-03-01 on at the
// earliest": where Undelegated found no delegation.
std::string WhereUndelegated(const Hierarchy& h,
                             const std::vector<RegionId>& missing, size_t total,
                             DayWindow first_gap) {
  return absl::StrCat(
      "in ", total, " township", total == 1 ? "" : "s", " (",
      Truncated(h, missing), "), from ", FormatIsoDate(first_gap.from),
      first_gap.to == kOpenEnd
          ? std::string(" on")
          : absl::StrCat(" to ", FormatIsoDate(first_gap.to - 1)),
      total == 1 ? "" : " at the earliest");
}

size_t Analyzer::Undelegated(ItemId item, const CompiledRule& a,
                             const CompiledRule* b,
                             std::vector<RegionId>* missing,
                             DayWindow* first_gap, int64_t* work) {
  const int32_t first =
      std::max({day_, a.in_force.from, b != nullptr ? b->in_force.from : day_});
  const int32_t end =
      std::min(a.in_force.to, b != nullptr ? b->in_force.to : kOpenEnd);
  const std::vector<std::pair<RegionId, DayWindow>>& delegated =
      DelegatedTo(item);
  const size_t before = missing->size();
  size_t total = 0;
  *first_gap = DayWindow{kOpenEnd, kOpenEnd};
  std::vector<DayWindow> windows;
  for (int cls = 0; cls < 4; ++cls) {
    if (!ClassIn(a.township_class_mask, cls) ||
        (b != nullptr && !ClassIn(b->township_class_mask, cls))) {
      continue;
    }
    const std::vector<RegionId>& list = by_class_[cls];
    auto [lo, hi] = ReachRange(list, a);
    if (b != nullptr) {
      const auto [lo_b, hi_b] = ReachRange(list, *b);
      lo = std::max(lo, lo_b);
      hi = std::min(hi, hi_b);
    }
    if (work != nullptr && hi > lo) *work += static_cast<int64_t>(hi - lo);
    for (size_t k = lo; k < hi; ++k) {
      const RegionId t = list[k];
      windows.clear();
      for (auto at = std::lower_bound(delegated.begin(), delegated.end(), t,
                                      [](const std::pair<RegionId, DayWindow>&e,
                                         RegionId x) { return e.first < x; });
           at != delegated.end() && at->first == t; ++at) {
        windows.push_back(at->second);
      }
      DayWindow gap;
      if (!FirstUncovered(&windows, first, &gap) || gap.from >= end) continue;
      gap.to = std::min(gap.to, end);
      if (total == 0 || gap.from < first_gap->from) *first_gap = gap;
      ++total;
      missing->push_back(t);
    }
  }
  std::sort(missing->begin() + static_cast<std::ptrdiff_t>(before),
            missing->end());
  return total;
}

void Analyzer::AddGap(const CompiledMatter& matter, DayWindow range,
                      const std::vector<RegionId>& towns, bool no_backstop,
                      const std::string& cases) {
  const int32_t from = range.from;
  const int32_t to = range.to;
  // "for cases of urgency 1 in ", or "in " for every case.
  const std::string in =
      cases.empty() ? std::string("in ") : absl::StrCat("for ", cases, " in ");
  std::string when;
  if (from == day_ && to == kOpenEnd) {
    when = cases.empty() ? std::string("no rule reaches ")
                         : absl::StrCat("no rule takes ", cases, " in ");
  } else if (to == kOpenEnd) {
    when = absl::StrCat("no rule is in force from ", FormatIsoDate(from),
                        " on ", in);
  } else {
    when = absl::StrCat("no rule is in force from ", FormatIsoDate(from),
                        " to ", FormatIsoDate(to - 1), " (", to - from,
                        to - from == 1 ? " day" : " days", ") ", in);
  }
  v1::Finding* f =
      Add(v1::FINDING_KIND_GAP,
          no_backstop ? v1::SEVERITY_ERROR : v1::SEVERITY_WARNING,
          absl::StrCat("matter ", matter.code, " ", matter.name, ": ", when,
                       towns.size(), " township", towns.size() == 1 ? "" : "s",
                       " (", Truncated(h_, towns), "); ",
                       cases.empty() ? "cases" : "those cases", " there",
                       from == day_ && to == kOpenEnd ? "" : " on those days",
                       " go UNMAPPED to the township command room",
                       no_backstop ? ", and some have none" : ""));
  f->set_matter_code(matter.code);
  SetRegions(h_, towns, f);
}

// The cases a rule's predicates on the case itself (urgency, request kind,
// the location's urban-rural class) can admit: a cell per (urgency 1..4,
// request kind 0..5, urban-rural index 0..7), bit urgency_index * 48 +
// kind * 8 + urban_rural.
constexpr int kUrgencies = 4;
constexpr int kKinds = 6;
constexpr int kUrbanRural = 8;
constexpr int kCells = kUrgencies * kKinds * kUrbanRural;
using CellSet = std::bitset<kCells>;

int CellOf(int urgency_index, int kind, int urban_rural) {
  return (urgency_index * kKinds + kind) * kUrbanRural + urban_rural;
}

// Whether the rule tests the case itself (beyond its region, township class
// and day): then it takes some cases of the matter and not others.
bool TestsTheCase(const CompiledRule& r) {
  return r.request_kind_mask != 0 || r.urban_rural_mask != 0 ||
         r.min_urgency > 0 || r.max_urgency > 0 ||
         r.predicates_begin != r.predicates_end;
}

// The cells of cases without attributes that `r` admits: none when one of
// its attribute tests needs a value (every case may come without
// attributes: a hotline call, a patrol report).
CellSet CellsAdmitted(const Catalogue& c, const CompiledRule& r) {
  CellSet out;
  for (const CompiledPredicate& p : c.predicates(r)) {
    if (p.op != CompiledPredicate::kAbsent) return out;
  }
  for (int u = 0; u < kUrgencies; ++u) {
    const int urgency = u + 1;
    if ((r.min_urgency > 0 && urgency < r.min_urgency) ||
        (r.max_urgency > 0 && urgency > r.max_urgency)) {
      continue;
    }
    for (int k = 0; k < kKinds; ++k) {
      if (r.request_kind_mask != 0 && (r.request_kind_mask & (1u << k)) == 0) {
        continue;
      }
      for (int ur = 0; ur < kUrbanRural; ++ur) {
        if (r.urban_rural_mask != 0 && (r.urban_rural_mask & (1u << ur)) == 0) {
          continue;
        }
        out.set(static_cast<size_t>(CellOf(u, k, ur)));
      }
    }
  }
  return out;
}

// "urgency 1–2", "request kind COMPLAINT or REPORT", "urban-rural class
// VILLAGE": one dimension's values, or empty when they are all the
// dimension's (`all`).
std::string DescribeValues(const char* what, uint32_t values, uint32_t all,
                           int count,
                           const std::function<std::string(int)>& name) {
  if ((values & all) == all) return "";
  std::vector<std::string> names;
  for (int i = 0; i < count; ++i) {
    if ((values >> i) & 1u) names.push_back(name(i));
  }
  // "A", "A or B", "A, B or C".
  std::string last = std::move(names.back());
  names.pop_back();
  return names.empty() ? absl::StrCat(what, " ", last)
                       : absl::StrCat(what, " ", absl::StrJoin(names, ", "),
                                      " or ", last);
}

// The cases of `cells` in words: "cases of urgency 1 with request kind
// CONSULT", or one example when they are not a product of values per
// dimension. `present`: the urban-rural indices the hierarchy has.
std::string DescribeCells(const CellSet& cells, uint32_t present) {
  uint32_t urgencies = 0, kinds = 0, urban_rural = 0;
  int first = -1;
  for (int i = 0; i < kCells; ++i) {
    if (!cells.test(static_cast<size_t>(i))) continue;
    if (first < 0) first = i;
    urgencies |= 1u << (i / (kKinds * kUrbanRural));
    kinds |= 1u << ((i / kUrbanRural) % kKinds);
    urban_rural |= 1u << (i % kUrbanRural);
  }
  auto urgency_name = [](int u) { return absl::StrCat(u + 1); };
  auto kind_name = [](int k) {
    return k == 0 ? std::string("none")
                  : std::string(absl::StripPrefix(
                        v1::RequestKind_Name(static_cast<v1::RequestKind>(k)),
                        "REQUEST_KIND_"));
  };
  auto urban_rural_name = [](int ur) {
    return ur == 0 ? std::string("none")
                   : std::string(absl::StripPrefix(
                         v1::UrbanRuralClass_Name(UrbanRuralClassAt(ur)),
                         "URBAN_RURAL_CLASS_"));
  };
  const size_t product =
      static_cast<size_t>(absl::popcount(urgencies) * absl::popcount(kinds) *
                          absl::popcount(urban_rural & present));
  size_t counted = 0;
  for (int i = 0; i < kCells; ++i) {
    if (cells.test(static_cast<size_t>(i)) && ((present >> (i % 8)) & 1u)) {
      ++counted;
    }
  }
  if (counted != product) {
    return absl::StrCat(
        "some cases (e.g. urgency ",
        urgency_name(first / (kKinds * kUrbanRural)), ", request kind ",
        kind_name((first / kUrbanRural) % kKinds), ", urban-rural class ",
        urban_rural_name(first % kUrbanRural), ")");
  }
  std::vector<std::string> parts;
  for (std::string part :
       {DescribeValues("urgency", urgencies, (1u << kUrgencies) - 1, kUrgencies,
                       urgency_name),
        DescribeValues("request kind", kinds, (1u << kKinds) - 1, kKinds,
                       kind_name),
        DescribeValues("urban-rural class", urban_rural & present, present,
                       kUrbanRural, urban_rural_name)}) {
    if (!part.empty()) parts.push_back(std::move(part));
  }
  return absl::StrCat("cases of ", absl::StrJoin(parts, " with "));
}

void Analyzer::Gaps() {
  // The urban-rural indices each township's regions have (a case's cell
  // there), and those of the whole hierarchy.
  std::vector<uint8_t> urban_rural_in(townships_.size(), 0);
  uint32_t present = 0;
  for (size_t ti = 0; ti < townships_.size(); ++ti) {
    const RegionId t = townships_[ti];
    for (RegionId r = t; r < h_.subtree_end(t); ++r) {
      urban_rural_in[ti] |= static_cast<uint8_t>(1u << h_.urban_rural_index(r));
    }
    present |= urban_rural_in[ti];
  }
  std::vector<const CompiledRule*> unconditional;
  std::vector<const CompiledRule*> conditional;
  std::vector<CellSet> admitted;
  std::vector<const CompiledRule*> rules;
  for (MatterId m = 0; m < c_.matter_count(); ++m) {
    const CompiledMatter& matter = c_.matter(m);
    unconditional.clear();
    conditional.clear();
    for (RuleIndex i = matter.rules_begin; i < matter.rules_end; ++i) {
      const CompiledRule& r = c_.rule(i);
      if (!LiveFromNow(r)) continue;
      (TestsTheCase(r) ? conditional : unconditional).push_back(&r);
    }
    if (conditional.empty()) {
      MatterGaps(matter, unconditional, "", 0xFF, urban_rural_in);
      continue;
    }
    // The cells (of urban-rural classes the hierarchy has) grouped by the
    // rules admitting them: each group is covered by the same rules.
    admitted.clear();
    for (const CompiledRule* r : conditional) {
      admitted.push_back(CellsAdmitted(c_, *r));
    }
    std::map<std::vector<bool>, CellSet> groups;
    std::vector<bool> signature(conditional.size());
    for (int cell = 0; cell < kCells; ++cell) {
      if (((present >> (cell % kUrbanRural)) & 1u) == 0) continue;
      for (size_t j = 0; j < conditional.size(); ++j) {
        signature[j] = admitted[j].test(static_cast<size_t>(cell));
      }
      groups[signature].set(static_cast<size_t>(cell));
    }
    const bool one_group = groups.size() == 1;
    for (const auto& [admits, cells] : groups) {
      rules = unconditional;
      for (size_t j = 0; j < conditional.size(); ++j) {
        if (admits[j]) rules.push_back(conditional[j]);
      }
      uint8_t urban_rural = 0;
      for (int cell = 0; cell < kCells; ++cell) {
        if (cells.test(static_cast<size_t>(cell))) {
          urban_rural |= static_cast<uint8_t>(1u << (cell % kUrbanRural));
        }
      }
      MatterGaps(matter, rules,
                 one_group ? std::string() : DescribeCells(cells, present),
                 urban_rural, urban_rural_in);
    }
  }
}

void Analyzer::MatterGaps(const CompiledMatter& matter,
                          const std::vector<const CompiledRule*>& rules,
                          const std::string& cases, uint8_t urban_rural,
                          const std::vector<uint8_t>& urban_rural_in) {
  std::vector<DayWindow> everywhere;  // rules reaching every township
  std::vector<const CompiledRule*> scoped;
  for (const CompiledRule* r : rules) {
    if (r->region == kNoRegion && r->township_class_mask == 0) {
      everywhere.push_back(r->in_force);
    } else {
      scoped.push_back(r);
    }
  }
  std::vector<DayWindow> windows = everywhere;
  DayWindow gap;
  if (!FirstUncovered(&windows, day_, &gap)) return;
  if (townships_.empty()) return;
  // The townships where some of these cases can arise.
  auto arises = [&](size_t ti) {
    return (urban_rural_in[ti] & urban_rural) != 0;
  };
  if (scoped.empty()) {
    // Every township has the same first gap.
    std::vector<RegionId> towns;
    for (size_t ti = 0; ti < townships_.size(); ++ti) {
      if (arises(ti)) towns.push_back(townships_[ti]);
    }
    if (towns.empty()) return;
    AddGap(matter, gap, towns,
           towns.size() == townships_.size() ? SomeTownshipWithoutRoom()
                                             : WithoutRoom(towns),
           cases);
    return;
  }
  // Each township's first uncovered range, class by class: the windows
  // reaching it applied in order of their first day (as FirstUncovered
  // does), all townships of the class at once. O((rules + townships) ×
  // log townships) per matter.
  struct Ranged {
    DayWindow window;
    size_t a, b;
  };
  std::vector<Ranged> ranged;
  std::vector<std::pair<size_t, DayWindow>> found;
  std::vector<int64_t> leaves;
  std::vector<DayWindow> gap_of(townships_.size());
  std::vector<uint8_t> has_gap(townships_.size(), 0);
  for (int cls = 0; cls < 4; ++cls) {
    const std::vector<RegionId>& list = by_class_[cls];
    if (list.empty()) continue;
    ranged.clear();
    for (const DayWindow& w : everywhere) {
      ranged.push_back({w, 0, list.size()});
    }
    for (const CompiledRule* r : scoped) {
      if (!ClassIn(r->township_class_mask, cls)) continue;
      const auto [a, b] = ReachRange(list, *r);
      if (a < b) ranged.push_back({r->in_force, a, b});
    }
    std::sort(ranged.begin(), ranged.end(),
              [](const Ranged& x, const Ranged& y) {
                return x.window.from < y.window.from;
              });
    CoverTree tree(list.size(), day_);
    found.clear();
    for (const Ranged& w : ranged) {
      tree.Apply(w.a, w.b, w.window.from, w.window.to, &found);
    }
    tree.Leaves(&leaves);
    // Back to townships_ indices: `list` is a subsequence of it.
    auto index_of = [&](size_t k) {
      return static_cast<size_t>(
          std::lower_bound(townships_.begin(), townships_.end(), list[k]) -
          townships_.begin());
    };
    for (const auto& [k, g] : found) {
      const size_t ti = index_of(k);
      gap_of[ti] = g;
      has_gap[ti] = 1;
    }
    for (size_t k = 0; k < list.size(); ++k) {
      if (leaves[k] == CoverTree::kDone || leaves[k] == kOpenEnd) continue;
      const size_t ti = index_of(k);
      gap_of[ti] = DayWindow{static_cast<int32_t>(leaves[k]), kOpenEnd};
      has_gap[ti] = 1;
    }
  }
  // Townships by their first uncovered range, ordered by the range.
  std::map<std::pair<int32_t, int32_t>, std::vector<RegionId>> gaps;
  for (size_t ti = 0; ti < townships_.size(); ++ti) {
    if (has_gap[ti] && arises(ti)) {
      gaps[{gap_of[ti].from, gap_of[ti].to}].push_back(townships_[ti]);
    }
  }
  for (const auto& [range, towns] : gaps) {
    AddGap(matter, DayWindow{range.first, range.second}, towns,
           WithoutRoom(towns), cases);
  }
}

void Analyzer::Overlaps() {
  std::vector<RuleIndex> live;
  std::vector<RuleConstraints> constraints;
  for (MatterId m = 0; m < c_.matter_count(); ++m) {
    const CompiledMatter& matter = c_.matter(m);
    // Groups of rules at equal precedence (the rules are sorted by it).
    for (RuleIndex s = matter.rules_begin; s < matter.rules_end;) {
      RuleIndex e = s + 1;
      while (e < matter.rules_end && c_.rule(e).SamePrecedence(c_.rule(s))) {
        ++e;
      }
      live.clear();
      for (RuleIndex i = s; i < e; ++i) {
        if (LiveFromNow(c_.rule(i))) live.push_back(i);
      }
      s = e;
      const int64_t n = static_cast<int64_t>(live.size());
      if (n < 2) continue;
      if (overlap_work_ >= kMaxOverlapWork) {
        pairs_not_examined_ += n * (n - 1) / 2;
        continue;
      }
      constraints.clear();
      for (RuleIndex i : live) {
        constraints.push_back(RuleConstraintsOf(c_, c_.rule(i)));
      }
      for (int64_t p = 0; p < n; ++p) {
        const CompiledRule& a = c_.rule(live[p]);
        for (int64_t q = p + 1; q < n; ++q) {
          if (overlap_work_ >= kMaxOverlapWork) {
            // The rest of this group: (p, q..n-1), then all pairs of the
            // rules after p.
            pairs_not_examined_ += (n - q) + (n - p - 1) * (n - p - 2) / 2;
            p = n;
            break;
          }
          ++overlap_work_;
          const CompiledRule& b = c_.rule(live[q]);
          if (!ScopesMeet(h_, a, b, day_) ||
              !ConstraintsMeet(constraints[p], constraints[q],
                               &overlap_work_)) {
            continue;
          }
          const bool known = !a.dispute.empty() && a.dispute == b.dispute;
          const v1::Severity severity =
              known ? v1::SEVERITY_WARNING : v1::SEVERITY_ERROR;
          if (Full()) {
            CountOnly(v1::FINDING_KIND_OVERLAP, severity);
            continue;
          }
          v1::Finding* f =
              Add(v1::FINDING_KIND_OVERLAP, severity,
                  absl::StrCat(
                      "matter ", matter.code, ": rules ", a.id, " and ", b.id,
                      " can both match one case at equal precedence "
                      "(priority ",
                      a.priority, ", depth ", a.depth, ", ", a.predicate_count,
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
  // A department as lead: a county department, a dispatched unit, or a
  // named unit that is either.
  auto department_lead = [&](const CompiledRole& r) {
    if (r.kind == v1::ROLE_KIND_COUNTY_DEPARTMENT ||
        r.kind == v1::ROLE_KIND_DISPATCHED_UNIT) {
      return true;
    }
    if (r.kind != v1::ROLE_KIND_NAMED_UNIT || r.unit == kNoUnit) return false;
    const v1::UnitKind kind = o_.kind(r.unit);
    return kind == v1::UNIT_KIND_DEPARTMENT || kind == v1::UNIT_KIND_DISPATCHED;
  };
  // A rule whose lead contradicts the lead its item names.
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
               department_lead(r.lead)) {
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
    AddOnRule(v1::FINDING_KIND_TWO_LEADS, v1::SEVERITY_ERROR,
              std::move(problem), it, r);
  }
  TwoRulesOneItem();
}

// Two rules of a matter citing one item, both in force on some day from
// the date on, whose predicates can hold for one case (at any precedence:
// the same test OVERLAP makes, ScopesMeet and ConstraintsMeet), naming
// different lead bodies (LeadBody): which unit answers for the item then
// depends on the case's facts (责任主体唯一 broken). Within its own work
// limit, as OVERLAP.
void Analyzer::TwoRulesOneItem() {
  auto same_body = [&](const CompiledRole& a, const CompiledRole& b) {
    const LeadBody x = BodyOf(a);
    const LeadBody y = BodyOf(b);
    return x.kind == LeadBody::kCoordinating ||
           y.kind == LeadBody::kCoordinating ||
           (x.kind == y.kind && x.id == y.id);
  };
  // A department's lead whose item is delegated: the township leads
  // (LeadBody kTownship; which township unit depends on the mode).
  CompiledRole township_role;
  township_role.kind = v1::ROLE_KIND_TOWNSHIP_GOVERNMENT;
  std::vector<RegionId> missing;
  int64_t work = 0;
  std::vector<RuleIndex> live;
  // The constraints of the group's rules, by place in the group, built as
  // a pair first needs them. Sized per group before its pairs: references
  // into it stay valid while two are compared.
  std::vector<std::optional<RuleConstraints>> constraints;
  auto constraints_of = [&](size_t begin, int64_t k) -> const RuleConstraints& {
    std::optional<RuleConstraints>& slot = constraints[static_cast<size_t>(k)];
    if (!slot) slot.emplace(RuleConstraintsOf(c_, c_.rule(live[begin + k])));
    return *slot;
  };
  for (MatterId m = 0; m < c_.matter_count(); ++m) {
    const CompiledMatter& matter = c_.matter(m);
    live.clear();
    for (RuleIndex i = matter.rules_begin; i < matter.rules_end; ++i) {
      const CompiledRule& r = c_.rule(i);
      if (r.item != kNoIndex && LiveFromNow(r)) live.push_back(i);
    }
    // Grouped by item, in rule order within each.
    std::stable_sort(live.begin(), live.end(), [&](RuleIndex a, RuleIndex b) {
      return c_.rule(a).item < c_.rule(b).item;
    });
    for (size_t s = 0; s < live.size();) {
      size_t e = s;
      // Whether every lead of the group is one body (coordinating centres
      // aside): then no pair needs comparing.
      bool one_lead = true;
      const CompiledRole* first = nullptr;
      while (e < live.size() &&
             c_.rule(live[e]).item == c_.rule(live[s]).item) {
        const CompiledRole& lead = c_.rule(live[e]).lead;
        if (BodyOf(lead).kind != LeadBody::kCoordinating) {
          if (first == nullptr) {
            first = &lead;
          } else if (!same_body(*first, lead)) {
            one_lead = false;
          }
        }
        ++e;
      }
      const size_t begin = s;
      s = e;
      if (e - begin < 2 || one_lead) continue;
      const int64_t n = static_cast<int64_t>(e - begin);
      if (work >= kMaxOverlapWork) {
        pairs_not_examined_ += n * (n - 1) / 2;
        continue;
      }
      constraints.clear();
      constraints.resize(static_cast<size_t>(n));
      for (int64_t p = 0; p < n; ++p) {
        const CompiledRule& a = c_.rule(live[begin + p]);
        for (int64_t q = p + 1; q < n; ++q) {
          if (work >= kMaxOverlapWork) {
            pairs_not_examined_ += (n - q) + (n - p - 1) * (n - p - 2) / 2;
            p = n;
            break;
          }
          ++work;
          const CompiledRule& b = c_.rule(live[begin + q]);
          if (same_body(a.lead, b.lead) || !ScopesMeet(h_, a, b, day_) ||
              !ConstraintsMeet(constraints_of(begin, p),
                               constraints_of(begin, q), &work)) {
            continue;
          }
          // Where the item is delegated to the township, routing hands a
          // department's case to the township (router.h, step 3): two
          // leads only where, on some day both rules are in force, no
          // delegation covers a township both reach — unless the leads
          // still differ after the handover.
          std::string where;
          if (!c_.item_delegations(a.item).empty() &&
              (Delegable(a.lead) || Delegable(b.lead)) &&
              same_body(Delegable(a.lead) ? township_role : a.lead,
                        Delegable(b.lead) ? township_role : b.lead)) {
            missing.clear();
            DayWindow first_gap;
            const size_t total =
                Undelegated(a.item, a, &b, &missing, &first_gap, &work);
            if (total == 0) continue;
            where =
                absl::StrCat(" where the item is not delegated: ",
                             WhereUndelegated(h_, missing, total, first_gap));
          }
          // Both citing one known dispute: the dispute awaits arbitration
          // (as OVERLAP's warning).
          const bool known = !a.dispute.empty() && a.dispute == b.dispute;
          const CompiledItem& it = c_.item(a.item);
          v1::Finding* f = Add(
              v1::FINDING_KIND_TWO_LEADS,
              known ? v1::SEVERITY_WARNING : v1::SEVERITY_ERROR,
              absl::StrCat(a.scenario >= 0 ? "scenario " : "rule ", a.id,
                           " and ", b.scenario >= 0 ? "scenario " : "rule ",
                           b.id, " both cite item ", it.code,
                           " and can match one case of "
                           "matter ",
                           matter.code, ", but ", a.id, " makes ",
                           c_.RoleName(a.lead), " lead and ", b.id, " makes ",
                           c_.RoleName(b.lead), where,
                           ": one item, two leads (责任主体唯一)",
                           known ? absl::StrCat(" (known dispute ", a.dispute,
                                                ", awaiting arbitration)")
                                 : ""));
          f->set_item_code(it.code);
          f->add_rule_ids(a.id);
          f->add_rule_ids(b.id);
          f->set_matter_code(matter.code);
          f->set_role(c_.RoleName(a.lead));
          if (!where.empty()) SetRegions(h_, missing, f);
        }
      }
    }
  }
}

void Analyzer::UnresolvedRoles() {
  // Where a role resolves to no unit, per township class: the ascending
  // by_class_ indices. Computed once per distinct role that depends on
  // the township (not a named unit, nor grid workers, which resolve the
  // same everywhere), on its first use.
  struct Unresolved {
    std::vector<uint32_t> at[4];
  };
  std::map<std::pair<int, int>, Unresolved> unresolved;
  auto where_unresolved = [&](const CompiledRole& role) -> const Unresolved& {
    const std::pair<int, int> key{role.kind, role.department_type};
    auto it = unresolved.find(key);
    if (it != unresolved.end()) return it->second;
    Unresolved u;
    for (int cls = 0; cls < 4; ++cls) {
      const std::vector<RegionId>& list = by_class_[cls];
      for (size_t k = 0; k < list.size(); ++k) {
        const RegionId t = list[k];
        bool ok = true;
        if (role.kind == v1::ROLE_KIND_VILLAGE_COMMITTEE) {
          for (RegionId v = t + 1; v < h_.subtree_end(t);
               v = h_.subtree_end(v)) {
            if (h_.level(v) == v1::REGION_LEVEL_VILLAGE &&
                c_.Resolve(role, v).kind == Handler::kNone) {
              ok = false;
              break;
            }
          }
        } else {
          ok = c_.Resolve(role, t).kind != Handler::kNone;
        }
        if (!ok) u.at[cls].push_back(static_cast<uint32_t>(k));
      }
    }
    return unresolved.emplace(key, std::move(u)).first->second;
  };
  std::vector<RegionId> missing;  // the first kMaxRegionsPerFinding
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
      if (role->kind == v1::ROLE_KIND_UNSPECIFIED ||
          role->kind == v1::ROLE_KIND_GRID_WORKER) {
        continue;  // a grid's own workers are always there
      }
      missing.clear();
      size_t total = 0;
      // Per class, the townships the rule reaches where the role does not
      // resolve: by_class_ indices at[pos..end) (or pos..end themselves
      // when `at` is null: all of them).
      struct Run {
        int cls;
        size_t pos, end;
        const uint32_t* at;
        size_t index() const { return at != nullptr ? at[pos] : pos; }
      };
      std::vector<Run> runs;
      if (role->kind == v1::ROLE_KIND_NAMED_UNIT) {
        // The same unit wherever the rule applies: every township it
        // reaches, or none.
        if (townships_.empty() ||
            c_.Resolve(*role, townships_[0]).kind != Handler::kNone) {
          continue;
        }
        for (int cls = 0; cls < 4; ++cls) {
          if (!ClassIn(r.township_class_mask, cls)) continue;
          const auto [a, b] = ReachRange(by_class_[cls], r);
          runs.push_back({cls, a, b, nullptr});
        }
      } else {
        const Unresolved& u = where_unresolved(*role);
        for (int cls = 0; cls < 4; ++cls) {
          if (!ClassIn(r.township_class_mask, cls)) continue;
          const auto [a, b] = ReachRange(by_class_[cls], r);
          const std::vector<uint32_t>& at = u.at[cls];
          const size_t lo =
              std::lower_bound(at.begin(), at.end(), a) - at.begin();
          const size_t hi =
              std::lower_bound(at.begin() + lo, at.end(), b) - at.begin();
          runs.push_back({cls, lo, hi, at.data()});
        }
      }
      for (const Run& run : runs) total += run.end - run.pos;
      if (total == 0) continue;
      // The first kMaxRegionsPerFinding, in township order.
      while (missing.size() < kMaxRegionsPerFinding) {
        Run* best = nullptr;
        for (Run& run : runs) {
          if (run.pos < run.end &&
              (best == nullptr || by_class_[run.cls][run.index()] <
                                      by_class_[best->cls][best->index()])) {
            best = &run;
          }
        }
        if (best == nullptr) break;
        missing.push_back(by_class_[best->cls][best->index()]);
        ++best->pos;
      }
      v1::Finding* f =
          Add(v1::FINDING_KIND_UNRESOLVED_ROLE, v1::SEVERITY_ERROR,
              absl::StrCat("rule ", r.id, " ", field, " ", c_.RoleName(*role),
                           " resolves to no unit in ", total, " township",
                           total == 1 ? "" : "s", " (",
                           Truncated(h_, missing, total), ")"));
      f->add_rule_ids(r.id);
      f->set_matter_code(c_.matter(r.matter).code);
      f->set_role(absl::StrCat(field, " ", c_.RoleName(*role)));
      SetRegions(h_, missing, total, f);
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
  // The finding for an entry in force on some day from the date on (its
  // window `window`) citing an item that is not in force on the first of
  // those days; nullptr when the item is. An entry taking effect later is
  // checked on its first day: one citing an item retired by then never
  // applies, and nothing else would say so before that day.
  auto check = [&](ItemId item, DayWindow window,
                   absl::string_view what) -> v1::Finding* {
    const CompiledItem& it = c_.item(item);
    const int32_t first = std::max(day_, window.from);
    const std::string entry =
        first > day_
            ? absl::StrCat(what, " (in force from ", FormatIsoDate(first), ")")
            : std::string(what);
    v1::Finding* f = nullptr;
    if (it.window.to <= first || c_.IsRetiredCode(it.code)) {
      f = Add(v1::FINDING_KIND_RETIRED_CODE_IN_USE, v1::SEVERITY_ERROR,
              absl::StrCat(entry, " cites item ", it.code, ", retired on ",
                           FormatIsoDate(it.window.to)));
    } else if (it.window.from > first) {
      f = Add(
          v1::FINDING_KIND_DANGLING_REFERENCE, v1::SEVERITY_WARNING,
          absl::StrCat(
              entry, " cites item ", it.code, ", in force only from ",
              FormatIsoDate(it.window.from),
              it.window.from >= window.to
                  ? absl::StrCat(", after ", what, " ends on ",
                                 FormatIsoDate(window.to), ": it never applies")
                  : ""));
    }
    if (f != nullptr) f->set_item_code(it.code);
    return f;
  };
  auto live = [&](DayWindow w) { return w.to > day_ && w.from < w.to; };
  for (RuleIndex i = 0; i < c_.rule_count(); ++i) {
    const CompiledRule& r = c_.rule(i);
    if (r.item == kNoIndex || !live(r.window)) continue;
    v1::Finding* f =
        check(r.item, r.window,
              absl::StrCat(r.scenario >= 0 ? "scenario " : "rule ", r.id));
    if (f != nullptr) {
      f->add_rule_ids(r.id);
      f->set_matter_code(c_.matter(r.matter).code);
    }
  }
  for (DelegationIndex d = 0; d < c_.delegation_count(); ++d) {
    const CompiledDelegation& g = c_.delegation(d);
    if (!live(g.window)) continue;
    v1::Finding* f = check(g.item, g.window, absl::StrCat("delegation ", g.id));
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
    AddOnRule(v1::FINDING_KIND_STATUTORY_PUSHED_DOWN, v1::SEVERITY_ERROR,
              absl::StrCat(
                  "item ", it.code, " is a department's own statutory matter",
                  it.department_type >= 0
                      ? absl::StrCat(
                            " (\"", o_.department_type_code(it.department_type),
                            "\")")
                      : "",
                  ", but ", r.scenario >= 0 ? "scenario " : "rule ", r.id,
                  " makes ", c_.RoleName(r.lead),
                  " lead: it must not be pushed down to the grassroots"),
              it, r);
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

void Analyzer::PowersPushedDown() {
  // A department's power: exercised at the county level or above, with an
  // administrative power kind (01–10), or on the power or enforcement list
  // with a department type. A township's own items (its basic power list)
  // are the township's.
  auto department_power = [](const CompiledItem& it) {
    if (it.exercising_level > v1::REGION_LEVEL_COUNTY) return false;
    const bool administrative = it.power_kind >= v1::POWER_KIND_LICENSING &&
                                it.power_kind <= v1::POWER_KIND_OTHER;
    return administrative || (it.department_type >= 0 &&
                              (it.list_type == v1::LIST_TYPE_POWER ||
                               it.list_type == v1::LIST_TYPE_ENFORCEMENT));
  };
  auto power_text = [&](const CompiledItem& it) {
    return it.department_type >= 0
               ? absl::StrCat(
                     " (\"", o_.department_type_code(it.department_type), "\")")
               : std::string();
  };
  // Whether a grassroots lead is below the township (a village committee,
  // grid workers, a named unit of a village or grid): no delegation
  // reaches it.
  auto below_township = [&](const CompiledRole& role) {
    if (role.kind == v1::ROLE_KIND_VILLAGE_COMMITTEE ||
        role.kind == v1::ROLE_KIND_GRID_WORKER) {
      return true;
    }
    if (role.kind != v1::ROLE_KIND_NAMED_UNIT || role.unit == kNoUnit) {
      return false;
    }
    const RegionId at = o_.region(role.unit);
    return at != kNoRegion && h_.level(at) > v1::REGION_LEVEL_TOWNSHIP;
  };
  std::vector<RegionId> missing;
  for (RuleIndex i = 0; i < c_.rule_count(); ++i) {
    const CompiledRule& r = c_.rule(i);
    if (r.item == kNoIndex || !LiveFromNow(r) || !GrassrootsRole(r.lead)) {
      continue;
    }
    const CompiledItem& it = c_.item(r.item);
    // A statutory matter must not be pushed down at all:
    // STATUTORY_PUSHED_DOWN reports it.
    if (it.statutory_department_matter) continue;
    const bool reclaimed = it.township_role == v1::TOWNSHIP_ROLE_RECLAIMED;
    if (!reclaimed && !department_power(it)) continue;
    const std::string rule_name =
        absl::StrCat(r.scenario >= 0 ? "scenario " : "rule ", r.id);
    std::string problem;
    if (reclaimed) {
      problem = absl::StrCat(
          "item ", it.code, " was reclaimed (收回) by its department",
          power_text(it), ", but ", rule_name, " makes ", c_.RoleName(r.lead),
          " lead: the township no longer exercises it");
    } else if (below_township(r.lead)) {
      problem = absl::StrCat(
          "item ", it.code, " is a department's power", power_text(it),
          ", but ", rule_name, " makes ", c_.RoleName(r.lead),
          " lead: a power is delegated to townships at most, never to a "
          "village or grid");
    } else {
      // The townships the rule reaches where, on some day from its first
      // day in force from the date on, no delegation of the item to them
      // is in force; the earliest such range among them.
      missing.clear();
      DayWindow first_gap;
      const size_t total =
          Undelegated(r.item, r, nullptr, &missing, &first_gap, nullptr);
      if (total == 0) continue;
      problem = absl::StrCat(
          "item ", it.code, " is a department's power", power_text(it),
          ", but ", rule_name, " makes ", c_.RoleName(r.lead),
          " lead where it is not delegated: ",
          WhereUndelegated(h_, missing, total, first_gap),
          ": the unit with the power handles (name the department, and "
          "routing applies a delegation where one is in force)");
      SetRegions(h_, missing,
                 AddOnRule(v1::FINDING_KIND_POWER_PUSHED_DOWN,
                           v1::SEVERITY_ERROR, std::move(problem), it, r));
      continue;
    }
    AddOnRule(v1::FINDING_KIND_POWER_PUSHED_DOWN, v1::SEVERITY_ERROR,
              std::move(problem), it, r);
  }
  // Delegations of a reclaimed item: the lists contradict each other (a
  // statutory one is STATUTORY_PUSHED_DOWN).
  for (DelegationIndex d = 0; d < c_.delegation_count(); ++d) {
    const CompiledDelegation& g = c_.delegation(d);
    const CompiledItem& it = c_.item(g.item);
    if (g.window.to <= day_ || g.window.from >= g.window.to ||
        it.township_role != v1::TOWNSHIP_ROLE_RECLAIMED ||
        it.statutory_department_matter) {
      continue;
    }
    v1::Finding* f = Add(
        v1::FINDING_KIND_POWER_PUSHED_DOWN, v1::SEVERITY_ERROR,
        absl::StrCat("delegation ", g.id, " delegates item ", it.code,
                     g.townships.empty()
                         ? ""
                         : absl::StrCat(" to ", g.townships.size(), " township",
                                        g.townships.size() == 1 ? "" : "s",
                                        " (", Truncated(h_, g.townships), ")"),
                     g.window.from > day_
                         ? absl::StrCat(" from ", FormatIsoDate(g.window.from))
                         : "",
                     ", but the item was reclaimed (收回) by its department",
                     power_text(it), ": the lists contradict each other"));
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
      SetRegions(h_, {at}, f);
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

namespace {
bool ScopesMeet(const Hierarchy& h, const CompiledRule& a,
                const CompiledRule& b, int32_t from_day) {
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
  return ulo <= std::min(ahi, bhi);
}
}  // namespace

bool RulesCanOverlap(const Catalogue& c, const CompiledRule& a,
                     const CompiledRule& b, int32_t from_day) {
  if (!ScopesMeet(c.hierarchy(), a, b, from_day)) return false;
  int64_t work = 0;
  return ConstraintsMeet(RuleConstraintsOf(c, a), RuleConstraintsOf(c, b),
                         &work);
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
  if (a.findings_not_recorded() > 0) {
    absl::StrAppend(&out, a.findings_not_recorded(),
                    " findings not listed (at most ", kMaxRecordedFindings,
                    " are)\n");
  }
  if (a.overlap_pairs_not_examined() > 0) {
    absl::StrAppend(&out, a.overlap_pairs_not_examined(),
                    " pairs of rules not examined for overlaps or two "
                    "leads (work limit reached)\n");
  }
  return out;
}

v1::CatalogueAnalysis AnalyzeCatalogue(const Catalogue& catalogue,
                                       int32_t as_of_day) {
  return Analyzer(catalogue, as_of_day).Run();
}

}  // namespace jiceng
