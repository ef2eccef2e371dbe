// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0
//
// The HTML report's structure as bytes. tests/assess_html_test.cmake renders
// it in headless Chromium and checks the same charts in the live DOM.

#include "src/assessment/html_report.h"

#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "src/assessment/assess.h"
#include "tests/assessment_fixture.h"
#include "tests/status_matchers.h"

namespace jiceng {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

int Count(const std::string& text, const std::string& needle) {
  int n = 0;
  for (size_t at = text.find(needle); at != std::string::npos;
       at = text.find(needle, at + needle.size())) {
    ++n;
  }
  return n;
}

// The bars of one chart: the text between its <svg id=...> and </svg>.
int BarsIn(const std::string& html, const std::string& id) {
  const size_t begin = html.find(absl::StrCat("<svg id=\"", id, "\""));
  if (begin == std::string::npos) return -1;
  const size_t end = html.find("</svg>", begin);
  return Count(html.substr(begin, end - begin), "<rect class=\"bar\"");
}

class HtmlReportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::unique_ptr<const Engine> engine = TinyAssessmentEngine();
    absl::StatusOr<v1::AssessmentReport> r =
        Assess(*engine, FixedAssessRequest());
    ASSERT_THAT(r, IsOk());
    report_ = *r;
    html_ = RenderHtmlReport(report_, HtmlReportOptions{});
  }
  v1::AssessmentReport report_;
  std::string html_;
};

TEST_F(HtmlReportTest, HasEveryChartWithItsBars) {
  EXPECT_EQ(BarsIn(html_, "chart-tier-shares"), 4);      // four tiers
  EXPECT_EQ(BarsIn(html_, "chart-township-rates"), 8);   // 2 townships x 4
  EXPECT_EQ(BarsIn(html_, "chart-satisfaction"), 4);     // 2 townships x 2
  EXPECT_EQ(BarsIn(html_, "chart-overdue-units"), 1);    // LH-CG
  EXPECT_EQ(BarsIn(html_, "chart-reverse-evaluation"), 2);  // LH-CG, LH-GA
  EXPECT_THAT(html_, HasSubstr("data-label=\"grid\" data-series=\"closed\" "
                               "data-value=\"33.33\""));
  EXPECT_THAT(html_, HasSubstr("data-label=\"雄州街道\" data-series=\"response\" "
                               "data-value=\"75.00\""));
  EXPECT_THAT(html_, HasSubstr("<title>城管局 — overdue: 1.00</title>"));
}

TEST_F(HtmlReportTest, SelfContained) {
  EXPECT_THAT(html_, HasSubstr("<!DOCTYPE html>"));
  EXPECT_THAT(html_, HasSubstr("<meta charset=\"utf-8\">"));
  EXPECT_THAT(html_, Not(HasSubstr("<script")));
  EXPECT_THAT(html_, Not(HasSubstr("https://")));
  EXPECT_THAT(html_, Not(HasSubstr(" src=")));
  EXPECT_THAT(html_, Not(HasSubstr(" href=")));
  EXPECT_THAT(html_, Not(HasSubstr("@import")));
  EXPECT_THAT(html_, Not(HasSubstr("url(")));
}

TEST_F(HtmlReportTest, TablesAndPeriod) {
  EXPECT_THAT(html_, HasSubstr("Period 2026-03-01 00:00 .. 2026-04-01 00:00 "
                               "(UTC+08:00)"));
  EXPECT_THAT(html_, HasSubstr("<table id=\"table-units\">"));
  EXPECT_THAT(html_, HasSubstr("<td>LH-CG</td><td>城管局</td>"));
  EXPECT_THAT(html_, HasSubstr("<table id=\"table-weights\">"));
  // 办结率 beside the other rates: a headline card, a column of the tables
  // and of the weights.
  EXPECT_THAT(html_, HasSubstr("75.00%</div><div class=\"k\">办结率 closure"));
  EXPECT_THAT(html_, HasSubstr("<th>response %</th><th>closure %</th>"));
  EXPECT_THAT(html_, HasSubstr("<th>reverse eval.</th><th>closure</th>"));
}

