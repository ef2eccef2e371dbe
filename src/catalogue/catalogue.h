// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0
//
// Internal header: not installed, not part of the stable API.
//
// Catalogue: the compiled responsibility catalogue — items, delegations,
// matters, and the dispatch catalogue (rules and scenarios) in flat arrays
// with dense ids, rules grouped by matter and sorted by precedence.
//
// Precedence (documented in catalogue.proto): among the rules of a matter
// that match a case, the highest `priority` wins; then the deeper region
// scope (depth of region_code + 1; a rule without one is 0); then the more
// predicates (township classes, urban-rural classes, request kinds and the
// urgency range count one each when set, and each attribute predicate
// counts one; the region counts only through its depth, and the validity
// window not at all: windows version rules, they do not specialise them).
// Matches equal on all three are AMBIGUOUS: the order of the dataset's
// lists never decides.
//
// A rule applies on the days both it and the item it cites are in force
// (CompiledRule::in_force): after the item is retired (or before it takes
// effect) the rule no longer matches, and the matter falls to its other
// rules, else to the territorial backstop. The analysis reports such a
// rule (RETIRED_CODE_IN_USE, DANGLING_REFERENCE).
//
// Roles resolve relative to a location: the township command room of the
// case's township, the county department of type T of its county (or the
// nearest ancestor that has one), the dispatched unit of type T covering
// the township, the village committee of its village, the grid itself.
//
// Example:
//   CaseFacts facts = ...;  // matter, location, day, attributes
//   RuleMatch m = catalogue.MatchRules(facts);
//   if (m.outcome == RuleMatch::kUnique) {
//     const CompiledRule& rule = catalogue.rule(m.winner);
//     Handler lead = catalogue.Resolve(rule.lead, facts.location);
//   }
//
// Thread safety: immutable after Build. Movable, not copyable.

#ifndef JICENG_SRC_CATALOGUE_CATALOGUE_H_
#define JICENG_SRC_CATALOGUE_CATALOGUE_H_

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "jiceng/v1/catalogue.pb.h"
#include "jiceng/v1/dataset.pb.h"
#include "src/base/huge_pages.h"
#include "src/base/string_index.h"
#include "src/base/string_table.h"
#include "src/catalogue/pair_filter.h"
#include "src/hierarchy/hierarchy.h"
#include "src/hierarchy/organization.h"

