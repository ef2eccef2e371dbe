// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0

#include "src/routing/router.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "src/base/civil_date.h"
#include "src/base/decimal.h"
#include "src/base/status_macros.h"
#include "src/base/utf8.h"
#include "src/hierarchy/region_code.h"
#include "src/routing/wire.h"

namespace jiceng {
namespace {

// Why a REASON_LEAD_RAISED step's lead took over, for its text.
const char* RaisedBecause(const RouteResult& r) {
  switch (r.tier) {
    case v1::HANDLING_TIER_COUNTY:
      return r.outcome == v1::ROUTING_OUTCOME_UNMAPPED
                 ? "a major case goes up from the territorial backstop: "
                 : "a county-tier case is not led below the township: ";
    case v1::HANDLING_TIER_TOWNSHIP:
      return "a case spanning villages is the township's: ";
    default:
      return "a case spanning grids is the village's: ";
  }
}

CompiledDuration Dur(const v1::Duration& d, CompiledDuration fallback) {
  if (d.unit() != v1::TIME_UNIT_UNSPECIFIED && d.amount() > 0) {
    return CompiledDuration{d.unit(), d.amount()};
  }
  return fallback;
}

CompiledDuration WorkingDays(int32_t n) {
  return CompiledDuration{v1::TIME_UNIT_WORKING_DAYS, n};
}

// ParseDecimalNumber, with a plain integer of up to 15 digits (exact in a
// double, as SimpleAtod gives it) read directly: the common attribute value
// costs a tenth of the general parse.
bool ParseNumber(absl::string_view s, double* out) {
  if (!s.empty() && s.size() <= 15) {
    uint64_t v = 0;
    bool digits = true;
    for (const char ch : s) {
      const unsigned d = static_cast<unsigned char>(ch) - '0';
      if (d > 9) {
        digits = false;
        break;
      }
      v = v * 10 + d;
    }
    if (digits) {
      *out = static_cast<double>(v);
      return true;
    }
  }
  return ParseDecimalNumber(s, out);
}

void Trace(RouteResult* r, v1::Reason reason, RefKind kind, uint32_t ref) {
  if (r->trace_count < kMaxTrace) {
    r->trace[r->trace_count++] = TraceEntry{reason, kind, ref};
  }
}

}  // namespace

Router::Router(const Engine& engine)
    : engine_(engine),
      h_(engine.hierarchy()),
      o_(engine.organization()),
      c_(engine.catalogue()),
      cal_(engine.calendar()),
      policy_(engine.routing_policy()) {
  for (int k = 0; k < v1::RoleKind_ARRAYSIZE; ++k) {
    implied_[k].kind = static_cast<v1::RoleKind>(k);
  }
  // Enum names, looked up once (the generated *_Name functions search the
  // descriptor on every call).
  for (int i = 0; i < v1::RoleKind_ARRAYSIZE; ++i) {
    role_kind_name_[i] = v1::RoleKind_Name(static_cast<v1::RoleKind>(i));
  }
  for (int i = 0; i < v1::Stage_ARRAYSIZE; ++i) {
    stage_name_[i] = v1::Stage_Name(static_cast<v1::Stage>(i));
  }
  for (int i = 0; i < v1::HandlingTier_ARRAYSIZE; ++i) {
    tier_name_[i] = v1::HandlingTier_Name(static_cast<v1::HandlingTier>(i));
  }
  // The policy's defaults, resolved once.
  const v1::StageLimits& defaults = policy_.defaults();
  stage_default_[0] = Dur(defaults.sign_for(), WorkingDays(1));
  stage_default_[2] = Dur(defaults.feedback(), WorkingDays(1));
  stage_default_[3] = Dur(defaults.revisit(), WorkingDays(3));
  // The handle limit by request kind: the policy's per-kind limit, else
  // its defaults.handle, else the built-in one (consult 2, help 5,
  // complaint/report/suggestion 13 working days; hotline matters without a
  // kind 13, city-management events 5).
  const CompiledDuration general = Dur(defaults.handle(), CompiledDuration{});
  auto per_kind = [&](const v1::Duration& d, int32_t builtin) {
    return Dur(d, general.set() ? general : WorkingDays(builtin));
  };
  for (int kind = 0; kind < v1::RequestKind_ARRAYSIZE; ++kind) {
    for (int hotline = 0; hotline < 2; ++hotline) {
      CompiledDuration& d = handle_default_[kind][hotline];
      switch (kind) {
        case v1::REQUEST_KIND_CONSULT:
          d = per_kind(policy_.consult_handle(), 2);
          break;
        case v1::REQUEST_KIND_HELP:
          d = per_kind(policy_.help_handle(), 5);
          break;
        case v1::REQUEST_KIND_COMPLAINT:
          d = per_kind(policy_.complaint_handle(), 13);
          break;
        case v1::REQUEST_KIND_REPORT:
          d = per_kind(policy_.report_handle(), 13);
          break;
        case v1::REQUEST_KIND_SUGGESTION:
          d = per_kind(policy_.suggestion_handle(), 13);
          break;
        default:
          d = general.set() ? general
                            : hotline ? WorkingDays(13) : WorkingDays(5);
          break;
      }
    }
  }
  // The share of the handle limit by urgency (1 normal … 4 emergency).
  urgency_percent_[0] = urgency_percent_[1] = 100;
  urgency_percent_[2] =
      policy_.urgent_percent() > 0 ? policy_.urgent_percent() : 100;
  urgency_percent_[3] =
      policy_.very_urgent_percent() > 0 ? policy_.very_urgent_percent() : 50;
  urgency_percent_[4] =
      policy_.emergency_percent() > 0 ? policy_.emergency_percent() : 25;
  for (int u = 2; u <= 4; ++u) {
    static constexpr const char* kField[5] = {
        "", "", "urgent_percent", "very_urgent_percent", "emergency_percent"};
    urgency_ref_[u] = absl::StrCat(kField[u], ":", urgency_percent_[u]);
  }
  major_urgency_ = policy_.major_urgency() > 0 ? policy_.major_urgency() : 4;
  whistle_report_in_ =
      Dur(policy_.whistle_report_in(),
          CompiledDuration{v1::TIME_UNIT_WORKING_HOURS, 2});
}

bool Router::Delegable(const CompiledRule& rule) const {
  if (rule.item == kNoIndex) return false;
  switch (rule.lead.kind) {
    case v1::ROLE_KIND_COUNTY_DEPARTMENT:
    case v1::ROLE_KIND_DISPATCHED_UNIT:
      return true;
    case v1::ROLE_KIND_NAMED_UNIT:
      return o_.kind(rule.lead.unit) == v1::UNIT_KIND_DEPARTMENT ||
             o_.kind(rule.lead.unit) == v1::UNIT_KIND_DISPATCHED;
    default:
      return false;
  }
}

void Router::DelegatedLead(const Catalogue::ItemDelegation& g,
                           const Organization::TownshipRoles& roles,
                           RoleHandler* out) const {
  UnitId lead = kNoUnit;
  if (g.mode == v1::DELEGATION_MODE_OWN_NAME) {
    lead = roles.enforcement_team;
    out->implied = v1::ROLE_KIND_TOWNSHIP_ENFORCEMENT;
  } else if (g.mode == v1::DELEGATION_MODE_JOINT) {
    lead = roles.joint_centre;
    if (lead == kNoUnit) lead = roles.enforcement_team;
    out->implied = v1::ROLE_KIND_TOWNSHIP_ENFORCEMENT;
  }
  if (lead == kNoUnit) {
    lead = roles.government;
    out->implied = v1::ROLE_KIND_TOWNSHIP_GOVERNMENT;
  }
  out->handler = lead == kNoUnit ? Handler{} : Handler{Handler::kUnit, lead};
  out->role = nullptr;
}

void Router::Resolved(const CompiledRole& role, const Catalogue::Place& at,
                      RoleHandler* out) const {
  out->handler = c_.Resolve(role, at);
  out->role = &role;
  out->implied = role.kind;
}

void Router::Implied(v1::RoleKind kind, const Catalogue::Place& at,
                     RoleHandler* out) const {
  out->handler = c_.Resolve(implied_[kind], at);
  out->role = nullptr;
  out->implied = kind;
  if (kind == v1::ROLE_KIND_COUNTY_SOCIAL_GOVERNANCE_CENTRE &&
      out->handler.kind == Handler::kUnit) {
    // The centre that answered from above names its own kind.
    switch (o_.centre_type(out->handler.id)) {
      case v1::CENTRE_TYPE_CITY_OPERATIONS:
        out->implied = v1::ROLE_KIND_CITY_OPERATIONS_CENTRE;
        break;
      case v1::CENTRE_TYPE_HOTLINE_12345:
        out->implied = v1::ROLE_KIND_HOTLINE_CENTRE;
        break;
      default:
        break;
    }
  }
}

void RoutePrefetcher::Advance() {
  // The step of each earlier case, by its age in pushes; its slot is
  // next_ - age, wrapped.
  for (int age = 1; age < kLead; ++age) {
    const int slot = next_ - age < 0 ? next_ - age + kLead : next_ - age;
    Pending& p = pending_[slot];
    RouteHint& hint = p.hint;
    if (hint.c == nullptr) continue;
    switch (age) {
      case 1:
        if (hint.key != 0) p.run = h_.CodeRun(hint.key);
        if (hint.matter != kNoIndex) p.rule = c_.PrefetchRules(hint.matter);
        break;
      case 2:
        if (hint.key != 0) {
          hint.location = h_.FindInRun(hint.key, p.run);
          hint.located = true;
        }
        if (p.rule != nullptr) {
          c_.PrefetchRoles(*p.rule);
          hint.item = p.rule->item;
        }
        break;
      case 3:
        if (hint.location == kNoRegion) break;
        hint.township = h_.township_of(hint.location);
        if (hint.township == kNoRegion) break;
        o_.PrefetchTownshipRow(hint.township);
        if (hint.item != kNoIndex) {
          c_.PrefetchDelegationFilter(hint.item, hint.township);
        }
        break;
      case 4:
        if (hint.township == kNoRegion) break;
        o_.PrefetchTownshipRoles(hint.township);
        o_.PrefetchVillageCommittee(hint.location);
        if (hint.item != kNoIndex) {
          p.delegation_block =
              c_.PrefetchDelegationBlock(hint.item, hint.township);
        }
        break;
      default:
        if (hint.township == kNoRegion) break;
        if (p.rule != nullptr &&
            p.rule->lead.kind == v1::ROLE_KIND_COUNTY_DEPARTMENT) {
          o_.PrefetchDepartmentInRow(o_.township_roles(hint.township).county_row,
                                     p.rule->lead.department_type);
        }
        if (hint.item == kNoIndex) break;
        if (p.delegation_block != nullptr) {
          hint.delegations =
              c_.PrefetchDelegationBucket(hint.item, *p.delegation_block);
        }
        hint.delegations_known = true;
        break;
    }
  }
}

void RoutePrefetcher::Push(const CaseView& c) {
  Advance();
  Pending& p = pending_[next_];
  p = Pending();
  p.hint.c = &c;
  // A region key is never 0 (see region_code.h).
  const absl::optional<uint64_t> key = RegionKeyFromNumber(c.location_code());
  if (key) {
    p.hint.key = *key;
    h_.PrefetchCodeSlot(*key);
  }
  p.hint.matter = c_.FindMatter(c.matter_code());
  if (p.hint.matter != kNoIndex) c_.PrefetchMatter(p.hint.matter);
  next_ = next_ + 1 == kLead ? 0 : next_ + 1;
}

void RoutePrefetcher::Push() {
  Advance();
  pending_[next_] = Pending();
  next_ = next_ + 1 == kLead ? 0 : next_ + 1;
}

absl::Status Router::Route(const CaseView& c, const RouteHint& hint,
                           RouteResult* r) const {
  r->outcome = v1::ROUTING_OUTCOME_UNSPECIFIED;
  r->coordinating_region = kNoRegion;
  r->rule = kNoIndex;
  r->item = kNoIndex;
  r->delegation = kNoIndex;
  r->enforcement_mode = v1::DELEGATION_MODE_UNSPECIFIED;
  r->tier = v1::HANDLING_TIER_UNSPECIFIED;
  r->lead = RoleHandler{};
  r->supervisor = RoleHandler{};
  r->arbitrator = RoleHandler{};
  r->co_handler_count = r->candidate_count = r->deadline_count = 0;
  r->escalation_count = r->whistle_count = r->trace_count = 0;

  // 1. The case's own fields (the location and matter as the prefetcher
  // found them, when it did for this case). Without a hint the matter is
  // looked up first and its rules fetched, so that their misses overlap
  // the location's chain of them instead of following it.
  const bool hinted = hint.c == &c;
  const MatterId matter_id = hinted && hint.matter != kNoIndex
                                 ? hint.matter
                                 : c_.FindMatter(c.matter_code());
  const CompiledRule* first_rule = nullptr;
  if (!hinted && matter_id != kNoIndex) {
    first_rule = c_.PrefetchRules(matter_id);
  }
  absl::optional<uint64_t> key = RegionKeyFromNumber(c.location_code());
  if (hinted && hint.located && key && *key == hint.key) {
    r->location = hint.location;
  } else {
    r->location = key ? h_.FindKey(*key) : kNoRegion;
  }
  if (r->location == kNoRegion) {
    if (c.location_code() == 0) {
      return NotSetError("location_code",
                         "give the grid, village or township code where the "
                         "case is");
    }
    return absl::InvalidArgumentError(absl::StrCat(
        "location_code: no region has code ", c.location_code()));
  }
  if (h_.level(r->location) < v1::REGION_LEVEL_TOWNSHIP) {
    return absl::InvalidArgumentError(absl::StrCat(
        "location_code: ", c.location_code(),
        " is above township level; give a township, village or grid"));
  }
  // The township's records, and whether the first rule's item is
  // delegated to it, fetched while the rest of the case is read.
  const RegionId township = h_.township_of(r->location);
  if (!hinted && township != kNoRegion) {
    o_.PrefetchTownshipRoles(township);
    o_.PrefetchVillageCommittee(r->location);
    // The township's delegation directory too, by the same row number: a
    // delegated case then waits for its bucket only (the terms are in
    // it), not for the block first (the filter word is read after
    // matching; waiting for it here would hold up every case).
    c_.PrefetchTownshipBlock(township);
    if (first_rule != nullptr) {
      c_.PrefetchRoles(*first_rule);
      if (first_rule->item != kNoIndex) {
        c_.PrefetchDelegationFilter(first_rule->item, township);
      }
    }
  }
  r->matter = matter_id;
  if (r->matter == kNoIndex) {
    if (c.matter_code().empty()) {
      return NotSetError("matter_code", "give the code of the case's matter");
    }
    return absl::InvalidArgumentError(
        absl::StrCat("matter_code: unknown \"", Utf8Prefix(c.matter_code(), 64),
                     "\""));
  }
  if (c.urgency() < 0 || c.urgency() > 4) {
    return absl::InvalidArgumentError(absl::StrCat(
        "urgency: ", c.urgency(), " is outside 0..4 (0 means 1, normal)"));
  }
  if (!v1::RequestKind_IsValid(c.request_kind())) {
    return absl::InvalidArgumentError(
        absl::StrCat("request_kind: unknown value ", c.request_kind()));
  }
  if (!v1::CaseSource_IsValid(c.source())) {
    return absl::InvalidArgumentError(
        absl::StrCat("source: unknown value ", c.source()));
  }
  if (c.reported_at() <= 0 || c.reported_at() > kMaxInstant) {
    if (c.reported_at() == 0) {
      return NotSetError("reported_at",
                         "give the time the case was reported, in seconds "
                         "since 1970 (UTC)");
    }
    return absl::InvalidArgumentError(absl::StrCat(
        "reported_at: ", c.reported_at(), " is not a time after 1970"));
  }
  if (c.id().size() > kMaxCaseIdBytes) {
    return absl::InvalidArgumentError(absl::StrCat(
        "id: ", c.id().size(), " bytes, at most ", kMaxCaseIdBytes));
  }
  if (c.attributes_size() > kMaxCaseAttributes) {
    return absl::InvalidArgumentError(
        absl::StrCat("attributes: ", c.attributes_size(), " given, at most ",
                     kMaxCaseAttributes));
  }
  if (c.extra_location_codes_size() > kMaxExtraLocations) {
    return absl::InvalidArgumentError(
        absl::StrCat("extra_location_codes: ", c.extra_location_codes_size(),
                     " given, at most ", kMaxExtraLocations));
  }
  AttributeValue values[kMaxCaseAttributes];
  int n = 0;
  for (int i = 0; i < c.attributes_size(); ++i) {
    const AttributeView& a = c.attributes(i);
    const AttributeId id = c_.FindAttribute(a.key);
    if (id == kNoIndex) {
      return absl::InvalidArgumentError(absl::StrCat(
          "attributes[", i, "].key: unknown \"", Utf8Prefix(a.key, 64), "\""));
    }
    AttributeValue v{id, 0, 0};
    switch (c_.attribute_type(id)) {
      case v1::ATTRIBUTE_TYPE_NUMBER:
        if (!ParseNumber(a.value, &v.number) || !std::isfinite(v.number)) {
          return absl::InvalidArgumentError(absl::StrCat(
              "attributes[", i, "].value: \"", Utf8Prefix(a.value, 64),
              "\" is not a number (", a.key, " is numeric)"));
        }
        break;
      case v1::ATTRIBUTE_TYPE_BOOL: {
        // Fixed-size compares: word loads, not string::compare calls.
        const absl::string_view text = a.value;
        if (text.size() == 4 && std::memcmp(text.data(), "true", 4) == 0) {
          v.value = 1;
        } else if (text.size() != 5 ||
                   std::memcmp(text.data(), "false", 5) != 0) {
          return absl::InvalidArgumentError(absl::StrCat(
              "attributes[", i, "].value: \"", Utf8Prefix(a.value, 64),
              "\" is not true/false (", a.key, " is boolean)"));
        }
        break;
      }
      default:
        // Allowed and interned in one probe.
        v.value = c_.FindCaseValue(id, a.value);
        if (v.value == kNotAllowed) {
          return absl::InvalidArgumentError(absl::StrCat(
              "attributes[", i, "].value: \"", Utf8Prefix(a.value, 64),
              "\" is not an allowed value of ", a.key));
        }
        break;
    }
    // Insertion keeps them sorted by attribute; duplicates are refused.
    int pos = n;
    while (pos > 0 && values[pos - 1].attribute > id) {
      values[pos] = values[pos - 1];
      --pos;
    }
    if (pos > 0 && values[pos - 1].attribute == id) {
      return absl::InvalidArgumentError(
          absl::StrCat("attributes[", i, "].key: \"", a.key, "\" given twice"));
    }
    values[pos] = v;
    ++n;
  }
  Trace(r, v1::REASON_LOCATION, RefKind::kRegion, r->location);

  // Cross-township: coordinated at the lowest common ancestor.
  RegionId lca = r->location;
  // The extra locations found, for the townships that cooperate on a
  // cross-township case (step 4).
  RegionId extras[kMaxExtraLocations];
  for (int i = 0; i < c.extra_location_codes_size(); ++i) {
    absl::optional<uint64_t> k = RegionKeyFromNumber(c.extra_location_codes(i));
    const RegionId extra = k ? h_.FindKey(*k) : kNoRegion;
    if (extra == kNoRegion) {
      return absl::InvalidArgumentError(
          absl::StrCat("extra_location_codes[", i, "]: no region has code ",
                       c.extra_location_codes(i)));
    }
    if (h_.level(extra) < v1::REGION_LEVEL_TOWNSHIP) {
      return absl::InvalidArgumentError(absl::StrCat(
          "extra_location_codes[", i, "]: ", c.extra_location_codes(i),
          " is above township level; give a township, village or grid"));
    }
    extras[i] = extra;
    lca = h_.LowestCommonAncestor(lca, extra);
    if (lca == kNoRegion) {
      // A dataset may hold several roots (provinces, say): no region
      // coordinates a case spanning two of them.
      return absl::InvalidArgumentError(absl::StrCat(
          "extra_location_codes[", i, "]: ", c.extra_location_codes(i),
          " and location_code ", c.location_code(),
          " lie under different root regions: no region coordinates both"));
    }
  }
  const bool cross_township =
      lca != kNoRegion && h_.level(lca) < v1::REGION_LEVEL_TOWNSHIP;
  // Within one township: several of its villages, or several grids of one
  // village (the LCA is then the township, or the village, and not the
  // location itself).
  const bool spans = !cross_township && lca != r->location;
  const bool cross_village =
      spans && h_.level(lca) == v1::REGION_LEVEL_TOWNSHIP;
  const bool cross_grid = spans && h_.level(lca) == v1::REGION_LEVEL_VILLAGE;
  if (cross_township) {
    r->coordinating_region = lca;
    Trace(r, v1::REASON_CROSS_TOWNSHIP, RefKind::kRegion, lca);
  } else if (cross_village) {
    Trace(r, v1::REASON_CROSS_VILLAGE, RefKind::kRegion, lca);
  } else if (cross_grid) {
    Trace(r, v1::REASON_CROSS_GRID, RefKind::kRegion, lca);
  }
  Trace(r, v1::REASON_MATTER, RefKind::kMatter, r->matter);

  // 2. The rule.
  const int32_t local_day = static_cast<int32_t>(
      (c.reported_at() + int64_t{cal_.utc_offset_minutes()} * 60) / 86400);
  CaseFacts facts;
  facts.matter = r->matter;
  facts.location = r->location;
  facts.request_kind = c.request_kind();
  facts.urgency = c.urgency() == 0 ? 1 : c.urgency();
  facts.day = local_day;
  facts.attributes = absl::MakeConstSpan(values, static_cast<size_t>(n));
  const CompiledMatter& matter = c_.matter(r->matter);

  // MatchRules, without its vector: the tie list lives in the result.
  RuleIndex winner = kNoIndex;
  for (RuleIndex i = matter.rules_begin; i < matter.rules_end; ++i) {
    const CompiledRule& rule = c_.rule(i);
    if (winner != kNoIndex && !rule.SamePrecedence(c_.rule(winner))) break;
    if (!c_.Matches(rule, facts)) continue;
    if (winner == kNoIndex) {
      winner = i;
    } else {
      if (r->candidate_count == 0) r->candidate_rules[r->candidate_count++] = winner;
      if (r->candidate_count < kMaxCandidates) {
        r->candidate_rules[r->candidate_count++] = i;
      }
    }
  }

  // Roles are resolved at the location (its township's roles record
  // looked up once) or, for the county-level centre, at the coordinating
  // region: the LCA of a cross-township case, else the township, whose
  // centre is the location's.
  Catalogue::Place here;
  here.location = r->location;
  here.township = township;
  if (township != kNoRegion) here.roles = &o_.township_roles(township);
  const Catalogue::Place centre = cross_township ? c_.PlaceOf(lca) : here;
  auto set_arbitrator = [&] {
    // The lowest command centre covering the location: the township
    // command room, else the county social-governance centre.
    if (!cross_township) {
      Implied(v1::ROLE_KIND_TOWNSHIP_COMMAND_ROOM, here, &r->arbitrator);
    }
    if (r->arbitrator.handler.kind == Handler::kNone) {
      Implied(v1::ROLE_KIND_COUNTY_SOCIAL_GOVERNANCE_CENTRE, centre,
              &r->arbitrator);
    }
  };

  const CompiledRule* rule = nullptr;
  if (winner == kNoIndex) {
    r->outcome = v1::ROUTING_OUTCOME_UNMAPPED;
    Trace(r, v1::REASON_NO_RULE, RefKind::kMatter, r->matter);
  } else if (r->candidate_count > 0) {
    r->outcome = v1::ROUTING_OUTCOME_AMBIGUOUS;
    Trace(r, v1::REASON_RULES_TIED, RefKind::kTiedRules, 0);
    // Each candidate as its rule alone would route the case: with the
    // delegation overlay (step 3), a delegated item's township unit rather
    // than the department that handed it over.
    for (int i = 0; i < r->candidate_count; ++i) {
      const CompiledRule& tied = c_.rule(r->candidate_rules[i]);
      const Catalogue::ItemDelegation* g = nullptr;
      if (township != kNoRegion && Delegable(tied)) {
        DelegationIndex ended;
        c_.DelegationAt(c_.DelegationBucket(tied.item, township), tied.item,
                        local_day, &g, &ended);
      }
      if (g != nullptr && cross_township) {
        Trace(r, v1::REASON_DELEGATION_OUTSIDE, RefKind::kDelegation,
              g->delegation);
        g = nullptr;
      }
      if (g == nullptr) {
        Resolved(tied.lead, here, &r->candidates[i]);
      } else {
        DelegatedLead(*g, *here.roles, &r->candidates[i]);
        Trace(r, v1::REASON_DELEGATION_APPLIED, RefKind::kDelegation,
              g->delegation);
      }
    }
  } else {
    r->outcome = v1::ROUTING_OUTCOME_ROUTED;
    r->rule = winner;
    rule = &c_.rule(winner);
    r->item = rule->item;
    Trace(r,
          rule->scenario >= 0 ? v1::REASON_SCENARIO_MATCHED
                              : v1::REASON_RULE_MATCHED,
          RefKind::kRule, winner);
    if (r->item != kNoIndex) Trace(r, v1::REASON_ITEM, RefKind::kItem, r->item);
  }

  // The delegation overlay (step 3) applies when a department leads: a
  // county department, a dispatched unit, or a named unit of either kind.
  // The bucket of the township's entries that would hold the item's is
  // fetched now (the prefetcher has found it already for a hinted case),
  // and the deadlines, which depend on the rule and the case only, are
  // computed while it comes; their trace steps follow the tier's.
  const bool delegable =
      rule != nullptr && township != kNoRegion && Delegable(*rule);
  // A county department's cell of the dense table, by the county row the
  // township's record holds (read by now: it was fetched with the
  // location), also while the deadlines are computed.
  if (rule != nullptr && here.roles != nullptr &&
      rule->lead.kind == v1::ROLE_KIND_COUNTY_DEPARTMENT) {
    o_.PrefetchDepartmentInRow(here.roles->county_row,
                               rule->lead.department_type);
  }
  absl::Span<const Catalogue::ItemDelegation> delegations;
  if (delegable) {
    if (hinted && hint.delegations_known && hint.item == r->item &&
        hint.township == township) {
      delegations = hint.delegations;
    } else {
      delegations = c_.DelegationBucket(r->item, township);
    }
  }
  // 5. Deadlines (early, see above). Sign-for, handle and the whistle
  // report-in run from the reported time, located in the calendar once.
  const WorkCalendar::Position reported = cal_.Locate(c.reported_at());
  // A time outside the calendar is an error naming it, whatever the limits'
  // units (calendar-time limits alone would not consult the calendar).
  if (!reported.inside()) {
    return WithContext("reported_at", cal_.CheckInstant(c.reported_at()));
  }
  absl::Status s = ComputeDeadlines(c, reported, r);
  if (!s.ok()) return s;

  if (rule != nullptr) {
    Resolved(rule->lead, here, &r->lead);
    // 3. The delegation overlay.
    if (delegable) {
      const Catalogue::ItemDelegation* g;
      DelegationIndex ended;
      c_.DelegationAt(delegations, r->item, local_day, &g, &ended);
      if (g != nullptr && cross_township) {
        // The department keeps a case reaching beyond the township.
        Trace(r, v1::REASON_DELEGATION_OUTSIDE, RefKind::kDelegation,
              g->delegation);
      } else if (g != nullptr) {
        const DelegationIndex d = g->delegation;
        r->delegation = d;
        r->enforcement_mode = static_cast<v1::DelegationMode>(g->mode);
        // The department hands over and helps.
        if (r->lead.handler.kind != Handler::kNone) {
          r->co_handlers[r->co_handler_count++] = r->lead;
        }
        DelegatedLead(*g, *here.roles, &r->lead);
        Trace(r, v1::REASON_DELEGATION_APPLIED, RefKind::kDelegation, d);
      } else {
        // A delegation that has ended returns the item to the department.
        if (ended != kNoIndex) {
          Trace(r, v1::REASON_DELEGATION_ENDED, RefKind::kDelegation, ended);
        }
      }
    }
    if (r->lead.handler.kind == Handler::kNone) {
      // Nobody fills the role here: the backstop takes it.
      Trace(r, v1::REASON_LEAD_UNRESOLVED, RefKind::kRole, 0);
      r->outcome = v1::ROUTING_OUTCOME_UNMAPPED;
    } else {
      Trace(r, v1::REASON_LEAD, RefKind::kHandler, 0);
      for (const CompiledRole& co : c_.co_handlers(*rule)) {
        if (r->co_handler_count >= kMaxCoHandlers) break;
        RoleHandler h;
        Resolved(co, here, &h);
        if (h.handler.kind == Handler::kNone || h.handler == r->lead.handler) {
          continue;
        }
        bool seen = false;
        for (int k = 0; k < r->co_handler_count; ++k) {
          seen |= r->co_handlers[k].handler == h.handler;
        }
        if (!seen) r->co_handlers[r->co_handler_count++] = h;
      }
      if (rule->supervisor.kind != v1::ROLE_KIND_UNSPECIFIED) {
        Resolved(rule->supervisor, here, &r->supervisor);
      }
    }
  }
  if (r->outcome == v1::ROUTING_OUTCOME_UNMAPPED) {
    // 属地兜底: the township command room.
    r->co_handler_count = 0;
    if (!cross_township) {
      Implied(v1::ROLE_KIND_TOWNSHIP_COMMAND_ROOM, here, &r->lead);
    }
    if (r->lead.handler.kind == Handler::kNone) {
      Implied(v1::ROLE_KIND_COUNTY_SOCIAL_GOVERNANCE_CENTRE, centre,
              &r->lead);
    }
    Trace(r, v1::REASON_BACKSTOP, RefKind::kHandler, 0);
  } else if (r->outcome == v1::ROUTING_OUTCOME_AMBIGUOUS) {
    set_arbitrator();
    Trace(r, v1::REASON_ARBITRATION, RefKind::kHandler, 2);
  }

  // 4. The tier.
  const int32_t major_urgency = major_urgency_;
  const bool major_by_matter = matter.major;
  const bool major_by_urgency = facts.urgency >= major_urgency;
  // A major or cross-township case goes to the county whatever the rule
  // says; otherwise a rule's tier stands.
  const bool rule_has_tier = rule != nullptr &&
                             rule->tier != v1::HANDLING_TIER_UNSPECIFIED &&
                             r->outcome == v1::ROUTING_OUTCOME_ROUTED;
  if (major_by_matter || major_by_urgency || cross_township) {
    r->tier = v1::HANDLING_TIER_COUNTY;
    if (major_by_matter || major_by_urgency) {
      Trace(r, v1::REASON_MAJOR, RefKind::kMajor, major_by_matter ? 1 : 2);
    }
  } else if (rule_has_tier) {
    r->tier = rule->tier;
  } else if (r->outcome == v1::ROUTING_OUTCOME_ROUTED &&
             r->lead.handler.kind == Handler::kGrid) {
    r->tier = v1::HANDLING_TIER_GRID;
  } else if (r->outcome == v1::ROUTING_OUTCOME_ROUTED &&
             r->lead.handler.kind == Handler::kUnit &&
             o_.kind(r->lead.handler.id) == v1::UNIT_KIND_VILLAGE_COMMITTEE) {
    r->tier = v1::HANDLING_TIER_VILLAGE;
  } else {
    r->tier = v1::HANDLING_TIER_TOWNSHIP;
  }
  // Past one community, the township's; past one grid, the community's.
  if (cross_village && r->tier < v1::HANDLING_TIER_TOWNSHIP) {
    r->tier = v1::HANDLING_TIER_TOWNSHIP;
  } else if (cross_grid && r->tier < v1::HANDLING_TIER_VILLAGE) {
    r->tier = v1::HANDLING_TIER_VILLAGE;
  }
  Trace(r, v1::REASON_TIER, RefKind::kTier, r->tier);
  // The rule asked for the tier the case has (a county-tier rule may name
  // its own supervisor and lead; one the county tier overrode may not).
  const bool tier_from_rule = rule_has_tier && rule->tier == r->tier;
  // A co-handler more: each once, never the lead, at most kMaxCoHandlers.
  auto cooperate_with = [&](const RoleHandler& h) {
    if (h.handler.kind == Handler::kNone || h.handler == r->lead.handler ||
        r->co_handler_count >= kMaxCoHandlers) {
      return;
    }
    for (int k = 0; k < r->co_handler_count; ++k) {
      if (r->co_handlers[k].handler == h.handler) return;
    }
    r->co_handlers[r->co_handler_count++] = h;
  };
  if ((cross_village || cross_grid) && r->tier != v1::HANDLING_TIER_COUNTY &&
      r->outcome == v1::ROUTING_OUTCOME_ROUTED && !tier_from_rule &&
      (cross_village ? LedBelowTownship(*r)
                     : r->lead.handler.kind == Handler::kGrid)) {
    // The township command room (the village committee) takes over a case
    // reaching past one community (one grid).
    RoleHandler to;
    Implied(cross_village ? v1::ROLE_KIND_TOWNSHIP_COMMAND_ROOM
                          : v1::ROLE_KIND_VILLAGE_COMMITTEE,
            here, &to);
    RaiseLead(to, r);
  }
  if (r->tier == v1::HANDLING_TIER_COUNTY) {
    // A major or cross-township case goes up to the county centre, which
    // disposes of it (重大事件上达社会治理中心处置办结): a rule written for
    // grid workers or a village committee does not keep it there, nor
    // does the township command room as an unmapped case's backstop.
    if (!tier_from_rule &&
        ((r->outcome == v1::ROUTING_OUTCOME_ROUTED && LedBelowTownship(*r)) ||
         (r->outcome == v1::ROUTING_OUTCOME_UNMAPPED && !cross_township))) {
      RoleHandler to;
      Implied(v1::ROLE_KIND_COUNTY_SOCIAL_GOVERNANCE_CENTRE, centre, &to);
      RaiseLead(to, r);
    }
    // The county centre supervises (unless the rule that set the county
    // tier names its own supervisor); the township cooperates.
    if (!tier_from_rule || r->supervisor.handler.kind == Handler::kNone) {
      Implied(v1::ROLE_KIND_COUNTY_SOCIAL_GOVERNANCE_CENTRE, centre,
              &r->supervisor);
    }
    if (r->supervisor.handler.kind == Handler::kUnit &&
        r->supervisor.handler == r->lead.handler) {
      // The centre itself leads (the backstop of an unmapped case): it does
      // not supervise itself; the coordinating centre of the level above
      // it does (a county's: its city's), or nobody where there is none.
      // It is also where the case escalates (step 6).
      const RegionId above = h_.parent(o_.region(r->lead.handler.id));
      r->supervisor = RoleHandler{};
      if (above != kNoRegion) {
        Implied(v1::ROLE_KIND_COUNTY_SOCIAL_GOVERNANCE_CENTRE,
                c_.PlaceOf(above), &r->supervisor);
      }
    }
    if (r->outcome != v1::ROUTING_OUTCOME_AMBIGUOUS) {
      // The township cooperates through its command room; on a
      // cross-township case, every township the case spans does: the
      // location's, then the extra locations' in order, each once. (An
      // unmapped case's backstop too: the coordinating centre leads, the
      // territories cooperate. An ambiguous one waits for arbitration.)
      auto cooperate = [&](const Catalogue::Place& at) {
        RoleHandler room;
        Implied(v1::ROLE_KIND_TOWNSHIP_COMMAND_ROOM, at, &room);
        cooperate_with(room);
      };
      cooperate(here);
      if (cross_township) {
        for (int i = 0; i < c.extra_location_codes_size(); ++i) {
          cooperate(c_.PlaceOf(extras[i]));
        }
      }
    }
  } else if (r->supervisor.handler.kind == Handler::kNone ||
             r->supervisor.handler == r->lead.handler) {
    // The township command room supervises, unless the rule names another
    // supervisor than the lead; the county centre where the room leads.
    Implied(v1::ROLE_KIND_TOWNSHIP_COMMAND_ROOM, here, &r->supervisor);
    if (r->supervisor.handler == r->lead.handler) {
      Implied(v1::ROLE_KIND_COUNTY_SOCIAL_GOVERNANCE_CENTRE, centre,
              &r->supervisor);
    }
  }
  if ((cross_village || cross_grid) &&
      r->outcome != v1::ROUTING_OUTCOME_AMBIGUOUS) {
    // Every village (grid) the case spans cooperates: its committee (its
    // workers), the location's first, then the extra locations' in order.
    const v1::RoleKind kind = cross_village ? v1::ROLE_KIND_VILLAGE_COMMITTEE
                                            : v1::ROLE_KIND_GRID_WORKER;
    RoleHandler h;
    Implied(kind, here, &h);
    cooperate_with(h);
    for (int i = 0; i < c.extra_location_codes_size(); ++i) {
      Implied(kind, c_.PlaceOf(extras[i]), &h);
      cooperate_with(h);
    }
  }

  // The deadlines' trace steps (the deadlines were computed above).
  TraceDeadlines(c, r);

  // 6. Escalation: the levels above the tier.
  auto escalate = [&](v1::RoleKind kind, const Catalogue::Place& at) {
    if (r->escalation_count >= kMaxEscalation) return;
    RoleHandler h;
    Implied(kind, at, &h);
    // Never the lead, nor the centre arbitrating an ambiguous case: it
    // holds the case already.
    if (h.handler.kind == Handler::kNone || h.handler == r->lead.handler ||
        h.handler == r->arbitrator.handler) {
      return;
    }
    for (int k = 0; k < r->escalation_count; ++k) {
      if (r->escalation[k].handler == h.handler) return;
    }
    r->escalation[r->escalation_count++] = h;
  };
  switch (r->tier) {
    case v1::HANDLING_TIER_GRID:
      escalate(v1::ROLE_KIND_VILLAGE_COMMITTEE, here);
      [[fallthrough]];
    case v1::HANDLING_TIER_VILLAGE:
    case v1::HANDLING_TIER_TOWNSHIP:
      if (!cross_township) {
        escalate(v1::ROLE_KIND_TOWNSHIP_COMMAND_ROOM, here);
      }
      escalate(v1::ROLE_KIND_COUNTY_SOCIAL_GOVERNANCE_CENTRE, centre);
      break;
    default:
      escalate(v1::ROLE_KIND_COUNTY_SOCIAL_GOVERNANCE_CENTRE, centre);
      // Nobody to escalate to at the county (the centre itself leads, or
      // there is none): to the supervisor, the centre above a centre that
      // leads.
      if (r->escalation_count == 0 &&
          r->supervisor.handler.kind != Handler::kNone &&
          r->supervisor.handler != r->arbitrator.handler) {
        r->escalation[r->escalation_count++] = r->supervisor;
      }
      break;
  }

  // Whistle list: the departments among the co-handlers, when the township
  // leads or coordinates (吹哨报到).
  if (r->outcome == v1::ROUTING_OUTCOME_ROUTED &&
      r->tier != v1::HANDLING_TIER_COUNTY) {
    int64_t report_by = 0;
    bool computed = false;
    for (int k = 0; k < r->co_handler_count && r->whistle_count < kMaxWhistle;
         ++k) {
      const RoleHandler& co = r->co_handlers[k];
      if (co.handler.kind != Handler::kUnit) continue;
      const v1::UnitKind kind = o_.kind(co.handler.id);
      if (kind != v1::UNIT_KIND_DEPARTMENT && kind != v1::UNIT_KIND_DISPATCHED) {
        continue;
      }
      if (!computed) {
        // Asked at the first department found: the township must lead.
        if (!LedByTownship(*r)) break;
        int64_t number;
        if (!Due(whistle_report_in_, reported, &report_by, &number)) {
          return DueError("whistle report-in", whistle_report_in_,
                          c.reported_at());
        }
        computed = true;
      }
      r->whistle[r->whistle_count++] = WhistleEntry{co, report_by};
    }
  }
  return absl::OkStatus();
}

bool Router::LedBelowTownship(const RouteResult& r) const {
  return r.lead.handler.kind == Handler::kGrid ||
         (r.lead.handler.kind == Handler::kUnit &&
          o_.kind(r.lead.handler.id) == v1::UNIT_KIND_VILLAGE_COMMITTEE);
}

bool Router::LedByTownship(const RouteResult& r) const {
  if (r.lead.handler.kind == Handler::kGrid) return true;
  if (r.lead.handler.kind != Handler::kUnit) return false;
  const UnitId u = r.lead.handler.id;
  const v1::UnitKind kind = o_.kind(u);
  return kind != v1::UNIT_KIND_DEPARTMENT && kind != v1::UNIT_KIND_DISPATCHED &&
         h_.level(o_.region(u)) >= v1::REGION_LEVEL_TOWNSHIP;
}

void Router::RaiseLead(const RoleHandler& coordinator, RouteResult* r) const {
  // Nobody to take it, or it leads already.
  if (coordinator.handler.kind == Handler::kNone ||
      coordinator.handler == r->lead.handler) {
    return;
  }
  // The lead first, then the co-handlers but the centre (the last one
  // drops when all are taken).
  RoleHandler co[kMaxCoHandlers];
  int n = 0;
  co[n++] = r->lead;
  for (int k = 0; k < r->co_handler_count && n < kMaxCoHandlers; ++k) {
    if (r->co_handlers[k].handler != coordinator.handler) {
      co[n++] = r->co_handlers[k];
    }
  }
  std::copy(co, co + n, r->co_handlers);
  r->co_handler_count = n;
  r->lead = coordinator;
  // The lead (or backstop) step named the lead replaced: now co-handler 0.
  for (int i = 0; i < r->trace_count; ++i) {
    TraceEntry& t = r->trace[i];
    if ((t.reason == v1::REASON_LEAD || t.reason == v1::REASON_BACKSTOP) &&
        t.kind == RefKind::kHandler && t.ref == 0) {
      t.ref = 3;
    }
  }
  Trace(r, v1::REASON_LEAD_RAISED, RefKind::kHandler, 0);
}

inline bool Router::Due(CompiledDuration limit,
                        const WorkCalendar::Position& from, int64_t* due,
                        int64_t* number) const {
  // Whole working days, the usual limit, first.
  if (limit.unit == v1::TIME_UNIT_WORKING_DAYS) {
    return cal_.TryAddWorkingDays(from, limit.amount, due, number);
  }
  *number = 0;
  switch (limit.unit) {
    case v1::TIME_UNIT_WORKING_HOURS:
      return cal_.TryAddWorkingMinutes(from, int64_t{limit.amount} * 60, due);
    case v1::TIME_UNIT_CALENDAR_HOURS:
      return cal_.TryAddElapsedSeconds(from, int64_t{limit.amount} * 3600,
                                       due);
    case v1::TIME_UNIT_CALENDAR_DAYS:
      return cal_.TryAddCalendarDays(from, limit.amount, due, number);
    default:
      return false;
  }
}

absl::Status Router::DueError(absl::string_view what, CompiledDuration limit,
                              int64_t from) const {
  // The calendar's own error for the call Due made, after what it was for.
  absl::Status s;
  switch (limit.unit) {
    case v1::TIME_UNIT_WORKING_HOURS:
      s = cal_.AddWorkingMinutes(from, int64_t{limit.amount} * 60).status();
      break;
    case v1::TIME_UNIT_WORKING_DAYS:
      s = cal_.AddWorkingDays(from, limit.amount).status();
      break;
    case v1::TIME_UNIT_CALENDAR_HOURS:
      s = cal_.AddElapsedSeconds(from, int64_t{limit.amount} * 3600).status();
      break;
    case v1::TIME_UNIT_CALENDAR_DAYS:
      s = cal_.AddCalendarDays(from, limit.amount).status();
      break;
    default:
      return absl::InternalError(absl::StrCat(
          "deadline with an unknown unit ", static_cast<int>(limit.unit)));
  }
  return WithContext(what, s);
}

absl::Status Router::ComputeDeadlines(const CaseView& c,
                                      const WorkCalendar::Position& reported,
                                      RouteResult* r) const {
  DeadlineEntry* d = r->deadlines;  // Route starts with none
  // The rule's limit (its item's or matter's where it sets none, resolved
  // in the catalogue), else the matter's, else the policy's. Stage by stage
  // with constant indices, so that each is a few moves.
  const CompiledRule* rule = r->rule != kNoIndex ? &c_.rule(r->rule) : nullptr;
  const bool hotline =
      c_.matter(r->matter).category == v1::MATTER_CATEGORY_HOTLINE;
  auto resolve = [&](int stage) {
    CompiledDuration limit;
    uint8_t source;
    if (rule != nullptr) {
      limit = rule->stage_limit[stage];
      source = rule->stage_source[stage];
    } else {
      limit = StageLimit(c_.matter(r->matter).limits, stage);
      source = 3;
    }
    // A hotline request is handled in its kind's limit (consult 2, help 5,
    // complaint 13 working days): ahead of the item's or the matter's, which
    // do not know the kind; a rule may still set its own (by request_kinds).
    if (!limit.set() ||
        (stage == 1 && hotline && c.request_kind() != 0 && source != 1)) {
      limit = stage == 1 ? handle_default_[c.request_kind()][hotline]
                         : stage_default_[stage];
      source = 4;
    }
    d[stage].stage = static_cast<v1::Stage>(stage + 1);
    d[stage].limit = limit;
    d[stage].source = source;
    d[stage].percent = 100;
  };
  resolve(0);
  resolve(1);
  resolve(2);
  resolve(3);
  // Sign-for and handle run from the reported time, the handle limit
  // shrunk by urgency to the whole hours the decision reports.
  // Urgency 0 means 1, and has its percent (Route checked 0..4).
  const int percent = urgency_percent_[c.urgency()];
  if (percent != 100) {
    d[1].unadjusted = d[1].limit;
    d[1].percent = static_cast<uint8_t>(percent);
    d[1].limit = ShrunkLimit(d[1].limit, percent, cal_.working_minutes_per_day());
  }
  int64_t number = 0;
  if (!Due(d[0].limit, reported, &d[0].due_at, &number)) {
    return DueError("sign-for deadline", d[0].limit, reported.unix_seconds);
  }
  if (!Due(d[1].limit, reported, &d[1].due_at, &number)) {
    return DueError("handle deadline", d[1].limit, reported.unix_seconds);
  }
  // A case is signed for before it is handled: a sign-for limit that would
  // end after the (urgency-shortened) handle deadline is the handle limit,
  // and its source "handle".
  if (ABSL_PREDICT_FALSE(d[0].due_at > d[1].due_at)) {
    d[0].unadjusted = d[0].limit;
    d[0].limit = d[1].limit;
    d[0].due_at = d[1].due_at;
    d[0].source = 5;
  }
  // Feedback after handle, revisit after feedback. Whole working days (the
  // usual limits) chain from the previous whole-working-days deadline's day
  // number (`number`, 0 when that stage was not in whole working days)
  // instead of locating that deadline again.
  auto chained = [&](int stage) {
    DeadlineEntry& e = d[stage];
    if (e.limit.unit == v1::TIME_UNIT_WORKING_DAYS && number > 0 &&
        cal_.TryAddMoreWorkingDays(number, e.limit.amount, &e.due_at,
                                   &number)) {
      return true;
    }
    // Whole working or calendar days count from the day the previous
    // deadline falls due in: at midnight (a last window closing at 24:00,
    // or elapsed time ending then) that is the day it ends, not the next
    // (routing.proto, Deadline). No other limit depends on which day that
    // instant is.
    const int64_t previous = d[stage - 1].due_at;
    const bool by_day = e.limit.unit == v1::TIME_UNIT_WORKING_DAYS ||
                        e.limit.unit == v1::TIME_UNIT_CALENDAR_DAYS;
    return Due(e.limit, cal_.Locate(by_day ? previous - 1 : previous),
               &e.due_at, &number);
  };
  if (!chained(2))
    return DueError("feedback deadline", d[2].limit, d[1].due_at);
  if (!chained(3)) return DueError("revisit deadline", d[3].limit, d[2].due_at);
  r->deadline_count = 4;
  return absl::OkStatus();
}

void Router::TraceDeadlines(const CaseView& c, RouteResult* r) {
  // One trace step per stage.
  if (r->trace_count + 4 <= kMaxTrace) {
    TraceEntry* t = r->trace + r->trace_count;
    r->trace_count += 4;
    for (uint32_t stage = 0; stage < 4; ++stage) {
      t[stage] = TraceEntry{v1::REASON_DEADLINE, RefKind::kStage, stage};
    }
  } else {
    for (uint32_t stage = 0; stage < 4; ++stage) {
      Trace(r, v1::REASON_DEADLINE, RefKind::kStage, stage);
    }
  }
  // The routing policy shortened the handle limit for an urgent case.
  if (r->deadlines[1].percent != 100) {
    Trace(r, v1::REASON_POLICY, RefKind::kUrgency,
          static_cast<uint32_t>(c.urgency()));
  }
}

namespace {

// The fixed-size blocks PutHandler copies a handler's code and role field
// in: within the slack the unit code table and the role table keep.
constexpr size_t kCodeCopy = 48;
constexpr size_t kRoleCopy = 32;
static_assert(kCodeCopy <= Organization::kCodeSlack, "unit code slack");
static_assert(kCodeCopy >= kMaxCodeDigits, "a grid's code");
static_assert(kRoleCopy <= Catalogue::kRoleFieldSlack, "role field slack");

absl::string_view SourceName(uint8_t s) {
  switch (s) {
    case 1: return "rule";
    case 2: return "item";
    case 3: return "matter";
    case 5: return "handle";
    default: return "policy";
  }
}

// A region's code as text, in `digits` (kMaxCodeDigits chars): the first
// CodeLength digits of the padded code (WriteCodeDigits's bytes, without
// its division by a power of ten).
absl::string_view RegionCodeText(uint64_t key, char* digits) {
  WireWriter::Put18Digits(digits, PaddedCode(key));
  return absl::string_view(digits, static_cast<size_t>(CodeLength(key)));
}

// A field's bytes (tag, one-byte length, value) in a slot of kSlot bytes:
// the writer copies the whole slot, a fixed-size copy with no branch on
// the length, then advances by the field's size. Empty values (left out,
// as proto3 leaves them) have size 0.
template <size_t kSlot>
struct alignas(kSlot) Fragment {  // indexed by shifts, not by multiplies
  char bytes[kSlot] = {};
  uint8_t size = 0;

