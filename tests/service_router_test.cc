// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0

#include "src/routing/service_router.h"

#include <memory>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "src/base/civil_date.h"
#include "src/dataset/validate.h"
#include "src/hierarchy/region_code.h"
#include "src/routing/wire.h"
#include "src/sample/sample_dataset.h"
#include "tests/alloc_counter.h"
#include "tests/status_matchers.h"
#include "tests/test_datasets.h"

namespace jiceng {
namespace {

int64_t Local(int y, int m, int d, int hh, int mm) {
  return int64_t{DaysFromCivil(y, m, d)} * 86400 + hh * 3600 + mm * 60 -
         8 * 3600;
}

// A government-service item of the human-resources department (城乡居民医保
// 参保登记): statutory 20 and promised 8 working days, with a village proxy
// point; accepting level and scope left to the caller.
v1::Item* AddInsuranceItem(v1::Catalogue* cat, const char* code) {
  v1::Item* a = cat->add_items();
  a->set_code(code);
  a->set_name("城乡居民医保参保登记");
  a->set_list_type(v1::LIST_TYPE_GOVERNMENT_SERVICE);
  a->set_department_type("human_resources");
  a->set_exercising_level(v1::REGION_LEVEL_COUNTY);
  auto* s = a->mutable_service();
  s->mutable_statutory_limit()->set_amount(20);
  s->mutable_statutory_limit()->set_unit(v1::TIME_UNIT_WORKING_DAYS);
  s->mutable_promised_limit()->set_amount(8);
  s->mutable_promised_limit()->set_unit(v1::TIME_UNIT_WORKING_DAYS);
  s->set_village_proxy(true);
  return a;
}

// Drops the unit `code` from the dataset.
void RemoveUnit(v1::Dataset* d, absl::string_view code) {
  auto* units = d->mutable_units();
  for (int i = 0; i < units->size(); ++i) {
    if (units->Get(i).code() == code) {
      units->DeleteSubrange(i, 1);
      return;
    }
  }
}

class ServiceRouterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    v1::Dataset d = SampleDataset();
    // A small service list of our own on top of the sample, so the test
    // does not depend on the sample's wording.
    auto* cat = d.mutable_catalogue();
    v1::Item* a = AddInsuranceItem(cat, "T-ZW-001");
    auto* s = a->mutable_service();
    s->set_scope(v1::SERVICE_SCOPE_COUNTY);
    s->set_courier_delivery(true);
    v1::Item* b = cat->add_items();
    *b = *a;
    b->set_code("T-ZW-002");
    b->set_name("居住证签注");
    b->mutable_service()->set_scope(v1::SERVICE_SCOPE_UNSPECIFIED);
    b->mutable_service()->set_immediate(true);
    b->mutable_service()->set_courier_delivery(false);
    auto e = Engine::Compile(d);
    ASSERT_THAT(e, IsOk());
    engine_ = std::move(*e);
  }
  v1::ServiceRequest Req(const char* item, uint64_t region,
                         const char* centre) {
    v1::ServiceRequest r;
    r.set_id("A-1");
    r.set_item_code(item);
    r.set_applicant_region_code(region);
    r.set_service_centre_code(centre);
    r.set_requested_at(Local(2026, 9, 29, 10, 0));
    return r;
  }
  std::unique_ptr<const Engine> engine_;
};

TEST_F(ServiceRouterTest, VillageProxiesTownshipAcceptsCountyApproves) {
  auto d = RouteService(*engine_, Req("T-ZW-001", 320116001001, ""));
  ASSERT_THAT(d, IsOk());
  EXPECT_TRUE(d->accepted_here());
  EXPECT_EQ(d->accepting().code(), "LH-XZ-BMFW");
  EXPECT_EQ(d->approving().code(), "LH-RS");
  EXPECT_FALSE(d->proxy().code().empty());
  // The fields name the roles: the handlers carry none.
  EXPECT_FALSE(d->accepting().has_role());
  EXPECT_FALSE(d->approving().has_role());
  EXPECT_FALSE(d->proxy().has_role());
  EXPECT_FALSE(d->immediate());
  EXPECT_TRUE(d->courier_delivery());
  // 8 working days from Tuesday 09-29 across National Day: 09-30, 10-08,
  // 10-09, 10-10 (make-up Saturday), 10-12, 10-13, 10-14, 10-15.
  EXPECT_EQ(d->promised_due_at(), Local(2026, 10, 15, 17, 30));
  EXPECT_EQ(d->promised_limit().amount(), 8);
  EXPECT_GT(d->statutory_due_at(), d->promised_due_at());
}