namespace jiceng {

using ItemId = uint32_t;
using MatterId = uint32_t;
using RuleIndex = uint32_t;
using DelegationIndex = uint32_t;
using AttributeId = uint32_t;
inline constexpr uint32_t kNoIndex = 0xFFFFFFFFu;
// Catalogue::FindCaseValue: the value is not allowed for the attribute.
inline constexpr uint32_t kNotAllowed = 0xFFFFFFFEu;
inline constexpr int32_t kOpenStart = std::numeric_limits<int32_t>::min();
inline constexpr int32_t kOpenEnd = std::numeric_limits<int32_t>::max();

// A validity window of day numbers, [from, to).
struct DayWindow {
  int32_t from = kOpenStart;
  int32_t to = kOpenEnd;
  bool Contains(int32_t day) const { return day >= from && day < to; }
};

struct CompiledDuration {
  v1::TimeUnit unit = v1::TIME_UNIT_UNSPECIFIED;  // unset when UNSPECIFIED
  int32_t amount = 0;
  bool set() const { return unit != v1::TIME_UNIT_UNSPECIFIED; }
};

struct CompiledLimits {
  CompiledDuration sign_for, handle, feedback, revisit;
};

// The limit of stage 0 sign-for, 1 handle, 2 feedback, 3 revisit.
inline CompiledDuration StageLimit(const CompiledLimits& l, int stage) {
  switch (stage) {
    case 0: return l.sign_for;
    case 1: return l.handle;
    case 2: return l.feedback;
    default: return l.revisit;
  }
}

// The handle limit of an urgent case: `percent` % of `limit`, in whole
// hours (working hours for working time, calendar hours for calendar
// time), rounded down and at least one, so that the limit a decision
// reports is the one its deadline was computed from. A working day counts
// `working_minutes_per_day`.
inline CompiledDuration ShrunkLimit(CompiledDuration limit, int percent,
                                    int64_t working_minutes_per_day) {
  int64_t hours = limit.amount;
  switch (limit.unit) {
    case v1::TIME_UNIT_WORKING_DAYS:
      limit.unit = v1::TIME_UNIT_WORKING_HOURS;
      hours = int64_t{limit.amount} * working_minutes_per_day * percent / 6000;
      break;
    case v1::TIME_UNIT_CALENDAR_DAYS:
      limit.unit = v1::TIME_UNIT_CALENDAR_HOURS;
      hours = int64_t{limit.amount} * 24 * percent / 100;
      break;
    default:
      hours = hours * percent / 100;
      break;
  }
  limit.amount = static_cast<int32_t>(
      std::min<int64_t>(std::max<int64_t>(hours, 1), INT32_MAX));
  return limit;
}

struct CompiledItem {
  std::string code;
  std::string name;
  v1::ListType list_type = v1::LIST_TYPE_UNSPECIFIED;
  v1::PowerKind power_kind = v1::POWER_KIND_UNSPECIFIED;
  v1::RegionLevel exercising_level = v1::REGION_LEVEL_UNSPECIFIED;
  int department_type = -1;
  int lead_department_type = -1;
  v1::TownshipRole township_role = v1::TOWNSHIP_ROLE_UNSPECIFIED;
  CompiledLimits limits;
  DayWindow window;
  bool statutory_department_matter = false;
  bool has_legal_basis = false;
  // Government-service terms (ServiceTerms); defaults filled in.
  CompiledDuration statutory_limit;
  CompiledDuration promised_limit;
  bool immediate = false;
  v1::RegionLevel accepting_level = v1::REGION_LEVEL_TOWNSHIP;
  v1::RegionLevel approving_level = v1::REGION_LEVEL_COUNTY;
  bool village_proxy = false;
  v1::ServiceScope service_scope = v1::SERVICE_SCOPE_UNSPECIFIED;
  bool courier_delivery = false;

