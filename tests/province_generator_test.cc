// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0

#include "src/gen/province_generator.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "jiceng/v1/dataset.pb.h"
#include "src/dataset/problems.h"
#include "src/dataset/validate.h"
#include "src/hierarchy/hierarchy.h"
#include "tests/status_matchers.h"

namespace jiceng {
namespace {

// The first problems of a report, one per line, for failure messages.
std::string FirstProblems(const ProblemList& problems, int limit = 20) {
  std::string out;
  const auto& all = problems.report().problems();
  for (int i = 0; i < all.size() && i < limit; ++i) {
    out += FormatProblem(all[i]);
    out += '\n';
  }
  return out;
}

std::map<v1::RegionLevel, int> CountByLevel(const v1::Dataset& d) {
  std::map<v1::RegionLevel, int> counts;
  for (const v1::Region& r : d.regions()) ++counts[r.level()];
  return counts;
}

TEST(ProvinceGenerator, SmallPassesValidation) {
  const v1::Dataset d = GenerateProvince(ProvinceOptions::Small());
  const ProblemList problems = ValidateDataset(d);
  EXPECT_EQ(problems.error_count(), 0) << FirstProblems(problems);
  EXPECT_EQ(problems.warning_count(), 0) << FirstProblems(problems);
}

TEST(ProvinceGenerator, CountsMatchOptions) {
  const ProvinceOptions options = ProvinceOptions::Small();
  ASSERT_THAT(ValidateProvinceOptions(options), IsOk());
  const v1::Dataset d = GenerateProvince(options);
  std::map<v1::RegionLevel, int> counts = CountByLevel(d);
  EXPECT_EQ(counts[v1::REGION_LEVEL_PROVINCE], 1);
  EXPECT_EQ(counts[v1::REGION_LEVEL_CITY], options.cities);
  EXPECT_EQ(counts[v1::REGION_LEVEL_COUNTY], options.counties);
  EXPECT_EQ(counts[v1::REGION_LEVEL_TOWNSHIP], options.townships);
  EXPECT_EQ(counts[v1::REGION_LEVEL_VILLAGE], options.villages);
  EXPECT_EQ(counts[v1::REGION_LEVEL_GRID], options.grids);

  std::map<v1::GridKind, int> kinds;
  for (const v1::Region& r : d.regions()) {
    if (r.level() == v1::REGION_LEVEL_GRID) ++kinds[r.grid_kind()];
  }
  EXPECT_EQ(kinds[v1::GRID_KIND_MICRO], options.grids * 3 / 100);
  // About 2 %: a village never gives up its last base grid.
  EXPECT_GE(kinds[v1::GRID_KIND_DEDICATED], options.grids * 2 / 100 - 2);
  EXPECT_LE(kinds[v1::GRID_KIND_DEDICATED], options.grids * 2 / 100);
  EXPECT_GT(kinds[v1::GRID_KIND_BASE], options.grids * 9 / 10);

  // Organisation: one government per region down to township, one village
  // committee per village, 15 department types and departments per county.
  std::map<v1::UnitKind, int> units;
  for (const v1::Unit& u : d.units()) ++units[u.kind()];
  EXPECT_EQ(units[v1::UNIT_KIND_GOVERNMENT],
            1 + options.cities + options.counties + options.townships);
  EXPECT_EQ(units[v1::UNIT_KIND_VILLAGE_COMMITTEE], options.villages);
  EXPECT_EQ(d.department_types_size(), 15);
  EXPECT_EQ(units[v1::UNIT_KIND_DEPARTMENT], 15 * options.counties);
  EXPECT_EQ(units[v1::UNIT_KIND_DISPATCHED], 3 * options.townships);

  // Every base and dedicated grid is in exactly one police grid (the
  // validator rejects a second link), about 10 grids per police grid.
  int linked = 0;
  for (const v1::PoliceGrid& pg : d.police_grids()) {
    linked += pg.grid_codes_size();
  }
  EXPECT_EQ(linked, kinds[v1::GRID_KIND_BASE] + kinds[v1::GRID_KIND_DEDICATED]);
  EXPECT_GT(d.police_grids_size(), linked / 15);
  EXPECT_LT(d.police_grids_size(), linked / 5);

  EXPECT_EQ(d.calendar().holidays_size(), 7);
  EXPECT_EQ(d.calendar().makeup_workdays_size(), 6);
}

TEST(ProvinceGenerator, WithoutUnitsHasOnlyTerritory) {
  ProvinceOptions options = ProvinceOptions::Small();
  options.units = false;
  const v1::Dataset d = GenerateProvince(options);
  EXPECT_EQ(d.units_size(), 0);
  EXPECT_EQ(d.department_types_size(), 0);
  EXPECT_EQ(d.police_grids_size(), 0);
  EXPECT_EQ(CountByLevel(d)[v1::REGION_LEVEL_GRID], options.grids);
  const ProblemList problems = ValidateDataset(d);
  EXPECT_EQ(problems.error_count(), 0) << FirstProblems(problems);
}

TEST(ProvinceGenerator, Deterministic) {
  const ProvinceOptions options = ProvinceOptions::Small();
  const std::string a = GenerateProvince(options).SerializeAsString();
  const std::string b = GenerateProvince(options).SerializeAsString();
  EXPECT_FALSE(a.empty());
  EXPECT_TRUE(a == b) << "two runs with the same options differ";

  ProvinceOptions other = options;
  other.seed = options.seed + 1;
  EXPECT_FALSE(a == GenerateProvince(other).SerializeAsString());
}

TEST(ProvinceGenerator, GridCodesExtendTheirParents) {
  const v1::Dataset d = GenerateProvince(ProvinceOptions::Small());
  std::map<std::string, const v1::Region*> by_code;
  for (const v1::Region& r : d.regions()) by_code[r.code()] = &r;
  int micro = 0;
  for (const v1::Region& r : d.regions()) {
    if (r.level() != v1::REGION_LEVEL_GRID) continue;
    SCOPED_TRACE(r.code());
    const size_t expected = r.grid_kind() == v1::GRID_KIND_MICRO ? 16 : 14;
    ASSERT_EQ(r.code().size(), expected);
    auto it = by_code.find(r.parent_code());
    ASSERT_NE(it, by_code.end());
    const v1::Region& parent = *it->second;
    EXPECT_EQ(r.code().substr(0, parent.code().size()), parent.code());
    EXPECT_NE(r.code().substr(parent.code().size()), "00");
    if (r.grid_kind() == v1::GRID_KIND_MICRO) {
      ++micro;
      EXPECT_EQ(parent.grid_kind(), v1::GRID_KIND_BASE);
    } else {
      EXPECT_EQ(parent.level(), v1::REGION_LEVEL_VILLAGE);
      EXPECT_EQ(r.staffing().heads(), 1);
      EXPECT_EQ(r.staffing().full_time(), 1);
      EXPECT_EQ(r.staffing().part_time(), 2);
    }
  }
  EXPECT_GT(micro, 0);
}

TEST(ProvinceGenerator, HierarchyAgreesWithCodePrefixes) {
  const v1::Dataset d = GenerateProvince(ProvinceOptions::Small());
  absl::StatusOr<Hierarchy> built = Hierarchy::Build(d);
  ASSERT_THAT(built, IsOk());
  const Hierarchy& h = *built;
  EXPECT_EQ(h.size(), static_cast<size_t>(d.regions_size()));

  std::vector<const v1::Region*> grids;
  for (const v1::Region& r : d.regions()) {
    if (r.level() == v1::REGION_LEVEL_GRID) grids.push_back(&r);
  }
  ASSERT_FALSE(grids.empty());
  uint64_t x = 12345;  // an LCG: any spread of grids will do
  for (int i = 0; i < 300; ++i) {
    x = x * 6364136223846793005ull + 1442695040888963407ull;
    const std::string& code = grids[(x >> 33) % grids.size()]->code();
    SCOPED_TRACE(code);
    const RegionId grid = h.Find(code);
    ASSERT_NE(grid, kNoRegion);
    EXPECT_EQ(h.code(grid), code);
    const RegionId township = h.township_of(grid);
    const RegionId county = h.county_of(grid);
    ASSERT_NE(township, kNoRegion);
    ASSERT_NE(county, kNoRegion);
    EXPECT_EQ(h.code(township), code.substr(0, 9) + "000");
    EXPECT_EQ(h.code(county), code.substr(0, 6) + "000000");
    EXPECT_TRUE(h.Contains(county, grid));
    EXPECT_TRUE(h.Contains(township, grid));
  }
}

TEST(ProvinceGenerator, ProvincesAreIndependentStreams) {
  ProvinceOptions two = ProvinceOptions::Small();
  two.provinces = 2;
  const v1::Dataset both = GenerateProvince(two);
  const ProblemList problems = ValidateDataset(both);
  EXPECT_EQ(problems.error_count(), 0) << FirstProblems(problems);

  ProvinceOptions second = ProvinceOptions::Small();
  second.province_code = two.province_code + 1;
  const v1::Dataset alone = GenerateProvince(second);
  const int offset = both.regions_size() - alone.regions_size();
  ASSERT_GT(offset, 0);
  EXPECT_EQ(both.regions(offset).code(), "330000000000");
  for (int i = 0; i < alone.regions_size(); ++i) {
    ASSERT_EQ(both.regions(offset + i).SerializeAsString(),
              alone.regions(i).SerializeAsString())
        << alone.regions(i).code();
  }
  const int unit_offset = both.units_size() - alone.units_size();
  ASSERT_GT(unit_offset, 0);
  for (int i = 0; i < alone.units_size(); ++i) {
    ASSERT_EQ(both.units(unit_offset + i).SerializeAsString(),
              alone.units(i).SerializeAsString())
        << alone.units(i).code();
  }
  const int pg_offset = both.police_grids_size() - alone.police_grids_size();
  ASSERT_GT(pg_offset, 0);
  for (int i = 0; i < alone.police_grids_size(); ++i) {
    ASSERT_EQ(both.police_grids(pg_offset + i).SerializeAsString(),
              alone.police_grids(i).SerializeAsString())
        << alone.police_grids(i).code();
  }
}

TEST(ProvinceGenerator, OptionsOutOfRange) {
  ProvinceOptions options = ProvinceOptions::Small();
  options.counties = 0;
  EXPECT_THAT(ValidateProvinceOptions(options),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "ProvinceOptions.counties = 0 is out of range [1, 99]"));

