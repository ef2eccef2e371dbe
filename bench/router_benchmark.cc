// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0
//
// Routing benchmarks on the generated province (ProvinceOptions::Province():
// ~500k grids, 10,000 items, ~500 matters with their dispatch rules,
// delegations to every township), built once outside the timed loops.
//
// Workloads: 64 Ki cases drawn with a fixed seed — uniform random grids,
// matters that have rules, request kinds, urgency 1–4 (mostly 1), times on
// working days and evenings of 2026, attributes of the right types half of
// the time — serialized to a stream and parsed back in order into one
// arena, as a service holds the requests it has read. The loops are the
// routing suite's (bench/route_suite.h), which workload_benchmark runs on
// the kit's case stream file.
//   BM_Router_Route            Router::Route into a reused RouteResult: the
//                              core decision without text. Counters:
//                              allocs_per_call (allocations per decision;
//                              0 is the target), engine_MB
//                              (Engine::MemoryBytes).
//   BM_Router_RouteScattered   the same over the generator's own messages,
//                              each built field by field between other
//                              allocations, so a case's strings and
//                              attributes lie scattered over the heap: the
//                              input's share of the misses when a caller
//                              builds its cases that way.
//   BM_Router_RouteMany        Router::RouteMany over all the cases in order
//                              (one iteration): the core decision with the
//                              next cases' engine data fetched ahead.
//                              Items are decisions; allocs_per_call.
//   BM_Router_RouteLatency     BM_Router_Route timing each call: p50, p99,
//                              p99.9 in ns; each case's best over the
//                              passes (case_best_p50_ns, case_best_p99_ns);
//                              the share of cases a delegation applies to
//                              and the median of their best
//                              (delegated_share, delegated_best_p50_ns).
//   BM_Router_RouteHot         Route over the first 64 cases only: their
//                              messages and the engine data they touch stay
//                              in cache, so this is the decision's compute
//                              floor (the gap to BM_Router_Route is cache
//                              misses, the input's included).
//   BM_Router_RouteWarm/N      Route over the first N cases in turn, N =
//                              64 … 65,536: between RouteHot and Route, the
//                              cost of a decision as its engine data and
//                              the branch history of the cases before it
//                              stop fitting (L1, L2, L3, branch predictor).
//   BM_Router_RouteToProto     Route + ToProto into a reused message.
//   BM_Router_Batch/threads:N  RouteBatch over the 64 Ki case stream on N
//                              threads (per-case parse, route, serialize)
//                              into a ByteBuffer, as the C ABI does.
//                              Counters: bytes_per_case (output),
//                              cpu_ms_per_batch (all threads),
//                              sys_ms_per_batch, faults_per_batch.
//   BM_Router_ParseCases       the batch's case reader alone (NextFrame +
//                              ParseCase) over the 64 Ki case stream into
//                              one reused view. Items are cases.
//   BM_Router_WriteDecisions/N the batch's decision writer alone
//                              (Router::AppendDecision, compact trace) over
//                              the Route results of the first N cases,
//                              kept from before the loop, into a reused
//                              buffer: N = 64 is its compute floor (all in
//                              L1/L2), N = 4,096 adds the engine strings
//                              it copies (unit codes, rule and item ids) from
//                              L2/L3. With BM_Router_RouteMany and
//                              BM_Router_ParseCases, what a batch case
//                              costs beyond its parts is the memory its
//                              output and those strings take at scale
//                              (bench/README.md, session 19). Counter:
//                              bytes_per_case.
//   BM_Router_Diff             DiffStream of the 64 Ki case stream, the
//                              province's engine against itself (the usual
//                              what-if: most cases do not change, and each
//                              is routed on both sides and compared).
//                              Items are cases.

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/types/span.h"
#include "bench/route_suite.h"
#include "benchmark/benchmark.h"
#include "src/base/civil_date.h"
#include "src/base/splitmix64.h"
#include "src/gen/province_generator.h"
#include "src/hierarchy/region_code.h"
#include "src/routing/batch.h"
#include "src/routing/case_wire.h"
#include "src/routing/router.h"
#include "src/routing/wire.h"

