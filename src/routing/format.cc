// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0

#include "src/routing/format.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "src/base/civil_date.h"
#include "src/base/enum_name.h"
#include "src/base/utf8.h"
#include "src/catalogue/catalogue.h"
#include "src/hierarchy/region_code.h"

namespace jiceng {

std::string LocalTime(const Engine& engine, int64_t t) {
  const int64_t local = t + int64_t{engine.calendar().utc_offset_minutes()} * 60;
  const int64_t day = local >= 0 ? local / 86400 : (local - 86399) / 86400;
  const int64_t sec = local - day * 86400;
  return absl::StrFormat("%s %02d:%02d", FormatIsoDate(static_cast<int32_t>(day)),
                         sec / 3600, sec % 3600 / 60);
}

namespace {

std::string Name(const Engine& e, const v1::Handler& h) {
  if (h.kind() == v1::HANDLER_KIND_UNIT) {
    const UnitId u = e.organization().Find(h.code());
    return u == kNoUnit ? h.code()
                        : absl::StrCat(e.organization().name(u), " [", h.code(),
                                       "]");
  }
  if (h.kind() == v1::HANDLER_KIND_GRID) {
    const RegionId g = e.hierarchy().Find(h.code());
    return absl::StrCat(g == kNoRegion ? h.code() : std::string(e.hierarchy().name(g)),
                        " grid workers [", h.code(), "]");
  }
  return "-";
}

}  // namespace

std::string FormatDecision(const Engine& e, const v1::Case& c,
                           const v1::RoutingDecision& d) {
  std::string out;
  const RegionId loc = [&] {
    absl::optional<uint64_t> k = RegionKeyFromNumber(c.location_code());
    return k ? e.hierarchy().FindKey(*k) : kNoRegion;
  }();
  const MatterId m = e.catalogue().FindMatter(c.matter_code());
  absl::StrAppend(
      &out, Printable(c.id()), "  ", Printable(c.matter_code()), " ",
      m == kNoIndex ? "" : e.catalogue().matter(m).name, " @ ",
      c.location_code(), " ",
      loc == kNoRegion ? "" : std::string(e.hierarchy().name(loc)), "  ",
      LocalTime(e, c.reported_at()),
      c.request_kind() != v1::REQUEST_KIND_UNSPECIFIED
          ? absl::StrCat("  ",
                         EnumSuffix(v1::RequestKind_Name(c.request_kind()), 13,
                                    c.request_kind()))
          : "",
      "  urgency ", c.urgency() == 0 ? 1 : c.urgency());
  for (const auto& a : c.attributes()) {
    absl::StrAppend(&out, "  ", Printable(a.key()), "=", Printable(a.value()));
  }
  for (uint64_t x : c.extra_location_codes()) {
    absl::StrAppend(&out, "  +", x);
  }
  absl::StrAppend(&out, "\n");
  const std::string outcome =
      EnumSuffix(v1::RoutingOutcome_Name(d.outcome()), 16, d.outcome());
  std::string by;
  if (!d.rule_id().empty()) by = absl::StrCat(" by rule ", d.rule_id());
  if (!d.scenario_code().empty()) {
    by = absl::StrCat(" by scenario ", d.scenario_code());
  }
  absl::StrAppend(&out, "  ", outcome, by);
  if (d.has_lead()) {
    absl::StrAppend(&out, " -> ", Name(e, d.lead()), " as ",
                    RoleLabel(d.lead().role()));
  }
  absl::StrAppend(&out, "; tier ",
                  EnumSuffix(v1::HandlingTier_Name(d.tier()), 14, d.tier()));
  if (d.enforcement_mode() != v1::DELEGATION_MODE_UNSPECIFIED) {
    absl::StrAppend(&out, "; enforcement ",
                    EnumSuffix(v1::DelegationMode_Name(d.enforcement_mode()),
                               16, d.enforcement_mode()),
                    " (", d.delegation_id(), ")");
  }
  absl::StrAppend(&out, "\n");
  if (d.candidates_size() > 0) {
    std::vector<std::string> names;
    for (const auto& h : d.candidates()) names.push_back(Name(e, h));
    absl::StrAppend(&out, "  candidates: ", absl::StrJoin(names, "; "),
                    "; arbitrated by ", Name(e, d.arbitrator()), "\n");
  }
  if (d.co_handlers_size() > 0) {
    std::vector<std::string> names;
    for (const auto& h : d.co_handlers()) names.push_back(Name(e, h));
    absl::StrAppend(&out, "  co-handlers: ", absl::StrJoin(names, "; "), "\n");
  }
  if (d.has_supervisor()) {
    absl::StrAppend(&out, "  supervisor: ", Name(e, d.supervisor()), "\n");
  }
  if (d.deadlines_size() > 0) {
    std::vector<std::string> parts;
    for (const auto& dl : d.deadlines()) {
      parts.push_back(absl::StrCat(
          absl::AsciiStrToLower(
              EnumSuffix(v1::Stage_Name(dl.stage()), 6, dl.stage())),
          " ", LocalTime(e, dl.due_at()), " (", dl.limit().amount(), " ",
          absl::AsciiStrToLower(EnumSuffix(v1::TimeUnit_Name(dl.limit().unit()),
                                           10, dl.limit().unit())),
          ", ", dl.source(), ")"));
    }
    absl::StrAppend(&out, "  deadlines: ", absl::StrJoin(parts, "; "), "\n");
  }
  if (d.escalation_size() > 0) {
    std::vector<std::string> names;
    for (const auto& s : d.escalation()) names.push_back(Name(e, s.handler()));
    absl::StrAppend(&out, "  escalation: ", absl::StrJoin(names, " -> "), "\n");
  }
  if (d.whistle_size() > 0) {
    std::vector<std::string> names;
    for (const auto& w : d.whistle()) {
      names.push_back(absl::StrCat(Name(e, w.department()), " by ",
                                   LocalTime(e, w.report_by())));
    }
    absl::StrAppend(&out, "  whistle (吹哨报到): ", absl::StrJoin(names, "; "),
                    "\n");
  }
  bool text = false;
  for (const auto& t : d.trace()) text |= !t.text().empty();
  if (text) {
    std::vector<std::string> steps;
    for (const auto& t : d.trace()) {
      if (t.reason() == v1::REASON_DEADLINE) continue;  // shown above
      steps.push_back(t.text());
    }
    absl::StrAppend(&out, "  why: ", absl::StrJoin(steps, "; "), "\n");
  }
  return out;
}

}  // namespace jiceng
