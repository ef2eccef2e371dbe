// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0

#include "src/catalogue/catalogue.h"

#include <algorithm>
#include <limits>
#include <numeric>
#include <tuple>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "src/base/decimal.h"
#include "src/base/hash_tables.h"
#include "src/base/memory_bytes.h"
#include "src/base/utf8.h"
#include "src/catalogue/validate_catalogue.h"

namespace jiceng {
namespace {

CompiledDuration Compile(const v1::Duration& d) {
  CompiledDuration out;
  if (d.unit() != v1::TIME_UNIT_UNSPECIFIED && d.amount() > 0) {
    out.unit = d.unit();
    out.amount = d.amount();
  }
  return out;
}

CompiledLimits Compile(const v1::StageLimits& l) {
  return CompiledLimits{Compile(l.sign_for()), Compile(l.handle()),
                        Compile(l.feedback()), Compile(l.revisit())};
}

absl::Status Bad(absl::string_view kind, absl::string_view code,
                 absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat(kind, " ", code, ": ", what));
}

DayWindow Window(const std::string& from, const std::string& to) {
  DayWindow w;
  ParseOptionalDate(from, kOpenStart, &w.from);
  ParseOptionalDate(to, kOpenEnd, &w.to);
  return w;
}

}  // namespace

absl::StatusOr<Catalogue> Catalogue::Build(const v1::Dataset& dataset,
                                           const Hierarchy& h,
                                           const Organization& o) {
  const v1::Catalogue& cat = dataset.catalogue();
  Catalogue c(h, o);
  // Compile-time indexes; routing looks codes up in lookup_ (IndexLookups,
  // at the end).
  absl::flat_hash_map<std::string, AttributeId> attribute_by_key;
  absl::flat_hash_map<std::string, MatterId> matter_by_code;
  absl::flat_hash_map<std::string, uint32_t> string_value_ids;

  // Attributes.
  for (const v1::AttributeDefinition& a : cat.attributes()) {
    SafeEmplace(&attribute_by_key, a.key(),
                static_cast<AttributeId>(c.attribute_types_.size()));
    c.attribute_types_.push_back(a.type());
    c.attribute_keys_.push_back(a.key());
    std::vector<std::string> allowed(a.allowed_values().begin(),
                                     a.allowed_values().end());
    std::sort(allowed.begin(), allowed.end());
    c.allowed_values_.push_back(std::move(allowed));
  }
  auto intern = [&c, &string_value_ids](const std::string& s) {
    auto [it, inserted] =
        SafeEmplace(&string_value_ids, s,
                    static_cast<uint32_t>(c.string_values_.size()));
    if (inserted) c.string_values_.push_back(s);
    return it->second;
  };

  // Items.
  c.items_.reserve(static_cast<size_t>(cat.items_size()));
  for (const v1::Item& it : cat.items()) {
    CompiledItem ci;
    ci.code = it.code();
    ci.name = it.name();
    ci.list_type = it.list_type();
    ci.power_kind = it.power_kind();
    ci.exercising_level = it.exercising_level();
    ci.department_type = o.FindDepartmentType(it.department_type());
    ci.lead_department_type = o.FindDepartmentType(it.lead_department_type());
    ci.township_role = it.township_role();
    ci.limits = Compile(it.limits());
    ci.window = Window(it.effective_date(), it.retired_date());
    ci.statutory_department_matter = it.statutory_department_matter();
    ci.has_legal_basis = !CitedLegalBasis(it.legal_basis()).empty();
    const v1::ServiceTerms& st = it.service();
    ci.statutory_limit = Compile(st.statutory_limit());
    ci.promised_limit = Compile(st.promised_limit());
    ci.immediate = st.immediate();
    if (st.accepting_level() != v1::REGION_LEVEL_UNSPECIFIED) {
      ci.accepting_level = st.accepting_level();
    }
    if (st.approving_level() != v1::REGION_LEVEL_UNSPECIFIED) {
      ci.approving_level = st.approving_level();
    }
    ci.village_proxy = st.village_proxy();
    ci.service_scope = st.scope();
    ci.courier_delivery = st.courier_delivery();
    c.items_.push_back(std::move(ci));
  }
  // Validated: no two items share a code (were one repeated, the first
  // would be found, as a map keeps its first insertion).
  c.IndexItemCodes();

  // Matters.
  for (const v1::Matter& m : cat.matters()) {
    CompiledMatter cm;
    cm.code = m.code();
    cm.name = m.name();
    cm.category = m.category();
    cm.limits = Compile(m.limits());
    cm.major = m.major();
    SafeEmplace(&matter_by_code, m.code(),
                static_cast<MatterId>(c.matters_.size()));
    c.matters_.push_back(std::move(cm));
  }

  // Roles and predicates shared by rules and scenarios.
  auto role = [&](const v1::Role& r, absl::string_view owner)
      -> absl::StatusOr<CompiledRole> {
    CompiledRole cr;
    cr.kind = r.kind();
    if (!r.department_type().empty()) {
      cr.department_type = o.FindDepartmentType(r.department_type());
      if (cr.department_type < 0) {
        return Bad("rule", owner, "unknown department type in a role");
      }
    }
    if (r.kind() == v1::ROLE_KIND_NAMED_UNIT) {
      cr.unit = o.Find(r.unit_code());
      if (cr.unit == kNoUnit) return Bad("rule", owner, "unknown unit in a role");
    }
    cr.label = c.RoleName(cr);
    return cr;
  };
  auto predicate = [&](const v1::AttributePredicate& a, absl::string_view owner)
      -> absl::StatusOr<CompiledPredicate> {
    CompiledPredicate p;
    auto it = attribute_by_key.find(a.key());
    if (it == attribute_by_key.end()) {
      return Bad("rule", owner, "unknown attribute");
    }
    p.attribute = it->second;
    const v1::AttributeType type = c.attribute_types_[p.attribute];
    auto value = [&](const std::string& v, CompiledPredicate* out) {
      if (type == v1::ATTRIBUTE_TYPE_NUMBER) {
        // Validation has refused a value that is not a number.
        double x = 0;
        if (!ParseDecimalNumber(v, &x)) x = 0;  // validated: not reached
        out->min = out->max = x;
        return 0u;
      }
      if (type == v1::ATTRIBUTE_TYPE_BOOL) return v == "true" ? 1u : 0u;
      return intern(v);
    };
    switch (a.test_case()) {
      case v1::AttributePredicate::kEquals:
        p.op = type == v1::ATTRIBUTE_TYPE_NUMBER ? CompiledPredicate::kRange
                                                 : CompiledPredicate::kEquals;
        p.value = value(a.equals(), &p);
        break;
      case v1::AttributePredicate::kInSet: {
        if (type == v1::ATTRIBUTE_TYPE_NUMBER) {
          return Bad("rule", owner, "a set of numbers is not supported");
        }
        p.op = CompiledPredicate::kInSet;
        p.set_begin = static_cast<uint32_t>(c.set_values_.size());
        for (const std::string& v : a.in_set().values()) {
          CompiledPredicate scratch;
          c.set_values_.push_back(value(v, &scratch));
        }
        std::sort(c.set_values_.begin() + p.set_begin, c.set_values_.end());
        c.set_values_.erase(std::unique(c.set_values_.begin() + p.set_begin,
                                        c.set_values_.end()),
                            c.set_values_.end());
        p.set_end = static_cast<uint32_t>(c.set_values_.size());
        break;
      }
      case v1::AttributePredicate::kRange:
        p.op = CompiledPredicate::kRange;
        if (a.range().has_min()) p.min = a.range().min();
        if (a.range().has_max()) p.max = a.range().max();
        break;
      case v1::AttributePredicate::kPresent:
        p.op = a.present() ? CompiledPredicate::kPresent
                           : CompiledPredicate::kAbsent;
        break;
      default:
        return Bad("rule", owner, "a predicate without a test");
    }
    return p;
  };

  // Rules, then scenarios as rules.
  auto add_common = [&](CompiledRule& r, const std::string& matter,
                        const std::string& item,
                        const google::protobuf::RepeatedPtrField<
                            v1::AttributePredicate>& preds,
                        const v1::Role& lead,
                        const google::protobuf::RepeatedPtrField<v1::Role>&
                            others,
                        const v1::Role& supervisor) -> absl::Status {
    auto m = matter_by_code.find(matter);
    if (m == matter_by_code.end()) return Bad("rule", r.id, "unknown matter");
    r.matter = m->second;
    if (!item.empty()) {
      r.item = c.FindItem(item);
      if (r.item == kNoIndex) return Bad("rule", r.id, "unknown item");
    }
    r.predicates_begin = static_cast<uint32_t>(c.predicates_.size());
    for (const v1::AttributePredicate& a : preds) {
      absl::StatusOr<CompiledPredicate> p = predicate(a, r.id);
      if (!p.ok()) return p.status();
      c.predicates_.push_back(*p);
    }
    r.predicates_end = static_cast<uint32_t>(c.predicates_.size());
    r.predicate_count += r.predicates_end - r.predicates_begin;
    absl::StatusOr<CompiledRole> l = role(lead, r.id);
    if (!l.ok()) return l.status();
    r.lead = *l;
    r.co_handlers_begin = static_cast<uint32_t>(c.roles_.size());
    for (const v1::Role& x : others) {
      absl::StatusOr<CompiledRole> cr = role(x, r.id);
      if (!cr.ok()) return cr.status();
      c.roles_.push_back(*cr);
    }
    r.co_handlers_end = static_cast<uint32_t>(c.roles_.size());
    if (supervisor.kind() != v1::ROLE_KIND_UNSPECIFIED) {
      absl::StatusOr<CompiledRole> s = role(supervisor, r.id);
      if (!s.ok()) return s.status();
      r.supervisor = *s;
    }
    return absl::OkStatus();
  };

  c.rules_.reserve(
      static_cast<size_t>(cat.rules_size() + cat.scenarios_size()));
  for (const v1::DispatchRule& dr : cat.rules()) {
    CompiledRule r;
    r.id = dr.id();
    r.priority = dr.priority();
    if (!dr.region_code().empty()) {
      r.region = h.Find(dr.region_code());
      if (r.region == kNoRegion) return Bad("rule", r.id, "unknown region");
      r.depth = static_cast<uint32_t>(h.depth(r.region)) + 1;
    }
    for (int tc : dr.township_classes()) {
      r.township_class_mask |= static_cast<uint8_t>(1u << (tc & 7));
    }
    for (int ur : dr.urban_rural_classes()) {
      r.urban_rural_mask |= static_cast<uint16_t>(
          1u << UrbanRuralIndex(static_cast<v1::UrbanRuralClass>(ur)));
    }
    for (int rk : dr.request_kinds()) {
      r.request_kind_mask |= static_cast<uint8_t>(1u << (rk & 7));
    }
    r.min_urgency = dr.min_urgency();
    r.max_urgency = dr.max_urgency();
    r.predicate_count = (r.township_class_mask != 0 ? 1u : 0u) +
                        (r.urban_rural_mask != 0 ? 1u : 0u) +
                        (r.request_kind_mask != 0 ? 1u : 0u) +
                        (r.min_urgency > 0 || r.max_urgency > 0 ? 1u : 0u);
    r.window = Window(dr.effective_date(), dr.end_date());
    r.duty_type = dr.duty_type();
    r.tier = dr.tier();
    r.limits = Compile(dr.limits());
    r.dispute = dr.dispute();
    absl::Status s = add_common(r, dr.matter_code(), dr.item_code(),
                                dr.attributes(), dr.lead(), dr.co_handlers(),
                                dr.supervisor());
    if (!s.ok()) return s;
    c.rules_.push_back(std::move(r));
  }
  for (int i = 0; i < cat.scenarios_size(); ++i) {
    const v1::Scenario& sc = cat.scenarios(i);
    CompiledRule r;
    r.id = sc.code();
    r.priority = sc.priority();
    r.window = Window(sc.effective_date(), sc.end_date());
    r.scenario = i;
    r.limits = Compile(sc.limits());
    absl::Status s = add_common(r, sc.matter_code(), sc.item_code(),
                                sc.facts(), sc.lead(), sc.cooperators(),
                                sc.supervisor());
    if (!s.ok()) return s;
    c.rules_.push_back(std::move(r));
  }

  // Group by matter, highest precedence first, then id: the order never
  // depends on the dataset's list order.
  std::vector<uint32_t> order(c.rules_.size());
  std::iota(order.begin(), order.end(), 0u);
  std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
    const CompiledRule& x = c.rules_[a];
    const CompiledRule& y = c.rules_[b];
    if (x.matter != y.matter) return x.matter < y.matter;
    if (x.priority != y.priority) return x.priority > y.priority;
    if (x.depth != y.depth) return x.depth > y.depth;
    if (x.predicate_count != y.predicate_count) {
      return x.predicate_count > y.predicate_count;
    }
    return x.id < y.id;
  });
  std::vector<CompiledRule> sorted;
  sorted.reserve(c.rules_.size());
  for (uint32_t i : order) sorted.push_back(std::move(c.rules_[i]));
  c.rules_ = std::move(sorted);
  for (MatterId m = 0; m < c.matters_.size(); ++m) {
    c.matters_[m].rules_begin = c.matters_[m].rules_end = 0;
  }
  for (RuleIndex i = 0; i < c.rules_.size(); ++i) {
    CompiledMatter& m = c.matters_[c.rules_[i].matter];
    if (m.rules_end == 0) m.rules_begin = i;
    m.rules_end = i + 1;
  }
  c.ResolveRuleTerms();
  c.EncodeRoles();

  // Delegations (their index shares 32 bits with the mode in a township's
  // entries).
  if (static_cast<size_t>(cat.delegations_size()) >= kMaxDelegations) {
    return absl::InvalidArgumentError(
        absl::StrCat("catalogue.delegations: ", cat.delegations_size(),
                     " given, at most ", kMaxDelegations - 1));
  }
  c.delegations_.reserve(static_cast<size_t>(cat.delegations_size()));
  for (const v1::Delegation& g : cat.delegations()) {
    CompiledDelegation d;
    d.id = g.id();
    d.item = c.FindItem(g.item_code());
    if (d.item == kNoIndex) return Bad("delegation", g.id(), "unknown item");
    d.from_department_type = o.FindDepartmentType(g.from_department_type());
    d.mode = g.mode();
    d.window = Window(g.effective_date(), g.end_date());
    if (!g.reclaimed_date().empty()) {
      int32_t reclaimed = kOpenEnd;
      ParseOptionalDate(g.reclaimed_date(), kOpenEnd, &reclaimed);
      d.window.to = std::min(d.window.to, reclaimed);
    }
    d.townships = ScopeTownships(g.scope(), h);
    d.document = g.document();
    c.delegations_.push_back(std::move(d));
  }
  for (const v1::AbolishedDuty& a : cat.abolished_duties()) {
    c.abolished_.push_back(CompiledAbolishedDuty{
        a.code(), a.name(),
        std::vector<std::string>(a.keywords().begin(), a.keywords().end()),
        a.document()});
  }
  for (const std::string& code : cat.retired_item_codes()) {
    SafeInsert(&c.retired_codes_, code);
  }

  std::vector<DelegationIndex> by_item(c.delegations_.size());
  std::iota(by_item.begin(), by_item.end(), 0u);
  std::stable_sort(by_item.begin(), by_item.end(),
                   [&](DelegationIndex a, DelegationIndex b) {
                     if (c.delegations_[a].item != c.delegations_[b].item) {
                       return c.delegations_[a].item < c.delegations_[b].item;
                     }
                     return c.delegations_[a].id < c.delegations_[b].id;
                   });
  c.delegation_index_ = std::move(by_item);
  c.item_delegations_begin_.assign(c.items_.size() + 1, 0);
  for (DelegationIndex d : c.delegation_index_) {
    ++c.item_delegations_begin_[c.delegations_[d].item + 1];
  }
  for (size_t i = 1; i < c.item_delegations_begin_.size(); ++i) {
    c.item_delegations_begin_[i] += c.item_delegations_begin_[i - 1];
  }

  // Per township: (item, delegation) entries sorted by item, each item's
  // delegations in id order. A counting sort by township of the
  // delegations in delegation_index_'s order (item, then id), which it
  // keeps within a township: one pass to count, one to place, and no
  // (township, entry) pairs besides the entries (16 bytes a pair, where a
  // sorted copy of pairs took 20 more and a sort).
  std::vector<uint32_t> next(h.size(), 0);
  size_t total = 0;
  for (const CompiledDelegation& d : c.delegations_) {
    total += d.townships.size();
    for (RegionId t : d.townships) ++next[t];
  }
  if (total >= std::numeric_limits<uint32_t>::max()) {
    return absl::InvalidArgumentError(
        absl::StrCat("catalogue.delegations: their scopes reach ", total,
                     " (delegation, township) pairs, at most ",
                     std::numeric_limits<uint32_t>::max() - 1));
  }
  c.township_delegations_.resize(total);
  uint32_t begin = 0;
  for (RegionId t = 0; t < static_cast<RegionId>(next.size()); ++t) {
    if (next[t] == 0) continue;
    c.delegated_townships_.push_back(t);
    c.township_delegations_begin_.push_back(begin);
    const uint32_t n = next[t];
    next[t] = begin;
    begin += n;
  }
  c.township_delegations_begin_.push_back(begin);
  for (DelegationIndex d : c.delegation_index_) {
    ItemDelegation e{};
    e.item = c.delegations_[d].item;
    e.delegation = d;
    for (RegionId t : c.delegations_[d].townships) {
      c.township_delegations_[next[t]++] = e;
    }
  }
  c.IndexDelegations();
  absl::string_view section;
  size_t index = 0;
  if (!c.IndexLookups(&section, &index)) {
    return absl::InvalidArgumentError(
        absl::StrCat(section, "[", index, "]: a duplicate code"));
  }
  return c;
}

