// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0
//
// Assessment benchmarks on the generated province's territory and units
// (ProvinceOptions::Province() without its catalogue: 532 k regions, ~55 k
// units), compiled once outside the timed loops.
//
// Workloads: synthetic case records drawn with a fixed seed, shaped like a
// month of a province's closed loop — uniform random grids; the lead is the
// grid (10 %), the township command room (30 %), a dispatched unit of the
// township (30 %) or a department of its county (30 %); a sign-for and a
// handle clock, 5 % of sign-fors and 10 % of handles late; 85 % closed
// (with tiers), of those 80 % evaluated (90 % satisfied); 20 % with a
// co-handler, 3 % returned, 5 % reworked, 2 % parked, 4 % extended; 10 % of
// department-led cases rated by the township; 1 % outside the period.
//   BM_Assess_Records/N   Assess(engine, request) over N records (16 Ki,
//                         32 Ki, 256 Ki, 1 Mi), regions listed down to grids
//                         (the worst case: ~470 k regions in the report).
//   BM_Assess_Townships/N the same, regions listed down to townships.
// Items are records; the target is 1 Mi records in at most 2 s (Release).

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "benchmark/benchmark.h"
#include "src/assessment/assess.h"
#include "src/base/splitmix64.h"
#include "src/engine/engine.h"
#include "src/gen/province_generator.h"

