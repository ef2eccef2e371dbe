// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0
//
// Routing through the stable C ABI: libjiceng.so only (no C++ core in this
// process), protobuf bytes in and out, the way C, ctypes and JNA callers
// route. Engine: the embedded sample (jc_engine_create_sample); workload:
// the sample case stream (every rule, scenario and tier; cases that fail
// are left out), written at build time by c_api_expected, cycled in order.
//
//   BM_CApi_Route              jc_engine_route: the decision in a buffer
//                              the library allocates, freed with jc_free.
//   BM_CApi_RouteInto          jc_engine_route_into: the caller's buffer.
//   BM_CApi_RouteIntoExplain   the same with JC_ROUTE_EXPLAIN_TEXT.
//   BM_CApi_RouteIntoLatency   jc_engine_route_into, each call timed:
//                              p50, p99, p99.9 in ns.
// Counters: allocs_per_call (operator new and malloc calls of all threads
// per call; the target for RouteInto is 0), bytes_per_call (decision size).
//
//   capi_benchmark [--benchmark_filter=...] [CASES_FILE]

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "benchmark/benchmark.h"
#include "jiceng/jiceng.h"
#include "tests/alloc_counter.h"

namespace {

std::string g_cases_file = JICENG_BENCH_CASES;

struct Workload {
  jc_engine* engine = nullptr;
  std::vector<std::string> cases;  // those that route
};

// Built once; the engine lives until exit.
const Workload& TheWorkload() {
  static const Workload* const w = [] {
    auto* w = new Workload;
    if (jc_engine_create_sample(&w->engine, nullptr) != JC_OK) {
      std::fprintf(stderr, "capi_benchmark: no sample engine\n");
      std::exit(1);
    }
    std::ifstream f(g_cases_file, std::ios::binary);
    const std::string stream(std::istreambuf_iterator<char>(f), {});
    size_t pos = 0;
    while (pos < stream.size()) {
      uint64_t len = 0;
      int shift = 0;
      uint8_t b;
      do {
        b = static_cast<uint8_t>(stream[pos++]);
        len |= uint64_t{b & 0x7Fu} << shift;
        shift += 7;
      } while ((b & 0x80u) && pos < stream.size());
      std::string c = stream.substr(pos, len);
      pos += len;
      void* out = nullptr;
      size_t size = 0;
      if (jc_engine_route(w->engine, c.data(), c.size(), 0, &out, &size,
                          nullptr) == JC_OK) {
        jc_free(out);
        w->cases.push_back(std::move(c));
      }
    }
    if (w->cases.empty()) {
      std::fprintf(stderr, "capi_benchmark: no routable case in %s\n",
                   g_cases_file.c_str());
      std::exit(1);
    }
    return w;
  }();
  return *w;
}

void SetCounters(benchmark::State& state, int64_t allocations,
                 int64_t bytes) {
  const double calls = static_cast<double>(state.iterations());
  state.SetItemsProcessed(state.iterations());
  state.counters["allocs_per_call"] = static_cast<double>(allocations) / calls;
  state.counters["bytes_per_call"] = static_cast<double>(bytes) / calls;
}

void BM_CApi_Route(benchmark::State& state) {
  const Workload& w = TheWorkload();
  size_t i = 0;
  int64_t bytes = 0;
  jiceng_test::AllocationScope scope;
  for (auto _ : state) {
    const std::string& c = w.cases[i];
    if (++i == w.cases.size()) i = 0;
    void* out = nullptr;
    size_t size = 0;
    if (jc_engine_route(w.engine, c.data(), c.size(), 0, &out, &size,
                        nullptr) != JC_OK) {
      state.SkipWithError("jc_engine_route failed");
      break;
    }
    benchmark::DoNotOptimize(out);
    bytes += static_cast<int64_t>(size);
    jc_free(out);
  }
  SetCounters(state, scope.count(), bytes);
}
BENCHMARK(BM_CApi_Route);

void RouteInto(benchmark::State& state, uint32_t flags) {
  const Workload& w = TheWorkload();
  std::vector<unsigned char> buffer(1 << 16);
  size_t i = 0;
  int64_t bytes = 0;
  jiceng_test::AllocationScope scope;
  for (auto _ : state) {
    const std::string& c = w.cases[i];
    if (++i == w.cases.size()) i = 0;
    size_t size = 0;
    if (jc_engine_route_into(w.engine, c.data(), c.size(), flags,
                             buffer.data(), buffer.size(), &size,
                             nullptr) != JC_OK) {
      state.SkipWithError("jc_engine_route_into failed");
      break;
    }
    benchmark::DoNotOptimize(buffer.data());
    bytes += static_cast<int64_t>(size);
  }
  SetCounters(state, scope.count(), bytes);
}

void BM_CApi_RouteInto(benchmark::State& state) { RouteInto(state, 0); }
BENCHMARK(BM_CApi_RouteInto);

void BM_CApi_RouteIntoExplain(benchmark::State& state) {
  RouteInto(state, JC_ROUTE_EXPLAIN_TEXT);
}
BENCHMARK(BM_CApi_RouteIntoExplain);

void BM_CApi_RouteIntoLatency(benchmark::State& state) {
  const Workload& w = TheWorkload();
  std::vector<unsigned char> buffer(1 << 16);
  std::vector<int64_t> ns;
  ns.reserve(1 << 20);
  size_t i = 0;
  for (auto _ : state) {
    const std::string& c = w.cases[i];
    if (++i == w.cases.size()) i = 0;
    size_t size = 0;
    const auto start = std::chrono::steady_clock::now();
    const jc_status s =
        jc_engine_route_into(w.engine, c.data(), c.size(), 0, buffer.data(),
                             buffer.size(), &size, nullptr);
    const auto end = std::chrono::steady_clock::now();
    benchmark::DoNotOptimize(s);
    if (ns.size() < ns.capacity()) {
      ns.push_back(
          std::chrono::duration_cast<std::chrono::nanoseconds>(end - start)
              .count());
    }
  }
  state.SetItemsProcessed(state.iterations());
  if (ns.empty()) return;
  std::sort(ns.begin(), ns.end());
  auto at = [&](double q) {
    return static_cast<double>(
        ns[std::min(ns.size() - 1, static_cast<size_t>(q * ns.size()))]);
  };
  state.counters["p50_ns"] = at(0.50);
  state.counters["p99_ns"] = at(0.99);
  state.counters["p999_ns"] = at(0.999);
}
BENCHMARK(BM_CApi_RouteIntoLatency);

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (argc == 2) g_cases_file = argv[1];
  if (argc > 2) {
    std::fprintf(stderr, "usage: capi_benchmark [benchmark flags] [CASES]\n");
    return 2;
  }
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
