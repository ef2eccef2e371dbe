# Copyright 2026 The jiceng Authors.
# SPDX-License-Identifier: Apache-2.0
"""Length-delimited streams: each frame is a varint byte length, then the
bytes (protobuf's writeDelimitedTo), as jc_engine_route_batch and
jc_engine_diff take and return them."""

from __future__ import annotations

from typing import Iterable, Iterator, List, Tuple, Union

from google.protobuf.message import Message

Frame = Union[bytes, bytearray, memoryview, Message]


def varint(n: int) -> bytes:
    """The base-128 varint encoding of ``n`` >= 0."""
    out = bytearray()
    while n >= 0x80:
        out.append((n & 0x7F) | 0x80)
        n >>= 7
    out.append(n)
    return bytes(out)


# Lengths of up to 16 KiB cover practically every case; their prefixes are
# looked up instead of computed.
_PREFIX = [varint(n) for n in range(1 << 14)]


def encode(frames: Iterable[Frame], full_name: str = "") -> bytes:
    """Joins messages (serialized here) or already serialized bytes into
    one length-delimited stream. With ``full_name`` (e.g.
    ``"jiceng.v1.Case"``), a message of another type is a ``TypeError``
    naming its position, rather than its bytes read as that type."""
    parts: List[bytes] = []
    append = parts.append
    prefix = _PREFIX
    limit = len(prefix)
    for i, f in enumerate(frames):
        if isinstance(f, Message):
            if full_name and f.DESCRIPTOR.full_name != full_name:
                raise TypeError(
                    f"[{i}]: expected {full_name}, got "
                    f"{f.DESCRIPTOR.full_name}")
            f = f.SerializeToString()
        elif not isinstance(f, bytes):
            if not isinstance(f, (bytearray, memoryview)):
                raise TypeError(
                    f"expected a protobuf message or bytes, got {type(f).__name__}")
            f = bytes(f)
        n = len(f)
        append(prefix[n] if n < limit else varint(n))
        append(f)
    return b"".join(parts)


def spans(stream: Union[bytes, memoryview]) -> List[Tuple[int, int]]:
    """(start, end) of every frame of ``stream``. Raises ``ValueError`` when
    a frame runs past the end or a varint is malformed."""
    out: List[Tuple[int, int]] = []
    append = out.append
    pos = 0
    size = len(stream)
    while pos < size:
        b = stream[pos]
        pos += 1
        if b < 0x80:
            n = b
        else:
            n = b & 0x7F
            shift = 7
            while True:
                if pos >= size or shift > 63:
                    raise ValueError(f"malformed length at offset {pos}")
                b = stream[pos]
                pos += 1
                n |= (b & 0x7F) << shift
                if b < 0x80:
                    break
                shift += 7
        end = pos + n
        if end > size:
            raise ValueError(
                f"frame {len(out)} at offset {pos} runs past the end "
                f"({n} bytes, {size - pos} left)")
        append((pos, end))
        pos = end
    return out


def frames(stream: bytes) -> Iterator[bytes]:
    """The frames of ``stream`` as bytes, in order."""
    for start, end in spans(stream):
        yield stream[start:end]