namespace jiceng {
namespace {

constexpr int64_t kMarchStart = 1772294400;  // 2026-03-01 00:00 +08:00
constexpr int64_t kMonth = 31 * 86400;

const Engine& ProvinceEngine() {
  static const Engine* engine = [] {
    ProvinceOptions options = ProvinceOptions::Province();
    options.catalogue = false;
    absl::StatusOr<std::unique_ptr<const Engine>> e =
        Engine::Compile(GenerateProvince(options));
    if (!e.ok()) {
      std::fprintf(stderr, "%s\n", std::string(e.status().message()).c_str());
      std::abort();
    }
    return e->release();
  }();
  return *engine;
}

// Grids with the codes of their lead candidates, as the generator names
// units (see province_generator.h).
struct Territory {
  std::vector<uint64_t> grids;
  std::vector<std::string> township;  // per grid: the township's code
  std::vector<std::string> county;    // per grid: the county's code
};

const Territory& ProvinceTerritory() {
  static const Territory* t = [] {
    const Hierarchy& h = ProvinceEngine().hierarchy();
    auto* out = new Territory;
    for (RegionId id = 0; id < h.size(); ++id) {
      if (h.level(id) != v1::REGION_LEVEL_GRID) continue;
      out->grids.push_back(std::stoull(h.code(id)));
      out->township.push_back(h.code(h.township_of(id)));
      out->county.push_back(h.code(h.county_of(id)));
    }
    return out;
  }();
  return *t;
}

v1::AssessRequest MakeRequest(size_t n) {
  const Territory& t = ProvinceTerritory();
  const Organization& o = ProvinceEngine().organization();
  static const char* kDispatched[] = {"market_supervision", "urban_management",
                                      "public_security"};
  SplitMix64 rng(20260301);
  v1::AssessRequest q;
  q.set_period_start(kMarchStart);
  q.set_period_end(kMarchStart + kMonth);
  q.mutable_records()->Reserve(static_cast<int>(n));
  for (size_t i = 0; i < n; ++i) {
    v1::CaseRecord* r = q.add_records();
    const size_t g = rng.Next() % t.grids.size();
    r->mutable_case_()->set_id(absl::StrCat("C", i));
    r->mutable_case_()->set_location_code(t.grids[g]);
    const bool outside = rng.Next() % 100 == 0;
    const int64_t received =
        kMarchStart + static_cast<int64_t>(rng.Next() % kMonth) -
        (outside ? kMonth : 0);
    r->set_received_at(received);
    r->set_registered_at(received + 60);
    const int64_t dispatched = received + 120;
    r->set_dispatched_at(dispatched);
    v1::RoutingDecision* d = r->mutable_decision();
    v1::Handler* lead = d->mutable_lead();
    lead->set_kind(v1::HANDLER_KIND_UNIT);
    const uint64_t who = rng.Next() % 10;
    v1::HandlingTier tier = v1::HANDLING_TIER_TOWNSHIP;
    if (who == 0) {
      lead->set_kind(v1::HANDLER_KIND_GRID);
      lead->set_code(absl::StrCat(t.grids[g]));
      tier = v1::HANDLING_TIER_GRID;
    } else if (who <= 3) {
      lead->set_code(absl::StrCat("cmd-", t.township[g]));
      tier = rng.Next() % 2 ? v1::HANDLING_TIER_VILLAGE
                            : v1::HANDLING_TIER_TOWNSHIP;
    } else if (who <= 6) {
      lead->set_code(absl::StrCat("disp-", t.township[g], "-",
                                  kDispatched[rng.Next() % 3]));
    } else {
      lead->set_code(absl::StrCat(
          "dept-", t.county[g], "-",
          o.department_type_code(static_cast<int>(
              rng.Next() % o.department_type_count()))));
      tier = v1::HANDLING_TIER_COUNTY;
    }
    d->set_tier(tier);
    if (rng.Next() % 5 == 0) {
      v1::Handler* co = d->add_co_handlers();
      co->set_kind(v1::HANDLER_KIND_UNIT);
      co->set_code(absl::StrCat("disp-", t.township[g], "-",
                                kDispatched[rng.Next() % 3]));
    }
    v1::StageClock* sign = r->add_clocks();
    sign->set_stage(v1::STAGE_SIGN_FOR);
    sign->set_started_at(dispatched);
    sign->set_due_at(dispatched + 86400);
    sign->set_done_at(dispatched + (rng.Next() % 20 == 0 ? 90000 : 1800));
    v1::StageClock* handle = r->add_clocks();
    handle->set_stage(v1::STAGE_HANDLE);
    handle->set_started_at(dispatched);
    handle->set_due_at(dispatched + 5 * 86400);
    const bool closed = rng.Next() % 100 < 85;
    v1::Counters* k = r->mutable_counters();
    if (rng.Next() % 100 < 3) {
      k->set_returns(1);
      r->add_returned_by(absl::StrCat("cmd-", t.township[g]));
    }
    if (rng.Next() % 100 < 5) k->set_reworks(1);
    if (rng.Next() % 100 < 4) k->set_extensions(1);
    if (closed) {
      handle->set_done_at(dispatched +
                          (rng.Next() % 10 == 0 ? 6 * 86400 : 2 * 86400));
      r->set_closed_at(handle->done_at() + 3600);
      r->set_resolved_tier(tier);
      if (rng.Next() % 100 < 80) {
        r->set_state(v1::CASE_STATE_EVALUATED);
        r->set_evaluated_at(r->closed_at() + 86400);
        r->set_satisfaction(rng.Next() % 10 == 0
                                ? v1::SATISFACTION_DISSATISFIED
                                : v1::SATISFACTION_SATISFIED);
      } else {
        r->set_state(v1::CASE_STATE_CLOSED);
      }
      if (tier == v1::HANDLING_TIER_COUNTY && rng.Next() % 10 == 0) {
        v1::DepartmentRating* rating = r->add_ratings();
        rating->set_department_code(lead->code());
        rating->set_township_code(t.township[g]);
        rating->set_score(static_cast<int32_t>(60 + rng.Next() % 41));
      }
    } else if (rng.Next() % 100 < 13) {
      k->set_parks(1);
      r->set_state(v1::CASE_STATE_PARKED);
    } else {
      r->set_state(v1::CASE_STATE_SIGNED);
    }
  }
  return q;
}

v1::AssessRequest& Request(size_t n) {
  static auto* cache = new std::map<size_t, v1::AssessRequest>;
  auto it = cache->find(n);
  if (it == cache->end()) it = cache->emplace(n, MakeRequest(n)).first;
  return it->second;
}

void Run(benchmark::State& state, v1::RegionLevel deepest) {
  const Engine& engine = ProvinceEngine();
  // Not copied: a million records are about 1 GB of messages.
  v1::AssessRequest& request = Request(static_cast<size_t>(state.range(0)));
  request.set_deepest_region_level(deepest);
  int64_t regions = 0;
  double score = 0;
  for (auto _ : state) {
    absl::StatusOr<v1::AssessmentReport> r = Assess(engine, request);
    if (!r.ok()) {
      state.SkipWithError(std::string(r.status().message()).c_str());
      return;
    }
    regions = r->regions_size();
    score = r->total().score();
    benchmark::DoNotOptimize(r);
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
  state.counters["regions_listed"] = static_cast<double>(regions);
  state.counters["total_score"] = score;
}

void BM_Assess_Records(benchmark::State& state) {
  Run(state, v1::REGION_LEVEL_UNSPECIFIED);
}
BENCHMARK(BM_Assess_Records)
    ->RangeMultiplier(8)
    ->Range(1 << 14, 1 << 20)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

void BM_Assess_Townships(benchmark::State& state) {
  Run(state, v1::REGION_LEVEL_TOWNSHIP);
}
BENCHMARK(BM_Assess_Townships)
    ->Arg(1 << 20)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
}  // namespace jiceng

BENCHMARK_MAIN();
