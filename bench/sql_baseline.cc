// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0
//
// sql_baseline: jiceng against a relational database on the same decisions
// (issue #7). Loads one dataset into jiceng and into SQL tables
// (bench/sql/schema.sql, bench/sql_router.h), reads the benchmark kit's
// case stream, then:
//   1. correctness gate: for the first --gate cases, jiceng's decision
//      (Router::Decide) and the SQL decision must agree on refusal and on
//      outcome, lead, co-handlers, tier, handle deadline and rule id. Any
//      mismatch is printed and the program exits 1 without timing anything;
//   2. timing: the SQL decisions over --time-cases cases (per-case latency),
//      jiceng's Router::Route and Route + ToProto over the same cases, and
//      the ratios, in wall-clock time and (for in-process work) in this
//      thread's CPU time, which a shared, busy machine distorts less.
// The result is one JSON object (stdout, or --json FILE).
//
// usage: sql_baseline (--dataset FILE | --preset PRESET)
//          [--workload FILE | --cases N] [--gate N] [--time-cases N]
//          [--backend sqlite|postgres] [--pg CONNINFO] [--schema FILE]
//          [--json FILE]
//        sql_baseline --backends
//
// Exit status: 0 the gate passed (and the timing ran); 1 the correctness
// gate failed (mismatches, or no case gated); 2 a usage error or a failure
// (unreadable input, database error, --json not writable); 3 the back end
// is not available in this build (postgres without libpq). --backends
// prints the back ends this build has, one per line, and exits 0.

#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "bench/sql_router.h"
#include "src/dataset/dataset_io.h"
#include "src/engine/engine.h"
#include "src/gen/province_generator.h"
#include "src/gen/workload_generator.h"
#include "src/routing/batch.h"
#include "src/routing/router.h"

#ifndef JICENG_SQL_SCHEMA
#define JICENG_SQL_SCHEMA "bench/sql/schema.sql"
#endif

