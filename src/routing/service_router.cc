// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0

#include "src/routing/service_router.h"

#include <algorithm>
#include <initializer_list>
#include <string>

#include "absl/strings/str_cat.h"
#include "src/base/civil_date.h"
#include "src/base/status_macros.h"
#include "src/base/utf8.h"
#include "src/hierarchy/region_code.h"

namespace jiceng {
namespace {

// The ancestor-or-self of `r` at `level`, or kNoRegion.
RegionId AtLevel(const Hierarchy& h, RegionId r, v1::RegionLevel level) {
  for (; r != kNoRegion; r = h.parent(r)) {
    if (h.level(r) == level) return r;
  }
  return kNoRegion;
}

// The region governing `r` at `level`: as AtLevel, except that the county
// level is Hierarchy::county_of, the city itself where the city has no
// county level (东莞, 中山: townships directly under the city).
RegionId Governing(const Hierarchy& h, RegionId r, v1::RegionLevel level) {
  return level == v1::REGION_LEVEL_COUNTY ? h.county_of(r)
                                          : AtLevel(h, r, level);
}

// A string field of the pieces' bytes back to back (a sentence of a trace
// step or the refusal), written without joining them first. REQUIRES: the
// pieces are not all empty (BeginMessage writes the field even then).
void PutJoined(WireWriter* w, int field,
               std::initializer_list<absl::string_view> pieces) {
  const size_t m = w->BeginMessage(field);
  for (absl::string_view p : pieces) w->Append(p);
  w->EndMessage(m);
}

// Field `field`: a Handler {kind UNIT, code}; the field names its role.
void PutUnit(WireWriter* w, int field, const Organization& o, UnitId u) {
  const size_t m = w->BeginMessage(field);
  w->VarintField(1, v1::HANDLER_KIND_UNIT);
  w->StringField(2, o.code(u));
  w->EndMessage(m);
}

// Field `field`: a Duration {amount, unit}.
void PutLimit(WireWriter* w, int field, const CompiledDuration& d) {
  const size_t m = w->BeginMessage(field);
  w->VarintField(1, d.amount);
  w->VarintField(2, d.unit);
  w->EndMessage(m);
}

// Field 13: a TraceStep {reason, ref, text in pieces}.
void PutStep(WireWriter* w, v1::Reason reason, absl::string_view ref,
             std::initializer_list<absl::string_view> text) {
  const size_t m = w->BeginMessage(13);
  w->VarintField(1, reason);
  w->StringField(2, ref);
  PutJoined(w, 3, text);
  w->EndMessage(m);
}

}  // namespace

absl::Status RouteService(const Engine& engine,
                          const v1::ServiceRequest& req, ServiceResult* out) {
  const Hierarchy& h = engine.hierarchy();
  const Organization& o = engine.organization();
  const Catalogue& c = engine.catalogue();
  const WorkCalendar& cal = engine.calendar();
  ServiceResult& d = *out;
  d = ServiceResult();

  const ItemId item_id = c.FindItem(req.item_code());
  if (item_id == kNoIndex) {
    if (req.item_code().empty()) {
      return NotSetError("item_code", "give the code of the service item");
    }
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
    if (req.applicant_region_code() == 0) {
      return NotSetError("applicant_region_code",
                         "give the applicant's township, village or grid");
    }
    return absl::InvalidArgumentError(
        absl::StrCat("applicant_region_code: ", req.applicant_region_code(),
                     " is no township, village or grid of this dataset"));
  }
  if (req.requested_at() <= 0 || req.requested_at() > kMaxInstant) {
    if (req.requested_at() == 0) {
      return NotSetError("requested_at",
                         "give the time of the request, in seconds since "
                         "1970 (UTC)");
    }
    return absl::InvalidArgumentError(
        absl::StrCat("requested_at: ", req.requested_at(),
                     req.requested_at() < 0
                         ? " is before 1970"
                         : " is past the year 9999 (seconds since 1970, UTC)"));
  }
  // Outside the calendar: an error naming the date, whether or not a
  // deadline would consult the calendar (an immediate item's does not). A
  // request is made on a day of the calendar: 24:00 of its last day, where
  // a deadline may still fall, is the first instant of a day it lacks.
  const int32_t day = static_cast<int32_t>(
      (req.requested_at() + int64_t{cal.utc_offset_minutes()} * 60) / 86400);
  if (absl::Status in = cal.CheckInstant(req.requested_at()); !in.ok()) {
    return WithContext("requested_at", in);
  }
  if (!cal.Covers(day)) {
    return absl::OutOfRangeError(
        absl::StrCat("requested_at: ", FormatIsoDate(day),
                     " 00:00 begins a day after the "
                     "work calendar's last, ",
                     FormatIsoDate(cal.last_day())));
  }
  if (!item.window.Contains(day)) {
    return absl::InvalidArgumentError(
        absl::StrCat("item_code: ", item.code, " is not in force on ",
                     FormatIsoDate(day)));
  }
  d.item = item_id;
  d.applicant = applicant;
  const RegionId township = h.township_of(applicant);
  const RegionId county = h.county_of(applicant);

  // Accepting window (一窗受理): the region at the item's accepting level.
  // An applicant registered above that level (a township applicant for an
  // item villages accept) is served at their own region.
  RegionId home = Governing(h, applicant, item.accepting_level);
  if (home == kNoRegion && h.level(applicant) < item.accepting_level) {
    home = applicant;
  }
  if (!req.service_centre_code().empty()) {
    const UnitId centre = o.Find(req.service_centre_code());
    if (centre == kNoUnit || o.kind(centre) != v1::UNIT_KIND_SERVICE_CENTRE) {
      return absl::InvalidArgumentError(absl::StrCat(
          "service_centre_code: \"", Utf8Prefix(req.service_centre_code(), 64),
          "\" is not a service centre"));
    }
    // Every scope: a centre of the applicant's own township (its villages'
    // stations included), or of a region above it, which governs the
    // applicant (the county's or the city's centre).
    const RegionId at = o.region(centre);
    bool ok = (township != kNoRegion &&
               (h.Contains(at, township) || h.township_of(at) == township)) ||
              (township == kNoRegion && h.Contains(at, applicant));
    absl::string_view scope_name =
        "the applicant's own township and the centres above it";
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
    d.accepted_here = ok;
    if (ok) {
      d.accepting = centre;
    } else {
      d.refused_by = centre;
      d.scope = scope_name;
    }
  }
  // The window at the accepting level, or the nearest above it; the trace
  // says when it came from above, or names the level when none has one.
  if (d.accepting == kNoUnit && home != kNoRegion) {
    d.accepting = o.ServiceWindow(h, home);
    if (d.accepting == kNoUnit || o.region(d.accepting) != home) {
      d.accepting_above = home;
    }
  }

  // Approving unit. An item delegated to the applicant's township (赋权,
  // in force on the request's day) is approved there, by the township
  // government, whatever its approving level; once the delegation has
  // ended it returns to the item's own terms.
  if (township != kNoRegion) {
    c.DelegationAt(item_id, township, day, &d.delegation, &d.delegation_ended);
  }
  if (d.delegation != kNoIndex) {
    d.approving = o.Government(township);
    if (d.approving == kNoUnit) d.approving_wanted = township;
  } else if (item.approving_level <= v1::REGION_LEVEL_COUNTY) {
    // The item's department at the approving level, or its government when
    // the item names none; else the nearest region above that has one.
    d.approver_type = item.department_type;
    const RegionId wanted = Governing(h, applicant, item.approving_level);
    for (RegionId r = wanted; r != kNoRegion && d.approving == kNoUnit;
         r = h.parent(r)) {
      d.approving = o.Department(r, item.department_type);
      if (d.approving == kNoUnit && item.department_type < 0) {
        d.approving = o.Government(r);
      }
      if (d.approving != kNoUnit && r != wanted) d.approving_wanted = wanted;
    }
    if (d.approving == kNoUnit) d.approving_wanted = wanted;
  } else if (township != kNoRegion) {
    // At the township: its government approves what the township does
    // itself (基本); an item a department leads (配合, the township
    // cooperating; or 收回, taken back) is approved by that department's
    // unit in the township (a police station), else by the department at
    // the county or above.
    const bool department_leads =
        item.township_role == v1::TOWNSHIP_ROLE_COOPERATING ||
        item.township_role == v1::TOWNSHIP_ROLE_RECLAIMED;
    const int type = item.lead_department_type >= 0 ? item.lead_department_type
                                                    : item.department_type;
    if (department_leads && type >= 0) {
      d.approver_type = type;
      d.approving = o.DispatchedCovering(township, type);
      for (RegionId r = county; r != kNoRegion && d.approving == kNoUnit;
           r = h.parent(r)) {
        d.approving = o.Department(r, type);
      }
      // Not the township's own unit: the trace names the township's gap.
      if (d.approving == kNoUnit ||
          o.kind(d.approving) != v1::UNIT_KIND_DISPATCHED) {
        d.approving_wanted = township;
      }
    } else {
      d.approving = o.Government(township);
      if (d.approving == kNoUnit) d.approving_wanted = township;
    }
  }

  // Village proxy (村代办).
  if (item.village_proxy) {
    const RegionId village = AtLevel(h, applicant, v1::REGION_LEVEL_VILLAGE);
    if (village != kNoRegion) {
      d.proxy = o.FirstOfKind(village, v1::UNIT_KIND_SERVICE_CENTRE);
      if (d.proxy == kNoUnit) d.proxy = o.VillageCommittee(village);
    }
  }

  // Deadlines.
  d.immediate = item.immediate;
  d.courier_delivery = item.courier_delivery;
  auto due = [&](const CompiledDuration& limit) -> absl::StatusOr<int64_t> {
    switch (limit.unit) {
      case v1::TIME_UNIT_WORKING_DAYS:
        return cal.AddWorkingDays(req.requested_at(), limit.amount);
      case v1::TIME_UNIT_WORKING_HOURS:
        return cal.AddWorkingMinutes(req.requested_at(),
                                     int64_t{limit.amount} * 60);
      case v1::TIME_UNIT_CALENDAR_DAYS:
        return cal.AddCalendarDays(req.requested_at(), limit.amount);
      case v1::TIME_UNIT_CALENDAR_HOURS:
        return cal.AddElapsedSeconds(req.requested_at(),
                                     int64_t{limit.amount} * 3600);
      default:
        // Validation (item.service_limit) admits only known units: never a
        // deadline at the request time for a unit we cannot count in.
        return absl::InternalError(absl::StrCat(
            "item ", item.code, ": service limit in unknown time unit ",
            static_cast<int>(limit.unit)));
    }
  };
  // A deadline the calendar cannot place: which one, and its limit.
  auto limit_error = [&](absl::string_view which, const CompiledDuration& l,
                         const absl::Status& s) {
    return WithContext(
        absl::StrCat(
            which, " deadline (", l.amount, " ",
            v1::TimeUnit_IsValid(l.unit) ? v1::TimeUnit_Name(l.unit) : "?",
            " of item ", item.code, ")"),
        s);
  };
  if (!item.immediate && item.promised_limit.set()) {
    absl::StatusOr<int64_t> p = due(item.promised_limit);
    if (!p.ok())
      return limit_error("promised", item.promised_limit, p.status());
    d.promised_due_at = *p;
    d.promised_limit = item.promised_limit;
  }
  if (item.statutory_limit.set()) {
    absl::StatusOr<int64_t> s = due(item.statutory_limit);
    if (!s.ok()) {
      return limit_error("statutory", item.statutory_limit, s.status());
    }
    d.statutory_due_at = *s;
    d.statutory_limit = item.statutory_limit;
    if (!item.promised_limit.set() && !item.immediate) {
      // No promise: the statute is the promise (validation warns,
      // item.promised_missing), and the decision and its trace say so.
      d.promised_due_at = *s;
      d.promised_limit = item.statutory_limit;
    }
  }
  if (item.immediate) {
    // 即办: on the spot at an open window — at once during working time,
    // else when the windows next open (an online application at night).
    absl::StatusOr<int64_t> at = cal.AddWorkingMinutes(req.requested_at(), 0);
    if (!at.ok()) {
      return WithContext(absl::StrCat("immediate deadline of item ", item.code),
                         at.status());
    }
    d.promised_due_at = *at;
  }
  return absl::OkStatus();
}

void AppendServiceDecision(const Engine& engine,
                           const v1::ServiceRequest& req,
                           const ServiceResult& r, WireWriter* w) {
  // Fields in field-number order, proto3 defaults left out (see wire.h).
  const Hierarchy& h = engine.hierarchy();
  const Organization& o = engine.organization();
  const CompiledItem& item = engine.catalogue().item(r.item);
  char digits[kMaxCodeDigits];
  const absl::string_view applicant_code(
      digits, static_cast<size_t>(WriteCodeDigits(h.key(r.applicant), digits)));
  const absl::string_view applicant_name = h.name(r.applicant);

  w->StringField(1, req.id());
  if (r.accepting != kNoUnit) PutUnit(w, 2, o, r.accepting);
  if (r.approving != kNoUnit) PutUnit(w, 3, o, r.approving);
  if (r.proxy != kNoUnit) PutUnit(w, 4, o, r.proxy);
  w->VarintField(5, r.immediate);
  w->VarintField(6, r.promised_due_at);
  w->VarintField(7, r.statutory_due_at);
  if (r.promised_limit.set()) PutLimit(w, 8, r.promised_limit);
  if (r.statutory_limit.set()) PutLimit(w, 9, r.statutory_limit);
  w->VarintField(10, r.courier_delivery);
  w->VarintField(11, r.accepted_here);
  if (r.refused_by != kNoUnit) {
    PutJoined(w, 12,
              {o.name(r.refused_by), " [", o.code(r.refused_by),
               "] may not accept item ", item.code, ": it may be handled in ",
               r.scope, ", and the applicant lives in ", applicant_name, " ",
               applicant_code});
  }

  // The trace: the item and the applicant, then each unit found, then the
  // promised deadline.
  PutStep(w, v1::REASON_ITEM, item.code,
          {"government-service item ", item.code, " ", item.name});
  PutStep(w, v1::REASON_LOCATION, applicant_code,
          {"applicant in ", applicant_name, " ", applicant_code});
  if (r.accepting != kNoUnit) {
    if (r.accepting_above == kNoRegion) {
      PutStep(w, v1::REASON_LEAD, o.code(r.accepting),
              {"accepted at ", o.name(r.accepting), " (一窗受理)"});
    } else {
      PutStep(w, v1::REASON_LEAD, o.code(r.accepting),
              {"accepted at ", o.name(r.accepting),
               " (一窗受理): ", h.name(r.accepting_above),
               " has no service window"});
    }
  } else if (r.accepting_above != kNoRegion) {
    PutStep(w, v1::REASON_LEAD, "",
            {"no service centre or government accepts it at ",
             h.name(r.accepting_above),
             " or above (一窗受理): the dataset lacks one"});
  }
  // Why the approver: a delegation in force, or one that has ended.
  if (r.delegation != kNoIndex) {
    const CompiledDelegation& g = engine.catalogue().delegation(r.delegation);
    PutStep(w, v1::REASON_DELEGATION_APPLIED, g.id,
            {"delegation ", g.id, " gives item ", item.code, " to ",
             h.name(h.township_of(r.applicant)), ": the township approves it"});
  } else if (r.delegation_ended != kNoIndex) {
    const CompiledDelegation& g =
        engine.catalogue().delegation(r.delegation_ended);
    PutStep(w, v1::REASON_DELEGATION_ENDED, g.id,
            {"delegation ", g.id, " of item ", item.code,
             " has ended: the item's own approving unit approves it"});
  }
  // What approves: a department type, else a government.
  const absl::string_view approver =
      r.approver_type >= 0
          ? absl::string_view(o.department_type_code(r.approver_type))
          : absl::string_view("government");
  const absl::string_view approver_kind =
      r.approver_type >= 0 ? " department" : "";
  if (r.approving != kNoUnit && r.approving_wanted == kNoRegion) {
    PutStep(w, v1::REASON_APPROVAL, o.code(r.approving),
            {"approved by ", o.name(r.approving)});
  } else if (r.approving != kNoUnit) {
    PutStep(w, v1::REASON_APPROVAL, o.code(r.approving),
            {"approved by ", o.name(r.approving), ": ",
             h.name(r.approving_wanted), " has no ", approver, approver_kind});
  } else if (r.approving_wanted != kNoRegion) {
    PutStep(w, v1::REASON_APPROVAL, "",
            {"no ", approver, approver_kind, " approves it at ",
             h.name(r.approving_wanted), " or above: the dataset lacks one"});
  }
  if (r.proxy != kNoUnit) {
    PutStep(w, v1::REASON_LEAD, o.code(r.proxy),
            {"village proxy (代办) at ", o.name(r.proxy)});
  }
  if (r.immediate) {
    PutStep(w, v1::REASON_DEADLINE, "immediate",
            {"即办: handled on the spot"});
  } else if (r.promised_limit.set()) {
    // "WORKING_DAYS" of "TIME_UNIT_WORKING_DAYS".
    absl::string_view unit = v1::TimeUnit_Name(r.promised_limit.unit);
    unit.remove_prefix(std::min<size_t>(unit.size(), 10));
    const absl::AlphaNum amount(r.promised_limit.amount);
    PutStep(w, v1::REASON_DEADLINE, "promised",
            {"promised within ", amount.Piece(), " ", unit,
             !item.promised_limit.set()
                 ? ": the statutory limit, the item sets no promise"
                 : ""});
  }
}

absl::StatusOr<v1::ServiceDecision> RouteService(
    const Engine& engine, const v1::ServiceRequest& request) {
  ServiceResult r;
  absl::Status s = RouteService(engine, request, &r);
  if (!s.ok()) return s;
  // One writer serves both forms: the message is its bytes, parsed.
  std::string bytes;
  {
    WireWriter w(&bytes);
    AppendServiceDecision(engine, request, r, &w);
  }
  v1::ServiceDecision d;
  if (!d.ParseFromString(bytes)) {
    return absl::InternalError("service decision: unreadable bytes written");
  }
  return d;
}

}  // namespace jiceng