  // An enforcement item (行政执法): on the enforcement list, or a penalty,
  // coercive-measure or inspection power. Only such an item is enforced in
  // the delegation's mode (own name, joint); the township government takes
  // any other delegated item (a licence, a public service).
  bool enforcement() const {
    return list_type == v1::LIST_TYPE_ENFORCEMENT ||
           power_kind == v1::POWER_KIND_PENALTY ||
           power_kind == v1::POWER_KIND_COERCIVE_MEASURE ||
           power_kind == v1::POWER_KIND_INSPECTION;
  }
};

struct CompiledRole {
  v1::RoleKind kind = v1::ROLE_KIND_UNSPECIFIED;
  int department_type = -1;
  UnitId unit = kNoUnit;
  // Its Handler.role field in Catalogue::HandlerRole's table, 0 exactly
  // when the role sets nothing (an empty field): derived by EncodeRoles
  // (compiling, and loading a snapshot), never stored.
  uint32_t encoded = 0;
  // "ROLE_KIND_DISPATCHED_UNIT(urban_management)", built once at compile
  // time for the explanations that name it.
  std::string label;
};

// A role's readable label: its kind's name, with the department type or
// the unit in brackets, "ROLE_KIND_DISPATCHED_UNIT(urban_management)" (what
// Catalogue::RoleName gives a compiled role, and the text output shows for
// a decision's Handler.role).
// `text` without leading and trailing whitespace: ASCII whitespace and the
// ideographic space U+3000 (a full-width space typed in Chinese text).
absl::string_view TrimLegalSpace(absl::string_view text);

// The legal basis `b` cites, for a message ("《城镇燃气管理条例》第六条"), or
// empty when it cites none: a law (with its article), or else a free-text
// basis. Either is a citation; whitespace alone is not, nor an article of
// no law. An item's (Catalogue's has_legal_basis) and an admission
// request's are read alike.
std::string CitedLegalBasis(const v1::LegalBasis& b);

std::string RoleLabel(v1::RoleKind kind, absl::string_view detail);
inline std::string RoleLabel(const v1::Role& role) {
  return RoleLabel(role.kind(), !role.department_type().empty()
                                    ? role.department_type()
                                    : role.unit_code());
}

// Who a role resolved to: a unit, or a grid's own workers.
struct Handler {
  enum Kind : uint8_t { kNone = 0, kUnit = 1, kGrid = 2 };
  Kind kind = kNone;
  uint32_t id = kNoIndex;  // UnitId or RegionId
  bool operator==(const Handler& o) const {
    return kind == o.kind && id == o.id;
  }
  bool operator!=(const Handler& o) const { return !(*this == o); }
};

struct CompiledPredicate {
  enum Op : uint8_t { kEquals, kInSet, kRange, kPresent, kAbsent };
  AttributeId attribute = 0;
  Op op = kEquals;
  // kEquals: the value (string id, or 0/1 for bools, or the number in
  // `min`); kInSet: [set_begin, set_end) in Catalogue::set_values_.
  uint32_t value = 0;
  uint32_t set_begin = 0;
  uint32_t set_end = 0;
  double min = -std::numeric_limits<double>::infinity();
  double max = std::numeric_limits<double>::infinity();
};

struct CompiledRule {
  // Fields in the order routing reads them, so that deciding a case touches
  // three cache lines of its rule (see RoutePrefetcher): the first 64 bytes
  // are what matching and precedence read, with the item, tier and
  // scenario of the winner; the next the stage limits and the lead role;
  // the third the supervisor role. Role labels and the rest are for
  // decisions and reports.
  int32_t priority = 0;
  uint32_t depth = 0;            // region_code's depth + 1; 0 = anywhere
  uint32_t predicate_count = 0;
  RegionId region = kNoRegion;   // kNoRegion: anywhere
  uint8_t township_class_mask = 0;   // bit per TownshipClass; 0 = any
  uint8_t request_kind_mask = 0;     // bit per RequestKind; 0 = any
  uint16_t urban_rural_mask = 0;     // bit per urban-rural index; 0 = any
  int32_t min_urgency = 0;           // 0 = unbounded
  int32_t max_urgency = 0;           // 0 = unbounded
  // When the rule applies: its own window, within its item's when it cites
  // one (a rule does not outlive the power it rests on, nor precede it).
  // Derived (Catalogue::ResolveRuleTerms).
  DayWindow in_force;
  uint32_t predicates_begin = 0, predicates_end = 0;
  ItemId item = kNoIndex;
  v1::HandlingTier tier = v1::HANDLING_TIER_UNSPECIFIED;
  int32_t scenario = -1;  // index into the dataset's scenarios
  uint32_t co_handlers_begin = 0, co_handlers_end = 0;
  // Per stage (sign-for, handle, feedback, revisit): the limit after the
  // rule -> item -> matter fallback, and its source (1 rule, 2 item,
  // 3 matter; 0 when none of them sets it: the routing policy decides).
  CompiledDuration stage_limit[4];
  uint8_t stage_source[4] = {0, 0, 0, 0};
  MatterId matter = kNoIndex;
  CompiledRole lead;
  CompiledRole supervisor;
  v1::DutyType duty_type = v1::DUTY_TYPE_UNSPECIFIED;
  CompiledLimits limits;
  std::string id;
  std::string dispute;    // a known responsibility dispute, or empty
  DayWindow window;       // the rule's own [effective_date, end_date)