TEST_F(ServiceRouterTest, CountyWideItemsAreAcceptedAnywhereInTheCounty) {
  auto d = RouteService(*engine_, Req("T-ZW-001", 320116001001, "LH-ZZ-BMFW"));
  ASSERT_THAT(d, IsOk());
  EXPECT_TRUE(d->accepted_here());
  EXPECT_EQ(d->accepting().code(), "LH-ZZ-BMFW");
}

TEST_F(ServiceRouterTest, LocalItemsAreRefusedElsewhereWithAReason) {
  auto d = RouteService(*engine_, Req("T-ZW-002", 320116001001, "LH-ZZ-BMFW"));
  ASSERT_THAT(d, IsOk());
  EXPECT_FALSE(d->accepted_here());
  EXPECT_NE(d->refusal().find("LH-ZZ-BMFW"), std::string::npos) << d->refusal();
  EXPECT_NE(d->refusal().find("the applicant's own township and the centres above it"), std::string::npos);
  // The home window still takes it.
  EXPECT_EQ(d->accepting().code(), "LH-XZ-BMFW");
  EXPECT_TRUE(d->immediate());
  EXPECT_EQ(d->promised_due_at(), Local(2026, 9, 29, 10, 0));
  // The county centre accepts everything of its county.
  d = RouteService(*engine_, Req("T-ZW-002", 320116001001, "LH-ZWFW"));
  ASSERT_THAT(d, IsOk());
  EXPECT_TRUE(d->accepted_here());
}

// 即办 is on the spot at an open window: an application made when every
// window is shut (a holiday, the night, the lunch break) is due when they
// next open.
TEST_F(ServiceRouterTest, ImmediateItemsAreDueWhenAWindowIsOpen) {
  v1::ServiceRequest r = Req("T-ZW-002", 320116001001, "");
  struct {
    int64_t at, due;
  } cases[] = {
      {Local(2026, 9, 29, 10, 0), Local(2026, 9, 29, 10, 0)},
      {Local(2026, 9, 29, 12, 30), Local(2026, 9, 29, 14, 0)},
      {Local(2026, 9, 29, 22, 0), Local(2026, 9, 30, 8, 30)},
      {Local(2026, 10, 4, 10, 0), Local(2026, 10, 8, 8, 30)},
  };
  for (const auto& c : cases) {
    r.set_requested_at(c.at);
    auto d = RouteService(*engine_, r);
    ASSERT_THAT(d, IsOk());
    EXPECT_TRUE(d->immediate());
    EXPECT_EQ(d->promised_due_at(), c.due) << c.at;
  }
}

// An item with a statutory limit and no promise is promised the statutory
// time, and the decision says so: its limit and a trace step (validation
// warns, item.promised_missing).
TEST_F(ServiceRouterTest, NoPromiseMeansTheStatutoryLimit) {
  v1::Dataset d = SampleDataset();
  v1::Item* a = AddInsuranceItem(d.mutable_catalogue(), "T-ZW-009");
  a->mutable_service()->clear_promised_limit();
  a->mutable_service()->mutable_statutory_limit()->set_amount(20);
  a->mutable_service()->mutable_statutory_limit()->set_unit(
      v1::TIME_UNIT_WORKING_DAYS);
  auto e = Engine::Compile(d);
  ASSERT_THAT(e, IsOk());
  v1::ServiceRequest r = Req("T-ZW-009", 320116001001, "");
  r.set_requested_at(Local(2026, 3, 2, 10, 0));
  auto ok = RouteService(**e, r);
  ASSERT_THAT(ok, IsOk());
  EXPECT_EQ(ok->statutory_due_at(), Local(2026, 3, 30, 17, 30));
  EXPECT_EQ(ok->promised_due_at(), ok->statutory_due_at());
  EXPECT_EQ(ok->promised_limit().amount(), 20);
  EXPECT_EQ(ok->promised_limit().unit(), v1::TIME_UNIT_WORKING_DAYS);
  bool said = false;
  for (const v1::TraceStep& t : ok->trace()) {
    if (t.reason() == v1::REASON_DEADLINE && t.ref() == "promised") {
      said = true;
      EXPECT_NE(t.text().find("the statutory limit, the item sets no promise"),
                std::string::npos)
          << t.text();
    }
  }
  EXPECT_TRUE(said);
}

