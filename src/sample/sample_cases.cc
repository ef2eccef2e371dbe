// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0

#include "src/sample/sample_cases.h"

#include <cmath>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "src/base/civil_date.h"
#include "src/hierarchy/region_code.h"

namespace jiceng {
namespace {

class Script {
 public:
  explicit Script(const Engine& e)
      : h_(e.hierarchy()),
        c_(e.catalogue()),
        offset_(e.calendar().utc_offset_minutes()) {
    for (RegionId id = 0; id < h_.size(); ++id) {
      if (h_.level(id) == v1::REGION_LEVEL_GRID) grids_.push_back(id);
    }
  }

  std::vector<v1::Case> Run() {
    if (grids_.empty() || c_.matter_count() == 0) return {};
    const int32_t monday = *ParseIsoDate("2026-03-02");
    // Friday afternoons before a weekend, Spring Festival, National Day and
    // the make-up Saturday of 2026-10-10.
    const int32_t fridays[] = {*ParseIsoDate("2026-03-06"),
                               *ParseIsoDate("2026-02-13"),
                               *ParseIsoDate("2026-09-30"),
                               *ParseIsoDate("2026-10-09")};
    for (RuleIndex i = 0; i < c_.rule_count(); ++i) {
      const CompiledRule& r = c_.rule(i);
      MakeFor(r, monday, 9 * 60, 0);
      MakeFor(r, fridays[i % 4], 15 * 60 + 30, 1);
    }
    // Delegations: the day before and the day it takes effect.
    for (DelegationIndex d = 0; d < c_.delegation_count(); ++d) {
      const CompiledDelegation& g = c_.delegation(d);
      RegionId grid;
      const CompiledRule* rule = DelegatedRule(g, &grid);
      if (rule == nullptr) continue;
      MakeAt(*rule, grid, g.window.from - 1, 10 * 60, "delegation-before");
      MakeAt(*rule, grid, g.window.from, 10 * 60, "delegation-after");
    }
    // Cross-township and emergencies on the first rules of each matter.
    int extra = 0;
    for (MatterId m = 0; m < c_.matter_count() && extra < 12; ++m) {
      const CompiledMatter& matter = c_.matter(m);
      if (matter.rules_begin == matter.rules_end) continue;
      const CompiledRule& r = c_.rule(matter.rules_end - 1);  // most general
      const RegionId a = GridIn(kNoRegion, r);
      if (a == kNoRegion) continue;
      for (RegionId b : grids_) {
        if (h_.township_of(b) != h_.township_of(a)) {
          v1::Case* c = MakeAt(r, a, monday + 1, 14 * 60, "cross-township");
          if (c != nullptr) {
            c->add_extra_location_codes(CodeNumberFromRegionKey(h_.key(b)));
          }
          break;
        }
      }
      v1::Case* urgent = MakeAt(r, a, monday + 2, 20 * 60, "emergency");
      if (urgent != nullptr) urgent->set_urgency(4);
      ++extra;
    }
    // Cases no rule maps (territorial backstop): for each matter, the first
    // request kind and grid no rule matches without attributes.
    int unmapped = 0;
    const v1::RequestKind kinds[] = {
        v1::REQUEST_KIND_UNSPECIFIED, v1::REQUEST_KIND_SUGGESTION,
        v1::REQUEST_KIND_HELP, v1::REQUEST_KIND_CONSULT};
    for (MatterId m = 0; m < c_.matter_count() && unmapped < 6; ++m) {
      bool found = false;
      for (v1::RequestKind kind : kinds) {
        for (size_t g = 0; g < grids_.size() && !found; g += 5) {
          CaseFacts f;
          f.matter = m;
          f.location = grids_[g];
          f.request_kind = kind;
          f.urgency = 1;
          f.day = monday + 3;
          if (c_.MatchRules(f).outcome != RuleMatch::kNoMatch) continue;
          v1::Case c = Base(grids_[g], monday + 3, 10 * 60, "unmapped");
          c.set_matter_code(c_.matter(m).code);
          c.set_request_kind(kind);
          cases_.push_back(std::move(c));
          found = true;
        }
        if (found) break;
      }
      if (found) ++unmapped;
    }
    // Two malformed cases: errors are reported per case.
    v1::Case bad = Base(grids_[0], monday, 9 * 60, "error");
    bad.set_matter_code("00000");
    cases_.push_back(bad);
    bad = Base(grids_[0], monday, 9 * 60, "error");
    bad.set_matter_code(c_.matter(0).code);
    bad.set_location_code(CodeNumberFromRegionKey(h_.key(grids_[0])) + 98);
    cases_.push_back(bad);
    // A delegation stops at its townships' border: the first delegation
    // of 2026 to some townships only, the day after it takes effect, on a
    // case spanning one of its townships and one the item is not delegated
    // to (the department keeps it). Last, so that the cases above keep their
    // ids.
    for (DelegationIndex d = 0; d < c_.delegation_count(); ++d) {
      const CompiledDelegation& g = c_.delegation(d);
      RegionId grid;
      const CompiledRule* rule = DelegatedRule(g, &grid);
      if (rule == nullptr) continue;
      // A grid of a township the item is not delegated to that day.
      RegionId outside = kNoRegion;
      for (RegionId b : grids_) {
        const RegionId t = h_.township_of(b);
        if (t != kNoRegion &&
            c_.DelegationInForce(g.item, t, g.window.from + 1) == kNoIndex) {
          outside = b;
          break;
        }
      }
      if (outside == kNoRegion) continue;
      v1::Case* c =
          MakeAt(*rule, grid, g.window.from + 1, 10 * 60, "delegation-outside");
      if (c != nullptr) {
        c->add_extra_location_codes(CodeNumberFromRegionKey(h_.key(outside)));
        break;
      }
    }
    return std::move(cases_);
  }

