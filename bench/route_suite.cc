// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0

#include "bench/route_suite.h"

#include <malloc.h>
#include <sys/resource.h>
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <utility>
#include <vector>

#include "bench/alloc_counter.h"
#include "src/dataset/dataset_io.h"
#include "src/routing/batch.h"
#include "src/routing/wire.h"

namespace jiceng {
namespace bench {
namespace {

[[noreturn]] void Die(const std::string& what) {
  std::fprintf(stderr, "route suite set-up: %s\n", what.c_str());
  std::abort();
}

double Seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() -
                                       since)
      .count();
}

double ThreadCpuSeconds() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

}  // namespace

void CompileInto(const v1::Dataset& dataset, RouteInput* input) {
  const auto t0 = std::chrono::steady_clock::now();
  const double cpu0 = ThreadCpuSeconds();
  absl::StatusOr<std::unique_ptr<const Engine>> e = Engine::Compile(dataset);
  input->compile_cpu_seconds = ThreadCpuSeconds() - cpu0;
  input->compile_seconds = Seconds(t0);
  if (!e.ok()) Die("compile failed: " + std::string(e.status().message()));
  input->engine = std::move(*e);
  input->router = std::make_unique<Router>(*input->engine);
  const Hierarchy& h = input->engine->hierarchy();
  input->grids = 0;
  for (RegionId id = 0; id < h.size(); ++id) {
    if (h.level(id) == v1::REGION_LEVEL_GRID) ++input->grids;
  }
}

void ReadAndCompile(const char* path, RouteInput* input) {
  malloc_trim(0);
  const int64_t before = ResidentBytes();
  {
    const auto t0 = std::chrono::steady_clock::now();
    absl::StatusOr<v1::Dataset> d =
        ReadDatasetFile(path, DatasetFormat::kBinary);
    if (!d.ok()) Die(std::string(path) + ": " + std::string(d.status().message()));
    input->parse_seconds = Seconds(t0);
    CompileInto(*d, input);
  }
  malloc_trim(0);
  input->rss_engine_bytes = ResidentBytes() - before;
  input->peak_rss_bytes = PeakResidentBytes();
}

void ParseStream(RouteInput* input) {
  std::vector<absl::string_view> frames;
  if (!SplitDelimited(input->stream, &frames).ok()) Die("malformed case stream");
  // Blocks of up to 1 MiB: the cases lie one after another in a few of
  // them, in stream order.
  google::protobuf::ArenaOptions options;
  options.start_block_size = 64 << 10;
  options.max_block_size = 1 << 20;
  input->arena = std::make_unique<google::protobuf::Arena>(options);
  input->cases.clear();
  input->cases.reserve(frames.size());
  for (size_t i = 0; i < frames.size(); ++i) {
    auto* c = google::protobuf::Arena::CreateMessage<v1::Case>(
        input->arena.get());
    if (!c->ParseFromArray(frames[i].data(),
                           static_cast<int>(frames[i].size()))) {
      Die("case " + std::to_string(i) + " of the stream does not parse");
    }
    input->cases.push_back(c);
  }
}

void UseCases(const std::vector<v1::Case>& cases, RouteInput* input) {
  input->stream.clear();
  for (const v1::Case& k : cases) AppendDelimited(k, &input->stream);
  ParseStream(input);
}

