// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0

#include "src/hierarchy/organization.h"

#include <algorithm>
#include <cstdint>
#include <numeric>

#include "absl/strings/str_cat.h"
#include "src/base/hash_tables.h"
#include "src/base/memory_bytes.h"

namespace jiceng {
static_assert(v1::UnitKind_MIN >= 0 && v1::UnitKind_MAX <= 0xFF,
              "Organization::kinds_ holds a byte");

namespace {

constexpr uint32_t kRoleDispatchedBase = 1u << 20;

uint32_t Role(v1::UnitKind kind, uint32_t subtype) {
  return (static_cast<uint32_t>(kind) << 16) | subtype;
}

}  // namespace

absl::StatusOr<Organization> Organization::Build(const v1::Dataset& dataset,
                                                 const Hierarchy& hierarchy) {
  Organization org;
  for (int i = 0; i < dataset.department_types_size(); ++i) {
    const std::string& code = dataset.department_types(i).code();
    SafeEmplace(&org.type_by_code_, code,
                static_cast<int>(org.type_codes_.size()));
    org.type_codes_.push_back(code);
  }

  // Number units in code order so that ids (and everything printed from
  // them) do not depend on the order of the dataset's list.
  const int n = dataset.units_size();
  std::vector<int> order(static_cast<size_t>(n));
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](int a, int b) {
    return dataset.units(a).code() < dataset.units(b).code();
  });
  org.units_.resize(static_cast<size_t>(n));
  size_t code_bytes = 0, name_bytes = 0;
  for (const v1::Unit& u : dataset.units()) {
    code_bytes += u.code().size();
    name_bytes += u.name().size();
  }
  org.code_text_.reserve(std::min<size_t>(code_bytes, UINT32_MAX));
  org.name_text_.reserve(std::min<size_t>(name_bytes, UINT32_MAX));
  org.code_begin_.reserve(static_cast<size_t>(n) + 1);
  org.name_begin_.reserve(static_cast<size_t>(n) + 1);
  for (int id = 0; id < n; ++id) {
    const v1::Unit& u = dataset.units(order[static_cast<size_t>(id)]);
    if (!org.AppendText(u.code(), u.name())) {
      return absl::InvalidArgumentError(
          "units: codes or names over 4 GiB in all");
    }
  }
  const UnitId duplicate = org.IndexCodes();
  if (duplicate != kNoUnit) {
    return absl::InvalidArgumentError(
        absl::StrCat("unit ", org.code(duplicate), " code: duplicate"));
  }
  for (int id = 0; id < n; ++id) {
    const v1::Unit& u = dataset.units(order[static_cast<size_t>(id)]);
    UnitRecord& rec = org.units_[static_cast<size_t>(id)];
    rec.kind = u.kind();
    rec.office_type = u.office_type();
    rec.centre_type = u.centre_type();
    rec.region = hierarchy.Find(u.region_code());
    if (rec.region == kNoRegion) {
      return absl::InvalidArgumentError(
          absl::StrCat("unit ", u.code(), " region_code: unknown region \"",
                       u.region_code(), "\""));
    }
    if (!u.parent_unit_code().empty()) {
      rec.parent = org.Find(u.parent_unit_code());
      if (rec.parent == kNoUnit) {
        return absl::InvalidArgumentError(absl::StrCat(
            "unit ", u.code(), " parent_unit_code: unknown unit \"",
            u.parent_unit_code(), "\""));
      }
    }
    std::string type = u.department_type();
    if (type.empty() && rec.kind == v1::UNIT_KIND_DISPATCHED &&
        rec.parent != kNoUnit) {
      // A dispatched unit's type defaults to its department's.
      type = dataset.units(order[rec.parent]).department_type();
    }
    if (!type.empty()) {
      rec.department_type = org.FindDepartmentType(type);
      if (rec.department_type < 0) {
        return absl::InvalidArgumentError(
            absl::StrCat("unit ", u.code(), " department_type: unknown \"",
                         type, "\""));
      }
    }
  }

  // Role index.
  for (UnitId id = 0; id < static_cast<UnitId>(n); ++id) {
    const UnitRecord& rec = org.units_[id];
    const v1::Unit& u = dataset.units(order[id]);
    switch (rec.kind) {
      case v1::UNIT_KIND_GOVERNMENT:
      case v1::UNIT_KIND_VILLAGE_COMMITTEE:
      case v1::UNIT_KIND_ENFORCEMENT_TEAM:
      case v1::UNIT_KIND_JOINT_ENFORCEMENT_CENTRE:
        // Ids ascend in code order and emplace keeps the first: the
        // first unit in code order answers.
        SafeEmplace(&org.by_role_, RoleKey(rec.region, Role(rec.kind, 0)), id);
        break;
      case v1::UNIT_KIND_COMMAND_CENTRE: {
        // Its own region, and the townships it is stationed to serve
        // (validation keeps one centre of a type per township).
        const uint32_t role =
            Role(rec.kind, static_cast<uint32_t>(rec.centre_type));
        SafeEmplace(&org.by_role_, RoleKey(rec.region, role), id);
        for (const std::string& c : u.covered_region_codes()) {
          const RegionId t = hierarchy.Find(c);
          if (t != kNoRegion) SafeEmplace(&org.by_role_, RoleKey(t, role), id);
        }
        break;
      }
      case v1::UNIT_KIND_DEPARTMENT:
        if (rec.department_type >= 0) {
          SafeEmplace(&org.by_role_,
                      RoleKey(rec.region,
                              Role(rec.kind,
                                   static_cast<uint32_t>(rec.department_type))),
                      id);
        }
        break;
      case v1::UNIT_KIND_DISPATCHED:
        if (rec.department_type >= 0) {
          const uint32_t role =
              kRoleDispatchedBase + static_cast<uint32_t>(rec.department_type);
          SafeEmplace(&org.by_role_, RoleKey(rec.region, role), id);
          for (const std::string& c : u.covered_region_codes()) {
            const RegionId t = hierarchy.Find(c);
            if (t != kNoRegion)
              SafeEmplace(&org.by_role_, RoleKey(t, role), id);
          }
        }
        break;
      default:
        break;
    }
    org.by_region_.emplace_back(rec.region, id);
  }
  // The dense table: rows for regions at township level and above.
  org.region_row_.assign(hierarchy.size(), kNoUnit);
  uint32_t rows = 0;
  for (RegionId r = 0; r < hierarchy.size(); ++r) {
    if (hierarchy.level(r) <= v1::REGION_LEVEL_TOWNSHIP) {
      org.region_row_[r] = rows++;
    }
  }
  org.columns_ = kFixedColumns + 2 * static_cast<uint32_t>(org.type_codes_.size());
  org.table_.assign(static_cast<size_t>(rows) * org.columns_, kNoUnit);
  for (const auto& [key, unit] : org.by_role_) {
    const RegionId region = static_cast<RegionId>(key >> 32);
    const int column = org.Column(static_cast<uint32_t>(key));
    const uint32_t row = org.region_row_[region];
    if (column >= 0 && row != kNoUnit) {
      org.table_[static_cast<size_t>(row) * org.columns_ +
                 static_cast<size_t>(column)] = unit;
    }
  }

  org.Derive(hierarchy);

  // Ids are in code order already, so sorting by region keeps code order
  // within a region.
  std::stable_sort(org.by_region_.begin(), org.by_region_.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  return org;
}

