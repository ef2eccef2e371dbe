// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0

#include "src/hierarchy/hierarchy.h"

#include <type_traits>
#include <vector>

#include "gtest/gtest.h"
#include "src/dataset/validate.h"
#include "src/hierarchy/region_code.h"
#include "tests/status_matchers.h"
#include "tests/test_datasets.h"

namespace jiceng {
namespace {

static_assert(!std::is_copy_constructible<Hierarchy>::value,
              "Hierarchy is heavy: copying must be explicit");
static_assert(std::is_move_constructible<Hierarchy>::value, "");

class HierarchyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dataset_ = TinyDataset();
    ASSERT_EQ(ValidateDataset(dataset_).error_count(), 0);
    auto h = Hierarchy::Build(dataset_);
    ASSERT_THAT(h, IsOk());
    h_ = std::make_unique<Hierarchy>(std::move(*h));
  }
  RegionId Id(const char* code) {
    RegionId id = h_->Find(code);
    EXPECT_NE(id, kNoRegion) << code;
    return id;
  }
  v1::Dataset dataset_;
  std::unique_ptr<Hierarchy> h_;
};

TEST_F(HierarchyTest, FindsEveryCodeAndRejectsOthers) {
  EXPECT_EQ(h_->size(), static_cast<size_t>(dataset_.regions_size()));
  for (const v1::Region& r : dataset_.regions()) {
    RegionId id = h_->Find(r.code());
    ASSERT_NE(id, kNoRegion) << r.code();
    EXPECT_EQ(h_->code(id), r.code());
    EXPECT_EQ(h_->name(id), r.name());
    EXPECT_EQ(h_->level(id), r.level());
  }
  EXPECT_EQ(h_->Find("320116001002"), kNoRegion);
  EXPECT_EQ(h_->Find("3201160010010"), kNoRegion);
  EXPECT_EQ(h_->Find("not a code"), kNoRegion);
  EXPECT_EQ(h_->Find(""), kNoRegion);
}

TEST_F(HierarchyTest, StepwiseLookupIsFindKey) {
  for (const v1::Region& r : dataset_.regions()) {
    const uint64_t key = *RegionKeyFromCode(r.code());
    h_->PrefetchCodeSlot(key);
    EXPECT_EQ(h_->FindInRun(key, h_->CodeRun(key)), h_->FindKey(key))
        << r.code();
    EXPECT_NE(h_->FindKey(key), kNoRegion);
  }
  for (const char* absent : {"320116001002", "3201160010010", "990000000000",
                             "320116001001999"}) {
    const uint64_t key = *RegionKeyFromCode(absent);
    h_->PrefetchCodeSlot(key);
    EXPECT_EQ(h_->FindInRun(key, h_->CodeRun(key)), kNoRegion) << absent;
  }
}

TEST_F(HierarchyTest, IdsArePreorderByCode) {
  for (RegionId id = 1; id < h_->size(); ++id) {
    EXPECT_LT(h_->key(id - 1), h_->key(id));
  }
  EXPECT_EQ(h_->code(0), "320000000000");
}

TEST_F(HierarchyTest, TownshipAndCountyOf) {
  const RegionId street = Id("320116001000");
  const RegionId county = Id("320116000000");
  EXPECT_EQ(h_->township_of(Id("3201160010010101")), street);
  EXPECT_EQ(h_->township_of(Id("32011600100102")), street);
  EXPECT_EQ(h_->township_of(street), street);
  EXPECT_EQ(h_->township_of(county), kNoRegion);
  EXPECT_EQ(h_->county_of(Id("3201160010010101")), county);
  EXPECT_EQ(h_->county_of(county), county);
  EXPECT_EQ(h_->county_of(Id("320100000000")), kNoRegion);
}

TEST_F(HierarchyTest, ContainsIsTheSubtreeInterval) {
  const RegionId street = Id("320116001000");
  const RegionId town = Id("320116100000");
  for (RegionId id = 0; id < h_->size(); ++id) {
    bool below = false;
    for (RegionId a = id; a != kNoRegion; a = h_->parent(a)) {
      if (a == street) below = true;
    }
    EXPECT_EQ(h_->Contains(street, id), below) << h_->code(id);
  }
  EXPECT_FALSE(h_->Contains(street, town));
  EXPECT_TRUE(h_->Contains(town, town));
}

TEST_F(HierarchyTest, LowestCommonAncestor) {
  EXPECT_EQ(h_->LowestCommonAncestor(Id("3201160010010101"),
                                     Id("32011600100102")),
            Id("320116001001"));
  EXPECT_EQ(h_->LowestCommonAncestor(Id("32011610020101"),
                                     Id("32011610020201")),
            Id("320116100000"));
  // Cross-township: the county coordinates.
  EXPECT_EQ(h_->LowestCommonAncestor(Id("32011600100101"),
                                     Id("32011610020201")),
            Id("320116000000"));
  const RegionId g = Id("32011600100101");
  EXPECT_EQ(h_->LowestCommonAncestor(g, g), g);
  EXPECT_EQ(h_->LowestCommonAncestor(g, Id("320116001000")),
            Id("320116001000"));
}