 private:
  int64_t At(int32_t day, int minute) const {
    return int64_t{day} * 86400 + int64_t{minute} * 60 -
           int64_t{offset_} * 60;
  }

  v1::Case Base(RegionId grid, int32_t day, int minute, const char* tag) {
    v1::Case c;
    c.set_id(absl::StrFormat("S-%04d", static_cast<int>(cases_.size()) + 1));
    c.set_location_code(CodeNumberFromRegionKey(h_.key(grid)));
    c.set_reported_at(At(day, minute));
    c.set_urgency(1);
    c.set_source(v1::CASE_SOURCE_GRID_PATROL);
    c.set_free_text(tag);
    return c;
  }

  const CompiledRule* RuleFor(ItemId item) const {
    for (RuleIndex i = 0; i < c_.rule_count(); ++i) {
      if (c_.rule(i).item == item) return &c_.rule(i);
    }
    return nullptr;
  }

  // For a delegation that takes effect in 2026 (after its first day): a
  // rule citing its item and, in *grid, a grid of its first township the
  // rule can match; else null.
  const CompiledRule* DelegatedRule(const CompiledDelegation& g,
                                    RegionId* grid) const {
    if (g.townships.empty() || g.window.from <= *ParseIsoDate("2026-01-01") ||
        g.window.from > *ParseIsoDate("2026-11-30")) {
      return nullptr;
    }
    const CompiledRule* rule = RuleFor(g.item);
    if (rule == nullptr) return nullptr;
    *grid = GridIn(g.townships.front(), *rule);
    return *grid == kNoRegion ? nullptr : rule;
  }

  // A grid the rule can match (scope, township class, urban-rural class),
  // within `within` when given; deterministic.
  RegionId GridIn(RegionId within, const CompiledRule& r) const {
    for (RegionId g : grids_) {
      if (within != kNoRegion && !h_.Contains(within, g)) continue;
      if (r.region != kNoRegion && !h_.Contains(r.region, g)) continue;
      const RegionId t = h_.township_of(g);
      if (r.township_class_mask != 0 &&
          (t == kNoRegion ||
           (r.township_class_mask & (1u << h_.township_class(t))) == 0)) {
        continue;
      }
      if (r.urban_rural_mask != 0 &&
          (r.urban_rural_mask &
           (1u << h_.urban_rural_index(g))) == 0) {
        continue;
      }
      return g;
    }
    return kNoRegion;
  }

