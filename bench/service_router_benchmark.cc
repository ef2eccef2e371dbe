// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0
//
// Service routing (RouteService, 一窗受理) on the province-scale dataset:
// 64 Ki requests drawn with a fixed seed — a government-service item (list
// FW) of the generated catalogue, an applicant village or township, no
// centre chosen (the nearest), a time in 2026 working hours.
//
// Workloads:
//   BM_ServiceRouter_Route   RouteService per request, the message
//                            returned. Counters: allocs_per_call, ok_share
//                            (the share of requests decided rather than
//                            refused).
//   BM_ServiceRouter_RouteToBytes
//                            the C ABI's path: RouteService into a reused
//                            ServiceResult, AppendServiceDecision into a
//                            reused buffer. Counters: allocs_per_call (0
//                            in steady state), ok_share,
//                            bytes_per_decision.

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "bench/alloc_counter.h"
#include "benchmark/benchmark.h"
#include "src/base/civil_date.h"
#include "src/base/splitmix64.h"
#include "src/engine/engine.h"
#include "src/gen/province_generator.h"
#include "src/routing/service_router.h"
#include "src/routing/wire.h"

namespace jiceng {
namespace {

struct Requests {
  std::unique_ptr<const Engine> engine;
  std::vector<v1::ServiceRequest> requests;

  Requests() {
    const v1::Dataset d = GenerateProvince(ProvinceOptions::Province());
    auto e = Engine::Compile(d);
    if (!e.ok()) std::abort();
    engine = std::move(*e);
    std::vector<std::string> items;
    for (const v1::Item& i : d.catalogue().items()) {
      if (i.list_type() == v1::LIST_TYPE_GOVERNMENT_SERVICE) {
        items.push_back(i.code());
      }
    }
    std::vector<uint64_t> places;
    for (const v1::Region& r : d.regions()) {
      uint64_t code = 0;
      if ((r.level() == v1::REGION_LEVEL_VILLAGE ||
           r.level() == v1::REGION_LEVEL_TOWNSHIP) &&
          absl::SimpleAtoi(r.code(), &code)) {
        places.push_back(code);
      }
    }
    if (items.empty() || places.empty()) std::abort();
    SplitMix64 rng(20261125);
    const int32_t first = *ParseIsoDate("2026-03-02");
    for (int i = 0; i < (1 << 16); ++i) {
      v1::ServiceRequest r;
      r.set_id(absl::StrCat("S", i));
      r.set_item_code(items[rng.Next() % items.size()]);
      r.set_applicant_region_code(places[rng.Next() % places.size()]);
      const int32_t day = first + static_cast<int32_t>(rng.Next() % 200);
      const int minute = 9 * 60 + static_cast<int>(rng.Next() % 120);
      r.set_requested_at(int64_t{day} * 86400 + minute * 60 - 8 * 3600);
      requests.push_back(std::move(r));
    }
  }
};

const Requests& Get() {
  static const Requests* r = new Requests();
  return *r;
}

void BM_ServiceRouter_Route(benchmark::State& state) {
  const Requests& q = Get();
  size_t i = 0;
  int64_t allocs = 0, ok = 0;
  for (auto _ : state) {
    const int64_t before = bench::Allocations();
    auto d = RouteService(*q.engine, q.requests[i]);
    allocs += bench::Allocations() - before;
    ok += d.ok() ? 1 : 0;
    benchmark::DoNotOptimize(d);
    if (++i == q.requests.size()) i = 0;
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
  state.counters["allocs_per_call"] =
      static_cast<double>(allocs) / static_cast<double>(state.iterations());
  state.counters["ok_share"] =
      static_cast<double>(ok) / static_cast<double>(state.iterations());
}
BENCHMARK(BM_ServiceRouter_Route);

// The C ABI's path: the decision into a reused ServiceResult, written as
// wire bytes into a reused buffer (no message built).
void BM_ServiceRouter_RouteToBytes(benchmark::State& state) {
  const Requests& q = Get();
  size_t i = 0;
  int64_t allocs = 0, ok = 0, bytes = 0;
  ServiceResult result;
  ByteBuffer out;
  for (auto _ : state) {
    const int64_t before = bench::Allocations();
    if (RouteService(*q.engine, q.requests[i], &result).ok()) {
      out.Clear();
      WireWriter w(&out);
      AppendServiceDecision(*q.engine, q.requests[i], result, &w);
      ++ok;
    }
    allocs += bench::Allocations() - before;
    bytes += static_cast<int64_t>(out.size());
    benchmark::DoNotOptimize(out.data());
    if (++i == q.requests.size()) i = 0;
  }
  const double n = static_cast<double>(state.iterations());
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
  state.counters["allocs_per_call"] = static_cast<double>(allocs) / n;
  state.counters["ok_share"] = static_cast<double>(ok) / n;
  state.counters["bytes_per_decision"] = static_cast<double>(bytes) / n;
}
BENCHMARK(BM_ServiceRouter_RouteToBytes);

}  // namespace
}  // namespace jiceng

BENCHMARK_MAIN();
