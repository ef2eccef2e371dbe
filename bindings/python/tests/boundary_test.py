# Copyright 2026 The jiceng Authors.
# SPDX-License-Identifier: Apache-2.0
"""The binding's edges: interpreter exit with calls in flight, close() from
inside a call on the same thread, snapshot files that cannot be read, how
much scratch memory a thread keeps, and where the library comes from."""

import os
import shutil
import subprocess
import sys
import textwrap
import threading

import pytest

import jiceng
from jiceng import _native, errors
from jiceng import engine as engine_module


def run_python(script: str, *args: str, env=None, timeout: float = 120):
    """Runs `script` in a fresh interpreter (this one's, so the installed
    package); a hang is a failure, not a stuck test run."""
    try:
        return subprocess.run(
            [sys.executable, "-c", textwrap.dedent(script), *args],
            capture_output=True, text=True, timeout=timeout,
            env=env if env is not None else os.environ.copy())
    except subprocess.TimeoutExpired as e:
        pytest.fail(f"the child did not finish in {timeout} s (deadlock?): "
                    f"{e.stdout!r} {e.stderr!r}")


# Replaces jc_engine_destroy, for the engines created afterwards, with one
# that says when it runs.
TRACE_DESTROY = """
    import jiceng
    from jiceng import _native
    _lib = _native.lib()
    _real_destroy = _lib.jc_engine_destroy
    def _traced_destroy(handle):
        print("destroyed", flush=True)
        _real_destroy(handle)
    _lib.jc_engine_destroy = _traced_destroy
"""


# ---------------------------------------------------------------------------
# Interpreter exit.

def test_exit_does_not_destroy_an_engine_a_daemon_thread_is_using(
        expected_dir):
    result = run_python(TRACE_DESTROY + """
    import sys, threading, time
    closed = jiceng.Engine.sample()
    closed.close()  # the trace works: "destroyed" once, here
    engine = jiceng.Engine.sample()
    stream = open(sys.argv[1], "rb").read() * 50
    inside = threading.Event()

    def worker():
        while True:
            inside.set()
            engine.route_stream(stream, threads=1)  # the GIL is released

    threading.Thread(target=worker, daemon=True).start()
    inside.wait()
    time.sleep(0.2)
    print("exiting", flush=True)
    """, str(expected_dir / "sample_cases.binpb"))
    assert result.returncode == 0, result.stderr
    # Destroying the engine at exit, under the daemon's call, would be a use
    # after free; the operating system reclaims it instead.
    assert result.stdout.split() == ["destroyed", "exiting"], result.stdout


# ---------------------------------------------------------------------------
# close() inside a call on the same thread.

def test_close_from_inside_a_call_on_the_same_thread_does_not_deadlock(
        expected_dir):
    # As a signal handler would: the native call has returned, the binding
    # has not yet ended the call, and the handler closes the engine.
    result = run_python(TRACE_DESTROY + """
    import sys
    engine = jiceng.Engine.sample()
    stream = open(sys.argv[1], "rb").read()
    real_call_view = _native.call_view

    def call_view_then_close(*args):
        out = real_call_view(*args)
        engine.close()
        print("closed", len(engine._calls), flush=True)
        return out

    _native.call_view = call_view_then_close
    batch = engine.route_stream(stream)  # finishes: the call was in flight
    print("routed", len(batch) > 0, flush=True)
    try:
        engine.route_stream(stream)
    except jiceng.FailedPreconditionError as e:
        print("refused", e.code_name, flush=True)
    """, str(expected_dir / "sample_cases.binpb"))
    assert result.returncode == 0, result.stderr
    # Destroyed by the call that was in flight, as it ended; once.
    assert result.stdout.splitlines() == [
        "closed 1", "destroyed", "routed True",
        "refused FAILED_PRECONDITION"], result.stdout


