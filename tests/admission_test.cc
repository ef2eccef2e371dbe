// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0
//
// One test per verdict path of the admission review (准入审核).

#include "src/catalogue/admission.h"

#include <memory>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "src/base/civil_date.h"
#include "src/engine/engine.h"
#include "tests/catalogue_fixture.h"
#include "tests/status_matchers.h"

namespace jiceng {
namespace {

class AdmissionTest : public ::testing::Test {
 protected:
  void SetUp() override { Use(TinyWithCatalogue()); }
  // Reviews against `d` from now on.
  void Use(const v1::Dataset& d) {
    auto e = Engine::Compile(d);
    ASSERT_THAT(e, IsOk());
    engine_ = std::move(*e);
  }
  absl::StatusOr<v1::AdmissionDecision> Review(const v1::AdmissionRequest& r) {
    return ReviewAdmission(engine_->catalogue(), r,
                           *ParseIsoDate("2026-03-02"));
  }
  static std::vector<std::string> Codes(const v1::AdmissionDecision& d) {
    std::vector<std::string> out;
    for (const auto& r : d.reasons()) out.push_back(r.code());
    return out;
  }
  v1::AdmissionRequest Request(const char* to, const char* item) {
    v1::AdmissionRequest r;
    r.set_proposal_id("P-1");
    r.set_title("一项下沉事务");
    r.set_to_region_code(to);
    r.set_item_code(item);
    return r;
  }
  std::unique_ptr<const Engine> engine_;
};

using V = v1::AdmissionVerdict;

TEST_F(AdmissionTest, BasicTownshipItemIsAdmitted) {
  auto d = Review(Request("320116001000", "SD-001"));
  ASSERT_THAT(d, IsOk());
  EXPECT_EQ(d->verdict(), V::ADMISSION_VERDICT_ADMIT);
  EXPECT_EQ(Codes(*d), std::vector<std::string>{"admission.on_list"});
  EXPECT_EQ(d->reasons(0).reference(), "SD-001");
  EXPECT_EQ(d->proposal_id(), "P-1");
}

TEST_F(AdmissionTest, CooperatingItemIsOnTheTownshipList) {
  auto d = Review(Request("320116100000", "PH-001"));
  ASSERT_THAT(d, IsOk());
  EXPECT_EQ(d->verdict(), V::ADMISSION_VERDICT_ADMIT);
}

TEST_F(AdmissionTest, DelegatedItemIsOnTheListOnlyFromItsDate) {
  v1::AdmissionRequest r = Request("320116100000", "CG-CF-001");
  r.set_date("2026-07-01");
  auto after = Review(r);
  ASSERT_THAT(after, IsOk());
  EXPECT_EQ(after->verdict(), V::ADMISSION_VERDICT_ADMIT);
  EXPECT_NE(after->reasons(0).message().find("delegated"), std::string::npos);
  r.set_date("2026-06-30");
  auto before = Review(r);
  ASSERT_THAT(before, IsOk());
  // Not on the list, no funding or staff: rejected.
  EXPECT_EQ(before->verdict(), V::ADMISSION_VERDICT_REJECT);
  EXPECT_EQ(Codes(*before), (std::vector<std::string>{
                                "admission.not_on_list",
                                "admission.no_resources"}));
}

TEST_F(AdmissionTest, VillageDutyIsOnTheVillageList) {
  auto d = Review(Request("320116001001", "CS-001"));
  ASSERT_THAT(d, IsOk());
  EXPECT_EQ(d->verdict(), V::ADMISSION_VERDICT_ADMIT);
  EXPECT_NE(d->reasons(0).message().find("村社履职"), std::string::npos)
      << d->reasons(0).message();
  // A township-level item is not on a community's list.
  auto e = Review(Request("320116001001", "SD-001"));
  ASSERT_THAT(e, IsOk());
  EXPECT_NE(e->verdict(), V::ADMISSION_VERDICT_ADMIT);
  EXPECT_EQ(e->reasons(0).code(), "admission.not_on_list");
}

// A community's list holds village-level items only. A township's
// assistance item (协助配合) is on the township's list, not on its
// communities': pushed down to one, it is reviewed like any duty not on the
// list (legal basis, funding, staff).
TEST_F(AdmissionTest, TownshipAssistanceItemIsNotOnAVillageList) {
  v1::Dataset data = TinyWithCatalogue();
  v1::Catalogue* c = data.mutable_catalogue();
  v1::Item* town = c->add_items();
  town->set_code("JZ-XZ-001");
  town->set_name("协助开展违法建设强制拆除和现场秩序维护");
  town->set_list_type(v1::LIST_TYPE_ASSISTANCE);
  town->set_exercising_level(v1::REGION_LEVEL_TOWNSHIP);
  town->set_township_role(v1::TOWNSHIP_ROLE_COOPERATING);
  town->set_lead_department_type("urban_management");
  v1::Item* own = c->add_items();
  own->set_code("CS-XZ-001");
  own->set_name("协助核查居住信息");
  own->set_list_type(v1::LIST_TYPE_ASSISTANCE);
  own->set_exercising_level(v1::REGION_LEVEL_VILLAGE);
  own->set_township_role(v1::TOWNSHIP_ROLE_COOPERATING);
  own->set_lead_department_type("market_supervision");
  v1::Item* service = c->add_items();
  service->set_code("CS-FW-001");
  service->set_name("为民代办服务");
  service->set_list_type(v1::LIST_TYPE_GOVERNMENT_SERVICE);
  service->set_power_kind(v1::POWER_KIND_PUBLIC_SERVICE);
  service->set_exercising_level(v1::REGION_LEVEL_VILLAGE);
  Use(data);

  // On the township's list.
  auto t = Review(Request("320116001000", "JZ-XZ-001"));
  ASSERT_THAT(t, IsOk());
  EXPECT_EQ(t->verdict(), V::ADMISSION_VERDICT_ADMIT);

  // Not on the community's: reviewed, and with nothing attached rejected.
  auto v = Review(Request("320116001001", "JZ-XZ-001"));
  ASSERT_THAT(v, IsOk());
  EXPECT_EQ(v->verdict(), V::ADMISSION_VERDICT_REJECT);
  EXPECT_EQ(Codes(*v), (std::vector<std::string>{"admission.not_on_list",
                                                 "admission.no_legal_basis",
                                                 "admission.no_resources"}));
  EXPECT_NE(v->reasons(0).message().find("exercised at township level"),
            std::string::npos)
      << v->reasons(0).message();
  v1::AdmissionRequest r = Request("320116001001", "JZ-XZ-001");
  r.mutable_legal_basis()->set_law("《中华人民共和国城乡规划法》");
  r.set_funding_attached(true);
  r.set_staff_attached(true);
  auto reviewed = Review(r);
  ASSERT_THAT(reviewed, IsOk());
  EXPECT_EQ(reviewed->verdict(), V::ADMISSION_VERDICT_NEEDS_REVIEW);
  EXPECT_EQ(Codes(*reviewed),
            (std::vector<std::string>{"admission.not_on_list",
                                      "admission.review_required"}));

  // The community's own assistance item is on its list, named as such.
  auto a = Review(Request("320116001001", "CS-XZ-001"));
  ASSERT_THAT(a, IsOk());
  EXPECT_EQ(a->verdict(), V::ADMISSION_VERDICT_ADMIT);
  EXPECT_EQ(Codes(*a), std::vector<std::string>{"admission.on_list"});
  EXPECT_NE(a->reasons(0).message().find("assistance (协助配合)"),
            std::string::npos)
      << a->reasons(0).message();
  // Only a village duty is called one (村社履职).
  for (const char* code : {"CS-XZ-001", "CS-FW-001"}) {
    auto e = Review(Request("320116001001", code));
    ASSERT_THAT(e, IsOk());
    EXPECT_EQ(e->verdict(), V::ADMISSION_VERDICT_ADMIT) << code;
    EXPECT_EQ(e->reasons(0).message().find("村社履职"), std::string::npos)
        << e->reasons(0).message();
  }
}

TEST_F(AdmissionTest, StatutoryDepartmentMatterIsRejected) {
  v1::AdmissionRequest r = Request("320116001000", "");
  r.set_statutory_department_matter(true);
  r.mutable_legal_basis()->set_law("某法");
  r.set_funding_attached(true);
  r.set_staff_attached(true);
  auto d = Review(r);
  ASSERT_THAT(d, IsOk());
  EXPECT_EQ(d->verdict(), V::ADMISSION_VERDICT_REJECT);
  EXPECT_EQ(d->reasons(0).code(), "admission.statutory_department_matter");
}

TEST_F(AdmissionTest, ReclaimedAndStatutoryItemIsRejected) {
  auto d = Review(Request("320116001000", "SH-001"));
  ASSERT_THAT(d, IsOk());
  EXPECT_EQ(d->verdict(), V::ADMISSION_VERDICT_REJECT);
  // The bars end the review: nothing else is examined.
  EXPECT_EQ(Codes(*d),
            (std::vector<std::string>{"admission.statutory_department_matter",
                                      "admission.reclaimed"}));
}

// Reclaimed (收回) from townships: not to be handed to a village under one
// either.
TEST_F(AdmissionTest, ReclaimedItemIsRejectedForAVillageToo) {
  v1::Dataset data = TinyWithCatalogue();
  for (v1::Item& it : *data.mutable_catalogue()->mutable_items()) {
    if (it.code() == "SH-001") it.set_statutory_department_matter(false);
  }
  Use(data);
  for (const char* to : {"320116001000", "320116001001"}) {
    v1::AdmissionRequest r = Request(to, "SH-001");
    r.mutable_legal_basis()->set_law("某法");
    r.set_funding_attached(true);
    r.set_staff_attached(true);
    auto d = Review(r);
    ASSERT_THAT(d, IsOk());
    EXPECT_EQ(d->verdict(), V::ADMISSION_VERDICT_REJECT) << to;
    EXPECT_EQ(Codes(*d), std::vector<std::string>{"admission.reclaimed"}) << to;
  }
}

// A statutory item a delegation lists for the township is still not to be
// pushed down: one verdict, REJECT, with no ADMIT beside it; the reason
// names the delegation that contradicts it.
TEST_F(AdmissionTest, DelegatedStatutoryItemIsRejectedWithoutAnAdmit) {
  v1::Dataset data = TinyWithCatalogue();
  v1::Delegation* g = data.mutable_catalogue()->add_delegations();
  g->set_id("D-SH");
  g->set_effective_date("2026-01-01");
  g->set_item_code("SH-001");
  g->set_from_department_type("urban_management");
  g->mutable_scope()->add_township_codes("320116001000");
  g->set_mode(v1::DELEGATION_MODE_ENTRUSTED);
  Use(data);
  auto d = Review(Request("320116001000", "SH-001"));
  ASSERT_THAT(d, IsOk());
  EXPECT_EQ(d->verdict(), V::ADMISSION_VERDICT_REJECT);
  for (const v1::AdmissionReason& reason : d->reasons()) {
    EXPECT_EQ(reason.effect(), V::ADMISSION_VERDICT_REJECT) << reason.code();
  }
  EXPECT_EQ(Codes(*d),
            (std::vector<std::string>{"admission.statutory_department_matter",
                                      "admission.reclaimed"}));
  EXPECT_NE(d->reasons(0).message().find("delegation D-SH"), std::string::npos)
      << d->reasons(0).message();
}

TEST_F(AdmissionTest, AbolishedCertificateIsRejected) {
  v1::AdmissionRequest r = Request("320116001001", "");
  r.set_title("社区开具居住证明");
  r.set_funding_attached(true);
  r.set_staff_attached(true);
  r.mutable_legal_basis()->set_law("无");
  auto d = Review(r);
  ASSERT_THAT(d, IsOk());
  EXPECT_EQ(d->verdict(), V::ADMISSION_VERDICT_REJECT);
  EXPECT_EQ(d->reasons(0).code(), "admission.abolished");
  EXPECT_EQ(d->reasons(0).reference(), "AB-01");
}

// An abolished kind is recognised by its code (in item_code, or cited in
// the title as a whole word), its name, its keywords, and the name of the
// item the request cites.
TEST_F(AdmissionTest, AbolishedDutyRecognisedByCodeNameAndItemName) {
  v1::Dataset data = TinyWithCatalogue();
  v1::Catalogue* c = data.mutable_catalogue();
  v1::AbolishedDuty* a = c->add_abolished_duties();  // no keywords
  a->set_code("AB-02");
  a->set_name("户籍证明");
  v1::Item* item = c->add_items();
  item->set_code("XX-001");
  item->set_name("出具居住证明");
  item->set_list_type(v1::LIST_TYPE_POWER);
  item->set_power_kind(v1::POWER_KIND_CONFIRMATION);
  item->set_exercising_level(v1::REGION_LEVEL_COUNTY);
  item->set_department_type("public_security");
  item->mutable_legal_basis()->set_law("某法");
  Use(data);
  auto review = [&](const char* title, const char* item_code) {
    v1::AdmissionRequest r = Request("320116001001", item_code);
    r.set_title(title);
    r.mutable_legal_basis()->set_law("某法");
    r.set_funding_attached(true);
    r.set_staff_attached(true);
    return Review(r);
  };
  struct Case {
    const char* title;
    const char* item;
    const char* abolished;
  } cases[] = {
      {"开具户籍证明", "", "AB-02"},        // its name
      {"按AB-02要求出具", "", "AB-02"},     // its code in the title
      {"一项下沉事务", "AB-02", "AB-02"},   // its code as the item
      {"一项下沉事务", "XX-001", "AB-01"},  // the item's name: 居住证明
  };
  for (const Case& k : cases) {
    auto d = review(k.title, k.item);
    ASSERT_THAT(d, IsOk()) << k.title << " " << k.item;
    EXPECT_EQ(d->verdict(), V::ADMISSION_VERDICT_REJECT)
        << k.title << " " << k.item;
    ASSERT_GT(d->reasons_size(), 0);
    EXPECT_EQ(d->reasons(0).code(), "admission.abolished");
    EXPECT_EQ(d->reasons(0).reference(), k.abolished);
  }
  // A code is cited only as a whole word.
  auto d = review("按AB-021要求出具", "");
  ASSERT_THAT(d, IsOk());
  EXPECT_EQ(d->reasons(0).code(), "admission.not_on_list");
  // An item_code that is neither an item's nor an abolished duty's code.
  EXPECT_THAT(review("一项下沉事务", "AB-99"),
              StatusIs(absl::StatusCode::kInvalidArgument, "item_code"));
}

TEST_F(AdmissionTest, UnlistedDutyWithEverythingNeedsReview) {
  v1::AdmissionRequest r = Request("320116001000", "");
  r.set_title("协助开展专项普查");
  r.mutable_legal_basis()->set_law("《统计法》");
  r.set_funding_attached(true);
  r.set_staff_attached(true);
  auto d = Review(r);
  ASSERT_THAT(d, IsOk());
  EXPECT_EQ(d->verdict(), V::ADMISSION_VERDICT_NEEDS_REVIEW);
  EXPECT_EQ(Codes(*d), (std::vector<std::string>{
                           "admission.not_on_list",
                           "admission.review_required"}));
}

TEST_F(AdmissionTest, PartialResourcesNeedReviewNoneAreRejected) {
  v1::AdmissionRequest r = Request("320116001000", "");
  r.set_title("协助开展专项普查");
  r.mutable_legal_basis()->set_law("《统计法》");
  r.set_funding_attached(true);
  auto d = Review(r);
  ASSERT_THAT(d, IsOk());
  EXPECT_EQ(d->verdict(), V::ADMISSION_VERDICT_NEEDS_REVIEW);
  EXPECT_EQ(d->reasons(1).code(), "admission.partial_resources");
  r.set_funding_attached(false);
  d = Review(r);
  ASSERT_THAT(d, IsOk());
  EXPECT_EQ(d->verdict(), V::ADMISSION_VERDICT_REJECT);
  EXPECT_EQ(d->reasons(1).code(), "admission.no_resources");
}

TEST_F(AdmissionTest, NoLegalBasisIsRejected) {
  v1::AdmissionRequest r = Request("320116001000", "");
  r.set_title("临时任务");
  r.set_funding_attached(true);
  r.set_staff_attached(true);
  auto d = Review(r);
  ASSERT_THAT(d, IsOk());
  EXPECT_EQ(d->verdict(), V::ADMISSION_VERDICT_REJECT);
  EXPECT_EQ(Codes(*d), (std::vector<std::string>{
                           "admission.not_on_list",
                           "admission.no_legal_basis"}));
}

// A legal basis given as free text (LegalBasis.text) is cited as much as a
// law; a blank one is not.
TEST_F(AdmissionTest, LegalBasisGivenAsTextIsCited) {
  v1::AdmissionRequest r = Request("320116001000", "");
  r.set_title("临时任务");
  r.mutable_legal_basis()->set_text(" 《城镇燃气管理条例》第六条\n");
  r.set_funding_attached(true);
  r.set_staff_attached(true);
  auto d = Review(r);
  ASSERT_THAT(d, IsOk());
  EXPECT_EQ(d->verdict(), V::ADMISSION_VERDICT_NEEDS_REVIEW);
  EXPECT_EQ(Codes(*d), (std::vector<std::string>{"admission.not_on_list",
                                                 "admission.review_required"}));
  EXPECT_NE(
      d->reasons(1).message().find("legal basis 《城镇燃气管理条例》第六条,"),
      std::string::npos)
      << d->reasons(1).message();
  // Whitespace, ASCII or ideographic (U+3000), cites nothing.
  r.mutable_legal_basis()->set_text(" \t\xE3\x80\x80 ");
  r.mutable_legal_basis()->set_law(" ");
  d = Review(r);
  ASSERT_THAT(d, IsOk());
  EXPECT_EQ(d->verdict(), V::ADMISSION_VERDICT_REJECT);
  EXPECT_EQ(Codes(*d), (std::vector<std::string>{"admission.not_on_list",
                                                 "admission.no_legal_basis"}));

  // An item whose basis is given as text alone has one too: a request
  // citing none leans on it.
  v1::Dataset ds = TinyWithCatalogue();
  for (v1::Item& it : *ds.mutable_catalogue()->mutable_items()) {
    if (it.code() != "ZW-001") continue;
    it.mutable_legal_basis()->Clear();
    it.mutable_legal_basis()->set_text("《社会保险法》第八条");
  }
  Use(ds);
  r = Request("320116001000", "ZW-001");
  r.set_title("社保咨询");
  r.set_funding_attached(true);
  r.set_staff_attached(true);
  d = Review(r);
  ASSERT_THAT(d, IsOk());
  EXPECT_EQ(d->verdict(), V::ADMISSION_VERDICT_NEEDS_REVIEW);
  EXPECT_THAT(Codes(*d), ::testing::Not(::testing::Contains(
                             std::string("admission.no_legal_basis"))));
}

TEST_F(AdmissionTest, MalformedRequestsAreInvalidArguments) {
  EXPECT_THAT(Review(Request("320116000000", "SD-001")),
              StatusIs(absl::StatusCode::kInvalidArgument, "to_region_code"));
  EXPECT_THAT(Review(Request("32011600100101", "SD-001")),
              StatusIs(absl::StatusCode::kInvalidArgument, "to_region_code"));
  EXPECT_THAT(Review(Request("320116001000", "NOPE")),
              StatusIs(absl::StatusCode::kInvalidArgument, "item_code"));
  v1::AdmissionRequest r = Request("320116001000", "SD-001");
  r.set_date("2026-13-01");
  EXPECT_THAT(Review(r), StatusIs(absl::StatusCode::kInvalidArgument, "date"));
  r = Request("320116001000", "SD-001");
  r.set_from_unit_code("NOPE");
  EXPECT_THAT(Review(r),
              StatusIs(absl::StatusCode::kInvalidArgument, "from_unit_code"));
  r = Request("320116001000", "");
  r.clear_title();
  EXPECT_THAT(Review(r),
              StatusIs(absl::StatusCode::kInvalidArgument, "nothing"));
}

}  // namespace
}  // namespace jiceng
