// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0
//
// One test per routing rule: outcomes, tiers, the delegation overlay before
// and after its date, scenarios by attributes, cross-township coordination,
// whistle, deadlines across weekends, holidays and make-up days of 2026,
// and every kind of bad input.

#include "src/routing/router.h"

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/types/span.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "src/base/civil_date.h"
#include "src/gen/province_generator.h"
#include "src/gen/workload_generator.h"
#include "src/routing/batch.h"
#include "src/routing/format.h"
#include "src/sample/sample_dataset.h"
#include "tests/catalogue_fixture.h"
#include "tests/status_matchers.h"

namespace jiceng {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Pair;

// Unix seconds of a local (UTC+8) time.
int64_t Local(int y, int m, int d, int hh, int mm) {
  return int64_t{DaysFromCivil(y, m, d)} * 86400 + hh * 3600 + mm * 60 -
         8 * 3600;
}

class RouterTest : public ::testing::Test {
 protected:
  void SetUp() override { Compile(TinyWithCatalogue()); }
  void Compile(const v1::Dataset& d) {
    auto e = Engine::Compile(d);
    ASSERT_THAT(e, IsOk());
    engine_ = std::move(*e);
    router_ = std::make_unique<Router>(*engine_);
  }
  v1::Case Case(const char* matter, uint64_t location, int64_t at) {
    v1::Case c;
    c.set_id("C-1");
    c.set_matter_code(matter);
    c.set_location_code(location);
    c.set_reported_at(at);
    c.set_urgency(1);
    return c;
  }
  static void Attr(v1::Case* c, const char* k, const char* v) {
    auto* a = c->add_attributes();
    a->set_key(k);
    a->set_value(v);
  }
  v1::RoutingDecision Decide(const v1::Case& c, bool text = false) {
    v1::RouteOptions o;
    o.set_explain_text(text);
    auto d = router_->Decide(c, o);
    EXPECT_THAT(d, IsOk());
    return d.ok() ? *d : v1::RoutingDecision();
  }
  static std::vector<v1::Reason> Reasons(const v1::RoutingDecision& d) {
    std::vector<v1::Reason> out;
    for (const auto& t : d.trace()) out.push_back(t.reason());
    return out;
  }
  static bool Has(const v1::RoutingDecision& d, v1::Reason r) {
    for (const auto& t : d.trace()) {
      if (t.reason() == r) return true;
    }
    return false;
  }
  std::unique_ptr<const Engine> engine_;
  std::unique_ptr<Router> router_;
};

constexpr uint64_t kStreetGrid = 32011600100101;
constexpr uint64_t kMicroGrid = 3201160010010101;
constexpr uint64_t kTownGrid = 32011610020101;

TEST_F(RouterTest, ScenarioByAttributeRoutesToTheDispatchedUnit) {
  v1::Case c = Case("01005", kStreetGrid, Local(2026, 3, 2, 9, 0));
  Attr(&c, "site", "road");
  v1::RoutingDecision d = Decide(c);
  EXPECT_EQ(d.outcome(), v1::ROUTING_OUTCOME_ROUTED);
  EXPECT_EQ(d.rule_id(), "R-01005-road");
  EXPECT_EQ(d.lead().code(), "XZ-CG");
  EXPECT_EQ(d.lead().kind(), v1::HANDLER_KIND_UNIT);
  EXPECT_EQ(d.lead().role().kind(), v1::ROLE_KIND_DISPATCHED_UNIT);
  EXPECT_EQ(d.lead().role().department_type(), "urban_management");
  EXPECT_EQ(d.lead().role().unit_code(), "");
  EXPECT_EQ(d.supervisor().code(), "XZ-ZHS");
  EXPECT_EQ(d.tier(), v1::HANDLING_TIER_TOWNSHIP);
  EXPECT_EQ(d.item_code(), "CG-CF-001");
  // In 竹镇镇 the same rule resolves to 竹镇's squadron.
  c.set_location_code(kTownGrid);
  EXPECT_EQ(Decide(c).lead().code(), "ZZ-CG");
  // A river site picks the river rule.
  c.mutable_attributes(0)->set_value("river");
  EXPECT_EQ(Decide(c).rule_id(), "R-01005-river");
}

TEST_F(RouterTest, DelegationOverlayBeforeAndAfterItsDate) {
  v1::Case before = Case("01005", kTownGrid, Local(2026, 6, 30, 10, 0));
  v1::RoutingDecision d = Decide(before);
  EXPECT_EQ(d.rule_id(), "R-01005");
  EXPECT_EQ(d.lead().code(), "LH-CG");
  EXPECT_TRUE(d.delegation_id().empty());
  EXPECT_EQ(d.enforcement_mode(), v1::DELEGATION_MODE_UNSPECIFIED);

  v1::Case after = Case("01005", kTownGrid, Local(2026, 7, 1, 10, 0));
  d = Decide(after, true);
  EXPECT_EQ(d.lead().code(), "ZZ-ZFD");
  EXPECT_EQ(d.lead().role().kind(), v1::ROLE_KIND_TOWNSHIP_ENFORCEMENT);
  EXPECT_EQ(d.lead().role().department_type(), "");
  EXPECT_EQ(d.delegation_id(), "D-001");
  EXPECT_EQ(d.enforcement_mode(), v1::DELEGATION_MODE_OWN_NAME);
  ASSERT_GE(d.co_handlers_size(), 1);
  EXPECT_EQ(d.co_handlers(0).code(), "LH-CG");
  EXPECT_TRUE(Has(d, v1::REASON_DELEGATION_APPLIED));
  auto delegation_text = [&](const v1::RoutingDecision& r) {
    for (const v1::TraceStep& t : r.trace()) {
      if (t.reason() == v1::REASON_DELEGATION_APPLIED) return t.text();
    }
    return std::string();
  };
  EXPECT_THAT(delegation_text(d), ::testing::HasSubstr(" from 2026-07-01: "));
  // The street is outside the delegation's scope.
  after.set_location_code(kStreetGrid);
  EXPECT_EQ(Decide(after).lead().code(), "LH-CG");

  // A delegation without an effective date is refused: it would count as
  // in force since ever (r71 B4; 明确施行时间).
  v1::Dataset ds = TinyWithCatalogue();
  ds.mutable_catalogue()->mutable_delegations(0)->clear_effective_date();
  EXPECT_THAT(Engine::Compile(ds),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "delegation.missing_effective_date"));
}