bool Catalogue::IndexLookups(absl::string_view* section, size_t* index) {
  std::vector<StringTable::Entry> entries;
  size_t allowed = 0;
  for (const std::vector<std::string>& v : allowed_values_) {
    allowed += v.size();
  }
  entries.reserve(matters_.size() + attribute_keys_.size() +
                  string_values_.size() + allowed);
  for (size_t i = 0; i < matters_.size(); ++i) {
    entries.push_back({kMatterScope, matters_[i].code,
                       static_cast<uint32_t>(i)});
  }
  for (size_t i = 0; i < attribute_keys_.size(); ++i) {
    entries.push_back({kAttributeScope, attribute_keys_[i],
                       static_cast<uint32_t>(i)});
  }
  for (size_t i = 0; i < string_values_.size(); ++i) {
    entries.push_back({kValueScope, string_values_[i],
                       static_cast<uint32_t>(i)});
  }
  // The values above must be distinct; allowed values may repeat (the
  // first one stands, with the same value).
  const size_t unique = entries.size();
  std::vector<uint32_t> value_scope(allowed_values_.size(), kValueScope);
  size_t first_duplicate = 0;
  {
    // string_values_ indexed alone first: the allowed values' entries
    // carry their string ids.
    const StringTable values = StringTable::Build(
        absl::MakeConstSpan(entries).subspan(unique - string_values_.size()),
        &first_duplicate);
    for (size_t a = 0; a < allowed_values_.size(); ++a) {
      if (allowed_values_[a].empty()) continue;
      value_scope[a] = static_cast<uint32_t>(a);
      for (const std::string& v : allowed_values_[a]) {
        entries.push_back({static_cast<uint32_t>(a), v,
                           values.Find(kValueScope, v, kNoIndex)});
      }
    }
  }
  StringTable table = StringTable::Build(entries, &first_duplicate);
  if (first_duplicate < unique) {
    const size_t attributes_end = matters_.size() + attribute_keys_.size();
    if (first_duplicate < matters_.size()) {
      *section = "catalogue.matters";
      *index = first_duplicate;
    } else if (first_duplicate < attributes_end) {
      *section = "catalogue.attribute_keys";
      *index = first_duplicate - matters_.size();
    } else {
      *section = "catalogue.string_values";
      *index = first_duplicate - attributes_end;
    }
    return false;
  }
  lookup_ = std::move(table);
  value_scope_ = std::move(value_scope);
  return true;
}