def test_close_from_a_signal_handler_during_a_call_does_not_deadlock(
        expected_dir):
    result = run_python(TRACE_DESTROY + """
    import signal, sys
    engine = jiceng.Engine.sample()
    stream = open(sys.argv[1], "rb").read() * 20

    def on_alarm(signum, frame):
        if not engine._calls:  # between two calls: try again
            signal.setitimer(signal.ITIMER_REAL, 0.003)
            return
        engine.close()
        print("closed inside a call", flush=True)

    signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, 0.01)
    calls = 0
    try:
        while True:
            engine.route_stream(stream, threads=1)
            calls += 1
    except jiceng.FailedPreconditionError:
        print("refused", flush=True)
    """, str(expected_dir / "sample_cases.binpb"))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "closed inside a call", "destroyed", "refused"], result.stdout


def test_a_call_nested_on_the_same_thread_keeps_the_outer_result(
        engine, case_frames, monkeypatch):
    # Two cases with different decisions; the nested call (as from a signal
    # handler between the outer native call and its copy of the result)
    # must not overwrite the outer call's buffer.
    first, second = case_frames[0], None
    want_first = engine.route_bytes(first)
    for f in case_frames[1:]:
        try:
            if engine.route_bytes(f) != want_first:
                second = f
                break
        except jiceng.JicengError:
            continue
    assert second is not None
    want_second = engine.route_bytes(second)
    lib = _native.lib()
    real = lib.jc_engine_route_into
    nested = []

    def route_into_then_nested(*args):
        status = real(*args)
        if not nested:
            nested.append(None)  # once: the nested call comes here too
            nested[0] = engine.route_bytes(second)
        return status

    monkeypatch.setattr(lib, "jc_engine_route_into", route_into_then_nested)
    assert engine.route_bytes(first) == want_first
    assert nested == [want_second]


def test_close_while_other_threads_call_refuses_them_and_releases_once(
        case_frames):
    engine = jiceng.Engine.sample()
    stream = jiceng.encode_stream(case_frames * 20)
    started = threading.Barrier(5)
    refused = []

    def worker():
        started.wait()
        try:
            while True:
                engine.route_stream(stream, threads=1)
        except jiceng.FailedPreconditionError:
            refused.append(True)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    started.wait()
    engine.close()  # returns at once; the last call in flight releases it
    for t in threads:
        t.join()
    assert refused == [True] * 4
    assert not engine._calls
    assert not engine._finalizer.alive


# ---------------------------------------------------------------------------
# Snapshot files that cannot be read.

def test_a_missing_snapshot_file_is_not_found(tmp_path):
    path = tmp_path / "missing.jcsnap"
    with pytest.raises(jiceng.NotFoundError) as info:
        jiceng.Engine.load_snapshot(path)
    assert info.value.code == errors.NOT_FOUND
    assert str(path) in info.value.message
    assert "No such file or directory" in info.value.message


def test_a_path_that_is_a_directory_is_invalid_for_both_loads(tmp_path):
    # The same code whether Python reads the file (a snapshot) or the C
    # library does (a dataset).
    with pytest.raises(jiceng.InvalidArgumentError) as info:
        jiceng.Engine.load_snapshot(str(tmp_path))
    assert info.value.code == errors.INVALID_ARGUMENT
    assert str(tmp_path) in info.value.message
    assert "Is a directory" in info.value.message
    with pytest.raises(jiceng.InvalidArgumentError) as info:
        jiceng.Engine.load(tmp_path)
    assert str(tmp_path) in info.value.message
    assert "Is a directory" in info.value.message


def test_a_file_name_with_a_nul_is_refused_not_cut_short(tmp_path):
    # Without the check the C library would open "<dir>/d" and load it.
    good = tmp_path / "d"
    good.write_bytes(jiceng.sample_dataset().SerializeToString())
    for load in (jiceng.Engine.load, jiceng.Engine.load_snapshot):
        with pytest.raises(ValueError, match="NUL"):
            load(str(good) + "\0.textproto")


def test_an_unreadable_snapshot_file_is_permission_denied(
        engine, tmp_path, monkeypatch):
    path = tmp_path / "locked.jcsnap"
    path.write_bytes(engine.save_snapshot())
    path.chmod(0)
    if os.access(path, os.R_OK):
        # root reads any file: deny it the way the system would.
        def denied(name, mode="r", *args, **kwargs):
            raise PermissionError(13, "Permission denied", os.fsdecode(name))
        monkeypatch.setattr(engine_module, "open", denied, raising=False)
    with pytest.raises(jiceng.PermissionDeniedError) as info:
        jiceng.Engine.load_snapshot(path)
    assert info.value.code == errors.PERMISSION_DENIED
    assert str(path) in info.value.message
    assert "Permission denied" in info.value.message


