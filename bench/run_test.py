#!/usr/bin/python3
# Copyright 2026 The jiceng Authors.
# SPDX-License-Identifier: Apache-2.0
"""Tests of bench/run (the benchmark kit's runner): its targets, verdicts and
units on canned Google Benchmark JSON, its argument errors, and whole runs
on a fake build directory (shell scripts standing in for jiceng, a suite and
sql_baseline), so no build and no benchmark is needed.

With JICENG_SQL_BASELINE set to a built sql_baseline, also its usage errors.
Standard library only: /usr/bin/python3 bench/run_test.py.
"""

import importlib.machinery
import importlib.util
import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
RUN = os.path.join(HERE, "run")


def load_run():
    loader = importlib.machinery.SourceFileLoader("bench_run", RUN)
    spec = importlib.util.spec_from_loader("bench_run", loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


R = load_run()


def canned(b1=2.34e6, b2=3.95e6, route=6e6, p99=900.0):
    """Google Benchmark JSON of workload_benchmark, as bench/run keeps it."""
    benchmarks = [
        {"name": "BM_Workload_Route", "real_time": 160.0, "cpu_time": 139.2,
         "time_unit": "ns", "items_per_second": route,
         "allocs_per_decision": 0.0},
        {"name": "BM_Workload_RouteLatency", "real_time": 5.0,
         "cpu_time": 5.0, "time_unit": "ms", "p99_ns": p99},
    ]
    if b1 is not None:
        benchmarks.append({"name": "BM_Workload_Batch/threads:1/real_time",
                           "real_time": 2.1, "cpu_time": 2.0,
                           "time_unit": "ms", "items_per_second": b1})
    if b2 is not None:
        benchmarks.append({"name": "BM_Workload_Batch/threads:2/real_time",
                           "real_time": 1.3, "cpu_time": 0.1,
                           "time_unit": "ms", "items_per_second": b2})
    return {"workload_benchmark": {"benchmarks": benchmarks}}


def row(rows, prefix):
    found = [r for r in rows if r["target"].startswith(prefix)]
    assert len(found) == 1, (prefix, [r["target"] for r in rows])
    return found[0]


class TargetsTest(unittest.TestCase):

    def test_two_thread_ratio_missed(self):
        r = row(R.targets(canned(), {}), "batch, 2 threads / 1 thread")
        self.assertAlmostEqual(r["value"], 3.95 / 2.34)
        self.assertEqual(r["goal"], 1.8)
        self.assertEqual(r["unit"], "x")
        self.assertTrue(r["verdict"].startswith("missed"), r["verdict"])

    def test_two_thread_ratio_met(self):
        r = row(R.targets(canned(b1=2e6, b2=3.7e6), {}),
                "batch, 2 threads / 1 thread")
        self.assertEqual(r["verdict"], "met")

    def test_two_thread_ratio_not_run(self):
        for results in (canned(b2=None), canned(b1=None), {}):
            r = row(R.targets(results, {}), "batch, 2 threads / 1 thread")
            self.assertIsNone(r["value"])
            self.assertTrue(r["verdict"].startswith("not run"))

    def test_core_route_and_latency(self):
        rows = R.targets(canned(route=6e6, p99=1100.0), {})
        self.assertEqual(row(rows, "core route on")["verdict"], "met")
        self.assertEqual(row(rows, "core route latency")["verdict"],
                         "missed (1.10x over)")
        self.assertEqual(row(rows, "batch, 1 thread")["verdict"],
                         "missed (1.28x short)")

    def test_quick_mode_never_met(self):
        rows = R.targets(canned(route=9e6), {}, final=False)
        for r in rows:
            self.assertNotEqual(r["verdict"], "met")
            self.assertFalse(r["verdict"].startswith("met"))
            if r["value"] is not None:
                self.assertTrue(r["verdict"].startswith(R.QUICK_VERDICT),
                                r["verdict"])
                self.assertTrue(r["indicative"])

    def test_final_verdicts(self):
        self.assertTrue(R.final_verdicts({"mode": "full",
                                          "preset": "province"}))
        self.assertFalse(R.final_verdicts({"mode": "quick",
                                           "preset": "small"}))
        self.assertFalse(R.final_verdicts({"mode": "unknown",
                                           "preset": "province"}))

    def test_region_index_label(self):
        results = {"hierarchy_benchmark": {"benchmarks": [
            {"name": "BM_Hierarchy_Build", "bytes_per_grid": 35.0}]}}
        r = row(R.targets(results, {}), "region index bytes per grid")
        self.assertIn("whole", r["target"])
        self.assertEqual(r["value"], 35.0)


class UnitsTest(unittest.TestCase):

    def test_rss_mb_is_decimal(self):
        # ru_maxrss is in KiB: 1,000,000 KiB = 1,024,000,000 bytes.
        self.assertEqual(R.rss_mb(1000000), 1024.0)
        self.assertEqual(R.rss_mb(1024), 1.0)

    def test_markdown(self):
        report = {
            "mode": "quick", "preset": "small",
            "machine": {"nproc": 2, "cpus_usable": 1},
            "benchmarks": canned(), "skipped": [],
            "failed": {"capi_benchmark": "capi_benchmark failed (exit 1)"},
            "baselines": {
                "sqlite": {"backend": "sqlite", "exit_code": 0,
                           "gate_cases": 5000, "sql_p50_ns": 20000,
                           "sql_cpu_per_second": 3e4,
                           "ratio_route_cpu": 46.0},
                "postgres": {"backend": "postgres", "exit_code": 0,
                             "gate_cases": 2000, "sql_cpu_per_second": 2700,
                             "ratio_route_cpu": 3100.0}}}
        report["targets"] = R.targets(report["benchmarks"],
                                      report["baselines"], final=False)
        md = R.markdown(report)
        self.assertIn("MB = 10^6 bytes", md)
        self.assertIn("| wall time | CPU time | items/s |", md)
        # BM_Workload_Route: wall 160 ns, CPU 139 ns, both shown.
        self.assertIn("| 160 ns | 139 ns | 6.00 M |", md)
        self.assertIn("2 CPUs, 1 usable", md)
        self.assertIn("FAILED: capi_benchmark failed (exit 1)", md)
        pg = [l for l in md.splitlines() if l.startswith("| postgres |")][0]
        self.assertIn("n/a (client CPU only", pg)
        self.assertNotIn("3.1 k", pg)
        self.assertNotIn("2.7 k", pg)
        sqlite = [l for l in md.splitlines() if l.startswith("| sqlite |")][0]
        # p50 20 us; p99 and p99.9 absent: "-", not 0.
        self.assertIn("| 20 | - | - |", sqlite)
        self.assertIn("| 46 |", sqlite)
        self.assertNotIn("| met |", md)


class MachineTest(unittest.TestCase):

    def setUp(self):
        self.tmp = tempfile.mkdtemp()
        self.proc = os.path.join(self.tmp, "cgroup")

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def write(self, rel, text):
        path = os.path.join(self.tmp, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(text)

    def test_v2(self):
        self.write("cgroup", "0::/user.slice\n")
        self.write("fs/user.slice/cpu.max", "150000 100000\n")
        self.assertEqual(R.cgroup_cpu_limit(os.path.join(self.tmp, "fs"),
                                            self.proc),
                         "1.50 CPUs (cgroup v2 cpu.max 150000 100000)")

    def test_v2_root_unlimited(self):
        self.write("cgroup", "0::/\n")
        self.write("fs/cpu.max", "max 100000\n")
        self.assertTrue(R.cgroup_cpu_limit(os.path.join(self.tmp, "fs"),
                                           self.proc).startswith("unlimited"))

    def test_v1(self):
        self.write("cgroup", "4:cpu,cpuacct:/docker/x\n1:memory:/docker/x\n")
        self.write("fs/cpu/cpu.cfs_quota_us", "-1\n")
        self.write("fs/cpu/cpu.cfs_period_us", "100000\n")
        self.assertEqual(R.cgroup_cpu_limit(os.path.join(self.tmp, "fs"),
                                            self.proc),
                         "unlimited (cgroup v1 cpu.cfs_quota_us -1)")
        self.write("fs/cpu/docker/x/cpu.cfs_quota_us", "50000\n")
        self.write("fs/cpu/docker/x/cpu.cfs_period_us", "100000\n")
        self.assertTrue(R.cgroup_cpu_limit(
            os.path.join(self.tmp, "fs"), self.proc).startswith("0.50 CPUs"))

    def test_unavailable(self):
        self.assertEqual(R.cgroup_cpu_limit(os.path.join(self.tmp, "fs"),
                                            self.proc), "unavailable")

    def test_usable_cpus(self):
        self.assertEqual(R.usable_cpus(), len(os.sched_getaffinity(0)))

    def test_postgres_server_not_client(self):
        root = os.path.join(self.tmp, "pg")
        self.write("pg/15/bin/psql", "")
        self.assertIsNone(R.postgres_bindir(root))
        for x in ("initdb", "pg_ctl", "postgres"):
            self.write("pg/15/bin/" + x, "")
        self.assertEqual(R.postgres_bindir(root),
                         os.path.join(root, "15", "bin"))


class BaselineResultTest(unittest.TestCase):

    def test_not_available(self):
        r = R.baseline_result(3, None)
        self.assertIn("not available in this build", r["skipped"])

    def test_gate_failed(self):
        r = R.baseline_result(1, {"gate_passed": False, "gate_mismatches": 4})
        self.assertIn("correctness gate failed", r["failure"])

    def test_other_failure(self):
        r = R.baseline_result(2, None)
        self.assertEqual(r["failure"], "sql_baseline failed (exit 2)")

    def test_pass(self):
        r = R.baseline_result(0, {"gate_passed": True})
        self.assertNotIn("failure", r)


FAKE_JICENG = """#!/bin/sh
# jiceng generate --preset P -o FILE | jiceng workload DATASET -o FILE
out=""
while [ $# -gt 0 ]; do
  if [ "$1" = "-o" ]; then out="$2"; fi
  shift
done
echo "fake $out" > "$out"
"""

FAKE_SUITE = """#!/bin/sh
out=""
for a in "$@"; do
  case "$a" in
    --benchmark_out=*) out="${a#--benchmark_out=}" ;;
    --benchmark_min_time=abc) echo "bad min time" >&2; exit 1 ;;
  esac
done
cat > "$out" <<'EOF'
%s
EOF
"""

FAKE_SQL = """#!/bin/sh
# Fake sql_baseline: sqlite only; FAKE_GATE=fail makes the gate fail.
if [ "$1" = "--backends" ]; then echo sqlite; exit 0; fi
out=""
while [ $# -gt 0 ]; do
  if [ "$1" = "--json" ]; then out="$2"; fi
  shift
done
if [ "$FAKE_GATE" = "fail" ]; then
  echo '{"backend": "sqlite", "gate_cases": 5000, "gate_mismatches": 3,
    "gate_passed": false}' > "$out"
  exit 1
fi
echo '{"backend": "sqlite", "gate_cases": 5000, "gate_mismatches": 0,
  "sql_per_second": 30000, "sql_p50_ns": 30000, "sql_p99_ns": 50000,
  "sql_p999_ns": 90000, "ratio_route": 40, "ratio_route_to_proto": 10,
  "sql_cpu_per_second": 31000, "ratio_route_cpu": 45,
  "gate_passed": true}' > "$out"
"""


class RunScriptTest(unittest.TestCase):
    """bench/run itself, on a fake build directory."""

    def setUp(self):
        self.tmp = tempfile.mkdtemp()
        self.build = os.path.join(self.tmp, "build")
        os.makedirs(os.path.join(self.build, "bin"))
        os.makedirs(os.path.join(self.build, "bench"))
        self.script("bin/jiceng", FAKE_JICENG)
        self.script("bench/workload_benchmark",
                    FAKE_SUITE % json.dumps(
                        canned(route=9e6)["workload_benchmark"]))
        self.script("bench/sql_baseline", FAKE_SQL)
        self.out = os.path.join(self.tmp, "out")

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def script(self, rel, text):
        path = os.path.join(self.build, rel)
        with open(path, "w") as f:
            f.write(text)
        os.chmod(path, os.stat(path).st_mode | stat.S_IXUSR)

    def run_kit(self, *args, env=None):
        p = subprocess.run([sys.executable, RUN] + list(args),
                           capture_output=True, text=True,
                           env=dict(os.environ, **(env or {})), timeout=120)
        self.assertNotIn("Traceback", p.stderr)
        return p

    def quick(self, *args, env=None):
        return self.run_kit("--no-build", "--quick", "--build-dir",
                            self.build, "--out", self.out, "--suites",
                            "workload_benchmark", *args, env=env)

    def results(self):
        with open(os.path.join(self.out, "bench-results.json")) as f:
            return json.load(f)

    def test_unknown_suite(self):
        p = self.run_kit("--no-build", "--quick", "--suites",
                         "bogus_benchmark", "--out", self.out)
        self.assertEqual(p.returncode, 2)
        self.assertIn("unknown suite bogus_benchmark", p.stderr)
        self.assertFalse(os.path.exists(self.out))

    def test_report_only_missing_directory(self):
        p = self.run_kit("--report-only", "--out", self.out)
        self.assertEqual(p.returncode, 2)
        self.assertIn("not a directory", p.stderr)
        self.assertFalse(os.path.exists(self.out))

    def test_report_only_empty_directory(self):
        os.makedirs(self.out)
        p = self.run_kit("--report-only", "--out", self.out)
        self.assertEqual(p.returncode, 2)
        self.assertEqual(os.listdir(self.out), [])

    def test_out_is_a_file(self):
        with open(self.out, "w") as f:
            f.write("x")
        p = self.quick()
        self.assertEqual(p.returncode, 2)
        self.assertIn("is not a directory", p.stderr)

    def test_no_jiceng(self):
        os.remove(os.path.join(self.build, "bin", "jiceng"))
        p = self.quick()
        self.assertEqual(p.returncode, 2)
        self.assertIn("bench/run: no jiceng binary", p.stderr)

    def test_failed_generation(self):
        self.script("bin/jiceng", "#!/bin/sh\nexit 4\n")
        p = self.quick("--no-sql")
        self.assertEqual(p.returncode, 2)
        self.assertIn("dataset generation (jiceng generate) failed (exit 4)",
                      p.stderr)

    def test_failed_configure(self):
        p = self.run_kit("--quick", "--no-sql", "--build-dir",
                         "/proc/nonexistent/build", "--out", self.out)
        self.assertEqual(p.returncode, 2)
        self.assertIn("bench/run: cmake configure", p.stderr)

    def test_quick_run_and_report_only(self):
        p = self.quick()
        self.assertEqual(p.returncode, 0, p.stderr)
        r = self.results()
        self.assertEqual(r["mode"], "quick")
        self.assertIn("cpus_usable", r["machine"])
        for t in r["targets"]:
            self.assertNotEqual(t["verdict"], "met")
        ratio = row(r["targets"], "batch, 2 threads / 1 thread")
        self.assertAlmostEqual(ratio["value"], 3.95 / 2.34)
        self.assertIn("not available in this build",
                      r["baselines"]["postgres"]["skipped"])
        self.assertEqual(r["baselines"]["sqlite"]["exit_code"], 0)
        with open(os.path.join(self.out, "run.json")) as f:
            saved = json.load(f)
        # --report-only: the run's provenance, not now's.
        saved["machine"]["git_commit"] = "0" * 40
        saved["machine"]["date_utc"] = "2000-01-01T00:00:00Z"
        with open(os.path.join(self.out, "run.json"), "w") as f:
            json.dump(saved, f)
        p = self.run_kit("--report-only", "--out", self.out)
        self.assertEqual(p.returncode, 0, p.stderr)
        again = self.results()
        self.assertEqual(again["mode"], "quick")
        self.assertEqual(again["preset"], "small")
        self.assertEqual(again["machine"]["git_commit"], "0" * 40)
        self.assertEqual(again["machine"]["date_utc"], "2000-01-01T00:00:00Z")
        self.assertEqual(again["workload"], r["workload"])
        self.assertEqual(again["skipped"], r["skipped"])
        self.assertEqual(again["baselines"]["postgres"],
                         r["baselines"]["postgres"])
        self.assertEqual(again["targets"], r["targets"])
        self.assertIn("report_rewritten_utc", again)

    def test_failed_suite(self):
        p = self.quick("--no-sql", "--min-time", "abc")
        self.assertEqual(p.returncode, 1)
        self.assertIn("workload_benchmark failed (exit 1)", p.stderr)
        r = self.results()
        self.assertIsNone(r["benchmarks"]["workload_benchmark"])
        self.assertIn("workload_benchmark", r["failed"])
        # A rewritten report keeps the failure (no stale file is read).
        p = self.run_kit("--report-only", "--out", self.out)
        self.assertEqual(p.returncode, 1)
        self.assertIsNone(self.results()["benchmarks"]["workload_benchmark"])

    def test_absent_known_suite_is_skipped(self):
        p = self.run_kit("--no-build", "--quick", "--no-sql", "--build-dir",
                         self.build, "--out", self.out, "--suites",
                         "capi_benchmark")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("skipping capi_benchmark: not built", p.stderr)

    def test_gate_failure(self):
        p = self.quick("--no-postgres", env={"FAKE_GATE": "fail"})
        self.assertEqual(p.returncode, 1)
        self.assertIn("sqlite baseline: correctness gate failed", p.stderr)


@unittest.skipUnless(os.environ.get("JICENG_SQL_BASELINE"),
                     "JICENG_SQL_BASELINE (a built sql_baseline) not set")
class SqlBaselineUsageTest(unittest.TestCase):

    def sql(self, *args):
        return subprocess.run([os.environ["JICENG_SQL_BASELINE"]] +
                              list(args), capture_output=True, text=True,
                              timeout=120)

    def test_negative_numbers(self):
        for flag in ("--gate", "--time-cases", "--cases"):
            p = self.sql("--preset", "small", flag, "-5")
            self.assertEqual(p.returncode, 2, flag)
            self.assertIn("must not be negative", p.stderr)

    def test_unwritable_json(self):
        p = self.sql("--preset", "small", "--cases", "100", "--gate", "100",
                     "--time-cases", "0", "--json", "/nonexistent/dir/x.json")
        self.assertEqual(p.returncode, 2)
        self.assertIn("cannot write --json", p.stderr)

    def test_backends(self):
        p = self.sql("--backends")
        self.assertEqual(p.returncode, 0)
        backends = p.stdout.split()
        self.assertIn("sqlite", backends)
        if "postgres" not in backends:
            p = self.sql("--preset", "small", "--backend", "postgres")
            self.assertEqual(p.returncode, 3)
            self.assertIn("not available in this build", p.stderr)

    def test_unknown_backend(self):
        p = self.sql("--backend", "oracle")
        self.assertEqual(p.returncode, 2)


if __name__ == "__main__":
    unittest.main()