void Catalogue::ResolveRuleTerms() {
  // Each rule's window in force and stage limits through the fallback
  // chain, once.
  for (CompiledRule& r : rules_) {
    r.in_force = r.window;
    if (r.item != kNoIndex) {
      const DayWindow& item = items_[r.item].window;
      r.in_force.from = std::max(r.in_force.from, item.from);
      r.in_force.to = std::min(r.in_force.to, item.to);
    }
    const CompiledLimits* chain[3] = {
        &r.limits, r.item != kNoIndex ? &items_[r.item].limits : nullptr,
        &matters_[r.matter].limits};
    for (int stage = 0; stage < 4; ++stage) {
      for (int level = 0; level < 3; ++level) {
        if (chain[level] == nullptr) continue;
        const CompiledDuration d = StageLimit(*chain[level], stage);
        if (d.set()) {
          r.stage_limit[stage] = d;
          r.stage_source[stage] = static_cast<uint8_t>(level + 1);
          break;
        }
      }
    }
  }
}

void Catalogue::EncodeRoles() {
  role_fields_.clear();
  role_field_ends_.assign(2, 0);
  // (kind, department type, unit) -> its entry.
  absl::flat_hash_map<std::tuple<int, int, UnitId>, uint32_t> entries;
  auto encode = [&](CompiledRole& r) {
    // Department types and unit codes are never empty: a role sets a field
    // exactly when it has a kind, a department type or a unit.
    if (r.kind == v1::ROLE_KIND_UNSPECIFIED && r.department_type < 0 &&
        r.unit == kNoUnit) {
      r.encoded = 0;
      return;
    }
    auto [it, added] = SafeEmplace(
        &entries,
        std::make_tuple(static_cast<int>(r.kind), r.department_type, r.unit),
        static_cast<uint32_t>(role_field_ends_.size() - 1));
    r.encoded = it->second;
    if (!added) return;
    // A Handler with only its role set serializes to that field alone.
    v1::Handler field;
    ToRole(r, field.mutable_role());
    role_fields_ += field.SerializeAsString();
    role_field_ends_.push_back(static_cast<uint32_t>(role_fields_.size()));
  };
  for (CompiledRule& r : rules_) {
    encode(r.lead);
    encode(r.supervisor);
  }
  for (CompiledRole& r : roles_) encode(r);
  role_fields_.append(kRoleFieldSlack, '\0');
}