// The delegation's mode (own name, joint) is how an enforcement item is
// enforced; a delegated licence or public service is the township
// government's, with no enforcement mode reported. Here a licensing item
// of urban management, delegated in own-name mode like D-001.
TEST_F(RouterTest, ADelegatedNonEnforcementItemGoesToTheTownshipGovernment) {
  v1::Dataset ds = TinyWithCatalogue();
  ASSERT_TRUE(google::protobuf::TextFormat::MergeFromString(R"pb(
    catalogue {
      items { code: "XK-001" name: "临时占道许可" list_type: LIST_TYPE_POWER
              power_kind: POWER_KIND_LICENSING department_type: "urban_management"
              township_role: TOWNSHIP_ROLE_BASIC exercising_level: REGION_LEVEL_COUNTY }
      matters { code: "01009" name: "占道经营" category: MATTER_CATEGORY_EVENT
                major_class: "街面秩序" }
      rules { id: "R-01009" matter_code: "01009" item_code: "XK-001"
              lead { kind: ROLE_KIND_COUNTY_DEPARTMENT department_type: "urban_management" } }
      delegations { id: "D-XK" item_code: "XK-001" from_department_type: "urban_management"
                    scope { township_class: TOWNSHIP_CLASS_EXTRA_LARGE }
                    mode: DELEGATION_MODE_OWN_NAME effective_date: "2026-07-01" }
    })pb", &ds));
  Compile(ds);
  v1::RoutingDecision d =
      Decide(Case("01009", kTownGrid, Local(2026, 7, 1, 10, 0)));
  EXPECT_EQ(d.delegation_id(), "D-XK");
  EXPECT_EQ(d.lead().code(), "ZZ-GOV");
  EXPECT_EQ(d.lead().role().kind(), v1::ROLE_KIND_TOWNSHIP_GOVERNMENT);
  EXPECT_EQ(d.lead().role().department_type(), "");
  EXPECT_EQ(d.enforcement_mode(), v1::DELEGATION_MODE_UNSPECIFIED);
  ASSERT_GE(d.co_handlers_size(), 1);
  EXPECT_EQ(d.co_handlers(0).code(), "LH-CG");
  // The enforcement item of D-001, same township and mode: the team.
  d = Decide(Case("01005", kTownGrid, Local(2026, 7, 1, 10, 0)));
  EXPECT_EQ(d.lead().code(), "ZZ-ZFD");
  EXPECT_EQ(d.enforcement_mode(), v1::DELEGATION_MODE_OWN_NAME);
}

// A township exercises a delegated power in its own territory only: a case
// spanning another township stays with the department, whichever location
// comes first, even when every township of the case holds the item
// delegated (r70 D1: one township's team would act in the other's
// territory).
TEST_F(RouterTest, ADelegationStopsAtTheTownshipsItCovers) {
  v1::Case c = Case("01005", kTownGrid, Local(2026, 7, 2, 10, 0));
  v1::RoutingDecision d = Decide(c);
  ASSERT_EQ(d.delegation_id(), "D-001");
  ASSERT_EQ(d.lead().code(), "ZZ-ZFD");

  // 竹镇 (delegated) and 雄州 (not).
  c.add_extra_location_codes(kStreetGrid);
  d = Decide(c, true);
  EXPECT_EQ(d.lead().code(), "LH-CG");
  EXPECT_EQ(d.delegation_id(), "");
  EXPECT_EQ(d.enforcement_mode(), v1::DELEGATION_MODE_UNSPECIFIED);
  EXPECT_EQ(d.tier(), v1::HANDLING_TIER_COUNTY);
  EXPECT_FALSE(Has(d, v1::REASON_DELEGATION_APPLIED));
  bool outside = false;
  for (const v1::TraceStep& t : d.trace()) {
    if (t.reason() != v1::REASON_DELEGATION_OUTSIDE) continue;
    outside = true;
    EXPECT_EQ(t.ref(), "D-001");
    EXPECT_EQ(t.text(),
              "item delegated to the township by D-001, but the case spans "
              "townships it does not reach: the department keeps it");
  }
  EXPECT_TRUE(outside);
  for (const v1::Handler& h : d.co_handlers()) EXPECT_NE(h.code(), "ZZ-ZFD");

  // The same two locations the other way round: the same lead.
  v1::Case swapped = Case("01005", kStreetGrid, Local(2026, 7, 2, 10, 0));
  swapped.add_extra_location_codes(kTownGrid);
  const v1::RoutingDecision s = Decide(swapped);
  EXPECT_EQ(s.lead().code(), "LH-CG");
  EXPECT_EQ(s.delegation_id(), "");

  // Delegated to every township of the district: still the department's.
  v1::Dataset ds = TinyWithCatalogue();
  v1::DelegationScope* scope =
      ds.mutable_catalogue()->mutable_delegations(0)->mutable_scope();
  scope->Clear();
  scope->set_region_code("320116000000");
  Compile(ds);
  d = Decide(c);
  EXPECT_EQ(d.delegation_id(), "");
  EXPECT_EQ(d.lead().code(), "LH-CG");
  EXPECT_TRUE(Has(d, v1::REASON_DELEGATION_OUTSIDE));
  // Each township alone takes its delegation.
  d = Decide(Case("01005", kStreetGrid, Local(2026, 7, 2, 10, 0)));
  EXPECT_EQ(d.delegation_id(), "D-001");
  EXPECT_EQ(d.lead().code(), "XZ-GOV");
}

TEST_F(RouterTest, EndedDelegationReturnsToTheDepartment) {
  v1::Dataset ds = TinyWithCatalogue();
  ds.mutable_catalogue()->mutable_delegations(0)->set_reclaimed_date(
      "2026-09-01");
  Compile(ds);
  v1::RoutingDecision d =
      Decide(Case("01005", kTownGrid, Local(2026, 9, 1, 10, 0)));
  EXPECT_EQ(d.lead().code(), "LH-CG");
  EXPECT_TRUE(Has(d, v1::REASON_DELEGATION_ENDED));
}

TEST_F(RouterTest, SmallMattersStayInTheGrid) {
  v1::RoutingDecision d =
      Decide(Case("01001", kMicroGrid, Local(2026, 3, 2, 9, 0)));
  EXPECT_EQ(d.outcome(), v1::ROUTING_OUTCOME_ROUTED);
  EXPECT_EQ(d.lead().kind(), v1::HANDLER_KIND_GRID);
  EXPECT_EQ(d.lead().code(), "3201160010010101");
  EXPECT_EQ(d.tier(), v1::HANDLING_TIER_GRID);
  // Escalation: the community, the township command room, the county.
  ASSERT_EQ(d.escalation_size(), 3);
  EXPECT_EQ(d.escalation(0).handler().code(), "LJ-JWH");
  EXPECT_EQ(d.escalation(1).handler().code(), "XZ-ZHS");
  EXPECT_EQ(d.escalation(2).handler().code(), "LH-SZZX");
}

// The test catalogue with a twin of R-01005-road (item CG-CF-001): the
// same match, led by the township command room, so that a road case ties.
v1::Dataset WithTiedTwin() {
  v1::Dataset ds = TinyWithCatalogue();
  v1::DispatchRule* twin = ds.mutable_catalogue()->add_rules();
  *twin = ds.catalogue().rules(1);
  twin->set_id("R-01005-road-2");
  twin->mutable_lead()->set_kind(v1::ROLE_KIND_TOWNSHIP_COMMAND_ROOM);
  twin->mutable_lead()->clear_department_type();
  return ds;
}

TEST_F(RouterTest, AmbiguousGoesToArbitration) {
  Compile(WithTiedTwin());
  v1::Case c = Case("01005", kStreetGrid, Local(2026, 3, 2, 9, 0));
  Attr(&c, "site", "road");
  v1::RoutingDecision d = Decide(c);
  EXPECT_EQ(d.outcome(), v1::ROUTING_OUTCOME_AMBIGUOUS);
  EXPECT_FALSE(d.has_lead());
  ASSERT_EQ(d.candidates_size(), 2);
  EXPECT_EQ(d.candidates(0).code(), "XZ-CG");
  EXPECT_EQ(d.candidates(1).code(), "XZ-ZHS");
  EXPECT_EQ(d.arbitrator().code(), "XZ-ZHS");
  EXPECT_TRUE(Has(d, v1::REASON_RULES_TIED));
  EXPECT_EQ(d.trace(2).ref(), "R-01005-road,R-01005-road-2");
  // The room already holds the case: the chain goes on above it.
  ASSERT_GE(d.escalation_size(), 1);
  for (const v1::EscalationStep& e : d.escalation()) {
    EXPECT_NE(e.handler().code(), "XZ-ZHS");
  }
  EXPECT_EQ(d.escalation(0).handler().role().kind(),
            v1::ROLE_KIND_COUNTY_SOCIAL_GOVERNANCE_CENTRE);
}

// A tied rule whose item is delegated to the township names, as its
// candidate, the unit it would route to alone: from the delegation's date
// the township's enforcement team, not the department that handed it over.
TEST_F(RouterTest, AmbiguousCandidatesFollowTheDelegationOverlay) {
  Compile(WithTiedTwin());

  // The day before D-001 takes effect at 竹镇: the department's unit.
  v1::Case c = Case("01005", kTownGrid, Local(2026, 6, 30, 9, 0));
  Attr(&c, "site", "road");
  v1::RoutingDecision before = Decide(c);
  ASSERT_EQ(before.outcome(), v1::ROUTING_OUTCOME_AMBIGUOUS);
  ASSERT_EQ(before.candidates_size(), 2);
  EXPECT_NE(before.candidates(0).code(), "ZZ-ZFD");
  EXPECT_EQ(before.candidates(1).code(), "ZZ-ZHS");
  EXPECT_FALSE(Has(before, v1::REASON_DELEGATION_APPLIED));

  // From its date: the township's enforcement team (own-name mode). The
  // decision itself names no delegation: no lead was chosen.
  c.set_reported_at(Local(2026, 7, 1, 9, 0));
  v1::RoutingDecision after = Decide(c, /*text=*/true);
  ASSERT_EQ(after.outcome(), v1::ROUTING_OUTCOME_AMBIGUOUS);
  ASSERT_EQ(after.candidates_size(), 2);
  EXPECT_EQ(after.candidates(0).code(), "ZZ-ZFD");
  EXPECT_EQ(after.candidates(0).role().kind(),
            v1::ROLE_KIND_TOWNSHIP_ENFORCEMENT);
  EXPECT_EQ(after.candidates(1).code(), "ZZ-ZHS");
  EXPECT_EQ(after.arbitrator().code(), "ZZ-ZHS");
  EXPECT_TRUE(after.delegation_id().empty());
  EXPECT_EQ(after.enforcement_mode(), v1::DELEGATION_MODE_UNSPECIFIED);
  const v1::TraceStep* step = nullptr;
  for (const v1::TraceStep& t : after.trace()) {
    if (t.reason() == v1::REASON_DELEGATION_APPLIED) step = &t;
  }
  ASSERT_NE(step, nullptr);
  EXPECT_EQ(step->ref(), "D-001");
  EXPECT_THAT(step->text(),
              ::testing::HasSubstr("the township stands for one of the tied "
                                   "rules"));
}

TEST_F(RouterTest, UnmappedFallsToTheTerritorialBackstop) {
  v1::Case c = Case("H0101", kStreetGrid, Local(2026, 3, 2, 9, 0));
  c.set_request_kind(v1::REQUEST_KIND_SUGGESTION);
  v1::RoutingDecision d = Decide(c);
  EXPECT_EQ(d.outcome(), v1::ROUTING_OUTCOME_UNMAPPED);
  EXPECT_EQ(d.lead().code(), "XZ-ZHS");
  EXPECT_EQ(d.lead().role().kind(), v1::ROLE_KIND_TOWNSHIP_COMMAND_ROOM);
  EXPECT_EQ(d.lead().role().department_type(), "");
  EXPECT_TRUE(Has(d, v1::REASON_NO_RULE));
  EXPECT_TRUE(Has(d, v1::REASON_BACKSTOP));
  EXPECT_EQ(d.tier(), v1::HANDLING_TIER_TOWNSHIP);
}

// Handler.role is the dataset's role, typed: a named unit with its unit, a
// department role with its department type, a role routing chose itself
// (the supervising centre) by its kind alone. The readable label is in the
// lead's explanation step and the text output.
TEST_F(RouterTest, HandlersCarryTheirRolesTyped) {
  v1::Case c = Case("H0101", kStreetGrid, Local(2026, 3, 2, 9, 0));
  c.set_request_kind(v1::REQUEST_KIND_CONSULT);
  const v1::RoutingDecision d = Decide(c, true);
  EXPECT_EQ(d.rule_id(), "R-H0101-consult");
  EXPECT_EQ(d.lead().code(), "LH-SJ");
  EXPECT_EQ(d.lead().role().kind(), v1::ROLE_KIND_NAMED_UNIT);
  EXPECT_EQ(d.lead().role().unit_code(), "LH-SJ");
  EXPECT_EQ(d.lead().role().department_type(), "");
  ASSERT_TRUE(d.has_supervisor());
  EXPECT_EQ(d.supervisor().role().kind(), v1::ROLE_KIND_TOWNSHIP_COMMAND_ROOM);
  EXPECT_EQ(d.supervisor().role().unit_code(), "");
  const v1::TraceStep* lead = nullptr;
  for (const auto& t : d.trace()) {
    if (t.reason() == v1::REASON_LEAD) lead = &t;
  }
  ASSERT_NE(lead, nullptr);
  EXPECT_THAT(lead->text(),
              ::testing::HasSubstr("as ROLE_KIND_NAMED_UNIT(LH-SJ)"));
  EXPECT_THAT(FormatDecision(*engine_, c, d),
              ::testing::HasSubstr(" as ROLE_KIND_NAMED_UNIT(LH-SJ)"));

  c.set_request_kind(v1::REQUEST_KIND_COMPLAINT);
  const v1::RoutingDecision market = Decide(c);
  EXPECT_EQ(market.lead().role().kind(), v1::ROLE_KIND_DISPATCHED_UNIT);
  EXPECT_EQ(market.lead().role().department_type(), "market_supervision");
  EXPECT_EQ(market.lead().role().unit_code(), "");
  EXPECT_THAT(FormatDecision(*engine_, c, market),
              ::testing::HasSubstr(
                  " as ROLE_KIND_DISPATCHED_UNIT(market_supervision)"));

  // Every handler of the decision has its role, and the writer's bytes are
  // the message's.
  RouteResult r;
  ASSERT_THAT(router_->Route(c, &r), IsOk());
  std::string bytes;
  router_->AppendDecision(c, r, v1::RouteOptions(), &bytes);
  EXPECT_EQ(bytes, market.SerializeAsString());
  for (const v1::Handler& h : market.co_handlers()) {
    EXPECT_NE(h.role().kind(), v1::ROLE_KIND_UNSPECIFIED) << h.code();
  }
}

// A decision written before 0.3, its role a label in field 3 (now
// reserved), parses with the role left out, the rest intact.
TEST(HandlerWire, AnOldRoleLabelParsesAsAnUnknownField) {
  std::string old;
  old += static_cast<char>(1 << 3);  // kind: UNIT
  old += static_cast<char>(v1::HANDLER_KIND_UNIT);
  old += static_cast<char>((2 << 3) | 2);  // code
  old += static_cast<char>(5);
  old += "XZ-CG";
  const std::string label = "ROLE_KIND_DISPATCHED_UNIT(urban_management)";
  old += static_cast<char>((3 << 3) | 2);
  old += static_cast<char>(label.size());
  old += label;
  v1::Handler h;
  ASSERT_TRUE(h.ParseFromString(old));
  EXPECT_EQ(h.kind(), v1::HANDLER_KIND_UNIT);
  EXPECT_EQ(h.code(), "XZ-CG");
  EXPECT_FALSE(h.has_role());
}

TEST_F(RouterTest, UnresolvedLeadFallsToTheBackstop) {
  // 大泉村's grid: R-01005-river wants the village committee as co-handler
  // (absent, skipped); a rule whose lead is the missing committee is
  // unmapped.
  v1::Dataset ds = TinyWithCatalogue();
  ds.mutable_catalogue()->mutable_rules(4)->mutable_lead()->set_kind(
      v1::ROLE_KIND_VILLAGE_COMMITTEE);
  ds.mutable_catalogue()->mutable_rules(4)->clear_tier();
  Compile(ds);
  v1::RoutingDecision d =
      Decide(Case("01001", 32011610020201, Local(2026, 3, 2, 9, 0)));
  EXPECT_EQ(d.outcome(), v1::ROUTING_OUTCOME_UNMAPPED);
  EXPECT_EQ(d.lead().code(), "ZZ-ZHS");
  EXPECT_TRUE(Has(d, v1::REASON_LEAD_UNRESOLVED));
  // Where the committee exists, it leads at village tier.
  d = Decide(Case("01001", kTownGrid, Local(2026, 3, 2, 9, 0)));
  EXPECT_EQ(d.lead().code(), "ZZC-CWH");
  EXPECT_EQ(d.tier(), v1::HANDLING_TIER_VILLAGE);
}

TEST_F(RouterTest, MajorCasesGoToTheCountyCentre) {
  v1::Case c = Case("01005", kStreetGrid, Local(2026, 3, 2, 9, 0));
  c.set_urgency(4);
  v1::RoutingDecision d = Decide(c);
  EXPECT_EQ(d.tier(), v1::HANDLING_TIER_COUNTY);
  EXPECT_EQ(d.supervisor().code(), "LH-SZZX");
  EXPECT_TRUE(Has(d, v1::REASON_MAJOR));
  bool township_cooperates = false;
  for (const auto& h : d.co_handlers()) township_cooperates |= h.code() == "XZ-ZHS";
  EXPECT_TRUE(township_cooperates);
  // Emergency: 25% of the 4-working-hour handle limit, 1 hour.
  EXPECT_EQ(d.deadlines(1).limit().amount(), 1);
  EXPECT_EQ(d.deadlines(1).due_at(), Local(2026, 3, 2, 10, 0));
  // A rule's explicit tier wins.
  c.set_urgency(1);
  Attr(&c, "area_m2", "2000");
  d = Decide(c);
  EXPECT_EQ(d.rule_id(), "R-01005-big");
  EXPECT_EQ(d.lead().code(), "LH-SZZX");
  EXPECT_EQ(d.tier(), v1::HANDLING_TIER_COUNTY);
}

TEST_F(RouterTest, CrossTownshipIsCoordinatedAtTheCommonAncestor) {
  v1::Case c = Case("01005", kStreetGrid, Local(2026, 3, 2, 9, 0));
  c.add_extra_location_codes(kTownGrid);
  v1::RoutingDecision d = Decide(c, true);
  EXPECT_EQ(d.tier(), v1::HANDLING_TIER_COUNTY);
  EXPECT_EQ(d.supervisor().code(), "LH-SZZX");
  ASSERT_TRUE(Has(d, v1::REASON_CROSS_TOWNSHIP));
  EXPECT_EQ(d.trace(1).ref(), "320116000000");
  // Within one township: not cross-township.
  c.clear_extra_location_codes();
  c.add_extra_location_codes(32011600100102);
  d = Decide(c);
  EXPECT_FALSE(Has(d, v1::REASON_CROSS_TOWNSHIP));
  EXPECT_EQ(d.tier(), v1::HANDLING_TIER_TOWNSHIP);
}

// Time travel covers the items rules cite: a rule applies only while its
// item is in force. SD-001 (R-01001's item) retired on 2026-07-01, or in
// force only from then.
TEST_F(RouterTest, ARuleAppliesOnlyWhileItsItemIsInForce) {
  auto item = [](v1::Dataset* d) {
    for (v1::Item& it : *d->mutable_catalogue()->mutable_items()) {
      if (it.code() == "SD-001") return &it;
    }
    ADD_FAILURE() << "no SD-001";
    return d->mutable_catalogue()->add_items();
  };
  const v1::Case before = Case("01001", kMicroGrid, Local(2026, 6, 30, 9, 0));
  const v1::Case after = Case("01001", kMicroGrid, Local(2026, 7, 1, 9, 0));
  v1::Dataset ds = TinyWithCatalogue();
  item(&ds)->set_retired_date("2026-07-01");
  Compile(ds);
  v1::RoutingDecision d = Decide(before);
  EXPECT_EQ(d.rule_id(), "R-01001");
  EXPECT_EQ(d.item_code(), "SD-001");
  d = Decide(after);
  EXPECT_EQ(d.outcome(), v1::ROUTING_OUTCOME_UNMAPPED);
  EXPECT_EQ(d.rule_id(), "");
  EXPECT_EQ(d.item_code(), "");
  EXPECT_EQ(d.lead().code(), "XZ-ZHS");  // the territorial backstop
  EXPECT_TRUE(Has(d, v1::REASON_NO_RULE));

  ds = TinyWithCatalogue();
  item(&ds)->set_effective_date("2026-07-01");
  Compile(ds);
  EXPECT_EQ(Decide(before).outcome(), v1::ROUTING_OUTCOME_UNMAPPED);
  EXPECT_EQ(Decide(after).rule_id(), "R-01001");
}

// 大事全网联办: a rule's tier does not keep a major or a cross-township case
// below the county, nor its lead below the township. R-01001 sends 暴露垃圾
// to the grid's own workers at grid tier, naming the township command room
// as supervisor; at the county tier the county centre disposes of the case
// (重大事件上达社会治理中心处置办结) and the grid workers help.
TEST_F(RouterTest, RuleTierGivesWayToMajorAndCrossTownship) {
  v1::Case c = Case("01001", kMicroGrid, Local(2026, 3, 2, 9, 0));
  v1::RoutingDecision d = Decide(c);
  EXPECT_EQ(d.tier(), v1::HANDLING_TIER_GRID);
  EXPECT_EQ(d.lead().code(), "3201160010010101");
  EXPECT_EQ(d.supervisor().code(), "XZ-ZHS");
  EXPECT_FALSE(Has(d, v1::REASON_MAJOR));
  EXPECT_FALSE(Has(d, v1::REASON_LEAD_RAISED));

  auto expect_county = [&](const v1::RoutingDecision& r) {
    EXPECT_EQ(r.rule_id(), "R-01001");
    EXPECT_EQ(r.tier(), v1::HANDLING_TIER_COUNTY);
    // The county centre leads; the grid workers the rule named are the
    // first co-handler.
    EXPECT_EQ(r.lead().code(), "LH-SZZX");
    EXPECT_EQ(r.lead().role().kind(),
              v1::ROLE_KIND_COUNTY_SOCIAL_GOVERNANCE_CENTRE);
    ASSERT_GE(r.co_handlers_size(), 1);
    EXPECT_EQ(r.co_handlers(0).kind(), v1::HANDLER_KIND_GRID);
    EXPECT_EQ(r.co_handlers(0).code(), "3201160010010101");
    // A centre does not supervise itself, and this dataset has no centre
    // above the county's: nobody supervises, nobody is above to escalate
    // to, and nobody is summoned by whistle.
    EXPECT_EQ(r.supervisor().kind(), v1::HANDLER_KIND_UNSPECIFIED);
    EXPECT_EQ(r.escalation_size(), 0);
    EXPECT_EQ(r.whistle_size(), 0);
    // The trace names the rule's lead, then who took it over and why.
    std::vector<std::pair<v1::Reason, std::string>> steps;
    for (const v1::TraceStep& t : r.trace()) {
      if (t.reason() == v1::REASON_LEAD || t.reason() == v1::REASON_TIER ||
          t.reason() == v1::REASON_LEAD_RAISED) {
        steps.emplace_back(t.reason(), t.ref());
      }
    }
    EXPECT_THAT(steps,
                ElementsAre(Pair(v1::REASON_LEAD, "3201160010010101"),
                            Pair(v1::REASON_TIER, "HANDLING_TIER_COUNTY"),
                            Pair(v1::REASON_LEAD_RAISED, "LH-SZZX")));
  };
  c.set_urgency(4);
  d = Decide(c);
  expect_county(d);
  EXPECT_TRUE(Has(d, v1::REASON_MAJOR));
  // The township cooperates.
  ASSERT_EQ(d.co_handlers_size(), 2);
  EXPECT_EQ(d.co_handlers(1).code(), "XZ-ZHS");
  const v1::RoutingDecision explained = Decide(c, /*text=*/true);
  bool raised = false;
  for (const v1::TraceStep& t : explained.trace()) {
    if (t.reason() == v1::REASON_LEAD_RAISED) {
      raised = true;
      EXPECT_THAT(t.text(), HasSubstr("a county-tier case is not led below "
                                      "the township: "));
      EXPECT_THAT(t.text(), HasSubstr("[LH-SZZX] takes it over, "));
      EXPECT_THAT(t.text(),
                  HasSubstr("[3201160010010101] grid workers stay on to help"));
    }
    if (t.reason() == v1::REASON_LEAD) {
      EXPECT_THAT(t.text(), HasSubstr("[3201160010010101] grid workers as"));
    }
  }
  EXPECT_TRUE(raised);

  c.set_urgency(1);
  c.add_extra_location_codes(kTownGrid);
  d = Decide(c);
  expect_county(d);
  EXPECT_TRUE(Has(d, v1::REASON_CROSS_TOWNSHIP));
  EXPECT_FALSE(Has(d, v1::REASON_MAJOR));
  // Every township the case spans cooperates: the location's first.
  ASSERT_EQ(d.co_handlers_size(), 3);
  EXPECT_EQ(d.co_handlers(1).code(), "XZ-ZHS");
  EXPECT_EQ(d.co_handlers(2).code(), "ZZ-ZHS");
  // Each once, however many of its grids the case names.
  c.add_extra_location_codes(kTownGrid);
  c.add_extra_location_codes(kStreetGrid);
  d = Decide(c);
  ASSERT_EQ(d.co_handlers_size(), 3);
  EXPECT_EQ(d.co_handlers(2).code(), "ZZ-ZHS");

  // A rule that sets the county tier itself keeps the lead it names.
  v1::Dataset ds = TinyWithCatalogue();
  for (v1::DispatchRule& rule : *ds.mutable_catalogue()->mutable_rules()) {
    if (rule.id() == "R-01001") rule.set_tier(v1::HANDLING_TIER_COUNTY);
  }
  Compile(ds);
  c = Case("01001", kMicroGrid, Local(2026, 3, 2, 9, 0));
  c.set_urgency(4);
  d = Decide(c);
  EXPECT_EQ(d.tier(), v1::HANDLING_TIER_COUNTY);
  EXPECT_EQ(d.lead().code(), "3201160010010101");
  EXPECT_FALSE(Has(d, v1::REASON_LEAD_RAISED));
  // A village committee the rule names gives way too.
  ds = TinyWithCatalogue();
  for (v1::DispatchRule& rule : *ds.mutable_catalogue()->mutable_rules()) {
    if (rule.id() == "R-01001") {
      rule.mutable_lead()->set_kind(v1::ROLE_KIND_VILLAGE_COMMITTEE);
      rule.clear_tier();  // its lead sets it: VILLAGE
    }
  }
  Compile(ds);
  d = Decide(c, /*text=*/true);
  EXPECT_EQ(d.tier(), v1::HANDLING_TIER_COUNTY);
  EXPECT_EQ(d.lead().code(), "LH-SZZX");
  ASSERT_GE(d.co_handlers_size(), 1);
  EXPECT_EQ(d.co_handlers(0).role().kind(), v1::ROLE_KIND_VILLAGE_COMMITTEE);
  c.set_urgency(1);
  EXPECT_EQ(Decide(c).tier(), v1::HANDLING_TIER_VILLAGE);
  EXPECT_EQ(Decide(c).lead().code(), d.co_handlers(0).code());
  c.set_urgency(4);
  bool explained_raise = false;
  for (const v1::TraceStep& t : d.trace()) {
    if (t.reason() != v1::REASON_LEAD_RAISED) continue;
    explained_raise = true;
    EXPECT_THAT(t.text(), HasSubstr("] stays on to help"));
  }
  EXPECT_TRUE(explained_raise);
  // Without a county centre nobody can take it over: the lead stays.
  ds = TinyWithCatalogue();
  google::protobuf::RepeatedPtrField<v1::Unit> kept;
  for (const v1::Unit& unit : ds.units()) {
    if (unit.code() != "LH-SZZX") *kept.Add() = unit;
  }
  ds.mutable_units()->Swap(&kept);
  Compile(ds);
  d = Decide(c);
  EXPECT_EQ(d.tier(), v1::HANDLING_TIER_COUNTY);
  EXPECT_EQ(d.lead().code(), "3201160010010101");
  EXPECT_FALSE(Has(d, v1::REASON_LEAD_RAISED));
}

// An unmapped cross-township case falls to the coordinating county centre,
// which does not supervise itself: the city's centre above it does, and is
// where the case escalates; without one, nobody.
TEST_F(RouterTest, ACentreThatLeadsIsSupervisedFromAbove) {
  v1::Case c = Case("H0101", kStreetGrid, Local(2026, 3, 2, 9, 0));
  c.set_request_kind(v1::REQUEST_KIND_SUGGESTION);
  c.add_extra_location_codes(kTownGrid);
  v1::RoutingDecision d = Decide(c);
  EXPECT_EQ(d.outcome(), v1::ROUTING_OUTCOME_UNMAPPED);
  EXPECT_EQ(d.lead().code(), "LH-SZZX");
  EXPECT_EQ(d.tier(), v1::HANDLING_TIER_COUNTY);
  EXPECT_EQ(d.supervisor().code(), "");
  EXPECT_EQ(d.escalation_size(), 0);
  // The territories it spans cooperate with the centre.
  ASSERT_EQ(d.co_handlers_size(), 2);
  EXPECT_EQ(d.co_handlers(0).code(), "XZ-ZHS");
  EXPECT_EQ(d.co_handlers(1).code(), "ZZ-ZHS");

  v1::Dataset ds = TinyWithCatalogue();
  AddCentre(&ds, "NJ-SZZX", "320100000000",
            v1::CENTRE_TYPE_COUNTY_SOCIAL_GOVERNANCE);
  Compile(ds);
  d = Decide(c);
  EXPECT_EQ(d.lead().code(), "LH-SZZX");
  EXPECT_EQ(d.supervisor().code(), "NJ-SZZX");
  ASSERT_EQ(d.escalation_size(), 1);
  EXPECT_EQ(d.escalation(0).handler().code(), "NJ-SZZX");
  // In one township, major: the county centre takes over from the command
  // room, the backstop, which cooperates (r70 D3: 重大事件上达社会治理中心
  // 处置办结); the centre above supervises.
  c.clear_extra_location_codes();
  c.set_urgency(4);
  d = Decide(c, true);
  EXPECT_EQ(d.outcome(), v1::ROUTING_OUTCOME_UNMAPPED);
  EXPECT_EQ(d.tier(), v1::HANDLING_TIER_COUNTY);
  EXPECT_EQ(d.lead().code(), "LH-SZZX");
  ASSERT_EQ(d.co_handlers_size(), 1);
  EXPECT_EQ(d.co_handlers(0).code(), "XZ-ZHS");
  EXPECT_EQ(d.supervisor().code(), "NJ-SZZX");
  bool backstop = false, raised = false;
  for (const v1::TraceStep& t : d.trace()) {
    if (t.reason() == v1::REASON_BACKSTOP) {
      backstop = true;
      EXPECT_EQ(t.ref(), "XZ-ZHS");  // the room, now a co-handler
    }
    if (t.reason() == v1::REASON_LEAD_RAISED) {
      raised = true;
      EXPECT_EQ(t.ref(), "LH-SZZX");
    }
  }
  EXPECT_TRUE(backstop && raised);
  // Not major: the room leads, the county centre supervises.
  c.set_urgency(1);
  d = Decide(c);
  EXPECT_EQ(d.lead().code(), "XZ-ZHS");
  EXPECT_EQ(d.co_handlers_size(), 0);
  EXPECT_EQ(d.supervisor().code(), "LH-SZZX");
}

// A second county under the city (浦口区) with one township, village and
// grid (32011100100101), and no units.
void AddPukou(v1::Dataset* d) {
  AddRegion(d, "320111000000", "320100000000", v1::REGION_LEVEL_COUNTY);
  AddRegion(d, "320111001000", "320111000000", v1::REGION_LEVEL_TOWNSHIP);
  AddRegion(d, "320111001001", "320111001000", v1::REGION_LEVEL_VILLAGE);
  AddRegion(d, "32011100100101", "320111001001", v1::REGION_LEVEL_GRID);
}

TEST_F(RouterTest, CrossCountyIsCoordinatedAtTheCityCentre) {
  // A second county under the same city: a case spanning both is
  // coordinated at the city, by its social-governance centre, else its
  // city-operations centre (一网统管), else its 12345 centre.
  v1::Dataset d = TinyWithCatalogue();
  AddPukou(&d);
  AddCentre(&d, "PK-SZZX", "320111000000", v1::CENTRE_TYPE_COUNTY_SOCIAL_GOVERNANCE);
  AddCentre(&d, "PK-QL-ZHS", "320111001000", v1::CENTRE_TYPE_TOWNSHIP_COMMAND_ROOM);
  v1::Case c = Case("01005", kStreetGrid, Local(2026, 3, 2, 9, 0));
  c.add_extra_location_codes(32011100100101);
  auto coordinator = [&](const v1::Dataset& with) {
    Compile(with);
    const v1::RoutingDecision r = Decide(c);
    EXPECT_EQ(r.tier(), v1::HANDLING_TIER_COUNTY);
    EXPECT_TRUE(Has(r, v1::REASON_CROSS_TOWNSHIP));
    for (const v1::TraceStep& t : r.trace()) {
      if (t.reason() == v1::REASON_CROSS_TOWNSHIP) {
        EXPECT_EQ(t.ref(), "320100000000");
      }
    }
    if (r.escalation_size() > 0) {
      EXPECT_EQ(r.escalation(r.escalation_size() - 1).handler().code(),
                r.supervisor().code());
    }
    // The centre that answers is labelled with its own kind (r70 D5).
    return std::make_pair(r.supervisor().code(), r.supervisor().role().kind());
  };
  // No centre at the city or above: nobody coordinates (the decision says
  // so rather than picking one county's centre).
  EXPECT_EQ(coordinator(d).first, "");
  AddCentre(&d, "NJ-12345", "320100000000", v1::CENTRE_TYPE_HOTLINE_12345);
  EXPECT_EQ(coordinator(d), std::make_pair(std::string("NJ-12345"),
                                           v1::ROLE_KIND_HOTLINE_CENTRE));
  AddCentre(&d, "NJ-YWTG", "320100000000", v1::CENTRE_TYPE_CITY_OPERATIONS);
  EXPECT_EQ(coordinator(d),
            std::make_pair(std::string("NJ-YWTG"),
                           v1::ROLE_KIND_CITY_OPERATIONS_CENTRE));
  AddCentre(&d, "NJ-SZZX", "320100000000", v1::CENTRE_TYPE_COUNTY_SOCIAL_GOVERNANCE);
  EXPECT_EQ(coordinator(d),
            std::make_pair(std::string("NJ-SZZX"),
                           v1::ROLE_KIND_COUNTY_SOCIAL_GOVERNANCE_CENTRE));
  // Without a centre of its own, 浦口区 is served by the city's, as a case
  // spanning counties is (it used to find nobody): a major case there,
  // unmapped, goes up to it from the township's command room.
  v1::Dataset no_centre = TinyWithCatalogue();
  AddPukou(&no_centre);
  AddCentre(&no_centre, "PK-QL-ZHS", "320111001000",
            v1::CENTRE_TYPE_TOWNSHIP_COMMAND_ROOM);
  AddCentre(&no_centre, "NJ-SZZX", "320100000000",
            v1::CENTRE_TYPE_COUNTY_SOCIAL_GOVERNANCE);
  Compile(no_centre);
  v1::Case pukou = Case("01005", 32011100100101, Local(2026, 3, 2, 9, 0));
  pukou.set_urgency(4);
  const v1::RoutingDecision major = Decide(pukou);
  EXPECT_EQ(major.lead().code(), "NJ-SZZX");
  ASSERT_EQ(major.co_handlers_size(), 1);
  EXPECT_EQ(major.co_handlers(0).code(), "PK-QL-ZHS");
  Compile(d);
  // Within one county the county's own centre still coordinates.
  c.clear_extra_location_codes();
  c.add_extra_location_codes(kTownGrid);
  EXPECT_EQ(Decide(c).supervisor().code(), "LH-SZZX");
}

// A dataset with two roots (here a second province): no region contains
// a case spanning both, so none can coordinate it; the case is refused,
// naming the extra location, not routed as if it lay in one township.
TEST_F(RouterTest, LocationsUnderDifferentRootsAreRefused) {
  v1::Dataset d = TinyWithCatalogue();
  AddRegion(&d, "330000000000", "", v1::REGION_LEVEL_PROVINCE);
  AddRegion(&d, "330100000000", "330000000000", v1::REGION_LEVEL_CITY);
  AddRegion(&d, "330102000000", "330100000000", v1::REGION_LEVEL_COUNTY);
  AddRegion(&d, "330102001000", "330102000000", v1::REGION_LEVEL_TOWNSHIP);
  AddRegion(&d, "330102001001", "330102001000", v1::REGION_LEVEL_VILLAGE);
  AddRegion(&d, "33010200100101", "330102001001", v1::REGION_LEVEL_GRID);
  Compile(d);
  v1::Case c = Case("01005", kStreetGrid, Local(2026, 3, 2, 9, 0));
  c.add_extra_location_codes(kTownGrid);
  c.add_extra_location_codes(33010200100101);
  EXPECT_THAT(router_->Decide(c, v1::RouteOptions()),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "extra_location_codes[1]: 33010200100101 and "
                       "location_code 32011600100101 lie under different "
                       "root regions"));
  // Within one root the case routes, coordinated at the common ancestor.
  c.clear_extra_location_codes();
  c.add_extra_location_codes(kTownGrid);
  EXPECT_TRUE(Has(Decide(c), v1::REASON_CROSS_TOWNSHIP));
}

