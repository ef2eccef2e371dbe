// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0

#include "src/dataset/validate.h"

#include <cstdint>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "src/assessment/assessment_policy.h"
#include "src/base/civil_date.h"
#include "src/base/hash_tables.h"
#include "src/base/utf8.h"
#include "src/calendar/work_calendar.h"
#include "src/catalogue/validate_catalogue.h"
#include "src/dataset/enum_check.h"
#include "src/dataset/identifiers.h"
#include "src/hierarchy/hierarchy.h"
#include "src/hierarchy/region_code.h"
#include "src/lifecycle/lifecycle_policy.h"
#include "src/routing/routing_policy.h"

namespace jiceng {
namespace {

constexpr uint32_t kNone = 0xFFFFFFFFu;

absl::string_view LevelName(v1::RegionLevel level) {
  const absl::string_view name = RegionLevelName(level);
  return name.empty() ? absl::string_view("unspecified level") : name;
}

// How many leading digits identify a region of this level: the rest of a
// 12-digit statistical code is zero padding.
int SignificantDigits(v1::RegionLevel level, uint64_t key) {
  switch (level) {
    case v1::REGION_LEVEL_PROVINCE:
      return kProvinceEnd;
    case v1::REGION_LEVEL_CITY:
      return kCityEnd;
    case v1::REGION_LEVEL_COUNTY:
      return kCountyEnd;
    case v1::REGION_LEVEL_TOWNSHIP:
      return kTownshipEnd;
    case v1::REGION_LEVEL_VILLAGE:
      return kVillageEnd;
    default:
      return CodeLength(key);
  }
}

bool SamePrefix(uint64_t a, uint64_t b, int digits) {
  return CodeDigits(a, 0, digits) == CodeDigits(b, 0, digits);
}

struct RegionInfo {
  uint64_t key = 0;       // 0 when the code is malformed
  uint32_t parent = kNone;
  v1::RegionLevel level = v1::REGION_LEVEL_UNSPECIFIED;
  bool usable = false;    // well-formed and not a duplicate
};

class Validator {
 public:
  explicit Validator(const v1::Dataset& d) : d_(d) {}

  ProblemList Run(absl::optional<Hierarchy>* hierarchy) && {
    CheckEnums();
    CheckMeta();
    CheckRegions();
    const int region_errors = p_.error_count();
    CheckDepartmentTypes();
    CheckUnits();
    CheckPoliceGrids();
    // Scope checks of the catalogue reason over township sets: they need
    // the compiled hierarchy, which needs clean regions (and police grids:
    // Build refuses dangling links).
    if (region_errors == 0) {
      absl::StatusOr<Hierarchy> h = Hierarchy::Build(d_);
      if (h.ok()) hierarchy->emplace(std::move(*h));
    }
    absl::flat_hash_set<std::string> unit_codes;
    ReserveRoom(&unit_codes, unit_index_.size());
    for (const auto& [code, index] : unit_index_) SafeInsert(&unit_codes, code);
    auto level_of = [this](absl::string_view code) {
      const uint32_t r = FindRegion(code);
      return r == kNone ? v1::REGION_LEVEL_UNSPECIFIED : regions_[r].level;
    };
    // The calendar first: the catalogue compares service limits in working
    // hours with ones in working days by its working minutes per day.
    const int before_calendar = p_.error_count();
    ValidateCalendar(d_.calendar(), &p_);
    const int working_minutes_per_day =
        p_.error_count() == before_calendar
            ? WorkCalendar::WorkingMinutesPerDay(d_.calendar())
            : 0;
    CatalogueContext context{level_of, &department_types_, &unit_codes,
                             hierarchy->has_value() ? &**hierarchy : nullptr,
                             working_minutes_per_day};
    ValidateCatalogue(d_, context, &p_);
    ValidateRoutingPolicy(d_.routing_policy(), &p_);
    ValidateLifecyclePolicy(d_.lifecycle_policy(), &p_);
    ValidateAssessmentPolicy(d_.assessment_policy(), "", &p_);
    return std::move(p_);
  }

 private:
  void RegionError(int i, absl::string_view rule, absl::string_view field,
                   absl::string_view message) {
    p_.Error(rule, "region", ElementCode(d_.regions(i).code(), i), field,
             message);
  }
  void UnitError(int i, absl::string_view rule, absl::string_view field,
                 absl::string_view message) {
    p_.Error(rule, "unit", ElementCode(d_.units(i).code(), i), field, message);
  }

  // Whether region `a` is `b` or one of its ancestors. Bounded walk: a
  // valid hierarchy is at most 7 deep, and cycles must not hang us.
  bool RegionContains(uint32_t a, uint32_t b) const {
    for (int steps = 0; b != kNone && steps < 16; ++steps) {
      if (a == b) return true;
      b = regions_[b].parent;
    }
    return false;
  }

  uint32_t FindRegion(absl::string_view code) const {
    absl::optional<uint64_t> key = RegionKeyFromCode(code);
    if (!key) return kNone;
    auto it = region_index_.find(*key);
    return it == region_index_.end() ? kNone : it->second;
  }

  void CheckEnums();
  void CheckMeta();
  void CheckRegions();
  void CheckRegionFields(int i);
  void CheckRegionParents();
  void CheckCycles();
  void CheckDepartmentTypes();
  void CheckUnits();
  void CheckPoliceGrids();