void Catalogue::IndexDelegations() {
  std::vector<uint64_t> pair_keys;
  pair_keys.reserve(township_delegations_.size());
  const size_t rows = delegated_townships_.size();
  // Empty blocks for every row first: BucketIndex puts every item outside
  // one (below lo = kNoIndex).
  DelegationBlock empty;
  empty.lo = kNoIndex;
  empty.scale = 0;
  std::fill(std::begin(empty.begin), std::end(empty.begin), 0u);
  delegation_blocks_.assign(o_->row_count(), empty);
  for (size_t row = 0; row < rows; ++row) {
    const uint32_t b = township_delegations_begin_[row];
    const uint32_t e = township_delegations_begin_[row + 1];
    // Delegated townships are township-level regions (validated, and
    // checked on loading a snapshot), so each has an organization row.
    const uint32_t org_row = o_->row(delegated_townships_[row]);
    if (org_row >= delegation_blocks_.size()) continue;
    DelegationBlock& block = delegation_blocks_[org_row];
    ItemId lo = kNoIndex, hi = 0;
    for (uint32_t k = b; k < e; ++k) {
      const ItemId item = township_delegations_[k].item;
      pair_keys.push_back(PairFilter::Key(delegated_townships_[row], item));
      lo = std::min(lo, item);
      hi = std::max(hi, item);
    }
    block.lo = lo;
    // floor(buckets * 2^32 / width), at most 2^32 - 1: monotone in the
    // item, and below kDelegationBuckets for every item in [lo, hi].
    const uint64_t width = lo <= hi ? uint64_t{hi} - lo + 1 : 1;
    block.scale = static_cast<uint32_t>(std::min<uint64_t>(
        (uint64_t{kDelegationBuckets} << 32) / width, 0xFFFFFFFFu));
    // begin[j]: b plus the entries in buckets below j. Counted rather than
    // searched, so the offsets stay ordered and within the row even for
    // a row that is not sorted (a snapshot is checked for that, but the
    // directory must not depend on it to stay in bounds).
    uint32_t count[kDelegationBuckets] = {};
    for (uint32_t k = b; k < e; ++k) {
      ++count[BucketIndex(block, township_delegations_[k].item)];
    }
    block.begin[0] = b;
    for (int j = 0; j < kDelegationBuckets; ++j) {
      block.begin[j + 1] = block.begin[j] + count[j];
    }
  }
  delegated_pairs_ = PairFilter::Build(pair_keys);
  for (ItemDelegation& e : township_delegations_) {
    const CompiledDelegation& d = delegations_[e.delegation];
    e.mode = items_[e.item].enforcement() ? static_cast<uint32_t>(d.mode) & 3u
                                          : 0u;
    e.window = d.window;
  }
}