TEST_F(HtmlReportTest, Deterministic) {
  EXPECT_EQ(RenderHtmlReport(report_, HtmlReportOptions{}), html_);
}

TEST_F(HtmlReportTest, EscapesText) {
  v1::AssessmentReport r = report_;
  r.mutable_units(0)->set_unit_name("<b>&\"'");
  HtmlReportOptions options;
  options.title = "A <script>";
  const std::string html = RenderHtmlReport(r, options);
  EXPECT_THAT(html, HasSubstr("&lt;b&gt;&amp;&quot;&#39;"));
  EXPECT_THAT(html, HasSubstr("<title>A &lt;script&gt;</title>"));
  EXPECT_THAT(html, Not(HasSubstr("<b>&")));
}

TEST_F(HtmlReportTest, LimitsRows) {
  HtmlReportOptions options;
  options.max_chart_rows = 1;
  options.max_table_rows = 2;
  const std::string html = RenderHtmlReport(report_, options);
  EXPECT_EQ(BarsIn(html, "chart-township-rates"), 4);
  EXPECT_THAT(html, HasSubstr("5 more rows not shown"));  // 7 units - 2
}

TEST(HtmlReport, SatisfactionBarsShowTheReportsRates) {
  // 29 of 32 evaluated: 90.625 %, which the report carries as 90.63 (half
  // away from zero); printf's %.2f alone would round the double to 90.62.
  v1::AssessmentReport r;
  v1::RegionFigures* t = r.add_regions();
  t->set_region_code("320116001000");
  t->set_region_name("雄州街道");
  t->set_level(v1::REGION_LEVEL_TOWNSHIP);
  v1::Figures* f = t->mutable_figures();
  f->set_evaluated(32);
  f->set_satisfied(29);
  f->set_dissatisfied(3);
  f->set_satisfaction_rate(90.63);
  const std::string html = RenderHtmlReport(r, HtmlReportOptions{});
  EXPECT_THAT(html,
              HasSubstr("data-label=\"雄州街道\" data-series=\"satisfaction\" "
                        "data-value=\"90.63\""));
  EXPECT_THAT(html,
              HasSubstr("data-label=\"雄州街道\" data-series=\"satisfied\" "
                        "data-value=\"90.63\""));
  // 3 of 32: 9.375 %, rounded the same way.
  EXPECT_THAT(html, HasSubstr("data-label=\"雄州街道\" "
                              "data-series=\"dissatisfied\" "
                              "data-value=\"9.38\""));
}

TEST(HtmlReport, NoClosedCaseMeansNoTierData) {
  // Assess always lists the four tiers; with no case closed they are all
  // 0: no data, no bars.
  std::unique_ptr<const Engine> engine = TinyAssessmentEngine();
  v1::AssessRequest request = FixedAssessRequest();
  request.clear_records();
  absl::StatusOr<v1::AssessmentReport> r = Assess(*engine, request);
  ASSERT_THAT(r, IsOk());
  ASSERT_EQ(r->tier_shares_size(), 4);
  const std::string html = RenderHtmlReport(*r, HtmlReportOptions{});
  EXPECT_EQ(BarsIn(html, "chart-tier-shares"), 0);
  const size_t begin = html.find("<svg id=\"chart-tier-shares\"");
  ASSERT_NE(begin, std::string::npos);
  EXPECT_THAT(html.substr(begin, html.find("</svg>", begin) - begin),
              HasSubstr(">no data</text>"));
}

TEST(HtmlReport, EmptyReportSaysNoData) {
  const std::string html =
      RenderHtmlReport(v1::AssessmentReport(), HtmlReportOptions{});
  EXPECT_EQ(BarsIn(html, "chart-overdue-units"), 0);
  EXPECT_EQ(Count(html, ">no data</text>"), 5);
}

}  // namespace
}  // namespace jiceng
