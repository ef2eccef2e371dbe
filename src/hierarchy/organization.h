// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0
//
// Internal header: not installed, not part of the stable API.
//
// Organization: the compiled index of units (条) attached to the hierarchy
// (块). It answers the questions routing asks of a location: the government
// of a region, its command room, the county department of type T, the
// dispatched unit of type T covering a township, the village committee.
// Validation guarantees each of these is unique (责任主体唯一), so every
// lookup returns one unit or kNoUnit.
//
// Example:
//   RegionId township = hierarchy.township_of(grid);
//   int cg = org.FindDepartmentType("urban_management");
//   UnitId squadron = org.DispatchedCovering(township, cg);
//   UnitId room = org.CommandCentre(township,
//                                   v1::CENTRE_TYPE_TOWNSHIP_COMMAND_ROOM);
//
// Thread safety: immutable after Build. Movable, not copyable.

#ifndef JICENG_SRC_HIERARCHY_ORGANIZATION_H_
#define JICENG_SRC_HIERARCHY_ORGANIZATION_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "jiceng/v1/dataset.pb.h"
#include "src/base/huge_pages.h"
#include "src/base/string_index.h"
#include "src/hierarchy/hierarchy.h"

namespace jiceng {

using UnitId = uint32_t;
inline constexpr UnitId kNoUnit = 0xFFFFFFFFu;

class Organization {
 public:
  // REQUIRES: the dataset passed ValidateDataset() and `hierarchy` was
  // built from it. Returns INVALID_ARGUMENT on a dangling reference rather
  // than crashing if it did not.
  static absl::StatusOr<Organization> Build(const v1::Dataset& dataset,
                                            const Hierarchy& hierarchy);

  Organization(Organization&&) = default;
  Organization& operator=(Organization&&) = default;
  Organization(const Organization&) = delete;
  Organization& operator=(const Organization&) = delete;

  size_t size() const { return units_.size(); }
  // Units are numbered in code order.
  UnitId Find(absl::string_view code) const;

  // The unit's code and name, from two flat tables of every unit's text
  // back to back (32-bit offsets): a decision writer copies a code per
  // handler, and a string in the unit's record would cost two dependent
  // misses (the record, then the string's own buffer), plus 32 bytes and a
  // heap block per unit and string (~6 MB at province scale).
  // kCodeSlack bytes are readable from the start of every code (the codes
  // after it, then zero bytes), so that a writer may copy a fixed-size
  // block, not a call to memcpy of the code's own length.
  static constexpr size_t kCodeSlack = 64;
  absl::string_view code(UnitId id) const {
    return Text(code_text_, code_begin_, id);
  }
  absl::string_view name(UnitId id) const {
    return Text(name_text_, name_begin_, id);
  }
  // From a byte per unit (kinds_), not the 24-byte record: routing asks
  // it of several units per case, and a province's kinds fit in L2.
  v1::UnitKind kind(UnitId id) const {
    return static_cast<v1::UnitKind>(kinds_[id]);
  }
  RegionId region(UnitId id) const { return units_[id].region; }
  UnitId parent(UnitId id) const { return units_[id].parent; }
  // Index into department types, or -1.
  int department_type(UnitId id) const { return units_[id].department_type; }
  v1::OfficeType office_type(UnitId id) const {
    return units_[id].office_type;
  }
  v1::CentreType centre_type(UnitId id) const {
    return units_[id].centre_type;
  }

  size_t department_type_count() const { return type_codes_.size(); }
  // -1 when unknown.
  int FindDepartmentType(absl::string_view code) const;
  const std::string& department_type_code(int type) const {
    return type_codes_[static_cast<size_t>(type)];
  }