ItemId Catalogue::IndexItemCodes() {
  uint32_t duplicate = 0;
  item_by_code_ = StringIndex::Build(static_cast<uint32_t>(items_.size()),
                                     ItemCode{this}, &duplicate);
  return duplicate == items_.size() ? kNoIndex : duplicate;
}

ItemId Catalogue::FindItem(absl::string_view code) const {
  const uint32_t id = item_by_code_.Find(code, ItemCode{this});
  return id == StringIndex::kAbsent ? kNoIndex : id;
}

absl::Span<const DelegationIndex> Catalogue::item_delegations(
    ItemId item) const {
  const uint32_t b = item_delegations_begin_[item];
  const uint32_t e = item_delegations_begin_[item + 1];
  return absl::MakeConstSpan(delegation_index_).subspan(b, e - b);
}

bool Catalogue::Matches(const CompiledRule& r, const CaseFacts& f) const {
  if (!r.in_force.Contains(f.day)) return false;
  if (r.region != kNoRegion && !h_->Contains(r.region, f.location)) {
    return false;
  }
  if (r.township_class_mask != 0) {
    const RegionId t = h_->township_of(f.location);
    if (t == kNoRegion) return false;
    if ((r.township_class_mask & (1u << h_->township_class(t))) == 0) {
      return false;
    }
  }
  if (r.urban_rural_mask != 0 &&
      (r.urban_rural_mask &
       (1u << h_->urban_rural_index(f.location))) == 0) {
    return false;
  }
  if (r.request_kind_mask != 0 &&
      (r.request_kind_mask & (1u << (f.request_kind & 7))) == 0) {
    return false;
  }
  if (r.min_urgency > 0 && f.urgency < r.min_urgency) return false;
  if (r.max_urgency > 0 && f.urgency > r.max_urgency) return false;
  for (uint32_t i = r.predicates_begin; i < r.predicates_end; ++i) {
    const CompiledPredicate& p = predicates_[i];
    const AttributeValue* v = nullptr;
    for (const AttributeValue& a : f.attributes) {
      if (a.attribute == p.attribute) {
        v = &a;
        break;
      }
      if (a.attribute > p.attribute) break;  // sorted
    }
    switch (p.op) {
      case CompiledPredicate::kPresent:
        if (v == nullptr) return false;
        break;
      case CompiledPredicate::kAbsent:
        if (v != nullptr) return false;
        break;
      case CompiledPredicate::kEquals:
        if (v == nullptr || v->value != p.value) return false;
        break;
      case CompiledPredicate::kInSet:
        if (v == nullptr ||
            !std::binary_search(set_values_.begin() + p.set_begin,
                                set_values_.begin() + p.set_end, v->value)) {
          return false;
        }
        break;
      case CompiledPredicate::kRange:
        if (v == nullptr || !(v->number >= p.min && v->number <= p.max)) {
          return false;
        }
        break;
    }
  }
  return true;
}