  void Set(int field, absl::string_view value) {
    if (value.empty()) return;
    // Every value is a generated enum name (or built from one) that fits:
    // RouterTest.EnumNamesFitTheWritersFragments checks each against its
    // slot, so a proto change that lengthens one fails that test, not a
    // process.
    if (value.size() + 2 > kSlot || value.size() >= 0x80) return;
    bytes[0] = static_cast<char>((field << 3) | 2);
    bytes[1] = static_cast<char>(value.size());
    std::memcpy(bytes + 2, value.data(), value.size());
    size = static_cast<uint8_t>(value.size() + 2);
  }
  // A message field holding one varint field: {field {1: value}}.
  void SetVarintMessage(int field, uint8_t value) {
    if (value == 0 || value >= 0x80) return;
    bytes[0] = static_cast<char>((field << 3) | 2);
    bytes[1] = 2;
    bytes[2] = static_cast<char>(1 << 3);
    bytes[3] = static_cast<char>(value);
    size = 4;
  }
  // The value without its tag and length.
  absl::string_view value() const {
    return size == 0 ? absl::string_view()
                     : absl::string_view(bytes + 2, size - 2u);
  }
  // REQUIRES: kSlot bytes of room at p.
  char* Put(char* p) const {
    std::memcpy(p, bytes, kSlot);
    return p + size;
  }
};

// The fields of a decision that depend on no engine, built once from the
// generated enum names (the same strings RefOf and RoleLabel give).
struct DecisionFragments {
  DecisionFragments() {
    for (int kind = 0; kind < v1::RoleKind_ARRAYSIZE; ++kind) {
      implied_role[kind].SetVarintMessage(4, static_cast<uint8_t>(kind));
    }
    for (int tier = 0; tier < v1::HandlingTier_ARRAYSIZE; ++tier) {
      tier_ref[tier].Set(
          2, v1::HandlingTier_Name(static_cast<v1::HandlingTier>(tier)));
    }
    major_ref[0].Set(2, "urgency");
    major_ref[1].Set(2, "matter");
    for (uint8_t source = 0; source < kSources; ++source) {
      deadline_source[source].Set(4, SourceName(source));
      for (int stage = 0; stage < v1::Stage_ARRAYSIZE; ++stage) {
        stage_ref[stage][source].Set(
            2, absl::StrCat(v1::Stage_Name(static_cast<v1::Stage>(stage)), ":",
                            SourceName(source)));
      }
    }
  }