// The centres of the regions above the applicant govern them: the city's
// accepts an item of no 通办 scope as the county's does. (Validation keeps
// service centres off the province level.)
TEST_F(ServiceRouterTest, CentresAboveTheApplicantAcceptEveryItem) {
  v1::Dataset d = SampleDataset();
  auto* cat = d.mutable_catalogue();
  v1::Item* local = AddInsuranceItem(cat, "T-ZW-002");
  local->mutable_service()->set_scope(v1::SERVICE_SCOPE_UNSPECIFIED);
  v1::Unit* city_centre = d.add_units();
  city_centre->set_code("NJ-SMZX");
  city_centre->set_name("南京市民中心");
  city_centre->set_kind(v1::UNIT_KIND_SERVICE_CENTRE);
  city_centre->set_region_code("320100000000");
  auto e = Engine::Compile(d);
  ASSERT_THAT(e, IsOk());
  for (const char* centre : {"NJ-SMZX", "LH-ZWFW", "LH-XZ-BMFW"}) {
    auto r = RouteService(**e, Req("T-ZW-002", 320116001001, centre));
    ASSERT_THAT(r, IsOk());
    EXPECT_TRUE(r->accepted_here()) << centre << ": " << r->refusal();
    EXPECT_EQ(r->accepting().code(), centre);
  }
  // Another township's centre still refuses it.
  auto r = RouteService(**e, Req("T-ZW-002", 320116001001, "LH-ZZ-BMFW"));
  ASSERT_THAT(r, IsOk());
  EXPECT_FALSE(r->accepted_here());
}

// 居住证 is approved at the township, where the township only cooperates
// (配合) and public security leads: its police station approves it, not
// the township government; with no station, the county's bureau does.
TEST_F(ServiceRouterTest, ADepartmentLedTownshipItemIsApprovedByItsStation) {
  auto d = RouteService(*engine_, Req("JZ-ZW-003", 320116001001, ""));
  ASSERT_THAT(d, IsOk());
  EXPECT_EQ(d->approving().code(), "LH-GA-XZ");
  // An item the township does itself (基本): the township government.
  d = RouteService(*engine_, Req("JZ-ZW-002", 320116001001, ""));
  ASSERT_THAT(d, IsOk());
  EXPECT_EQ(d->approving().code(), "LH-XZ-GOV");

  v1::Dataset no_station = SampleDataset();
  RemoveUnit(&no_station, "LH-GA-XZ");
  for (v1::PoliceGrid& g : *no_station.mutable_police_grids()) {
    if (g.police_station_unit_code() == "LH-GA-XZ") {
      g.clear_police_station_unit_code();
    }
  }
  auto e = Engine::Compile(no_station);
  ASSERT_THAT(e, IsOk());
  d = RouteService(**e, Req("JZ-ZW-003", 320116001001, ""));
  ASSERT_THAT(d, IsOk());
  EXPECT_EQ(d->approving().code(), "LH-GA");
  bool named = false;
  for (const v1::TraceStep& t : d->trace()) {
    if (t.reason() != v1::REASON_APPROVAL) continue;
    named = true;
    EXPECT_EQ(t.ref(), "LH-GA");
    EXPECT_NE(t.text().find("has no public_security department"),
              std::string::npos)
        << t.text();
  }
  EXPECT_TRUE(named);
}

// A service item delegated to a township (赋权) is approved there from the
// delegation's first day, by the department again after it ends; the trace
// names the delegation either way.
TEST_F(ServiceRouterTest, DelegatedItemsAreApprovedByTheTownshipWhileInForce) {
  v1::Dataset d = SampleDataset();
  v1::Delegation* g = d.mutable_catalogue()->add_delegations();
  g->set_id("D-ZW-004");
  g->set_item_code("JZ-ZW-004");
  g->set_from_department_type("civil_affairs");
  g->mutable_scope()->add_township_codes("320116001000");
  g->set_mode(v1::DELEGATION_MODE_ENTRUSTED);
  g->set_effective_date("2026-03-01");
  g->set_end_date("2026-06-01");
  auto e = Engine::Compile(d);
  ASSERT_THAT(e, IsOk());
  auto at = [&](int month, int day, uint64_t applicant) {
    v1::ServiceRequest r = Req("JZ-ZW-004", applicant, "");
    r.set_requested_at(Local(2026, month, day, 10, 0));
    auto decision = RouteService(**e, r);
    EXPECT_THAT(decision, IsOk());
    return decision.ok() ? *decision : v1::ServiceDecision();
  };
  auto step = [](const v1::ServiceDecision& s, v1::Reason reason) {
    for (const v1::TraceStep& t : s.trace()) {
      if (t.reason() == reason) return t.ref();
    }
    return std::string("(none)");
  };
  const v1::ServiceDecision before = at(2, 27, 320116001001);
  EXPECT_EQ(before.approving().code(), "LH-MZ");
  EXPECT_EQ(step(before, v1::REASON_DELEGATION_APPLIED), "(none)");
  const v1::ServiceDecision during = at(3, 2, 320116001001);
  EXPECT_EQ(during.approving().code(), "LH-XZ-GOV");
  EXPECT_EQ(step(during, v1::REASON_DELEGATION_APPLIED), "D-ZW-004");
  EXPECT_EQ(step(during, v1::REASON_APPROVAL), "LH-XZ-GOV");
  // Only to 雄州: another township's applicant keeps the bureau.
  EXPECT_EQ(at(3, 2, 320116100001).approving().code(), "LH-MZ");
  const v1::ServiceDecision after = at(6, 2, 320116001001);
  EXPECT_EQ(after.approving().code(), "LH-MZ");
  EXPECT_EQ(step(after, v1::REASON_DELEGATION_ENDED), "D-ZW-004");
  // The accepting window is the township's throughout.
  EXPECT_EQ(during.accepting().code(), before.accepting().code());
}