# ---------------------------------------------------------------------------
# Scratch memory.

def test_a_thread_keeps_no_output_buffer_above_the_limit(
        engine, case_frames, monkeypatch):
    routed = []
    for f in case_frames:
        try:
            routed.append((f, engine.route_bytes(f, explain_text=True)))
        except jiceng.JicengError:
            pass
    large = max(len(d) for _, d in routed)
    limit = 256
    assert large > limit
    monkeypatch.setattr(engine_module, "_RETAINED_BYTES", limit)
    kept = []

    def route_all():
        # A new thread: its scratch starts under the limit.
        for f, want in routed:
            assert engine.route_bytes(f, explain_text=True) == want
        kept.extend(s.capacity for s in engine_module._scratch.idle)

    threads = [threading.Thread(target=route_all) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(kept) == 4
    assert all(0 < k <= limit for k in kept), kept


# ---------------------------------------------------------------------------
# Where the library comes from.

def _package_with_a_broken_library(tmp_path):
    """A copy of the installed package whose own libjiceng.so.1 is not a
    library; returns (the copy's parent folder, the real library's
    folder)."""
    installed = os.path.dirname(os.path.abspath(jiceng.__file__))
    root = tmp_path / "site"
    shutil.copytree(installed, root / "jiceng")
    (root / "jiceng" / _native.SONAME).write_bytes(b"not a shared library")
    return root, installed


PROBE = """
    import jiceng
    from jiceng import _native
    print(jiceng.__file__)
    print(_native.lib()._name)
    print(jiceng.Engine.sample().info().rule_count > 0)
"""


def test_a_bundled_library_that_does_not_load_falls_back_to_the_loader(
        tmp_path):
    root, installed = _package_with_a_broken_library(tmp_path)
    env = {k: v for k, v in os.environ.items() if k != "JICENG_LIBRARY"}
    env["PYTHONPATH"] = str(root)
    env["LD_LIBRARY_PATH"] = installed  # where the loader finds a good one
    result = run_python(PROBE, env=env)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith(str(root)), lines
    assert lines[1:] == [_native.SONAME, "True"], lines


def test_no_loadable_library_names_both_attempts(tmp_path):
    root, _ = _package_with_a_broken_library(tmp_path)
    env = {k: v for k, v in os.environ.items()
           if k not in ("JICENG_LIBRARY", "LD_LIBRARY_PATH")}
    env["PYTHONPATH"] = str(root)
    result = run_python(PROBE, env=env)
    if result.returncode == 0:
        pytest.skip(f"a {_native.SONAME} is installed on the loader's path")
    assert f"the package's copy {root / 'jiceng' / _native.SONAME}" \
        in result.stderr, result.stderr
    assert "does not load" in result.stderr, result.stderr
    assert "JICENG_LIBRARY" in result.stderr, result.stderr


def _another_shared_library():
    """The path of a system shared library that is not jiceng (zlib, which
    the interpreter itself needs), or None."""
    import ctypes.util
    name = ctypes.util.find_library("z")
    if not name:
        return None
    for directory in ("/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu",
                      "/lib64", "/usr/lib64", "/lib", "/usr/lib"):
        path = os.path.join(directory, name)
        if os.path.exists(path):
            return path
    return None


def test_jiceng_library_naming_another_library_is_an_oserror_at_first_use():
    other = _another_shared_library()
    if other is None:
        pytest.skip("no libz shared library found")
    env = dict(os.environ, JICENG_LIBRARY=other)
    result = run_python("""
        import jiceng                     # must not raise: preload() is quiet
        from jiceng import _native
        try:
            _native.lib()
        except OSError as e:
            print("OSError:", e)
        else:
            print("loaded")
    """, env=env)
    assert result.returncode == 0, result.stderr
    out = result.stdout.strip()
    assert out.startswith("OSError: jiceng: "), out
    assert other in out, out
    assert f"is not {_native.SONAME}" in out, out
    assert "jc_version_number" in out, out