void RunRoute(benchmark::State& state, const Router& router,
              absl::Span<const v1::Case* const> cases) {
  RouteResult r;
  size_t i = 0;
  // Allocations of the calls that decided, and of those that refused the
  // case (an error status carries its message, which allocates).
  int64_t allocs[2] = {0, 0};
  int64_t calls[2] = {0, 0};
  for (auto _ : state) {
    const int64_t before = Allocations();
    absl::Status s = router.Route(*cases[i], &r);
    const int refused = s.ok() ? 0 : 1;
    allocs[refused] += Allocations() - before;
    ++calls[refused];
    benchmark::DoNotOptimize(s);
    benchmark::DoNotOptimize(r.lead);
    if (++i == cases.size()) i = 0;
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
  state.counters["allocs_per_call"] =
      static_cast<double>(allocs[0] + allocs[1]) /
      static_cast<double>(state.iterations());
  state.counters["allocs_per_decision"] =
      calls[0] == 0 ? 0.0
                    : static_cast<double>(allocs[0]) /
                          static_cast<double>(calls[0]);
  if (calls[1] > 0) {
    state.counters["allocs_per_refusal"] =
        static_cast<double>(allocs[1]) / static_cast<double>(calls[1]);
  }
}

void RunRoute(benchmark::State& state, const RouteInput& input) {
  RunRoute(state, *input.router, input.cases);
}

void RunRouteMany(benchmark::State& state, const RouteInput& input) {
  // One iteration routes every case once; items count decisions.
  RouteResult r;
  int64_t allocs = 0;
  for (auto _ : state) {
    const int64_t before = Allocations();
    input.router->RouteMany(
        input.cases, &r,
        [](size_t, const absl::Status& s, const RouteResult& result) {
          benchmark::DoNotOptimize(s);
          benchmark::DoNotOptimize(result.lead);
        });
    allocs += Allocations() - before;
  }
  const double decisions = static_cast<double>(state.iterations()) *
                           static_cast<double>(input.cases.size());
  state.SetItemsProcessed(static_cast<int64_t>(decisions));
  state.counters["allocs_per_call"] = static_cast<double>(allocs) / decisions;
}

void RunRouteLatency(benchmark::State& state, const RouteInput& input) {
  RouteResult r;
  std::vector<int64_t> ns;
  ns.reserve(input.cases.size());
  // Per case, its fastest time over the iterations: each pass routes every
  // other case in between, so a case is as cold every time, and taking its
  // best removes what the machine added (interrupts, a preempted vCPU)
  // but not what the case itself costs.
  std::vector<int64_t> best(input.cases.size(), INT64_MAX);
  // Whether a delegation applied to the case (the same every pass): those
  // few cases read the most lines, and make most of the slowest 1 %.
  std::vector<bool> delegated(input.cases.size(), false);
  // Whether the case was refused (a bad code in the stream: its status
  // message allocates), the same every pass.
  std::vector<bool> refused(input.cases.size(), false);
  for (auto _ : state) {
    ns.clear();
    for (const v1::Case* k : input.cases) {
      const auto t0 = std::chrono::steady_clock::now();
      absl::Status s = input.router->Route(*k, &r);
      const auto t1 = std::chrono::steady_clock::now();
      benchmark::DoNotOptimize(s);
      if (s.ok() && r.delegation != kNoIndex) delegated[ns.size()] = true;
      if (!s.ok()) refused[ns.size()] = true;
      ns.push_back(
          std::chrono::duration_cast<std::chrono::nanoseconds>(t1 - t0)
              .count());
    }
    for (size_t i = 0; i < ns.size(); ++i) best[i] = std::min(best[i], ns[i]);
  }
  std::vector<int64_t> delegated_best, refused_best, decided;
  for (size_t i = 0; i < best.size(); ++i) {
    if (delegated[i]) delegated_best.push_back(best[i]);
    if (refused[i]) refused_best.push_back(best[i]);
    if (!refused[i]) decided.push_back(ns[i]);
  }
  auto pct = [](std::vector<int64_t>& v, double q) {
    std::sort(v.begin(), v.end());
    return static_cast<double>(v[static_cast<size_t>(q * (v.size() - 1))]);
  };
  // The last pass's times of the decided cases alone (p99_ns counts the
  // refusals too, ~1 % of the standard stream).
  if (!decided.empty()) state.counters["decided_p99_ns"] = pct(decided, 0.99);
  if (!refused_best.empty()) {
    state.counters["refused_best_p50_ns"] = pct(refused_best, 0.50);
  }
  state.counters["p50_ns"] = pct(ns, 0.50);
  state.counters["p99_ns"] = pct(ns, 0.99);
  state.counters["p999_ns"] = pct(ns, 0.999);
  state.counters["case_best_p50_ns"] = pct(best, 0.50);
  state.counters["case_best_p99_ns"] = pct(best, 0.99);
  state.counters["delegated_share"] =
      static_cast<double>(delegated_best.size()) /
      static_cast<double>(best.size());
  if (!delegated_best.empty()) {
    state.counters["delegated_best_p50_ns"] = pct(delegated_best, 0.50);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) *
                          static_cast<int64_t>(input.cases.size()));
}

