// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0

#include "src/engine/engine.h"

#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "tests/status_matchers.h"
#include "tests/test_datasets.h"

namespace jiceng {
namespace {

TEST(Engine, CompilesAndSummarises) {
  const v1::Dataset d = TinyDataset();
  auto engine = Engine::Compile(d);
  ASSERT_THAT(engine, IsOk());
  v1::EngineInfo info = (*engine)->Info();
  EXPECT_EQ(info.meta().id(), "tiny");
  EXPECT_EQ(info.region_count(), 13);
  ASSERT_EQ(info.regions_per_level_size(), 6);
  EXPECT_EQ(info.regions_per_level(3).level(), v1::REGION_LEVEL_TOWNSHIP);
  EXPECT_EQ(info.regions_per_level(3).count(), 2);
  EXPECT_EQ(info.regions_per_level(5).count(), 5);  // grids
  EXPECT_EQ(info.unit_count(), d.units_size());
  EXPECT_EQ(info.police_grid_count(), 1);
  EXPECT_EQ(info.calendar_first_date(), "2026-01-01");
  EXPECT_EQ(info.calendar_last_date(), "2026-12-31");
  EXPECT_EQ(info.working_day_count(), 248);
  EXPECT_GT(info.memory_bytes(), info.region_index_bytes());
  EXPECT_EQ(info.library_version(), JICENG_VERSION_STRING);
}

TEST(Engine, InvalidDatasetNamesCountAndFirstError) {
  v1::Dataset d = TinyDataset();
  d.mutable_regions(12)->set_parent_code("320116100299");
  d.mutable_units(0)->set_region_code("320116999000");
  EXPECT_THAT(Engine::Compile(d),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "dataset has 2 errors; first: error: region "
                       "32011610020201 parent_code"));
}

TEST(Engine, WarningsDoNotPreventCompilation) {
  v1::Dataset d = TinyDataset();
  d.mutable_regions(12)->mutable_staffing()->set_part_time(0);
  auto engine = Engine::Compile(d);
  ASSERT_THAT(engine, IsOk());
  EXPECT_EQ((*engine)->warning_count(), 1);
}

TEST(Engine, LoadsFromBytesAndIsDeterministic) {
  const std::string bytes = TinyDataset().SerializeAsString();
  auto a = Engine::Load(bytes, DatasetFormat::kBinary);
  auto b = Engine::Load(bytes, DatasetFormat::kAuto);
  ASSERT_THAT(a, IsOk());
  ASSERT_THAT(b, IsOk());
  EXPECT_EQ((*a)->Info().SerializeAsString(),
            (*b)->Info().SerializeAsString());
  EXPECT_THAT(Engine::Load("meta {", DatasetFormat::kText),
              StatusIs(absl::StatusCode::kInvalidArgument, "text dataset"));
}

TEST(Engine, SharedAcrossThreadsWithoutLocks) {
  auto engine = Engine::Compile(TinyDataset());
  ASSERT_THAT(engine, IsOk());
  const Engine& e = **engine;
  const std::string expected = e.Info().SerializeAsString();
  std::vector<std::thread> threads;
  std::vector<int> mismatches(8, 0);
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i) {
        if (e.Info().SerializeAsString() != expected) ++mismatches[t];
        const RegionId g = e.hierarchy().Find("3201160010010101");
        if (e.hierarchy().code(e.hierarchy().township_of(g)) !=
            "320116001000") {
          ++mismatches[t];
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  for (int m : mismatches) EXPECT_EQ(m, 0);
}

}  // namespace
}  // namespace jiceng