  const v1::Dataset& d_;
  ProblemList p_;
  std::vector<RegionInfo> regions_;
  absl::flat_hash_map<uint64_t, uint32_t> region_index_;
  absl::flat_hash_set<std::string> department_types_;
  absl::flat_hash_map<std::string, uint32_t> unit_index_;
};

// Enum fields whose undefined values a specific rule reports already
// (with a message of its own): the generic check leaves them to it.
bool EnumReportedElsewhere(const google::protobuf::FieldDescriptor& f) {
  // A plain array: nothing to allocate (validation runs under the C ABI's
  // out-of-memory sweep), and seven comparisons per undefined value found.
  static constexpr absl::string_view kFields[] = {
      "jiceng.v1.Region.level",                  // region.missing_level
      "jiceng.v1.Duration.unit",                 // the policies' *.duration,
                                                 // *.limits, item.service_limit
      "jiceng.v1.Role.kind",                     // rule.role, scenario.role
      "jiceng.v1.AttributeDefinition.type",      // attribute.missing_type
      "jiceng.v1.Item.list_type",                // item.missing_list_type
      "jiceng.v1.ServiceTerms.accepting_level",  // item.service_level
      "jiceng.v1.ServiceTerms.approving_level",  // item.service_level
  };
  for (absl::string_view name : kFields) {
    if (f.full_name() == name) return true;
  }
  return false;
}

// "regions" -> "region", "abolished_duties" -> "abolished_duty".
std::string Singular(absl::string_view plural) {
  if (absl::EndsWith(plural, "ies")) {
    return absl::StrCat(plural.substr(0, plural.size() - 3), "y");
  }
  return std::string(absl::StripSuffix(plural, "s"));
}

// An element's code for problems: its "code", "id" or "key" field.
std::string CodeOf(const google::protobuf::Message& m, int index) {
  const google::protobuf::Descriptor& d = *m.GetDescriptor();
  for (const char* name : {"code", "id", "key"}) {
    const google::protobuf::FieldDescriptor* f = d.FindFieldByName(name);
    if (f != nullptr && !f->is_repeated() &&
        f->type() == google::protobuf::FieldDescriptor::TYPE_STRING) {
      std::string scratch;
      return ElementCode(m.GetReflection()->GetStringReference(m, f, &scratch),
                         index);
    }
  }
  return ElementCode("", index);
}

// Every enum value the enum does not define, as "<kind>.enum" on its
// element: the elements of the dataset's and the catalogue's lists (kind
// from the list's name, code from the element's), the policies and the
// calendar as themselves. Before the other checks, which may take an
// enum's value for one of its names.
void Validator::CheckEnums() {
  using google::protobuf::FieldDescriptor;
  using google::protobuf::Message;
  // `index`: the element's position in its list, -1 for a message that
  // is not an element of one (it has no code). The code is looked up only
  // for a problem to report.
  auto report = [this](const Message& m, const std::string& kind, int index) {
    FindUndefinedEnums(m, [&](const UndefinedEnum& found) {
      if (!EnumReportedElsewhere(*found.field)) {
        p_.Error(absl::StrCat(kind, ".enum"), kind,
                 index < 0 ? std::string() : CodeOf(m, index), found.path,
                 DescribeUndefinedEnum(found));
      }
      return true;
    });
  };
  // The message fields of `holder` (the dataset, then its catalogue).
  auto walk = [&](const Message& holder) {
    const google::protobuf::Reflection& r = *holder.GetReflection();
    const google::protobuf::Descriptor& d = *holder.GetDescriptor();
    for (int k = 0; k < d.field_count(); ++k) {
      const FieldDescriptor* f = d.field(k);
      if (f->type() != FieldDescriptor::TYPE_MESSAGE ||
          f->message_type() == v1::Catalogue::descriptor()) {
        continue;
      }
      if (f->is_repeated()) {
        const std::string kind = Singular(f->name());
        for (int i = 0; i < r.FieldSize(holder, f); ++i) {
          const Message& m = r.GetRepeatedMessage(holder, f, i);
          report(m, kind, i);
        }
      } else if (r.HasField(holder, f)) {
        report(r.GetMessage(holder, f), f->name(), -1);
      }
    }
  };
  walk(d_);
  walk(d_.catalogue());
}

void Validator::CheckMeta() {
  const v1::DatasetMeta& m = d_.meta();
  if (m.id().empty()) {
    p_.Error("meta.missing_id", "meta", "", "id", "the dataset has no id");
  }
  if (m.effective_date().empty()) return;
  const absl::optional<int32_t> day = ParseIsoDate(m.effective_date());
  if (!day) {
    p_.Error("meta.effective_date", "meta", m.id(), "effective_date",
             absl::StrCat("\"", Utf8Prefix(m.effective_date(), 48),
                          "\" is not a date of the form YYYY-MM-DD"));
    return;
  }
  // The date analysis and admission review default to, and deadlines are
  // computed from: it must lie in the calendar's range. Judged only when
  // the range parses and is ordered (calendar.* reports it otherwise).
  const v1::WorkCalendar& cal = d_.calendar();
  const absl::optional<int32_t> first = ParseIsoDate(cal.first_date());
  const absl::optional<int32_t> last = ParseIsoDate(cal.last_date());
  if (first && last && *first <= *last && (*day < *first || *day > *last)) {
    p_.Error(
        "meta.effective_date", "meta", m.id(), "effective_date",
        absl::StrCat("effective_date ", Quoted(m.effective_date()),
                     " lies outside the work calendar's range ",
                     Quoted(cal.first_date()), " to ", Quoted(cal.last_date()),
                     ": deadlines, analysis and admission review on "
                     "that date would all fail"));
  }
}

void Validator::CheckRegions() {
  const int n = d_.regions_size();
  if (static_cast<size_t>(n) > kMaxRegions) {
    p_.Error("region.too_many", "region", "", "regions",
             absl::StrCat(n, " regions; at most ", kMaxRegions,
                          " are allowed"));
  }
  regions_.resize(static_cast<size_t>(n));
  ReserveRoom(&region_index_, static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) CheckRegionFields(i);
  CheckRegionParents();
  CheckCycles();
}

void Validator::CheckRegionFields(int i) {
  const v1::Region& r = d_.regions(i);
  RegionInfo& info = regions_[static_cast<size_t>(i)];
  info.level = r.level();

  if (r.name().empty()) {
    RegionError(i, "region.missing_name", "name", "the region has no name");
  }
  const bool level_known = r.level() >= v1::REGION_LEVEL_PROVINCE &&
                           r.level() <= v1::REGION_LEVEL_GRID;
  if (!level_known) {
    RegionError(i, "region.missing_level", "level",
                r.level() == v1::REGION_LEVEL_UNSPECIFIED
                    ? "level is unspecified"
                    : absl::StrCat("unknown level ", r.level()));
  }

  // Level-specific fields on other levels.
  const bool township = r.level() == v1::REGION_LEVEL_TOWNSHIP;
  const bool village = r.level() == v1::REGION_LEVEL_VILLAGE;
  const bool grid = r.level() == v1::REGION_LEVEL_GRID;
  auto misplaced = [&](absl::string_view field, absl::string_view where) {
    RegionError(i, "region.field_for_level", field,
                absl::StrCat(field, " is only allowed on ", where,
                             " regions, not on a ", LevelName(r.level())));
  };
  if (!township && r.township_kind() != v1::TOWNSHIP_KIND_UNSPECIFIED) {
    misplaced("township_kind", "township");
  }
  if (!township && r.township_class() != v1::TOWNSHIP_CLASS_UNSPECIFIED) {
    misplaced("township_class", "township");
  }
  if (!village && r.village_kind() != v1::VILLAGE_KIND_UNSPECIFIED) {
    misplaced("village_kind", "village");
  }
  if (!village && !grid &&
      r.urban_rural_class() != v1::URBAN_RURAL_CLASS_UNSPECIFIED) {
    misplaced("urban_rural_class", "village and grid");
  }
  if (!grid && r.grid_kind() != v1::GRID_KIND_UNSPECIFIED) {
    misplaced("grid_kind", "grid");
  }
  if (!grid && r.has_staffing()) misplaced("staffing", "grid");
  if (r.dedicated_site() != v1::DEDICATED_GRID_SITE_UNSPECIFIED &&
      r.grid_kind() != v1::GRID_KIND_DEDICATED) {
    misplaced("dedicated_site", "dedicated grid");
  }
  if (grid) {
    if (r.grid_kind() == v1::GRID_KIND_UNSPECIFIED) {
      RegionError(i, "region.grid_kind", "grid_kind",
                  "a grid must say whether it is a base, dedicated or micro "
                  "grid");
    }
    if (r.grid_kind() == v1::GRID_KIND_DEDICATED &&
        r.dedicated_site() == v1::DEDICATED_GRID_SITE_UNSPECIFIED) {
      RegionError(i, "region.dedicated_site", "dedicated_site",
                  "a dedicated grid must name the site it covers");
    }
    const v1::GridStaffing& s = r.staffing();
    if (s.heads() < 0 || s.full_time() < 0 || s.part_time() < 0 ||
        s.volunteers() < 0) {
      RegionError(i, "region.staffing", "staffing",
                  "staffing counts must not be negative");
    } else if (r.grid_kind() == v1::GRID_KIND_BASE &&
               (s.heads() < 1 || s.full_time() < 1 || s.part_time() < 2)) {
      p_.Warning("region.staffing", "region", ElementCode(r.code(), i),
                 "staffing",
                 absl::StrCat("staffing ", s.heads(), "+", s.full_time(), "+",
                              s.part_time(), "+", s.volunteers(),
                              " is below the 1+1+2+N standard (1 head, 1 "
                              "full-time, 2 part-time workers)"));
    }
  }

  // The code.
  absl::optional<uint64_t> key = RegionKeyFromCode(r.code());
  if (!key) {
    RegionError(i, "region.malformed_code", "code",
                absl::StrCat("\"", Utf8Prefix(r.code(), 64),
                             "\" is not 3-18 digits without a leading zero"));
    return;
  }
  const int len = CodeLength(*key);
  if (level_known) {
    if (r.level() <= v1::REGION_LEVEL_VILLAGE && len != kVillageEnd) {
      RegionError(i, "region.malformed_code", "code",
                  absl::StrCat("a ", LevelName(r.level()),
                               " code has 12 digits, not ", len));
      return;
    }
    if (grid && r.grid_kind() != v1::GRID_KIND_MICRO && len != 14 &&
        len != 15) {
      RegionError(i, "region.malformed_code", "code",
                  absl::StrCat("a grid code has 14 or 15 digits, not ", len));
      return;
    }
    if (grid && r.grid_kind() == v1::GRID_KIND_MICRO && len < 16) {
      RegionError(i, "region.malformed_code", "code",
                  absl::StrCat("a micro-grid code extends its base grid's "
                               "code by 2 or 3 digits; ",
                               len, " digits is too short"));
      return;
    }
    // Segments: the level's own segment non-zero, lower ones zero.
    struct Segment {
      int begin, end;
      const char* name;
    };
    static constexpr Segment kSegments[] = {{0, kProvinceEnd, "province"},
                                            {kProvinceEnd, kCityEnd, "city"},
                                            {kCityEnd, kCountyEnd, "county"},
                                            {kCountyEnd, kTownshipEnd,
                                             "township"},
                                            {kTownshipEnd, kVillageEnd,
                                             "village"}};
    const int own = static_cast<int>(r.level()) - 1;  // index in kSegments
    if (r.level() <= v1::REGION_LEVEL_VILLAGE) {
      const Segment& s = kSegments[own];
      // A township of a city with no county level keeps county digits 00,
      // so only the level's own segment must be non-zero.
      if (CodeDigits(*key, s.begin, s.end) == 0) {
        RegionError(i, "region.segment", "code",
                    absl::StrCat("the ", s.name, " digits of a ",
                                 LevelName(r.level()), " code must not be "
                                 "zero"));
      } else if (!CodeZeroFrom(*key, s.end)) {
        RegionError(i, "region.segment", "code",
                    absl::StrCat("a ", LevelName(r.level()),
                                 " code must end in zeros after its ",
                                 s.name, " digits"));
      }
    } else if (grid && r.grid_kind() != v1::GRID_KIND_MICRO) {
      if (CodeDigits(*key, kTownshipEnd, kVillageEnd) == 0 ||
          CodeDigits(*key, kCountyEnd, kTownshipEnd) == 0) {
        RegionError(i, "region.segment", "code",
                    "a grid code's township and village digits must not be "
                    "zero");
      } else if (CodeDigits(*key, kVillageEnd, len) == 0) {
        RegionError(i, "region.segment", "code",
                    "the grid digits must not be zero");
      }
    }
    if (township) {
      const uint64_t t = CodeDigits(*key, kCountyEnd, kTownshipEnd);
      v1::TownshipKind expected = v1::TOWNSHIP_KIND_UNSPECIFIED;
      if (t >= 1 && t <= 99) expected = v1::TOWNSHIP_KIND_STREET;
      if (t >= 100 && t <= 199) expected = v1::TOWNSHIP_KIND_TOWN;
      if (t >= 200 && t <= 399) expected = v1::TOWNSHIP_KIND_TOWNSHIP;
      if (t >= 400 && t <= 599) expected = v1::TOWNSHIP_KIND_SIMILAR;
      if (expected == v1::TOWNSHIP_KIND_UNSPECIFIED) {
        RegionError(i, "region.township_kind", "code",
                    absl::StrCat("township digits ", t,
                                 " are in no defined range (001-599)"));
      } else if (r.township_kind() != v1::TOWNSHIP_KIND_UNSPECIFIED &&
                 r.township_kind() != expected) {
        RegionError(i, "region.township_kind", "township_kind",
                    absl::StrCat(v1::TownshipKind_Name(r.township_kind()),
                                 " contradicts township digits ", t,
                                 " (001-099 street, 100-199 town, 200-399 "
                                 "township, 400-599 similar)"));
      }
    }
    if (village) {
      const uint64_t v = CodeDigits(*key, kTownshipEnd, kVillageEnd);
      v1::VillageKind expected = v1::VILLAGE_KIND_UNSPECIFIED;
      if (v >= 1 && v <= 199) expected = v1::VILLAGE_KIND_COMMUNITY;
      if (v >= 200 && v <= 399) expected = v1::VILLAGE_KIND_VILLAGE_COMMITTEE;
      if (v >= 400 && v <= 499) expected = v1::VILLAGE_KIND_SIMILAR_COMMUNITY;
      if (v >= 500 && v <= 599) expected = v1::VILLAGE_KIND_SIMILAR_VILLAGE;
      if (v == 498) expected = v1::VILLAGE_KIND_VIRTUAL_COMMUNITY;
      if (v == 598) expected = v1::VILLAGE_KIND_VIRTUAL_LIVING_AREA;
      if (expected == v1::VILLAGE_KIND_UNSPECIFIED) {
        RegionError(i, "region.village_kind", "code",
                    absl::StrCat("village digits ", v,
                                 " are in no defined range (001-599)"));
      } else if (r.village_kind() != v1::VILLAGE_KIND_UNSPECIFIED &&
                 r.village_kind() != expected) {
        RegionError(i, "region.village_kind", "village_kind",
                    absl::StrCat(v1::VillageKind_Name(r.village_kind()),
                                 " contradicts village digits ", v,
                                 " (001-199 community, 200-399 village "
                                 "committee, 498/598 virtual)"));
      }
    }
  }

  auto [it, inserted] =
      SafeEmplace(&region_index_, *key, static_cast<uint32_t>(i));
  if (!inserted) {
    RegionError(i, "region.duplicate_code", "code",
                absl::StrCat("code already used by region #", it->second));
    return;
  }
  info.key = *key;
  info.usable = true;
}

void Validator::CheckRegionParents() {
  const int n = d_.regions_size();
  // Per village: the length of its first base/dedicated grid code.
  absl::flat_hash_map<uint32_t, int> grid_length;
  for (int i = 0; i < n; ++i) {
    RegionInfo& info = regions_[static_cast<size_t>(i)];
    const v1::Region& r = d_.regions(i);
    if (!info.usable) continue;
    if (r.parent_code().empty()) {
      if (r.level() > v1::REGION_LEVEL_COUNTY) {
        RegionError(i, "region.missing_parent", "parent_code",
                    absl::StrCat("a ", LevelName(r.level()),
                                 " must have a parent"));
      }
      continue;
    }
    const uint32_t parent = FindRegion(r.parent_code());
    if (parent == kNone || !regions_[parent].usable) {
      RegionError(i, "region.dangling_parent", "parent_code",
                  absl::StrCat("no region has code \"",
                               Utf8Prefix(r.parent_code(), 64), "\""));
      continue;
    }
    if (parent == static_cast<uint32_t>(i)) {
      RegionError(i, "region.cycle", "parent_code",
                  "the region is its own parent");
      continue;
    }
    info.parent = parent;
    const RegionInfo& p = regions_[parent];
    const v1::Region& pr = d_.regions(static_cast<int>(parent));
    if (r.level() == v1::REGION_LEVEL_UNSPECIFIED ||
        p.level == v1::REGION_LEVEL_UNSPECIFIED) {
      continue;  // already reported
    }

    // Level order.
    bool order_ok = static_cast<int>(p.level) + 1 == static_cast<int>(r.level());
    const bool no_county_city =
        r.level() == v1::REGION_LEVEL_TOWNSHIP &&
        p.level == v1::REGION_LEVEL_CITY &&
        CodeDigits(info.key, kCityEnd, kCountyEnd) == 0;
    if (no_county_city) order_ok = true;
    if (r.level() == v1::REGION_LEVEL_GRID) {
      if (r.grid_kind() == v1::GRID_KIND_MICRO) {
        if (p.level != v1::REGION_LEVEL_GRID ||
            pr.grid_kind() != v1::GRID_KIND_BASE) {
          RegionError(i, "region.micro_grid_parent", "parent_code",
                      absl::StrCat("a micro grid must lie under a base grid, "
                                   "not under ",
                                   p.level == v1::REGION_LEVEL_GRID
                                       ? v1::GridKind_Name(pr.grid_kind())
                                       : std::string(LevelName(p.level)),
                                   " ", Quoted(pr.code())));
          continue;
        }
      } else if (p.level != v1::REGION_LEVEL_VILLAGE) {
        RegionError(i, "region.grid_parent", "parent_code",
                    absl::StrCat("a grid must lie under a village or "
                                 "community, not under ",
                                 LevelName(p.level), " ", Quoted(pr.code())));
        continue;
      }
    } else if (!order_ok) {
      RegionError(i, "region.level_order", "parent_code",
                  absl::StrCat("a ", LevelName(r.level()), " cannot lie under ",
                               LevelName(p.level), " ", Quoted(pr.code()),
                               r.level() == v1::REGION_LEVEL_TOWNSHIP &&
                                       p.level == v1::REGION_LEVEL_CITY
                                   ? " unless its county digits are 00 (a "
                                     "city with no county level)"
                                   : ""));
      continue;
    }

    // The code extends the parent's.
    const int digits = SignificantDigits(p.level, p.key);
    if (!SamePrefix(info.key, p.key, digits)) {
      RegionError(i, "region.code_prefix", "code",
                  absl::StrCat("code does not start with the first ", digits,
                               " digits of its parent ", Quoted(pr.code())));
      continue;
    }
    if (r.level() == v1::REGION_LEVEL_GRID &&
        r.grid_kind() == v1::GRID_KIND_MICRO) {
      const int extra = CodeLength(info.key) - CodeLength(p.key);
      if (extra != 2 && extra != 3) {
        RegionError(i, "region.malformed_code", "code",
                    absl::StrCat("a micro-grid code extends its base grid's "
                                 "code by 2 or 3 digits, not ",
                                 extra));
      } else if (CodeDigits(info.key, CodeLength(p.key),
                            CodeLength(info.key)) == 0) {
        RegionError(i, "region.segment", "code",
                    "the micro-grid digits must not be zero");
      }
    } else if (r.level() == v1::REGION_LEVEL_GRID) {
      auto [it, first] =
          SafeEmplace(&grid_length, parent, CodeLength(info.key));
      if (!first && it->second != CodeLength(info.key)) {
        RegionError(i, "region.grid_code_length", "code",
                    absl::StrCat("village ", Quoted(pr.code()), " already has ",
                                 it->second,
                                 "-digit grid codes; do not mix "
                                 "14- and 15-digit grids in one village"));
      }
    }
  }
}

void Validator::CheckCycles() {
  // Iterative colouring: 0 unvisited, 1 on the current path, 2 done.
  const size_t n = regions_.size();
  std::vector<uint8_t> state(n, 0);
  std::vector<uint32_t> path;
  for (size_t start = 0; start < n; ++start) {
    if (state[start] != 0) continue;
    path.clear();
    uint32_t v = static_cast<uint32_t>(start);
    while (v != kNone && state[v] == 0) {
      state[v] = 1;
      path.push_back(v);
      v = regions_[v].parent;
    }
    if (v != kNone && state[v] == 1) {
      // v is on the path: the cycle is v … end of path.
      size_t cycle_len = 0;
      uint32_t lowest = v;
      for (size_t k = path.size(); k-- > 0;) {
        ++cycle_len;
        if (path[k] < lowest) lowest = path[k];
        if (path[k] == v) break;
      }
      RegionError(static_cast<int>(lowest), "region.cycle", "parent_code",
                  absl::StrCat("the parent chain loops back to this region "
                               "after ",
                               cycle_len, " steps"));
    }
    for (uint32_t u : path) state[u] = 2;
  }
  // Break the cycles so that later bounded walks terminate quickly.
  for (size_t i = 0; i < n; ++i) {
    if (regions_[i].parent == static_cast<uint32_t>(i)) {
      regions_[i].parent = kNone;
    }
  }
}

void Validator::CheckDepartmentTypes() {
  for (int i = 0; i < d_.department_types_size(); ++i) {
    const v1::DepartmentType& t = d_.department_types(i);
    const std::string code = ElementCode(t.code(), i);
    if (!IsSnakeKey(t.code())) {
      p_.Error("department_type.malformed_code", "department_type", code,
               "code",
               "a department type code is 1-64 characters of a-z, 0-9 and _");
    } else if (!SafeInsert(&department_types_, t.code()).second) {
      p_.Error("department_type.duplicate_code", "department_type", code,
               "code", "code already used by another department type");
    }
    if (t.name().empty()) {
      p_.Error("department_type.missing_name", "department_type", code, "name",
               "the department type has no name");
    }
  }
}

bool ParentKindAllowed(v1::UnitKind kind, v1::UnitKind parent) {
  switch (kind) {
    case v1::UNIT_KIND_DISPATCHED:
      return parent == v1::UNIT_KIND_DEPARTMENT;
    case v1::UNIT_KIND_INTERNAL_OFFICE:
    case v1::UNIT_KIND_COMMAND_CENTRE:
    case v1::UNIT_KIND_SERVICE_CENTRE:
      return parent == v1::UNIT_KIND_GOVERNMENT ||
             parent == v1::UNIT_KIND_DEPARTMENT;
    // The township's own (镇队合一, 联合执法中心): a department's team in a
    // township is a dispatched unit.
    case v1::UNIT_KIND_ENFORCEMENT_TEAM:
    case v1::UNIT_KIND_JOINT_ENFORCEMENT_CENTRE:
      return parent == v1::UNIT_KIND_GOVERNMENT;
    default:
      return parent == v1::UNIT_KIND_GOVERNMENT;
  }
}

// Levels a unit kind may sit at.
bool LevelAllowed(const v1::Unit& u, v1::RegionLevel level) {
  using L = v1::RegionLevel;
  switch (u.kind()) {
    case v1::UNIT_KIND_GOVERNMENT:
    case v1::UNIT_KIND_INTERNAL_OFFICE:
      return level >= L::REGION_LEVEL_PROVINCE &&
             level <= L::REGION_LEVEL_TOWNSHIP;
    case v1::UNIT_KIND_DEPARTMENT:
      return level >= L::REGION_LEVEL_PROVINCE &&
             level <= L::REGION_LEVEL_COUNTY;
    case v1::UNIT_KIND_DISPATCHED:
    case v1::UNIT_KIND_ENFORCEMENT_TEAM:
    case v1::UNIT_KIND_JOINT_ENFORCEMENT_CENTRE:
      return level == L::REGION_LEVEL_TOWNSHIP;
    case v1::UNIT_KIND_VILLAGE_COMMITTEE:
      return level == L::REGION_LEVEL_VILLAGE;
    case v1::UNIT_KIND_SERVICE_CENTRE:
      return level >= L::REGION_LEVEL_CITY && level <= L::REGION_LEVEL_VILLAGE;
    case v1::UNIT_KIND_COMMAND_CENTRE:
      switch (u.centre_type()) {
        case v1::CENTRE_TYPE_TOWNSHIP_COMMAND_ROOM:
          return level == L::REGION_LEVEL_TOWNSHIP;
        case v1::CENTRE_TYPE_COUNTY_SOCIAL_GOVERNANCE:
          return level == L::REGION_LEVEL_COUNTY ||
                 level == L::REGION_LEVEL_CITY;
        case v1::CENTRE_TYPE_HOTLINE_12345:
        case v1::CENTRE_TYPE_CITY_OPERATIONS:
          return level >= L::REGION_LEVEL_PROVINCE &&
                 level <= L::REGION_LEVEL_COUNTY;
        default:
          return true;  // missing centre type reported separately
      }
    default:
      return true;
  }
}

void Validator::CheckUnits() {
  const int n = d_.units_size();
  std::vector<uint32_t> unit_region(static_cast<size_t>(n), kNone);
  // First pass: identity and own fields.
  for (int i = 0; i < n; ++i) {
    const v1::Unit& u = d_.units(i);
    if (!IsIdentifier(u.code())) {
      UnitError(i, "unit.malformed_code", "code",
                "a unit code is 1-64 characters of A-Z, a-z, 0-9 and -_.:");
    } else if (!SafeEmplace(&unit_index_, u.code(), static_cast<uint32_t>(i))
                    .second) {
      UnitError(i, "unit.duplicate_code", "code",
                "code already used by another unit");
    }
    if (u.name().empty()) {
      UnitError(i, "unit.missing_name", "name", "the unit has no name");
    }
    if (u.kind() == v1::UNIT_KIND_UNSPECIFIED ||
        !v1::UnitKind_IsValid(u.kind())) {
      UnitError(i, "unit.missing_kind", "kind", "kind is unspecified");
    }
    if (u.staff_count() < 0) {
      UnitError(i, "unit.staff_count", "staff_count",
                "staff_count must not be negative");
    }
    const uint32_t region = FindRegion(u.region_code());
    if (region == kNone) {
      UnitError(i, "unit.unknown_region", "region_code",
                absl::StrCat("no region has code \"",
                             Utf8Prefix(u.region_code(), 64), "\""));
    } else {
      unit_region[static_cast<size_t>(i)] = region;
      const v1::RegionLevel level = regions_[region].level;
      if (level != v1::REGION_LEVEL_UNSPECIFIED && !LevelAllowed(u, level)) {
        UnitError(i, "unit.region_level", "region_code",
                  absl::StrCat("a ", v1::UnitKind_Name(u.kind()),
                               u.kind() == v1::UNIT_KIND_COMMAND_CENTRE
                                   ? absl::StrCat(
                                         " (", v1::CentreType_Name(
                                                   u.centre_type()),
                                         ")")
                                   : "",
                               " cannot sit at ", LevelName(level), " ",
                               u.region_code()));
      }
    }
    // Kind-specific fields.
    const bool typed = u.kind() == v1::UNIT_KIND_DEPARTMENT ||
                       u.kind() == v1::UNIT_KIND_DISPATCHED;
    if (!u.department_type().empty()) {
      if (!typed) {
        UnitError(i, "unit.field_for_kind", "department_type",
                  "only departments and dispatched units have a department "
                  "type");
      } else if (department_types_.find(u.department_type()) ==
                 department_types_.end()) {
        UnitError(i, "unit.unknown_department_type", "department_type",
                  absl::StrCat("no department type has code \"",
                               Utf8Prefix(u.department_type(), 64), "\""));
      }
    } else if (u.kind() == v1::UNIT_KIND_DEPARTMENT) {
      UnitError(i, "unit.missing_department_type", "department_type",
                "a department must name its department type");
    }
    if (u.kind() == v1::UNIT_KIND_INTERNAL_OFFICE) {
      if (u.office_type() == v1::OFFICE_TYPE_UNSPECIFIED) {
        UnitError(i, "unit.missing_office_type", "office_type",
                  "an internal office must say which of 1+4+X it is");
      }
    } else if (u.office_type() != v1::OFFICE_TYPE_UNSPECIFIED) {
      UnitError(i, "unit.field_for_kind", "office_type",
                "only internal offices have an office type");
    }
    if (u.kind() == v1::UNIT_KIND_COMMAND_CENTRE) {
      if (u.centre_type() == v1::CENTRE_TYPE_UNSPECIFIED) {
        UnitError(i, "unit.missing_centre_type", "centre_type",
                  "a command centre must say which centre it is");
      }
    } else if (u.centre_type() != v1::CENTRE_TYPE_UNSPECIFIED) {
      UnitError(i, "unit.field_for_kind", "centre_type",
                "only command centres have a centre type");
    }
    if (u.covered_region_codes_size() > 0 &&
        u.kind() != v1::UNIT_KIND_DISPATCHED &&
        u.kind() != v1::UNIT_KIND_COMMAND_CENTRE) {
      UnitError(i, "unit.field_for_kind", "covered_region_codes",
                "only dispatched units and command centres cover regions");
    }
  }

  // Second pass: references between units, and uniqueness per region.
  absl::flat_hash_map<std::pair<uint32_t, int>, int> singleton;  // region,kind
  absl::flat_hash_map<std::pair<uint32_t, std::string>, int> department_at;
  absl::flat_hash_map<std::pair<uint32_t, std::string>, int> dispatched_at;
  // By region index: the warnings come in the dataset's order.
  std::map<uint32_t, int> institutions;
  // (township, unit, index in covered_region_codes) of command centres.
  std::vector<std::tuple<uint32_t, int, int>> centre_cover;
  for (int i = 0; i < n; ++i) {
    const v1::Unit& u = d_.units(i);
    const uint32_t region = unit_region[static_cast<size_t>(i)];
    std::string type = u.department_type();
    int parent = -1;
    if (!u.parent_unit_code().empty()) {
      auto it = unit_index_.find(u.parent_unit_code());
      if (it == unit_index_.end()) {
        UnitError(i, "unit.unknown_parent", "parent_unit_code",
                  absl::StrCat("no unit has code \"",
                               Utf8Prefix(u.parent_unit_code(), 64), "\""));
      } else if (static_cast<int>(it->second) == i) {
        UnitError(i, "unit.parent_kind", "parent_unit_code",
                  "a unit cannot be its own parent");
      } else {
        parent = static_cast<int>(it->second);
        const v1::Unit& pu = d_.units(parent);
        const uint32_t pregion = unit_region[static_cast<size_t>(parent)];
        if (!ParentKindAllowed(u.kind(), pu.kind())) {
          UnitError(i, "unit.parent_kind", "parent_unit_code",
                    absl::StrCat(
                        "a ", v1::UnitKind_Name(u.kind()), " cannot belong to ",
                        v1::UnitKind_Name(pu.kind()), " ", Quoted(pu.code())));
        } else if (region != kNone && pregion != kNone) {
          const bool strict = u.kind() == v1::UNIT_KIND_GOVERNMENT;
          const bool inside = RegionContains(pregion, region) &&
                              (!strict || pregion != region);
          if (!inside) {
            UnitError(i,
                      u.kind() == v1::UNIT_KIND_DISPATCHED
                          ? "unit.dispatched_outside"
                          : "unit.parent_region",
                      "region_code",
                      absl::StrCat("region ", Quoted(u.region_code()),
                                   " lies outside the region ",
                                   Quoted(pu.region_code()),
                                   " of its parent unit ", Quoted(pu.code())));
          }
        }
        if (u.kind() == v1::UNIT_KIND_DISPATCHED &&
            pu.kind() == v1::UNIT_KIND_DEPARTMENT) {
          if (type.empty()) {
            type = pu.department_type();
          } else if (type != pu.department_type()) {
            UnitError(i, "unit.department_type_mismatch", "department_type",
                      absl::StrCat("\"", Utf8Prefix(type, 64),
                                   "\" differs from its department's type "
                                   "\"",
                                   Utf8Prefix(pu.department_type(), 64), "\""));
          }
        }
      }
    } else if (u.kind() == v1::UNIT_KIND_DISPATCHED) {
      UnitError(i, "unit.missing_parent", "parent_unit_code",
                "a dispatched unit must name the department it belongs to");
    } else if (u.kind() == v1::UNIT_KIND_INTERNAL_OFFICE) {
      UnitError(i, "unit.missing_parent", "parent_unit_code",
                "an internal office must name its government or department");
    }

    // Covered regions: townships inside the department's region.
    for (int c = 0; c < u.covered_region_codes_size(); ++c) {
      const std::string& code = u.covered_region_codes(c);
      const std::string field = absl::StrCat("covered_region_codes[", c, "]");
      const uint32_t covered = FindRegion(code);
      if (covered == kNone) {
        UnitError(i, "unit.covered_region", field,
                  absl::StrCat("no region has code \"", Utf8Prefix(code, 64),
                               "\""));
        continue;
      }
      if (regions_[covered].level != v1::REGION_LEVEL_TOWNSHIP) {
        UnitError(i, "unit.covered_region", field,
                  absl::StrCat(Quoted(code), " is a ",
                               LevelName(regions_[covered].level),
                               ", not a township"));
        continue;
      }
      if (u.kind() == v1::UNIT_KIND_DISPATCHED && parent >= 0) {
        const uint32_t dregion = unit_region[static_cast<size_t>(parent)];
        if (dregion != kNone && !RegionContains(dregion, covered)) {
          UnitError(i, "unit.dispatched_outside", field,
                    absl::StrCat("township ", Quoted(code),
                                 " lies outside its department's region ",
                                 Quoted(d_.units(parent).region_code())));
        }
      }
      if (u.kind() == v1::UNIT_KIND_COMMAND_CENTRE &&
          u.centre_type() != v1::CENTRE_TYPE_UNSPECIFIED) {
        centre_cover.emplace_back(covered, i, c);
      }
      if (u.kind() == v1::UNIT_KIND_DISPATCHED && !type.empty()) {
        auto [it, first] =
            SafeEmplace(&dispatched_at, std::make_pair(covered, type), i);
        if (!first && it->second != i) {
          UnitError(
              i, "unit.duplicate_dispatched", field,
              absl::StrCat("township ", Quoted(code), " is already covered by ",
                           Quoted(type), " unit ",
                           Quoted(d_.units(it->second).code())));
        }
      }
    }
    if (region == kNone) continue;

    // Uniqueness: one government / village committee / enforcement team /
    // joint-enforcement centre / command room / social-governance centre
    // per region; one department of a type per region; one dispatched unit
    // of a type per township. Anything else would give a case two leads
    // (责任主体唯一).
    int singleton_kind = 0;
    if (u.kind() == v1::UNIT_KIND_GOVERNMENT ||
        u.kind() == v1::UNIT_KIND_VILLAGE_COMMITTEE ||
        u.kind() == v1::UNIT_KIND_ENFORCEMENT_TEAM ||
        u.kind() == v1::UNIT_KIND_JOINT_ENFORCEMENT_CENTRE) {
      singleton_kind = u.kind();
    } else if (u.kind() == v1::UNIT_KIND_COMMAND_CENTRE &&
               u.centre_type() != v1::CENTRE_TYPE_UNSPECIFIED) {
      singleton_kind = 100 + u.centre_type();
    }
    if (singleton_kind != 0) {
      auto [it, first] =
          SafeEmplace(&singleton, std::make_pair(region, singleton_kind), i);
      if (!first) {
        UnitError(i, "unit.duplicate_government", "region_code",
                  absl::StrCat("region ", Quoted(u.region_code()),
                               " already has this kind of unit: ",
                               Quoted(d_.units(it->second).code())));
      }
    }
    if (u.kind() == v1::UNIT_KIND_DEPARTMENT && !type.empty()) {
      auto [it, first] =
          SafeEmplace(&department_at, std::make_pair(region, type), i);
      if (!first) {
        UnitError(i, "unit.duplicate_department", "department_type",
                  absl::StrCat(
                      "region ", Quoted(u.region_code()), " already has a \"",
                      Quoted(type),
                      "\" department: ", Quoted(d_.units(it->second).code())));
      }
    }
    if (u.kind() == v1::UNIT_KIND_DISPATCHED && !type.empty()) {
      auto [it, first] =
          SafeEmplace(&dispatched_at, std::make_pair(region, type), i);
      if (!first && it->second != i) {
        UnitError(i, "unit.duplicate_dispatched", "region_code",
                  absl::StrCat("township ", Quoted(u.region_code()),
                               " is already covered by ", Quoted(type),
                               " unit ", Quoted(d_.units(it->second).code())));
      }
    }
    if (regions_[region].level == v1::REGION_LEVEL_TOWNSHIP &&
        (u.kind() == v1::UNIT_KIND_INTERNAL_OFFICE ||
         (u.kind() == v1::UNIT_KIND_COMMAND_CENTRE &&
          u.centre_type() == v1::CENTRE_TYPE_TOWNSHIP_COMMAND_ROOM))) {
      ++institutions[region];
    }
  }

  // A township covered by a command centre must have no other centre of
  // that type, its own or covering it: routing looks a township's centre
  // up there before its ancestors' (责任主体唯一).
  for (const auto& [covered, i, c] : centre_cover) {
    const v1::Unit& u = d_.units(i);
    auto [it, first] = SafeEmplace(
        &singleton, std::make_pair(covered, 100 + u.centre_type()), i);
    if (!first && it->second != i) {
      UnitError(
          i, "unit.duplicate_government",
          absl::StrCat("covered_region_codes[", c, "]"),
          absl::StrCat("township ", Quoted(u.covered_region_codes(c)),
                       " already has a ", v1::CentreType_Name(u.centre_type()),
                       ": ", Quoted(d_.units(it->second).code())));
    }
  }

  // Institution caps (Ningbo: 6 / 7 / 8).
  const v1::OrganizationPolicy& policy = d_.organization_policy();
  for (const auto& [region, count] : institutions) {
    const v1::Region& r = d_.regions(static_cast<int>(region));
    int cap = policy.institution_cap_general() > 0
                  ? policy.institution_cap_general()
                  : 6;
    if (r.township_class() == v1::TOWNSHIP_CLASS_LARGE) {
      cap = policy.institution_cap_large() > 0 ? policy.institution_cap_large()
                                               : 7;
    } else if (r.township_class() == v1::TOWNSHIP_CLASS_EXTRA_LARGE) {
      cap = policy.institution_cap_extra_large() > 0
                ? policy.institution_cap_extra_large()
                : 8;
    }
    if (count > cap) {
      p_.Warning("unit.institution_cap", "region", r.code(), "township_class",
                 absl::StrCat("township has ", count,
                              " institutions (internal offices + command "
                              "room); its class allows ",
                              cap));
    }
  }
}

void Validator::CheckPoliceGrids() {
  absl::flat_hash_set<std::string> codes;
  absl::flat_hash_map<uint32_t, int> linked;  // grid -> police grid index
  for (int i = 0; i < d_.police_grids_size(); ++i) {
    const v1::PoliceGrid& pg = d_.police_grids(i);
    const std::string code = ElementCode(pg.code(), i);
    if (!IsIdentifier(pg.code())) {
      p_.Error("police_grid.malformed_code", "police_grid", code, "code",
               "a police-grid code is 1-64 characters of A-Z, a-z, 0-9 and "
               "-_.:");
    } else if (!SafeInsert(&codes, pg.code()).second) {
      p_.Error("police_grid.duplicate_code", "police_grid", code, "code",
               "code already used by another police grid");
    }
    if (!pg.police_station_unit_code().empty() &&
        unit_index_.find(pg.police_station_unit_code()) == unit_index_.end()) {
      p_.Error("police_grid.unknown_station", "police_grid", code,
               "police_station_unit_code",
               absl::StrCat("no unit has code \"",
                            Utf8Prefix(pg.police_station_unit_code(), 64),
                            "\""));
    }
    for (int g = 0; g < pg.grid_codes_size(); ++g) {
      const std::string field = absl::StrCat("grid_codes[", g, "]");
      const uint32_t grid = FindRegion(pg.grid_codes(g));
      if (grid == kNone || regions_[grid].level != v1::REGION_LEVEL_GRID) {
        p_.Error("police_grid.unknown_grid", "police_grid", code, field,
                 absl::StrCat("no grid has code \"",
                              Utf8Prefix(pg.grid_codes(g), 64), "\""));
        continue;
      }
      auto [it, first] = SafeEmplace(&linked, grid, i);
      if (!first) {
        p_.Error("police_grid.grid_linked_twice", "police_grid", code, field,
                 absl::StrCat("grid ", Quoted(pg.grid_codes(g)),
                              " is already linked to police grid ",
                              Quoted(d_.police_grids(it->second).code())));
      }
    }
  }
}

}  // namespace

ProblemList ValidateDataset(const v1::Dataset& dataset,
                            absl::optional<Hierarchy>* hierarchy) {
  return Validator(dataset).Run(hierarchy);
}

ProblemList ValidateDataset(const v1::Dataset& dataset) {
  absl::optional<Hierarchy> unused;
  return Validator(dataset).Run(&unused);
}

}  // namespace jiceng