// An item accepted at village level (the village's service station): a
// village without one leaves it to the township's window, and an applicant
// registered at the township itself is served there — never no window.
TEST_F(ServiceRouterTest, AVillageWithoutAWindowLeavesItToTheTownship) {
  v1::Dataset dataset = SampleDataset();
  v1::Item* item = AddInsuranceItem(dataset.mutable_catalogue(), "T-ZW-009");
  item->mutable_service()->set_accepting_level(v1::REGION_LEVEL_VILLAGE);
  auto e = Engine::Compile(dataset);
  ASSERT_THAT(e, IsOk());
  const Engine& engine = **e;
  const std::string village_name(engine.hierarchy().name(
      engine.hierarchy().FindKey(*RegionKeyFromNumber(320116001001))));

  // A village applicant (the sample's villages have no service station).
  auto d = RouteService(engine, Req("T-ZW-009", 320116001001, ""));
  ASSERT_THAT(d, IsOk());
  EXPECT_EQ(d->accepting().code(), "LH-XZ-BMFW");
  EXPECT_EQ(d->approving().code(), "LH-RS");
  ASSERT_GE(d->trace_size(), 3);
  EXPECT_EQ(d->trace(2).ref(), "LH-XZ-BMFW");
  EXPECT_EQ(d->trace(2).text(),
            absl::StrCat("accepted at 雄州街道便民服务中心 (一窗受理): ",
                         village_name, " has no service window"));

  // A grid of that village: the same.
  d = RouteService(engine, Req("T-ZW-009", 32011600100101, ""));
  ASSERT_THAT(d, IsOk());
  EXPECT_EQ(d->accepting().code(), "LH-XZ-BMFW");

  // The township itself: no village to look for, its own window.
  d = RouteService(engine, Req("T-ZW-009", 320116001000, ""));
  ASSERT_THAT(d, IsOk());
  EXPECT_EQ(d->accepting().code(), "LH-XZ-BMFW");
  EXPECT_EQ(d->trace(2).text(), "accepted at 雄州街道便民服务中心 (一窗受理)");
}

TEST_F(ServiceRouterTest, BadRequestsNameTheField) {
  EXPECT_THAT(RouteService(*engine_, Req("NOPE", 320116001001, "")),
              StatusIs(absl::StatusCode::kInvalidArgument, "item_code"));
  v1::ServiceRequest r = Req("T-ZW-001", 320116000000, "");
  EXPECT_THAT(RouteService(*engine_, r),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "applicant_region_code"));
  r = Req("T-ZW-001", 320116001001, "LH-CG");
  EXPECT_THAT(RouteService(*engine_, r),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "service_centre_code"));
  r = Req("T-ZW-001", 320116001001, "");
  r.set_requested_at(-5);
  EXPECT_THAT(RouteService(*engine_, r),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "requested_at: -5 is before 1970"));
  r.set_requested_at(int64_t{1} << 62);
  EXPECT_THAT(RouteService(*engine_, r),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "requested_at: 4611686018427387904 is past the year "
                       "9999"));
  // A field left unset says so, rather than naming its default value.
  r.set_requested_at(0);
  EXPECT_THAT(
      RouteService(*engine_, r),
      StatusIs(absl::StatusCode::kInvalidArgument, "requested_at: not set"));
  EXPECT_THAT(
      RouteService(*engine_, Req("", 320116001001, "")),
      StatusIs(absl::StatusCode::kInvalidArgument, "item_code: not set"));
  EXPECT_THAT(RouteService(*engine_, Req("T-ZW-001", 0, "")),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "applicant_region_code: not set"));
  EXPECT_THAT(
      RouteService(*engine_, v1::ServiceRequest()),
      StatusIs(absl::StatusCode::kInvalidArgument, "item_code: not set"));
  // Outside the calendar: the date is named, for an immediate item too
  // (whose promise is the request time, consulting no calendar).
  for (const char* item : {"T-ZW-001", "T-ZW-002"}) {
    r = Req(item, 320116001001, "");
    r.set_requested_at(Local(2031, 3, 2, 9, 0));
    EXPECT_THAT(RouteService(*engine_, r),
                StatusIs(absl::StatusCode::kOutOfRange,
                         "requested_at: 2031-03-02T09:00:00+08:00 is outside "
                         "the work calendar"))
        << item;
    // 24:00 of the calendar's last day begins a day it lacks: refused for
    // an immediate item too, as a case reported then is.
    r.set_requested_at(int64_t{engine_->calendar().last_day() + 1} * 86400 -
                       8 * 3600);
    EXPECT_THAT(RouteService(*engine_, r),
                StatusIs(absl::StatusCode::kOutOfRange,
                         "requested_at: 2027-01-01 00:00 begins a day after "
                         "the work calendar's last, 2026-12-31"))
        << item;
    // A second before, the request is on the calendar; its deadlines are
    // not, and the error says which deadline and its limit (T-ZW-002 is
    // immediate: only its statutory one is computed).
    r.set_requested_at(r.requested_at() - 1);
    EXPECT_THAT(
        RouteService(*engine_, r),
        StatusIs(absl::StatusCode::kOutOfRange,
                 absl::StrCat(item == std::string("T-ZW-001")
                                  ? "promised deadline (8"
                                  : "statutory deadline (20",
                              " TIME_UNIT_WORKING_DAYS of item ", item, "): ")))
        << item;
  }
}