  // The precedence key: higher wins.
  bool SamePrecedence(const CompiledRule& o) const {
    return priority == o.priority && depth == o.depth &&
           predicate_count == o.predicate_count;
  }
};

struct CompiledDelegation {
  std::string id;
  ItemId item = kNoIndex;
  int from_department_type = -1;
  v1::DelegationMode mode = v1::DELEGATION_MODE_UNSPECIFIED;
  DayWindow window;  // ends at the reclaim date when reclaimed
  std::vector<RegionId> townships;  // sorted
  std::string document;
};

struct CompiledAbolishedDuty {
  std::string code;
  std::string name;
  std::vector<std::string> keywords;
  std::string document;
};

struct CompiledMatter {
  std::string code;
  std::string name;
  v1::MatterCategory category = v1::MATTER_CATEGORY_UNSPECIFIED;
  CompiledLimits limits;
  bool major = false;
  uint32_t rules_begin = 0, rules_end = 0;  // into rules_
};

// A case attribute value, typed by its definition. A plain aggregate,
// without default member initializers: Route declares a fixed array of
// them per call, which would otherwise be zeroed (256 bytes) every time.
// Brace-initialize it: AttributeValue{attribute, value, number}.
struct AttributeValue {
  AttributeId attribute;
  uint32_t value;  // string id, or 0/1 for bools
  double number;
};

// What rule matching looks at. Attribute values sorted by attribute id.
struct CaseFacts {
  MatterId matter = kNoIndex;
  RegionId location = kNoRegion;
  v1::RequestKind request_kind = v1::REQUEST_KIND_UNSPECIFIED;
  int32_t urgency = 0;
  int32_t day = 0;  // local day number of the reported time
  absl::Span<const AttributeValue> attributes;
};

struct RuleMatch {
  enum Outcome { kNoMatch, kUnique, kAmbiguous };
  Outcome outcome = kNoMatch;
  RuleIndex winner = kNoIndex;  // kUnique; the first tied rule if ambiguous
  // kAmbiguous: every rule tied at the top precedence, in id order.
  std::vector<RuleIndex> tied;
};

class Catalogue {
 public:
  // REQUIRES: the dataset passed ValidateDataset(); `hierarchy` and
  // `organization` were built from it and outlive the catalogue.
  static absl::StatusOr<Catalogue> Build(const v1::Dataset& dataset,
                                         const Hierarchy& hierarchy,
                                         const Organization& organization);

  Catalogue(Catalogue&&) = default;
  Catalogue& operator=(Catalogue&&) = default;
  Catalogue(const Catalogue&) = delete;
  Catalogue& operator=(const Catalogue&) = delete;

  // Lookups by code; kNoIndex when unknown. FindMatter and FindAttribute
  // are one probe of a StringTable (string_table.h): no allocation, no
  // libc call.
  ItemId FindItem(absl::string_view code) const;
  MatterId FindMatter(absl::string_view code) const {
    return lookup_.Find(kMatterScope, code, kNoIndex);
  }
  AttributeId FindAttribute(absl::string_view key) const {
    return lookup_.Find(kAttributeScope, key, kNoIndex);
  }
  // The id of a string value of a string attribute; kNoIndex when it is no
  // value any rule tests (so no equals/in_set predicate can match it).
  uint32_t FindStringValue(absl::string_view value) const {
    return lookup_.Find(kValueScope, value, kNoIndex);
  }
  // A case's value of string attribute `a`, as rule matching compares it,
  // in one probe: kNotAllowed when the definition lists allowed values and
  // `value` is none of them (IsAllowedValue is false); else
  // FindStringValue(value).
  // REQUIRES: a < attribute_count().
  uint32_t FindCaseValue(AttributeId a, absl::string_view value) const {
    const uint32_t scope = value_scope_[a];
    return lookup_.Find(scope, value,
                        scope == kValueScope ? kNoIndex : kNotAllowed);
  }

  size_t item_count() const { return items_.size(); }
  size_t matter_count() const { return matters_.size(); }
  size_t rule_count() const { return rules_.size(); }
  size_t delegation_count() const { return delegations_.size(); }
  size_t attribute_count() const { return attribute_types_.size(); }