bool Organization::AppendText(absl::string_view code, absl::string_view name) {
  if (code.size() > UINT32_MAX - code_text_.size() ||
      name.size() > UINT32_MAX - name_text_.size()) {
    return false;
  }
  code_text_.insert(code_text_.end(), code.begin(), code.end());
  code_begin_.push_back(static_cast<uint32_t>(code_text_.size()));
  name_text_.insert(name_text_.end(), name.begin(), name.end());
  name_begin_.push_back(static_cast<uint32_t>(name_text_.size()));
  return true;
}

void Organization::Derive(const Hierarchy& hierarchy) {
  kinds_.resize(units_.size());
  for (size_t id = 0; id < units_.size(); ++id) {
    // UnitKind values fit a byte (static_assert at the top of this file).
    kinds_[id] = static_cast<uint8_t>(units_[id].kind);
  }
  // Each region's village committee: a village's own; below it, its
  // parent's, known already (regions are numbered in pre-order, parents
  // first: Hierarchy::Build lays them out so, and a snapshot is checked
  // for it).
  village_committee_.assign(hierarchy.size(), kNoUnit);
  for (RegionId r = 0; r < hierarchy.size(); ++r) {
    const v1::RegionLevel level = hierarchy.level(r);
    const RegionId parent = hierarchy.parent(r);
    if (level == v1::REGION_LEVEL_VILLAGE) {
      village_committee_[r] = VillageCommittee(r);
    } else if (level > v1::REGION_LEVEL_VILLAGE && parent != kNoRegion) {
      village_committee_[r] = village_committee_[parent];
    }
  }
  uint32_t rows = 0;
  for (uint32_t row : region_row_) rows += row != kNoUnit;
  township_roles_.assign(rows, TownshipRoles{});
  for (RegionId r = 0; r < hierarchy.size(); ++r) {
    if (hierarchy.level(r) != v1::REGION_LEVEL_TOWNSHIP ||
        r >= region_row_.size() || region_row_[r] >= rows) {
      continue;
    }
    TownshipRoles& t = township_roles_[region_row_[r]];
    t.government = Government(r);
    t.command_room =
        CommandCentre(r, v1::CENTRE_TYPE_TOWNSHIP_COMMAND_ROOM);
    t.enforcement_team = EnforcementTeam(r);
    t.joint_centre = JointEnforcementCentre(r);
    t.county = hierarchy.county_of(r);
    if (t.county != kNoRegion && t.county < region_row_.size()) {
      t.county_row = region_row_[t.county];
    }
    // A social-governance centre covering the township (a neighbouring
    // county's serving it), else its county's.
    t.county_centre = CommandCentre(r, v1::CENTRE_TYPE_COUNTY_SOCIAL_GOVERNANCE);
    if (t.county_centre == kNoUnit && t.county != kNoRegion) {
      t.county_centre =
          CommandCentre(t.county, v1::CENTRE_TYPE_COUNTY_SOCIAL_GOVERNANCE);
    }
    // A county without a centre of its own (or a township without a
    // county) is served from above, as Catalogue::Resolve says: the first
    // region at or above the county with a social-governance centre, else
    // a city-operations centre, else a 12345 centre.
    if (t.county_centre == kNoUnit) {
      t.county_centre =
          CoordinatingCentre(hierarchy, t.county != kNoRegion ? t.county : r);
    }
  }
}