// With no service centre or government at the accepting level or above,
// no window accepts the request, and the trace names the gap.
TEST_F(ServiceRouterTest, AMissingWindowIsNamed) {
  v1::Dataset d = SampleDataset();
  v1::Item* a = AddInsuranceItem(d.mutable_catalogue(), "T-ZW-001");
  a->mutable_service()->set_accepting_level(v1::REGION_LEVEL_CITY);
  auto e = Engine::Compile(d);
  ASSERT_THAT(e, IsOk());
  v1::ServiceRequest r = Req("T-ZW-001", 320116001001, "");
  absl::StatusOr<v1::ServiceDecision> got = RouteService(**e, r);
  ASSERT_THAT(got, IsOk());
  EXPECT_FALSE(got->has_accepting());
  bool named = false;
  for (const v1::TraceStep& t : got->trace()) {
    named |= t.reason() == v1::REASON_LEAD &&
             absl::StrContains(t.text(),
                               "no service centre or government "
                               "accepts it at ") &&
             absl::StrContains(t.text(), "the dataset lacks one");
  }
  EXPECT_TRUE(named) << got->DebugString();
}

// The approving department is looked for at the item's approving level,
// then above; the trace says when it came from above, and names the gap
// when there is none at all.
TEST_F(ServiceRouterTest, AMissingApproverIsLookedForAboveAndNamed) {
  auto route = [](v1::Dataset d) -> v1::ServiceDecision {
    AddInsuranceItem(d.mutable_catalogue(), "T-ZW-001");
    auto e = Engine::Compile(d);
    EXPECT_THAT(e, IsOk());
    if (!e.ok()) return {};
    v1::ServiceRequest r;
    r.set_item_code("T-ZW-001");
    r.set_applicant_region_code(320116001001);
    r.set_requested_at(Local(2026, 9, 29, 10, 0));
    auto decision = RouteService(**e, r);
    EXPECT_THAT(decision, IsOk());
    return decision.ok() ? *decision : v1::ServiceDecision();
  };
  auto approval = [](const v1::ServiceDecision& d) -> const v1::TraceStep* {
    for (const v1::TraceStep& t : d.trace()) {
      if (t.reason() == v1::REASON_APPROVAL) return &t;
    }
    return nullptr;
  };
  v1::Dataset d = SampleDataset();
  v1::ServiceDecision at_county = route(d);
  ASSERT_NE(approval(at_county), nullptr);
  EXPECT_EQ(approval(at_county)->text(), "approved by 六合区人力资源和社会保障局");

  // The county's bureau moved up to the city: found there, and said so.
  for (v1::Unit& u : *d.mutable_units()) {
    if (u.code() == "LH-RS") u.set_region_code("320100000000");
  }
  v1::ServiceDecision above = route(d);
  EXPECT_EQ(above.approving().code(), "LH-RS");
  ASSERT_NE(approval(above), nullptr);
  EXPECT_EQ(approval(above)->text(),
            "approved by 六合区人力资源和社会保障局: 六合区 has no "
            "human_resources department");

  // None anywhere: no approving unit, and the trace names the gap.
  v1::Dataset none = SampleDataset();
  RemoveUnit(&none, "LH-RS");
  v1::ServiceDecision gap = route(none);
  EXPECT_FALSE(gap.has_approving());
  ASSERT_NE(approval(gap), nullptr);
  EXPECT_EQ(approval(gap)->ref(), "");
  EXPECT_EQ(approval(gap)->text(),
            "no human_resources department approves it at 六合区 or above: "
            "the dataset lacks one");
}