  const CompiledItem& item(ItemId id) const { return items_[id]; }
  const CompiledMatter& matter(MatterId id) const { return matters_[id]; }
  const CompiledRule& rule(RuleIndex i) const { return rules_[i]; }
  const CompiledDelegation& delegation(DelegationIndex i) const {
    return delegations_[i];
  }
  v1::AttributeType attribute_type(AttributeId a) const {
    return attribute_types_[a];
  }
  const std::string& attribute_key(AttributeId a) const {
    return attribute_keys_[a];
  }
  // Whether `value` is allowed for a string attribute (any value is when
  // the definition lists none). One probe, no allocation.
  bool IsAllowedValue(AttributeId a, absl::string_view value) const {
    return FindCaseValue(a, value) != kNotAllowed;
  }
  absl::Span<const CompiledRole> co_handlers(const CompiledRule& r) const {
    return absl::MakeConstSpan(roles_).subspan(
        r.co_handlers_begin, r.co_handlers_end - r.co_handlers_begin);
  }
  absl::Span<const CompiledPredicate> predicates(const CompiledRule& r) const {
    return absl::MakeConstSpan(predicates_).subspan(
        r.predicates_begin, r.predicates_end - r.predicates_begin);
  }
  absl::Span<const uint32_t> set_values(const CompiledPredicate& p) const {
    return absl::MakeConstSpan(set_values_).subspan(p.set_begin,
                                                    p.set_end - p.set_begin);
  }
  const std::string& string_value(uint32_t id) const {
    return string_values_[id];
  }
  size_t string_value_count() const { return string_values_.size(); }
  const std::vector<CompiledAbolishedDuty>& abolished_duties() const {
    return abolished_;
  }
  // Whether the code was retired in an earlier version of the lists.
  bool IsRetiredCode(absl::string_view code) const {
    return retired_codes_.contains(code);
  }
  const Hierarchy& hierarchy() const { return *h_; }
  const Organization& organization() const { return *o_; }

  // The delegations of an item, in id order.
  absl::Span<const DelegationIndex> item_delegations(ItemId item) const;

  // Whether the rule is in force on the case's day (see in_force) and its
  // predicates all hold for the case.
  bool Matches(const CompiledRule& rule, const CaseFacts& facts) const;

  // The winning rule for the case, per the precedence above.
  RuleMatch MatchRules(const CaseFacts& facts) const;

  // The delegation of `item` to `township` in force on `day`, or kNoIndex.
  // Validation guarantees at most one. O(log townships) plus a search of
  // one bucket of the township's directory (see DelegationBlock).
  DelegationIndex DelegationInForce(ItemId item, RegionId township,
                                    int32_t day) const;
  // The first delegation (in id order) of `item` to `township` that ended
  // (or was reclaimed) on or before `day`, or kNoIndex. Same cost.
  DelegationIndex DelegationEnded(ItemId item, RegionId township,
                                  int32_t day) const;
  // Both in one search, as routing asks them: *in_force, and *ended when
  // nothing is in force (else kNoIndex). Most (item, township) pairs have
  // no delegation at all: one probe of a filter answers those.
  void DelegationAt(ItemId item, RegionId township, int32_t day,
                    DelegationIndex* in_force, DelegationIndex* ended) const;
  // An entry of the per-township delegation index (see DelegationsTo), with
  // what routing reads of its delegation beside it: a case whose item is
  // delegated reads its township's bucket and nothing after it (the terms
  // in an array by delegation cost a second miss, which waited for the
  // first). 16 bytes; delegations are fewer than 2^30 (Build refuses more).
  struct ItemDelegation {
    ItemId item;
    uint32_t delegation : 30;  // a DelegationIndex
    // Its v1::DelegationMode (validated, 1..3) for an enforcement item
    // (CompiledItem::enforcement), 0 for any other: routing then gives the
    // case to the township government and reports no enforcement mode.
    uint32_t mode : 2;
    DayWindow window;          // its window (reclaiming included)
  };
  static_assert(sizeof(ItemDelegation) == 16, "four entries a cache line");
  static constexpr size_t kMaxDelegations = size_t{1} << 30;
  // The same from a run of the township's entries that holds all of the
  // item's, as a prefetcher found it (PrefetchDelegationBucket; empty
  // when the filter ruled the pair out). *in_force is the entry in force
  // (its delegation and mode), or nullptr.
  void DelegationAt(absl::Span<const ItemDelegation> entries, ItemId item,
                    int32_t day, const ItemDelegation** in_force,
                    DelegationIndex* ended) const;

  // The handler a role resolves to at `location`; kind kNone when nobody
  // holds that role there.
  Handler Resolve(const CompiledRole& role, RegionId location) const;

