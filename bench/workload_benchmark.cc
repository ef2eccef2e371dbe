// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0
//
// Routing the benchmark kit's standard case stream (issue #7) on the
// province-scale dataset (or the binary dataset file $JICENG_DATASET, which
// bench/run passes together with its stream): the stream of src/gen/workload_generator.h with
// default options (200,000 cases: uniform and Zipf locations and matters,
// ~1 % unknown codes, ~5 % urgent escalations, times over holidays, make-up
// days and out of hours), read from $JICENG_WORKLOAD when set (the file
// bench/run generates, so every system sees identical bytes), else
// generated in process (the same bytes). Refused cases are part of the
// stream and are timed too.
//
// Workloads:
//   BM_Workload_Route          Router::Route into a reused RouteResult.
//                              Counter allocs_per_call (operator new calls
//                              per case, all threads of the call).
//   BM_Workload_RouteLatency   the same, timing each call: p50_ns, p99_ns,
//                              p999_ns.
//   BM_Workload_RouteToProto   Route + ToProto into a reused message.
//   BM_Workload_Batch/threads:N
//                              RouteBatch of the whole stream on N threads
//                              (parse, route, ToProto, serialize per case).

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "bench/alloc_counter.h"
#include "benchmark/benchmark.h"
#include "src/dataset/dataset_io.h"
#include "src/engine/engine.h"
#include "src/gen/province_generator.h"
#include "src/gen/workload_generator.h"
#include "src/routing/batch.h"
#include "src/routing/router.h"

namespace jiceng {
namespace {

struct Workload {
  std::unique_ptr<const Engine> engine;
  std::unique_ptr<Router> router;
  std::string stream;
  std::vector<v1::Case> cases;

  Workload() {
    v1::Dataset d;
    const char* dataset = std::getenv("JICENG_DATASET");
    if (dataset != nullptr && *dataset != '\0') {
      auto read = ReadDatasetFile(dataset, DatasetFormat::kBinary);
      if (!read.ok()) {
        std::fprintf(stderr, "%s: %s\n", dataset,
                     std::string(read.status().message()).c_str());
        std::abort();
      }
      d = std::move(*read);
    } else {
      d = GenerateProvince(ProvinceOptions::Province());
    }
    auto e = Engine::Compile(d);
    if (!e.ok()) {
      std::fprintf(stderr, "compile failed\n");
      std::abort();
    }
    engine = std::move(*e);
    router = std::make_unique<Router>(*engine);
    const char* path = std::getenv("JICENG_WORKLOAD");
    if (path != nullptr && *path != '\0') {
      std::ifstream in(path, std::ios::binary);
      std::stringstream buffer;
      buffer << in.rdbuf();
      stream = buffer.str();
    } else {
      auto s = GenerateWorkload(d, WorkloadOptions());
      if (!s.ok()) std::abort();
      stream = std::move(*s);
    }
    std::vector<absl::string_view> frames;
    if (!SplitDelimited(stream, &frames).ok()) std::abort();
    cases.resize(frames.size());
    for (size_t i = 0; i < frames.size(); ++i) {
      cases[i].ParseFromArray(frames[i].data(),
                              static_cast<int>(frames[i].size()));
    }
  }
};

const Workload& Get() {
  static const Workload* w = new Workload();
  return *w;
}

void BM_Workload_Route(benchmark::State& state) {
  const Workload& w = Get();
  RouteResult r;
  size_t i = 0;
  int64_t allocs = 0;
  for (auto _ : state) {
    const int64_t before = bench::Allocations();
    absl::Status s = w.router->Route(w.cases[i], &r);
    allocs += bench::Allocations() - before;
    benchmark::DoNotOptimize(s);
    benchmark::DoNotOptimize(r.lead);
    if (++i == w.cases.size()) i = 0;
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
  state.counters["allocs_per_call"] =
      static_cast<double>(allocs) / static_cast<double>(state.iterations());
}
BENCHMARK(BM_Workload_Route);

void BM_Workload_RouteLatency(benchmark::State& state) {
  const Workload& w = Get();
  RouteResult r;
  std::vector<int64_t> ns;
  ns.reserve(w.cases.size());
  for (auto _ : state) {
    ns.clear();
    for (const v1::Case& c : w.cases) {
      const auto t0 = std::chrono::steady_clock::now();
      absl::Status s = w.router->Route(c, &r);
      const auto t1 = std::chrono::steady_clock::now();
      benchmark::DoNotOptimize(s);
      ns.push_back(
          std::chrono::duration_cast<std::chrono::nanoseconds>(t1 - t0)
              .count());
    }
  }
  std::sort(ns.begin(), ns.end());
  auto pct = [&](double q) {
    return static_cast<double>(ns[static_cast<size_t>(q * (ns.size() - 1))]);
  };
  state.counters["p50_ns"] = pct(0.50);
  state.counters["p99_ns"] = pct(0.99);
  state.counters["p999_ns"] = pct(0.999);
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) *
                          static_cast<int64_t>(w.cases.size()));
}
BENCHMARK(BM_Workload_RouteLatency)
    ->Iterations(2)
    ->Unit(benchmark::kMillisecond);

void BM_Workload_RouteToProto(benchmark::State& state) {
  const Workload& w = Get();
  RouteResult r;
  v1::RoutingDecision d;
  const v1::RouteOptions options;
  size_t i = 0;
  int64_t allocs = 0;
  for (auto _ : state) {
    const int64_t before = bench::Allocations();
    if (w.router->Route(w.cases[i], &r).ok()) {
      w.router->ToProto(w.cases[i], r, options, &d);
    }
    allocs += bench::Allocations() - before;
    benchmark::DoNotOptimize(d);
    if (++i == w.cases.size()) i = 0;
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
  state.counters["allocs_per_call"] =
      static_cast<double>(allocs) / static_cast<double>(state.iterations());
}
BENCHMARK(BM_Workload_RouteToProto);

void BM_Workload_Batch(benchmark::State& state) {
  const Workload& w = Get();
  BatchOptions options;
  options.threads = static_cast<int>(state.range(0));
  for (auto _ : state) {
    auto out = RouteBatch(*w.router, w.stream, options);
    benchmark::DoNotOptimize(out);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) *
                          static_cast<int64_t>(w.cases.size()));
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
