// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0

#include "src/hierarchy/organization.h"

#include <memory>

#include "gtest/gtest.h"
#include "src/dataset/validate.h"
#include "src/gen/province_generator.h"
#include "tests/status_matchers.h"
#include "tests/test_datasets.h"

namespace jiceng {
namespace {

class OrganizationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dataset_ = TinyDataset();
    // Shuffle the unit list: ids must not depend on it.
    std::reverse(dataset_.mutable_units()->begin(),
                 dataset_.mutable_units()->end());
    ASSERT_EQ(ValidateDataset(dataset_).error_count(), 0);
    auto h = Hierarchy::Build(dataset_);
    ASSERT_THAT(h, IsOk());
    h_ = std::make_unique<Hierarchy>(std::move(*h));
    auto o = Organization::Build(dataset_, *h_);
    ASSERT_THAT(o, IsOk());
    o_ = std::make_unique<Organization>(std::move(*o));
  }
  std::string CodeOf(UnitId id) {
    return id == kNoUnit ? "none" : std::string(o_->code(id));
  }
  v1::Dataset dataset_;
  std::unique_ptr<Hierarchy> h_;
  std::unique_ptr<Organization> o_;
};

TEST_F(OrganizationTest, UnitsAreNumberedInCodeOrder) {
  ASSERT_EQ(o_->size(), static_cast<size_t>(dataset_.units_size()));
  for (UnitId id = 1; id < o_->size(); ++id) {
    EXPECT_LT(o_->code(id - 1), o_->code(id));
  }
  EXPECT_EQ(o_->Find("nope"), kNoUnit);
  const UnitId cg = o_->Find("LH-CG");
  EXPECT_EQ(o_->kind(cg), v1::UNIT_KIND_DEPARTMENT);
  EXPECT_EQ(o_->parent(cg), o_->Find("LH-GOV"));
  EXPECT_EQ(h_->code(o_->region(cg)), "320116000000");
}

TEST_F(OrganizationTest, TownshipRolesRecordMatchesTheLookups) {
  int townships = 0;
  for (RegionId r = 0; r < h_->size(); ++r) {
    if (h_->level(r) != v1::REGION_LEVEL_TOWNSHIP) continue;
    ++townships;
    const Organization::TownshipRoles& t = o_->township_roles(r);
    EXPECT_EQ(t.government, o_->Government(r)) << h_->code(r);
    EXPECT_EQ(t.command_room,
              o_->CommandCentre(r, v1::CENTRE_TYPE_TOWNSHIP_COMMAND_ROOM));
    EXPECT_EQ(t.enforcement_team, o_->EnforcementTeam(r));
    EXPECT_EQ(t.joint_centre, o_->JointEnforcementCentre(r));
    EXPECT_EQ(t.county, h_->county_of(r));
    EXPECT_EQ(t.county_centre,
              o_->CommandCentre(h_->county_of(r),
                                v1::CENTRE_TYPE_COUNTY_SOCIAL_GOVERNANCE));
    // The county's row, and each of its departments through it.
    ASSERT_NE(t.county, kNoRegion);
    EXPECT_EQ(t.county_row, o_->row(t.county));
    EXPECT_EQ(o_->DepartmentInRow(t.county_row, -1), kNoUnit);
    int found = 0;
    for (const char* type :
         {"urban_management", "market_supervision", "public_security"}) {
      const int k = o_->FindDepartmentType(type);
      ASSERT_GE(k, 0) << type;
      EXPECT_EQ(o_->DepartmentInRow(t.county_row, k),
                o_->Department(t.county, k))
          << h_->code(r) << " " << type;
      found += o_->Department(t.county, k) != kNoUnit;
    }
    EXPECT_GE(found, 1) << h_->code(r);
  }
  EXPECT_GE(townships, 2);
  // The tiny dataset's street has its own command room and government.
  const Organization::TownshipRoles& street =
      o_->township_roles(h_->Find("320116001000"));
  EXPECT_NE(street.government, kNoUnit);
  EXPECT_NE(street.command_room, kNoUnit);
  EXPECT_NE(street.county_centre, kNoUnit);
}

