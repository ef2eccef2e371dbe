// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0

#include "src/catalogue/validate_catalogue.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "src/base/civil_date.h"
#include "src/base/decimal.h"
#include "src/base/hash_tables.h"
#include "src/base/utf8.h"
#include "src/dataset/identifiers.h"

namespace jiceng {
namespace {

constexpr int32_t kOpenStart = std::numeric_limits<int32_t>::min();
constexpr int32_t kOpenEnd = std::numeric_limits<int32_t>::max();

struct Window {
  int32_t from = kOpenStart;
  int32_t to = kOpenEnd;  // exclusive
  bool valid = true;      // both dates well formed and to > from
};

// A delegation scope as its set fields: "township_class
// TOWNSHIP_CLASS_EXTRA_LARGE within 320116001000", "region_code
// 320116001001". REQUIRES: a scope that passed the scope checks (its codes
// name regions of the dataset, and its class is defined).
std::string DescribeScope(const v1::DelegationScope& s) {
  std::vector<std::string> parts;
  if (s.township_codes_size() > 0) {
    parts.push_back(absl::StrCat(s.township_codes_size(), " township code",
                                 s.township_codes_size() == 1 ? "" : "s"));
  }
  if (s.township_class() != v1::TOWNSHIP_CLASS_UNSPECIFIED) {
    parts.push_back(absl::StrCat(
        "township_class ", v1::TownshipClass_Name(s.township_class()),
        s.within_region_code().empty()
            ? ""
            : absl::StrCat(" within ", Quoted(s.within_region_code()))));
  }
  if (!s.region_code().empty()) {
    parts.push_back(absl::StrCat("region_code ", Quoted(s.region_code())));
  }
  return absl::StrJoin(parts, ", ");
}

class CatalogueValidator {
 public:
  CatalogueValidator(const v1::Dataset& d, const CatalogueContext& c,
                     ProblemList* p)
      : c_(c), cat_(d.catalogue()), p_(*p) {}

  void Run() {
    CheckAttributes();
    CheckItems();
    CheckSafetyFloors();
    CheckMatters();
    CheckDelegations();
    CheckRules();
    CheckScenarios();
    CheckAbolished();
  }

 private:
  void Error(absl::string_view rule, absl::string_view kind,
             absl::string_view code, absl::string_view field,
             absl::string_view message) {
    p_.Error(rule, kind, code, field, message);
  }

  bool KnownType(const std::string& t) const {
    return c_.department_types->contains(t);
  }

  // Parses [from_field, to_field) dates; reports malformed dates and an
  // empty or reversed window.
  Window CheckWindow(absl::string_view prefix, absl::string_view kind,
                     absl::string_view code, const std::string& from,
                     absl::string_view from_field, const std::string& to,
                     absl::string_view to_field) {
    Window w;
    bool ok = true;
    if (!ParseOptionalDate(from, kOpenStart, &w.from)) {
      Error(absl::StrCat(prefix, ".malformed_date"), kind, code, from_field,
            absl::StrCat("\"", Utf8Prefix(from, 48),
                         "\" is not a date of the form YYYY-MM-DD"));
      ok = false;
    }
    if (!ParseOptionalDate(to, kOpenEnd, &w.to)) {
      Error(absl::StrCat(prefix, ".malformed_date"), kind, code, to_field,
            absl::StrCat("\"", Utf8Prefix(to, 48),
                         "\" is not a date of the form YYYY-MM-DD"));
      ok = false;
    }
    if (ok && w.to <= w.from) {
      Error(absl::StrCat(prefix, ".window"), kind, code, to_field,
            absl::StrCat(to_field, " ", Quoted(to), " is not after ",
                         from_field, " ", Quoted(from)));
      ok = false;
    }
    w.valid = ok;
    return w;
  }

  void CheckDuration(absl::string_view rule, absl::string_view kind,
                     absl::string_view code, const v1::Duration& d,
                     absl::string_view field) {
    jiceng::CheckDuration(d, rule, kind, code, field, &p_);
  }

  void CheckLimits(absl::string_view rule, absl::string_view kind,
                   absl::string_view code, const v1::StageLimits& l,
                   absl::string_view prefix) {
    CheckDuration(rule, kind, code, l.sign_for(), absl::StrCat(prefix, "sign_for"));
    CheckDuration(rule, kind, code, l.handle(), absl::StrCat(prefix, "handle"));
    CheckDuration(rule, kind, code, l.feedback(), absl::StrCat(prefix, "feedback"));
    CheckDuration(rule, kind, code, l.revisit(), absl::StrCat(prefix, "revisit"));
  }

  // ServiceTerms of an item (government-service items use them).
  // `routed`: a government-service item (RouteService answers for it).
  void CheckService(const std::string& code, const v1::ServiceTerms& s,
                    bool routed);

  void CheckRole(absl::string_view prefix, absl::string_view kind,
                 absl::string_view code, const v1::Role& role,
                 absl::string_view field) {
    const std::string rule = absl::StrCat(prefix, ".role");
    if (role.kind() == v1::ROLE_KIND_UNSPECIFIED ||
        !v1::RoleKind_IsValid(role.kind())) {
      Error(rule, kind, code, field, "the role has no kind");
      return;
    }
    const bool typed = role.kind() == v1::ROLE_KIND_COUNTY_DEPARTMENT ||
                       role.kind() == v1::ROLE_KIND_DISPATCHED_UNIT;
    if (typed) {
      if (role.department_type().empty()) {
        Error(rule, kind, code, absl::StrCat(field, ".department_type"),
              absl::StrCat(v1::RoleKind_Name(role.kind()),
                           " needs a department type"));
      } else if (!KnownType(role.department_type())) {
        Error(rule, kind, code, absl::StrCat(field, ".department_type"),
              absl::StrCat("no department type has code \"",
                           Utf8Prefix(role.department_type(), 64), "\""));
      }
    } else if (!role.department_type().empty()) {
      Error(rule, kind, code, absl::StrCat(field, ".department_type"),
            absl::StrCat(v1::RoleKind_Name(role.kind()),
                         " takes no department type"));
    }
    if (role.kind() == v1::ROLE_KIND_NAMED_UNIT) {
      if (!c_.unit_codes->contains(role.unit_code())) {
        Error(rule, kind, code, absl::StrCat(field, ".unit_code"),
              absl::StrCat("no unit has code \"",
                           Utf8Prefix(role.unit_code(), 64), "\""));
      }
    } else if (!role.unit_code().empty()) {
      Error(rule, kind, code, absl::StrCat(field, ".unit_code"),
            absl::StrCat(v1::RoleKind_Name(role.kind()),
                         " takes no unit code"));
    }
  }

