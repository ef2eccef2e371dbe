// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0
//
// Benchmarks of the compiled region index (src/hierarchy/hierarchy.h) on a
// province-scale dataset: ProvinceOptions::Province() — 13 cities, 150
// counties, 2,000 townships, 30,000 villages, 500,000 grids (532 k regions),
// generated once per process and shared by every benchmark.
//
// Workloads:
//   BM_ProvinceGenerator_Province  GenerateProvince(Province()) itself.
//   BM_Validate_Province           ValidateDataset over the whole province.
//   BM_Hierarchy_Build             Hierarchy::Build; counters index_MB
//                                  (IndexBytes / 10^6) and bytes_per_grid
//                                  (IndexBytes / grids).
//   BM_Hierarchy_FindTownship      1 Mi random grid codes (shuffled,
//                                  through a 64 Ki window, see kWindow) → Find →
//                                  township_of: the first step of routing a
//                                  case reported in a grid.
//   BM_Hierarchy_FindKeyTownship   the same with precomputed integer keys
//                                  (FindKey): the hash lookup alone.
//   BM_Hierarchy_FindNumberTownship the same codes as uint64 integers
//                                  (RegionKeyFromNumber + FindKey): what a
//                                  case message carrying an integer code
//                                  costs.
//   BM_Hierarchy_FindMiss          1 Mi unknown but well-formed codes (grid
//                                  digits no village uses, villages no
//                                  township has): the rejection path.
//   BM_Hierarchy_Contains          (region, grid) pairs, half of them true
//                                  (the region is one of the grid's county,
//                                  township or village).
//   BM_Hierarchy_Lca/0             LowestCommonAncestor of random grid pairs
//                                  (mostly meeting at city or province).
//   BM_Hierarchy_Lca/1             pairs within one county (meeting at
//                                  county, township or village).
// Lookups report per-lookup time; each runs 5 repetitions and reports the
// mean, median, stddev and cv of the repetitions.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"

#include "absl/status/statusor.h"
#include "benchmark/benchmark.h"
#include "jiceng/v1/dataset.pb.h"
#include "src/base/splitmix64.h"
#include "src/dataset/problems.h"
#include "src/dataset/validate.h"
#include "src/gen/province_generator.h"
#include "src/hierarchy/hierarchy.h"
#include "src/hierarchy/region_code.h"

namespace jiceng {
namespace {

// 1 Mi random grids per workload: the lookups touch the whole index.
constexpr size_t kLookups = size_t{1} << 20;
// String workloads feed their codes through a 64 Ki window (~1 MB, packed
// back to back) refilled outside the timed region, as a router reads codes
// from small case messages that are already in cache. Streaming all 1 Mi
// codes (15-32 MB) instead evicted the 19 MB index from the 32 MB L3 and the
// benchmark measured the input, not the index.
constexpr size_t kWindow = size_t{1} << 16;

// Serves codes from a list through a packed window; see kWindow.
class CodeStream {
 public:
  explicit CodeStream(const std::vector<std::string>& codes) : codes_(codes) {
    Fill();
  }
  absl::string_view Next(benchmark::State& state) {
    if (i_ == end_.size()) {
      state.PauseTiming();
      Fill();
      state.ResumeTiming();
    }
    const uint32_t begin = i_ == 0 ? 0 : end_[i_ - 1];
    const uint32_t end = end_[i_++];
    return absl::string_view(packed_).substr(begin, end - begin);
  }

 private:
  void Fill() {
    packed_.clear();
    end_.clear();
    for (size_t k = 0; k < kWindow; ++k) {
      packed_ += codes_[next_];
      end_.push_back(static_cast<uint32_t>(packed_.size()));
      if (++next_ == codes_.size()) next_ = 0;
    }
    i_ = 0;
  }
  const std::vector<std::string>& codes_;
  std::string packed_;
  std::vector<uint32_t> end_;
  size_t next_ = 0;
  size_t i_ = 0;
};

// splitmix64: the workloads are the same on every run and machine.
using Rng = SplitMix64;

template <typename T>
void Shuffle(std::vector<T>* v, Rng& rng) {
  for (size_t i = v->size(); i > 1; --i) {
    std::swap((*v)[i - 1], (*v)[rng.Scaled(i)]);
  }
}

void Die(const char* what) {
  std::fprintf(stderr, "hierarchy_benchmark: %s\n", what);
  std::abort();
}

// The province's territory: these benchmarks measure the hierarchy, so the
// catalogue (measured by catalogue_benchmark) is left out.
ProvinceOptions TerritoryOnly() {
  ProvinceOptions o = ProvinceOptions::Province();
  o.catalogue = false;
  return o;
}

// The province and its precomputed workloads. Built on first use, so that
// generation is never inside a timed loop.
struct Province {
  v1::Dataset dataset;
  absl::StatusOr<Hierarchy> hierarchy;
  size_t grid_count = 0;
  std::vector<RegionId> grids;  // every grid's id
  std::vector<std::string> codes;
  std::vector<uint64_t> keys;
  std::vector<uint64_t> numbers;  // the codes as integers
  std::vector<std::string> misses;
  std::vector<std::pair<RegionId, RegionId>> contains_pairs;
  std::vector<std::pair<RegionId, RegionId>> random_pairs;
  std::vector<std::pair<RegionId, RegionId>> county_pairs;