TEST_F(RouterTest, CentresServeTheTownshipsTheyCover) {
  // A county's 12345 centre and social-governance centre that also serve a
  // township of a neighbouring county (covered_region_codes) answer there
  // before the ancestors' centres (that county's, the city's).
  auto dataset = [](bool cover) {
    v1::Dataset d = TinyWithCatalogue();
    for (v1::DispatchRule& r : *d.mutable_catalogue()->mutable_rules()) {
      if (r.id() == "R-H0101-consult") {
        r.mutable_lead()->Clear();
        r.mutable_lead()->set_kind(v1::ROLE_KIND_HOTLINE_CENTRE);
      }
    }
    AddPukou(&d);
    AddCentre(&d, "NJ-12345", "320100000000", v1::CENTRE_TYPE_HOTLINE_12345);
    AddCentre(&d, "PK-SZZX", "320111000000", v1::CENTRE_TYPE_COUNTY_SOCIAL_GOVERNANCE);
    AddCentre(&d, "PK-QL-ZHS", "320111001000", v1::CENTRE_TYPE_TOWNSHIP_COMMAND_ROOM);
    v1::Unit* lh =
        AddCentre(&d, "LH-12345", "320116000000", v1::CENTRE_TYPE_HOTLINE_12345);
    if (cover) {
      lh->add_covered_region_codes("320111001000");
      for (v1::Unit& u : *d.mutable_units()) {
        if (u.code() == "LH-SZZX") u.add_covered_region_codes("320111001000");
      }
    }
    return d;
  };
  v1::Case c = Case("H0101", 32011100100101, Local(2026, 3, 2, 9, 0));
  c.set_request_kind(v1::REQUEST_KIND_CONSULT);
  v1::Case major = c;
  major.set_urgency(4);
  v1::Case home = c;
  home.set_location_code(kTownGrid);

  Compile(dataset(false));
  EXPECT_EQ(Decide(c).lead().code(), "NJ-12345");
  EXPECT_EQ(Decide(c).supervisor().code(), "PK-QL-ZHS");
  EXPECT_EQ(Decide(major).supervisor().code(), "PK-SZZX");
  EXPECT_EQ(Decide(home).lead().code(), "LH-12345");

  Compile(dataset(true));
  const v1::RoutingDecision r = Decide(c);
  EXPECT_EQ(r.outcome(), v1::ROUTING_OUTCOME_ROUTED);
  EXPECT_EQ(r.lead().code(), "LH-12345");
  EXPECT_EQ(r.lead().role().kind(), v1::ROLE_KIND_HOTLINE_CENTRE);
  EXPECT_EQ(r.supervisor().code(), "PK-QL-ZHS");
  EXPECT_EQ(Decide(major).supervisor().code(), "LH-SZZX");
  EXPECT_EQ(Decide(home).lead().code(), "LH-12345");
}