// Over a province's townships, counties and cities (rows of
// the dense table), the lookups answer what the dataset says sits where,
// and regions without a row (villages) answer from the map.
TEST(Organization, DenseLookupsMatchTheDatasetAtProvinceScale) {
  const v1::Dataset d = GenerateProvince(ProvinceOptions::Small());
  auto h = Hierarchy::Build(d);
  ASSERT_THAT(h, IsOk());
  auto o = Organization::Build(d, *h);
  ASSERT_THAT(o, IsOk());
  int governments = 0, rooms = 0, committees = 0, departments = 0;
  for (const v1::Unit& u : d.units()) {
    const RegionId at = h->Find(u.region_code());
    ASSERT_NE(at, kNoRegion) << u.code();
    const UnitId id = o->Find(u.code());
    if (u.kind() == v1::UNIT_KIND_GOVERNMENT) {
      EXPECT_EQ(o->Government(at), id) << u.code();
      ++governments;
    } else if (u.kind() == v1::UNIT_KIND_COMMAND_CENTRE) {
      EXPECT_EQ(o->CommandCentre(at, u.centre_type()), id) << u.code();
      if (u.centre_type() == v1::CENTRE_TYPE_TOWNSHIP_COMMAND_ROOM) {
        EXPECT_EQ(o->township_roles(at).command_room, id) << u.code();
        ++rooms;
      }
    } else if (u.kind() == v1::UNIT_KIND_VILLAGE_COMMITTEE) {
      EXPECT_EQ(o->VillageCommittee(at), id) << u.code();
      ++committees;
    } else if (u.kind() == v1::UNIT_KIND_DEPARTMENT) {
      EXPECT_EQ(o->DepartmentInRow(o->row(at), o->department_type(id)), id)
          << u.code();
      ++departments;
    }
  }
  EXPECT_GT(governments, 10);
  EXPECT_GT(rooms, 5);
  EXPECT_GE(committees, 100);
  EXPECT_GE(departments, 20);
  // Every region's village committee from the dense array: the committee
  // of the village at or above it, found by walking up; none above
  // village level.
  int grids_served = 0;
  for (RegionId r = 0; r < h->size(); ++r) {
    RegionId v = r;
    while (v != kNoRegion && h->level(v) > v1::REGION_LEVEL_VILLAGE) {
      v = h->parent(v);
    }
    const UnitId want = v != kNoRegion && h->level(v) == v1::REGION_LEVEL_VILLAGE
                            ? o->VillageCommittee(v)
                            : kNoUnit;
    ASSERT_EQ(o->VillageCommitteeOf(r), want) << h->code(r);
    grids_served += h->level(r) == v1::REGION_LEVEL_GRID && want != kNoUnit;
  }
  EXPECT_GT(grids_served, 1000);
}

TEST_F(OrganizationTest, ResolvesRolesRelativeToALocation) {
  const RegionId street = h_->Find("320116001000");
  const RegionId town = h_->Find("320116100000");
  const RegionId county = h_->Find("320116000000");
  const int cg = o_->FindDepartmentType("urban_management");
  const int sj = o_->FindDepartmentType("market_supervision");
  const int ga = o_->FindDepartmentType("public_security");
  ASSERT_GE(cg, 0);
  EXPECT_EQ(o_->FindDepartmentType("nope"), -1);

  EXPECT_EQ(CodeOf(o_->Government(street)), "XZ-GOV");
  EXPECT_EQ(CodeOf(o_->Government(county)), "LH-GOV");
  EXPECT_EQ(CodeOf(o_->CommandCentre(town,
                                     v1::CENTRE_TYPE_TOWNSHIP_COMMAND_ROOM)),
            "ZZ-ZHS");
  EXPECT_EQ(CodeOf(o_->CommandCentre(
                county, v1::CENTRE_TYPE_COUNTY_SOCIAL_GOVERNANCE)),
            "LH-SZZX");
  EXPECT_EQ(CodeOf(o_->Department(county, cg)), "LH-CG");
  EXPECT_EQ(o_->Department(street, cg), kNoUnit);
  // The dispatched unit's type is inherited from its department.
  EXPECT_EQ(CodeOf(o_->DispatchedCovering(street, cg)), "XZ-CG");
  EXPECT_EQ(CodeOf(o_->DispatchedCovering(town, cg)), "ZZ-CG");
  // One market-supervision station covers both townships.
  EXPECT_EQ(CodeOf(o_->DispatchedCovering(street, sj)), "SJ-XZ");
  EXPECT_EQ(CodeOf(o_->DispatchedCovering(town, sj)), "SJ-XZ");
  EXPECT_EQ(CodeOf(o_->DispatchedCovering(town, ga)), "none");
  EXPECT_EQ(CodeOf(o_->VillageCommittee(h_->Find("320116001001"))),
            "LJ-JWH");
  EXPECT_EQ(CodeOf(o_->VillageCommitteeOf(h_->Find("320116001001"))),
            "LJ-JWH");
  EXPECT_EQ(o_->VillageCommitteeOf(street), kNoUnit);
  EXPECT_EQ(o_->VillageCommitteeOf(county), kNoUnit);
  EXPECT_EQ(CodeOf(o_->FirstOfKind(town, v1::UNIT_KIND_ENFORCEMENT_TEAM)),
            "ZZ-ZFD");
  EXPECT_EQ(CodeOf(o_->FirstOfKind(street,
                                   v1::UNIT_KIND_JOINT_ENFORCEMENT_CENTRE)),
            "XZ-LHZF");
  EXPECT_EQ(o_->FirstOfKind(street, v1::UNIT_KIND_ENFORCEMENT_TEAM), kNoUnit);
}

TEST_F(OrganizationTest, UnitsAtARegion) {
  const RegionId town = h_->Find("320116100000");
  std::vector<std::string> codes;
  for (UnitId id : o_->UnitsAt(town)) codes.emplace_back(o_->code(id));
  EXPECT_EQ(codes, (std::vector<std::string>{"ZZ-CG", "ZZ-GOV", "ZZ-ZFD",
                                             "ZZ-ZHS"}));
  EXPECT_TRUE(o_->UnitsAt(h_->Find("32011600100101")).empty());
}

TEST(Organization, BuildRefusesDanglingReferences) {
  v1::Dataset d = TinyDataset();
  auto h = Hierarchy::Build(d);
  ASSERT_THAT(h, IsOk());
  d.mutable_units(0)->set_region_code("320116999000");
  EXPECT_THAT(Organization::Build(d, *h),
              StatusIs(absl::StatusCode::kInvalidArgument, "LH-GOV"));
}

}  // namespace
}  // namespace jiceng
