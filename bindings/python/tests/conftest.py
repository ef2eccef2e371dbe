# Copyright 2026 The jiceng Authors.
# SPDX-License-Identifier: Apache-2.0
"""Shared fixtures. The tests run against the *installed* package (see
bindings/python/CMakeLists.txt); JICENG_EXPECTED_DIR names the folder where
tests/c_api_expected_main.cc wrote what the C++ API decides."""

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
    return list(_stream.frames(
        (expected_dir / "sample_cases.binpb").read_bytes()))


@pytest.fixture(scope="session")
def cases(case_frames):
    return [routing_pb2.Case.FromString(f) for f in case_frames]


def read_varint(data: bytes, pos: int):
    n = shift = 0
    while True:
        b = data[pos]
        pos += 1
        n |= (b & 0x7F) << shift
        if b < 0x80:
            return n, pos
        shift += 7


def raw_fields(message: bytes):
    """{field number: raw bytes} of a message's length-delimited fields,
    read straight from the wire (so that nothing is re-serialized)."""
    out = {}
    pos = 0
    while pos < len(message):
        key, pos = read_varint(message, pos)
        wire = key & 7
        if wire == 0:
            _, pos = read_varint(message, pos)
        elif wire == 2:
            n, pos = read_varint(message, pos)
            out[key >> 3] = message[pos:pos + n]
            pos += n
        else:
            raise ValueError(f"unexpected wire type {wire}")
    return out


def expected_decisions(expected_dir, name):
    """Per sample case, the C++ API's RoutingDecision bytes (field 3 of its
    BatchEntry), or the RouteError of a case it refused."""
    out = []
    for frame in _stream.frames((expected_dir / name).read_bytes()):
        fields = raw_fields(frame)
        if 3 in fields:
            out.append(fields[3])
        else:
            out.append(routing_pb2.RouteError.FromString(fields[4]))
    return out


def expected_exchange(expected_dir, name):
    """(request bytes, status code, response bytes) per request of
    NAME_requests.binpb / NAME_expected.binpb."""
    requests = _stream.frames(
        (expected_dir / f"{name}_requests.binpb").read_bytes())
    responses = _stream.frames(
        (expected_dir / f"{name}_expected.binpb").read_bytes())
    return [(q, r[0], r[1:]) for q, r in zip(requests, responses)]