TEST(RouterFragments, EnumNamesFitTheWritersFragments) {
  // router.cc's decision writer copies these fields from fixed slots: the
  // Role {kind} of implied roles in 8 bytes (a kind of one varint byte),
  // tier and stage refs in 32 (tag and length included). A longer one
  // would be left out of the decision.
  EXPECT_LE(v1::RoleKind_ARRAYSIZE, 0x80);
  for (int t = 0; t < v1::HandlingTier_ARRAYSIZE; ++t) {
    EXPECT_LE(
        v1::HandlingTier_Name(static_cast<v1::HandlingTier>(t)).size() + 2,
        32u)
        << t;
  }
  for (int s = 0; s < v1::Stage_ARRAYSIZE; ++s) {
    // "STAGE_…:" and the longest source, "matter" / "policy".
    EXPECT_LE(v1::Stage_Name(static_cast<v1::Stage>(s)).size() + 1 + 6 + 2,
              32u)
        << s;
  }
}

TEST_F(RouterTest, WhistleSummonsTheDepartments) {
  // After the delegation the township leads and the department helps: the
  // township may summon it, reporting in within 2 working hours.
  v1::RoutingDecision d =
      Decide(Case("01005", kTownGrid, Local(2026, 7, 3, 16, 0)));
  ASSERT_EQ(d.whistle_size(), 1);
  EXPECT_EQ(d.whistle(0).department().code(), "LH-CG");
  // Friday 16:00 + 2 working hours: 1.5 h Friday, 0.5 h Monday 08:30.
  EXPECT_EQ(d.whistle(0).report_by(), Local(2026, 7, 6, 9, 0));
}

