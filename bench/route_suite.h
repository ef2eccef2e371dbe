// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0
//
// Benchmark-only: the one routing suite, run on any case source. The loops
// behind router_benchmark's BM_Router_* (cases generated over the province
// in process) and workload_benchmark's BM_Workload_* (the kit's case stream
// file, on the province or any dataset file) are these; each binary builds
// its RouteInput once and registers its own names.
//
//   RunRoute          Router::Route into a reused RouteResult, cycling over
//                     the cases. Counter allocs_per_call (allocations of
//                     the benchmark thread per decision; 0 is the target).
//   RunRouteMany      Router::RouteMany over the cases in order (the
//                     pipelined core route: the engine data of the next
//                     cases is fetched while one is decided).
//                     allocs_per_call too.
//   RunRouteLatency   every case once per iteration, each call timed:
//                     p50_ns, p99_ns, p999_ns.
//   RunRouteToProto   Route + ToProto into a reused message
//                     (allocs_per_call too).
//   RunBatch          RouteBatch of the whole stream on state.range(0)
//                     threads (parse, route, serialize per case) into a
//                     ByteBuffer, as the C ABI does (counters:
//                     bytes_per_case; cpu_ms_per_batch, all threads'
//                     CPU time; sys_ms_per_batch; faults_per_batch,
//                     minor page faults).
//   RunEngineFigures  no loop: how the engine was made (a one-iteration
//                     benchmark): parse_ms, compile_ms, compile_cpu_ms,
//                     engine_MB, region_index_MB, grids, bytes_per_grid
//                     (region index bytes per grid), rss_engine_MB (RSS
//                     growth from reading + compiling, the dataset freed
//                     and trimmed), peak_rss_MB.
//
// Example:
//   const RouteInput& Input() {
//     static const RouteInput* in = [] {
//       auto* in = new RouteInput;
//       CompileInto(GenerateProvince(ProvinceOptions::Province()), in);
//       std::vector<v1::Case> cases = ...;
//       UseCases(cases, in);
//       return in;
//     }();
//     return *in;
//   }
//   void BM_X_Route(benchmark::State& s) { RunRoute(s, Input()); }
//   BENCHMARK(BM_X_Route);

#ifndef JICENG_BENCH_ROUTE_SUITE_H_
#define JICENG_BENCH_ROUTE_SUITE_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/types/span.h"
#include "benchmark/benchmark.h"
#include "google/protobuf/arena.h"
#include "jiceng/v1/routing.pb.h"
#include "jiceng/v1/dataset.pb.h"
#include "src/engine/engine.h"
#include "src/routing/router.h"

namespace jiceng {
namespace bench {

// What the suite routes: an engine, its router and the cases, both parsed
// and as a length-delimited stream (the same cases in the same order).
// The parsed cases lie in one arena in stream order, one after another, as
// a service that parses a stream of requests holds them (not scattered
// over the heap by the way a generator happened to build them).
struct RouteInput {
  std::unique_ptr<const Engine> engine;
  std::unique_ptr<Router> router;
  std::unique_ptr<google::protobuf::Arena> arena;
  std::vector<const v1::Case*> cases;  // in *arena
  std::string stream;

  // How the engine was made (ReadAndCompile / CompileInto).
  double parse_seconds = 0;        // reading + parsing the dataset file
  double compile_seconds = 0;      // Engine::Compile, wall clock
  double compile_cpu_seconds = 0;  // Engine::Compile, this thread's CPU
  int64_t rss_engine_bytes = 0;    // RSS growth, dataset freed
  int64_t peak_rss_bytes = 0;      // the process's peak RSS after compiling
  int64_t grids = 0;
};

// Compiles `dataset` into input->engine and input->router, timing it.
// Aborts with a message on failure (benchmark set-up).
void CompileInto(const v1::Dataset& dataset, RouteInput* input);

// Reads the binary dataset file `path`, compiles it (CompileInto), frees
// the dataset and measures the engine's resident growth. Aborts on failure.
void ReadAndCompile(const char* path, RouteInput* input);

// input->cases from input->stream, parsed in order into a new arena
// (aborts on a malformed stream).
void ParseStream(RouteInput* input);
// input->stream from `cases`, then ParseStream.
void UseCases(const std::vector<v1::Case>& cases, RouteInput* input);

void RunRoute(benchmark::State& state, const RouteInput& input);
// RunRoute over any cases (router_benchmark also routes the generator's
// own, heap-scattered messages).
void RunRoute(benchmark::State& state, const Router& router,
              absl::Span<const v1::Case* const> cases);
void RunRouteMany(benchmark::State& state, const RouteInput& input);
void RunRouteLatency(benchmark::State& state, const RouteInput& input);
void RunRouteToProto(benchmark::State& state, const RouteInput& input);
void RunBatch(benchmark::State& state, const RouteInput& input);
void RunEngineFigures(benchmark::State& state, const RouteInput& input);

}  // namespace bench
}  // namespace jiceng

#endif  // JICENG_BENCH_ROUTE_SUITE_H_
