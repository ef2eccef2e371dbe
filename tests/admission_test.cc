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
  void SetUp() override {
    auto e = Engine::Compile(TinyWithCatalogue());
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
  // A township-level item is not on a community's list.
  auto e = Review(Request("320116001001", "SD-001"));
  ASSERT_THAT(e, IsOk());
  EXPECT_NE(e->verdict(), V::ADMISSION_VERDICT_ADMIT);
  EXPECT_EQ(e->reasons(0).code(), "admission.not_on_list");
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
  EXPECT_EQ(Codes(*d), (std::vector<std::string>{
                           "admission.statutory_department_matter",
                           "admission.reclaimed", "admission.not_on_list",
                           "admission.no_legal_basis",
                           "admission.no_resources"}));
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
