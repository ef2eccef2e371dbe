// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0
//
// Internal header: not installed, not part of the stable API.
//
// RenderHtmlReport: an AssessmentReport as one self-contained HTML page —
// inline CSS and inline SVG charts, no scripts, no fonts or images fetched,
// so it opens offline and prints. People would rather look at the tier
// shares and the overdue units than read them; the tables follow the charts.
//
// Charts (each an <svg class="chart"> with this id and a <title>; every data
// bar is a <rect class="bar"> with data-label, data-series and data-value
// attributes and a <title> tooltip):
//   chart-tier-shares        closed cases per tier (grid, village, township,
//                            county), percent; no data when no case closed
//   chart-township-rates     per township: response, resolution,
//                            satisfaction and on-time rates
//   chart-satisfaction       per township: satisfied vs dissatisfied share
//                            of evaluated cases (the satisfied share is the
//                            township's satisfaction_rate, the dissatisfied
//                            share rounded as the report's rates are)
//   chart-overdue-units      the worst overdue units: overdue open cases
//   chart-reverse-evaluation departments' mean rating from townships
// A chart without data shows "no data" and has no bars.
//
// Deterministic: the same report gives the same bytes (no clock, no
// locale; numbers printed with fixed precision). Text from the report is
// HTML-escaped.
//
// Example:
//   std::string html = RenderHtmlReport(report, HtmlReportOptions{});
//
// Thread safety: a pure function.

#ifndef JICENG_SRC_ASSESSMENT_HTML_REPORT_H_
#define JICENG_SRC_ASSESSMENT_HTML_REPORT_H_

#include <string>

#include "absl/strings/string_view.h"
#include "jiceng/v1/assessment.pb.h"

namespace jiceng {

struct HtmlReportOptions {
  // Local time = UTC + this, for the period shown.
  int utc_offset_minutes = 480;
  // Townships drawn in the per-township charts (the first by code).
  int max_chart_rows = 30;
  // Rows of each table; the rest are counted.
  int max_table_rows = 500;
  // The page title; empty: "jiceng assessment <dataset version>".
  std::string title;
};

std::string RenderHtmlReport(const v1::AssessmentReport& report,
                             const HtmlReportOptions& options);

// `text` with &, <, >, " and ' escaped.
std::string HtmlEscape(absl::string_view text);

}  // namespace jiceng

#endif  // JICENG_SRC_ASSESSMENT_HTML_REPORT_H_
