// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0
//
// Benchmarks of compiling a province-scale dataset with its responsibility
// catalogue (src/engine/engine.h, src/catalogue/catalogue.h), and of rule
// matching on it. The dataset is ProvinceOptions::Province(): 532 k regions,
// ~55 k units, and a catalogue of 10,000 items, 500 matters, ~970 dispatch
// rules, 14 scenarios and ~39 k delegations reaching ~590 k (delegation,
// township) pairs (~300 per township). It is generated once per
// process, outside every timed region, and shared by every benchmark.
//
// Workloads:
//   BM_Engine_CompileProvince        Engine::Compile: ValidateDataset plus
//                                    every build (hierarchy, organisation,
//                                    calendar, catalogue). Target ≤ 2 s.
//                                    Counters: engine_MB (Engine::
//                                    MemoryBytes), catalogue_MB (Catalogue::
//                                    MemoryBytes), rss_MB (VmRSS with the
//                                    dataset and one engine alive; it runs
//                                    first, so nothing else is),
//                                    rss_delta_MB (VmRSS growth over the
//                                    first compile: what the engine keeps)
//                                    and dataset_MB (the protobuf
//                                    messages, SpaceUsedLong).
//   BM_Validate_ProvinceWithCatalogue ValidateDataset alone.
//   BM_Catalogue_AnalyzeProvince     AnalyzeCatalogue over the province
//                                    as of 2026-03-02. Target ≤ 10 s.
//   BM_Catalogue_Build               Catalogue::Build alone, on the
//                                    engine's hierarchy and organisation;
//                                    counters catalogue_MB, rules,
//                                    delegations, pairs.
//   BM_Catalogue_MatchRules/0        MatchRules on 1 Mi random cases: a
//                                    random matter in a random grid,
//                                    urgency 1, no attributes, on
//                                    2026-03-02 (the general rules win
//                                    unless a class, urban-rural or county
//                                    rule applies).
//   BM_Catalogue_MatchRules/1        the same with urgency 1–5, a request
//                                    kind and random attributes (site,
//                                    phase, area_m2, licensed), so that
//                                    specific rules and scenarios win too.
//   BM_Catalogue_MatchAndResolve     MatchRules/1, then Resolve of the
//                                    winner's lead at the case's grid.
// Compile-time workloads run 3–5 iterations and report milliseconds; the
// matching workloads report per-case time over 5 repetitions.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "benchmark/benchmark.h"
#include "jiceng/v1/dataset.pb.h"
#include "src/base/civil_date.h"
#include "src/base/splitmix64.h"
#include "src/catalogue/analysis.h"
#include "src/catalogue/catalogue.h"
#include "src/dataset/problems.h"
#include "src/dataset/validate.h"
#include "src/engine/engine.h"
#include "src/gen/province_generator.h"
#include "src/hierarchy/hierarchy.h"

namespace jiceng {
namespace {

// 1 Mi random cases per matching workload.
constexpr size_t kCases = size_t{1} << 20;

// splitmix64: the workloads are the same on every run and machine.
using Rng = SplitMix64;

void Die(const char* what) {
  std::fprintf(stderr, "catalogue_benchmark: %s\n", what);
  std::abort();
}

// The resident set size of this process in MB (VmRSS of /proc/self/status),
// or -1 where there is none.
double ResidentMegabytes() {
  std::FILE* f = std::fopen("/proc/self/status", "r");
  if (f == nullptr) return -1;
  char line[256];
  double mb = -1;
  while (std::fgets(line, sizeof line, f) != nullptr) {
    if (std::strncmp(line, "VmRSS:", 6) == 0) {
      mb = std::strtod(line + 6, nullptr) / 1024.0;  // kB
      break;
    }
  }
  std::fclose(f);
  return mb;
}

// A case for MatchRules: its attributes live in Province::attributes.
struct Case {
  CaseFacts facts;
  uint32_t attributes_begin = 0;
  uint32_t attributes_end = 0;
};

// The generated province. Built on first use, so that generation is never
// inside a timed loop.
struct Generated {
  v1::Dataset dataset;
  double dataset_mb = 0;

  Generated() : dataset(GenerateProvince(ProvinceOptions::Province())) {
    dataset_mb = static_cast<double>(dataset.SpaceUsedLong()) / 1e6;
  }
};

const Generated& GetGenerated() {
  static const Generated* const generated = new Generated();
  return *generated;
}

// The province's compiled engine and the case workloads, built on first use
// (after BM_Engine_CompileProvince, so that its RSS counts one engine only).
struct Province {
  const v1::Dataset& dataset;
  std::unique_ptr<const Engine> engine;
  std::vector<Case> plain_cases;
  std::vector<Case> rich_cases;
  std::vector<AttributeValue> attributes;