UnitId Organization::CoordinatingCentre(const Hierarchy& hierarchy,
                                        RegionId from) const {
  for (RegionId r = from; r != kNoRegion; r = hierarchy.parent(r)) {
    for (v1::CentreType type :
         {v1::CENTRE_TYPE_COUNTY_SOCIAL_GOVERNANCE,
          v1::CENTRE_TYPE_CITY_OPERATIONS, v1::CENTRE_TYPE_HOTLINE_12345}) {
      const UnitId u = CommandCentre(r, type);
      if (u != kNoUnit) return u;
    }
  }
  return kNoUnit;
}

UnitId Organization::IndexCodes() {
  // The codes are complete: the slack after them (code()), in a block of
  // exactly that size rather than one a growing vector doubles.
  const size_t padded = size_t{code_begin_.back()} + kCodeSlack;
  if (code_text_.size() != padded) {
    code_text_.resize(code_begin_.back());
    code_text_.reserve(padded);
    code_text_.resize(padded, '\0');
  }
  uint32_t duplicate = 0;
  by_code_ = StringIndex::Build(static_cast<uint32_t>(units_.size()),
                                UnitCode{this}, &duplicate);
  return duplicate == units_.size() ? kNoUnit : duplicate;
}

UnitId Organization::Find(absl::string_view code) const {
  const uint32_t id = by_code_.Find(code, UnitCode{this});
  return id == StringIndex::kAbsent ? kNoUnit : id;
}

