// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0
//
// Plant each defect kind in a small dataset and find exactly it.

#include "src/catalogue/analysis.h"

#include <memory>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "src/base/civil_date.h"
#include "src/dataset/validate.h"
#include "src/engine/engine.h"
#include "tests/catalogue_fixture.h"
#include "tests/status_matchers.h"

namespace jiceng {
namespace {

v1::CatalogueAnalysis Analyze(const v1::Dataset& d,
                              const char* date = "2026-03-02") {
  ProblemList p = ValidateDataset(d);
  EXPECT_EQ(p.error_count(), 0) << Dump(p);
  auto e = Engine::Compile(d);
  EXPECT_THAT(e, IsOk());
  if (!e.ok()) return {};
  return AnalyzeCatalogue((*e)->catalogue(), *ParseIsoDate(date));
}

std::string Kinds(const v1::CatalogueAnalysis& a) {
  std::string out;
  for (const auto& f : a.findings()) {
    out += v1::FindingKind_Name(f.kind()) + ": " + f.message() + "\n";
  }
  return out;
}

// The findings of one kind.
std::vector<v1::Finding> OfKind(const v1::CatalogueAnalysis& a,
                                v1::FindingKind kind) {
  std::vector<v1::Finding> out;
  for (const auto& f : a.findings()) {
    if (f.kind() == kind) out.push_back(f);
  }
  return out;
}

// The fixture plants one unresolved role on purpose (R-01005-river's
// village committee in 大泉村); remove it to get a clean baseline. Its
// H0101 rules take consultations, complaints and reports only: the bureau
// takes the other requests.
v1::Dataset Clean() {
  v1::Dataset d = TinyWithCatalogue();
  d.mutable_catalogue()->mutable_rules(2)->clear_co_handlers();
  v1::DispatchRule* rest = d.mutable_catalogue()->add_rules();
  rest->set_id("R-H0101");
  rest->set_matter_code("H0101");
  rest->set_item_code("ZW-001");
  rest->mutable_lead()->set_kind(v1::ROLE_KIND_NAMED_UNIT);
  rest->mutable_lead()->set_unit_code("LH-SJ");
  return d;
}

TEST(Analysis, CleanCatalogueHasNoFindings) {
  v1::CatalogueAnalysis a = Analyze(Clean());
  EXPECT_EQ(a.findings_size(), 0) << Kinds(a);
  EXPECT_EQ(a.as_of_date(), "2026-03-02");
}

TEST(Analysis, FindsTheUnresolvedVillageCommittee) {
  // (Its other finding, the H0101 requests no rule takes, is
  // GapForTheCasesNoRuleTakes's.)
  v1::CatalogueAnalysis a = Analyze(TinyWithCatalogue());
  ASSERT_EQ(a.findings_size(), 2) << Kinds(a);
  const std::vector<v1::Finding> found =
      OfKind(a, v1::FINDING_KIND_UNRESOLVED_ROLE);
  ASSERT_EQ(found.size(), 1u) << Kinds(a);
  const v1::Finding& f = found[0];
  EXPECT_EQ(f.severity(), v1::SEVERITY_ERROR);
  EXPECT_EQ(f.rule_ids(0), "R-01005-river");
  EXPECT_EQ(f.role(), "co_handlers[0] ROLE_KIND_VILLAGE_COMMITTEE");
  // 竹镇镇's 大泉村 has no committee; 雄州街道's one community has.
  ASSERT_EQ(f.region_count(), 1);
  EXPECT_EQ(f.region_codes(0), "320116100000");
}

TEST(Analysis, Gap) {
  v1::Dataset d = Clean();
  // 暴露垃圾 only in 雄州街道: 竹镇镇 has no rule for it.
  d.mutable_catalogue()->mutable_rules(4)->set_region_code("320116001000");
  v1::CatalogueAnalysis a = Analyze(d);
  ASSERT_EQ(a.findings_size(), 1) << Kinds(a);
  EXPECT_EQ(a.findings(0).kind(), v1::FINDING_KIND_GAP);
  EXPECT_EQ(a.findings(0).severity(), v1::SEVERITY_WARNING);
  EXPECT_EQ(a.findings(0).matter_code(), "01001");
  ASSERT_EQ(a.findings(0).region_codes_size(), 1);
  EXPECT_EQ(a.findings(0).region_codes(0), "320116100000");
}

// A rule testing the case (urgency, request kind, urban-rural class, an
// attribute) takes some cases of its matter only: the others, with no
// other rule, go UNMAPPED, and that is a gap too.
TEST(Analysis, GapForTheCasesNoRuleTakes) {
  // The fixture as it is: help requests, suggestions and calls without a
  // kind of H0101 have no rule.
  v1::CatalogueAnalysis a = Analyze(TinyWithCatalogue());
  std::vector<v1::Finding> gaps = OfKind(a, v1::FINDING_KIND_GAP);
  ASSERT_EQ(gaps.size(), 1u) << Kinds(a);
  EXPECT_EQ(gaps[0].severity(), v1::SEVERITY_WARNING);
  EXPECT_EQ(gaps[0].matter_code(), "H0101");
  EXPECT_EQ(gaps[0].region_count(), 2);
  EXPECT_NE(gaps[0].message().find(
                "no rule takes cases of request kind none, HELP or "
                "SUGGESTION in 2 townships"),
            std::string::npos)
      << Kinds(a);
  v1::Dataset d = Clean();
  v1::DispatchRule* r = d.mutable_catalogue()->mutable_rules(4);  // R-01001
  // Urgent cases only.
  r->set_min_urgency(3);
  a = Analyze(d);
  ASSERT_EQ(a.findings_size(), 1) << Kinds(a);
  EXPECT_EQ(a.findings(0).kind(), v1::FINDING_KIND_GAP);
  EXPECT_NE(a.findings(0).message().find("no rule takes cases of urgency 1 "
                                         "or 2 in 2 townships"),
            std::string::npos)
      << Kinds(a);
  // Covered by a second rule for urgency up to 2: no gap.
  v1::DispatchRule* low = d.mutable_catalogue()->add_rules();
  *low = *r;
  low->set_id("R-01001-low");
  low->clear_min_urgency();
  low->set_max_urgency(2);
  EXPECT_EQ(Analyze(d).findings_size(), 0) << Kinds(Analyze(d));
  // ... from 2026-05-01 only: the days before, for those cases.
  low->set_effective_date("2026-05-01");
  a = Analyze(d);
  ASSERT_EQ(a.findings_size(), 1) << Kinds(a);
  EXPECT_NE(a.findings(0).message().find(
                "no rule is in force from 2026-03-02 to 2026-04-30 (60 days) "
                "for cases of urgency 1 or 2 in 2 townships"),
            std::string::npos)
      << Kinds(a);
  d.mutable_catalogue()->mutable_rules()->RemoveLast();
  // Main-urban locations only: the rest of 雄州街道 (the street itself) and
  // 竹镇镇 (its village, the town itself) are gaps; 竹镇 has no main-urban
  // place.
  r->clear_min_urgency();
  r->add_urban_rural_classes(v1::URBAN_RURAL_CLASS_MAIN_URBAN);
  a = Analyze(d);
  ASSERT_EQ(a.findings_size(), 1) << Kinds(a);
  EXPECT_NE(a.findings(0).message().find(
                "no rule takes cases of urban-rural class none or VILLAGE in "
                "2 townships"),
            std::string::npos)
      << Kinds(a);
  // In 雄州街道 only, no class is left out but the street's own (none).
  r->set_region_code("320116001000");
  r->clear_urban_rural_classes();
  r->add_urban_rural_classes(v1::URBAN_RURAL_CLASS_MAIN_URBAN);
  r->add_urban_rural_classes(v1::URBAN_RURAL_CLASS_VILLAGE);
  a = Analyze(d);
  gaps = OfKind(a, v1::FINDING_KIND_GAP);
  ASSERT_EQ(gaps.size(), 2u) << Kinds(a);
  // 竹镇镇's main-urban and village cases (the rule is 雄州's), and in both
  // townships the cases at the street or town itself (no class).
  EXPECT_NE(gaps[0].message().find("urban-rural class none in 2 townships"),
            std::string::npos)
      << Kinds(a);
  EXPECT_NE(gaps[1].message().find(
                "urban-rural class MAIN_URBAN or VILLAGE in 1 township "
                "(竹镇镇 320116100000)"),
            std::string::npos)
      << Kinds(a);
  // A rule needing an attribute takes no case that comes without it.
  r->clear_region_code();
  r->clear_urban_rural_classes();
  r->add_attributes()->set_key("site");
  r->mutable_attributes(0)->set_equals("road");
  a = Analyze(d);
  ASSERT_EQ(a.findings_size(), 1) << Kinds(a);
  EXPECT_NE(a.findings(0).message().find("no rule reaches 2 townships"),
            std::string::npos)
      << Kinds(a);
}

TEST(Analysis, ScopedRulesCoverEachTownshipByItsOwnRule) {
  v1::Dataset d = Clean();
  v1::DispatchRule* base = d.mutable_catalogue()->mutable_rules(4);
  base->set_region_code("320116001000");
  // The other township covered by its own rule only from 2026-04-01: the
  // gap is the days before, in that township alone.
  v1::DispatchRule* r = d.mutable_catalogue()->add_rules();
  *r = *base;
  r->set_id("R-01001-zhuzhen");
  r->set_region_code("320116100000");
  r->set_effective_date("2026-04-01");
  v1::CatalogueAnalysis a = Analyze(d);
  ASSERT_EQ(a.findings_size(), 1) << Kinds(a);
  EXPECT_EQ(a.findings(0).kind(), v1::FINDING_KIND_GAP);
  ASSERT_EQ(a.findings(0).region_codes_size(), 1);
  EXPECT_EQ(a.findings(0).region_codes(0), "320116100000");
  EXPECT_NE(a.findings(0).message().find("from 2026-03-02 to 2026-03-31"),
            std::string::npos)
      << Kinds(a);
  // Covered from the date on: no gap.
  r->clear_effective_date();
  EXPECT_EQ(Analyze(d).findings_size(), 0) << Kinds(Analyze(d));
}

TEST(Analysis, FindingsBeyondTheCapAreCountedNotRecorded) {
  v1::Dataset d = Clean();
  // 151 rules of one matter at equal precedence, all overlapping: 11,325
  // pairs, more than kMaxRecordedFindings.
  const v1::DispatchRule base = d.catalogue().rules(4);
  for (int i = 0; i < 150; ++i) {
    v1::DispatchRule* r = d.mutable_catalogue()->add_rules();
    *r = base;
    r->set_id("R-copy-" + std::to_string(i));
  }
  v1::CatalogueAnalysis a = Analyze(d);
  const int64_t pairs = 151 * 150 / 2;
  ASSERT_GT(pairs, static_cast<int64_t>(kMaxRecordedFindings));
  EXPECT_EQ(a.findings_size(), static_cast<int>(kMaxRecordedFindings));
  EXPECT_EQ(a.findings_not_recorded(), pairs - kMaxRecordedFindings);
  EXPECT_EQ(a.error_count(), pairs);
  ASSERT_EQ(a.counts_size(), 1);
  EXPECT_EQ(a.counts(0).kind(), v1::FINDING_KIND_OVERLAP);
  EXPECT_EQ(a.counts(0).count(), pairs);
  EXPECT_EQ(a.overlap_pairs_not_examined(), 0);
  EXPECT_NE(FormatAnalysis(a).find("1325 findings not listed"),
            std::string::npos);
}

TEST(Analysis, OverlapFoundByReasoningOverPredicates) {
  v1::Dataset d = Clean();
  // site in {road, river} vs site == road: both 1 predicate, both match a
  // road case.
  v1::DispatchRule* r = d.mutable_catalogue()->add_rules();
  *r = d.catalogue().rules(1);
  r->set_id("R-01005-water-or-road");
  r->clear_attributes();
  auto* p = r->add_attributes();
  p->set_key("site");
  p->mutable_in_set()->add_values("river");
  p->mutable_in_set()->add_values("road");
  v1::CatalogueAnalysis a = Analyze(d);
  int overlaps = 0;
  for (const auto& f : a.findings()) {
    if (f.kind() == v1::FINDING_KIND_OVERLAP) ++overlaps;
  }
  // Overlaps both R-01005-road and R-01005-river.
  EXPECT_EQ(overlaps, 2) << Kinds(a);
  EXPECT_EQ(a.findings_size(), 2) << Kinds(a);
}

TEST(Analysis, DisjointPredicatesDoNotOverlap) {
  v1::Dataset d = Clean();
  v1::DispatchRule* r = d.mutable_catalogue()->add_rules();
  *r = d.catalogue().rules(1);
  r->set_id("R-01005-farmland");
  r->mutable_attributes(0)->set_equals("farmland");
  // Same precedence as -road and -river but another value: no overlap.
  EXPECT_EQ(Analyze(d).findings_size(), 0) << Kinds(Analyze(d));
  // Disjoint urgency ranges and disjoint time windows neither.
  v1::Dataset e = Clean();
  auto* u1 = e.mutable_catalogue()->add_rules();
  *u1 = e.catalogue().rules(4);
  u1->set_id("R-01001-urgent");
  u1->set_min_urgency(3);
  auto* u2 = e.mutable_catalogue()->add_rules();
  *u2 = e.catalogue().rules(4);
  u2->set_id("R-01001-normal");
  u2->set_max_urgency(2);
  EXPECT_EQ(Analyze(e).findings_size(), 0) << Kinds(Analyze(e));
  u2->set_max_urgency(3);  // now they meet at urgency 3
  v1::CatalogueAnalysis a = Analyze(e);
  ASSERT_EQ(a.findings_size(), 1) << Kinds(a);
  EXPECT_EQ(a.findings(0).kind(), v1::FINDING_KIND_OVERLAP);
}

TEST(Analysis, TwoLeads) {
  v1::Dataset d = Clean();
  // PH-001 is cooperating, led by market_supervision; a rule makes the
  // township command room lead it.
  v1::DispatchRule* r = d.mutable_catalogue()->add_rules();
  r->set_id("R-01001-food");
  r->set_matter_code("01001");
  r->set_item_code("PH-001");
  r->set_priority(5);
  r->mutable_lead()->set_kind(v1::ROLE_KIND_TOWNSHIP_COMMAND_ROOM);
  v1::CatalogueAnalysis a = Analyze(d);
  ASSERT_EQ(a.findings_size(), 1) << Kinds(a);
  EXPECT_EQ(a.findings(0).kind(), v1::FINDING_KIND_TWO_LEADS);
  EXPECT_EQ(a.findings(0).item_code(), "PH-001");
  EXPECT_EQ(a.findings(0).rule_ids(0), "R-01001-food");
}

// A rule confined to one township naming a unit of another: its cases
// would go to that township's unit.
TEST(Analysis, NamedUnitOutsideTheRulesRegion) {
  v1::Dataset d = Clean();
  v1::DispatchRule* r = d.mutable_catalogue()->add_rules();
  r->set_id("R-01001-xz");
  r->set_matter_code("01001");
  r->set_region_code("320116001000");  // 雄州街道
  r->set_priority(5);
  r->mutable_lead()->set_kind(v1::ROLE_KIND_NAMED_UNIT);
  r->mutable_lead()->set_unit_code("ZZ-ZHS");  // 竹镇's command room
  // Units at the county or inside the region, and dispatched units (which
  // may cover other townships), are not flagged.
  v1::Role* county = r->add_co_handlers();
  county->set_kind(v1::ROLE_KIND_NAMED_UNIT);
  county->set_unit_code("LH-CG");
  v1::Role* inside = r->add_co_handlers();
  inside->set_kind(v1::ROLE_KIND_NAMED_UNIT);
  inside->set_unit_code("LJ-JWH");
  v1::CatalogueAnalysis a = Analyze(d);
  const std::vector<v1::Finding> f =
      OfKind(a, v1::FINDING_KIND_NAMED_UNIT_OUTSIDE_SCOPE);
  ASSERT_EQ(f.size(), 1u) << Kinds(a);
  EXPECT_EQ(f[0].severity(), v1::SEVERITY_ERROR);
  EXPECT_EQ(f[0].rule_ids(0), "R-01001-xz");
  EXPECT_EQ(f[0].region_codes(0), "320116100000");
  EXPECT_NE(f[0].message().find("names 竹镇综合信息指挥室 [ZZ-ZHS] of 竹镇镇 "
                                "320116100000 as its lead"),
            std::string::npos)
      << f[0].message();
}

// A government-service item accepted at a level where nobody, up to the
// root, has a service centre or government: RouteService would name no
// window (一窗受理).
TEST(Analysis, ServiceWithoutWindow) {
  v1::Dataset d = Clean();
  v1::Item* svc = d.mutable_catalogue()->add_items();
  svc->set_code("ZW-X");
  svc->set_name("居住证办理");
  svc->set_list_type(v1::LIST_TYPE_GOVERNMENT_SERVICE);
  svc->set_department_type("urban_management");
  svc->set_exercising_level(v1::REGION_LEVEL_COUNTY);
  svc->mutable_service()->set_accepting_level(v1::REGION_LEVEL_CITY);
  v1::CatalogueAnalysis a = Analyze(d);
  std::vector<v1::Finding> f =
      OfKind(a, v1::FINDING_KIND_SERVICE_WITHOUT_WINDOW);
  ASSERT_EQ(f.size(), 1u) << Kinds(a);
  EXPECT_EQ(f[0].item_code(), "ZW-X");
  EXPECT_EQ(f[0].region_codes_size(), 2);  // 雄州, 竹镇
  EXPECT_NE(f[0].message().find("is accepted at REGION_LEVEL_CITY, but no "
                                "service centre or government accepts it"),
            std::string::npos)
      << f[0].message();
  // Accepted at the township, as by default: the township governments.
  svc->mutable_service()->set_accepting_level(v1::REGION_LEVEL_TOWNSHIP);
  a = Analyze(d);
  EXPECT_TRUE(OfKind(a, v1::FINDING_KIND_SERVICE_WITHOUT_WINDOW).empty())
      << Kinds(a);
}

TEST(Analysis, DelegationWithoutTeam) {
  v1::Dataset d = Clean();
  // Own-name delegation to the street, which has only a joint centre.
  v1::Delegation* g = d.mutable_catalogue()->add_delegations();
  *g = d.catalogue().delegations(0);
  g->set_id("D-002");
  g->mutable_scope()->clear_township_class();
  g->mutable_scope()->add_township_codes("320116001000");
  v1::CatalogueAnalysis a = Analyze(d);
  ASSERT_EQ(a.findings_size(), 1) << Kinds(a);
  EXPECT_EQ(a.findings(0).kind(), v1::FINDING_KIND_DELEGATION_WITHOUT_TEAM);
  EXPECT_EQ(a.findings(0).delegation_id(), "D-002");
  EXPECT_EQ(a.findings(0).region_codes(0), "320116001000");
  // Joint mode is fine there.
  g->set_mode(v1::DELEGATION_MODE_JOINT);
  EXPECT_EQ(Analyze(d).findings_size(), 0);
  // So is own-name mode for an item that is not enforced (a licence): the
  // township government takes it, no team needed.
  g->set_mode(v1::DELEGATION_MODE_OWN_NAME);
  for (v1::Item& it : *d.mutable_catalogue()->mutable_items()) {
    if (it.code() != g->item_code()) continue;
    it.set_list_type(v1::LIST_TYPE_POWER);
    it.set_power_kind(v1::POWER_KIND_LICENSING);
  }
  EXPECT_EQ(Analyze(d).findings_size(), 0) << Kinds(Analyze(d));
}

TEST(Analysis, ExpiredAndRetiredReferences) {
  v1::Dataset d = Clean();
  d.mutable_catalogue()->mutable_delegations(0)->set_end_date("2026-08-01");
  d.mutable_catalogue()->mutable_items(1)->set_retired_date("2026-09-01");
  // As of 2026-10-01: the delegation has expired; R-01001 cites a retired
  // item: the list still names it, and routing no longer applies it, so
  // 暴露垃圾 has no rule in force either (the gap routing meets).
  v1::CatalogueAnalysis a = Analyze(d, "2026-10-01");
  ASSERT_EQ(a.findings_size(), 3) << Kinds(a);
  EXPECT_EQ(a.findings(0).kind(), v1::FINDING_KIND_GAP);
  EXPECT_EQ(a.findings(0).matter_code(), "01001");
  EXPECT_EQ(a.findings(0).region_count(), 2);
  EXPECT_EQ(a.findings(1).kind(), v1::FINDING_KIND_EXPIRED);
  EXPECT_EQ(a.findings(1).delegation_id(), "D-001");
  EXPECT_EQ(a.findings(2).kind(), v1::FINDING_KIND_RETIRED_CODE_IN_USE);
  EXPECT_EQ(a.findings(2).rule_ids(0), "R-01001");
  EXPECT_EQ(a.error_count(), 1);
  EXPECT_EQ(a.warning_count(), 2);
}

TEST(Analysis, DanglingReferenceToAFutureItem) {
  v1::Dataset d = Clean();
  d.mutable_catalogue()->mutable_items(1)->set_effective_date("2026-06-01");
  v1::CatalogueAnalysis a = Analyze(d);
  // R-01001 applies only from its item's date: until then 暴露垃圾 has no
  // rule in force.
  ASSERT_EQ(a.findings_size(), 2) << Kinds(a);
  EXPECT_EQ(a.findings(0).kind(), v1::FINDING_KIND_GAP);
  EXPECT_NE(
      a.findings(0).message().find("from 2026-03-02 to 2026-05-31 (91 days)"),
      std::string::npos)
      << Kinds(a);
  EXPECT_EQ(a.findings(1).kind(), v1::FINDING_KIND_DANGLING_REFERENCE);
  EXPECT_EQ(a.findings(1).item_code(), "SD-001");
}

// Routing matches a rule on the days both it and its item are in force
// (CompiledRule::in_force): a rule whose own window runs on after its item
// is retired does not overlap its successor, as routing never sees both.
TEST(Analysis, OverlapJudgedOnTheWindowRoutingUses) {
  v1::Dataset d = Clean();
  v1::Catalogue* c = d.mutable_catalogue();
  c->mutable_items(1)->set_retired_date("2026-07-01");  // SD-001
  v1::Item* successor = c->add_items();
  *successor = c->items(1);
  successor->set_code("SD-002");
  successor->set_effective_date("2026-07-01");
  successor->clear_retired_date();
  // R-01001 keeps an open window; its successor starts with SD-002.
  v1::DispatchRule* r = c->add_rules();
  *r = c->rules(4);
  r->set_id("R-01001-2607");
  r->set_item_code("SD-002");
  r->set_effective_date("2026-07-01");
  auto e = Engine::Compile(d);
  ASSERT_THAT(e, IsOk());
  const Catalogue& cat = (*e)->catalogue();
  const MatterId m = cat.FindMatter("01001");
  const CompiledRule* a = nullptr;
  const CompiledRule* b = nullptr;
  for (RuleIndex i = cat.matter(m).rules_begin; i < cat.matter(m).rules_end;
       ++i) {
    (cat.rule(i).id == "R-01001" ? a : b) = &cat.rule(i);
  }
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  EXPECT_FALSE(RulesCanOverlap(cat, *a, *b, *ParseIsoDate("2026-03-02")));
  // Routing agrees: one rule on either side of the retirement.
  CaseFacts facts;
  facts.matter = m;
  facts.location = cat.hierarchy().Find("32011600100101");
  for (const char* day : {"2026-06-30", "2026-07-01", "2026-12-31"}) {
    facts.day = *ParseIsoDate(day);
    EXPECT_EQ(cat.MatchRules(facts).outcome, RuleMatch::kUnique) << day;
  }
  v1::CatalogueAnalysis analysis = Analyze(d);
  EXPECT_EQ(analysis.findings_size(), 0) << Kinds(analysis);
}

// A gap in time: from the date on, the days no rule of the matter is in
// force, where routing answers UNMAPPED.
TEST(Analysis, GapInTimeNamesTheFirstUncoveredRange) {
  v1::Dataset d = Clean();
  v1::Catalogue* c = d.mutable_catalogue();
  c->mutable_rules(4)->set_end_date("2026-08-03");  // R-01001
  v1::DispatchRule* r = c->add_rules();
  *r = c->rules(4);
  r->set_id("R-01001-2609");
  r->set_effective_date("2026-09-01");
  r->clear_end_date();
  for (const char* day : {"2026-03-02", "2026-08-03", "2026-08-31"}) {
    v1::CatalogueAnalysis a = Analyze(d, day);
    const std::vector<v1::Finding> gaps = OfKind(a, v1::FINDING_KIND_GAP);
    ASSERT_EQ(gaps.size(), 1u) << day << "\n" << Kinds(a);
    EXPECT_EQ(gaps[0].severity(), v1::SEVERITY_WARNING);
    EXPECT_EQ(gaps[0].matter_code(), "01001");
    EXPECT_EQ(gaps[0].region_count(), 2);
    // From the date on: the range starts no earlier than the date.
    const std::string from =
        std::string(day) < "2026-08-03" ? "2026-08-03" : day;
    EXPECT_NE(gaps[0].message().find("no rule is in force from " + from +
                                     " to 2026-08-31"),
              std::string::npos)
        << gaps[0].message();
  }
  const std::vector<v1::Finding> august =
      OfKind(Analyze(d, "2026-03-02"), v1::FINDING_KIND_GAP);
  ASSERT_EQ(august.size(), 1u);
  EXPECT_NE(august[0].message().find("2026-08-03 to 2026-08-31 (29 days)"),
            std::string::npos)
      << august[0].message();
  EXPECT_TRUE(OfKind(Analyze(d, "2026-09-01"), v1::FINDING_KIND_GAP).empty());
  // No successor after it: uncovered from its end date on.
  c->mutable_rules(c->rules_size() - 1)->set_effective_date("2027-01-01");
  c->mutable_rules(c->rules_size() - 1)->set_end_date("2027-06-01");
  std::vector<v1::Finding> gaps = OfKind(Analyze(d), v1::FINDING_KIND_GAP);
  ASSERT_EQ(gaps.size(), 1u);
  EXPECT_NE(gaps[0].message().find(
                "no rule is in force from 2026-08-03 to 2026-12-31"),
            std::string::npos)
      << gaps[0].message();
  gaps = OfKind(Analyze(d, "2027-02-01"), v1::FINDING_KIND_GAP);
  ASSERT_EQ(gaps.size(), 1u);
  EXPECT_NE(gaps[0].message().find("no rule is in force from 2027-06-01 on"),
            std::string::npos)
      << gaps[0].message();
}

// A delegation whose scope reaches no township (a class within a region
// that has none of it) empowers nobody.
TEST(Analysis, DelegationReachingNoTownship) {
  v1::Dataset d = Clean();
  // D-001: extra-large townships, now within the street (a large one).
  d.mutable_catalogue()
      ->mutable_delegations(0)
      ->mutable_scope()
      ->set_within_region_code("320116001000");
  v1::CatalogueAnalysis a = Analyze(d);
  ASSERT_EQ(a.findings_size(), 1) << Kinds(a);
  EXPECT_EQ(a.findings(0).kind(),
            v1::FINDING_KIND_DELEGATION_REACHES_NO_TOWNSHIP);
  EXPECT_EQ(a.findings(0).severity(), v1::SEVERITY_ERROR);
  EXPECT_EQ(a.findings(0).delegation_id(), "D-001");
  EXPECT_EQ(a.findings(0).item_code(), "CG-CF-001");
  // Once ended it is only EXPIRED.
  d.mutable_catalogue()->mutable_delegations(0)->set_end_date("2026-08-01");
  a = Analyze(d, "2026-09-01");
  ASSERT_EQ(a.findings_size(), 1) << Kinds(a);
  EXPECT_EQ(a.findings(0).kind(), v1::FINDING_KIND_EXPIRED);
}

// DOMAIN §3: a department's own statutory matter must not be pushed down,
// neither by a rule giving it a grassroots lead nor by a delegation.
TEST(Analysis, StatutoryMatterPushedDown) {
  v1::Dataset d = Clean();
  v1::Catalogue* c = d.mutable_catalogue();
  // SH-001 is a statutory licence of urban_management.
  v1::DispatchRule* r = c->add_rules();
  r->set_id("R-01001-licence");
  r->set_matter_code("01001");
  r->set_item_code("SH-001");
  r->set_priority(5);
  r->mutable_lead()->set_kind(v1::ROLE_KIND_TOWNSHIP_GOVERNMENT);
  v1::CatalogueAnalysis a = Analyze(d);
  ASSERT_EQ(a.findings_size(), 1) << Kinds(a);
  EXPECT_EQ(a.findings(0).kind(), v1::FINDING_KIND_STATUTORY_PUSHED_DOWN);
  EXPECT_EQ(a.findings(0).severity(), v1::SEVERITY_ERROR);
  EXPECT_EQ(a.findings(0).item_code(), "SH-001");
  EXPECT_EQ(a.findings(0).rule_ids(0), "R-01001-licence");
  EXPECT_EQ(a.findings(0).role(), "ROLE_KIND_TOWNSHIP_GOVERNMENT");
  // A township's own unit named is the grassroots too; the department's
  // dispatched squadron is not.
  r->mutable_lead()->set_kind(v1::ROLE_KIND_NAMED_UNIT);
  r->mutable_lead()->set_unit_code("XZ-GOV");
  r->set_region_code("320116001000");
  a = Analyze(d);
  ASSERT_EQ(a.findings_size(), 1) << Kinds(a);
  EXPECT_EQ(a.findings(0).kind(), v1::FINDING_KIND_STATUTORY_PUSHED_DOWN);
  r->mutable_lead()->set_unit_code("XZ-CG");
  EXPECT_EQ(Analyze(d).findings_size(), 0) << Kinds(Analyze(d));
  c->mutable_rules()->RemoveLast();
  // A delegation of it.
  v1::Delegation* g = c->add_delegations();
  g->set_id("D-SH");
  g->set_item_code("SH-001");
  g->set_from_department_type("urban_management");
  g->mutable_scope()->add_township_codes("320116001000");
  g->set_mode(v1::DELEGATION_MODE_ENTRUSTED);
  g->set_effective_date("2026-01-01");
  a = Analyze(d);
  ASSERT_EQ(a.findings_size(), 1) << Kinds(a);
  EXPECT_EQ(a.findings(0).kind(), v1::FINDING_KIND_STATUTORY_PUSHED_DOWN);
  EXPECT_EQ(a.findings(0).delegation_id(), "D-SH");
  ASSERT_EQ(a.findings(0).region_codes_size(), 1);
  EXPECT_EQ(a.findings(0).region_codes(0), "320116001000");
}

TEST(Analysis, CooperatingWithoutLead) {
  v1::Dataset d = Clean();
  d.mutable_catalogue()->mutable_items(2)->set_lead_department_type(
      "public_security");
  // public_security exists in the tiny county: fine. Remove that bureau.
  for (int i = 0; i < d.units_size(); ++i) {
    if (d.units(i).code() == "LH-GA") {
      d.mutable_units()->DeleteSubrange(i, 1);
      break;
    }
  }
  // GA-XZ belonged to it: re-home it so the dataset stays valid.
  for (auto& u : *d.mutable_units()) {
    if (u.code() == "GA-XZ") u.set_parent_unit_code("LH-SJ");
    if (u.code() == "GA-XZ") u.set_department_type("market_supervision");
  }
  for (auto& u : *d.mutable_units()) {
    if (u.code() == "SJ-XZ") u.set_region_code("320116100000");
    if (u.code() == "SJ-XZ") u.clear_covered_region_codes();
  }
  v1::CatalogueAnalysis a = Analyze(d);
  bool found = false;
  for (const auto& f : a.findings()) {
    if (f.kind() == v1::FINDING_KIND_COOPERATING_WITHOUT_LEAD) {
      found = true;
      EXPECT_EQ(f.item_code(), "PH-001");
      EXPECT_EQ(f.region_codes(0), "320116000000");
    }
  }
  EXPECT_TRUE(found) << Kinds(a);
}

// An item of no department (as the county centre's own items) with a
// legal basis, for rules that only the pair check judges.
v1::Item* AddPlainItem(v1::Dataset* d, const std::string& code) {
  v1::Item* it = d->mutable_catalogue()->add_items();
  it->set_code(code);
  it->set_name("其他事项");
  it->set_list_type(v1::LIST_TYPE_POWER);
  it->set_power_kind(v1::POWER_KIND_OTHER);
  it->set_exercising_level(v1::REGION_LEVEL_COUNTY);
  it->mutable_legal_basis()->set_law("《条例》");
  return it;
}

v1::DispatchRule* AddRule(v1::Dataset* d, const std::string& id,
                          const std::string& matter, const std::string& item,
                          int priority) {
  v1::DispatchRule* r = d->mutable_catalogue()->add_rules();
  r->set_id(id);
  r->set_matter_code(matter);
  r->set_item_code(item);
  r->set_priority(priority);
  return r;
}

// analysis.proto: TWO_LEADS is two rules citing one item that can match
// one case with different leads (责任主体唯一), whatever their precedence:
// not only a rule against its item's own department.
TEST(Analysis, TwoRulesCitingOneItemWithDifferentLeads) {
  v1::Dataset d = Clean();
  AddPlainItem(&d, "QT-001");
  // Complaints to urban management; urgency 3 and up (a complaint among
  // them) to market supervision: one item, two departments.
  v1::DispatchRule* a = AddRule(&d, "R-H0101-a", "H0101", "QT-001", 5);
  a->add_request_kinds(v1::REQUEST_KIND_COMPLAINT);
  a->mutable_lead()->set_kind(v1::ROLE_KIND_COUNTY_DEPARTMENT);
  a->mutable_lead()->set_department_type("urban_management");
  v1::DispatchRule* b = AddRule(&d, "R-H0101-b", "H0101", "QT-001", 6);
  b->set_min_urgency(3);
  b->mutable_lead()->set_kind(v1::ROLE_KIND_COUNTY_DEPARTMENT);
  b->mutable_lead()->set_department_type("market_supervision");
  v1::CatalogueAnalysis an = Analyze(d);
  ASSERT_EQ(an.findings_size(), 1) << Kinds(an);
  const v1::Finding& f = an.findings(0);
  EXPECT_EQ(f.kind(), v1::FINDING_KIND_TWO_LEADS);
  EXPECT_EQ(f.severity(), v1::SEVERITY_ERROR);
  EXPECT_EQ(f.item_code(), "QT-001");
  EXPECT_EQ(f.matter_code(), "H0101");
  // The rules in precedence order.
  ASSERT_EQ(f.rule_ids_size(), 2);
  EXPECT_EQ(f.rule_ids(0), "R-H0101-b");
  EXPECT_EQ(f.rule_ids(1), "R-H0101-a");
  // The department's own squadron, or the bureau named: the same lead.
  b->mutable_lead()->set_kind(v1::ROLE_KIND_DISPATCHED_UNIT);
  b->mutable_lead()->set_department_type("urban_management");
  EXPECT_EQ(Analyze(d).findings_size(), 0) << Kinds(Analyze(d));
  b->mutable_lead()->clear_department_type();
  b->mutable_lead()->set_kind(v1::ROLE_KIND_NAMED_UNIT);
  b->mutable_lead()->set_unit_code("LH-CG");
  EXPECT_EQ(Analyze(d).findings_size(), 0) << Kinds(Analyze(d));
  // The township against a department: two leads.
  b->mutable_lead()->clear_unit_code();
  b->mutable_lead()->set_kind(v1::ROLE_KIND_TOWNSHIP_GOVERNMENT);
  an = Analyze(d);
  ASSERT_EQ(OfKind(an, v1::FINDING_KIND_TWO_LEADS).size(), 1u) << Kinds(an);
  // The county centre taking urgent cases up is no second lead.
  b->mutable_lead()->set_kind(v1::ROLE_KIND_COUNTY_SOCIAL_GOVERNANCE_CENTRE);
  EXPECT_EQ(Analyze(d).findings_size(), 0) << Kinds(Analyze(d));
  // Rules that cannot match one case (consultations against complaints),
  // or that are never in force together, are not two leads.
  b->mutable_lead()->set_kind(v1::ROLE_KIND_COUNTY_DEPARTMENT);
  b->mutable_lead()->set_department_type("market_supervision");
  b->add_request_kinds(v1::REQUEST_KIND_CONSULT);
  EXPECT_EQ(Analyze(d).findings_size(), 0) << Kinds(Analyze(d));
  b->clear_request_kinds();
  a->set_end_date("2026-05-01");
  b->set_effective_date("2026-05-01");
  EXPECT_EQ(Analyze(d).findings_size(), 0) << Kinds(Analyze(d));
  // Nor are rules of two matters citing one item (a case has one matter).
  b->clear_effective_date();
  b->set_matter_code("01001");
  an = Analyze(d);
  EXPECT_EQ(OfKind(an, v1::FINDING_KIND_TWO_LEADS).size(), 0u) << Kinds(an);
}

// A basic (基本) township item led by the department's dispatched unit, or
// by a named unit that is the department or its squadron, is the same
// defect as one led by the county department.
TEST(Analysis, BasicItemLedByADepartmentInAnyForm) {
  v1::Dataset d = Clean();
  // SD-001 is basic; the rule cites it alone (for farmland cases of
  // another matter), so only its lead is judged.
  v1::DispatchRule* r = AddRule(&d, "R-01005-farm", "01005", "SD-001", 2);
  r->add_attributes()->set_key("site");
  r->mutable_attributes(0)->set_equals("farmland");
  r->mutable_lead()->set_kind(v1::ROLE_KIND_TOWNSHIP_GOVERNMENT);
  EXPECT_EQ(Analyze(d).findings_size(), 0) << Kinds(Analyze(d));
  struct Lead {
    v1::RoleKind kind;
    const char* department_type;
    const char* unit;
    const char* region;
  };
  for (const Lead& lead : {
           Lead{v1::ROLE_KIND_COUNTY_DEPARTMENT, "urban_management", "", ""},
           Lead{v1::ROLE_KIND_DISPATCHED_UNIT, "urban_management", "", ""},
           Lead{v1::ROLE_KIND_NAMED_UNIT, "", "LH-CG", ""},
           Lead{v1::ROLE_KIND_NAMED_UNIT, "", "XZ-CG", "320116001000"},
       }) {
    r->mutable_lead()->set_kind(lead.kind);
    r->mutable_lead()->set_department_type(lead.department_type);
    r->mutable_lead()->set_unit_code(lead.unit);
    r->set_region_code(lead.region);
    v1::CatalogueAnalysis a = Analyze(d);
    ASSERT_EQ(a.findings_size(), 1) << lead.kind << " " << Kinds(a);
    EXPECT_EQ(a.findings(0).kind(), v1::FINDING_KIND_TWO_LEADS);
    EXPECT_EQ(a.findings(0).item_code(), "SD-001");
    EXPECT_EQ(a.findings(0).rule_ids(0), "R-01005-farm");
    EXPECT_NE(a.findings(0).message().find("basic (基本) township item"),
              std::string::npos)
        << Kinds(a);
  }
}

// Clean() with matter 01009 (渣土撒漏) and no rule for it yet.
v1::Dataset WithSpillMatter() {
  v1::Dataset d = Clean();
  v1::Matter* m = d.mutable_catalogue()->add_matters();
  m->set_code("01009");
  m->set_name("渣土撒漏");
  m->set_category(v1::MATTER_CATEGORY_EVENT);
  m->set_major_class("市容环境");
  return d;
}

// DOMAIN §3: a department's power reaches a township only by a delegation
// in force; the unit with the power handles. A rule giving it to the
// township where it is not delegated puts it on the grassroots.
TEST(Analysis, DepartmentsPowerLedByTheTownshipWithoutADelegation) {
  v1::Dataset d = WithSpillMatter();
  v1::Catalogue* c = d.mutable_catalogue();
  // CG-CF-001, urban management's penalty, is delegated to 竹镇镇 (extra
  // large) from 2026-07-01 only.
  v1::DispatchRule* r = AddRule(&d, "R-01009", "01009", "CG-CF-001", 0);
  r->mutable_lead()->set_kind(v1::ROLE_KIND_TOWNSHIP_GOVERNMENT);
  v1::CatalogueAnalysis a = Analyze(d);
  ASSERT_EQ(a.findings_size(), 1) << Kinds(a);
  const v1::Finding& f = a.findings(0);
  EXPECT_EQ(f.kind(), v1::FINDING_KIND_POWER_PUSHED_DOWN);
  EXPECT_EQ(f.severity(), v1::SEVERITY_ERROR);
  EXPECT_EQ(f.item_code(), "CG-CF-001");
  EXPECT_EQ(f.rule_ids(0), "R-01009");
  EXPECT_EQ(f.role(), "ROLE_KIND_TOWNSHIP_GOVERNMENT");
  EXPECT_EQ(f.region_count(), 2);  // 雄州 never, 竹镇 until 06-30
  // In 竹镇镇 alone (雄州 left without a rule: a GAP): until the delegation
  // takes effect.
  r->set_region_code("320116100000");
  auto pushed = [](const v1::CatalogueAnalysis& a) {
    return OfKind(a, v1::FINDING_KIND_POWER_PUSHED_DOWN);
  };
  a = Analyze(d);
  std::vector<v1::Finding> found = pushed(a);
  ASSERT_EQ(found.size(), 1u) << Kinds(a);
  ASSERT_EQ(found[0].region_codes_size(), 1);
  EXPECT_EQ(found[0].region_codes(0), "320116100000");
  EXPECT_NE(found[0].message().find("from 2026-03-02 to 2026-06-30"),
            std::string::npos)
      << Kinds(a);
  // Naming the township for a delegated item is fine while the delegation
  // is in force (routing would give it the case anyway): from 07-01, or a
  // rule taking effect with the delegation.
  EXPECT_EQ(pushed(Analyze(d, "2026-07-01")).size(), 0u)
      << Kinds(Analyze(d, "2026-07-01"));
  r->set_effective_date("2026-07-01");
  r->mutable_lead()->set_kind(v1::ROLE_KIND_TOWNSHIP_ENFORCEMENT);
  EXPECT_EQ(pushed(Analyze(d)).size(), 0u) << Kinds(Analyze(d));
  // ... and not once it is reclaimed.
  c->mutable_delegations(0)->set_reclaimed_date("2026-10-01");
  a = Analyze(d);
  found = pushed(a);
  ASSERT_EQ(found.size(), 1u) << Kinds(a);
  EXPECT_NE(found[0].message().find("from 2026-10-01 on"), std::string::npos)
      << Kinds(a);
  c->mutable_delegations(0)->clear_reclaimed_date();
  // A delegation reaches the township, never a village or grid.
  r->mutable_lead()->set_kind(v1::ROLE_KIND_GRID_WORKER);
  EXPECT_EQ(pushed(Analyze(d, "2026-07-01")).size(), 1u)
      << Kinds(Analyze(d, "2026-07-01"));
  // The department named as lead: routing applies the delegation.
  r->mutable_lead()->set_kind(v1::ROLE_KIND_COUNTY_DEPARTMENT);
  r->mutable_lead()->set_department_type("urban_management");
  EXPECT_EQ(pushed(Analyze(d)).size(), 0u) << Kinds(Analyze(d));
  // A village committee leading the penalty anywhere.
  r->clear_region_code();
  r->clear_effective_date();
  r->mutable_lead()->clear_department_type();
  r->mutable_lead()->set_kind(v1::ROLE_KIND_NAMED_UNIT);
  r->mutable_lead()->set_unit_code("LJ-JWH");
  r->set_region_code("320116001001");
  EXPECT_EQ(pushed(Analyze(d)).size(), 1u) << Kinds(Analyze(d));
}

// Routing hands a department's case to the township where and while the
// item is delegated (router.h, step 3): a department's rule and a township
// rule citing that item are one lead there, and two leads only where the
// delegation is missing.
TEST(Analysis, TwoLeadsJudgedAfterTheDelegationOverlay) {
  v1::Dataset d = WithSpillMatter();
  v1::Catalogue* c = d.mutable_catalogue();
  // CG-CF-001, urban management's penalty, is delegated to 竹镇镇 from
  // 2026-07-01 (D-001). The bureau leads; 竹镇's team leads in 竹镇.
  v1::DispatchRule* base = AddRule(&d, "R-01009", "01009", "CG-CF-001", 0);
  base->mutable_lead()->set_kind(v1::ROLE_KIND_COUNTY_DEPARTMENT);
  base->mutable_lead()->set_department_type("urban_management");
  v1::DispatchRule* team = AddRule(&d, "R-01009-zhu", "01009", "CG-CF-001", 0);
  team->set_region_code("320116100000");
  team->mutable_lead()->set_kind(v1::ROLE_KIND_TOWNSHIP_ENFORCEMENT);
  auto two_leads = [](const v1::CatalogueAnalysis& a) {
    return OfKind(a, v1::FINDING_KIND_TWO_LEADS);
  };
  // Before the delegation: two leads in 竹镇 until 06-30 (and the team's
  // rule pushes the power down).
  v1::CatalogueAnalysis a = Analyze(d);
  std::vector<v1::Finding> found = two_leads(a);
  ASSERT_EQ(found.size(), 1u) << Kinds(a);
  EXPECT_EQ(found[0].severity(), v1::SEVERITY_ERROR);
  ASSERT_EQ(found[0].region_codes_size(), 1);
  EXPECT_EQ(found[0].region_codes(0), "320116100000");
  EXPECT_NE(found[0].message().find("where the item is not delegated: in 1 "
                                    "township (竹镇镇 320116100000), from "
                                    "2026-03-02 to 2026-06-30"),
            std::string::npos)
      << Kinds(a);
  EXPECT_EQ(OfKind(a, v1::FINDING_KIND_POWER_PUSHED_DOWN).size(), 1u)
      << Kinds(a);
  // From 07-01 the bureau's rule gives 竹镇's cases to the team: one lead.
  a = Analyze(d, "2026-07-01");
  EXPECT_EQ(a.findings_size(), 0) << Kinds(a);
  // So too for a team rule that takes effect with the delegation.
  team->set_effective_date("2026-07-01");
  a = Analyze(d);
  EXPECT_EQ(a.findings_size(), 0) << Kinds(a);
  // The delegation reclaimed on 10-01: two leads again from then on.
  c->mutable_delegations(0)->set_reclaimed_date("2026-10-01");
  a = Analyze(d);
  found = two_leads(a);
  ASSERT_EQ(found.size(), 1u) << Kinds(a);
  EXPECT_NE(found[0].message().find("from 2026-10-01 on"), std::string::npos)
      << Kinds(a);
  c->mutable_delegations(0)->clear_reclaimed_date();
  // A village committee is not the township: two leads where delegated
  // too (and the grassroots holds no power below the township).
  team->set_region_code("320116100201");
  team->mutable_lead()->set_kind(v1::ROLE_KIND_VILLAGE_COMMITTEE);
  a = Analyze(d, "2026-07-01");
  found = two_leads(a);
  ASSERT_EQ(found.size(), 1u) << Kinds(a);
  EXPECT_EQ(found[0].message().find("where the item is not delegated"),
            std::string::npos)
      << Kinds(a);
}

// An item its department reclaimed (收回) led by the township, whatever the
// delegations; and a delegation of it (a defect of the lists admission
// leaves to the analysis).
TEST(Analysis, ReclaimedItemLedByOrDelegatedToTheTownship) {
  v1::Dataset d = Clean();
  v1::Catalogue* c = d.mutable_catalogue();
  v1::Item* it = c->add_items();
  it->set_code("JS-JC-002");
  it->set_name("建筑工地扬尘检查");
  it->set_list_type(v1::LIST_TYPE_ENFORCEMENT);
  it->set_power_kind(v1::POWER_KIND_INSPECTION);
  it->set_department_type("urban_management");
  it->set_exercising_level(v1::REGION_LEVEL_COUNTY);
  it->set_township_role(v1::TOWNSHIP_ROLE_RECLAIMED);
  it->mutable_legal_basis()->set_law("《条例》");
  v1::Delegation* g = c->add_delegations();
  g->set_id("D-Z");
  g->set_item_code("JS-JC-002");
  g->set_from_department_type("urban_management");
  g->mutable_scope()->set_region_code("320116000000");
  g->set_mode(v1::DELEGATION_MODE_ENTRUSTED);
  g->set_effective_date("2026-01-01");
  v1::CatalogueAnalysis a = Analyze(d);
  ASSERT_EQ(a.findings_size(), 1) << Kinds(a);
  EXPECT_EQ(a.findings(0).kind(), v1::FINDING_KIND_POWER_PUSHED_DOWN);
  EXPECT_EQ(a.findings(0).severity(), v1::SEVERITY_ERROR);
  EXPECT_EQ(a.findings(0).delegation_id(), "D-Z");
  EXPECT_EQ(a.findings(0).item_code(), "JS-JC-002");
  EXPECT_EQ(a.findings(0).region_count(), 2);
  // Taking effect later: reported now. Ended: not.
  g->set_effective_date("2026-09-01");
  EXPECT_EQ(OfKind(Analyze(d), v1::FINDING_KIND_POWER_PUSHED_DOWN).size(), 1u);
  g->set_effective_date("2025-01-01");
  g->set_reclaimed_date("2026-01-01");
  EXPECT_EQ(OfKind(Analyze(d), v1::FINDING_KIND_POWER_PUSHED_DOWN).size(), 0u)
      << Kinds(Analyze(d));
  // A rule making the township lead it, with or without a delegation.
  v1::DispatchRule* r = AddRule(&d, "R-01005-dust", "01005", "JS-JC-002", 3);
  r->mutable_lead()->set_kind(v1::ROLE_KIND_TOWNSHIP_GOVERNMENT);
  a = Analyze(d);
  std::vector<v1::Finding> found =
      OfKind(a, v1::FINDING_KIND_POWER_PUSHED_DOWN);
  ASSERT_EQ(found.size(), 1u) << Kinds(a);
  EXPECT_EQ(found[0].rule_ids(0), "R-01005-dust");
  EXPECT_NE(found[0].message().find("reclaimed (收回)"), std::string::npos)
      << Kinds(a);
  g->clear_reclaimed_date();
  a = Analyze(d);
  EXPECT_EQ(OfKind(a, v1::FINDING_KIND_POWER_PUSHED_DOWN).size(), 2u)
      << Kinds(a);
}

// An entry taking effect later citing an item retired by then (or not in
// force until after): reported now, not only once the entry takes effect.
TEST(Analysis, LaterEntriesCitingItemsRetiredByThen) {
  v1::Dataset d = Clean();
  v1::Catalogue* c = d.mutable_catalogue();
  c->mutable_items(0)->set_retired_date("2026-07-01");  // CG-CF-001
  // Its delegation D-001 and a rule both take effect after that.
  c->mutable_delegations(0)->set_effective_date("2026-08-01");
  v1::DispatchRule* r = AddRule(&d, "R-01005-future", "01005", "CG-CF-001", 3);
  r->set_effective_date("2026-08-01");
  r->mutable_lead()->set_kind(v1::ROLE_KIND_COUNTY_DEPARTMENT);
  r->mutable_lead()->set_department_type("urban_management");
  v1::CatalogueAnalysis a = Analyze(d);
  std::vector<v1::Finding> retired =
      OfKind(a, v1::FINDING_KIND_RETIRED_CODE_IN_USE);
  ASSERT_EQ(retired.size(), 2u) << Kinds(a);
  EXPECT_EQ(retired[0].rule_ids(0), "R-01005-future");
  EXPECT_NE(retired[0].message().find("in force from 2026-08-01"),
            std::string::npos)
      << Kinds(a);
  EXPECT_EQ(retired[1].delegation_id(), "D-001");
  // The rules in force now that cite it are fine until 07-01.
  for (const v1::Finding& f : retired) {
    EXPECT_EQ(f.severity(), v1::SEVERITY_ERROR);
  }
  // An item taking effect only after a later rule ends: never applies.
  c->mutable_items(0)->clear_retired_date();
  c->mutable_items(0)->set_effective_date("2026-12-01");
  r->set_end_date("2026-10-01");
  a = Analyze(d);
  std::vector<v1::Finding> dangling =
      OfKind(a, v1::FINDING_KIND_DANGLING_REFERENCE);
  bool never = false;
  for (const v1::Finding& f : dangling) {
    if (f.rule_ids_size() > 0 && f.rule_ids(0) == "R-01005-future") {
      never = f.message().find("it never applies") != std::string::npos;
    }
  }
  EXPECT_TRUE(never) << Kinds(a);
}

TEST(Analysis, DeterministicBytes) {
  v1::Dataset d = TinyWithCatalogue();
  EXPECT_EQ(Analyze(d).SerializeAsString(), Analyze(d).SerializeAsString());
  const std::string text = FormatAnalysis(Analyze(d));
  EXPECT_NE(text.find("UNRESOLVED_ROLE"), std::string::npos) << text;
  EXPECT_NE(text.find("1 error"), std::string::npos) << text;
}

}  // namespace
}  // namespace jiceng