  options = ProvinceOptions::Small();
  options.province_code = 7;
  EXPECT_THAT(ValidateProvinceOptions(options),
              StatusIs(absl::StatusCode::kInvalidArgument, "province_code"));

  options = ProvinceOptions::Small();
  options.provinces = 70;  // 32 + 69 > 99
  EXPECT_THAT(ValidateProvinceOptions(options),
              StatusIs(absl::StatusCode::kInvalidArgument, "provinces"));

  // Out-of-range counts are clamped: at most 99 grids per village.
  options = ProvinceOptions::Small();
  options.grids = 2000000000;
  EXPECT_THAT(ValidateProvinceOptions(options),
              StatusIs(absl::StatusCode::kInvalidArgument, "grids"));
  const v1::Dataset d = GenerateProvince(options);
  EXPECT_EQ(CountByLevel(d)[v1::REGION_LEVEL_GRID], 99 * options.villages);
  const ProblemList problems = ValidateDataset(d);
  EXPECT_EQ(problems.error_count(), 0) << FirstProblems(problems);

  EXPECT_THAT(ValidateProvinceOptions(ProvinceOptions::Province()), IsOk());
  EXPECT_THAT(ValidateProvinceOptions(ProvinceOptions::TenProvinces()), IsOk());
}

}  // namespace
}  // namespace jiceng
