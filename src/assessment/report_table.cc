// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0

#include "src/assessment/report_table.h"

#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "src/base/civil_date.h"
#include "src/base/utf8.h"

namespace jiceng {
namespace {

// Floor division: instants before 1970 still land on the right day.
int64_t FloorDiv(int64_t a, int64_t b) {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

std::string RatesRow(const v1::Figures& f) {
  return absl::StrFormat(
      "%7d %7d %7d %7.2f %7.2f %7.2f %7.2f %7.2f %6.2f %6.2f %7d %6.2f",
      f.received(), f.closed(), f.overdue_open(), f.response_rate(),
      f.closure_rate(), f.resolution_rate(), f.satisfaction_rate(),
      f.on_time_rate(), f.return_rate(), f.rework_rate(), f.extensions(),
      f.score());
}

constexpr char kRatesHeader[] =
    "    recv  closed overdue  resp%   clos%  resol%  satis% ontime%  ret% "
    "rework%"
    "  ext.  score";

void MoreRows(int total, int shown, std::string* out) {
  if (total > shown) {
    absl::StrAppend(out, "  ... ", total - shown,
                    " more (see --json or --html)\n");
  }
}

}  // namespace

const char* TierName(v1::HandlingTier tier) {
  switch (tier) {
    case v1::HANDLING_TIER_GRID:
      return "grid";
    case v1::HANDLING_TIER_VILLAGE:
      return "village";
    case v1::HANDLING_TIER_TOWNSHIP:
      return "township";
    case v1::HANDLING_TIER_COUNTY:
      return "county";
    default:
      return "";
  }
}

std::string FormatUtcOffset(int utc_offset_minutes) {
  const int m = std::abs(utc_offset_minutes);
  return absl::StrFormat("UTC%c%02d:%02d", utc_offset_minutes < 0 ? '-' : '+',
                         m / 60, m % 60);
}

std::string FormatLocalMinute(int64_t unix_seconds, int utc_offset_minutes) {
  if (unix_seconds == 0) return "-";
  // Local years 0001 to 9999 as dates; anything else as it is. Compared
  // before adding the offset, so that no sum can overflow.
  static const int64_t kFirst = int64_t{DaysFromCivil(1, 1, 1)} * 86400;
  static const int64_t kEnd =
      (int64_t{DaysFromCivil(9999, 12, 31)} + 1) * 86400;  // exclusive
  const int64_t offset = int64_t{utc_offset_minutes} * 60;
  if (unix_seconds < kFirst - offset || unix_seconds >= kEnd - offset) {
    return absl::StrCat("unix time ", unix_seconds);
  }
  const int64_t local = unix_seconds + offset;
  const int64_t day = FloorDiv(local, 86400);
  const int64_t minute = (local - day * 86400) / 60;
  return absl::StrFormat("%s %02d:%02d",
                         FormatIsoDate(static_cast<int32_t>(day)), minute / 60,
                         minute % 60);
}

std::string FormatAssessmentTable(const v1::AssessmentReport& r,
                                  int utc_offset_minutes, int max_rows) {
  std::string out;
  const v1::Figures& t = r.total();
  absl::StrAppend(&out, "assessment: ", r.records(), " records, dataset ",
                  r.dataset_version().empty() ? "-" : r.dataset_version(),
                  "\n");
  absl::StrAppend(
      &out, "period    ", FormatLocalMinute(r.period_start(), utc_offset_minutes),
      " .. ",
      r.period_end() == 0 ? std::string("(open)")
                          : FormatLocalMinute(r.period_end(), utc_offset_minutes),
      " (", FormatUtcOffset(utc_offset_minutes), "), open cases judged at ",
      FormatLocalMinute(r.as_of(), utc_offset_minutes), "\n");
  absl::StrAppend(&out, "not counted: ", r.outside_period(),
                  " outside the period, ", r.merged(), " merged duplicates; ",
                  r.unknown_total(), " unknown code references\n\n");

  absl::StrAppend(&out, "totals\n");
  absl::StrAppend(
      &out,
      absl::StrFormat(
          "  received %d, registered %d, dispatched %d (%d awaiting a response "
          "not yet due), closed %d, open %d (overdue %d)\n",
          t.received(), t.registered(), t.dispatched(), t.awaiting_response(),
          t.closed(), t.open(), t.overdue_open()));
  absl::StrAppend(
      &out,
      absl::StrFormat(
          "  response %.2f%%  closure %.2f%%  resolution %.2f%%  satisfaction "
          "%.2f%%  on-time %.2f%%  return %.2f%%  rework %.2f%%\n",
          t.response_rate(), t.closure_rate(), t.resolution_rate(),
          t.satisfaction_rate(), t.on_time_rate(), t.return_rate(),
          t.rework_rate()));
  absl::StrAppend(&out, absl::StrFormat(
      "  evaluated %d (satisfied %d, dissatisfied %d), extensions %d, parks "
      "%d, score %.2f\n\n",
      t.evaluated(), t.satisfied(), t.dissatisfied(), t.extensions(),
      t.parks(), t.score()));

  absl::StrAppend(&out, "where closed cases were resolved (小问题不出社区)\n");
  for (const v1::TierShare& s : r.tier_shares()) {
    const int width = static_cast<int>(s.percent() / 2.5 + 0.5);
    absl::StrAppend(&out, absl::StrFormat("  %-9s %7d %7.2f%%  %s\n",
                                          TierName(s.tier()), s.closed(),
                                          s.percent(), std::string(width, '#')));
  }

  int townships = 0;
  for (const v1::RegionFigures& rf : r.regions()) {
    townships += rf.level() == v1::REGION_LEVEL_TOWNSHIP;
  }
  absl::StrAppend(&out, "\ntownships (", townships, ")\n  ", kRatesHeader,
                  "  code  name\n");
  int shown = 0;
  for (const v1::RegionFigures& rf : r.regions()) {
    if (rf.level() != v1::REGION_LEVEL_TOWNSHIP || shown >= max_rows) continue;
    ++shown;
    absl::StrAppend(&out, "  ", RatesRow(rf.figures()), "  ", rf.region_code(),
                    "  ", rf.region_name(), "\n");
  }
  MoreRows(townships, shown, &out);

  absl::StrAppend(&out, "\nunits (", r.units_size(), ")\n  ", kRatesHeader,
                  "  co-h.  returned  code  name\n");
  shown = 0;
  for (const v1::UnitFigures& u : r.units()) {
    if (shown >= max_rows) break;
    ++shown;
    absl::StrAppend(&out, "  ", RatesRow(u.figures()),
                    absl::StrFormat(" %6d %9d", u.figures().co_handled(),
                                    u.figures().returned()),
                    "  ", u.unit_code(), "  ", u.unit_name(), "\n");
  }
  MoreRows(r.units_size(), shown, &out);

  absl::StrAppend(&out, "\nworst overdue units\n");
  if (r.overdue_units_size() == 0) absl::StrAppend(&out, "  none\n");
  for (const v1::OverdueUnit& o : r.overdue_units()) {
    absl::StrAppend(&out, absl::StrFormat(
        "  %5d overdue of %5d open, longest %7.1f h  %s  %s\n",
        o.overdue_open(), o.open(),
        static_cast<double>(o.longest_overdue_seconds()) / 3600.0,
        o.unit_code(), o.unit_name()));
  }

  absl::StrAppend(&out, "\nreverse evaluation of departments by townships "
                        "(反向考评)\n");
  if (r.reverse_evaluations_size() == 0) absl::StrAppend(&out, "  none\n");
  for (const v1::DepartmentEvaluation& d : r.reverse_evaluations()) {
    absl::StrAppend(&out, absl::StrFormat("  %6.2f from %4d ratings  %s  %s\n",
                                          d.mean(), d.ratings(), d.unit_code(),
                                          d.unit_name()));
    for (const v1::TownshipRating& tr : d.townships()) {
      absl::StrAppend(&out, absl::StrFormat("      %6.2f from %4d  %s  %s\n",
                                            tr.mean(), tr.ratings(),
                                            tr.township_code(),
                                            tr.township_name()));
    }
  }

  if (r.unknown_size() > 0) {
    absl::StrAppend(&out, "\nunknown codes\n");
    for (const v1::UnknownReference& u : r.unknown()) {
      absl::StrAppend(&out, "  ", u.field(), " ", Printable(u.code()), ": ",
                      u.records(), " records\n");
    }
  }
  return out;
}

}  // namespace jiceng