// 吹哨报到 is the township's: a department that leads its own case, with its
// own squadron helping, summons nobody (r70 D4).
TEST_F(RouterTest, OnlyATownshipLeadBlowsTheWhistle) {
  v1::Dataset ds = TinyWithCatalogue();
  v1::DispatchRule* rule = ds.mutable_catalogue()->mutable_rules(0);
  ASSERT_EQ(rule->id(), "R-01005");
  v1::Role* squadron = rule->add_co_handlers();
  squadron->set_kind(v1::ROLE_KIND_DISPATCHED_UNIT);
  squadron->set_department_type("market_supervision");
  Compile(ds);
  // Before the delegation: the bureau leads, the market station helps.
  v1::RoutingDecision d =
      Decide(Case("01005", kStreetGrid, Local(2026, 3, 2, 9, 0)));
  ASSERT_EQ(d.lead().code(), "LH-CG");
  ASSERT_EQ(d.tier(), v1::HANDLING_TIER_TOWNSHIP);
  bool station = false;
  for (const v1::Handler& h : d.co_handlers()) station |= h.code() == "SJ-XZ";
  EXPECT_TRUE(station);
  EXPECT_EQ(d.whistle_size(), 0);
  // After it, in 竹镇: the township's team leads and summons both.
  d = Decide(Case("01005", kTownGrid, Local(2026, 7, 3, 16, 0)));
  ASSERT_EQ(d.lead().code(), "ZZ-ZFD");
  ASSERT_EQ(d.whistle_size(), 2);
  EXPECT_EQ(d.whistle(0).department().code(), "LH-CG");
  EXPECT_EQ(d.whistle(1).department().code(), "SJ-XZ");
}

// A case spanning grids of one village is the village's; one spanning
// villages of one township, the township's (小问题不出社区、一般问题不出
// 街道, r70 D2): the committee or the command room takes over from grid
// workers, whose grids and villages cooperate.
TEST_F(RouterTest, ACaseSpanningGridsOrVillagesGoesUpToTheirCommonLevel) {
  // 龙津社区's two grids: R-01001 (grid workers, GRID tier).
  v1::Case c = Case("01001", kStreetGrid, Local(2026, 3, 2, 9, 0));
  c.add_extra_location_codes(32011600100102);
  v1::RoutingDecision d = Decide(c);
  EXPECT_EQ(d.outcome(), v1::ROUTING_OUTCOME_ROUTED);
  EXPECT_EQ(d.tier(), v1::HANDLING_TIER_VILLAGE);
  EXPECT_EQ(d.lead().code(), "LJ-JWH");
  ASSERT_EQ(d.co_handlers_size(), 2);
  EXPECT_EQ(d.co_handlers(0).code(), "32011600100101");  // the lead replaced
  EXPECT_EQ(d.co_handlers(1).code(), "32011600100102");
  EXPECT_EQ(d.supervisor().code(), "XZ-ZHS");  // the rule's
  EXPECT_THAT(Reasons(d), ::testing::IsSupersetOf(
                              {v1::REASON_CROSS_GRID, v1::REASON_LEAD_RAISED}));
  for (const v1::TraceStep& t : d.trace()) {
    if (t.reason() == v1::REASON_CROSS_GRID) {
      EXPECT_EQ(t.ref(), "320116001001");
    }
    if (t.reason() == v1::REASON_LEAD_RAISED) {
      EXPECT_EQ(t.ref(), "LJ-JWH");
    }
    if (t.reason() == v1::REASON_LEAD) {
      EXPECT_EQ(t.ref(), "32011600100101");
    }
  }
  // A grid and its own micro grid: one grid's matter still.
  c.clear_extra_location_codes();
  c.add_extra_location_codes(kMicroGrid);
  d = Decide(c);
  EXPECT_EQ(d.tier(), v1::HANDLING_TIER_GRID);
  EXPECT_EQ(d.lead().code(), "32011600100101");
  EXPECT_FALSE(Has(d, v1::REASON_CROSS_GRID));

  // 竹镇's two villages: the command room leads at the township tier, the
  // grid and each village's committee (大泉村 has none) cooperate, and the
  // rule's supervisor, the room itself, gives way to the county centre.
  c = Case("01001", kTownGrid, Local(2026, 3, 2, 9, 0));
  c.add_extra_location_codes(32011610020201);
  d = Decide(c, true);
  for (const v1::TraceStep& t : d.trace()) {
    if (t.reason() == v1::REASON_CROSS_VILLAGE) {
      EXPECT_EQ(t.ref(), "320116100000");
      EXPECT_EQ(t.text(),
                "spans several villages of 竹镇镇 320116100000: the "
                "township's at least");
    }
    if (t.reason() == v1::REASON_LEAD_RAISED) {
      EXPECT_THAT(t.text(),
                  HasSubstr("a case spanning villages is the township's: "
                            "竹镇综合信息指挥室 [ZZ-ZHS] takes it over"));
    }
  }
  EXPECT_EQ(d.tier(), v1::HANDLING_TIER_TOWNSHIP);
  EXPECT_EQ(d.lead().code(), "ZZ-ZHS");
  ASSERT_EQ(d.co_handlers_size(), 2);
  EXPECT_EQ(d.co_handlers(0).code(), "32011610020101");
  EXPECT_EQ(d.co_handlers(1).code(), "ZZC-CWH");
  EXPECT_EQ(d.supervisor().code(), "LH-SZZX");
  EXPECT_TRUE(Has(d, v1::REASON_CROSS_VILLAGE));
  EXPECT_FALSE(Has(d, v1::REASON_CROSS_TOWNSHIP));
  // The same with the township itself as the extra location.
  c.clear_extra_location_codes();
  c.add_extra_location_codes(320116100000);
  EXPECT_EQ(Decide(c).lead().code(), "ZZ-ZHS");

  // A department's case spanning villages keeps its lead at the township
  // tier, the villages cooperating; the delegation overlay still applies
  // inside the township.
  c = Case("01005", kTownGrid, Local(2026, 3, 2, 9, 0));
  c.add_extra_location_codes(32011610020201);
  d = Decide(c);
  EXPECT_EQ(d.lead().code(), "LH-CG");
  EXPECT_EQ(d.tier(), v1::HANDLING_TIER_TOWNSHIP);
  EXPECT_FALSE(Has(d, v1::REASON_LEAD_RAISED));
  bool committee = false;
  for (const v1::Handler& h : d.co_handlers())
    committee |= h.code() == "ZZC-CWH";
  EXPECT_TRUE(committee);
  c.set_reported_at(Local(2026, 7, 2, 10, 0));
  d = Decide(c);
  EXPECT_EQ(d.delegation_id(), "D-001");
  EXPECT_EQ(d.lead().code(), "ZZ-ZFD");
}

