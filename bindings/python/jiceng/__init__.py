# Copyright 2026 The jiceng Authors.
# SPDX-License-Identifier: Apache-2.0
"""jiceng (基层): China's grassroots-governance system — the administrative
hierarchy, the responsibility catalogue and the routing of cases through the
closed loop — as pure functions over ``jiceng.v1`` protobuf messages.

This package is a ctypes binding of the stable C ABI (``libjiceng.so.1``);
see ``jiceng._native`` for how the library is found. Example::

    import jiceng
    from jiceng.v1 import routing_pb2

    with jiceng.Engine.sample() as engine:
        print(engine.info().meta.version)
        decision = engine.route(routing_pb2.Case(...))

Errors are ``jiceng.JicengError`` subclasses carrying the status code and
the library's message (``jiceng.errors``).
"""

import importlib as _importlib
import pkgutil as _pkgutil

from . import _native

# Before any message class: see _native (the classes adopt the library's
# compiled ones, several times faster).
_native.preload()

from . import v1 as _v1  # noqa: E402
from .engine import (Assessment, Batch, Engine, Format, decode_stream,
                     encode_stream, sample_dataset, validate, version)
from .errors import (AbortedError, AlreadyExistsError, BufferTooSmallError,
                     CancelledError,
                     DataLossError, DeadlineExceededError,
                     FailedPreconditionError, InternalError,
                     InvalidArgumentError, JicengError, NotFoundError,
                     OutOfRangeError, PermissionDeniedError,
                     ResourceExhaustedError, UnauthenticatedError,
                     UnavailableError, UnimplementedError, UnknownError,
                     status_name)

_native.check_schema(
    _importlib.import_module(f"{_v1.__name__}.{m.name}")
    for m in _pkgutil.iter_modules(_v1.__path__) if m.name.endswith("_pb2"))

__all__ = [
    "Assessment", "Batch", "Engine", "Format", "decode_stream",
    "encode_stream", "sample_dataset", "validate", "version",
    "JicengError", "status_name",
    "AbortedError", "AlreadyExistsError", "BufferTooSmallError",
    "CancelledError", "DataLossError",
    "DeadlineExceededError", "FailedPreconditionError", "InternalError",
    "InvalidArgumentError", "NotFoundError", "OutOfRangeError",
    "PermissionDeniedError", "ResourceExhaustedError",
    "UnauthenticatedError", "UnavailableError", "UnimplementedError",
    "UnknownError",
]