namespace jiceng {
namespace {

constexpr size_t kCases = size_t{1} << 16;

// The generator's messages (BM_Router_RouteScattered), in the order of
// RouteInput::cases.
std::vector<v1::Case>* scattered = nullptr;

// The province's engine and kCases generated cases that route.
bench::RouteInput* MakeProvince() {
  auto* p = new bench::RouteInput;
  scattered = new std::vector<v1::Case>;
  bench::CompileInto(GenerateProvince(ProvinceOptions::Province()), p);
  const Hierarchy& h = p->engine->hierarchy();
  const Catalogue& c = p->engine->catalogue();
  std::vector<RegionId> grids;
  for (RegionId id = 0; id < h.size(); ++id) {
    if (h.level(id) == v1::REGION_LEVEL_GRID) grids.push_back(id);
  }
  std::vector<MatterId> matters;
  for (MatterId m = 0; m < c.matter_count(); ++m) {
    if (c.matter(m).rules_begin != c.matter(m).rules_end) matters.push_back(m);
  }
  SplitMix64 rng(20261123);
  const int32_t first = *ParseIsoDate("2026-01-05");
  RouteResult probe;
  std::vector<v1::Case>& cases = *scattered;
  while (cases.size() < kCases) {
    v1::Case k;
    k.set_id(absl::StrCat("B", cases.size()));
    k.set_matter_code(c.matter(matters[rng.Below(matters.size())]).code);
    k.set_location_code(
        CodeNumberFromRegionKey(h.key(grids[rng.Below(grids.size())])));
    const int32_t day = first + static_cast<int32_t>(rng.Below(300));
    const int minute = 8 * 60 + static_cast<int>(rng.Below(12 * 60));
    k.set_reported_at(int64_t{day} * 86400 + minute * 60 - 8 * 3600);
    const uint64_t u = rng.Below(20);
    k.set_urgency(u < 16 ? 1 : u < 18 ? 2 : u < 19 ? 3 : 4);
    k.set_request_kind(static_cast<v1::RequestKind>(rng.Below(6)));
    if (rng.Below(2) == 0 && c.attribute_count() > 0) {
      const AttributeId a =
          static_cast<AttributeId>(rng.Below(c.attribute_count()));
      v1::CaseAttribute* attr = k.add_attributes();
      attr->set_key(c.attribute_key(a));
      switch (c.attribute_type(a)) {
        case v1::ATTRIBUTE_TYPE_NUMBER:
          attr->set_value(absl::StrCat(rng.Below(5000)));
          break;
        case v1::ATTRIBUTE_TYPE_BOOL:
          attr->set_value(rng.Below(2) ? "true" : "false");
          break;
        default:
          for (uint32_t v = 0; v < c.string_value_count(); ++v) {
            const uint32_t pick =
                static_cast<uint32_t>((v + rng.Next()) % c.string_value_count());
            if (c.IsAllowedValue(a, c.string_value(pick))) {
              attr->set_value(c.string_value(pick));
              break;
            }
          }
          break;
      }
    }
    // Keep only cases that route (the workload measures decisions, not
    // error paths; those have their own tests).
    if (!p->router->Route(k, &probe).ok()) continue;
    cases.push_back(std::move(k));
  }
  bench::UseCases(cases, p);
  return p;
}

const bench::RouteInput& Get() {
  static const bench::RouteInput* p = MakeProvince();
  return *p;
}

void BM_Router_Route(benchmark::State& state) {
  const bench::RouteInput& p = Get();
  bench::RunRoute(state, p);
  state.counters["engine_MB"] =
      static_cast<double>(p.engine->MemoryBytes()) / 1e6;
  const Hierarchy& h = p.engine->hierarchy();
  state.counters["grid_index_bytes_per_grid"] =
      static_cast<double>(h.CodeIndexBytes()) /
      static_cast<double>(p.grids);
  state.counters["hierarchy_bytes_per_grid"] =
      static_cast<double>(h.IndexBytes()) / static_cast<double>(p.grids);
}
BENCHMARK(BM_Router_Route);

void BM_Router_RouteScattered(benchmark::State& state) {
  const bench::RouteInput& p = Get();
  std::vector<const v1::Case*> cases;
  for (const v1::Case& k : *scattered) cases.push_back(&k);
  bench::RunRoute(state, *p.router, cases);
}
BENCHMARK(BM_Router_RouteScattered);

void BM_Router_RouteMany(benchmark::State& state) {
  bench::RunRouteMany(state, Get());
}
BENCHMARK(BM_Router_RouteMany)->Unit(benchmark::kMillisecond);

void BM_Router_RouteHot(benchmark::State& state) {
  const bench::RouteInput& p = Get();
  RouteResult r;
  size_t i = 0;
  for (auto _ : state) {
    absl::Status s = p.router->Route(*p.cases[i], &r);
    benchmark::DoNotOptimize(s);
    benchmark::DoNotOptimize(r.lead);
    i = (i + 1) & 63;
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}
BENCHMARK(BM_Router_RouteHot);

void BM_Router_RouteWarm(benchmark::State& state) {
  // BM_Router_Route's loop (allocation counting included, so the two
  // compare) over the first N cases.
  const bench::RouteInput& p = Get();
  const size_t n = std::min(p.cases.size(), static_cast<size_t>(state.range(0)));
  bench::RunRoute(state, *p.router, absl::MakeConstSpan(p.cases).first(n));
}
BENCHMARK(BM_Router_RouteWarm)->RangeMultiplier(8)->Range(64, 32768);

void BM_Router_RouteLatency(benchmark::State& state) {
  bench::RunRouteLatency(state, Get());
}
BENCHMARK(BM_Router_RouteLatency)->Iterations(3)->Unit(benchmark::kMillisecond);

void BM_Router_RouteToProto(benchmark::State& state) {
  bench::RunRouteToProto(state, Get());
}
BENCHMARK(BM_Router_RouteToProto);

void BM_Router_Batch(benchmark::State& state) {
  bench::RunBatch(state, Get());
}
BENCHMARK(BM_Router_Batch)
    ->ArgName("threads")
    ->Arg(1)
    ->Arg(2)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

void BM_Router_ParseCases(benchmark::State& state) {
  const bench::RouteInput& p = Get();
  CaseView c;
  for (auto _ : state) {
    size_t pos = 0;
    absl::string_view frame;
    while (pos < p.stream.size() && NextFrame(p.stream, &pos, &frame)) {
      if (!ParseCase(frame, &c)) std::abort();
      benchmark::DoNotOptimize(c.location_code());
    }
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) *
                          static_cast<int64_t>(p.cases.size()));
}
BENCHMARK(BM_Router_ParseCases)->Unit(benchmark::kMillisecond);

void BM_Router_WriteDecisions(benchmark::State& state) {
  const bench::RouteInput& p = Get();
  const size_t n =
      std::min(p.cases.size(), static_cast<size_t>(state.range(0)));
  std::vector<RouteResult> results(n);
  for (size_t i = 0; i < n; ++i) {
    if (!p.router->Route(*p.cases[i], &results[i]).ok()) {
      state.SkipWithError("a case of the workload does not route");
      return;
    }
  }
  const v1::RouteOptions options;  // compact, as RouteBatch's default
  ByteBuffer out;
  for (auto _ : state) {
    out.Clear();
    WireWriter w(&out);
    for (size_t i = 0; i < n; ++i) {
      p.router->AppendDecision(*p.cases[i], results[i], options, &w);
    }
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) *
                          static_cast<int64_t>(n));
  state.counters["bytes_per_case"] =
      n == 0 ? 0 : static_cast<double>(out.size()) / static_cast<double>(n);
}
BENCHMARK(BM_Router_WriteDecisions)->Arg(64)->Arg(4096);

void BM_Router_Diff(benchmark::State& state) {
  const bench::RouteInput& p = Get();
  for (auto _ : state) {
    const v1::DiffReport report = DiffStream(*p.router, *p.router, p.stream);
    if (report.changed_cases() != 0) {
      state.SkipWithError("an engine differs from itself");
      break;
    }
    benchmark::DoNotOptimize(report.cases());
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) *
                          static_cast<int64_t>(p.cases.size()));
}
BENCHMARK(BM_Router_Diff)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace jiceng

BENCHMARK_MAIN();