// Limits in calendar days are a statute's 日 (TimeUnit): to the close of
// the N-th day, or of the next working day when that one is not; their
// deadlines too must lie within the calendar.
TEST_F(ServiceRouterTest, CalendarTimeLimitsEndWithinTheCalendar) {
  v1::Dataset d = SampleDataset();
  v1::Item* a = AddInsuranceItem(d.mutable_catalogue(), "T-ZW-001");
  a->mutable_service()->mutable_promised_limit()->set_amount(10);
  a->mutable_service()->mutable_promised_limit()->set_unit(
      v1::TIME_UNIT_CALENDAR_DAYS);
  a->mutable_service()->mutable_statutory_limit()->set_amount(20);
  a->mutable_service()->mutable_statutory_limit()->set_unit(
      v1::TIME_UNIT_CALENDAR_DAYS);
  auto e = Engine::Compile(d);
  ASSERT_THAT(e, IsOk());
  const int32_t last = (*e)->calendar().last_day();
  v1::ServiceRequest r = Req("T-ZW-001", 320116001001, "");
  // Mon 03-02 10:00: ten days is Thu 03-12, twenty Sun 03-22, which gives
  // way to Mon 03-23; both at the close of business.
  r.set_requested_at(Local(2026, 3, 2, 10, 0));
  auto ok = RouteService(**e, r);
  ASSERT_THAT(ok, IsOk());
  EXPECT_EQ(ok->promised_due_at(), Local(2026, 3, 12, 17, 30));
  EXPECT_EQ(ok->statutory_due_at(), Local(2026, 3, 23, 17, 30));
  // Wed 09-30: ten days is Sat 10-10, a make-up working day; twenty is Tue
  // 10-20. From Fri 09-25, ten days lands in the National Day holiday
  // (10-05) and gives way to Thu 10-08.
  r.set_requested_at(Local(2026, 9, 30, 10, 0));
  ok = RouteService(**e, r);
  ASSERT_THAT(ok, IsOk());
  EXPECT_EQ(ok->promised_due_at(), Local(2026, 10, 10, 17, 30));
  EXPECT_EQ(ok->statutory_due_at(), Local(2026, 10, 20, 17, 30));
  r.set_requested_at(Local(2026, 9, 25, 10, 0));
  ok = RouteService(**e, r);
  ASSERT_THAT(ok, IsOk());
  EXPECT_EQ(ok->promised_due_at(), Local(2026, 10, 8, 17, 30));
  r.set_requested_at(int64_t{last - 5} * 86400 + 2 * 3600);
  EXPECT_THAT(RouteService(**e, r),
              StatusIs(absl::StatusCode::kOutOfRange,
                       "promised deadline (10 TIME_UNIT_CALENDAR_DAYS of item "
                       "T-ZW-001): 10 calendar days after 2026-12-26"));
}

// The decision's wire bytes are the message's: AppendServiceDecision
// writes fields in order with proto3 defaults left out, so parsing and
// serializing them again changes nothing, and the trace reads as the
// decision does.
TEST_F(ServiceRouterTest, WrittenBytesAreTheMessagesCanonicalBytes) {
  for (const v1::ServiceRequest& r :
       {Req("T-ZW-001", 320116001001, ""), Req("T-ZW-002", 320116001001, ""),
        Req("T-ZW-002", 320116001001, "LH-ZZ-BMFW"),
        Req("T-ZW-001", 320116001001, "LH-ZWFW")}) {
    ServiceResult result;
    ASSERT_THAT(RouteService(*engine_, r, &result), IsOk());
    std::string bytes;
    {
      WireWriter w(&bytes);
      AppendServiceDecision(*engine_, r, result, &w);
    }
    v1::ServiceDecision d;
    ASSERT_TRUE(d.ParseFromString(bytes));
    EXPECT_EQ(d.SerializeAsString(), bytes) << d.DebugString();
    auto via_message = RouteService(*engine_, r);
    ASSERT_THAT(via_message, IsOk());
    EXPECT_EQ(via_message->SerializeAsString(), bytes);
    // Item, location, then a step per unit found and the promise.
    ASSERT_GE(d.trace_size(), 4);
    EXPECT_EQ(d.trace(0).reason(), v1::REASON_ITEM);
    EXPECT_EQ(d.trace(0).ref(), r.item_code());
    EXPECT_EQ(d.trace(1).reason(), v1::REASON_LOCATION);
    EXPECT_EQ(d.trace(1).ref(), "320116001001");
    EXPECT_EQ(d.trace(2).ref(), d.accepting().code());
    EXPECT_EQ(d.trace(2).text(),
              absl::StrCat("accepted at ",
                           engine_->organization().name(
                               engine_->organization().Find(
                                   d.accepting().code())),
                           " (一窗受理)"));
    EXPECT_EQ(d.trace(2).reason(), v1::REASON_LEAD);
    EXPECT_EQ(d.trace(3).reason(), v1::REASON_APPROVAL);
    EXPECT_EQ(d.trace(3).ref(), d.approving().code());
    EXPECT_EQ(d.trace(d.trace_size() - 1).reason(), v1::REASON_DEADLINE);
    EXPECT_EQ(d.trace(d.trace_size() - 1).ref(),
              d.immediate() ? "immediate" : "promised");
    if (!d.immediate()) {
      EXPECT_EQ(d.trace(d.trace_size() - 1).text(),
                "promised within 8 WORKING_DAYS");
    }
  }
}