  void MakeFor(const CompiledRule& r, int32_t day, int minute, int variant) {
    if (!r.in_force.Contains(day)) day = r.in_force.from;
    // Spread the cases of general rules over the grids.
    const RegionId within =
        r.region == kNoRegion && variant == 1
            ? h_.township_of(grids_[(cases_.size() * 7) % grids_.size()])
            : kNoRegion;
    RegionId grid = GridIn(within, r);
    if (grid == kNoRegion) grid = GridIn(kNoRegion, r);
    if (grid == kNoRegion) return;
    MakeAt(r, grid, day, minute, variant == 0 ? "rule" : "rule-before-rest");
  }

  v1::Case* MakeAt(const CompiledRule& r, RegionId grid, int32_t day,
                   int minute, const char* tag) {
    v1::Case c = Base(grid, day, minute, tag);
    c.set_matter_code(c_.matter(r.matter).code);
    if (r.request_kind_mask != 0) {
      for (int k = 1; k < 8; ++k) {
        if (r.request_kind_mask & (1u << k)) {
          c.set_request_kind(static_cast<v1::RequestKind>(k));
          c.set_source(v1::CASE_SOURCE_HOTLINE_12345);
          break;
        }
      }
    }
    if (r.min_urgency > 0) c.set_urgency(r.min_urgency);
    for (const CompiledPredicate& p : c_.predicates(r)) {
      const AttributeId a = p.attribute;
      std::string value;
      switch (p.op) {
        case CompiledPredicate::kEquals:
          value = c_.attribute_type(a) == v1::ATTRIBUTE_TYPE_BOOL
                      ? (p.value != 0 ? "true" : "false")
                      : c_.string_value(p.value);
          break;
        case CompiledPredicate::kInSet:
          value = c_.attribute_type(a) == v1::ATTRIBUTE_TYPE_BOOL
                      ? (c_.set_values(p)[0] != 0 ? "true" : "false")
                      : c_.string_value(c_.set_values(p)[0]);
          break;
        case CompiledPredicate::kRange: {
          const double x = std::isfinite(p.min)   ? p.min
                           : std::isfinite(p.max) ? p.max
                                                  : 0;
          value = absl::StrCat(x);
          break;
        }
        case CompiledPredicate::kPresent:
          value = c_.attribute_type(a) == v1::ATTRIBUTE_TYPE_NUMBER ? "1"
                  : c_.attribute_type(a) == v1::ATTRIBUTE_TYPE_BOOL ? "true"
                                                                   : "";
          if (value.empty()) {
            // Any allowed value: one that some rule names.
            for (uint32_t v = 0; v < c_.string_value_count() && value.empty();
                 ++v) {
              if (c_.IsAllowedValue(a, c_.string_value(v))) {
                value = c_.string_value(v);
              }
            }
          }
          break;
        case CompiledPredicate::kAbsent:
          continue;
      }
      bool seen = false;
      for (const auto& existing : c.attributes()) seen |= existing.key() == c_.attribute_key(a);
      if (seen) continue;
      v1::CaseAttribute* attr = c.add_attributes();
      attr->set_key(c_.attribute_key(a));
      attr->set_value(value);
    }
    cases_.push_back(std::move(c));
    return &cases_.back();
  }

  const Hierarchy& h_;
  const Catalogue& c_;
  const int offset_;
  std::vector<RegionId> grids_;
  std::vector<v1::Case> cases_;
};

}  // namespace

std::vector<v1::Case> SampleCases(const Engine& engine) {
  return Script(engine).Run();
}

}  // namespace jiceng