TEST_F(RouterTest, WorkingHoursAcrossAWeekendAndAMakeUpSaturday) {
  // 4 working hours (the item's handle limit) from Friday 2026-10-09 15:00:
  // 2.5 h on Friday, then the make-up working Saturday 10-10 from 08:30.
  v1::RoutingDecision d =
      Decide(Case("01005", kStreetGrid, Local(2026, 10, 9, 15, 0)));
  ASSERT_EQ(d.deadlines_size(), 4);
  EXPECT_EQ(d.deadlines(1).stage(), v1::STAGE_HANDLE);
  EXPECT_EQ(d.deadlines(1).source(), "item");
  EXPECT_EQ(d.deadlines(1).due_at(), Local(2026, 10, 10, 10, 0));
  // A normal weekend: Friday 2026-03-06 15:00 → Monday 03-09 10:00.
  d = Decide(Case("01005", kStreetGrid, Local(2026, 3, 6, 15, 0)));
  EXPECT_EQ(d.deadlines(1).due_at(), Local(2026, 3, 9, 10, 0));
}

// An urgent case's handle limit shrinks to whole hours, and the deadline
// is computed from the limit the decision reports: the case decided with
// that limit at normal urgency has the same deadline.
TEST_F(RouterTest, AShrunkHandleLimitIsTheOneReported) {
  struct Row {
    int32_t amount;
    v1::TimeUnit unit;
    int urgency;  // 3 keeps 50 %, 4 keeps 25 %
    int32_t want_amount;
    v1::TimeUnit want_unit;
  };
  v1::Dataset base = TinyWithCatalogue();
  const int per_day = static_cast<int>(
      Engine::Compile(base).value()->calendar().working_minutes_per_day());
  const Row rows[] = {
      {7, v1::TIME_UNIT_WORKING_HOURS, 3, 3, v1::TIME_UNIT_WORKING_HOURS},
      {1, v1::TIME_UNIT_WORKING_HOURS, 4, 1, v1::TIME_UNIT_WORKING_HOURS},
      {5, v1::TIME_UNIT_WORKING_DAYS, 3, 5 * per_day / 120,
       v1::TIME_UNIT_WORKING_HOURS},
      {1, v1::TIME_UNIT_CALENDAR_DAYS, 4, 6, v1::TIME_UNIT_CALENDAR_HOURS},
      {3, v1::TIME_UNIT_CALENDAR_HOURS, 3, 1, v1::TIME_UNIT_CALENDAR_HOURS},
  };
  auto with_handle = [&](int32_t amount, v1::TimeUnit unit) {
    v1::Dataset d = base;
    for (v1::DispatchRule& r : *d.mutable_catalogue()->mutable_rules()) {
      if (r.id() != "R-01001") continue;
      r.mutable_limits()->mutable_handle()->set_amount(amount);
      r.mutable_limits()->mutable_handle()->set_unit(unit);
    }
    Compile(d);
  };
  // Thursday 2026-03-05 09:10: the shrunk limits end within the week.
  v1::Case c = Case("01001", kMicroGrid, Local(2026, 3, 5, 9, 10));
  for (const Row& row : rows) {
    SCOPED_TRACE(absl::StrCat(row.amount, " ", v1::TimeUnit_Name(row.unit),
                              " at urgency ", row.urgency));
    with_handle(row.amount, row.unit);
    c.set_urgency(row.urgency);
    const v1::RoutingDecision urgent = Decide(c);
    ASSERT_EQ(urgent.deadlines_size(), 4);
    const v1::Deadline& handle = urgent.deadlines(1);
    EXPECT_EQ(handle.limit().amount(), row.want_amount);
    EXPECT_EQ(handle.limit().unit(), row.want_unit);
    // The explanation names the policy that shortened it, last.
    const v1::RoutingDecision text = Decide(c, true);
    const v1::TraceStep& policy = text.trace(text.trace_size() - 1);
    EXPECT_EQ(policy.reason(), v1::REASON_POLICY);
    EXPECT_EQ(policy.ref(), row.urgency == 3 ? "very_urgent_percent:50"
                                             : "emergency_percent:25");
    EXPECT_EQ(urgent.trace(urgent.trace_size() - 1).ref(), policy.ref());
    const std::string unit = v1::TimeUnit_Name(row.unit).substr(10);
    EXPECT_EQ(policy.text(),
              absl::StrCat("urgency ", row.urgency, ": the handle limit is ",
                           row.urgency == 3 ? 50 : 25, "% of the rule's ",
                           row.amount, " ", unit, ", ", row.want_amount, " ",
                           v1::TimeUnit_Name(row.want_unit).substr(10),
                           " (RoutingPolicy.",
                           row.urgency == 3 ? "very_urgent_percent"
                                            : "emergency_percent",
                           ")"));
    EXPECT_THAT(text.trace(text.trace_size() - 4).text(),
                ::testing::HasSubstr(absl::StrCat("from the rule at ",
                                       row.urgency == 3 ? 50 : 25,
                                       "% for urgency ", row.urgency, ")")));
    with_handle(row.want_amount, row.want_unit);
    c.set_urgency(1);
    const v1::RoutingDecision normal = Decide(c, true);
    EXPECT_EQ(normal.deadlines(1).due_at(), handle.due_at());
    for (const v1::TraceStep& t : normal.trace()) {
      EXPECT_NE(t.reason(), v1::REASON_POLICY) << t.text();
      EXPECT_THAT(t.text(), ::testing::Not(::testing::HasSubstr("for urgency")));
    }
  }
}

// A case is signed for before it is handled: when the handle deadline
// comes first (an urgent case's shortened limit), sign-for takes it.
TEST_F(RouterTest, SignForNeverEndsAfterHandle) {
  v1::Dataset ds = TinyWithCatalogue();
  for (v1::DispatchRule& r : *ds.mutable_catalogue()->mutable_rules()) {
    if (r.id() != "R-01001") continue;
    r.mutable_limits()->mutable_handle()->set_amount(4);
    r.mutable_limits()->mutable_handle()->set_unit(
        v1::TIME_UNIT_WORKING_HOURS);
  }
  Compile(ds);
  // Thursday 2026-03-05 09:10: sign-for, 1 working day (policy), would end
  // at Friday's close; handle, 4 working hours, ends Thursday afternoon.
  v1::Case c = Case("01001", kMicroGrid, Local(2026, 3, 5, 9, 10));
  v1::RoutingDecision d = Decide(c, true);
  ASSERT_EQ(d.deadlines_size(), 4);
  EXPECT_EQ(d.deadlines(0).source(), "handle");
  EXPECT_EQ(d.deadlines(0).due_at(), d.deadlines(1).due_at());
  EXPECT_EQ(d.deadlines(0).limit().amount(), 4);
  EXPECT_EQ(d.deadlines(0).limit().unit(), v1::TIME_UNIT_WORKING_HOURS);
  bool explained = false;
  for (const v1::TraceStep& t : d.trace()) {
    if (t.ref() != "STAGE_SIGN_FOR:handle") continue;
    explained = true;
    EXPECT_THAT(t.text(),
                ::testing::HasSubstr(
                    "(4 WORKING_HOURS, the handle limit: the sign-for limit, "
                    "1 WORKING_DAYS, would end after the handle deadline)"));
  }
  EXPECT_TRUE(explained);
  // Three working days to handle: sign-for keeps its own day.
  for (v1::DispatchRule& r : *ds.mutable_catalogue()->mutable_rules()) {
    if (r.id() != "R-01001") continue;
    r.mutable_limits()->mutable_handle()->set_amount(3);
    r.mutable_limits()->mutable_handle()->set_unit(v1::TIME_UNIT_WORKING_DAYS);
  }
  Compile(ds);
  d = Decide(c);
  EXPECT_EQ(d.deadlines(0).source(), "policy");
  EXPECT_EQ(d.deadlines(0).due_at(), Local(2026, 3, 6, 17, 30));
  EXPECT_LT(d.deadlines(0).due_at(), d.deadlines(1).due_at());
  // Emergency: 25% of three working days is 6 working hours, by Thursday
  // afternoon, before Friday's close: sign-for takes it.
  c.set_urgency(4);
  d = Decide(c);
  EXPECT_EQ(d.deadlines(0).source(), "handle");
  EXPECT_EQ(d.deadlines(0).due_at(), d.deadlines(1).due_at());
  EXPECT_EQ(d.deadlines(0).limit().unit(), v1::TIME_UNIT_WORKING_HOURS);
}

TEST_F(RouterTest, WorkingDaysAcrossNationalDay) {
  // Sign-for: 1 working day (policy) from Wednesday 2026-09-30 → the next
  // working day is Thursday 10-08 (10-01..07 off), closing 17:30.
  v1::Case c = Case("H0101", kStreetGrid, Local(2026, 9, 30, 10, 0));
  c.set_request_kind(v1::REQUEST_KIND_COMPLAINT);
  v1::RoutingDecision d = Decide(c);
  EXPECT_EQ(d.deadlines(0).stage(), v1::STAGE_SIGN_FOR);
  EXPECT_EQ(d.deadlines(0).source(), "policy");
  EXPECT_EQ(d.deadlines(0).due_at(), Local(2026, 10, 8, 17, 30));
  // Handle: a complaint, 13 working days: 10-08, 09, 10 (make-up Sat),
  // 12..16, 19..23 → the 13th is 10-23.
  EXPECT_EQ(d.deadlines(1).limit().amount(), 13);
  EXPECT_EQ(d.deadlines(1).due_at(), Local(2026, 10, 23, 17, 30));
  // Feedback 1 working day after handle: Monday 10-26; revisit 3 more.
  EXPECT_EQ(d.deadlines(2).due_at(), Local(2026, 10, 26, 17, 30));
  EXPECT_EQ(d.deadlines(3).due_at(), Local(2026, 10, 29, 17, 30));
  // A consultation: 2 working days.
  c.set_request_kind(v1::REQUEST_KIND_CONSULT);
  d = Decide(c);
  EXPECT_EQ(d.deadlines(1).due_at(), Local(2026, 10, 9, 17, 30));
}