namespace jiceng {
namespace bench {
namespace {

using Clock = std::chrono::steady_clock;

double Seconds(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

// This thread's CPU time in seconds: on a shared machine, the fair measure
// of in-process work (SQLite and jiceng); a server's work is not in it.
double ThreadCpuSeconds() {
  timespec t;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

struct Flags {
  std::string dataset, preset = "small", workload, backend = "sqlite", pg,
                       schema = JICENG_SQL_SCHEMA, json;
  int64_t cases = 200000, gate = 100000, time_cases = 20000;
};

int Die(const std::string& what) {
  std::cerr << "sql_baseline: " << what << "\n";
  return 2;
}

// The exit status of a back end this build does not have.
constexpr int kNotAvailable = 3;

#ifdef JICENG_HAVE_LIBPQ
constexpr bool kHavePostgres = true;
#else
constexpr bool kHavePostgres = false;
#endif

double Percentile(std::vector<int64_t>& v, double q) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return static_cast<double>(v[static_cast<size_t>(q * (v.size() - 1))]);
}

int Run(const Flags& f) {
  if (f.backend != "sqlite" && f.backend != "postgres") {
    return Die("--backend is sqlite or postgres");
  }
  if (f.backend == "postgres" && !kHavePostgres) {
    std::cerr << "sql_baseline: not available in this build: built without "
                 "libpq, no postgres back end\n";
    return kNotAvailable;
  }
  // The output file, opened first: an unwritable --json fails at once.
  std::ofstream out;
  if (!f.json.empty()) {
    out.open(f.json, std::ios::out | std::ios::trunc);
    if (!out) return Die(absl::StrCat("cannot write --json ", f.json));
  }

  // The dataset.
  v1::Dataset dataset;
  if (!f.dataset.empty()) {
    absl::StatusOr<v1::Dataset> d =
        ReadDatasetFile(f.dataset, DatasetFormat::kAuto);
    if (!d.ok()) return Die(std::string(d.status().message()));
    dataset = std::move(*d);
  } else {
    ProvinceOptions options;
    if (!ProvincePreset(f.preset, &options)) {
      return Die("--preset is small, province or ten-provinces");
    }
    dataset = GenerateProvince(options);
  }
  absl::StatusOr<std::unique_ptr<const Engine>> engine =
      Engine::Compile(dataset);
  if (!engine.ok()) return Die(std::string(engine.status().message()));
  const Router router(**engine);

  // The cases.
  std::string stream;
  if (!f.workload.empty()) {
    std::ifstream in(f.workload, std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    if (!in) return Die(absl::StrCat("cannot read ", f.workload));
    stream = buffer.str();
  } else {
    WorkloadOptions options;
    options.cases = f.cases;
    absl::StatusOr<std::string> s = GenerateWorkload(dataset, options);
    if (!s.ok()) return Die(std::string(s.status().message()));
    stream = std::move(*s);
  }
  std::vector<absl::string_view> frames;
  absl::Status split = SplitDelimited(stream, &frames);
  if (!split.ok()) return Die(std::string(split.message()));
  std::vector<v1::Case> cases(frames.size());
  for (size_t i = 0; i < frames.size(); ++i) {
    if (!cases[i].ParseFromArray(frames[i].data(),
                                 static_cast<int>(frames[i].size()))) {
      return Die(absl::StrCat("case ", i, " does not parse"));
    }
  }

  // The database.
  std::ifstream schema_in(f.schema);
  std::stringstream schema;
  schema << schema_in.rdbuf();
  if (!schema_in) return Die(absl::StrCat("cannot read ", f.schema));
  absl::StatusOr<std::unique_ptr<SqlDatabase>> db;
  if (f.backend == "sqlite") {
    db = OpenSqlite();
  } else if (f.backend == "postgres") {
#ifdef JICENG_HAVE_LIBPQ
    db = OpenPostgres(f.pg);
#else
    return kNotAvailable;  // Checked above.
#endif
  }
  if (!db.ok()) return Die(std::string(db.status().message()));
  const std::string db_name = (*db)->Name();
  const Clock::time_point t0 = Clock::now();
  absl::StatusOr<std::unique_ptr<SqlRouter>> sql =
      SqlRouter::Load(std::move(*db), schema.str(), dataset);
  const Clock::time_point t1 = Clock::now();
  if (!sql.ok()) return Die(std::string(sql.status().message()));
  std::cerr << "sql_baseline: " << db_name << " loaded in "
            << absl::StrFormat("%.2f", Seconds(t0, t1)) << " s\n";

  // 1. The correctness gate.
  const size_t gate = std::min<size_t>(static_cast<size_t>(f.gate),
                                       cases.size());
  size_t mismatches = 0, refused = 0;
  SqlDecision got;
  const Clock::time_point g0 = Clock::now();
  for (size_t i = 0; i < gate; ++i) {
    const v1::Case& c = cases[i];
    absl::StatusOr<v1::RoutingDecision> want = router.Decide(c);
    absl::Status status = (*sql)->Decide(c, &got);
    std::string diff;
    if (want.ok() != status.ok()) {
      diff = absl::StrCat("jiceng ",
                          want.ok() ? "decides" : want.status().ToString(),
                          ", SQL ", status.ok() ? "decides" : status.ToString());
    } else if (want.ok()) {
      diff = Describe(FromRoutingDecision(*want), got);
    } else {
      ++refused;
    }
    if (!diff.empty()) {
      if (++mismatches <= 20) {
        std::cerr << "MISMATCH case " << c.id() << " (" << c.ShortDebugString()
                  << "): " << diff << "\n";
      }
    }
  }
  const double gate_seconds = Seconds(g0, Clock::now());
  std::cerr << "sql_baseline: gate " << gate << " cases, " << mismatches
            << " mismatches, " << refused << " refused by both ("
            << absl::StrFormat("%.1f", gate_seconds) << " s)\n";

  std::ostringstream json;
  json << "{\"backend\": \"" << db_name << "\", \"cases\": " << cases.size()
       << ", \"regions\": " << dataset.regions_size()
       << ", \"load_seconds\": " << Seconds(t0, t1)
       << ", \"gate_cases\": " << gate << ", \"gate_mismatches\": " << mismatches
       << ", \"gate_refused_by_both\": " << refused
       << ", \"gate_seconds\": " << gate_seconds;
  const bool pass = mismatches == 0 && gate > 0;
  // SQLite runs in this thread; a server's work is in another process, so
  // this thread's CPU time leaves it out and no per-CPU ratio is given.
  const bool in_process = f.backend == "sqlite";
  static constexpr char kNoCpuRatio[] =
      "not applicable: the server's work is in another process (client CPU "
      "only)";
  if (pass && f.time_cases > 0) {
    // 2. Timing, on the same cases for both.
    const size_t n = std::min<size_t>(static_cast<size_t>(f.time_cases),
                                      cases.size());
    std::vector<int64_t> ns;
    ns.reserve(n);
    const double c0 = ThreadCpuSeconds();
    const Clock::time_point s0 = Clock::now();
    for (size_t i = 0; i < n; ++i) {
      const Clock::time_point a = Clock::now();
      absl::Status st = (*sql)->Decide(cases[i], &got);
      ns.push_back(std::chrono::duration_cast<std::chrono::nanoseconds>(
                       Clock::now() - a)
                       .count());
      (void)st;
    }
    const double sql_seconds = Seconds(s0, Clock::now());
    const double sql_cpu_rate =
        static_cast<double>(n) / (ThreadCpuSeconds() - c0);
    const double sql_rate = static_cast<double>(n) / sql_seconds;
    const double p50 = Percentile(ns, 0.5), p99 = Percentile(ns, 0.99),
                 p999 = Percentile(ns, 0.999);

    RouteResult r;
    int64_t route_calls = 0;
    const double c1 = ThreadCpuSeconds();
    const Clock::time_point k0 = Clock::now();
    Clock::time_point k1;
    do {
      for (size_t i = 0; i < n; ++i) {
        (void)router.Route(cases[i], &r);
        ++route_calls;
      }
      k1 = Clock::now();
    } while (Seconds(k0, k1) < 0.5);
    const double route_rate =
        static_cast<double>(route_calls) / Seconds(k0, k1);
    const double route_cpu_rate =
        static_cast<double>(route_calls) / (ThreadCpuSeconds() - c1);
    v1::RoutingDecision d;
    const v1::RouteOptions options;
    int64_t proto_calls = 0;
    const Clock::time_point m0 = Clock::now();
    Clock::time_point m1;
    do {
      for (size_t i = 0; i < n; ++i) {
        if (router.Route(cases[i], &r).ok()) {
          router.ToProto(cases[i], r, options, &d);
        }
        ++proto_calls;
      }
      m1 = Clock::now();
    } while (Seconds(m0, m1) < 0.5);
    const double proto_rate =
        static_cast<double>(proto_calls) / Seconds(m0, m1);
    json << ", \"timed_cases\": " << n << ", \"sql_per_second\": " << sql_rate
         << ", \"sql_p50_ns\": " << p50 << ", \"sql_p99_ns\": " << p99
         << ", \"sql_p999_ns\": " << p999
         << ", \"jiceng_route_per_second\": " << route_rate
         << ", \"jiceng_route_to_proto_per_second\": " << proto_rate
         << ", \"jiceng_route_cpu_per_second\": " << route_cpu_rate;
    if (in_process) {
      json << ", \"sql_cpu_per_second\": " << sql_cpu_rate
           << ", \"ratio_route_cpu\": " << route_cpu_rate / sql_cpu_rate;
    } else {
      json << ", \"ratio_route_cpu_not_applicable\": \"" << kNoCpuRatio << "\"";
    }
    json << ", \"ratio_route\": " << route_rate / sql_rate
         << ", \"ratio_route_to_proto\": " << proto_rate / sql_rate;
    std::cerr << absl::StrFormat(
        "sql_baseline: SQL %.0f decisions/s (p50 %.1f us, p99 %.1f us); "
        "jiceng Route %.0f/s (%.0fx), Route+ToProto %.0f/s (%.0fx)",
        sql_rate, p50 / 1000, p99 / 1000, route_rate, route_rate / sql_rate,
        proto_rate, proto_rate / sql_rate);
    if (in_process) {
      std::cerr << absl::StrFormat(
          "; per CPU second: SQL %.0f/s, jiceng Route %.0f/s (%.0fx)\n",
          sql_cpu_rate, route_cpu_rate, route_cpu_rate / sql_cpu_rate);
    } else {
      std::cerr << "; per CPU second: " << kNoCpuRatio << "\n";
    }
  }
  json << ", \"gate_passed\": " << (pass ? "true" : "false") << "}\n";
  if (f.json.empty()) {
    std::cout << json.str();
  } else {
    out << json.str();
    out.close();
    if (!out) return Die(absl::StrCat("cannot write --json ", f.json));
  }
  return pass ? 0 : 1;
}

}  // namespace
}  // namespace bench
}  // namespace jiceng

int main(int argc, char** argv) {
  jiceng::bench::Flags f;
  if (argc == 2 && std::string(argv[1]) == "--backends") {
    std::cout << "sqlite\n";
    if (jiceng::bench::kHavePostgres) std::cout << "postgres\n";
    return 0;
  }
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (i + 1 >= argc) return jiceng::bench::Die("missing value for " + a);
    const std::string v = argv[++i];
    bool ok = true;
    if (a == "--dataset") f.dataset = v;
    else if (a == "--preset") f.preset = v;
    else if (a == "--workload") f.workload = v;
    else if (a == "--backend") f.backend = v;
    else if (a == "--pg") f.pg = v;
    else if (a == "--schema") f.schema = v;
    else if (a == "--json") f.json = v;
    else if (a == "--cases") ok = absl::SimpleAtoi(v, &f.cases);
    else if (a == "--gate") ok = absl::SimpleAtoi(v, &f.gate);
    else if (a == "--time-cases") ok = absl::SimpleAtoi(v, &f.time_cases);
    else return jiceng::bench::Die("unknown flag " + a);
    if (!ok) return jiceng::bench::Die("bad number for " + a);
  }
  if (f.cases < 0 || f.gate < 0 || f.time_cases < 0) {
    return jiceng::bench::Die(
        "--cases, --gate and --time-cases must not be negative");
  }
  return jiceng::bench::Run(f);
}