RuleMatch Catalogue::MatchRules(const CaseFacts& f) const {
  RuleMatch m;
  if (f.matter >= matters_.size()) return m;
  const CompiledMatter& matter = matters_[f.matter];
  for (RuleIndex i = matter.rules_begin; i < matter.rules_end; ++i) {
    if (m.outcome != RuleMatch::kNoMatch &&
        !rules_[i].SamePrecedence(rules_[m.winner])) {
      break;  // sorted by precedence: nothing below can tie
    }
    if (!Matches(rules_[i], f)) continue;
    if (m.outcome == RuleMatch::kNoMatch) {
      m.outcome = RuleMatch::kUnique;
      m.winner = i;
    } else {
      if (m.tied.empty()) m.tied.push_back(m.winner);
      m.tied.push_back(i);
      m.outcome = RuleMatch::kAmbiguous;
    }
  }
  return m;
}

const Catalogue::DelegationBlock* Catalogue::BlockOf(ItemId item,
                                                    RegionId township) const {
  if (!delegated_pairs_.MayContain(PairFilter::Key(township, item))) {
    return nullptr;
  }
  // The township's row: the number its roles record is found by.
  const uint32_t row = township < h_->size() ? o_->row(township) : kNoUnit;
  if (row >= delegation_blocks_.size()) return nullptr;
  return &delegation_blocks_[row];
}

absl::Span<const Catalogue::ItemDelegation> Catalogue::Bucket(
    const DelegationBlock& block, ItemId item) const {
  const uint32_t j = BucketIndex(block, item);
  if (j == kDelegationBuckets) return {};
  return absl::MakeConstSpan(township_delegations_.data() + block.begin[j],
                             block.begin[j + 1] - block.begin[j]);
}

absl::Span<const Catalogue::ItemDelegation> Catalogue::DelegationBucket(
    ItemId item, RegionId township) const {
  const DelegationBlock* block = BlockOf(item, township);
  return block == nullptr ? absl::Span<const ItemDelegation>()
                          : PrefetchDelegationBucket(item, *block);
}

absl::Span<const Catalogue::ItemDelegation> Catalogue::DelegationsTo(
    ItemId item, RegionId township) const {
  return ItemRun(DelegationBucket(item, township), item);
}

absl::Span<const Catalogue::ItemDelegation> Catalogue::ItemRun(
    absl::Span<const ItemDelegation> entries, ItemId item) {
  auto by_item = [](const ItemDelegation& x, ItemId i) { return x.item < i; };
  const ItemDelegation* e = entries.data() + entries.size();
  const ItemDelegation* b = std::lower_bound(entries.data(), e, item, by_item);
  const ItemDelegation* end = b;
  while (end != e && end->item == item) ++end;
  return absl::MakeConstSpan(b, end);
}

const Catalogue::DelegationBlock* Catalogue::PrefetchDelegationBlock(
    ItemId item, RegionId township) const {
  const DelegationBlock* block = BlockOf(item, township);
  if (block != nullptr) {
    const char* bytes = reinterpret_cast<const char*>(block);
    __builtin_prefetch(bytes);
    __builtin_prefetch(bytes + 64);
  }
  return block;
}

absl::Span<const Catalogue::ItemDelegation> Catalogue::PrefetchDelegationBucket(
    ItemId item, const DelegationBlock& block) const {
  const absl::Span<const ItemDelegation> bucket = Bucket(block, item);
  if (!bucket.empty()) {
    // Every line of the bucket, up to four (a bucket is ~10 entries at
    // province scale; a longer one is searched from its fetched ends).
    const uintptr_t first = reinterpret_cast<uintptr_t>(&bucket.front());
    const uintptr_t last = reinterpret_cast<uintptr_t>(&bucket.back());
    for (uintptr_t line = first & ~uintptr_t{63}, n = 0; line <= last && n < 4;
         line += 64, ++n) {
      __builtin_prefetch(reinterpret_cast<const void*>(line));
    }
    __builtin_prefetch(&bucket.back());
  }
  return bucket;
}

