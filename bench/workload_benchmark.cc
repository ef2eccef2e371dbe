// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0
//
// Routing the benchmark kit's standard case stream (issue #7) on the
// province-scale dataset, or on the binary dataset file $JICENG_DATASET
// (bench/run passes the province or the ten-province dataset together with
// its stream): the stream of src/gen/workload_generator.h with default
// options (200,000 cases: uniform and Zipf locations and matters, ~1 %
// unknown codes, ~5 % urgent escalations, times over holidays, make-up days
// and out of hours), read from $JICENG_WORKLOAD when set (the file bench/run
// generates, so every system sees identical bytes), else generated in
// process (the same bytes). Refused cases are part of the stream and are
// timed too. The loops are the routing suite's (bench/route_suite.h), which
// router_benchmark runs on generated cases.
//
// Workloads:
//   BM_Workload_Engine         no loop: how the engine was made — parse_ms
//                              (reading the dataset file; 0 when generated),
//                              compile_ms, compile_cpu_ms, engine_MB,
//                              region_index_MB, grids, bytes_per_grid,
//                              rss_engine_MB and peak_rss_MB (with a
//                              dataset file only).
//   BM_Workload_Route          Router::Route into a reused RouteResult.
//                              Counter allocs_per_call.
//   BM_Workload_RouteMany      Router::RouteMany over the whole stream in
//                              order (the next cases' engine data fetched
//                              ahead). Items are decisions.
//   BM_Workload_RouteLatency   BM_Workload_Route timing each call: p50_ns,
//                              p99_ns, p999_ns.
//   BM_Workload_RouteToProto   Route + ToProto into a reused message.
//   BM_Workload_Batch/threads:N
//                              RouteBatch of the whole stream on N threads
//                              (parse, route, ToProto, serialize per case).

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "bench/route_suite.h"
#include "benchmark/benchmark.h"
#include "src/gen/province_generator.h"
#include "src/gen/workload_generator.h"

namespace jiceng {
namespace {

bench::RouteInput* MakeWorkload() {
  auto* w = new bench::RouteInput;
  const char* dataset = std::getenv("JICENG_DATASET");
  const char* path = std::getenv("JICENG_WORKLOAD");
  const bool have_stream = path != nullptr && *path != '\0';
  if (dataset != nullptr && *dataset != '\0') {
    bench::ReadAndCompile(dataset, w);
    if (!have_stream) {
      std::fprintf(stderr, "JICENG_DATASET needs JICENG_WORKLOAD too\n");
      std::abort();
    }
  } else {
    const v1::Dataset d = GenerateProvince(ProvinceOptions::Province());
    bench::CompileInto(d, w);
    if (!have_stream) {
      auto s = GenerateWorkload(d, WorkloadOptions());
      if (!s.ok()) std::abort();
      w->stream = std::move(*s);
    }
  }
  if (have_stream) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    if (!in) {
      std::fprintf(stderr, "cannot read %s\n", path);
      std::abort();
    }
    w->stream = buffer.str();
  }
  bench::ParseStream(w);
  return w;
}

const bench::RouteInput& Get() {
  static const bench::RouteInput* w = MakeWorkload();
  return *w;
}

void BM_Workload_Engine(benchmark::State& state) {
  bench::RunEngineFigures(state, Get());
}
BENCHMARK(BM_Workload_Engine)->Iterations(1);

void BM_Workload_Route(benchmark::State& state) {
  bench::RunRoute(state, Get());
}
BENCHMARK(BM_Workload_Route);

void BM_Workload_RouteMany(benchmark::State& state) {
  bench::RunRouteMany(state, Get());
}
BENCHMARK(BM_Workload_RouteMany)->Unit(benchmark::kMillisecond);

void BM_Workload_RouteLatency(benchmark::State& state) {
  bench::RunRouteLatency(state, Get());
}
BENCHMARK(BM_Workload_RouteLatency)
    ->Iterations(2)
    ->Unit(benchmark::kMillisecond);

void BM_Workload_RouteToProto(benchmark::State& state) {
  bench::RunRouteToProto(state, Get());
}
BENCHMARK(BM_Workload_RouteToProto);

void BM_Workload_Batch(benchmark::State& state) {
  bench::RunBatch(state, Get());
}
BENCHMARK(BM_Workload_Batch)
    ->ArgName("threads")
    ->Arg(1)
    ->Arg(2)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
}  // namespace jiceng

BENCHMARK_MAIN();