  Province() : dataset(GetGenerated().dataset) {
    absl::StatusOr<std::unique_ptr<const Engine>> compiled =
        Engine::Compile(dataset);
    if (!compiled.ok()) Die("Engine::Compile failed on the province");
    engine = std::move(*compiled);
    const Catalogue& c = engine->catalogue();
    const Hierarchy& h = engine->hierarchy();

    std::vector<RegionId> grids;
    for (RegionId id = 0; id < h.size(); ++id) {
      if (h.level(id) == v1::REGION_LEVEL_GRID) grids.push_back(id);
    }
    const int32_t day = DaysFromCivil(2026, 3, 2);
    const AttributeId site = c.FindAttribute("site");
    const AttributeId phase = c.FindAttribute("phase");
    const AttributeId area = c.FindAttribute("area_m2");
    const AttributeId licensed = c.FindAttribute("licensed");
    if (site == kNoIndex || phase == kNoIndex || area == kNoIndex ||
        licensed == kNoIndex) {
      Die("the generated catalogue lacks its attributes");
    }
    const char* sites[] = {
        "road",        "river", "farmland", "construction_site",
        "residential", "park",  "other"};
    const char* phases[] = {"dumping", "transport", "production"};

    Rng rng(20261123);
    plain_cases.reserve(kCases);
    rich_cases.reserve(kCases);
    attributes.reserve(kCases * 2);
    for (size_t i = 0; i < kCases; ++i) {
      Case plain;
      plain.facts.matter = static_cast<MatterId>(rng.Scaled(c.matter_count()));
      plain.facts.location = grids[rng.Scaled(grids.size())];
      plain.facts.urgency = 1;
      plain.facts.day = day;
      plain_cases.push_back(plain);

      Case rich;
      rich.facts.matter = static_cast<MatterId>(rng.Scaled(c.matter_count()));
      rich.facts.location = grids[rng.Scaled(grids.size())];
      rich.facts.urgency = static_cast<int32_t>(1 + rng.Scaled(5));
      rich.facts.request_kind = static_cast<v1::RequestKind>(rng.Scaled(6));
      rich.facts.day = day;
      rich.attributes_begin = static_cast<uint32_t>(attributes.size());
      // In attribute-id order, as CaseFacts requires.
      std::vector<AttributeValue> values;
      if (rng.Scaled(2) == 0) {
        const uint32_t v = c.FindStringValue(sites[rng.Scaled(7)]);
        if (v != kNoIndex) values.push_back({site, v, 0});
      }
      if (rng.Scaled(2) == 0) {
        const uint32_t v = c.FindStringValue(phases[rng.Scaled(3)]);
        if (v != kNoIndex) values.push_back({phase, v, 0});
      }
      if (rng.Scaled(2) == 0) {
        values.push_back({area, 0, static_cast<double>(rng.Scaled(1000))});
      }
      if (rng.Scaled(2) == 0) {
        values.push_back({licensed, static_cast<uint32_t>(rng.Scaled(2)), 0});
      }
      std::sort(values.begin(), values.end(),
                [](const AttributeValue& a, const AttributeValue& b) {
                  return a.attribute < b.attribute;
                });
      attributes.insert(attributes.end(), values.begin(), values.end());
      rich.attributes_end = static_cast<uint32_t>(attributes.size());
      rich_cases.push_back(rich);
    }
    // Spans into `attributes`, now that it no longer grows.
    for (Case& k : rich_cases) {
      k.facts.attributes = absl::MakeConstSpan(attributes)
                               .subspan(k.attributes_begin,
                                        k.attributes_end - k.attributes_begin);
    }
  }
};

const Province& GetProvince() {
  static const Province* const province = new Province();
  return *province;
}

void BM_Engine_CompileProvince(benchmark::State& state) {
  const Generated& p = GetGenerated();
  std::unique_ptr<const Engine> engine;
  double rss_before = -1;
  double rss_delta = -1;
  for (auto _ : state) {
    state.PauseTiming();
    engine.reset();  // one engine at a time
    if (rss_before < 0) rss_before = ResidentMegabytes();
    state.ResumeTiming();
    absl::StatusOr<std::unique_ptr<const Engine>> compiled =
        Engine::Compile(p.dataset);
    if (!compiled.ok()) {
      state.SkipWithError("Engine::Compile failed");
      break;
    }
    engine = std::move(*compiled);
    benchmark::DoNotOptimize(engine.get());
    if (rss_delta < 0) {
      state.PauseTiming();
      rss_delta = ResidentMegabytes() - rss_before;
      state.ResumeTiming();
    }
  }
  if (engine == nullptr) return;
  state.counters["engine_MB"] =
      static_cast<double>(engine->MemoryBytes()) / 1e6;
  state.counters["catalogue_MB"] =
      static_cast<double>(engine->catalogue().MemoryBytes()) / 1e6;
  state.counters["rss_MB"] = ResidentMegabytes();
  state.counters["rss_delta_MB"] = rss_delta;
  state.counters["dataset_MB"] = p.dataset_mb;
}
BENCHMARK(BM_Engine_CompileProvince)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(3);

void BM_Validate_ProvinceWithCatalogue(benchmark::State& state) {
  const Generated& p = GetGenerated();
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
BENCHMARK(BM_Validate_ProvinceWithCatalogue)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(3);

void BM_Catalogue_Build(benchmark::State& state) {
  const Province& p = GetProvince();
  const Engine& e = *p.engine;
  size_t bytes = 0;
  size_t rules = 0;
  size_t delegations = 0;
  size_t pairs = 0;
  for (auto _ : state) {
    absl::StatusOr<Catalogue> c =
        Catalogue::Build(p.dataset, e.hierarchy(), e.organization());
    if (!c.ok()) {
      state.SkipWithError("Catalogue::Build failed");
      break;
    }
    bytes = c->MemoryBytes();
    rules = c->rule_count();
    delegations = c->delegation_count();
    benchmark::DoNotOptimize(c);
  }
  const Catalogue& c = e.catalogue();
  for (DelegationIndex i = 0; i < c.delegation_count(); ++i) {
    pairs += c.delegation(i).townships.size();
  }
  state.counters["catalogue_MB"] = static_cast<double>(bytes) / 1e6;
  state.counters["rules"] = static_cast<double>(rules);
  state.counters["delegations"] = static_cast<double>(delegations);
  state.counters["pairs"] = static_cast<double>(pairs);
}
BENCHMARK(BM_Catalogue_Build)->Unit(benchmark::kMillisecond)->Iterations(5);

// Arg 0: plain cases (urgency 1, no attributes); arg 1: rich cases.
void BM_Catalogue_MatchRules(benchmark::State& state) {
  const Province& p = GetProvince();
  const Catalogue& c = p.engine->catalogue();
  const std::vector<Case>& cases =
      state.range(0) == 0 ? p.plain_cases : p.rich_cases;
  size_t i = 0;
  int64_t unique = 0;
  for (auto _ : state) {
    const RuleMatch m = c.MatchRules(cases[i].facts);
    unique += m.outcome == RuleMatch::kUnique;
    benchmark::DoNotOptimize(m.winner);
    if (++i == cases.size()) i = 0;
  }
  if (unique != static_cast<int64_t>(state.iterations())) {
    state.SkipWithError("a generated case matched no rule or several");
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}
BENCHMARK(BM_Catalogue_MatchRules)
    ->Arg(0)
    ->Arg(1)
    ->Repetitions(5)
    ->ReportAggregatesOnly(true);

void BM_Catalogue_MatchAndResolve(benchmark::State& state) {
  const Province& p = GetProvince();
  const Catalogue& c = p.engine->catalogue();
  size_t i = 0;
  int64_t resolved = 0;
  for (auto _ : state) {
    const CaseFacts& f = p.rich_cases[i].facts;
    const RuleMatch m = c.MatchRules(f);
    if (m.outcome == RuleMatch::kUnique) {
      const Handler lead = c.Resolve(c.rule(m.winner).lead, f.location);
      resolved += lead.kind != Handler::kNone;
      benchmark::DoNotOptimize(lead);
    }
    if (++i == p.rich_cases.size()) i = 0;
  }
  if (resolved != static_cast<int64_t>(state.iterations())) {
    state.SkipWithError("a generated case found no lead");
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}
BENCHMARK(BM_Catalogue_MatchAndResolve)
    ->Repetitions(5)
    ->ReportAggregatesOnly(true);

// The reform office's check of the whole province catalogue (gaps,
// overlaps, two leads, unresolved roles over every township, delegations
// without a team, references). Target ≤ 10 s.
void BM_Catalogue_AnalyzeProvince(benchmark::State& state) {
  const Province& p = GetProvince();
  const int32_t day = *ParseIsoDate("2026-03-02");
  int64_t findings = 0, errors = 0;
  for (auto _ : state) {
    v1::CatalogueAnalysis a = AnalyzeCatalogue(p.engine->catalogue(), day);
    findings = a.findings_size();
    errors = a.error_count();
    benchmark::DoNotOptimize(a);
  }
  state.counters["findings"] = static_cast<double>(findings);
  state.counters["errors"] = static_cast<double>(errors);
}
BENCHMARK(BM_Catalogue_AnalyzeProvince)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(2);

}  // namespace
}  // namespace jiceng

BENCHMARK_MAIN();