const Catalogue::ItemDelegation* Catalogue::FirstInForce(
    absl::Span<const ItemDelegation> run, int32_t day) {
  for (const ItemDelegation& e : run) {
    if (e.window.Contains(day)) return &e;
  }
  return nullptr;
}

DelegationIndex Catalogue::FirstEnded(absl::Span<const ItemDelegation> run,
                                      int32_t day) {
  for (const ItemDelegation& e : run) {
    if (e.window.to <= day) return e.delegation;
  }
  return kNoIndex;
}

DelegationIndex Catalogue::DelegationInForce(ItemId item, RegionId township,
                                             int32_t day) const {
  if (item >= items_.size() || township == kNoRegion) return kNoIndex;
  const ItemDelegation* e = FirstInForce(DelegationsTo(item, township), day);
  return e == nullptr ? kNoIndex : e->delegation;
}

DelegationIndex Catalogue::DelegationEnded(ItemId item, RegionId township,
                                           int32_t day) const {
  if (item >= items_.size() || township == kNoRegion) return kNoIndex;
  return FirstEnded(DelegationsTo(item, township), day);
}

void Catalogue::DelegationAt(ItemId item, RegionId township, int32_t day,
                             DelegationIndex* in_force,
                             DelegationIndex* ended) const {
  *in_force = *ended = kNoIndex;
  if (item >= items_.size() || township == kNoRegion) return;
  const absl::Span<const ItemDelegation> run = DelegationsTo(item, township);
  const ItemDelegation* e = FirstInForce(run, day);
  if (e != nullptr) {
    *in_force = e->delegation;
  } else {
    *ended = FirstEnded(run, day);
  }
}

void Catalogue::DelegationAt(absl::Span<const ItemDelegation> entries,
                             ItemId item, int32_t day,
                             const ItemDelegation** in_force,
                             DelegationIndex* ended) const {
  const absl::Span<const ItemDelegation> run = ItemRun(entries, item);
  *in_force = FirstInForce(run, day);
  *ended = *in_force == nullptr ? FirstEnded(run, day) : kNoIndex;
}

Catalogue::Place Catalogue::PlaceOf(RegionId location) const {
  Place p;
  if (location == kNoRegion) return p;
  p.location = location;
  p.township = h_->township_of(location);
  if (p.township != kNoRegion) p.roles = &o_->township_roles(p.township);
  return p;
}

Handler Catalogue::Resolve(const CompiledRole& role, RegionId loc) const {
  return Resolve(role, PlaceOf(loc));
}

Handler Catalogue::ResolveOther(const CompiledRole& role,
                                const Place& p) const {
  auto unit = UnitHandler;
  const RegionId loc = p.location;
  if (loc == kNoRegion) return {};
  const RegionId township = p.township;
  switch (role.kind) {
    case v1::ROLE_KIND_TOWNSHIP_GOVERNMENT:
      return township == kNoRegion ? Handler{} : unit(o_->Government(township));
    case v1::ROLE_KIND_TOWNSHIP_COMMAND_ROOM:
      return township == kNoRegion
                 ? Handler{}
                 : unit(o_->CommandCentre(
                       township, v1::CENTRE_TYPE_TOWNSHIP_COMMAND_ROOM));
    case v1::ROLE_KIND_COUNTY_DEPARTMENT: {
      // The county's department, or the nearest ancestor's (a county
      // without its own bureau is served by the city's).
      RegionId r = p.roles != nullptr ? p.roles->county : h_->county_of(loc);
      if (r == kNoRegion) r = loc;
      if (p.roles != nullptr && p.roles->county_row != kNoUnit) {
        // The county's own, by the row its township's record holds.
        const UnitId u =
            o_->DepartmentInRow(p.roles->county_row, role.department_type);
        if (u != kNoUnit) return unit(u);
        r = h_->parent(r);
      }
      for (; r != kNoRegion; r = h_->parent(r)) {
        const UnitId u = o_->Department(r, role.department_type);
        if (u != kNoUnit) return unit(u);
      }
      return {};
    }
    case v1::ROLE_KIND_DISPATCHED_UNIT:
      return township == kNoRegion
                 ? Handler{}
                 : unit(o_->DispatchedCovering(township, role.department_type));
    case v1::ROLE_KIND_VILLAGE_COMMITTEE:
      return unit(o_->VillageCommitteeOf(loc));
    case v1::ROLE_KIND_GRID_WORKER:
      return h_->level(loc) == v1::REGION_LEVEL_GRID
                 ? Handler{Handler::kGrid, loc}
                 : Handler{};
    case v1::ROLE_KIND_COUNTY_SOCIAL_GOVERNANCE_CENTRE: {
      const RegionId county = h_->county_of(loc);
      if (county != kNoRegion) {
        const UnitId u =
            o_->CommandCentre(county, v1::CENTRE_TYPE_COUNTY_SOCIAL_GOVERNANCE);
        if (u != kNoUnit) return unit(u);
      }
      // A county without a centre of its own, or above county level (a
      // case spanning counties is coordinated at their common city): the
      // first region at or above the county (else the location) with a
      // coordinating centre — its social-governance centre, else its 一网统管
      // city-operations centre, else its 12345 centre.
      return unit(
          o_->CoordinatingCentre(*h_, county != kNoRegion ? county : loc));
    }
    case v1::ROLE_KIND_TOWNSHIP_ENFORCEMENT: {
      if (township == kNoRegion) return {};
      const UnitId team = o_->EnforcementTeam(township);
      return unit(team != kNoUnit ? team
                                  : o_->JointEnforcementCentre(township));
    }
    case v1::ROLE_KIND_HOTLINE_CENTRE:
      for (RegionId r = loc; r != kNoRegion; r = h_->parent(r)) {
        const UnitId u = o_->CommandCentre(r, v1::CENTRE_TYPE_HOTLINE_12345);
        if (u != kNoUnit) return unit(u);
      }
      return {};
    case v1::ROLE_KIND_CITY_OPERATIONS_CENTRE:
      for (RegionId r = loc; r != kNoRegion; r = h_->parent(r)) {
        const UnitId u = o_->CommandCentre(r, v1::CENTRE_TYPE_CITY_OPERATIONS);
        if (u != kNoUnit) return unit(u);
      }
      return {};
    case v1::ROLE_KIND_NAMED_UNIT:
      return unit(role.unit);
    default:
      return {};
  }
}