  // Where roles are resolved: a location, its township and that township's
  // roles record, looked up once (routing resolves several roles at the
  // same place for every case).
  struct Place {
    RegionId location = kNoRegion;
    RegionId township = kNoRegion;                          // or kNoRegion
    const Organization::TownshipRoles* roles = nullptr;  // iff township
  };
  Place PlaceOf(RegionId location) const;
  // Resolve(role, p.location), without looking the township up again.
  // Inline for the roles of the township's record, the most asked.
  // REQUIRES: p is PlaceOf(p.location).
  Handler Resolve(const CompiledRole& role, const Place& p) const {
    if (p.roles != nullptr) {
      const Organization::TownshipRoles& t = *p.roles;
      switch (role.kind) {
        case v1::ROLE_KIND_TOWNSHIP_GOVERNMENT:
          return UnitHandler(t.government);
        case v1::ROLE_KIND_TOWNSHIP_COMMAND_ROOM:
          return UnitHandler(t.command_room);
        case v1::ROLE_KIND_COUNTY_SOCIAL_GOVERNANCE_CENTRE:
          return UnitHandler(t.county_centre);
        case v1::ROLE_KIND_TOWNSHIP_ENFORCEMENT:
          return UnitHandler(t.enforcement_team != kNoUnit ? t.enforcement_team
                                                           : t.joint_centre);
        default:
          break;
      }
    }
    return ResolveOther(role, p);
  }

  // "ROLE_KIND_DISPATCHED_UNIT(urban_management)".
  std::string RoleName(const CompiledRole& role) const;

  // The Role message a handler filling `role` shows: its kind, department
  // type and unit code, those it sets.
  void ToRole(const CompiledRole& role, v1::Role* out) const;

  // The bytes of a decision's Handler.role (field 4) for a handler filling
  // `role`: tag, length and ToRole's message; empty for a role with none of
  // its fields set. Encoded once per distinct role, so that writing a
  // decision copies them whole; kRoleFieldSlack bytes are readable from
  // the start of each (the fields after it, then zero bytes), so that the
  // copy may be a fixed-size block.
  static constexpr size_t kRoleFieldSlack = 32;
  absl::string_view HandlerRole(const CompiledRole& role) const {
    const uint32_t begin = role_field_ends_[role.encoded];
    return absl::string_view(role_fields_.data() + begin,
                             role_field_ends_[role.encoded + 1] - begin);
  }