  void CheckPredicate(absl::string_view prefix, absl::string_view kind,
                      absl::string_view code, const v1::AttributePredicate& a,
                      const std::string& field) {
    const std::string rule = absl::StrCat(prefix, ".predicate");
    auto it = attributes_.find(a.key());
    if (it == attributes_.end()) {
      Error(rule, kind, code, absl::StrCat(field, ".key"),
            absl::StrCat("no attribute has key \"", Utf8Prefix(a.key(), 64),
                         "\""));
      return;
    }
    const v1::AttributeDefinition& def = *it->second;
    auto check_value = [&](const std::string& v, const std::string& f) {
      switch (def.type()) {
        case v1::ATTRIBUTE_TYPE_NUMBER: {
          double x;
          if (!ParseDecimalNumber(v, &x)) {
            Error(rule, kind, code, f,
                  absl::StrCat("\"", Utf8Prefix(v, 48), "\" is not a number (",
                               Quoted(a.key()), " is numeric)"));
          }
          break;
        }
        case v1::ATTRIBUTE_TYPE_BOOL:
          if (v != "true" && v != "false") {
            Error(
                rule, kind, code, f,
                absl::StrCat("\"", Utf8Prefix(v, 48), "\" is not true/false (",
                             Quoted(a.key()), " is boolean)"));
          }
          break;
        default:
          if (def.allowed_values_size() > 0 &&
              !AllowedValues(def).contains(v)) {
            Error(rule, kind, code, f,
                  absl::StrCat("\"", Utf8Prefix(v, 48),
                               "\" is not an allowed value of ",
                               Quoted(a.key())));
          }
          break;
      }
    };
    switch (a.test_case()) {
      case v1::AttributePredicate::kEquals:
        check_value(a.equals(), absl::StrCat(field, ".equals"));
        break;
      case v1::AttributePredicate::kInSet:
        if (def.type() == v1::ATTRIBUTE_TYPE_NUMBER) {
          Error(rule, kind, code, absl::StrCat(field, ".in_set"),
                absl::StrCat("a set of numbers is not supported (",
                             Quoted(a.key()),
                             " is numeric): use equals or a range"));
          break;
        }
        if (a.in_set().values_size() == 0) {
          Error(rule, kind, code, absl::StrCat(field, ".in_set"),
                "an empty set matches nothing");
        }
        for (int i = 0; i < a.in_set().values_size(); ++i) {
          check_value(a.in_set().values(i),
                      absl::StrCat(field, ".in_set.values[", i, "]"));
        }
        break;
      case v1::AttributePredicate::kRange:
        if (def.type() != v1::ATTRIBUTE_TYPE_NUMBER) {
          Error(rule, kind, code, absl::StrCat(field, ".range"),
                absl::StrCat("a range needs a numeric attribute; ",
                             Quoted(a.key()), " is not"));
        } else if ((a.range().has_min() && !std::isfinite(a.range().min())) ||
                   (a.range().has_max() && !std::isfinite(a.range().max()))) {
          Error(
              rule, kind, code, absl::StrCat(field, ".range"),
              absl::StrCat(
                  "bounds must be finite numbers (min ",
                  a.range().has_min() ? absl::StrCat(a.range().min()) : "none",
                  ", max ",
                  a.range().has_max() ? absl::StrCat(a.range().max()) : "none",
                  "); leave a side out for no bound"));
        } else if (a.range().has_min() && a.range().has_max() &&
                   !(a.range().min() <= a.range().max())) {
          Error(rule, kind, code, absl::StrCat(field, ".range"),
                "min is greater than max");
        }
        break;
      case v1::AttributePredicate::kPresent:
        break;
      default:
        Error(rule, kind, code, field,
              "the predicate has no test (equals, in_set, range or present)");
    }
  }

  // The allowed values of `def` as a set, built on first use: a rule may
  // list every allowed value in one in_set.
  const absl::flat_hash_set<absl::string_view>& AllowedValues(
      const v1::AttributeDefinition& def) {
    auto [it, added] = SafeEmplace(&allowed_values_, &def,
                                   absl::flat_hash_set<absl::string_view>());
    if (added) {
      ReserveRoom(&it->second, static_cast<size_t>(def.allowed_values_size()));
      for (const std::string& value : def.allowed_values()) {
        SafeInsert(&it->second, absl::string_view(value));
      }
    }
    return it->second;
  }

  void CheckAttributes();
  void CheckItems();
  void CheckSafetyFloors();
  void CheckMatters();
  void CheckDelegations();
  // A delegation whose overlaps with others of its item are judged.
  struct Granted {
    const v1::Item* item;
    int32_t from;
    int32_t to;  // exclusive
    int index;   // in catalogue.delegations
  };
  using ClassScopes =
      absl::flat_hash_map<std::pair<int, std::string>, std::vector<RegionId>>;
  // Reports delegation.overlap for each delegation and township that an
  // earlier delegation of the same item reaches in an overlapping window.
  void ReportOverlaps(std::vector<Granted>* granted,
                      const ClassScopes& class_scopes);
  void CheckRules();
  void CheckScenarios();
  void CheckAbolished();

  // Shared by rules and scenarios.
  void CheckRuleLike(absl::string_view prefix, int index,
                     const std::string& id, const std::string& matter,
                     const std::string& item, const v1::Role& lead,
                     const google::protobuf::RepeatedPtrField<v1::Role>& others,
                     absl::string_view others_field, const v1::Role* supervisor,
                     const google::protobuf::RepeatedPtrField<
                         v1::AttributePredicate>& predicates,
                     absl::string_view predicates_field,
                     const std::string& from, const std::string& to);

