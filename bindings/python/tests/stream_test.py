# Copyright 2026 The jiceng Authors.
# SPDX-License-Identifier: Apache-2.0
"""Length-delimited framing."""

import pytest

from jiceng import _stream
from jiceng.v1 import routing_pb2


def test_varint():
    assert _stream.varint(0) == b"\x00"
    assert _stream.varint(127) == b"\x7f"
    assert _stream.varint(128) == b"\x80\x01"
    assert _stream.varint(300) == b"\xac\x02"
    assert _stream.varint(1 << 14) == b"\x80\x80\x01"


def test_round_trip_of_messages_and_bytes_of_every_length_class():
    frames = [b"", b"x", b"y" * 127, b"z" * 128, b"w" * 20000]
    case = routing_pb2.Case(id="c1", matter_code="01005")
    stream = _stream.encode(frames + [bytearray(b"ab"), case])
    assert list(_stream.frames(stream)) == frames + [b"ab",
                                                     case.SerializeToString()]


def test_truncated_and_malformed_streams_raise():
    with pytest.raises(ValueError, match="runs past the end"):
        _stream.spans(b"\x05abc")
    with pytest.raises(ValueError, match="malformed length"):
        _stream.spans(b"\x80")
    with pytest.raises(TypeError):
        _stream.encode([42])
