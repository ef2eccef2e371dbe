// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0

#include "src/assessment/html_report.h"

#include <algorithm>
#include <cstdint>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "src/assessment/assess.h"
#include "src/assessment/assessment_policy.h"
#include "src/assessment/report_table.h"

namespace jiceng {
namespace {

// Colour per series, fixed so that the bytes are deterministic and the
// same measure keeps its colour in every chart.
constexpr const char* kPalette[] = {"#2f6fb0", "#3c9d5d", "#e0a030",
                                    "#8a5cc2", "#c8483c", "#5aa9c6"};

constexpr int kLabelWidth = 220;
constexpr int kPlotWidth = 440;
constexpr int kValueWidth = 120;

struct Series {
  std::string name;
  const char* colour;
};

struct Row {
  std::string label;
  std::vector<double> values;  // one per series
  std::vector<std::string> texts;  // shown after the bars; may be empty
};

std::string Num(double v) { return absl::StrFormat("%.2f", v); }

// A horizontal bar chart. Grouped: one thin bar per series in each row;
// stacked: the series side by side in one bar (values are parts of
// `max_value`).
std::string BarChart(absl::string_view id, absl::string_view title,
                     const std::vector<Series>& series,
                     const std::vector<Row>& rows, double max_value,
                     bool stacked, absl::string_view unit) {
  const int per_series = stacked ? 18 : (series.size() > 1 ? 7 : 18);
  const int row_height =
      stacked ? 26 : static_cast<int>(series.size()) * per_series + 10;
  const int legend = series.size() > 1 ? 24 : 0;
  const int height = 34 + legend + std::max<int>(1, static_cast<int>(rows.size())) * row_height + 8;
  const int width = kLabelWidth + kPlotWidth + kValueWidth;
  std::string out = absl::StrFormat(
      "<svg id=\"%s\" class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" "
      "width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\" "
      "aria-labelledby=\"%s-title\">\n<title id=\"%s-title\">%s</title>\n"
      "<text class=\"chart-title\" x=\"0\" y=\"18\">%s</text>\n",
      id, width, height, width, height, id, id, HtmlEscape(title),
      HtmlEscape(title));
  int y = 30;
  if (legend > 0) {
    int x = kLabelWidth;
    for (const Series& s : series) {
      absl::StrAppend(&out, absl::StrFormat(
          "<rect class=\"legend\" x=\"%d\" y=\"%d\" width=\"10\" height=\"10\" "
          "fill=\"%s\"/><text class=\"legend-text\" x=\"%d\" y=\"%d\">%s</text>\n",
          x, y + 2, s.colour, x + 14, y + 11, HtmlEscape(s.name)));
      x += 14 + 8 * static_cast<int>(s.name.size()) + 16;
    }
    y += legend;
  }
  // Grid lines at 0, 25, 50, 75, 100 % of the scale.
  for (int q = 0; q <= 4; ++q) {
    const int x = kLabelWidth + kPlotWidth * q / 4;
    absl::StrAppend(&out, absl::StrFormat(
        "<line class=\"grid\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>\n", x,
        y, x, height - 8));
  }
  if (rows.empty()) {
    absl::StrAppend(&out, absl::StrFormat(
        "<text class=\"no-data\" x=\"%d\" y=\"%d\">no data</text>\n",
        kLabelWidth + 8, y + 16));
  }
  const double scale = max_value > 0 ? kPlotWidth / max_value : 0;
  for (const Row& row : rows) {
    absl::StrAppend(&out, absl::StrFormat(
        "<text class=\"label\" x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>\n",
        kLabelWidth - 6, y + (stacked || series.size() == 1 ? 13 : row_height / 2 + 1),
        HtmlEscape(row.label)));
    double x = kLabelWidth;
    for (size_t s = 0; s < series.size(); ++s) {
      const double v = s < row.values.size() ? row.values[s] : 0.0;
      const double w = std::max(0.0, v * scale);
      const double bx = stacked ? x : kLabelWidth;
      const int by = stacked ? y : y + static_cast<int>(s) * per_series;
      const int bh = stacked ? 18 : per_series - 1;
      absl::StrAppend(&out, absl::StrFormat(
          "<rect class=\"bar\" data-label=\"%s\" data-series=\"%s\" "
          "data-value=\"%s\" x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" "
          "fill=\"%s\"><title>%s — %s: %s%s</title></rect>\n",
          HtmlEscape(row.label), HtmlEscape(series[s].name), Num(v), bx, by, w,
          bh, series[s].colour, HtmlEscape(row.label),
          HtmlEscape(series[s].name), Num(v), unit));
      x += w;
    }
    const std::string text =
        row.texts.empty() ? absl::StrCat(Num(row.values.empty() ? 0 : row.values[0]), unit)
                          : row.texts[0];
    absl::StrAppend(&out, absl::StrFormat(
        "<text class=\"value\" x=\"%d\" y=\"%d\">%s</text>\n",
        kLabelWidth + kPlotWidth + 6, y + 13, HtmlEscape(text)));
    y += row_height;
  }
  absl::StrAppend(&out, "</svg>\n");
  return out;
}

std::string Cell(absl::string_view text, bool number = false) {
  return absl::StrCat(number ? "<td class=\"n\">" : "<td>", HtmlEscape(text),
                      "</td>");
}

constexpr char kRateHead[] =
    "<th>received</th><th>closed</th><th>open</th><th>overdue</th>"
    "<th>response %</th><th>closure %</th><th>resolution %</th>"
    "<th>satisfaction %</th>"
    "<th>on-time %</th><th>return %</th><th>rework %</th><th>extensions</th>"
    "<th>parks</th><th>score</th>";

std::string RateCells(const v1::Figures& f) {
  return absl::StrCat(
      Cell(absl::StrCat(f.received()), true),
      Cell(absl::StrCat(f.closed()), true), Cell(absl::StrCat(f.open()), true),
      Cell(absl::StrCat(f.overdue_open()), true),
      Cell(Num(f.response_rate()), true), Cell(Num(f.closure_rate()), true),
      Cell(Num(f.resolution_rate()), true),
      Cell(Num(f.satisfaction_rate()), true), Cell(Num(f.on_time_rate()), true),
      Cell(Num(f.return_rate()), true), Cell(Num(f.rework_rate()), true),
      Cell(absl::StrCat(f.extensions()), true),
      Cell(absl::StrCat(f.parks()), true), Cell(Num(f.score()), true));
}

void MoreRows(int total, int shown, std::string* out) {
  if (total > shown) {
    absl::StrAppend(out, "<p class=\"more\">", total - shown,
                    " more rows not shown (see <code>jiceng assess --json"
                    "</code>).</p>\n");
  }
}

constexpr char kStyle[] = R"css(
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", sans-serif; margin: 24px; color: #222; }
h1 { font-size: 22px; margin-bottom: 4px; }
h2 { font-size: 17px; margin-top: 28px; border-bottom: 1px solid #ccc; }
.meta { color: #555; font-size: 13px; }
.cards { display: flex; flex-wrap: wrap; gap: 12px; margin: 16px 0; }
.card { border: 1px solid #ddd; border-radius: 6px; padding: 8px 14px; min-width: 110px; }
.card .v { font-size: 20px; font-weight: bold; }
.card .k { font-size: 12px; color: #666; }
svg.chart { display: block; margin: 8px 0 16px; font-size: 12px; }
.chart-title { font-size: 14px; font-weight: bold; }
.grid { stroke: #e3e3e3; stroke-width: 1; }
.no-data { fill: #999; }
table { border-collapse: collapse; font-size: 12px; }
th, td { border: 1px solid #ddd; padding: 3px 6px; }
th { background: #f4f4f4; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
.more { color: #666; font-size: 12px; }
)css";

}  // namespace

std::string HtmlEscape(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string RenderHtmlReport(const v1::AssessmentReport& r,
                             const HtmlReportOptions& options) {
  const int offset = options.utc_offset_minutes;
  const std::string title =
      options.title.empty()
          ? absl::StrCat("jiceng assessment ", r.dataset_version())
          : options.title;
  const v1::Figures& t = r.total();
  std::string out = absl::StrCat(
      "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<title>", HtmlEscape(title), "</title>\n<style>", kStyle,
      "</style>\n</head>\n<body>\n<h1>", HtmlEscape(title), "</h1>\n");
  absl::StrAppend(
      &out, "<p class=\"meta\">Period ",
      HtmlEscape(FormatLocalMinute(r.period_start(), offset)), " .. ",
      HtmlEscape(r.period_end() == 0 ? std::string("(open)")
                                     : FormatLocalMinute(r.period_end(), offset)),
      " (", FormatUtcOffset(offset), "); open cases judged at ",
      HtmlEscape(FormatLocalMinute(r.as_of(), offset)), ". ", r.records(),
      " records counted; ", r.outside_period(), " outside the period, ",
      r.merged(), " merged duplicates, ", r.unknown_total(),
      " unknown code references.</p>\n");

  // Headline figures.
  absl::StrAppend(&out, "<div class=\"cards\">\n");
  auto card = [&out](absl::string_view key, const std::string& value) {
    absl::StrAppend(&out, "<div class=\"card\"><div class=\"v\">",
                    HtmlEscape(value), "</div><div class=\"k\">",
                    HtmlEscape(key), "</div></div>\n");
  };
  card("received", absl::StrCat(t.received()));
  card("closed", absl::StrCat(t.closed()));
  card("overdue open", absl::StrCat(t.overdue_open()));
  card("响应率 response", absl::StrCat(Num(t.response_rate()), "%"));
  card("办结率 closure", absl::StrCat(Num(t.closure_rate()), "%"));
  card("解决率 resolution", absl::StrCat(Num(t.resolution_rate()), "%"));
  card("满意率 satisfaction", absl::StrCat(Num(t.satisfaction_rate()), "%"));
  card("按期办结率 on-time", absl::StrCat(Num(t.on_time_rate()), "%"));
  card("退单率 return", absl::StrCat(Num(t.return_rate()), "%"));
  card("返工率 rework", absl::StrCat(Num(t.rework_rate()), "%"));
  card("score", Num(t.score()));
  absl::StrAppend(&out, "</div>\n");

  // Tier shares.
  absl::StrAppend(&out, "<h2>Where closed cases were resolved "
                        "(小问题不出社区)</h2>\n");
  // No closed case at any tier: no data, no bars.
  bool any_closed = false;
  for (const v1::TierShare& s : r.tier_shares()) {
    any_closed |= s.closed() != 0;
  }
  std::vector<Row> tier_rows;
  for (const v1::TierShare& s : r.tier_shares()) {
    if (!any_closed) break;
    tier_rows.push_back(Row{TierName(s.tier()), {s.percent()},
                            {absl::StrCat(Num(s.percent()), "% (", s.closed(), ")")}});
  }
  absl::StrAppend(&out, BarChart("chart-tier-shares", "Closed cases by tier (%)",
                                 {{"closed", kPalette[0]}}, tier_rows, 100,
                                 false, "%"));

  // Townships.
  std::vector<const v1::RegionFigures*> townships;
  for (const v1::RegionFigures& rf : r.regions()) {
    if (rf.level() == v1::REGION_LEVEL_TOWNSHIP) townships.push_back(&rf);
  }
  const size_t drawn = std::min(townships.size(),
                                static_cast<size_t>(std::max(0, options.max_chart_rows)));
  std::vector<Row> rate_rows, satisfaction_rows;
  for (size_t i = 0; i < drawn; ++i) {
    const v1::RegionFigures& rf = *townships[i];
    const v1::Figures& f = rf.figures();
    rate_rows.push_back(Row{rf.region_name(),
                            {f.response_rate(), f.resolution_rate(),
                             f.satisfaction_rate(), f.on_time_rate()},
                            {absl::StrCat("score ", Num(f.score()))}});
    // The satisfied share is the report's satisfaction rate; the
    // dissatisfied share is rounded the same way.
    const double satisfied = f.satisfaction_rate();
    const double dissatisfied = RatePercent(f.dissatisfied(), f.evaluated());
    satisfaction_rows.push_back(
        Row{rf.region_name(),
            {satisfied, dissatisfied},
            {absl::StrCat(f.evaluated(), " evaluated")}});
  }
  absl::StrAppend(&out, "<h2>Townships</h2>\n");
  absl::StrAppend(&out, BarChart("chart-township-rates",
                                 "Rates per township (%)",
                                 {{"response", kPalette[0]},
                                  {"resolution", kPalette[1]},
                                  {"satisfaction", kPalette[2]},
                                  {"on-time", kPalette[3]}},
                                 rate_rows, 100, false, "%"));
  absl::StrAppend(&out, BarChart("chart-satisfaction",
                                 "Satisfaction per township (% of evaluated)",
                                 {{"satisfied", kPalette[1]},
                                  {"dissatisfied", kPalette[4]}},
                                 satisfaction_rows, 100, true, "%"));
  MoreRows(static_cast<int>(townships.size()), static_cast<int>(drawn), &out);

  // Overdue units.
  absl::StrAppend(&out, "<h2>Worst overdue units</h2>\n");
  std::vector<Row> overdue_rows;
  double max_overdue = 0;
  for (const v1::OverdueUnit& o : r.overdue_units()) {
    overdue_rows.push_back(
        Row{o.unit_name().empty() ? o.unit_code() : o.unit_name(),
            {static_cast<double>(o.overdue_open())},
            {absl::StrCat(o.overdue_open(), " of ", o.open(), " open")}});
    max_overdue = std::max(max_overdue, static_cast<double>(o.overdue_open()));
  }
  absl::StrAppend(&out, BarChart("chart-overdue-units",
                                 "Open cases past a deadline", 
                                 {{"overdue", kPalette[4]}}, overdue_rows,
                                 max_overdue, false, ""));

  // Reverse evaluation.
  absl::StrAppend(&out, "<h2>Reverse evaluation of departments (反向考评)</h2>\n");
  std::vector<Row> reverse_rows;
  for (const v1::DepartmentEvaluation& d : r.reverse_evaluations()) {
    reverse_rows.push_back(
        Row{d.unit_name().empty() ? d.unit_code() : d.unit_name(),
            {d.mean()},
            {absl::StrCat(Num(d.mean()), " (", d.ratings(), ")")}});
  }
  absl::StrAppend(&out, BarChart("chart-reverse-evaluation",
                                 "Mean rating by townships (0-100)",
                                 {{"mean rating", kPalette[3]}}, reverse_rows,
                                 100, false, ""));

  // Tables.
  absl::StrAppend(&out, "<h2>Regions</h2>\n<table id=\"table-regions\">\n"
                        "<tr><th>code</th><th>name</th><th>level</th>",
                  kRateHead, "</tr>\n");
  int shown = 0;
  for (const v1::RegionFigures& rf : r.regions()) {
    if (shown >= options.max_table_rows) break;
    if (rf.level() > v1::REGION_LEVEL_TOWNSHIP) continue;
    ++shown;
    absl::StrAppend(&out, "<tr>", Cell(rf.region_code()), Cell(rf.region_name()),
                    Cell(std::string(RegionLevelName(rf.level()))),
                    RateCells(rf.figures()), "</tr>\n");
  }
  absl::StrAppend(&out, "</table>\n");
  int listed = 0;
  for (const v1::RegionFigures& rf : r.regions()) {
    listed += rf.level() <= v1::REGION_LEVEL_TOWNSHIP;
  }
  MoreRows(listed, shown, &out);

  absl::StrAppend(&out, "<h2>Units</h2>\n<table id=\"table-units\">\n"
                        "<tr><th>code</th><th>name</th>", kRateHead,
                  "<th>co-handled</th><th>returned</th><th>ratings</th>"
                  "<th>reverse eval.</th></tr>\n");
  shown = 0;
  for (const v1::UnitFigures& u : r.units()) {
    if (shown >= options.max_table_rows) break;
    ++shown;
    const v1::Figures& f = u.figures();
    absl::StrAppend(&out, "<tr>", Cell(u.unit_code()), Cell(u.unit_name()),
                    RateCells(f), Cell(absl::StrCat(f.co_handled()), true),
                    Cell(absl::StrCat(f.returned()), true),
                    Cell(absl::StrCat(f.ratings()), true),
                    Cell(Num(f.reverse_evaluation()), true), "</tr>\n");
  }
  absl::StrAppend(&out, "</table>\n");
  MoreRows(r.units_size(), shown, &out);

  absl::StrAppend(&out,
                  "<h2>Weights</h2>\n<table id=\"table-weights\">\n"
                  "<tr><th>level</th><th>satisfaction</th><th>response</th>"
                  "<th>resolution</th><th>on-time</th><th>return</th>"
                  "<th>rework</th><th>reverse eval.</th>"
                  "<th>closure</th></tr>\n");
  for (const v1::ScoreWeights& w : r.weights()) {
    absl::StrAppend(&out, "<tr>", Cell(std::string(RegionLevelName(w.level()))),
                    Cell(absl::StrCat(w.satisfaction()), true),
                    Cell(absl::StrCat(w.response()), true),
                    Cell(absl::StrCat(w.resolution()), true),
                    Cell(absl::StrCat(w.on_time()), true),
                    Cell(absl::StrCat(w.return_rate()), true),
                    Cell(absl::StrCat(w.rework()), true),
                    Cell(absl::StrCat(w.reverse_evaluation()), true),
                    Cell(absl::StrCat(w.closure()), true), "</tr>\n");
  }
  absl::StrAppend(&out, "</table>\n</body>\n</html>\n");
  return out;
}

}  // namespace jiceng