  // For callers that fetch ahead (RoutePrefetcher), in steps, each reading
  // only what an earlier one fetched: a matter's record; then the lines of
  // its first rules that deciding a case reads (the first rule returned,
  // nullptr when the matter has none); then a rule's co-handler roles;
  // with the township known, the filter word of (township, item); then
  // the township's directory block (nullptr when the filter rules the
  // pair out); then, from the block, the bucket of the township's entries
  // that holds the item's, fetched, which DelegationAt searches. A caller
  // that cannot wait for the filter (Router::Route without a hint) may
  // fetch the township's block with the township's roles instead
  // (PrefetchTownshipBlock), before it knows whether it will need it.
  // REQUIRES: m < matter_count().
  void PrefetchMatter(MatterId m) const {
    __builtin_prefetch(&matters_[m].rules_begin);
  }
  const CompiledRule* PrefetchRules(MatterId m) const {
    const CompiledMatter& matter = matters_[m];
    if (matter.rules_begin == matter.rules_end) return nullptr;
    const CompiledRule* rule = &rules_[matter.rules_begin];
    // Matching, precedence, item and tier; stage limits and lead; the
    // supervisor (see CompiledRule).
    const char* bytes = reinterpret_cast<const char*>(rule);
    __builtin_prefetch(bytes);
    __builtin_prefetch(bytes + 64);
    __builtin_prefetch(bytes + 128);
    // The next rule's precedence, which the first's win is checked against.
    // Fetched whether or not the matter has one (a prefetch past the end is
    // harmless, and a branch on the matter's rule count is mispredicted
    // from case to case).
    __builtin_prefetch(rule + 1);
    return rule;
  }
  // The rule's co-handler roles, whether or not it has any (see above).
  void PrefetchRoles(const CompiledRule& rule) const {
    __builtin_prefetch(roles_.data() + rule.co_handlers_begin);
  }
  void PrefetchDelegationFilter(ItemId item, RegionId township) const {
    delegated_pairs_.Prefetch(PairFilter::Key(township, item));
  }
  // Per township with delegations: a directory of its entries by item,
  // in two cache lines. The township's items [lo, hi] are cut into
  // kDelegationBuckets ranges of equal width; bucket b's entries are
  // township_delegations_[begin[b], begin[b + 1]). A search by item reads
  // the block and one bucket (~1/29 of the entries, a line or two fetched
  // at once) instead of a binary search's chain of misses over all of
  // them (~296 entries, 37 lines, at province scale).
  static constexpr int kDelegationBuckets = 29;
  struct alignas(64) DelegationBlock {
    ItemId lo;       // the township's least item
    uint32_t scale;  // Bucket(item) = ((item - lo) * scale) >> 32
    uint32_t begin[kDelegationBuckets + 1];
  };
  static_assert(sizeof(DelegationBlock) == 128, "two cache lines");
  const DelegationBlock* PrefetchDelegationBlock(ItemId item,
                                                 RegionId township) const;
  // The township's block, by its row (Organization::row, the number
  // township_roles reads), whatever the filter says.
  // REQUIRES: `township` is a region of the hierarchy.
  void PrefetchTownshipBlock(RegionId township) const {
    const uint32_t row = o_->row(township);
    if (row >= delegation_blocks_.size()) return;
    const char* bytes = reinterpret_cast<const char*>(&delegation_blocks_[row]);
    __builtin_prefetch(bytes);
    __builtin_prefetch(bytes + 64);
  }
  absl::Span<const ItemDelegation> PrefetchDelegationBucket(
      ItemId item, const DelegationBlock& block) const;
  // Both steps at once, for a caller whose block is fetched already
  // (PrefetchTownshipBlock): the bucket that would hold the item's
  // entries, its lines fetched; empty when the filter rules the pair out.
  // DelegationAt(bucket, item, ...) searches it.
  absl::Span<const ItemDelegation> DelegationBucket(ItemId item,
                                                    RegionId township) const;

  size_t MemoryBytes() const;

 private:
  friend class SnapshotCodec;  // src/engine/snapshot.cc
  // Derived structures, built by Compile and again on loading a snapshot:
  // each rule's window in force and stage limits through the rule → item →
  // matter chain, the filter of delegated (township, item) pairs, the
  // townships' directory blocks, and each entry's delegation terms (window
  // and mode).
  void ResolveRuleTerms();
  void IndexDelegations();
  // role_fields_ and each role's `encoded`, from the roles' kinds,
  // department types and units.
  void EncodeRoles();
  // lookup_ and value_scope_, from matters_, attribute_keys_,
  // string_values_ and allowed_values_. False when two matters, two
  // attribute keys or two string values are equal (Build has validated
  // against that; a snapshot has not), with *section naming the snapshot
  // section ("catalogue.matters", "catalogue.attribute_keys",
  // "catalogue.string_values") and *index the later of the two.
  bool IndexLookups(absl::string_view* section, size_t* index);
  Catalogue(const Hierarchy& h, const Organization& o) : h_(&h), o_(&o) {}