  // The government sitting exactly at `region` (county government, township
  // government or street office), or kNoUnit.
  UnitId Government(RegionId region) const;
  UnitId VillageCommittee(RegionId village) const;
  UnitId CommandCentre(RegionId region, v1::CentreType type) const;
  // The coordinating centre at or above `from` (walking `hierarchy`'s
  // parents): at the first region with one, its social-governance centre,
  // else its 一网统管 city-operations centre, else its 12345 centre; kNoUnit
  // when no region up to the root has any.
  UnitId CoordinatingCentre(const Hierarchy& hierarchy, RegionId from) const;
  // The department of `type` sitting exactly at `region` (a county or city).
  UnitId Department(RegionId region, int type) const;
  // The same at the region whose row (see row) is `row`: Department(r, type)
  // where row(r) == row. REQUIRES: `row` is a row; `type` is -1 or a
  // department type.
  UnitId DepartmentInRow(uint32_t row, int type) const {
    if (type < 0) return kNoUnit;
    return Cell(row, kFixedColumns + static_cast<size_t>(type));
  }
  void PrefetchDepartmentInRow(uint32_t row, int type) const {
    if (type < 0 || row == kNoUnit) return;
    __builtin_prefetch(&Cell(row, kFixedColumns + static_cast<size_t>(type)));
  }
  // The dispatched unit of `type` sitting in or covering `township`.
  UnitId DispatchedCovering(RegionId township, int type) const;
  // The township's enforcement team (镇队合一) / joint-enforcement centre
  // (validation allows one of each per township). O(1).
  UnitId EnforcementTeam(RegionId township) const;
  UnitId JointEnforcementCentre(RegionId township) const;
  // The first unit of `kind` sitting exactly at `region` in code order
  // (enforcement teams, joint-enforcement centres, service centres).
  UnitId FirstOfKind(RegionId region, v1::UnitKind kind) const;
  // The window accepting a government-service request at `region` (一窗
  // 受理): its service centre, else its government, else the nearest
  // region's above with one (村代办、乡受理: a village without a station
  // leaves it to its township); kNoUnit when none has one up to the root.
  // Bounded by the hierarchy's depth.
  UnitId ServiceWindow(const Hierarchy& hierarchy, RegionId region) const;
  // All units sitting exactly at `region`, in code order.
  std::vector<UnitId> UnitsAt(RegionId region) const;

  // What routing asks of a township, resolved once at build time (one
  // 32-byte record, so a case's township roles cost one cache line).
  struct TownshipRoles {
    UnitId government = kNoUnit;
    UnitId command_room = kNoUnit;
    UnitId enforcement_team = kNoUnit;
    UnitId joint_centre = kNoUnit;
    // The social-governance centre covering the township (its
    // covered_region_codes), else that of the township's county-level
    // region (Hierarchy::county_of), else the first coordinating centre
    // above (social-governance, city-operations, 12345; as
    // Catalogue::Resolve).
    UnitId county_centre = kNoUnit;
    RegionId county = kNoRegion;
    // The county's row in the dense tables (row(county)), or kNoUnit
    // without a county: its departments are then one read away
    // (DepartmentInRow) instead of two in a row.
    uint32_t county_row = kNoUnit;
    uint32_t unused = 0;
  };
  static_assert(sizeof(TownshipRoles) == 32, "two records per cache line");
  // REQUIRES: `township` is a region at township level.
  const TownshipRoles& township_roles(RegionId township) const {
    return township_roles_[region_row_[township]];
  }

  // The row of `region` in the dense per-region tables (one row per region
  // at township level or above, numbered from 0 in id order), or kNoUnit
  // below township level. Other structures keyed by township may use the
  // same rows: their lookup then reads the line township_roles reads.
  // REQUIRES: `region` is a region of the hierarchy.
  uint32_t row(RegionId region) const { return region_row_[region]; }
  // The number of rows (regions at township level or above).
  size_t row_count() const { return township_roles_.size(); }

  // For callers that fetch ahead (RoutePrefetcher), in two steps: the
  // township's row number, then what routing reads by it — the township's
  // roles record and the dispatched-unit columns of its role table row.
  // REQUIRES: `township` is a region of the hierarchy.
  void PrefetchTownshipRow(RegionId township) const {
    __builtin_prefetch(&region_row_[township]);
  }
  // The committee of the village at or above `location` (a village, or a
  // grid under one); kNoUnit when there is none or the location is above
  // village level. One read of a dense array by region, which a router
  // may fetch as soon as it knows the location: through the village's
  // node and the role map it would be a chain of two or three misses.
  // REQUIRES: `location` is a region of the hierarchy.
  UnitId VillageCommitteeOf(RegionId location) const {
    return village_committee_[location];
  }
  void PrefetchVillageCommittee(RegionId location) const {
    __builtin_prefetch(&village_committee_[location]);
  }
  void PrefetchTownshipRoles(RegionId township) const {
    const uint32_t row = region_row_[township];
    if (row >= township_roles_.size()) return;
    __builtin_prefetch(&township_roles_[row]);
    const size_t types = type_codes_.size();
    if (types == 0) return;
    // Dispatched-unit columns (see Column) of the row.
    const UnitId* dispatched = &Cell(row, columns_ - types);
    __builtin_prefetch(dispatched);
    __builtin_prefetch(dispatched + types - 1);
  }

  size_t MemoryBytes() const;