// Deciding into a reused ServiceResult and writing into a reused buffer
// allocates nothing once the buffer has grown (the C ABI's path).
TEST_F(ServiceRouterTest, ResultAndWriterAllocateNothingInSteadyState) {
  JICENG_TEST_NEEDS_ALLOCATION_COUNTING();
  const v1::ServiceRequest requests[] = {
      Req("T-ZW-001", 320116001001, ""), Req("T-ZW-002", 320116001001, ""),
      Req("T-ZW-002", 320116001001, "LH-ZZ-BMFW")};
  ServiceResult result;
  ByteBuffer bytes;
  auto decide = [&](const v1::ServiceRequest& r) {
    // ASSERT_TRUE: a matcher would allocate.
    ASSERT_TRUE(RouteService(*engine_, r, &result).ok());
    bytes.Clear();
    WireWriter w(&bytes);
    AppendServiceDecision(*engine_, r, result, &w);
  };
  for (const v1::ServiceRequest& r : requests) decide(r);  // warm-up
  for (const v1::ServiceRequest& r : requests) {
    const int64_t before = jiceng_test::ThreadAllocationCount();
    decide(r);
    EXPECT_EQ(jiceng_test::ThreadAllocationCount() - before, 0)
        << r.DebugString();
  }
}

// 东莞 and 中山 have no county level: their townships sit directly under the
// city, which then plays the county's part (Hierarchy::county_of). The
// sample with a 东莞 branch added: two towns, each with a service centre,
// and the city's government, human-resources department and service centre.
class NoCountyLevelTest : public ::testing::Test {
 protected:
  void SetUp() override {
    v1::Dataset d = SampleDataset();
    auto region = [&](const char* code, const char* parent,
                      v1::RegionLevel level, const char* name) {
      v1::Region* r = d.add_regions();
      r->set_code(code);
      r->set_parent_code(parent);
      r->set_level(level);
      r->set_name(name);
    };
    region("440000000000", "", v1::REGION_LEVEL_PROVINCE, "广东省");
    region("441900000000", "440000000000", v1::REGION_LEVEL_CITY, "东莞市");
    region("441900003000", "441900000000", v1::REGION_LEVEL_TOWNSHIP,
           "莞城街道");
    region("441900003001", "441900003000", v1::REGION_LEVEL_VILLAGE,
           "东正社区");
    region("441900101000", "441900000000", v1::REGION_LEVEL_TOWNSHIP,
           "石碣镇");
    auto unit = [&](const char* code, const char* region, v1::UnitKind kind,
                    const char* parent, const char* name) {
      v1::Unit* u = d.add_units();
      u->set_code(code);
      u->set_name(name);
      u->set_kind(kind);
      u->set_region_code(region);
      u->set_parent_unit_code(parent);
      return u;
    };
    unit("DG-GOV", "441900000000", v1::UNIT_KIND_GOVERNMENT, "", "东莞市人民政府");
    unit("DG-RS", "441900000000", v1::UNIT_KIND_DEPARTMENT, "",
         "东莞市人力资源和社会保障局")
        ->set_department_type("human_resources");
    unit("DG-ZWFW", "441900000000", v1::UNIT_KIND_SERVICE_CENTRE, "DG-GOV",
         "东莞市民服务中心");
    unit("DG-GC-GOV", "441900003000", v1::UNIT_KIND_GOVERNMENT, "",
         "莞城街道办事处");
    unit("DG-GC-BMFW", "441900003000", v1::UNIT_KIND_SERVICE_CENTRE,
         "DG-GC-GOV", "莞城街道便民服务中心");
    unit("DG-GC-DZ", "441900003001", v1::UNIT_KIND_VILLAGE_COMMITTEE, "",
         "东正社区居民委员会");
    unit("DG-SJ-GOV", "441900101000", v1::UNIT_KIND_GOVERNMENT, "",
         "石碣镇人民政府");
    unit("DG-SJ-BMFW", "441900101000", v1::UNIT_KIND_SERVICE_CENTRE,
         "DG-SJ-GOV", "石碣镇便民服务中心");

    auto* cat = d.mutable_catalogue();
    // Township accepts, county (here: the city) approves; township only.
    v1::Item* a = AddInsuranceItem(cat, "T-ZW-DG-1");
    // Accepted at the county level (here: the city's centre), county-wide.
    v1::Item* b = cat->add_items();
    *b = *a;
    b->set_code("T-ZW-DG-2");
    b->mutable_service()->set_accepting_level(v1::REGION_LEVEL_COUNTY);
    b->mutable_service()->set_scope(v1::SERVICE_SCOPE_COUNTY);

    ProblemList problems = ValidateDataset(d);
    ASSERT_EQ(problems.error_count(), 0) << Dump(problems);
    auto e = Engine::Compile(d);
    ASSERT_THAT(e, IsOk());
    engine_ = std::move(*e);
  }
  v1::ServiceRequest Req(const char* item, const char* centre) {
    v1::ServiceRequest r;
    r.set_id("DG-1");
    r.set_item_code(item);
    r.set_applicant_region_code(441900003001);  // 东正社区, 莞城街道
    r.set_service_centre_code(centre);
    r.set_requested_at(Local(2026, 9, 29, 10, 0));
    return r;
  }
  std::unique_ptr<const Engine> engine_;
};