  const Hierarchy* h_;
  const Organization* o_;
  std::vector<CompiledItem> items_;
  // Item ids by code (the codes of items_).
  StringIndex item_by_code_;
  struct ItemCode {
    const Catalogue* c;
    absl::string_view operator()(uint32_t id) const {
      return c->items_[id].code;
    }
  };
  // Builds item_by_code_, by Build and again on loading a snapshot:
  // kNoIndex, or the first item whose code an earlier one has.
  ItemId IndexItemCodes();
  std::vector<CompiledMatter> matters_;
  std::vector<v1::AttributeType> attribute_types_;
  std::vector<std::string> attribute_keys_;
  std::vector<std::vector<std::string>> allowed_values_;  // sorted
  std::vector<std::string> string_values_;
  // The scopes of lookup_: matter code -> MatterId, attribute key ->
  // AttributeId, string value -> its id in string_values_, and per
  // attribute with allowed values (its id is the scope): each allowed
  // value -> its string id, or kNoIndex when no rule tests it.
  static constexpr uint32_t kMatterScope = 0xFFFFFFFFu;
  static constexpr uint32_t kAttributeScope = 0xFFFFFFFEu;
  static constexpr uint32_t kValueScope = 0xFFFFFFFDu;
  StringTable lookup_;
  // Per attribute: the scope of its values in lookup_ (its id when its
  // definition lists allowed values, else kValueScope).
  std::vector<uint32_t> value_scope_;
  std::vector<CompiledRule> rules_;
  std::vector<CompiledRole> roles_;
  // HandlerRole's table: the distinct roles' fields back to back, the n-th
  // from role_field_ends_[n] to role_field_ends_[n + 1] (the first field,
  // n = 0, is empty: a role nothing sets), then kRoleFieldSlack zero bytes.
  std::string role_fields_;
  std::vector<uint32_t> role_field_ends_ = {0, 0};
  std::vector<CompiledPredicate> predicates_;
  std::vector<uint32_t> set_values_;
  std::vector<CompiledDelegation> delegations_;
  // Per item: [begin, end) into delegation_index_.
  std::vector<uint32_t> item_delegations_begin_;
  std::vector<DelegationIndex> delegation_index_;
  // Per township that has delegations (sorted ids; rows of
  // township_delegations_begin_): its (item, delegation) pairs, sorted by
  // item, each item's in delegation id order. Routing asks "is this item
  // delegated to this township" for every case: a scan of the item's
  // delegations (hundreds at province scale, each a binary search in its
  // own township list) cost a cache miss per delegation.
  static Handler UnitHandler(UnitId u) {
    return u == kNoUnit ? Handler{} : Handler{Handler::kUnit, u};
  }
  // Resolve for what the township's record does not answer: a role of
  // another kind, or a place without a township.
  Handler ResolveOther(const CompiledRole& role, const Place& p) const;
  absl::Span<const ItemDelegation> DelegationsTo(ItemId item,
                                                 RegionId township) const;
  // The directory block of the township; nullptr when the filter rules
  // (township, item) out or the region has no row (below township level).
  // A township without entries has an empty block.
  const DelegationBlock* BlockOf(ItemId item, RegionId township) const;
  // The entries of the block's bucket that holds `item`'s entries (all of
  // them, in order; empty when the item is outside the township's range).
  absl::Span<const ItemDelegation> Bucket(const DelegationBlock& block,
                                          ItemId item) const;
  // The bucket of `item` in `block`, or kDelegationBuckets when the item
  // lies outside the township's range of items.
  static uint32_t BucketIndex(const DelegationBlock& block, ItemId item) {
    if (item < block.lo) return kDelegationBuckets;
    const uint64_t j = (uint64_t{item - block.lo} * block.scale) >> 32;
    return j < kDelegationBuckets ? static_cast<uint32_t>(j)
                                  : kDelegationBuckets;
  }
  // The first entry of a run (in delegation id order) in force on `day`,
  // or nullptr; the first delegation that ended on or before it, or
  // kNoIndex.
  static const ItemDelegation* FirstInForce(
      absl::Span<const ItemDelegation> run, int32_t day);
  static DelegationIndex FirstEnded(absl::Span<const ItemDelegation> run,
                                    int32_t day);
  // The entries of `item` among a run of a township's, sorted by item.
  static absl::Span<const ItemDelegation> ItemRun(
      absl::Span<const ItemDelegation> entries, ItemId item);
  std::vector<RegionId> delegated_townships_;
  std::vector<uint32_t> township_delegations_begin_;
  HugePageVector<ItemDelegation> township_delegations_;
  // Every (township, item) pair of township_delegations_.
  PairFilter delegated_pairs_;
  // By Organization::row (derived): every region at township level or
  // above has one, so that a township's is found from the row number its
  // roles are found by, without a search of delegated_townships_; rows
  // without entries hold an empty block (lo = kNoIndex).
  std::vector<DelegationBlock> delegation_blocks_;
  std::vector<CompiledAbolishedDuty> abolished_;
  absl::flat_hash_set<std::string> retired_codes_;
};

}  // namespace jiceng

#endif  // JICENG_SRC_CATALOGUE_CATALOGUE_H_