// DOMAIN §4: deadlines are set per matter × urgency × request kind. A
// hotline request with a kind is handled in its kind's limit (consult 2,
// help 5, complaint 13 working days), whatever its item or matter sets;
// only its rule's own limit comes first. A city-management matter keeps
// its item's and matter's limits whatever the kind.
TEST_F(RouterTest, AHotlineRequestTakesItsKindsHandleLimit) {
  v1::Dataset ds = TinyWithCatalogue();
  v1::Catalogue* cat = ds.mutable_catalogue();
  // H0101 (a hotline matter) sets 13 working days, its item ZW-001 10; a
  // base rule takes the requests the kind rules leave.
  for (v1::Matter& m : *cat->mutable_matters()) {
    if (m.code() == "H0101") {
      m.mutable_limits()->mutable_handle()->set_amount(13);
      m.mutable_limits()->mutable_handle()->set_unit(
          v1::TIME_UNIT_WORKING_DAYS);
    }
    if (m.code() == "01001") {
      m.mutable_limits()->mutable_handle()->set_amount(4);
      m.mutable_limits()->mutable_handle()->set_unit(
          v1::TIME_UNIT_WORKING_HOURS);
    }
  }
  for (v1::Item& it : *cat->mutable_items()) {
    if (it.code() == "ZW-001") {
      it.mutable_limits()->mutable_handle()->set_amount(10);
      it.mutable_limits()->mutable_handle()->set_unit(
          v1::TIME_UNIT_WORKING_DAYS);
    }
  }
  v1::DispatchRule* base = cat->add_rules();
  base->set_id("R-H0101");
  base->set_matter_code("H0101");
  base->set_item_code("ZW-001");
  base->mutable_lead()->set_kind(v1::ROLE_KIND_NAMED_UNIT);
  base->mutable_lead()->set_unit_code("LH-SJ");
  Compile(ds);
  const int64_t monday = Local(2026, 3, 2, 9, 0);
  struct {
    v1::RequestKind kind;
    int amount;
    const char* source;
  } want[] = {
      {v1::REQUEST_KIND_HELP, 5, "policy"},
      {v1::REQUEST_KIND_CONSULT, 2, "policy"},
      {v1::REQUEST_KIND_COMPLAINT, 13, "policy"},
      {v1::REQUEST_KIND_SUGGESTION, 13, "policy"},
      // No kind (a patrol report): the item's.
      {v1::REQUEST_KIND_UNSPECIFIED, 10, "item"},
  };
  for (const auto& w : want) {
    v1::Case c = Case("H0101", kStreetGrid, monday);
    c.set_request_kind(w.kind);
    const v1::RoutingDecision d = Decide(c);
    ASSERT_EQ(d.deadlines_size(), 4) << w.kind;
    EXPECT_EQ(d.deadlines(1).limit().amount(), w.amount) << w.kind;
    EXPECT_EQ(d.deadlines(1).limit().unit(), v1::TIME_UNIT_WORKING_DAYS);
    EXPECT_EQ(d.deadlines(1).source(), w.source) << w.kind;
  }
  // Help by 5 working days: Monday 03-09's close.
  v1::Case help = Case("H0101", kStreetGrid, monday);
  help.set_request_kind(v1::REQUEST_KIND_HELP);
  EXPECT_EQ(Decide(help).deadlines(1).due_at(), Local(2026, 3, 9, 17, 30));
  // The rule's own limit comes first.
  base->mutable_limits()->mutable_handle()->set_amount(3);
  base->mutable_limits()->mutable_handle()->set_unit(
      v1::TIME_UNIT_WORKING_DAYS);
  Compile(ds);
  v1::RoutingDecision d = Decide(help);
  EXPECT_EQ(d.deadlines(1).limit().amount(), 3);
  EXPECT_EQ(d.deadlines(1).source(), "rule");
  // A complaint about exposed garbage (a city-management event) keeps the
  // matter's 4 working hours.
  v1::Case garbage = Case("01001", kStreetGrid, monday);
  garbage.set_request_kind(v1::REQUEST_KIND_COMPLAINT);
  d = Decide(garbage);
  EXPECT_EQ(d.deadlines(1).limit().amount(), 4);
  EXPECT_EQ(d.deadlines(1).limit().unit(), v1::TIME_UNIT_WORKING_HOURS);
  EXPECT_EQ(d.deadlines(1).source(), "matter");
}

// A scenario's own limit comes before its item's (construction waste in 4
// working hours, DOMAIN §4, though the property-management item allows 5
// working days); the sample's rural illegal building keeps the stage
// limits: stop 4 working hours, penalty 7 and demolition 20 working days.
TEST_F(RouterTest, ScenarioAndStageLimitsInTheSample) {
  Compile(SampleDataset());
  const int64_t monday = Local(2026, 3, 2, 9, 0);
  v1::Case waste = Case("01005", 32011600100101, monday);
  Attr(&waste, "site", "residential");
  v1::RoutingDecision d = Decide(waste);
  EXPECT_EQ(d.scenario_code(), "S-01005-11");
  EXPECT_EQ(d.deadlines(1).limit().amount(), 4);
  EXPECT_EQ(d.deadlines(1).limit().unit(), v1::TIME_UNIT_WORKING_HOURS);
  EXPECT_EQ(d.deadlines(1).source(), "rule");
  EXPECT_EQ(d.deadlines(1).due_at(), Local(2026, 3, 2, 15, 0));
  struct {
    const char* stage;
    int amount;
    v1::TimeUnit unit;
  } stages[] = {
      {"in_progress", 4, v1::TIME_UNIT_WORKING_HOURS},
      {"completed", 7, v1::TIME_UNIT_WORKING_DAYS},
      {"overdue", 20, v1::TIME_UNIT_WORKING_DAYS},
  };
  for (const auto& s : stages) {
    // 东王村, a 村庄 (urban-rural class 220): the township's own power.
    v1::Case building = Case("03001", 320116003201, monday);
    Attr(&building, "build_stage", s.stage);
    d = Decide(building);
    EXPECT_EQ(d.lead().code(), "LH-YS-GOV") << s.stage;
    EXPECT_EQ(d.deadlines(1).limit().amount(), s.amount) << s.stage;
    EXPECT_EQ(d.deadlines(1).limit().unit(), s.unit) << s.stage;
  }
}

TEST_F(RouterTest, WorkingDaysOverSpringFestivalAndCalendarHours) {
  v1::Dataset ds = TinyWithCatalogue();
  auto* limits = ds.mutable_catalogue()->mutable_rules(4)->mutable_limits();
  limits->mutable_handle()->set_amount(48);
  limits->mutable_handle()->set_unit(v1::TIME_UNIT_CALENDAR_HOURS);
  limits->mutable_sign_for()->set_amount(1);
  limits->mutable_sign_for()->set_unit(v1::TIME_UNIT_WORKING_DAYS);
  Compile(ds);
  // Friday 2026-02-13 11:00: the next working day is the make-up Saturday
  // 02-14; calendar hours ignore the holiday.
  v1::RoutingDecision d =
      Decide(Case("01001", kStreetGrid, Local(2026, 2, 13, 11, 0)));
  EXPECT_EQ(d.deadlines(0).source(), "rule");
  EXPECT_EQ(d.deadlines(0).due_at(), Local(2026, 2, 14, 17, 30));
  EXPECT_EQ(d.deadlines(1).due_at(), Local(2026, 2, 15, 11, 0));
  // Saturday 02-14 (make-up) → next working day after it skips the whole
  // festival (02-15..23) to Tuesday 02-24: after the handle deadline of
  // 48 calendar hours (02-16 11:00), so sign-for takes that one.
  const v1::Case saturday = Case("01001", kStreetGrid, Local(2026, 2, 14, 11, 0));
  d = Decide(saturday);
  EXPECT_EQ(d.deadlines(0).source(), "handle");
  EXPECT_EQ(d.deadlines(0).due_at(), Local(2026, 2, 16, 11, 0));
  // With 20 calendar days to handle, sign-for keeps its working day.
  limits->mutable_handle()->set_amount(480);
  Compile(ds);
  d = Decide(saturday);
  EXPECT_EQ(d.deadlines(0).source(), "rule");
  EXPECT_EQ(d.deadlines(0).due_at(), Local(2026, 2, 24, 17, 30));
}