  Province()
      : dataset(GenerateProvince(TerritoryOnly())),
        hierarchy(Hierarchy::Build(dataset)) {
    if (!hierarchy.ok()) Die("Hierarchy::Build failed on the province");
    const Hierarchy& h = *hierarchy;
    for (RegionId id = 0; id < h.size(); ++id) {
      if (h.level(id) == v1::REGION_LEVEL_GRID) grids.push_back(id);
    }
    grid_count = grids.size();
    Rng rng(20261123);

    std::vector<RegionId> ids;
    ids.reserve(kLookups);
    while (ids.size() < kLookups) {
      for (RegionId g : grids) {
        if (ids.size() == kLookups) break;
        ids.push_back(g);
      }
    }
    Shuffle(&ids, rng);
    codes.reserve(kLookups);
    keys.reserve(kLookups);
    for (RegionId id : ids) {
      codes.push_back(h.code(id));
      keys.push_back(h.key(id));
      numbers.push_back(CodeNumberFromRegionKey(h.key(id)));
    }

    // Misses: a real grid's code with grid digits 99 (villages have at
    // most ~40 grids), or with village digits 399 (no township has that
    // many village committees here). Checked, never assumed.
    misses.reserve(kLookups);
    for (size_t i = 0; misses.size() < kLookups; ++i) {
      std::string code = codes[i % codes.size()];
      if (i % 2 == 0) {
        code.replace(12, 2, "99");
      } else {
        code.replace(9, 3, "399");
      }
      if (h.Find(code) == kNoRegion) misses.push_back(std::move(code));
    }
    Shuffle(&misses, rng);

    // Contains: half the pairs with one of the grid's own ancestors.
    contains_pairs.reserve(kLookups);
    for (size_t i = 0; i < kLookups; ++i) {
      const RegionId grid = grids[rng.Scaled(grids.size())];
      RegionId other = grid;
      if (i % 2 == 1) other = grids[rng.Scaled(grids.size())];
      // Climb from `other` to its village (past any micro-grid level),
      // then 0-2 more levels: village, township or county.
      RegionId region = h.parent(other);
      while (h.level(region) == v1::REGION_LEVEL_GRID) {
        region = h.parent(region);
      }
      for (size_t up = rng.Scaled(3); up > 0; --up) region = h.parent(region);
      contains_pairs.emplace_back(region, grid);
    }
    Shuffle(&contains_pairs, rng);

    random_pairs.reserve(kLookups);
    county_pairs.reserve(kLookups);
    for (size_t i = 0; i < kLookups; ++i) {
      const RegionId a = grids[rng.Scaled(grids.size())];
      random_pairs.emplace_back(a, grids[rng.Scaled(grids.size())]);
      const RegionId county = h.county_of(a);
      const size_t span = h.subtree_end(county) - county;
      RegionId b = a;
      for (int tries = 0; tries < 16; ++tries) {
        const RegionId c = county + static_cast<RegionId>(rng.Scaled(span));
        if (h.level(c) == v1::REGION_LEVEL_GRID) {
          b = c;
          break;
        }
      }
      county_pairs.emplace_back(a, b);
    }
  }
};

const Province& GetProvince() {
  static const Province* const province = new Province();
  return *province;
}

void BM_ProvinceGenerator_Province(benchmark::State& state) {
  const ProvinceOptions options = TerritoryOnly();
  size_t regions = 0;
  for (auto _ : state) {
    v1::Dataset d = GenerateProvince(options);
    regions = static_cast<size_t>(d.regions_size());
    benchmark::DoNotOptimize(d);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * regions));
}
BENCHMARK(BM_ProvinceGenerator_Province)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(3);

void BM_Validate_Province(benchmark::State& state) {
  const Province& p = GetProvince();
  for (auto _ : state) {
    ProblemList problems = ValidateDataset(p.dataset);
    if (problems.has_errors()) {
      state.SkipWithError("the generated province has validation errors");
      break;
    }
    benchmark::DoNotOptimize(problems);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) *
                          p.dataset.regions_size());
}
BENCHMARK(BM_Validate_Province)->Unit(benchmark::kMillisecond)->Iterations(3);