int Organization::FindDepartmentType(absl::string_view code) const {
  auto it = type_by_code_.find(code);
  return it == type_by_code_.end() ? -1 : it->second;
}

int Organization::Column(uint32_t role) const {
  const uint32_t kind = role >> 16;
  const uint32_t sub = role & 0xFFFFu;
  if (role >= kRoleDispatchedBase) {
    return static_cast<int>(kFixedColumns + type_codes_.size() +
                            (role - kRoleDispatchedBase));
  }
  switch (kind) {
    case v1::UNIT_KIND_GOVERNMENT:
      return 0;
    case v1::UNIT_KIND_ENFORCEMENT_TEAM:
      return 1;
    case v1::UNIT_KIND_JOINT_ENFORCEMENT_CENTRE:
      return 2;
    case v1::UNIT_KIND_COMMAND_CENTRE:
      return sub >= 1 && sub <= 4 ? static_cast<int>(2 + sub) : -1;
    case v1::UNIT_KIND_DEPARTMENT:
      return static_cast<int>(kFixedColumns + sub);
    default:
      return -1;  // village committees: villages have no row
  }
}

absl::string_view Organization::RoleEntryProblem(uint64_t key,
                                                 UnitId unit) const {
  const RegionId region = static_cast<RegionId>(key >> 32);
  const uint32_t role = static_cast<uint32_t>(key);
  const UnitRecord& u = units_[unit];
  // Command centres and dispatched units answer for the regions they
  // cover too (the role index of Build).
  bool may_cover = false;
  if (role >= kRoleDispatchedBase) {
    if (u.kind != v1::UNIT_KIND_DISPATCHED || u.department_type < 0 ||
        role - kRoleDispatchedBase !=
            static_cast<uint32_t>(u.department_type)) {
      return "not a dispatched unit of the role's department type";
    }
    may_cover = true;
  } else {
    const uint32_t kind = role >> 16;
    const uint32_t sub = role & 0xFFFFu;
    switch (kind) {
      case v1::UNIT_KIND_GOVERNMENT:
      case v1::UNIT_KIND_VILLAGE_COMMITTEE:
      case v1::UNIT_KIND_ENFORCEMENT_TEAM:
      case v1::UNIT_KIND_JOINT_ENFORCEMENT_CENTRE:
        if (sub != 0 || static_cast<uint32_t>(u.kind) != kind) {
          return "not a unit of the role's kind";
        }
        break;
      case v1::UNIT_KIND_COMMAND_CENTRE:
        if (static_cast<uint32_t>(u.kind) != kind ||
            sub != static_cast<uint32_t>(u.centre_type)) {
          return "not a command centre of the role's centre type";
        }
        may_cover = true;
        break;
      case v1::UNIT_KIND_DEPARTMENT:
        if (static_cast<uint32_t>(u.kind) != kind || u.department_type < 0 ||
            sub != static_cast<uint32_t>(u.department_type)) {
          return "not a department of the role's department type";
        }
        break;
      default:
        return "not a role the organisation index holds";
    }
  }
  if (!may_cover && region != u.region) return "the unit sits elsewhere";
  return {};
}

UnitId Organization::Lookup(RegionId region, uint32_t role) const {
  if (region < region_row_.size()) {
    const uint32_t row = region_row_[region];
    const int column = Column(role);
    if (row != kNoUnit && column >= 0) {
      return Cell(row, static_cast<size_t>(column));
    }
  }
  auto it = by_role_.find(RoleKey(region, role));
  return it == by_role_.end() ? kNoUnit : it->second;
}