 private:
  friend class SnapshotCodec;  // src/engine/snapshot.cc
  // Fills the derived structures — kinds_, township_roles_ and
  // village_committee_ — from units_ and the role table (after region_row_
  // and table_ are in place): by Build, and again on loading a snapshot,
  // which does not store them.
  void Derive(const Hierarchy& hierarchy);
  // Appends the next unit's code and name to the text tables (units in id
  // order): false, and nothing appended, when a table would reach 4 GiB
  // (its offsets are 32-bit).
  bool AppendText(absl::string_view code, absl::string_view name);
  static absl::string_view Text(const std::vector<char>& text,
                                const std::vector<uint32_t>& begin,
                                UnitId id) {
    return absl::string_view(text.data() + begin[id],
                             begin[id + 1] - begin[id]);
  }
  // What the snapshot codec does not derive, besides the text tables.
  struct UnitRecord {
    v1::UnitKind kind = v1::UNIT_KIND_UNSPECIFIED;
    RegionId region = kNoRegion;
    UnitId parent = kNoUnit;
    int department_type = -1;
    v1::OfficeType office_type = v1::OFFICE_TYPE_UNSPECIFIED;
    v1::CentreType centre_type = v1::CENTRE_TYPE_UNSPECIFIED;
  };

  static uint64_t RoleKey(RegionId region, uint32_t role) {
    return (static_cast<uint64_t>(region) << 32) | role;
  }
  // Why (region, role) -> `unit` (a by_role_ entry, `key` = RoleKey) is
  // not an entry Build makes, or empty: a role Build uses, held by a unit
  // of that role's kind (and centre or department type), at the unit's
  // own region (a command centre or dispatched unit also at the regions
  // it covers). For verifying a snapshot.
  // REQUIRES: unit < size().
  absl::string_view RoleEntryProblem(uint64_t key, UnitId unit) const;
  // The unit of (region, role): from the dense table when the region is at
  // township level or above, else from the hash map.
  UnitId Lookup(RegionId region, uint32_t role) const;
  // The dense column of a role key, or -1 for roles kept only in the map.
  int Column(uint32_t role) const;

  Organization() = default;

  // Dense columns: government, enforcement team, joint-enforcement
  // centre, the four centre types; then departments and dispatched units
  // by type (see Column).
  static constexpr uint32_t kFixedColumns = 7;
  // The dense table's cell at `row` and `column`.
  const UnitId& Cell(uint32_t row, size_t column) const {
    return table_[static_cast<size_t>(row) * columns_ + column];
  }

  std::vector<UnitRecord> units_;
  // Unit ids by code.
  StringIndex by_code_;
  struct UnitCode {
    const Organization* o;
    absl::string_view operator()(uint32_t id) const { return o->code(id); }
  };
  // Pads the code table with its slack and builds by_code_ from it, by
  // Build and again on loading a snapshot: kNoUnit, or the first unit whose
  // code an earlier one has.
  UnitId IndexCodes();
  std::vector<std::string> type_codes_;
  absl::flat_hash_map<std::string, int> type_by_code_;
  // (region, role) -> unit, role = kind << 16 | subtype.
  absl::flat_hash_map<uint64_t, UnitId> by_role_;
  // The entries of by_region_ for `region` (an equal range).
  absl::Span<const std::pair<RegionId, UnitId>> EntriesAt(
      RegionId region) const;
  // Units sorted by (region, code): UnitsAt is an equal range.
  std::vector<std::pair<RegionId, UnitId>> by_region_;
  // Routing asks the same few roles of the same few thousand townships and
  // counties for every case: a dense table of them (one row per region at
  // township level or above, one column per role) keeps those answers in
  // a few hundred KB of cache instead of random probes into the map.
  HugePageVector<uint32_t> region_row_;  // per RegionId; kNoUnit = no row
  std::vector<UnitId> table_;         // row * columns_ + column
  uint32_t columns_ = 0;
  // By row of table_ (filled for township rows only).
  std::vector<TownshipRoles> township_roles_;
  // Per RegionId (derived): VillageCommitteeOf.
  HugePageVector<UnitId> village_committee_;
  // units_[id].kind, a byte per unit.
  std::vector<uint8_t> kinds_;
  // Every unit's code back to back, in id order; unit u's is [code_begin_[u],
  // code_begin_[u + 1]) (size() + 1 entries), and kCodeSlack zero bytes
  // follow the last once IndexCodes has run. The same for names, without
  // the slack.
  std::vector<char> code_text_;
  std::vector<uint32_t> code_begin_{0};
  std::vector<char> name_text_;
  std::vector<uint32_t> name_begin_{0};
};

}  // namespace jiceng

#endif  // JICENG_SRC_HIERARCHY_ORGANIZATION_H_
