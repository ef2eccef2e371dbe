#!/usr/bin/env python3
# Copyright 2026 The jiceng Authors.
# SPDX-License-Identifier: Apache-2.0
"""Throughput of the Python binding's batch routing, in cases per second.

Workloads (each the best of --repeat runs over --cases cases, made by
repeating the dataset's sample case stream):
  stream_lazy     route_stream(prepared stream): the binding's fast path.
                  Cases arrive already serialized and length-delimited;
                  results come back as a Batch parsed only when read.
  stream_parsed   the same, then every BatchEntry parsed into a message.
  bytes_lazy      route_many(list of serialized cases): framing in Python.
  messages_lazy   route_many(list of Case messages): serialization and
                  framing in Python.
  messages_parsed route_many(messages) and every entry parsed: the whole
                  round trip from Python objects to Python objects.
  messages_decisions  the same through Batch.results(): a RoutingDecision
                  (or the case's error) per case.
  route_single    engine.route_bytes(case) one call at a time, one thread.

Usage (after building; the package must be importable, e.g. from the
build's venv or with PYTHONPATH=build/bindings/python/package):
  python3 bindings/python/bench/route_many_benchmark.py \\
      --cases-file build/bindings/python/expected/cases.bin [--dataset F]
      [--cases 500000] [--threads 0] [--repeat 3]
"""

from __future__ import annotations

import argparse
import time

import jiceng
from jiceng import _stream
from jiceng.v1 import routing_pb2


def best(fn, repeat: int):
    """(wall seconds, CPU seconds of the whole process) of the fastest run.
    On a loaded machine the CPU time is the steadier figure."""
    runs = []
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        fn()
        runs.append((time.perf_counter() - wall, time.process_time() - cpu))
    return min(runs)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--dataset", help="dataset file (default: the sample)")
    p.add_argument("--cases-file", required=True,
                   help="length-delimited jiceng.v1.Case stream")
    p.add_argument("--cases", type=int, default=500_000)
    p.add_argument("--threads", type=int, default=0)
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--only", help="comma-separated workloads to run")
    args = p.parse_args()

    engine = (jiceng.Engine.load(args.dataset) if args.dataset
              else jiceng.Engine.sample())
    with open(args.cases_file, "rb") as f:
        base = list(_stream.frames(f.read()))
    frames = (base * (args.cases // len(base) + 1))[:args.cases]
    messages = [routing_pb2.Case.FromString(b) for b in frames]
    stream = jiceng.encode_stream(frames)
    n = len(frames)
    t = args.threads

    def stream_parsed():
        for _ in engine.route_stream(stream, threads=t):
            pass

    def messages_parsed():
        for _ in engine.route_many(messages, threads=t):
            pass

    def messages_decisions():
        for _ in engine.route_many(messages, threads=t).results():
            pass

    single = frames[:min(n, 50_000)]

    def route_single():
        route = engine.route_bytes
        for c in single:
            try:
                route(c)
            except jiceng.JicengError:
                pass

    workloads = {
        "stream_lazy": (lambda: engine.route_stream(stream, threads=t), n),
        "stream_parsed": (stream_parsed, n),
        "bytes_lazy": (lambda: engine.route_many(frames, threads=t), n),
        "messages_lazy": (lambda: engine.route_many(messages, threads=t), n),
        "messages_parsed": (messages_parsed, n),
        "messages_decisions": (messages_decisions, n),
        "route_single": (route_single, len(single)),
    }
    only = args.only.split(",") if args.only else list(workloads)
    info = engine.info()
    print(f"jiceng {jiceng.version()}, dataset {info.meta.version or '-'} "
          f"({info.rule_count} rules), {n} cases "
          f"({len(base)} distinct, {len(stream) / len(frames):.0f} B each), "
          f"threads={t or 'hardware'}")
    for name in only:
        fn, count = workloads[name]
        wall, cpu = best(fn, args.repeat)
        print(f"{name:18s} {count / wall:12,.0f} cases/s "
              f"({wall * 1e3:8.1f} ms wall, {cpu / count * 1e6:6.2f} "
              f"CPU-us per case)")
    engine.close()


if __name__ == "__main__":
    main()