void BM_Hierarchy_Build(benchmark::State& state) {
  const Province& p = GetProvince();
  size_t index_bytes = 0;
  for (auto _ : state) {
    absl::StatusOr<Hierarchy> h = Hierarchy::Build(p.dataset);
    if (!h.ok()) {
      state.SkipWithError("Hierarchy::Build failed");
      break;
    }
    index_bytes = h->IndexBytes();
    benchmark::DoNotOptimize(h);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) *
                          p.dataset.regions_size());
  state.counters["index_MB"] = static_cast<double>(index_bytes) / 1e6;
  state.counters["bytes_per_grid"] =
      static_cast<double>(index_bytes) / static_cast<double>(p.grid_count);
}
BENCHMARK(BM_Hierarchy_Build)->Unit(benchmark::kMillisecond)->Iterations(5);

void BM_Hierarchy_FindTownship(benchmark::State& state) {
  const Province& p = GetProvince();
  const Hierarchy& h = *p.hierarchy;
  CodeStream codes(p.codes);
  for (auto _ : state) {
    const RegionId id = h.Find(codes.Next(state));
    benchmark::DoNotOptimize(h.township_of(id));
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}
BENCHMARK(BM_Hierarchy_FindTownship)
    ->Repetitions(5)
    ->ReportAggregatesOnly(true);

void BM_Hierarchy_FindKeyTownship(benchmark::State& state) {
  const Province& p = GetProvince();
  const Hierarchy& h = *p.hierarchy;
  size_t i = 0;
  for (auto _ : state) {
    const RegionId id = h.FindKey(p.keys[i]);
    benchmark::DoNotOptimize(h.township_of(id));
    if (++i == p.keys.size()) i = 0;
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}
BENCHMARK(BM_Hierarchy_FindKeyTownship)
    ->Repetitions(5)
    ->ReportAggregatesOnly(true);

// The code as the integer a lean case message carries (uint64, e.g.
// 32011600100101): RegionKeyFromNumber, then FindKey.
void BM_Hierarchy_FindNumberTownship(benchmark::State& state) {
  const Province& p = GetProvince();
  const Hierarchy& h = *p.hierarchy;
  size_t i = 0;
  for (auto _ : state) {
    const absl::optional<uint64_t> key = RegionKeyFromNumber(p.numbers[i]);
    const RegionId id = key ? h.FindKey(*key) : kNoRegion;
    benchmark::DoNotOptimize(h.township_of(id));
    if (++i == p.numbers.size()) i = 0;
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}
BENCHMARK(BM_Hierarchy_FindNumberTownship)
    ->Repetitions(5)
    ->ReportAggregatesOnly(true);

void BM_Hierarchy_FindMiss(benchmark::State& state) {
  const Province& p = GetProvince();
  const Hierarchy& h = *p.hierarchy;
  CodeStream misses(p.misses);
  for (auto _ : state) {
    benchmark::DoNotOptimize(h.Find(misses.Next(state)));
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}
BENCHMARK(BM_Hierarchy_FindMiss)->Repetitions(5)->ReportAggregatesOnly(true);

void BM_Hierarchy_Contains(benchmark::State& state) {
  const Province& p = GetProvince();
  const Hierarchy& h = *p.hierarchy;
  size_t i = 0;
  for (auto _ : state) {
    const auto& [region, grid] = p.contains_pairs[i];
    benchmark::DoNotOptimize(h.Contains(region, grid));
    if (++i == p.contains_pairs.size()) i = 0;
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}
BENCHMARK(BM_Hierarchy_Contains)->Repetitions(5)->ReportAggregatesOnly(true);

// Arg 0: random grid pairs; arg 1: pairs within one county.
void BM_Hierarchy_Lca(benchmark::State& state) {
  const Province& p = GetProvince();
  const Hierarchy& h = *p.hierarchy;
  const auto& pairs = state.range(0) == 0 ? p.random_pairs : p.county_pairs;
  size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(
        h.LowestCommonAncestor(pairs[i].first, pairs[i].second));
    if (++i == pairs.size()) i = 0;
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}
BENCHMARK(BM_Hierarchy_Lca)
    ->Arg(0)
    ->Arg(1)
    ->Repetitions(5)
    ->ReportAggregatesOnly(true);

}  // namespace
}  // namespace jiceng

BENCHMARK_MAIN();