UnitId Organization::Government(RegionId region) const {
  return Lookup(region, Role(v1::UNIT_KIND_GOVERNMENT, 0));
}

UnitId Organization::EnforcementTeam(RegionId township) const {
  return Lookup(township, Role(v1::UNIT_KIND_ENFORCEMENT_TEAM, 0));
}

UnitId Organization::JointEnforcementCentre(RegionId township) const {
  return Lookup(township, Role(v1::UNIT_KIND_JOINT_ENFORCEMENT_CENTRE, 0));
}

UnitId Organization::VillageCommittee(RegionId village) const {
  auto it = by_role_.find(
      RoleKey(village, Role(v1::UNIT_KIND_VILLAGE_COMMITTEE, 0)));
  return it == by_role_.end() ? kNoUnit : it->second;
}

UnitId Organization::CommandCentre(RegionId region,
                                   v1::CentreType type) const {
  return Lookup(region, Role(v1::UNIT_KIND_COMMAND_CENTRE,
                             static_cast<uint32_t>(type)));
}

UnitId Organization::Department(RegionId region, int type) const {
  if (type < 0) return kNoUnit;
  return Lookup(region,
                Role(v1::UNIT_KIND_DEPARTMENT, static_cast<uint32_t>(type)));
}

UnitId Organization::DispatchedCovering(RegionId township, int type) const {
  if (type < 0) return kNoUnit;
  return Lookup(township, kRoleDispatchedBase + static_cast<uint32_t>(type));
}

absl::Span<const std::pair<RegionId, UnitId>> Organization::EntriesAt(
    RegionId region) const {
  auto lo = std::lower_bound(
      by_region_.begin(), by_region_.end(), region,
      [](const std::pair<RegionId, UnitId>& e, RegionId r) {
        return e.first < r;
      });
  auto hi = lo;
  while (hi != by_region_.end() && hi->first == region) ++hi;
  return absl::MakeConstSpan(by_region_.data() + (lo - by_region_.begin()),
                             static_cast<size_t>(hi - lo));
}

std::vector<UnitId> Organization::UnitsAt(RegionId region) const {
  std::vector<UnitId> out;
  for (const auto& e : EntriesAt(region)) out.push_back(e.second);
  return out;
}

UnitId Organization::ServiceWindow(const Hierarchy& hierarchy,
                                   RegionId region) const {
  for (RegionId r = region; r != kNoRegion; r = hierarchy.parent(r)) {
    UnitId window = FirstOfKind(r, v1::UNIT_KIND_SERVICE_CENTRE);
    if (window == kNoUnit) window = Government(r);
    if (window != kNoUnit) return window;
  }
  return kNoUnit;
}

UnitId Organization::FirstOfKind(RegionId region, v1::UnitKind kind) const {
  // In code order, without UnitsAt's vector (service routing asks this
  // per request and allocates nothing).
  for (const auto& e : EntriesAt(region)) {
    if (units_[e.second].kind == kind) return e.second;
  }
  return kNoUnit;
}

size_t Organization::MemoryBytes() const {
  size_t bytes = VectorBytes(units_) + VectorBytes(region_row_) +
                 VectorBytes(table_) + VectorBytes(by_region_) +
                 VectorBytes(township_roles_) + VectorBytes(kinds_) +
                 VectorBytes(code_text_) + VectorBytes(code_begin_) +
                 VectorBytes(name_text_) + VectorBytes(name_begin_) +
                 VectorBytes(village_committee_) +
                 HashTableBytes(by_role_) + by_code_.MemoryBytes() +
                 StringsBytes(type_codes_) + HashTableBytes(type_by_code_);
  for (const auto& [code, type] : type_by_code_) bytes += StringBytes(code);
  return bytes;
}

}  // namespace jiceng