void Catalogue::ToRole(const CompiledRole& role, v1::Role* out) const {
  out->set_kind(role.kind);
  if (role.department_type >= 0) {
    out->set_department_type(o_->department_type_code(role.department_type));
  }
  if (role.unit != kNoUnit) {
    const absl::string_view unit = o_->code(role.unit);
    out->set_unit_code(unit.data(), unit.size());
  }
}

absl::string_view TrimLegalSpace(absl::string_view text) {
  constexpr absl::string_view kIdeographicSpace = "\xE3\x80\x80";
  absl::string_view rest = absl::StripAsciiWhitespace(text);
  while (absl::ConsumePrefix(&rest, kIdeographicSpace) ||
         absl::ConsumeSuffix(&rest, kIdeographicSpace)) {
    rest = absl::StripAsciiWhitespace(rest);
  }
  return rest;
}

std::string CitedLegalBasis(const v1::LegalBasis& b) {
  const absl::string_view law = TrimLegalSpace(b.law());
  if (!law.empty()) {
    return absl::StrCat(Utf8Prefix(law, 120),
                        Utf8Prefix(TrimLegalSpace(b.article()), 60));
  }
  return std::string(Utf8Prefix(TrimLegalSpace(b.text()), 120));
}

std::string RoleLabel(v1::RoleKind kind, absl::string_view detail) {
  std::string name = v1::RoleKind_Name(kind);
  if (name.empty()) name = absl::StrCat("ROLE_KIND_", static_cast<int>(kind));
  if (!detail.empty()) absl::StrAppend(&name, "(", detail, ")");
  return name;
}

std::string Catalogue::RoleName(const CompiledRole& role) const {
  if (!role.label.empty()) return role.label;
  return RoleLabel(
      role.kind,
      role.department_type >= 0
          ? absl::string_view(o_->department_type_code(role.department_type))
      : role.unit != kNoUnit ? o_->code(role.unit)
                             : absl::string_view());
}

size_t Catalogue::MemoryBytes() const {
  size_t bytes =
      VectorBytes(items_) + item_by_code_.MemoryBytes() +
      VectorBytes(matters_) + VectorBytes(attribute_types_) +
      StringsBytes(attribute_keys_) + VectorBytes(allowed_values_) +
      StringsBytes(string_values_) + lookup_.MemoryBytes() +
      VectorBytes(value_scope_) +
      VectorBytes(rules_) + VectorBytes(roles_) + VectorBytes(predicates_) +
      VectorBytes(set_values_) + VectorBytes(delegations_) +
      VectorBytes(item_delegations_begin_) + VectorBytes(delegation_index_) +
      VectorBytes(delegated_townships_) +
      VectorBytes(township_delegations_begin_) +
      VectorBytes(township_delegations_) + delegated_pairs_.MemoryBytes() +
      VectorBytes(delegation_blocks_) +
      VectorBytes(abolished_) + HashTableBytes(retired_codes_);
  for (const CompiledItem& i : items_) {
    bytes += StringBytes(i.code) + StringBytes(i.name);
  }
  for (const CompiledMatter& m : matters_) {
    bytes += StringBytes(m.code) + StringBytes(m.name);
  }
  for (const std::vector<std::string>& v : allowed_values_) {
    bytes += StringsBytes(v);
  }
  for (const CompiledRule& r : rules_) {
    bytes += StringBytes(r.id) + StringBytes(r.dispute) +
             StringBytes(r.lead.label) + StringBytes(r.supervisor.label);
  }
  for (const CompiledRole& r : roles_) bytes += StringBytes(r.label);
  bytes += StringBytes(role_fields_) + VectorBytes(role_field_ends_);
  for (const CompiledDelegation& d : delegations_) {
    bytes += StringBytes(d.id) + StringBytes(d.document) +
             VectorBytes(d.townships);
  }
  for (const CompiledAbolishedDuty& a : abolished_) {
    bytes += StringBytes(a.code) + StringBytes(a.name) +
             StringsBytes(a.keywords) + StringBytes(a.document);
  }
  // The hash tables' string keys (copies of the codes above).
  for (const std::string& k : retired_codes_) bytes += StringBytes(k);
  return bytes;
}

}  // namespace jiceng
