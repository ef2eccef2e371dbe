// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0

#include "src/routing/service_router.h"

#include "absl/strings/str_cat.h"
#include "src/base/civil_date.h"
#include "src/base/utf8.h"
#include "src/hierarchy/region_code.h"

namespace jiceng {
namespace {

constexpr int64_t kMaxInstant = 253402300799;

// The ancestor-or-self of `r` at `level`, or kNoRegion.
RegionId AtLevel(const Hierarchy& h, RegionId r, v1::RegionLevel level) {
  for (; r != kNoRegion; r = h.parent(r)) {
    if (h.level(r) == level) return r;
  }
  return kNoRegion;
}

void SetUnit(const Organization& o, UnitId u, const char* role,
             v1::Handler* out) {
  out->set_kind(v1::HANDLER_KIND_UNIT);
  out->set_code(o.code(u));
  out->set_role(role);
}

void Step(v1::ServiceDecision* d, v1::Reason reason, std::string ref,
          std::string text) {
  v1::TraceStep* s = d->add_trace();
  s->set_reason(reason);
  s->set_ref(std::move(ref));
  s->set_text(std::move(text));
}

}  // namespace

absl::StatusOr<v1::ServiceDecision> RouteService(
    const Engine& engine, const v1::ServiceRequest& req) {
  const Hierarchy& h = engine.hierarchy();
  const Organization& o = engine.organization();
  const Catalogue& c = engine.catalogue();
  const WorkCalendar& cal = engine.calendar();

  const ItemId item_id = c.FindItem(req.item_code());
  if (item_id == kNoIndex) {
    return absl::InvalidArgumentError(absl::StrCat(
        "item_code: unknown \"", Utf8Prefix(req.item_code(), 64), "\""));
  }
  const CompiledItem& item = c.item(item_id);
  if (item.list_type != v1::LIST_TYPE_GOVERNMENT_SERVICE) {
    return absl::InvalidArgumentError(
        absl::StrCat("item_code: ", item.code,
                     " is not on the government-service list"));
  }
  absl::optional<uint64_t> key = RegionKeyFromNumber(req.applicant_region_code());
  const RegionId applicant = key ? h.FindKey(*key) : kNoRegion;
  if (applicant == kNoRegion ||
      h.level(applicant) < v1::REGION_LEVEL_TOWNSHIP) {
    return absl::InvalidArgumentError(
        absl::StrCat("applicant_region_code: ", req.applicant_region_code(),
                     " is no township, village or grid of this dataset"));
  }
  if (req.requested_at() <= 0 || req.requested_at() > kMaxInstant) {
    return absl::InvalidArgumentError(absl::StrCat(
        "requested_at: ", req.requested_at(), " is not a time after 1970"));
  }
  const int32_t day = static_cast<int32_t>(
      (req.requested_at() + int64_t{cal.utc_offset_minutes()} * 60) / 86400);
  if (!item.window.Contains(day)) {
    return absl::InvalidArgumentError(
        absl::StrCat("item_code: ", item.code, " is not in force on ",
                     FormatIsoDate(day)));
  }
  const RegionId township = h.township_of(applicant);
  const RegionId county = h.county_of(applicant);

  v1::ServiceDecision d;
  d.set_request_id(req.id());
  Step(&d, v1::REASON_ITEM, item.code,
       absl::StrCat("government-service item ", item.code, " ", item.name));
  Step(&d, v1::REASON_LOCATION, h.code(applicant),
       absl::StrCat("applicant in ", h.name(applicant), " ", h.code(applicant)));

  // Accepting window.
  const RegionId home = AtLevel(h, applicant, item.accepting_level);
  UnitId accepting = kNoUnit;
  if (!req.service_centre_code().empty()) {
    const UnitId centre = o.Find(req.service_centre_code());
    if (centre == kNoUnit || o.kind(centre) != v1::UNIT_KIND_SERVICE_CENTRE) {
      return absl::InvalidArgumentError(absl::StrCat(
          "service_centre_code: \"", Utf8Prefix(req.service_centre_code(), 64),
          "\" is not a service centre"));
    }
    const RegionId at = o.region(centre);
    bool ok = (township != kNoRegion && h.Contains(at, township) &&
               h.level(at) >= v1::REGION_LEVEL_TOWNSHIP) ||
              (township != kNoRegion && h.township_of(at) == township) ||
              (h.level(at) == v1::REGION_LEVEL_COUNTY && h.Contains(at, applicant));
    const char* scope_name = "the applicant's township only";
    switch (item.service_scope) {
      case v1::SERVICE_SCOPE_COUNTY:
        scope_name = "the county (全区通办)";
        ok = ok || (county != kNoRegion && h.county_of(at) == county) ||
             at == county;
        break;
      case v1::SERVICE_SCOPE_CITY: {
        scope_name = "the city (全市通办)";
        const RegionId city = AtLevel(h, applicant, v1::REGION_LEVEL_CITY);
        ok = ok || (city != kNoRegion && h.Contains(city, at));
        break;
      }
      case v1::SERVICE_SCOPE_PROVINCE: {
        scope_name = "the province (全省通办)";
        const RegionId prov = AtLevel(h, applicant, v1::REGION_LEVEL_PROVINCE);
        ok = ok || (prov != kNoRegion && h.Contains(prov, at));
        break;
      }
      default:
        break;
    }
    d.set_accepted_here(ok);
    if (ok) {
      accepting = centre;
    } else {
      d.set_refusal(absl::StrCat(
          o.name(centre), " [", o.code(centre), "] may not accept item ",
          item.code, ": it may be handled in ", scope_name,
          ", and the applicant lives in ", h.name(applicant), " ",
          h.code(applicant)));
    }
  } else {
    d.set_accepted_here(true);
  }
  if (accepting == kNoUnit && home != kNoRegion) {
    accepting = o.FirstOfKind(home, v1::UNIT_KIND_SERVICE_CENTRE);
    if (accepting == kNoUnit) accepting = o.Government(home);
  }
  if (accepting != kNoUnit) {
    SetUnit(o, accepting, "SERVICE_CENTRE", d.mutable_accepting());
    Step(&d, v1::REASON_LEAD, o.code(accepting),
         absl::StrCat("accepted at ", o.name(accepting), " (一窗受理)"));
  }

  // Approving unit.
  UnitId approving = kNoUnit;
  if (item.approving_level <= v1::REGION_LEVEL_COUNTY) {
    for (RegionId r = AtLevel(h, applicant, item.approving_level);
         r != kNoRegion && approving == kNoUnit; r = h.parent(r)) {
      approving = o.Department(r, item.department_type);
      if (approving == kNoUnit && item.department_type < 0) {
        approving = o.Government(r);
      }
    }
  } else if (township != kNoRegion) {
    approving = o.Government(township);
  }
  if (approving != kNoUnit) {
    SetUnit(o, approving, "APPROVING", d.mutable_approving());
    Step(&d, v1::REASON_ITEM, o.code(approving),
         absl::StrCat("approved by ", o.name(approving)));
  }

  // Village proxy (村代办).
  if (item.village_proxy) {
    const RegionId village = AtLevel(h, applicant, v1::REGION_LEVEL_VILLAGE);
    if (village != kNoRegion) {
      UnitId proxy = o.FirstOfKind(village, v1::UNIT_KIND_SERVICE_CENTRE);
      if (proxy == kNoUnit) proxy = o.VillageCommittee(village);
      if (proxy != kNoUnit) {
        SetUnit(o, proxy, "VILLAGE_PROXY", d.mutable_proxy());
        Step(&d, v1::REASON_LEAD, o.code(proxy),
             absl::StrCat("village proxy (代办) at ", o.name(proxy)));
      }
    }
  }

  // Deadlines.
  d.set_immediate(item.immediate);
  d.set_courier_delivery(item.courier_delivery);
  auto due = [&](const CompiledDuration& limit) -> absl::StatusOr<int64_t> {
    switch (limit.unit) {
      case v1::TIME_UNIT_WORKING_DAYS:
        return cal.AddWorkingDays(req.requested_at(), limit.amount);
      case v1::TIME_UNIT_WORKING_HOURS:
        return cal.AddWorkingMinutes(req.requested_at(),
                                     int64_t{limit.amount} * 60);
      case v1::TIME_UNIT_CALENDAR_DAYS:
        return req.requested_at() + int64_t{limit.amount} * 86400;
      case v1::TIME_UNIT_CALENDAR_HOURS:
        return req.requested_at() + int64_t{limit.amount} * 3600;
      default:
        return req.requested_at();
    }
  };
  auto set_limit = [](const CompiledDuration& l, v1::Duration* out) {
    out->set_amount(l.amount);
    out->set_unit(l.unit);
  };
  if (item.immediate) {
    d.set_promised_due_at(req.requested_at());
    Step(&d, v1::REASON_DEADLINE, "immediate", "即办: handled on the spot");
  } else if (item.promised_limit.set()) {
    absl::StatusOr<int64_t> p = due(item.promised_limit);
    if (!p.ok()) return p.status();
    d.set_promised_due_at(*p);
    set_limit(item.promised_limit, d.mutable_promised_limit());
    Step(&d, v1::REASON_DEADLINE, "promised",
         absl::StrCat("promised within ", item.promised_limit.amount, " ",
                      v1::TimeUnit_Name(item.promised_limit.unit).substr(10)));
  }
  if (item.statutory_limit.set()) {
    absl::StatusOr<int64_t> s = due(item.statutory_limit);
    if (!s.ok()) return s.status();
    d.set_statutory_due_at(*s);
    set_limit(item.statutory_limit, d.mutable_statutory_limit());
    if (!item.promised_limit.set() && !item.immediate) {
      d.set_promised_due_at(*s);
    }
  }
  return d;
}

}  // namespace jiceng