  // Limit sources: 1 rule, 2 item, 3 matter, 4 policy, 5 handle.
  static constexpr uint8_t kSources = 6;
  // A deadline's limit source as an index (4, policy, for any other).
  static int SourceIndex(const DeadlineEntry& e) {
    return e.source < kSources ? e.source : 4;
  }
  const Fragment<32>& StageRef(const DeadlineEntry& e) const {
    return stage_ref[e.stage][SourceIndex(e)];
  }

  // Handler.role of a role routing implies itself, by RoleKind: a Role
  // with its kind alone, in a slot of the kRoleCopy bytes PutHandler
  // copies.
  Fragment<kRoleCopy> implied_role[v1::RoleKind_ARRAYSIZE];
  // TraceStep.ref of kTier (by tier), kMajor ([1] matter, [0] urgency) and
  // kStage (by stage and limit source) steps.
  Fragment<32> tier_ref[v1::HandlingTier_ARRAYSIZE];
  Fragment<32> major_ref[2];
  Fragment<32> stage_ref[v1::Stage_ARRAYSIZE][kSources];
  // Deadline.source by limit source.
  Fragment<16> deadline_source[kSources];
};

// Inlined: what is left per call is the guard's check of one byte (a
// call cost more than that, twice per decision).
ABSL_ATTRIBUTE_ALWAYS_INLINE inline const DecisionFragments& Fragments() {
  static const DecisionFragments* const fragments = new DecisionFragments();
  return *fragments;
}

// What a Handler message shows: kind (0 = nobody: an empty message, as a
// candidate nobody fills), code, and the role field's bytes ready: from a
// fixed slot for a role routing implies (its kind alone), else the
// catalogue's encoding of the dataset's role (Catalogue::HandlerRole).
// kCodeCopy bytes are readable from the code's start and kRoleCopy from
// the role's (the unit code table's and the role table's slack, or the
// writer's buffer of digits and the fragments' slots), so that PutHandler
// copies each as one fixed-size block.
struct HandlerText {
  int kind = 0;
  absl::string_view code;
  absl::string_view role;