  const CatalogueContext& c_;
  const v1::Catalogue& cat_;
  ProblemList& p_;
  absl::flat_hash_map<std::string, const v1::AttributeDefinition*> attributes_;
  absl::flat_hash_map<const v1::AttributeDefinition*,
                      absl::flat_hash_set<absl::string_view>>
      allowed_values_;
  absl::flat_hash_map<std::string, const v1::Item*> items_;
  absl::flat_hash_map<std::string, const v1::Matter*> matters_;
  absl::flat_hash_map<std::string, std::string> rule_ids_;  // id -> kind
};

void CatalogueValidator::CheckAttributes() {
  for (int i = 0; i < cat_.attributes_size(); ++i) {
    const v1::AttributeDefinition& a = cat_.attributes(i);
    const std::string code = ElementCode(a.key(), i);
    if (!IsSnakeKey(a.key())) {
      Error("attribute.malformed_key", "attribute", code, "key",
            "an attribute key is 1-64 characters of a-z, 0-9 and _");
    } else if (!SafeEmplace(&attributes_, a.key(), &a).second) {
      Error("attribute.duplicate_key", "attribute", code, "key",
            "key already used by another attribute");
    }
    if (a.type() == v1::ATTRIBUTE_TYPE_UNSPECIFIED ||
        !v1::AttributeType_IsValid(a.type())) {
      Error("attribute.missing_type", "attribute", code, "type",
            "the attribute has no type");
    }
    if (a.allowed_values_size() > 0 && a.type() != v1::ATTRIBUTE_TYPE_STRING) {
      Error("attribute.allowed_values", "attribute", code, "allowed_values",
            "only string attributes have allowed values");
    }
  }
}

// An administrative power kind (01 licensing … 10 other power): what a
// village/community may not exercise. Public services (11) and
// review-and-forward (12, e.g. a village checking and forwarding an
// application) are not powers.
bool AdministrativePower(v1::PowerKind kind) {
  return kind >= v1::POWER_KIND_LICENSING && kind <= v1::POWER_KIND_OTHER;
}

void CatalogueValidator::CheckItems() {
  absl::flat_hash_set<std::string> retired;
  for (int i = 0; i < cat_.retired_item_codes_size(); ++i) {
    const std::string& code = cat_.retired_item_codes(i);
    if (!IsIdentifier(code)) {
      Error("retired_code.malformed_code", "retired_code", ElementCode(code, i),
            absl::StrCat("retired_item_codes[", i, "]"),
            "an item code is 1-64 characters of A-Z, a-z, 0-9 and -_.:");
    }
    SafeInsert(&retired, code);
  }
  for (int i = 0; i < cat_.items_size(); ++i) {
    const v1::Item& it = cat_.items(i);
    const std::string code = ElementCode(it.code(), i);
    if (!IsIdentifier(it.code())) {
      Error("item.malformed_code", "item", code, "code",
            "an item code is 1-64 characters of A-Z, a-z, 0-9 and -_.:");
    } else if (!SafeEmplace(&items_, it.code(), &it).second) {
      Error("item.duplicate_code", "item", code, "code",
            "code already used by another item");
    } else if (retired.contains(it.code())) {
      Error("item.retired_code_reused", "item", code, "code",
            "this code was retired (retired_item_codes) and may not be "
            "reused");
    }
    if (!it.implementation_code().empty() &&
        !IsIdentifier(it.implementation_code())) {
      Error("item.malformed_code", "item", code, "implementation_code",
            "an implementation code is 1-64 characters of A-Z, a-z, 0-9 and "
            "-_.:");
    }
    if (it.name().empty()) {
      Error("item.missing_name", "item", code, "name", "the item has no name");
    }
    if (it.list_type() == v1::LIST_TYPE_UNSPECIFIED ||
        !v1::ListType_IsValid(it.list_type())) {
      Error("item.missing_list_type", "item", code, "list_type",
            "the item is on no list");
    }
    if ((it.list_type() == v1::LIST_TYPE_POWER ||
         it.list_type() == v1::LIST_TYPE_ENFORCEMENT) &&
        it.power_kind() == v1::POWER_KIND_UNSPECIFIED) {
      Error("item.power_kind", "item", code, "power_kind",
            absl::StrCat("a ", v1::ListType_Name(it.list_type()),
                         " item needs a power kind (01 licensing … 12 "
                         "review-and-forward)"));
    }
    // Powers are a county department's, delegable to townships only
    // (赋权); a village/community holds village duties (村社履职),
    // assistance items (协助配合) and its own self-governance lists (小微权力,
    // 为民服务), no administrative power. Undefined values are item.enum's.
    if (it.exercising_level() == v1::REGION_LEVEL_VILLAGE) {
      if (it.list_type() == v1::LIST_TYPE_POWER ||
          it.list_type() == v1::LIST_TYPE_ENFORCEMENT) {
        Error("item.power_at_village", "item", code, "list_type",
              absl::StrCat("an item of ", v1::ListType_Name(it.list_type()),
                           " is an administrative power, which a "
                           "village/community may not exercise "
                           "(exercising_level REGION_LEVEL_VILLAGE)"));
      } else if (AdministrativePower(it.power_kind())) {
        Error("item.power_at_village", "item", code, "power_kind",
              absl::StrCat(v1::PowerKind_Name(it.power_kind()),
                           " is an administrative power, which a "
                           "village/community may not exercise "
                           "(exercising_level REGION_LEVEL_VILLAGE)"));
      }
    }
    if (it.list_type() == v1::LIST_TYPE_VILLAGE_DUTY) {
      // No level at all reads as the village's (admission does too).
      if (it.exercising_level() != v1::REGION_LEVEL_VILLAGE &&
          it.exercising_level() != v1::REGION_LEVEL_UNSPECIFIED &&
          v1::RegionLevel_IsValid(it.exercising_level())) {
        Error("item.village_duty_level", "item", code, "exercising_level",
              absl::StrCat("a village/community duty (村社履职) is exercised "
                           "at REGION_LEVEL_VILLAGE, not ",
                           v1::RegionLevel_Name(it.exercising_level())));
      }
      if (!it.department_type().empty()) {
        Error("item.village_duty_of_department", "item", code,
              "department_type",
              absl::StrCat("a village/community duty (村社履职) is the "
                           "village/community's own, not department \"",
                           Utf8Prefix(it.department_type(), 64), "\"'s"));
      }
    }
    if (!it.department_type().empty() && !KnownType(it.department_type())) {
      Error("item.unknown_department_type", "item", code, "department_type",
            absl::StrCat("no department type has code \"",
                         Utf8Prefix(it.department_type(), 64), "\""));
    }
    if (!it.lead_department_type().empty() &&
        !KnownType(it.lead_department_type())) {
      Error("item.unknown_department_type", "item", code,
            "lead_department_type",
            absl::StrCat("no department type has code \"",
                         Utf8Prefix(it.lead_department_type(), 64), "\""));
    }
    if (it.township_role() == v1::TOWNSHIP_ROLE_COOPERATING &&
        it.lead_department_type().empty()) {
      Error("item.cooperating_without_lead", "item", code,
            "lead_department_type",
            "a cooperating (配合) item must name the department that leads");
    }
    // Undefined enum values (item.enum) are reported by ValidateDataset's
    // one check of every enum field.
    CheckWindow("item", "item", code, it.effective_date(), "effective_date",
                it.retired_date(), "retired_date");
    CheckLimits("item.limits", "item", code, it.limits(), "limits.");
    if (it.has_service()) {
      CheckService(code, it.service(),
                   it.list_type() == v1::LIST_TYPE_GOVERNMENT_SERVICE);
      // Only government-service items are routed as services (RouteService
      // refuses the others): terms elsewhere are likely a list-type slip.
      if (it.list_type() != v1::LIST_TYPE_GOVERNMENT_SERVICE &&
          it.list_type() != v1::LIST_TYPE_UNSPECIFIED &&
          v1::ListType_IsValid(it.list_type())) {
        p_.Warning("item.service_unused", "item", code, "service",
                   absl::StrCat("service terms on an item of ",
                                v1::ListType_Name(it.list_type()),
                                " are never used: only "
                                "LIST_TYPE_GOVERNMENT_SERVICE items are "
                                "routed as services"));
      }
    }
  }
}

// Minutes of a set, well-formed limit on its own clock: working time (a
// working day counts `working_minutes_per_day`) or calendar time.
int64_t ClockMinutes(const v1::Duration& d, int working_minutes_per_day) {
  switch (d.unit()) {
    case v1::TIME_UNIT_WORKING_DAYS:
      return int64_t{d.amount()} * working_minutes_per_day;
    case v1::TIME_UNIT_CALENDAR_DAYS:
      return int64_t{d.amount()} * 1440;
    default:  // working or calendar hours
      return int64_t{d.amount()} * 60;
  }
}

bool WorkingTime(v1::TimeUnit unit) {
  return unit == v1::TIME_UNIT_WORKING_HOURS ||
         unit == v1::TIME_UNIT_WORKING_DAYS;
}

std::string LevelText(v1::RegionLevel level) {
  return v1::RegionLevel_IsValid(level)
             ? v1::RegionLevel_Name(level)
             : absl::StrCat(static_cast<int>(level));
}

std::string LimitText(const v1::Duration& d) {
  return absl::StrCat(d.amount(), " ", v1::TimeUnit_Name(d.unit()));
}

void CatalogueValidator::CheckService(const std::string& code,
                                      const v1::ServiceTerms& s, bool routed) {
  const int errors_before = p_.error_count();
  CheckDuration("item.service_limit", "item", code, s.statutory_limit(),
                "service.statutory_limit");
  CheckDuration("item.service_limit", "item", code, s.promised_limit(),
                "service.promised_limit");
  const bool limits_ok = p_.error_count() == errors_before;

  // The router finds the accepting window at accepting_level (a service
  // centre, else the government there, else the nearest region above with
  // either) and the approving unit at
  // approving_level or above (a department, else the government); a level
  // where neither can sit would leave the decision silently without one.
  const v1::RegionLevel accepting = s.accepting_level();
  if (accepting != v1::REGION_LEVEL_UNSPECIFIED &&
      (accepting < v1::REGION_LEVEL_PROVINCE ||
       accepting > v1::REGION_LEVEL_VILLAGE)) {
    Error("item.service_level", "item", code, "service.accepting_level",
          absl::StrCat("level ", LevelText(accepting),
                       " cannot accept applications: no service centre or "
                       "government sits there (province … village; 0 means "
                       "township)"));
  }
  const v1::RegionLevel approving = s.approving_level();
  if (approving != v1::REGION_LEVEL_UNSPECIFIED &&
      (approving < v1::REGION_LEVEL_PROVINCE ||
       approving > v1::REGION_LEVEL_TOWNSHIP)) {
    Error("item.service_level", "item", code, "service.approving_level",
          absl::StrCat("level ", LevelText(approving),
                       " cannot approve: no department or government sits "
                       "there (province … township; 0 means county)"));
  }

  // Promised against statutory (Qujing: promised in ≤ 40% of the statutory
  // time). Judged only where the comparison is sure: see the header.
  const v1::Duration& statutory = s.statutory_limit();
  const v1::Duration& promised = s.promised_limit();
  if (routed && limits_ok && statutory.unit() != v1::TIME_UNIT_UNSPECIFIED &&
      promised.unit() == v1::TIME_UNIT_UNSPECIFIED && !s.immediate()) {
    p_.Warning("item.promised_missing", "item", code, "service.promised_limit",
               absl::StrCat("no promised limit: the statutory limit ",
                            LimitText(statutory),
                            " is promised (promised limits are ≤ 40% of the "
                            "statutory time)"));
    return;
  }
  if (!limits_ok || statutory.unit() == v1::TIME_UNIT_UNSPECIFIED ||
      promised.unit() == v1::TIME_UNIT_UNSPECIFIED) {
    return;
  }
  const int per_day = c_.working_minutes_per_day;
  int64_t p = 0;
  int64_t q = 0;  // statutory
  bool same_clock = true;
  if (promised.unit() == statutory.unit()) {
    p = promised.amount();
    q = statutory.amount();
  } else if (WorkingTime(promised.unit()) == WorkingTime(statutory.unit())) {
    if (WorkingTime(promised.unit()) && per_day <= 0) return;
    p = ClockMinutes(promised, per_day);
    q = ClockMinutes(statutory, per_day);
  } else if (WorkingTime(promised.unit())) {
    // Working time against calendar time: a working minute lasts at least
    // a minute, so more working minutes than the statute's minutes end
    // surely after it.
    if (promised.unit() == v1::TIME_UNIT_WORKING_DAYS && per_day <= 0) return;
    p = ClockMinutes(promised, per_day);
    q = ClockMinutes(statutory, per_day);
    same_clock = false;
  } else {
    return;  // calendar against working time: holidays have no bound
  }
  if (p > q) {
    Error("item.promised_limit", "item", code, "service.promised_limit",
          absl::StrCat("the promised limit ", LimitText(promised),
                       " is longer than the statutory limit ",
                       LimitText(statutory)));
  } else if (same_clock && p * 100 > q * 40) {
    p_.Warning("item.promised_share", "item", code, "service.promised_limit",
               absl::StrCat("the promised limit ", LimitText(promised),
                            " is above 40% of the statutory limit ",
                            LimitText(statutory),
                            " (promised limits are ≤ 40% of the statutory "
                            "time)"));
  }
}

void CatalogueValidator::CheckSafetyFloors() {
  absl::flat_hash_set<std::string> codes;
  for (int i = 0; i < cat_.safety_floors_size(); ++i) {
    const v1::SafetyFloor& f = cat_.safety_floors(i);
    const std::string code = ElementCode(f.code(), i);
    if (!IsIdentifier(f.code())) {
      Error("safety_floor.malformed_code", "safety_floor", code, "code",
            "a code is 1-64 characters of A-Z, a-z, 0-9 and -_.:");
    } else if (!SafeInsert(&codes, f.code()).second) {
      Error("safety_floor.duplicate_code", "safety_floor", code, "code",
            "code already used by another safety floor");
    }
    if (f.area().empty()) {
      Error("safety_floor.missing_area", "safety_floor", code, "area",
            "the safety floor names no key area");
    }
    for (int k = 0; k < f.duties_size(); ++k) {
      const v1::SafetyFloorDuty& duty = f.duties(k);
      const std::string field = absl::StrCat("duties[", k, "]");
      if (duty.level() == v1::REGION_LEVEL_UNSPECIFIED ||
          !v1::RegionLevel_IsValid(duty.level()) || duty.duty().empty()) {
        Error("safety_floor.duty", "safety_floor", code, field,
              "a duty needs a level and its text");
      }
      if (!duty.department_type().empty() &&
          !KnownType(duty.department_type())) {
        Error("safety_floor.duty", "safety_floor", code,
              absl::StrCat(field, ".department_type"),
              absl::StrCat("no department type has code \"",
                           Utf8Prefix(duty.department_type(), 64), "\""));
      }
    }
    for (int k = 0; k < f.item_codes_size(); ++k) {
      if (!items_.contains(f.item_codes(k))) {
        Error("safety_floor.unknown_item", "safety_floor", code,
              absl::StrCat("item_codes[", k, "]"),
              absl::StrCat("no item has code \"",
                           Utf8Prefix(f.item_codes(k), 64), "\""));
      }
    }
  }
}

void CatalogueValidator::CheckMatters() {
  for (int i = 0; i < cat_.matters_size(); ++i) {
    const v1::Matter& m = cat_.matters(i);
    const std::string code = ElementCode(m.code(), i);
    bool well_formed = IsIdentifier(m.code());
    if (well_formed && (m.category() == v1::MATTER_CATEGORY_COMPONENT ||
                        m.category() == v1::MATTER_CATEGORY_EVENT)) {
      well_formed = m.code().size() == 5 &&
                    std::all_of(m.code().begin(), m.code().end(),
                                [](char ch) { return ch >= '0' && ch <= '9'; });
    }
    if (!well_formed) {
      Error("matter.malformed_code", "matter", code, "code",
            m.category() == v1::MATTER_CATEGORY_HOTLINE
                ? "a matter code is 1-64 characters of A-Z, a-z, 0-9 and -_.:"
                : "a component or event class code is 5 digits (2 major + 3 "
                  "minor, GB/T 47678.5)");
    } else if (!SafeEmplace(&matters_, m.code(), &m).second) {
      Error("matter.duplicate_code", "matter", code, "code",
            "code already used by another matter");
    }
    if (m.name().empty()) {
      Error("matter.missing_name", "matter", code, "name",
            "the matter has no name");
    }
    if (m.category() == v1::MATTER_CATEGORY_UNSPECIFIED ||
        !v1::MatterCategory_IsValid(m.category())) {
      Error("matter.missing_category", "matter", code, "category",
            "the matter has no category");
    }
    CheckLimits("matter.limits", "matter", code, m.limits(), "limits.");
  }
}

void CatalogueValidator::CheckDelegations() {
  absl::flat_hash_set<std::string> ids;
  // The delegations whose overlaps are judged (known item, clean scope,
  // well-formed window), compared once all are read: see ReportOverlaps.
  std::vector<Granted> granted;
  // The townships of a class scope (class, within region), found once: a
  // province's orders repeat the same few scopes over many items.
  ClassScopes class_scopes;
  for (int i = 0; i < cat_.delegations_size(); ++i) {
    const v1::Delegation& g = cat_.delegations(i);
    const std::string code = ElementCode(g.id(), i);
    if (!IsIdentifier(g.id())) {
      Error("delegation.malformed_id", "delegation", code, "id",
            "an id is 1-64 characters of A-Z, a-z, 0-9 and -_.:");
    } else if (!SafeInsert(&ids, g.id()).second) {
      Error("delegation.duplicate_id", "delegation", code, "id",
            "id already used by another delegation");
    }
    auto item = items_.find(g.item_code());
    if (item == items_.end()) {
      Error("delegation.unknown_item", "delegation", code, "item_code",
            absl::StrCat("no item has code \"", Utf8Prefix(g.item_code(), 64),
                         "\""));
    }
    if (g.from_department_type().empty()) {
      Error("delegation.unknown_department_type", "delegation", code,
            "from_department_type",
            "the delegation names no department type it comes from");
    } else if (!KnownType(g.from_department_type())) {
      Error("delegation.unknown_department_type", "delegation", code,
            "from_department_type",
            absl::StrCat("no department type has code \"",
                         Utf8Prefix(g.from_department_type(), 64), "\""));
    } else if (item != items_.end() &&
               item->second->department_type() != g.from_department_type()) {
      Error("delegation.department_mismatch", "delegation", code,
            "from_department_type",
            absl::StrCat("item ", Quoted(g.item_code()), " is exercised by \"",
                         Quoted(item->second->department_type()), "\", not \"",
                         Quoted(g.from_department_type()), "\""));
    }
    if (item != items_.end() &&
        item->second->township_role() == v1::TOWNSHIP_ROLE_RECLAIMED) {
      p_.Warning("delegation.reclaimed_item", "delegation", code, "item_code",
                 absl::StrCat("item ", Quoted(g.item_code()),
                              " is marked reclaimed (收回) from townships"));
    }
    if (item != items_.end() && item->second->statutory_department_matter()) {
      p_.Warning("delegation.statutory_item", "delegation", code, "item_code",
                 absl::StrCat("item ", Quoted(g.item_code()),
                              " is a department's own statutory matter, which "
                              "must not be pushed down to townships"));
    }
    if (g.mode() == v1::DELEGATION_MODE_UNSPECIFIED ||
        !v1::DelegationMode_IsValid(g.mode())) {
      Error("delegation.missing_mode", "delegation", code, "mode",
            "the delegation has no mode (own name, entrusted or joint)");
    }

    // Scope.
    const v1::DelegationScope& s = g.scope();
    bool scope_ok = true;
    if (s.township_codes_size() == 0 &&
        s.township_class() == v1::TOWNSHIP_CLASS_UNSPECIFIED &&
        s.region_code().empty()) {
      Error("delegation.scope", "delegation", code, "scope",
            "the scope names no township, township class or region");
      scope_ok = false;
    }
    if (!v1::TownshipClass_IsValid(s.township_class())) {
      Error("delegation.scope", "delegation", code, "scope.township_class",
            absl::StrCat("unknown township class ", s.township_class()));
      scope_ok = false;
    }
    for (int k = 0; k < s.township_codes_size(); ++k) {
      if (c_.region_level(s.township_codes(k)) != v1::REGION_LEVEL_TOWNSHIP) {
        Error("delegation.scope", "delegation", code,
              absl::StrCat("scope.township_codes[", k, "]"),
              absl::StrCat("no township has code \"",
                           Utf8Prefix(s.township_codes(k), 64), "\""));
        scope_ok = false;
      }
    }
    if (!s.within_region_code().empty() &&
        c_.region_level(s.within_region_code()) ==
            v1::REGION_LEVEL_UNSPECIFIED) {
      Error("delegation.scope", "delegation", code, "scope.within_region_code",
            absl::StrCat("no region has code \"",
                         Utf8Prefix(s.within_region_code(), 64), "\""));
      scope_ok = false;
    }
    if (!s.region_code().empty() &&
        c_.region_level(s.region_code()) == v1::REGION_LEVEL_UNSPECIFIED) {
      Error("delegation.scope", "delegation", code, "scope.region_code",
            absl::StrCat("no region has code \"",
                         Utf8Prefix(s.region_code(), 64), "\""));
      scope_ok = false;
    }

    // Window: [effective, min(end, reclaimed)). A delegation takes effect
    // on the date its document names (明确施行时间): without one it would
    // count as in force since ever.
    if (g.effective_date().empty()) {
      Error("delegation.missing_effective_date", "delegation", code,
            "effective_date",
            "a delegation takes effect on the date its document names: "
            "effective_date is required");
    }
    Window w = CheckWindow("delegation", "delegation", code,
                           g.effective_date(), "effective_date", g.end_date(),
                           "end_date");
    if (!g.reclaimed_date().empty()) {
      int32_t reclaimed;
      if (!ParseOptionalDate(g.reclaimed_date(), kOpenEnd, &reclaimed)) {
        w.valid = false;
        Error("delegation.malformed_date", "delegation", code,
              "reclaimed_date",
              absl::StrCat("\"", Utf8Prefix(g.reclaimed_date(), 48),
                           "\" is not a date of the form YYYY-MM-DD"));
      } else if (reclaimed <= w.from || reclaimed > w.to) {
        w.valid = false;
        Error("delegation.window", "delegation", code, "reclaimed_date",
              "reclaimed_date must fall after effective_date and no later "
              "than end_date");
      } else {
        w.to = reclaimed;
      }
    }

    if (!scope_ok || c_.hierarchy == nullptr) continue;
    std::vector<RegionId> listed;
    const std::vector<RegionId>* townships = &listed;
    if (s.township_codes_size() == 0 && s.region_code().empty()) {
      auto [it, added] =
          SafeEmplace(&class_scopes,
                      std::make_pair(static_cast<int>(s.township_class()),
                                     s.within_region_code()),
                      std::vector<RegionId>());
      if (added) it->second = ScopeTownships(s, *c_.hierarchy);
      townships = &it->second;
    } else {
      listed = ScopeTownships(s, *c_.hierarchy);
    }
    if (townships->empty()) {
      p_.Warning("delegation.no_township", "delegation", code, "scope",
                 absl::StrCat("the scope (", DescribeScope(s),
                              ") reaches no township of the dataset: the "
                              "delegation empowers nobody"));
    }
    // Overlaps are judged only on well-formed windows: a malformed date
    // must not read as open-ended and cascade into overlap errors.
    if (!w.valid || item == items_.end() || townships->empty()) continue;
    granted.push_back(Granted{item->second, w.from, w.to, i});
  }
  ReportOverlaps(&granted, class_scopes);
}

// Overlaps are found per item: only an item with two or more judged
// delegations needs its (township, window) grants spelled out, so that
// memory is proportional to the delegations of one item that can clash,
// not to every (item, township) pair a scope reaches. Within one
// (item, township) the grants are taken in delegation order; a Fenwick
// tree over their start days gives, for each, the earlier grant with the
// latest end among those starting before it ends: O(n log n) for n grants.
void CatalogueValidator::ReportOverlaps(std::vector<Granted>* granted,
                                        const ClassScopes& class_scopes) {
  if (c_.hierarchy == nullptr) return;
  std::sort(granted->begin(), granted->end(),
            [](const Granted& a, const Granted& b) {
              if (a.item != b.item) return std::less<>()(a.item, b.item);
              return a.index < b.index;
            });
  struct Grant {
    RegionId township;
    int index;
    int32_t from;
    int32_t to;
  };
  struct Overlap {
    int index;
    RegionId township;
    int other;
  };
  std::vector<Grant> grants;
  std::vector<Overlap> overlaps;
  std::vector<RegionId> listed;
  std::vector<int32_t> starts;
  std::vector<std::pair<int32_t, int>> latest;  // Fenwick: (end, index)
  const auto later_end = [](const std::pair<int32_t, int>& a,
                            const std::pair<int32_t, int>& b) {
    return a.first > b.first || (a.first == b.first && a.second < b.second);
  };
  const size_t n = granted->size();
  for (size_t a = 0; a < n;) {
    size_t b = a + 1;
    while (b < n && (*granted)[b].item == (*granted)[a].item) ++b;
    if (b - a < 2) {
      a = b;
      continue;
    }
    grants.clear();
    for (size_t k = a; k < b; ++k) {
      const Granted& g = (*granted)[k];
      const v1::DelegationScope& s = cat_.delegations(g.index).scope();
      const std::vector<RegionId>* townships = &listed;
      if (s.township_codes_size() == 0 && s.region_code().empty()) {
        auto it = class_scopes.find(std::make_pair(
            static_cast<int>(s.township_class()), s.within_region_code()));
        if (it == class_scopes.end()) continue;  // not reached: see the loop
        townships = &it->second;
      } else {
        listed = ScopeTownships(s, *c_.hierarchy);
      }
      for (RegionId t : *townships) {
        grants.push_back(Grant{t, g.index, g.from, g.to});
      }
    }
    std::sort(grants.begin(), grants.end(), [](const Grant& x, const Grant& y) {
      if (x.township != y.township) return x.township < y.township;
      return x.index < y.index;
    });
    for (size_t x = 0; x < grants.size();) {
      size_t y = x + 1;
      while (y < grants.size() && grants[y].township == grants[x].township) {
        ++y;
      }
      if (y - x >= 2) {
        starts.clear();
        for (size_t k = x; k < y; ++k) starts.push_back(grants[k].from);
        std::sort(starts.begin(), starts.end());
        starts.erase(std::unique(starts.begin(), starts.end()), starts.end());
        latest.assign(starts.size() + 1, {kOpenStart, -1});
        for (size_t k = x; k < y; ++k) {
          const Grant& r = grants[k];
          // The earlier grants starting before r ends: one overlaps r iff
          // the latest end among them is after r starts.
          std::pair<int32_t, int> best(kOpenStart, -1);
          for (size_t f = std::lower_bound(starts.begin(), starts.end(), r.to) -
                          starts.begin();
               f > 0; f &= f - 1) {
            if (later_end(latest[f], best)) best = latest[f];
          }
          if (best.second >= 0 && best.first > r.from) {
            overlaps.push_back(Overlap{r.index, r.township, best.second});
          }
          const std::pair<int32_t, int> mine(r.to, r.index);
          for (size_t f =
                   std::lower_bound(starts.begin(), starts.end(), r.from) -
                   starts.begin() + 1;
               f < latest.size(); f += f & (~f + 1)) {
            if (later_end(mine, latest[f])) latest[f] = mine;
          }
        }
      }
      x = y;
    }
    a = b;
  }
  // In delegation order, then township order, as the delegations are read.
  std::sort(overlaps.begin(), overlaps.end(),
            [](const Overlap& x, const Overlap& y) {
              if (x.index != y.index) return x.index < y.index;
              return x.township < y.township;
            });
  for (const Overlap& o : overlaps) {
    const v1::Delegation& g = cat_.delegations(o.index);
    Error("delegation.overlap", "delegation", ElementCode(g.id(), o.index),
          "scope",
          absl::StrCat(
              "item ", Quoted(g.item_code()),
              " is already delegated to township ",
              Quoted(c_.hierarchy->code(o.township)), " by ",
              Quoted(ElementCode(cat_.delegations(o.other).id(), o.other)),
              " in an overlapping window"));
  }
}

void CatalogueValidator::CheckRuleLike(
    absl::string_view prefix, int index, const std::string& id,
    const std::string& matter, const std::string& item, const v1::Role& lead,
    const google::protobuf::RepeatedPtrField<v1::Role>& others,
    absl::string_view others_field, const v1::Role* supervisor,
    const google::protobuf::RepeatedPtrField<v1::AttributePredicate>&
        predicates,
    absl::string_view predicates_field, const std::string& from,
    const std::string& to) {
  const std::string kind(prefix);
  const std::string code = ElementCode(id, index);
  if (!IsIdentifier(id)) {
    Error(absl::StrCat(prefix, ".malformed_id"), kind, code,
          prefix == "rule" ? "id" : "code",
          "an id is 1-64 characters of A-Z, a-z, 0-9 and -_.:");
  } else {
    auto [it, first] = SafeEmplace(&rule_ids_, id, kind);
    if (!first) {
      Error(absl::StrCat(prefix, ".duplicate_id"), kind, code,
            prefix == "rule" ? "id" : "code",
            absl::StrCat("id already used by a ", it->second,
                         " (rules and scenarios share one id space)"));
    }
  }
  if (!matters_.contains(matter)) {
    Error(absl::StrCat(prefix, ".unknown_matter"), kind, code, "matter_code",
          absl::StrCat("no matter has code \"", Utf8Prefix(matter, 64), "\""));
  }
  if (!item.empty() && !items_.contains(item)) {
    Error(absl::StrCat(prefix, ".unknown_item"), kind, code, "item_code",
          absl::StrCat("no item has code \"", Utf8Prefix(item, 64), "\""));
  }
  if (lead.kind() == v1::ROLE_KIND_UNSPECIFIED && lead.department_type().empty() &&
      lead.unit_code().empty()) {
    Error(absl::StrCat(prefix, ".missing_lead"), kind, code, "lead",
          absl::StrCat("the ", kind,
                       " names no lead (责任主体唯一 needs exactly one)"));
  } else {
    CheckRole(prefix, kind, code, lead, "lead");
  }
  for (int k = 0; k < others.size(); ++k) {
    CheckRole(prefix, kind, code, others[k],
              absl::StrCat(others_field, "[", k, "]"));
  }
  // An unset supervisor means the default; one with any field set must be
  // a whole role.
  if (supervisor != nullptr &&
      (supervisor->kind() != v1::ROLE_KIND_UNSPECIFIED ||
       !supervisor->department_type().empty() ||
       !supervisor->unit_code().empty())) {
    CheckRole(prefix, kind, code, *supervisor, "supervisor");
  }
  for (int k = 0; k < predicates.size(); ++k) {
    CheckPredicate(prefix, kind, code, predicates[k],
                   absl::StrCat(predicates_field, "[", k, "]"));
  }
  CheckWindow(prefix, kind, code, from, "effective_date", to, "end_date");
}

void CatalogueValidator::CheckRules() {
  for (int i = 0; i < cat_.rules_size(); ++i) {
    const v1::DispatchRule& r = cat_.rules(i);
    const std::string code = ElementCode(r.id(), i);
    CheckRuleLike("rule", i, r.id(), r.matter_code(), r.item_code(), r.lead(),
                  r.co_handlers(), "co_handlers", &r.supervisor(),
                  r.attributes(), "attributes", r.effective_date(),
                  r.end_date());
    if (!r.region_code().empty() &&
        c_.region_level(r.region_code()) == v1::REGION_LEVEL_UNSPECIFIED) {
      Error("rule.unknown_region", "rule", code, "region_code",
            absl::StrCat("no region has code \"",
                         Utf8Prefix(r.region_code(), 64), "\""));
    }
    if (r.min_urgency() < 0 || r.max_urgency() < 0 ||
        (r.max_urgency() > 0 && r.min_urgency() > r.max_urgency())) {
      Error("rule.urgency", "rule", code, "min_urgency",
            absl::StrCat("urgency range ", r.min_urgency(), "..",
                         r.max_urgency(), " is empty or negative"));
    }
    for (int k = 0; k < r.township_classes_size(); ++k) {
      if (r.township_classes(k) == v1::TOWNSHIP_CLASS_UNSPECIFIED ||
          !v1::TownshipClass_IsValid(r.township_classes(k))) {
        Error("rule.class", "rule", code,
              absl::StrCat("township_classes[", k, "]"),
              "UNSPECIFIED or unknown township class");
      }
    }
    for (int k = 0; k < r.urban_rural_classes_size(); ++k) {
      if (r.urban_rural_classes(k) == v1::URBAN_RURAL_CLASS_UNSPECIFIED ||
          !v1::UrbanRuralClass_IsValid(r.urban_rural_classes(k))) {
        Error("rule.class", "rule", code,
              absl::StrCat("urban_rural_classes[", k, "]"),
              "UNSPECIFIED or unknown urban-rural class");
      }
    }
    for (int k = 0; k < r.request_kinds_size(); ++k) {
      if (r.request_kinds(k) == v1::REQUEST_KIND_UNSPECIFIED ||
          !v1::RequestKind_IsValid(r.request_kinds(k))) {
        Error("rule.class", "rule", code,
              absl::StrCat("request_kinds[", k, "]"),
              "UNSPECIFIED or unknown request kind");
      }
    }
    if (!r.scenario_code().empty()) {
      Error("rule.field", "rule", code, "scenario_code",
            "scenario_code is set by jiceng on rules compiled from scenarios");
    }
    CheckLimits("rule.limits", "rule", code, r.limits(), "limits.");
  }
}

void CatalogueValidator::CheckScenarios() {
  for (int i = 0; i < cat_.scenarios_size(); ++i) {
    const v1::Scenario& s = cat_.scenarios(i);
    CheckRuleLike("scenario", i, s.code(), s.matter_code(), s.item_code(),
                  s.lead(), s.cooperators(), "cooperators", &s.supervisor(),
                  s.facts(), "facts", s.effective_date(), s.end_date());
    if (s.name().empty()) {
      Error("scenario.missing_name", "scenario", ElementCode(s.code(), i), "name",
            "the scenario has no name");
    }
    CheckLimits("scenario.limits", "scenario", ElementCode(s.code(), i),
                s.limits(), "limits.");
  }
}

void CatalogueValidator::CheckAbolished() {
  absl::flat_hash_set<std::string> codes;
  for (int i = 0; i < cat_.abolished_duties_size(); ++i) {
    const v1::AbolishedDuty& a = cat_.abolished_duties(i);
    const std::string code = ElementCode(a.code(), i);
    if (!IsIdentifier(a.code())) {
      Error("abolished_duty.malformed_code", "abolished_duty", code, "code",
            "a code is 1-64 characters of A-Z, a-z, 0-9 and -_.:");
    } else if (!SafeInsert(&codes, a.code()).second) {
      Error("abolished_duty.duplicate_code", "abolished_duty", code, "code",
            "code already used by another abolished duty");
    }
    if (a.name().empty()) {
      Error("abolished_duty.missing_name", "abolished_duty", code, "name",
            "the abolished duty has no name");
    }
    if (a.keywords_size() == 0) {
      p_.Warning("abolished_duty.no_keywords", "abolished_duty", code,
                 "keywords",
                 "without keywords only proposals citing its code or "
                 "naming it are recognised");
    }
  }
}

}  // namespace

int64_t MaxDurationAmount(v1::TimeUnit unit) {
  switch (unit) {
    case v1::TIME_UNIT_WORKING_HOURS: return 10 * 250 * 24;
    case v1::TIME_UNIT_WORKING_DAYS: return 10 * 250;
    case v1::TIME_UNIT_CALENDAR_HOURS: return 10 * 366 * 24;
    case v1::TIME_UNIT_CALENDAR_DAYS: return 10 * 366;
    default: return 0;
  }
}

void CheckDuration(const v1::Duration& d, absl::string_view rule,
                   absl::string_view element_kind,
                   absl::string_view element_code, absl::string_view field,
                   ProblemList* problems) {
  if (d.amount() == 0 && d.unit() == v1::TIME_UNIT_UNSPECIFIED) return;
  if (d.unit() == v1::TIME_UNIT_UNSPECIFIED) {
    problems->Error(rule, element_kind, element_code, field,
                    "a time limit needs a unit");
    return;
  }
  if (!v1::TimeUnit_IsValid(d.unit())) {
    problems->Error(rule, element_kind, element_code, field,
                    absl::StrCat("unit ", static_cast<int>(d.unit()),
                                 " is not a known time unit"));
    return;
  }
  const int64_t max = MaxDurationAmount(d.unit());
  if (d.amount() <= 0 || d.amount() > max) {
    problems->Error(rule, element_kind, element_code, field,
                    absl::StrCat("a time limit of ", d.amount(), " ",
                                 v1::TimeUnit_Name(d.unit()),
                                 " is outside 1..", max));
  }
}

bool ParseOptionalDate(absl::string_view text, int32_t if_empty,
                       int32_t* day) {
  if (text.empty()) {
    *day = if_empty;
    return true;
  }
  absl::optional<int32_t> d = ParseIsoDate(text);
  if (!d) return false;
  *day = *d;
  return true;
}

std::vector<RegionId> ScopeTownships(const v1::DelegationScope& scope,
                                     const Hierarchy& h) {
  std::vector<RegionId> out;
  for (const std::string& code : scope.township_codes()) {
    const RegionId t = h.Find(code);
    if (t != kNoRegion && h.level(t) == v1::REGION_LEVEL_TOWNSHIP) {
      out.push_back(t);
    }
  }
  auto add_townships_under = [&](RegionId root, bool filter_class) {
    RegionId begin = 0;
    RegionId end = static_cast<RegionId>(h.size());
    if (root != kNoRegion) {
      begin = root;
      end = h.subtree_end(root);
    }
    for (RegionId id = begin; id < end;) {
      if (h.level(id) == v1::REGION_LEVEL_TOWNSHIP) {
        if (!filter_class || h.township_class(id) == scope.township_class()) {
          out.push_back(id);
        }
        id = h.subtree_end(id);  // nothing below a township is a township
      } else {
        ++id;
      }
    }
  };
  if (scope.township_class() != v1::TOWNSHIP_CLASS_UNSPECIFIED) {
    if (scope.within_region_code().empty()) {
      add_townships_under(kNoRegion, true);
    } else {
      const RegionId within = h.Find(scope.within_region_code());
      if (within != kNoRegion) add_townships_under(within, true);
    }
  }
  if (!scope.region_code().empty()) {
    const RegionId r = h.Find(scope.region_code());
    if (r != kNoRegion) add_townships_under(r, false);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

void ValidateCatalogue(const v1::Dataset& dataset,
                       const CatalogueContext& context,
                       ProblemList* problems) {
  CatalogueValidator(dataset, context, problems).Run();
}

}  // namespace jiceng
