# Copyright 2026 The jiceng Authors.
# SPDX-License-Identifier: Apache-2.0
"""Engine snapshots: save, load from bytes or a file, identical answers,
damaged snapshots refused with the documented errors."""

import pytest

import jiceng
from jiceng import errors

from conftest import expected_decisions


def test_snapshot_round_trip_routes_identically(engine, case_frames,
                                                expected_dir, tmp_path):
    snapshot = engine.save_snapshot()
    assert snapshot[:8] == b"JICENGSN"
    assert engine.save_snapshot() == snapshot  # deterministic
    path = tmp_path / "sample.jcsnap"
    path.write_bytes(snapshot)
    expected = expected_decisions(expected_dir, "expected.binpb")
    for source in (snapshot, bytearray(snapshot), path, str(path)):
        with jiceng.Engine.load_snapshot(source) as loaded:
            for i, (case, want) in enumerate(zip(case_frames, expected)):
                if isinstance(want, bytes):
                    assert loaded.route_bytes(case) == want, i
            info, original = loaded.info(), engine.info()
            for spare in ("memory_bytes", "region_index_bytes"):
                info.ClearField(spare)
                original.ClearField(spare)
            assert info == original
            assert len(info.dataset_fingerprint) == 16
            assert loaded.save_snapshot() == snapshot


def test_damaged_snapshots_are_refused(engine):
    snapshot = engine.save_snapshot()
    damaged = bytearray(snapshot)
    damaged[-5] ^= 0x10
    with pytest.raises(jiceng.DataLossError) as info:
        jiceng.Engine.load_snapshot(damaged)
    assert info.value.code == errors.DATA_LOSS
    assert "checksum mismatch" in info.value.message
    with pytest.raises(jiceng.DataLossError, match="truncated"):
        jiceng.Engine.load_snapshot(snapshot[: len(snapshot) // 3])
    with pytest.raises(jiceng.InvalidArgumentError,
                       match="not a jiceng snapshot"):
        jiceng.Engine.load_snapshot(jiceng.sample_dataset().SerializeToString())
    with pytest.raises(jiceng.NotFoundError, match="nonexistent"):
        jiceng.Engine.load_snapshot("/nonexistent/engine.jcsnap")
    with pytest.raises(TypeError):
        jiceng.Engine.load_snapshot(12)


def test_a_snapshot_given_as_a_dataset_says_so(engine, tmp_path):
    snapshot = engine.save_snapshot()
    path = tmp_path / "engine.binpb"
    path.write_bytes(snapshot)
    for source in (snapshot, path):
        with pytest.raises(jiceng.InvalidArgumentError,
                           match="compiled-engine snapshot") as info:
            jiceng.Engine.load(source)
        assert "Engine.load_snapshot" in info.value.message