  // The message's bytes, without tag and length.
  size_t Body() const {
    if (kind == 0) return 0;
    const size_t n = code.size();
    return 2 + (n - 1 < 0x7F ? 2 + n : WireWriter::StringFieldSize(n)) +
           role.size();
  }
  // The room PutHandler needs.
  size_t Room() const { return 96 + code.size() + role.size(); }
};

// Writes a Handler message with its tag (fields below 16). REQUIRES:
// h.Room() bytes of room.
inline char* PutHandler(char* p, int field, const HandlerText& h) {
  p[0] = static_cast<char>((field << 3) | 2);
  if (h.kind == 0) {
    p[1] = '\0';
    return p + 2;
  }
  const size_t n = h.code.size();
  const size_t m = h.role.size();
  if (n - 1 < kCodeCopy && m <= kRoleCopy) {
    // The usual case: every length one byte (4 + kCodeCopy + kRoleCopy <
    // 128), the code and the role copied as blocks of fixed size, each
    // overwriting the slack the last left.
    static_assert(4 + kCodeCopy + kRoleCopy < 0x80, "one-byte body");
    p[1] = static_cast<char>(4 + n + m);
    p[2] = static_cast<char>(1 << 3);
    p[3] = static_cast<char>(h.kind);
    p[4] = static_cast<char>((2 << 3) | 2);
    p[5] = static_cast<char>(n);
    std::memcpy(p + 6, h.code.data(), kCodeCopy);
    std::memcpy(p + 6 + n, h.role.data(), kRoleCopy);
    return p + 6 + n + m;
  }
  p = WireWriter::PutVarint(p + 1, h.Body());
  *p++ = static_cast<char>(1 << 3);
  *p++ = static_cast<char>(h.kind);
  p = WireWriter::PutStringField(p, 2, h.code);
  return WireWriter::PutBytes(p, h.role);
}

// The bytes PutHandler writes, tag included.
size_t HandlerSize(const HandlerText& h) {
  const size_t body = h.Body();
  return 1 + WireWriter::VarintSize(body) + body;
}

// Fills in the one-byte length at `len` of the message written from len + 1
// to p, and returns the message's end: moved on when the length needs more
// bytes (a long ref or text). REQUIRES: 9 bytes of room past p.
inline char* EndLength(char* len, char* p) {
  const size_t n = static_cast<size_t>(p - len - 1);
  if (n < 0x80) {
    *len = static_cast<char>(n);
    return p;
  }
  const size_t extra = WireWriter::VarintSize(n) - 1;
  std::memmove(len + 1 + extra, len + 1, n);
  WireWriter::PutVarint(len, n);
  return p + extra;
}

}  // namespace

inline absl::string_view Router::RoleLabel(const RoleHandler& h,
                                           std::string* scratch) const {
  if (h.role == nullptr) return role_kind_name_[h.implied];
  if (!h.role->label.empty()) return h.role->label;
  *scratch = c_.RoleName(*h.role);
  return *scratch;
}

inline absl::string_view Router::HandlerCode(const Handler& h,
                                                char* digits) const {
  if (h.kind == Handler::kUnit) return o_.code(h.id);
  if (h.kind == Handler::kGrid) return RegionCodeText(h_.key(h.id), digits);
  return {};
}

std::string Router::ExplainStep(const CaseView& c, const RouteResult& r,
                                const TraceEntry& t,
                                absl::string_view ref) const {
  auto name_of = [&](const RoleHandler& h) -> std::string {
    if (h.handler.kind == Handler::kUnit) {
      return absl::StrCat(o_.name(h.handler.id), " [", o_.code(h.handler.id),
                          "]");
    }
    if (h.handler.kind == Handler::kGrid) {
      return absl::StrCat(h_.name(h.handler.id), " [",
                          h_.code(h.handler.id), "] grid workers");
    }
    return "nobody";
  };
  switch (t.kind) {
    case RefKind::kRegion:
      return t.reason == v1::REASON_CROSS_TOWNSHIP
                 ? absl::StrCat("spans several townships: coordinated at ",
                                h_.name(t.ref), " ", ref)
             : t.reason == v1::REASON_CROSS_VILLAGE
                 ? absl::StrCat("spans several villages of ", h_.name(t.ref),
                                " ", ref, ": the township's at least")
             : t.reason == v1::REASON_CROSS_GRID
                 ? absl::StrCat("spans several grids of ", h_.name(t.ref), " ",
                                ref, ": the village's at least")
                 : absl::StrCat("location ", h_.name(t.ref), " ", ref);
    case RefKind::kMatter:
      return t.reason == v1::REASON_NO_RULE
                 ? absl::StrCat("no rule of matter ", ref, " matches: unmapped")
                 : absl::StrCat("matter ", ref, " ", c_.matter(t.ref).name);
    case RefKind::kRule: {
      const CompiledRule& rule = c_.rule(t.ref);
      return absl::StrCat(rule.scenario >= 0 ? "scenario " : "rule ", ref,
                          " is the most specific match (priority ",
                          rule.priority, ", depth ", rule.depth, ", ",
                          rule.predicate_count, " predicates)");
    }
    case RefKind::kTiedRules: {
      std::vector<std::string> ids;
      for (int k = 0; k < r.candidate_count; ++k) {
        ids.push_back(c_.rule(r.candidate_rules[k]).id);
      }
      return absl::StrCat("rules ", absl::StrJoin(ids, ", "),
                          " match at equal precedence: ambiguous");
    }
    case RefKind::kItem:
      return absl::StrCat("rests on item ", ref, " ", c_.item(t.ref).name);
    case RefKind::kDelegation: {
      const CompiledDelegation& g = c_.delegation(t.ref);
      return t.reason == v1::REASON_DELEGATION_APPLIED
                 ? absl::StrCat(
                       "item delegated to the township by ", g.id, " (",
                       v1::DelegationMode_Name(g.mode),
                       g.document.empty() ? "" : ", ", g.document, ")",
                       g.window.from == kOpenStart
                           ? std::string()
                           : absl::StrCat(" from ",
                                          FormatIsoDate(g.window.from)),
                       r.outcome == v1::ROUTING_OUTCOME_AMBIGUOUS
                           ? ": the township stands for one of the "
                             "tied rules"
                           : ": the township leads, the department "
                             "helps")
             : t.reason == v1::REASON_DELEGATION_OUTSIDE
                 ? absl::StrCat("item delegated to the township by ", g.id,
                                ", but the case spans townships it does not "
                                "reach: the department keeps it")
                 : absl::StrCat("delegation ", g.id, " ended on ",
                                FormatIsoDate(g.window.to),
                                ": the department leads again");
    }
    case RefKind::kHandler: {
      const RoleHandler& h = HandlerAt(r, t.ref);
      std::string scratch;
      return t.reason == v1::REASON_BACKSTOP
                 ? absl::StrCat("territorial backstop (属地兜底): ", name_of(h))
             : t.reason == v1::REASON_ARBITRATION
                 ? absl::StrCat("sent for arbitration to ", name_of(h))
             : t.reason == v1::REASON_LEAD_RAISED
                 ? absl::StrCat(RaisedBecause(r), name_of(h),
                                " takes it over, ", name_of(r.co_handlers[0]),
                                r.co_handlers[0].handler.kind == Handler::kGrid
                                    ? " stay on to help"
                                    : " stays on to help")
                 : absl::StrCat("lead: ", name_of(h), " as ",
                                RoleLabel(h, &scratch));
    }
    case RefKind::kRole:
      return absl::StrCat("nobody fills ", ref, " here");
    case RefKind::kTier:
      return absl::StrCat("handled at tier ", ref.substr(14));
    case RefKind::kMajor:
      return t.ref == 1
                 ? "a major matter: it goes up to the county tier"
                 : absl::StrCat("urgency ", c.urgency(),
                                " is major: it goes up to the county tier");
    case RefKind::kStage: {
      const DeadlineEntry& e = r.deadlines[t.ref];
      const int offset = cal_.utc_offset_minutes();
      const int64_t local_s = e.due_at + int64_t{offset} * 60;
      const int32_t day = static_cast<int32_t>(local_s / 86400);
      const int64_t sec = local_s % 86400;
      char hhmm[8];
      std::snprintf(hhmm, sizeof hhmm, "%02d:%02d",
                    static_cast<int>(sec / 3600),
                    static_cast<int>(sec % 3600 / 60));
      return absl::StrCat(
          v1::Stage_Name(e.stage).substr(6), " due ", FormatIsoDate(day), " ",
          hhmm, " (", e.limit.amount, " ",
          v1::TimeUnit_Name(e.limit.unit).substr(10),
          e.source == 5
              ? absl::StrCat(", the handle limit: the sign-for limit, ",
                             e.unadjusted.amount, " ",
                             v1::TimeUnit_Name(e.unadjusted.unit).substr(10),
                             ", would end after the handle deadline")
              : absl::StrCat(", from the ", SourceName(e.source)),
          e.percent != 100
              ? absl::StrCat(" at ", e.percent, "% for urgency ", c.urgency())
              : "",
          ")");
    }
    case RefKind::kUrgency: {
      const DeadlineEntry& e = r.deadlines[1];
      return absl::StrCat(
          "urgency ", t.ref, ": the handle limit is ", e.percent, "% of the ",
          SourceName(e.source), "'s ", e.unadjusted.amount, " ",
          v1::TimeUnit_Name(e.unadjusted.unit).substr(10), ", ",
          e.limit.amount, " ", v1::TimeUnit_Name(e.limit.unit).substr(10),
          " (RoutingPolicy.",
          urgency_ref_[t.ref].substr(0, urgency_ref_[t.ref].find(':')), ")");
    }
    default:
      return {};
  }
}

ABSL_ATTRIBUTE_ALWAYS_INLINE inline absl::string_view Router::RefOf(
    const RouteResult& r, const TraceEntry& t, char* digits,
    std::string* scratch) const {
  switch (t.kind) {
    case RefKind::kRegion:
      return RegionCodeText(h_.key(t.ref), digits);
    case RefKind::kMatter:
      return c_.matter(t.ref).code;
    case RefKind::kRule:
      return c_.rule(t.ref).id;
    case RefKind::kItem:
      return c_.item(t.ref).code;
    case RefKind::kDelegation:
      return c_.delegation(t.ref).id;
    case RefKind::kHandler: {
      return HandlerCode(HandlerAt(r, t.ref).handler, digits);
    }
    case RefKind::kRole: {
      const CompiledRule& rule = c_.rule(r.rule != kNoIndex ? r.rule : 0);
      if (!rule.lead.label.empty()) return rule.lead.label;
      *scratch = c_.RoleName(rule.lead);
      return *scratch;
    }
    case RefKind::kTier:
      return tier_name_[t.ref];
    case RefKind::kMajor:
      return t.ref == 1 ? "matter" : "urgency";
    case RefKind::kStage:
      return Fragments().StageRef(r.deadlines[t.ref]).value();
    case RefKind::kUrgency:
      return urgency_ref_[t.ref < 5 ? t.ref : 0];
    default:  // kNone; kTiedRules is written by AppendRef
      return {};
  }
}

void Router::AppendRef(const RouteResult& r, const TraceEntry& t,
                       WireWriter* w) const {
  if (t.kind == RefKind::kTiedRules) {
    for (int k = 0; k < r.candidate_count; ++k) {
      if (k > 0) w->Append(",");
      w->Append(c_.rule(r.candidate_rules[k]).id);
    }
    return;
  }
  char digits[kMaxCodeDigits];
  std::string scratch;
  w->Append(RefOf(r, t, digits, &scratch));
}

void Router::AppendDecision(const CaseView& c, const RouteResult& r,
                            const v1::RouteOptions& options,
                            std::string* out) const {
  WireWriter w(out);
  AppendDecision(c, r, options, &w);
}

void Router::AppendDecision(const CaseView& c, const RouteResult& r,
                            const v1::RouteOptions& options,
                            WireWriter* writer) const {
  // Fields in field-number order, proto3 defaults skipped: the bytes
  // SerializeToString gives for the message ToProto fills. The position
  // lives in a local span (registers), each part makes its room once, and
  // lengths that fit one byte (almost all) are written in place; the parts
  // that do not depend on the engine are copied whole from Fragments().
  WireWriter& w = *writer;
  const DecisionFragments& fragments = Fragments();
  // A grid's code, written here: kCodeCopy bytes, as PutHandler reads.
  char digits[kCodeCopy] = {};
  auto text_of = [&](const RoleHandler& h) {
    HandlerText t;
    if (h.handler.kind == Handler::kNone) return t;
    t.kind = h.handler.kind == Handler::kUnit ? v1::HANDLER_KIND_UNIT
                                              : v1::HANDLER_KIND_GRID;
    t.code = HandlerCode(h.handler, digits);
    if (h.role == nullptr) {
      const Fragment<kRoleCopy>& implied = fragments.implied_role[h.implied];
      t.role = absl::string_view(implied.bytes, implied.size);
    } else {
      t.role = c_.HandlerRole(*h.role);
    }
    return t;
  };
  WireWriter::Span s = w.Open();
  // Writes a run of handler fields: `count` repeated ones in field
  // `field`, after an optional `first` in field - 1 (none when null) and
  // before an optional `last` in field + 1, the optional ones left out
  // when nobody fills them. One loop per run, so that the writer is
  // inlined twice rather than called per handler. The span goes in and out
  // by value: captured by reference, it would live in memory for the whole
  // function.
  auto handlers = [&](WireWriter::Span span, int field,
                      const RoleHandler* first, const RoleHandler* repeated,
                      int count,
                      const RoleHandler& last) ABSL_ATTRIBUTE_ALWAYS_INLINE {
    for (int k = first != nullptr ? -1 : 0; k <= count; ++k) {
      const RoleHandler& h = k < 0 ? *first : k < count ? repeated[k] : last;
      const bool optional = k < 0 || k == count;
      if (optional && h.handler.kind == Handler::kNone) continue;
      const HandlerText t = text_of(h);
      w.Ensure(&span, t.Room());
      span.at = PutHandler(span.at,
                           k < 0       ? field - 1
                           : k < count ? field
                                       : field + 1,
                           t);
    }
    return span;
  };
  w.Ensure(&s, 32 + c.id().size());
  s.at = WireWriter::PutStringField(s.at, 1, c.id());
  s.at = WireWriter::PutVarintField(s.at, 2, r.outcome);
  // 3 lead, 4 co-handlers, 5 supervisor.
  s = handlers(s, 4, &r.lead, r.co_handlers, r.co_handler_count, r.supervisor);
  {
    const absl::string_view rule =
        r.rule != kNoIndex ? absl::string_view(c_.rule(r.rule).id) : "";
    const absl::string_view item =
        r.item != kNoIndex ? absl::string_view(c_.item(r.item).code) : "";
    const absl::string_view delegation =
        r.delegation != kNoIndex
            ? absl::string_view(c_.delegation(r.delegation).id)
            : "";
    w.Ensure(&s, 64 + rule.size() + item.size() + delegation.size());
    s.at = WireWriter::PutVarintField(s.at, 6, r.tier);
    s.at = WireWriter::PutVarintField(s.at, 7, r.enforcement_mode);
    if (r.rule != kNoIndex) {
      s.at = WireWriter::PutStringField(
          s.at, c_.rule(r.rule).scenario >= 0 ? 9 : 8, rule);
    }
    s.at = WireWriter::PutStringField(s.at, 10, item);
    s.at = WireWriter::PutStringField(s.at, 11, delegation);
  }
  // 12 candidates, 13 arbitrator.
  s = handlers(s, 12, nullptr, r.candidates, r.candidate_count, r.arbitrator);
  // Field 14: stage, due_at, limit {amount, unit} (present even when
  // empty), source: at most 2 + 11 + 2 + 2 × 11 + 8 bytes, so both lengths
  // are one byte.
  w.Ensure(&s, 4 * 64);
  for (int i = 0; i < r.deadline_count; ++i) {
    const DeadlineEntry& e = r.deadlines[i];
    const Fragment<16>& source =
        fragments.deadline_source[DecisionFragments::SourceIndex(e)];
    const uint64_t due = static_cast<uint64_t>(e.due_at);
    const uint32_t stage = static_cast<uint32_t>(e.stage);
    const uint32_t amount = static_cast<uint32_t>(e.limit.amount);
    const uint32_t unit = static_cast<uint32_t>(e.limit.unit);
    char* p = s.at;
    if (stage - 1 < 0x7F && due - (uint64_t{1} << 28) < (uint64_t{127} << 28) &&
        amount - 1 < 0x7F && unit - 1 < 0x7F) {
      // The usual case, at fixed offsets: every value set, a due time of
      // five varint bytes, stage, amount and unit of one.
      p[0] = static_cast<char>((14 << 3) | 2);
      p[1] = static_cast<char>(14 + source.size);
      p[2] = static_cast<char>(1 << 3);
      p[3] = static_cast<char>(stage);
      p[4] = static_cast<char>(2 << 3);
      p[5] = static_cast<char>(due | 0x80);
      p[6] = static_cast<char>((due >> 7) | 0x80);
      p[7] = static_cast<char>((due >> 14) | 0x80);
      p[8] = static_cast<char>((due >> 21) | 0x80);
      p[9] = static_cast<char>(due >> 28);
      p[10] = static_cast<char>((3 << 3) | 2);
      p[11] = 4;
      p[12] = static_cast<char>(1 << 3);
      p[13] = static_cast<char>(amount);
      p[14] = static_cast<char>(2 << 3);
      p[15] = static_cast<char>(unit);
      s.at = source.Put(p + 16);
      continue;
    }
    *p = static_cast<char>((14 << 3) | 2);
    char* const length = p + 1;
    p = WireWriter::PutVarintField(p + 2, 1, e.stage);
    p = WireWriter::PutVarintField(p, 2, e.due_at);
    *p = static_cast<char>((3 << 3) | 2);
    char* const limit = p + 1;
    p = WireWriter::PutVarintField(p + 2, 1, e.limit.amount);
    p = WireWriter::PutVarintField(p, 2, e.limit.unit);
    *limit = static_cast<char>(p - limit - 1);
    p = source.Put(p);
    *length = static_cast<char>(p - length - 1);
    s.at = p;
  }
  for (int i = 0; i < r.escalation_count; ++i) {
    // Field 15: level (1 = next), handler.
    const HandlerText t = text_of(r.escalation[i]);
    const uint64_t level = static_cast<uint64_t>(i + 1);
    w.Ensure(&s, 16 + t.Room());
    char* p = s.at;
    *p++ = static_cast<char>((15 << 3) | 2);
    p = WireWriter::PutVarint(
        p, 1 + WireWriter::VarintSize(level) + HandlerSize(t));
    *p++ = static_cast<char>(1 << 3);
    p = WireWriter::PutVarint(p, level);
    s.at = PutHandler(p, 2, t);
  }
  for (int i = 0; i < r.whistle_count; ++i) {
    // Field 16 (a two-byte tag): department, report_by.
    const HandlerText t = text_of(r.whistle[i].department);
    const int64_t by = r.whistle[i].report_by;
    w.Ensure(&s, 16 + t.Room());
    char* p = s.at;
    *p++ = static_cast<char>(((16 << 3) | 2) | 0x80);
    *p++ = static_cast<char>(((16 << 3) | 2) >> 7);
    p = WireWriter::PutVarint(
        p, HandlerSize(t) +
               (by != 0 ? 1 + WireWriter::VarintSize(static_cast<uint64_t>(by))
                        : 0));
    p = PutHandler(p, 1, t);
    s.at = WireWriter::PutVarintField(p, 2, by);
  }
  if (options.explain_text()) {
    w.Close(s.at);
    for (int i = 0; i < r.trace_count; ++i) {
      AppendTraceStep(c, r, r.trace[i], true, &w);
    }
    s = w.Open();
  } else {
    s = AppendTrace(c, r, &w, s);
  }
  const std::string& version = engine_.meta().version();
  w.Ensure(&s, 16 + version.size());
  if (!version.empty()) {
    char* p = s.at;
    *p++ = static_cast<char>(((18 << 3) | 2) | 0x80);
    *p++ = static_cast<char>(((18 << 3) | 2) >> 7);
    p = WireWriter::PutVarint(p, version.size());
    s.at = WireWriter::PutBytes(p, version);
  }
  w.Close(s.at);
}

WireWriter::Span Router::AppendTrace(const CaseView& c, const RouteResult& r,
                                     WireWriter* writer,
                                     WireWriter::Span s) const {
  WireWriter& w = *writer;
  // Field 17 (a two-byte tag) per step: reason, ref; the ref either copied
  // whole from the fragments or written from an engine string or `digits`.
  // Room is made once for every step at kStepRoom bytes (a fragment's
  // slot, or a ref of up to kStepRoom - 7 bytes, in the usual layout);
  // only a longer ref, or the general layout, makes more.
  constexpr size_t kStepRoom = 40;
  static_assert(kStepRoom >= 5 + 32, "a stage, tier or major fragment");
  const DecisionFragments& fragments = Fragments();
  char digits[kMaxCodeDigits];
  std::string scratch;  // only for a role without a built label
  const int count = r.trace_count;
  w.Ensure(&s, static_cast<size_t>(count) * kStepRoom);
  for (int i = 0; i < count; ++i) {
    const TraceEntry& t = r.trace[i];
    // The room the steps after this one were promised.
    const size_t later = static_cast<size_t>(count - 1 - i) * kStepRoom;
    const Fragment<32>* fragment = nullptr;
    absl::string_view ref;
    switch (t.kind) {
      case RefKind::kTier:
        fragment = &fragments.tier_ref[t.ref];
        break;
      case RefKind::kMajor:
        fragment = &fragments.major_ref[t.ref == 1 ? 1 : 0];
        break;
      case RefKind::kStage:
        fragment = &fragments.StageRef(r.deadlines[t.ref]);
        break;
      case RefKind::kTiedRules:
        // A list, written the general way.
        w.Close(s.at);
        AppendTraceStep(c, r, t, false, &w);
        s = w.Open();
        w.Ensure(&s, later);
        continue;
      // Every other kind by name, not `default`: one jump table for the
      // whole dispatch, into which RefOf's own switch folds.
      case RefKind::kNone:
      case RefKind::kRegion:
      case RefKind::kMatter:
      case RefKind::kRule:
      case RefKind::kItem:
      case RefKind::kDelegation:
      case RefKind::kHandler:
      case RefKind::kRole:
      case RefKind::kUrgency:
        ref = RefOf(r, t, digits, &scratch);
        break;
    }
    char* p = s.at;
    p[0] = static_cast<char>(((17 << 3) | 2) | 0x80);
    p[1] = static_cast<char>(((17 << 3) | 2) >> 7);
    const uint32_t reason = static_cast<uint32_t>(t.reason);
    const size_t n = ref.size();
    if (reason - 1 < 0x7F) {
      // The usual case, at fixed offsets: a reason and a ref of one-byte
      // sizes.
      p[3] = static_cast<char>(1 << 3);
      p[4] = static_cast<char>(reason);
      if (fragment != nullptr) {
        p[2] = static_cast<char>(2 + fragment->size);
        s.at = fragment->Put(p + 5);
        continue;
      }
      if (n - 1 < kStepRoom - 7) {
        p[2] = static_cast<char>(4 + n);
        p[5] = static_cast<char>((2 << 3) | 2);
        p[6] = static_cast<char>(n);
        s.at = WireWriter::PutBytes(p + 7, ref);
        continue;
      }
    }
    // A long (or empty) ref, or a reason past one byte: room for it (tag,
    // length, reason, the ref or a whole fragment slot, and EndLength's
    // 9 bytes), then lengths of any size.
    w.Ensure(&s, 64 + n + later);
    p = s.at;
    p[0] = static_cast<char>(((17 << 3) | 2) | 0x80);
    p[1] = static_cast<char>(((17 << 3) | 2) >> 7);
    char* const length = p + 2;
    p = WireWriter::PutVarintField(p + 3, 1, t.reason);
    p = fragment != nullptr ? fragment->Put(p)
                            : WireWriter::PutStringField(p, 2, ref);
    s.at = EndLength(length, p);
  }
  return s;
}

void Router::AppendTraceStep(const CaseView& c, const RouteResult& r,
                             const TraceEntry& t, bool explain,
                             WireWriter* writer) const {
  // The length is known only once the text (or the list of tied rules) is
  // written: it is filled in afterwards.
  WireWriter& w = *writer;
  const size_t m = w.BeginMessage(17);
  w.VarintField(1, t.reason);
  char digits[kMaxCodeDigits];
  std::string scratch;
  absl::string_view ref;
  if (t.kind == RefKind::kTiedRules) {
    const size_t before = w.size();
    const size_t begin = w.BeginMessage(2);
    AppendRef(r, t, &w);
    if (w.size() == begin) {
      w.Truncate(before);
    } else {
      w.EndMessage(begin);
      ref = w.Since(begin);
    }
  } else {
    ref = RefOf(r, t, digits, &scratch);
    w.StringField(2, ref);
  }
  if (explain) {
    // ExplainStep's text is built before anything more is written: a view
    // of the tied rules in the writer stays valid until then.
    w.StringField(3, ExplainStep(c, r, t, ref));
  }
  w.EndMessage(m);
}

void Router::ToProto(const CaseView& c, const RouteResult& r,
                     const v1::RouteOptions& options,
                     v1::RoutingDecision* out) const {
  // The same fields as AppendDecision (tests compare the bytes), set on a
  // reused message: parsing AppendDecision's bytes instead would check the
  // UTF-8 of every string again.
  out->Clear();
  out->set_case_id(std::string(c.id()));
  out->set_outcome(r.outcome);
  out->set_dataset_version(engine_.meta().version());
  char digits[kMaxCodeDigits];
  std::string scratch;  // only for a role without a built label
  auto handler = [&](const RoleHandler& h, v1::Handler* p) {
    if (h.handler.kind == Handler::kNone) return;
    p->set_kind(h.handler.kind == Handler::kUnit ? v1::HANDLER_KIND_UNIT
                                                 : v1::HANDLER_KIND_GRID);
    const absl::string_view code = HandlerCode(h.handler, digits);
    p->set_code(code.data(), code.size());
    // The fields AppendDecision copies from its fragment or from
    // Catalogue::HandlerRole (none for a role that sets nothing).
    if (h.role != nullptr) {
      if (h.role->encoded != 0) c_.ToRole(*h.role, p->mutable_role());
    } else if (h.implied != v1::ROLE_KIND_UNSPECIFIED) {
      p->mutable_role()->set_kind(h.implied);
    }
  };
  if (r.lead.handler.kind != Handler::kNone) {
    handler(r.lead, out->mutable_lead());
  }
  for (int i = 0; i < r.co_handler_count; ++i) {
    handler(r.co_handlers[i], out->add_co_handlers());
  }
  if (r.supervisor.handler.kind != Handler::kNone) {
    handler(r.supervisor, out->mutable_supervisor());
  }
  out->set_tier(r.tier);
  out->set_enforcement_mode(r.enforcement_mode);
  if (r.rule != kNoIndex) {
    const CompiledRule& rule = c_.rule(r.rule);
    if (rule.scenario >= 0) {
      out->set_scenario_code(rule.id);
    } else {
      out->set_rule_id(rule.id);
    }
  }
  if (r.item != kNoIndex) out->set_item_code(c_.item(r.item).code);
  if (r.delegation != kNoIndex) {
    out->set_delegation_id(c_.delegation(r.delegation).id);
  }
  for (int i = 0; i < r.candidate_count; ++i) {
    handler(r.candidates[i], out->add_candidates());
  }
  if (r.arbitrator.handler.kind != Handler::kNone) {
    handler(r.arbitrator, out->mutable_arbitrator());
  }
  for (int i = 0; i < r.deadline_count; ++i) {
    const DeadlineEntry& e = r.deadlines[i];
    v1::Deadline* d = out->add_deadlines();
    d->set_stage(e.stage);
    d->set_due_at(e.due_at);
    d->mutable_limit()->set_amount(e.limit.amount);
    d->mutable_limit()->set_unit(e.limit.unit);
    const absl::string_view source = SourceName(e.source);
    d->set_source(source.data(), source.size());
  }
  for (int i = 0; i < r.escalation_count; ++i) {
    v1::EscalationStep* s = out->add_escalation();
    s->set_level(i + 1);
    handler(r.escalation[i], s->mutable_handler());
  }
  for (int i = 0; i < r.whistle_count; ++i) {
    v1::WhistleSummons* w = out->add_whistle();
    handler(r.whistle[i].department, w->mutable_department());
    w->set_report_by(r.whistle[i].report_by);
  }
  // The trace: its refs as AppendDecision writes them.
  std::string tied;
  for (int i = 0; i < r.trace_count; ++i) {
    const TraceEntry& t = r.trace[i];
    v1::TraceStep* s = out->add_trace();
    s->set_reason(t.reason);
    absl::string_view ref;
    if (t.kind == RefKind::kTiedRules) {
      tied.clear();
      {
        WireWriter w(&tied);
        AppendRef(r, t, &w);
      }
      ref = tied;
    } else {
      ref = RefOf(r, t, digits, &scratch);
    }
    s->set_ref(ref.data(), ref.size());
    if (options.explain_text()) s->set_text(ExplainStep(c, r, t, ref));
  }
}

absl::StatusOr<v1::RoutingDecision> Router::Decide(
    const CaseView& c, const v1::RouteOptions& options) const {
  RouteResult r;
  absl::Status s = Route(c, &r);
  if (!s.ok()) return s;
  v1::RoutingDecision d;
  ToProto(c, r, options, &d);
  return d;
}

}  // namespace jiceng