TEST_F(RouterTest, BadInputNamesTheFieldAndValue) {
  const int64_t t = Local(2026, 3, 2, 9, 0);
  auto expect = [&](const v1::Case& c, absl::StatusCode code,
                    const char* text) {
    RouteResult r;
    EXPECT_THAT(router_->Route(c, &r), StatusIs(code, text));
  };
  expect(Case("01005", 32011600100199, t), absl::StatusCode::kInvalidArgument,
         "location_code: no region has code 32011600100199");
  expect(Case("01005", 320116000000, t), absl::StatusCode::kInvalidArgument,
         "above township level");
  expect(Case("99999", kStreetGrid, t), absl::StatusCode::kInvalidArgument,
         "matter_code: unknown \"99999\"");
  expect(Case("01005", kStreetGrid, 0), absl::StatusCode::kInvalidArgument,
         "reported_at: not set");
  expect(Case("01005", kStreetGrid, -1), absl::StatusCode::kInvalidArgument,
         "reported_at: -1 is not a time after 1970");
  // A field left unset says so, rather than naming its default value.
  expect(Case("01005", 0, t), absl::StatusCode::kInvalidArgument,
         "location_code: not set");
  expect(Case("", kStreetGrid, t), absl::StatusCode::kInvalidArgument,
         "matter_code: not set");
  expect(v1::Case(), absl::StatusCode::kInvalidArgument,
         "location_code: not set");
  v1::Case c = Case("01005", kStreetGrid, t);
  c.set_urgency(5);
  expect(c, absl::StatusCode::kInvalidArgument, "urgency: 5");
  c = Case("01005", kStreetGrid, t);
  Attr(&c, "colour", "red");
  expect(c, absl::StatusCode::kInvalidArgument,
         "attributes[0].key: unknown \"colour\"");
  c = Case("01005", kStreetGrid, t);
  Attr(&c, "area_m2", "big");
  expect(c, absl::StatusCode::kInvalidArgument, "attributes[0].value");
  // Numbers are decimal: not what strtod takes beyond (spaces, '+',
  // hexadecimal, inf, nan), nor too large to be finite.
  for (const char* text : {"0x10", " 5", "5 ", "+5", "inf", "nan", "1e999",
                           "5.", ".5", "1e", "--1", ""}) {
    c = Case("01005", kStreetGrid, t);
    Attr(&c, "area_m2", text);
    expect(c, absl::StatusCode::kInvalidArgument, "attributes[0].value");
  }
  for (const char* text :
       {"5", "-3", "2.5", "1e2", "1E-2", "12345678901234567"}) {
    c = Case("01005", kStreetGrid, t);
    Attr(&c, "area_m2", text);
    RouteResult r;
    EXPECT_THAT(router_->Route(c, &r), IsOk()) << text;
  }
  c = Case("01005", kStreetGrid, t);
  c.set_source(static_cast<v1::CaseSource>(17));
  expect(c, absl::StatusCode::kInvalidArgument, "source: unknown value 17");
  c = Case("01005", kStreetGrid, t);
  Attr(&c, "licensed", "yes");
  expect(c, absl::StatusCode::kInvalidArgument, "true/false");
  c = Case("01005", kStreetGrid, t);
  Attr(&c, "site", "forest");
  expect(c, absl::StatusCode::kInvalidArgument, "not an allowed value");
  c = Case("01005", kStreetGrid, t);
  Attr(&c, "site", "road");
  Attr(&c, "site", "river");
  expect(c, absl::StatusCode::kInvalidArgument, "given twice");
  c = Case("01005", kStreetGrid, t);
  c.add_extra_location_codes(42);
  expect(c, absl::StatusCode::kInvalidArgument,
         "extra_location_codes[0]: no region has code 42");
  c = Case("01005", kStreetGrid, t);
  c.add_extra_location_codes(kTownGrid);
  c.add_extra_location_codes(320116000000);
  expect(c, absl::StatusCode::kInvalidArgument,
         "extra_location_codes[1]: 320116000000 is above township level");
  // Outside the calendar: the date is named.
  expect(Case("01005", kStreetGrid, Local(2027, 3, 2, 9, 0)),
         absl::StatusCode::kOutOfRange, "reported_at: 2027-03-02");
  // Also when no limit is in working time (calendar-time limits alone never
  // consult the calendar) and no department is whistled.
  v1::Dataset ds = TinyWithCatalogue();
  for (v1::DispatchRule& r : *ds.mutable_catalogue()->mutable_rules()) {
    if (r.id() != "R-01001") continue;
    for (v1::Duration* d : {r.mutable_limits()->mutable_sign_for(),
                            r.mutable_limits()->mutable_handle(),
                            r.mutable_limits()->mutable_feedback(),
                            r.mutable_limits()->mutable_revisit()}) {
      d->set_amount(2);
      d->set_unit(v1::TIME_UNIT_CALENDAR_DAYS);
    }
  }
  Compile(ds);
  EXPECT_THAT(router_->Decide(Case("01001", kMicroGrid, Local(2026, 3, 2, 9, 0)),
                              v1::RouteOptions()),
              IsOk());
  expect(Case("01001", kMicroGrid, Local(2027, 3, 2, 9, 0)),
         absl::StatusCode::kOutOfRange, "2027-03-02T09:00:00+08:00 is outside");
  // A calendar-time deadline past the calendar's end is refused as a
  // working-time one is: every deadline lies within the calendar. Two
  // calendar days run to a working day's close (TimeUnit): handle,
  // feedback and revisit chain from Mon 12-21 to Wed 12-23, Fri 12-25 and
  // Sun 12-27, which gives way to Mon 12-28; two calendar days from
  // 2026-12-30 end on 2027-01-01, past the calendar.
  v1::RoutingDecision fits =
      router_
          ->Decide(Case("01001", kMicroGrid, Local(2026, 12, 21, 10, 0)),
                   v1::RouteOptions())
          .value();
  ASSERT_EQ(fits.deadlines_size(), 4);
  EXPECT_EQ(fits.deadlines(1).due_at(), Local(2026, 12, 23, 17, 30));
  EXPECT_EQ(fits.deadlines(2).due_at(), Local(2026, 12, 25, 17, 30));
  EXPECT_EQ(fits.deadlines(3).due_at(), Local(2026, 12, 28, 17, 30));
  expect(Case("01001", kMicroGrid, Local(2026, 12, 30, 10, 0)),
         absl::StatusCode::kOutOfRange,
         "sign-for deadline: 2 calendar days after 2026-12-30 (to the close "
         "of a working day) fall after the end of the work calendar on "
         "2026-12-31");
}

// N working days after an earlier stage's deadline count from the day it
// falls due in: a close of business at 24:00 (midnight, the next day's
// first instant) is its own day's close, so a day closing at 24:00 gives
// the same days as one closing at 23:59 (routing.proto, Deadline).
TEST_F(RouterTest, WorkingDaysAfterAMidnightCloseCountFromThatDay) {
  for (int end : {1439, 1440}) {
    SCOPED_TRACE(absl::StrCat("last window closing at minute ", end));
    v1::Dataset ds = TinyWithCatalogue();
    v1::WorkCalendar* cal = ds.mutable_calendar();
    cal->clear_windows();
    v1::WorkingWindow* morning = cal->add_windows();
    morning->set_start_minute(9 * 60);
    morning->set_end_minute(12 * 60);
    v1::WorkingWindow* evening = cal->add_windows();
    evening->set_start_minute(20 * 60);
    evening->set_end_minute(end);
    for (v1::DispatchRule& r : *ds.mutable_catalogue()->mutable_rules()) {
      if (r.id() != "R-01001") continue;
      v1::StageLimits* l = r.mutable_limits();
      l->mutable_sign_for()->set_amount(1);
      l->mutable_sign_for()->set_unit(v1::TIME_UNIT_WORKING_HOURS);
      for (v1::Duration* d :
           {l->mutable_handle(), l->mutable_feedback(), l->mutable_revisit()}) {
        d->set_amount(1);
        d->set_unit(v1::TIME_UNIT_WORKING_DAYS);
      }
    }
    Compile(ds);
    // Monday 2026-03-02 10:00: handle at Tuesday's close, feedback at
    // Wednesday's, revisit at Thursday's.
    const v1::RoutingDecision d =
        Decide(Case("01001", kMicroGrid, Local(2026, 3, 2, 10, 0)));
    ASSERT_EQ(d.deadlines_size(), 4);
    // The close of 2026-03-`day`: 23:59, or 24:00 (the next day's 00:00).
    auto close = [end](int day) {
      return end == 1440 ? Local(2026, 3, day + 1, 0, 0)
                         : Local(2026, 3, day, 23, 59);
    };
    EXPECT_EQ(d.deadlines(1).due_at(), close(3));
    EXPECT_EQ(d.deadlines(2).due_at(), close(4));
    EXPECT_EQ(d.deadlines(3).due_at(), close(5));
  }
}

TEST_F(RouterTest, DeterministicAndExplainable) {
  v1::Case c = Case("01005", kTownGrid, Local(2026, 7, 1, 10, 0));
  const std::string a = Decide(c).SerializeAsString();
  const std::string b = Decide(c).SerializeAsString();
  EXPECT_EQ(a, b);
  v1::RoutingDecision compact = Decide(c);
  for (const auto& t : compact.trace()) EXPECT_TRUE(t.text().empty());
  v1::RoutingDecision text = Decide(c, true);
  ASSERT_EQ(text.trace_size(), compact.trace_size());
  for (const auto& t : text.trace()) EXPECT_FALSE(t.text().empty());
  EXPECT_EQ(text.dataset_version(), "1");
  EXPECT_EQ(Reasons(compact)[0], v1::REASON_LOCATION);
}

// RouteMany decides every case as Route does, in order, whether the
// sequence is shorter or longer than the prefetcher's lead, errors
// included; so does Route after any sequence of RoutePrefetcher pushes.
TEST(RouteMany, SameResultsAsRouteInOrder) {
  const v1::Dataset dataset = GenerateProvince(ProvinceOptions::Small());
  auto engine = Engine::Compile(dataset);
  ASSERT_THAT(engine, IsOk());
  const Router router(**engine);
  WorkloadOptions options;
  options.cases = 5000;
  options.unknown_per_mille = 50;
  absl::StatusOr<std::string> stream = GenerateWorkload(dataset, options);
  ASSERT_THAT(stream, IsOk());
  std::vector<absl::string_view> frames;
  ASSERT_THAT(SplitDelimited(*stream, &frames), IsOk());
  std::vector<v1::Case> cases(frames.size());
  std::vector<const v1::Case*> pointers;
  for (size_t i = 0; i < frames.size(); ++i) {
    ASSERT_TRUE(cases[i].ParseFromArray(frames[i].data(),
                                        static_cast<int>(frames[i].size())));
    pointers.push_back(&cases[i]);
  }
  // Route's answers, as bytes: the status, or the decision.
  auto answer = [&](const v1::Case& c, const absl::Status& s,
                    const RouteResult& r) {
    if (!s.ok()) return s.ToString();
    v1::RoutingDecision d;
    router.ToProto(c, r, v1::RouteOptions(), &d);
    return d.SerializeAsString();
  };
  std::vector<std::string> want;
  int errors = 0, delegated = 0, ended = 0;
  for (const v1::Case& c : cases) {
    RouteResult r;
    const absl::Status s = router.Route(c, &r);
    errors += !s.ok();
    if (s.ok()) {
      delegated += r.delegation != kNoIndex;
      for (int k = 0; k < r.trace_count; ++k) {
        ended += r.trace[k].reason == v1::REASON_DELEGATION_ENDED;
      }
    }
    want.push_back(answer(c, s, r));
  }
  EXPECT_GT(errors, 100);
  // The prefetcher's delegation lookups are exercised both ways.
  EXPECT_GT(delegated, 20);
  EXPECT_GT(ended + delegated, delegated);
  for (size_t n : {size_t{0}, size_t{1}, size_t{RoutePrefetcher::kLead - 1},
                   size_t{RoutePrefetcher::kLead},
                   size_t{RoutePrefetcher::kLead + 1}, cases.size()}) {
    std::vector<size_t> seen;
    RouteResult scratch;
    router.RouteMany(absl::MakeConstSpan(pointers).first(n), &scratch,
                     [&](size_t i, const absl::Status& s, const RouteResult& r) {
                       seen.push_back(i);
                       ASSERT_LT(i, n);
                       EXPECT_EQ(answer(cases[i], s, r), want[i])
                           << "case " << i << " of " << n;
                     });
    ASSERT_EQ(seen.size(), n);
    for (size_t i = 0; i < n; ++i) EXPECT_EQ(seen[i], i);
  }

  // A hint is used only for its own case: routing case k with the hint
  // found for case k + 1 (or with none) answers as Route does. Hints are
  // found for views that stay where they were pushed.
  const std::vector<CaseView> views(cases.begin(), cases.end());
  RoutePrefetcher ahead(router);
  std::vector<RouteHint> hints(cases.size());
  for (size_t i = 0; i < cases.size() + RoutePrefetcher::kLead; ++i) {
    if (i >= RoutePrefetcher::kLead) {
      hints[i - RoutePrefetcher::kLead] = ahead.Oldest();
    }
    if (i < cases.size()) {
      ahead.Push(views[i]);
    } else {
      ahead.Push();
    }
  }
  int hinted = 0;
  for (size_t k = 0; k < cases.size(); ++k) {
    ASSERT_EQ(hints[k].c, &views[k]);
    hinted += hints[k].located && hints[k].delegations_known;
    RouteResult r;
    absl::Status s = router.Route(views[k], hints[k], &r);
    EXPECT_EQ(answer(cases[k], s, r), want[k]) << "case " << k;
    const RouteHint& other = hints[(k + 1) % cases.size()];
    s = router.Route(views[k], other, &r);
    EXPECT_EQ(answer(cases[k], s, r), want[k]) << "case " << k;
  }
  EXPECT_GT(hinted, 1000);
}

}  // namespace
}  // namespace jiceng
