// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0
//
// Loading the province-scale engine (ProvinceOptions::Province(): 532 k
// regions, ~500 k grids, 10,000 items, ~39 k delegations), issue #7's
// "load from a binary snapshot" and "compile from source data", measured
// separately. The snapshot is the dataset serialized as binary protobuf
// (~50 MB), built once outside the timed loops.
//
// Workloads:
//   BM_Engine_ParseBinary   v1::Dataset::ParseFromString of the snapshot.
//   BM_Engine_Compile       Engine::Compile of the parsed dataset
//                           (validation + hierarchy, organisation, calendar
//                           and catalogue). Counters: engine_MB
//                           (MemoryBytes / 10^6), region_index_MB.
//   BM_Engine_LoadBinary    Engine::Load(snapshot, binary): both of the
//                           above, what an application does at start.
//   BM_Engine_Resident      one Load, then the dataset message freed and
//                           malloc_trim: counter rss_MB is the process's
//                           resident set with the engine alone (the
//                           benchmark binary and the snapshot bytes
//                           included), rss_engine_MB the growth over the
//                           RSS before loading.
//   BM_Engine_SaveSnapshot  Engine::SaveSnapshot of the compiled province
//                           (src/engine/snapshot.h). Counter
//                           engine_snapshot_MB: its size.
//   BM_Engine_LoadSnapshot  Engine::LoadSnapshot of those bytes: checksum,
//                           copy, validation of every index, hash maps
//                           rebuilt — what replaces LoadBinary at start
//                           (issue #7's target: <= 100 ms).

#include <malloc.h>

#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>

#include "bench/alloc_counter.h"
#include "benchmark/benchmark.h"
#include "src/engine/engine.h"
#include "src/gen/province_generator.h"

namespace jiceng {
namespace {

const std::string& Snapshot() {
  static const std::string* bytes = new std::string(
      GenerateProvince(ProvinceOptions::Province()).SerializeAsString());
  return *bytes;
}

void BM_Engine_ParseBinary(benchmark::State& state) {
  const std::string& bytes = Snapshot();
  for (auto _ : state) {
    v1::Dataset d;
    const bool ok = d.ParseFromString(bytes);
    benchmark::DoNotOptimize(ok);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) *
                          static_cast<int64_t>(bytes.size()));
  state.counters["snapshot_MB"] = static_cast<double>(bytes.size()) / 1e6;
}
BENCHMARK(BM_Engine_ParseBinary)->Unit(benchmark::kMillisecond);

void BM_Engine_Compile(benchmark::State& state) {
  v1::Dataset d;
  d.ParseFromString(Snapshot());
  size_t memory = 0, index = 0;
  for (auto _ : state) {
    auto engine = Engine::Compile(d);
    if (!engine.ok()) {
      state.SkipWithError("compile failed");
      return;
    }
    memory = (*engine)->MemoryBytes();
    index = (*engine)->hierarchy().IndexBytes();
    benchmark::DoNotOptimize(engine);
  }
  state.counters["engine_MB"] = static_cast<double>(memory) / 1e6;
  state.counters["region_index_MB"] = static_cast<double>(index) / 1e6;
}
BENCHMARK(BM_Engine_Compile)->Unit(benchmark::kMillisecond);

void BM_Engine_LoadBinary(benchmark::State& state) {
  const std::string& bytes = Snapshot();
  for (auto _ : state) {
    auto engine = Engine::Load(bytes, DatasetFormat::kBinary);
    benchmark::DoNotOptimize(engine);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) *
                          static_cast<int64_t>(bytes.size()));
}
BENCHMARK(BM_Engine_LoadBinary)->Unit(benchmark::kMillisecond);

void BM_Engine_Resident(benchmark::State& state) {
  const std::string& bytes = Snapshot();
  malloc_trim(0);
  const int64_t before = bench::ResidentBytes();
  std::unique_ptr<const Engine> engine;
  for (auto _ : state) {
    auto e = Engine::Load(bytes, DatasetFormat::kBinary);
    if (!e.ok()) {
      state.SkipWithError("load failed");
      return;
    }
    engine = std::move(*e);
  }
  malloc_trim(0);
  const int64_t after = bench::ResidentBytes();
  state.counters["rss_MB"] = static_cast<double>(after) / 1e6;
  state.counters["rss_engine_MB"] = static_cast<double>(after - before) / 1e6;
  state.counters["engine_MB"] =
      static_cast<double>(engine->MemoryBytes()) / 1e6;
}
BENCHMARK(BM_Engine_Resident)->Iterations(1)->Unit(benchmark::kMillisecond);

// The province compiled once, and its engine snapshot.
const Engine& CompiledProvince() {
  static const Engine* engine = [] {
    auto e = Engine::Load(Snapshot(), DatasetFormat::kBinary);
    if (!e.ok()) std::abort();
    return e->release();
  }();
  return *engine;
}

const std::string& EngineSnapshot() {
  static const std::string* bytes = [] {
    auto s = CompiledProvince().SaveSnapshot();
    if (!s.ok()) std::abort();
    return new std::string(std::move(*s));
  }();
  return *bytes;
}

void BM_Engine_SaveSnapshot(benchmark::State& state) {
  const Engine& engine = CompiledProvince();
  size_t size = 0;
  for (auto _ : state) {
    auto bytes = engine.SaveSnapshot();
    if (!bytes.ok()) {
      state.SkipWithError("save failed");
      return;
    }
    size = bytes->size();
    benchmark::DoNotOptimize(bytes);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) *
                          static_cast<int64_t>(size));
  state.counters["engine_snapshot_MB"] = static_cast<double>(size) / 1e6;
}
BENCHMARK(BM_Engine_SaveSnapshot)->Unit(benchmark::kMillisecond);

void BM_Engine_LoadSnapshot(benchmark::State& state) {
  const std::string& bytes = EngineSnapshot();
  for (auto _ : state) {
    auto engine = Engine::LoadSnapshot(bytes);
    if (!engine.ok()) {
      state.SkipWithError("load failed");
      return;
    }
    benchmark::DoNotOptimize(engine);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) *
                          static_cast<int64_t>(bytes.size()));
  state.counters["engine_snapshot_MB"] =
      static_cast<double>(bytes.size()) / 1e6;
}
BENCHMARK(BM_Engine_LoadSnapshot)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace jiceng

BENCHMARK_MAIN();