TEST_F(HierarchyTest, AncestorsChildrenDescendants) {
  const RegionId micro = Id("3201160010010101");
  std::vector<RegionId> up = h_->Ancestors(micro);
  ASSERT_EQ(up.size(), 6u);
  EXPECT_EQ(h_->code(up[0]), "32011600100101");
  EXPECT_EQ(h_->code(up[5]), "320000000000");
  EXPECT_EQ(h_->depth(micro), 6);

  std::vector<RegionId> kids = h_->Children(Id("320116000000"));
  ASSERT_EQ(kids.size(), 2u);
  EXPECT_EQ(h_->code(kids[0]), "320116001000");
  EXPECT_EQ(h_->code(kids[1]), "320116100000");
  const RegionId town = Id("320116100000");
  EXPECT_EQ(h_->subtree_end(town) - town - 1, 4u);  // 2 villages, 2 grids
}

TEST_F(HierarchyTest, KindsAreStoredOrDerived) {
  EXPECT_EQ(h_->township_kind(Id("320116001000")), v1::TOWNSHIP_KIND_STREET);
  // 竹镇镇 leaves township_kind unset: digits 100 make it a town.
  EXPECT_EQ(h_->township_kind(Id("320116100000")), v1::TOWNSHIP_KIND_TOWN);
  EXPECT_EQ(h_->township_class(Id("320116100000")),
            v1::TOWNSHIP_CLASS_EXTRA_LARGE);
  EXPECT_EQ(h_->village_kind(Id("320116100202")),
            v1::VILLAGE_KIND_VILLAGE_COMMITTEE);
  EXPECT_EQ(h_->grid_kind(Id("32011600100102")), v1::GRID_KIND_DEDICATED);
  EXPECT_EQ(h_->grid_kind(Id("3201160010010101")), v1::GRID_KIND_MICRO);
  // Grids inherit their village's urban-rural class.
  EXPECT_EQ(h_->urban_rural_class(Id("3201160010010101")),
            v1::URBAN_RURAL_CLASS_MAIN_URBAN);
  EXPECT_EQ(h_->urban_rural_class(Id("32011610020101")),
            v1::URBAN_RURAL_CLASS_VILLAGE);
}

TEST_F(HierarchyTest, PoliceGridOfGrid) {
  ASSERT_EQ(h_->police_grid_count(), 1u);
  const int32_t pg = h_->police_grid_of(Id("32011600100102"));
  ASSERT_EQ(pg, 0);
  EXPECT_EQ(h_->police_grid_code(pg), "JG-01");
  EXPECT_EQ(h_->police_grid_of(Id("32011610020101")), -1);
}

TEST(Hierarchy, BuildRefusesWhatValidationWouldReject) {
  v1::Dataset d = TinyDataset();
  d.mutable_regions(12)->set_parent_code("320116100299");
  EXPECT_THAT(Hierarchy::Build(d),
              StatusIs(absl::StatusCode::kInvalidArgument, "parent_code"));
  d = TinyDataset();
  d.mutable_regions(0)->set_parent_code("320116000000");
  EXPECT_THAT(Hierarchy::Build(d),
              StatusIs(absl::StatusCode::kInvalidArgument, "cycle"));
}

// Iterative construction: a 10^6-deep chain and 10^6 children of one node.
TEST(ForestLayout, MillionDeepChain) {
  constexpr uint32_t kN = 1000000;
  std::vector<uint32_t> parent(kN);
  std::vector<uint64_t> key(kN);
  for (uint32_t i = 0; i < kN; ++i) {
    // Listed leaf-first, to defeat any reliance on input order.
    parent[i] = i + 1 < kN ? i + 1 : kNoRegion;
    key[i] = i;
  }
  auto layout = LayOutForest(parent, key);
  ASSERT_THAT(layout, IsOk());
  EXPECT_EQ(layout->order[0], kN - 1);
  EXPECT_EQ(layout->depth[kN - 1], kN - 1);
  EXPECT_EQ(layout->end[0], kN);
  EXPECT_EQ(layout->end[kN - 1], kN);
  EXPECT_EQ(layout->parent[kN - 1], kN - 2);
}

TEST(ForestLayout, MillionChildren) {
  constexpr uint32_t kN = 1000001;
  std::vector<uint32_t> parent(kN, 0);
  parent[0] = kNoRegion;
  std::vector<uint64_t> key(kN);
  for (uint32_t i = 0; i < kN; ++i) key[i] = kN - i;  // reverse order
  auto layout = LayOutForest(parent, key);
  ASSERT_THAT(layout, IsOk());
  EXPECT_EQ(layout->order[1], kN - 1);  // smallest key first
  EXPECT_EQ(layout->end[0], kN);
  EXPECT_EQ(layout->depth[kN - 1], 1u);
}

TEST(ForestLayout, DetectsCycles) {
  std::vector<uint32_t> parent = {kNoRegion, 2, 1};
  std::vector<uint64_t> key = {0, 1, 2};
  EXPECT_THAT(LayOutForest(parent, key),
              StatusIs(absl::StatusCode::kInvalidArgument, "cycle"));
  parent = {kNoRegion, 7};
  key = {0, 1};
  EXPECT_THAT(LayOutForest(parent, key),
              StatusIs(absl::StatusCode::kInvalidArgument, "out of range"));
}

}  // namespace
}  // namespace jiceng