TEST_F(NoCountyLevelTest, TheCityApprovesWhereThereIsNoCounty) {
  auto d = RouteService(*engine_, Req("T-ZW-DG-1", ""));
  ASSERT_THAT(d, IsOk());
  EXPECT_EQ(d->accepting().code(), "DG-GC-BMFW");
  // Approving level county (the default): the city's department.
  EXPECT_EQ(d->approving().code(), "DG-RS");
  EXPECT_EQ(d->proxy().code(), "DG-GC-DZ");
}

TEST_F(NoCountyLevelTest, TheCityCentreAcceptsLikeACountyCentre) {
  // A township-only item at the city's centre: the county-level centre of
  // the applicant, as a county centre is elsewhere.
  auto d = RouteService(*engine_, Req("T-ZW-DG-1", "DG-ZWFW"));
  ASSERT_THAT(d, IsOk());
  EXPECT_TRUE(d->accepted_here()) << d->refusal();
  EXPECT_EQ(d->accepting().code(), "DG-ZWFW");
  EXPECT_TRUE(d->refusal().empty());
  // Another town's centre may not accept it …
  d = RouteService(*engine_, Req("T-ZW-DG-1", "DG-SJ-BMFW"));
  ASSERT_THAT(d, IsOk());
  EXPECT_FALSE(d->accepted_here());
  EXPECT_NE(d->refusal().find("the applicant's own township and the centres above it"), std::string::npos)
      << d->refusal();
  // … unless the item may be handled anywhere in the county (全区通办).
  d = RouteService(*engine_, Req("T-ZW-DG-2", "DG-SJ-BMFW"));
  ASSERT_THAT(d, IsOk());
  EXPECT_TRUE(d->accepted_here()) << d->refusal();
  EXPECT_EQ(d->accepting().code(), "DG-SJ-BMFW");
}

TEST_F(NoCountyLevelTest, CountyLevelAcceptanceIsTheCityCentre) {
  auto d = RouteService(*engine_, Req("T-ZW-DG-2", ""));
  ASSERT_THAT(d, IsOk());
  EXPECT_EQ(d->accepting().code(), "DG-ZWFW");
  EXPECT_EQ(d->approving().code(), "DG-RS");
}

TEST_F(NoCountyLevelTest, CountiesElsewhereAreUnchanged) {
  // The sample's 六合区 in the same engine still approves at its county.
  v1::ServiceRequest r = Req("T-ZW-DG-1", "");
  r.set_applicant_region_code(320116001001);
  auto d = RouteService(*engine_, r);
  ASSERT_THAT(d, IsOk());
  EXPECT_EQ(d->accepting().code(), "LH-XZ-BMFW");
  EXPECT_EQ(d->approving().code(), "LH-RS");
}

}  // namespace
}  // namespace jiceng