void RunRouteToProto(benchmark::State& state, const RouteInput& input) {
  RouteResult r;
  v1::RoutingDecision d;
  const v1::RouteOptions options;
  size_t i = 0;
  int64_t allocs = 0;
  for (auto _ : state) {
    const int64_t before = Allocations();
    if (input.router->Route(*input.cases[i], &r).ok()) {
      input.router->ToProto(*input.cases[i], r, options, &d);
    }
    allocs += Allocations() - before;
    benchmark::DoNotOptimize(d);
    if (++i == input.cases.size()) i = 0;
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
  state.counters["allocs_per_call"] =
      static_cast<double>(allocs) / static_cast<double>(state.iterations());
}

void RunBatch(benchmark::State& state, const RouteInput& input) {
  BatchOptions options;
  options.threads = static_cast<int>(state.range(0));
  // Into a ByteBuffer, as the C ABI does (no copy of the output).
  size_t bytes = 0;
  // The process's CPU time (every thread's) and page faults over the loop:
  // how much the threads cost together, and how much of it the kernel
  // spends mapping fresh output pages.
  rusage before;
  getrusage(RUSAGE_SELF, &before);
  for (auto _ : state) {
    ByteBuffer out;
    if (!RouteBatch(*input.router, input.stream, options, &out).ok()) {
      std::abort();
    }
    bytes = out.size();
    benchmark::DoNotOptimize(out);
  }
  rusage after;
  getrusage(RUSAGE_SELF, &after);
  auto ms = [](const timeval& from, const timeval& to) {
    return 1e3 * static_cast<double>(to.tv_sec - from.tv_sec) +
           1e-3 * static_cast<double>(to.tv_usec - from.tv_usec);
  };
  const double batches = static_cast<double>(state.iterations());
  state.counters["cpu_ms_per_batch"] =
      (ms(before.ru_utime, after.ru_utime) +
       ms(before.ru_stime, after.ru_stime)) /
      batches;
  state.counters["sys_ms_per_batch"] =
      ms(before.ru_stime, after.ru_stime) / batches;
  state.counters["faults_per_batch"] =
      static_cast<double>(after.ru_minflt - before.ru_minflt) / batches;
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) *
                          static_cast<int64_t>(input.cases.size()));
  state.counters["bytes_per_case"] =
      input.cases.empty() ? 0
                          : static_cast<double>(bytes) /
                                static_cast<double>(input.cases.size());
}

void RunEngineFigures(benchmark::State& state, const RouteInput& input) {
  for (auto _ : state) benchmark::DoNotOptimize(input.engine);
  const double index =
      static_cast<double>(input.engine->hierarchy().IndexBytes());
  state.counters["parse_ms"] = input.parse_seconds * 1e3;
  state.counters["compile_ms"] = input.compile_seconds * 1e3;
  state.counters["compile_cpu_ms"] = input.compile_cpu_seconds * 1e3;
  state.counters["engine_MB"] =
      static_cast<double>(input.engine->MemoryBytes()) / 1e6;
  state.counters["region_index_MB"] = index / 1e6;
  state.counters["grids"] = static_cast<double>(input.grids);
  state.counters["bytes_per_grid"] =
      input.grids == 0 ? 0 : index / static_cast<double>(input.grids);
  state.counters["rss_engine_MB"] =
      static_cast<double>(input.rss_engine_bytes) / 1e6;
  state.counters["peak_rss_MB"] =
      static_cast<double>(input.peak_rss_bytes) / 1e6;
}

}  // namespace bench
}  // namespace jiceng
