# Copyright 2026 The jiceng Authors.
# SPDX-License-Identifier: Apache-2.0
"""Shared fixtures. The tests run against the *installed* package (see
bindings/python/CMakeLists.txt); JICENG_EXPECTED_DIR names the folder of
the C++ API's expected streams (tests/write_expected.cc)."""

import os
import pathlib

import pytest

import jiceng
from jiceng import _stream
from jiceng.v1 import routing_pb2

SOURCE_ROOT = pathlib.Path(__file__).resolve().parents[3]


@pytest.fixture(scope="session")
def expected_dir() -> pathlib.Path:
    d = os.environ.get("JICENG_EXPECTED_DIR")
    if not d:
        pytest.fail("JICENG_EXPECTED_DIR is not set (run the tests with ctest)")
    return pathlib.Path(d)


@pytest.fixture(scope="session")
def engine():
    with jiceng.Engine.sample() as e:
        yield e


@pytest.fixture(scope="session")
def case_frames(expected_dir):
    """The sample cases, serialized by the C++ API."""
    return list(_stream.frames((expected_dir / "cases.bin").read_bytes()))


@pytest.fixture(scope="session")
def cases(case_frames):
    return [routing_pb2.Case.FromString(f) for f in case_frames]
