# Copyright 2026 The jiceng Authors.
# SPDX-License-Identifier: Apache-2.0
"""One engine hammered from 8 threads gives every thread the same bytes as
one thread alone; close() while calls are in flight lets them finish and
refuses every later call."""

import threading
from concurrent.futures import ThreadPoolExecutor

import jiceng

THREADS = 8


def test_eight_threads_route_one_engine(engine, case_frames):
    want = []
    for f in case_frames:
        try:
            want.append(engine.route_bytes(f))
        except jiceng.JicengError as e:
            want.append(e.code)
    want_explained = [engine.route_bytes(f, explain_text=True)
                      for f, w in zip(case_frames, want)
                      if isinstance(w, bytes)][:20]
    want_batch = engine.route_many(case_frames).stream
    start = threading.Barrier(THREADS)

    def hammer(t):
        start.wait()
        for round_ in range(5):
            # Each thread walks the cases from its own offset, so that
            # different cases are in flight at the same time.
            n = len(case_frames)
            for k in range(n):
                i = (k + t * 37 + round_) % n
                try:
                    got = engine.route_bytes(case_frames[i])
                except jiceng.JicengError as e:
                    got = e.code
                assert got == want[i], (t, i)
            ok = [f for f, w in zip(case_frames, want) if isinstance(w, bytes)]
            for f, w in zip(ok, want_explained):
                assert engine.route_bytes(f, explain_text=True) == w
            assert engine.route_many(case_frames, threads=2).stream == \
                want_batch
            assert engine.info().rule_count > 0
        return t

    with ThreadPoolExecutor(THREADS) as pool:
        assert sorted(pool.map(hammer, range(THREADS))) == list(range(THREADS))


def test_close_lets_calls_in_flight_finish_and_then_refuses(case_frames):
    engine = jiceng.Engine.sample()
    stream = jiceng.encode_stream(case_frames * 50)
    started = threading.Event()
    outcomes = []

    def worker():
        started.set()
        try:
            while True:
                assert len(engine.route_stream(stream, threads=1)) == \
                    len(case_frames) * 50
        except jiceng.FailedPreconditionError:
            outcomes.append("refused")

    threads = [threading.Thread(target=worker) for _ in range(THREADS)]
    for t in threads:
        t.start()
    started.wait()
    engine.close()
    for t in threads:
        t.join()
    assert outcomes == ["refused"] * THREADS
