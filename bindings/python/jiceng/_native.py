# Copyright 2026 The jiceng Authors.
# SPDX-License-Identifier: Apache-2.0
"""The C ABI (jiceng.h) through ctypes. Internal: use ``jiceng.Engine``.

Which ``libjiceng.so.1`` is loaded, first match wins:
  1. the file named by the environment variable ``JICENG_LIBRARY``;
  2. the copy inside this package (``jiceng/libjiceng.so.1``), which the
     CMake build stages beside the generated message classes, so that the
     library and the classes come from the same build;
  3. ``libjiceng.so.1`` from the dynamic loader's path (an installed
     library, ``LD_LIBRARY_PATH``), also when the package's copy exists
     but cannot be loaded (a missing dependency, a damaged file); the
     error then gives both reasons.
It is loaded once per process, when ``jiceng`` is imported (``preload``)
or else on first use, and must report ABI version 1: a file that does not
load, lacks a ``jc_*`` function (another library) or reports another ABI
version is an ``OSError`` at first use, naming the file.

Loading it at import, before any ``jiceng.v1`` message class exists, is
what makes the message classes fast with Debian's python3-protobuf (the
``cpp`` implementation, TOOLCHAIN pitfall 3): the library registers its
compiled C++ message classes for ``jiceng/v1/*.proto`` in the process's
generated pool (libprotobuf.so is shared), and the Python classes generated
from the same files then *adopt* them instead of building reflection-based
dynamic messages: serializing a ``Case`` costs about 0.2 µs instead of 1.7,
parsing a ``BatchEntry`` about half as much. ``check_schema`` makes sure
the adopted schema is the package's own.

Every function's ``argtypes`` and ``restype`` are declared (TOOLCHAIN
pitfall 6). Strings and buffers the library allocates come back as
``c_void_p``, are copied with ``ctypes.string_at`` and released with
``jc_free`` — except a batch's stream, which is read in place through a
memoryview and released with ``jc_free`` when the last view goes. ctypes releases the GIL during each call, so calls on one
engine run in parallel; the library's engines are immutable and
thread-safe.
"""

from __future__ import annotations

import ctypes
import os
import threading
import weakref
from ctypes import (POINTER, byref, c_char_p, c_int, c_size_t, c_uint32,
                    c_void_p)
from types import ModuleType
from typing import Any, Callable, Iterable, Optional, Tuple

from . import errors

ABI_VERSION = 1
SONAME = f"libjiceng.so.{ABI_VERSION}"

# Format of a dataset's bytes (JC_FORMAT_*).
FORMAT_AUTO = 0
FORMAT_BINARY = 1
FORMAT_JSON = 2
FORMAT_TEXT = 3

# jc_engine_route flags.
ROUTE_EXPLAIN_TEXT = 1

_P = c_void_p                 # const void*, jc_engine*, jc_assessment*, void*
_PP = POINTER(c_void_p)       # void**, char**, jc_engine**, jc_assessment**
_PS = POINTER(c_size_t)       # size_t*

# name -> (restype, argtypes). Every fallible function ends with
# `char** error_message` and returns a jc_status (int).
_SIGNATURES = {
    "jc_version_number": (c_uint32, []),
    "jc_version_string": (c_char_p, []),  # static storage: c_char_p is safe
    "jc_abi_version": (c_int, []),
    "jc_status_name": (c_char_p, [c_int]),  # static storage
    "jc_free": (None, [_P]),
    "jc_dataset_validate": (c_int, [_P, c_size_t, c_int, _PP, _PS, _PP]),
    "jc_sample_dataset": (c_int, [_PP, _PS, _PP]),
    "jc_engine_create": (c_int, [_P, c_size_t, c_int, _PP, _PP]),
    "jc_engine_create_from_file": (c_int, [c_char_p, c_int, _PP, _PP]),
    "jc_engine_create_sample": (c_int, [_PP, _PP]),
    "jc_engine_destroy": (None, [_P]),
    "jc_engine_info": (c_int, [_P, _PP, _PS, _PP]),
    "jc_engine_save_snapshot": (c_int, [_P, _PP, _PS, _PP]),
    "jc_engine_create_from_snapshot": (c_int, [_P, c_size_t, _PP, _PP]),
    "jc_engine_route": (c_int, [_P, _P, c_size_t, c_uint32, _PP, _PS, _PP]),
    "jc_engine_route_into": (
        c_int, [_P, _P, c_size_t, c_uint32, _P, c_size_t, _PS, _PP]),
    "jc_engine_route_service": (c_int, [_P, _P, c_size_t, _PP, _PS, _PP]),
    "jc_engine_route_service_into": (
        c_int, [_P, _P, c_size_t, _P, c_size_t, _PS, _PP]),
    "jc_engine_route_batch": (c_int, [_P, _P, c_size_t, c_int, _PP, _PS, _PP]),
    "jc_engine_route_batch_with": (
        c_int, [_P, _P, c_size_t, _P, c_size_t, _PP, _PS, _PP]),
    "jc_engine_diff": (c_int, [_P, _P, _P, c_size_t, _PP, _PS, _PP]),
    "jc_engine_review_admission": (c_int, [_P, _P, c_size_t, _PP, _PS, _PP]),
    "jc_engine_analyze": (c_int, [_P, _PP, _PS, _PP]),
    "jc_engine_apply": (c_int, [_P, _P, c_size_t, _PP, _PS, _PP]),
    "jc_engine_supervise": (c_int, [_P, _P, c_size_t, _PP, _PS, _PP]),
    "jc_engine_assess": (c_int, [_P, _P, c_size_t, _PP, _PS, _PP]),
    "jc_assessment_start": (c_int, [_P, _P, c_size_t, _PP, _PP]),
    "jc_assessment_add": (c_int, [_P, _P, c_size_t, _PP]),
    "jc_assessment_finish": (c_int, [_P, _PP, _PS, _PP]),
    "jc_assessment_destroy": (None, [_P]),
}

_lock = threading.Lock()
_lib: Optional[ctypes.CDLL] = None


def _open() -> ctypes.CDLL:
    explicit = os.environ.get("JICENG_LIBRARY")
    if explicit:
        return ctypes.CDLL(explicit)
    bundled = os.path.join(os.path.dirname(os.path.abspath(__file__)), SONAME)
    bundled_error = None
    if os.path.exists(bundled):
        try:
            return ctypes.CDLL(bundled)
        except OSError as e:
            bundled_error = e
    try:
        return ctypes.CDLL(SONAME)
    except OSError as e:
        tried = (f"the package's copy {bundled} does not load "
                 f"({bundled_error}); " if bundled_error else "")
        raise OSError(
            f"jiceng: cannot load {SONAME}: {tried}set JICENG_LIBRARY to its "
            f"path, install the package built by CMake (which carries a "
            f"copy), or put it on the loader's path ({e})") from e


def lib() -> ctypes.CDLL:
    """The loaded library, with every function declared."""
    global _lib
    if _lib is not None:
        return _lib
    with _lock:
        if _lib is None:
            handle = _open()
            for name, (restype, argtypes) in _SIGNATURES.items():
                try:
                    fn = getattr(handle, name)
                except AttributeError as e:
                    # Another library (JICENG_LIBRARY pointing elsewhere):
                    # an OSError like a wrong ABI version, not ctypes' own.
                    raise OSError(
                        f"jiceng: {handle._name} is not {SONAME}: it has no "
                        f"{name}") from e
                fn.restype = restype
                fn.argtypes = argtypes
            abi = handle.jc_abi_version()
            if abi != ABI_VERSION:
                raise OSError(f"jiceng: {handle._name} has ABI version {abi}, "
                              f"this binding needs {ABI_VERSION}")
            _lib = handle
    return _lib


def preload() -> None:
    """Loads the library now if it can be loaded; if it cannot, ``lib()``
    raises the reason at first use, as it would without preloading."""
    try:
        lib()
    except OSError:
        pass


def check_schema(modules: Iterable[ModuleType]) -> None:
    """Raises ``ImportError`` when a ``jiceng.v1`` file of the message
    modules ``modules`` (``*_pb2``) is described differently in the process
    than in the module: a library from another build whose compiled classes
    were adopted (see the module's docstring)."""
    from google.protobuf import descriptor_pb2
    for module in modules:
        file = module.DESCRIPTOR
        expected = descriptor_pb2.FileDescriptorProto.FromString(
            file.serialized_pb)
        actual = descriptor_pb2.FileDescriptorProto()
        file.CopyToProto(actual)
        if actual != expected:
            raise ImportError(
                f"jiceng: the process describes {file.name} differently from "
                f"this package's {module.__name__}: a libjiceng.so.1 from "
                f"another build was loaded first "
                f"({_lib._name if _lib is not None else 'not by jiceng'}); "
                f"use the library packaged with these message classes")


def take_error(status: int, message: c_void_p) -> errors.JicengError:
    """The exception for a failed call; frees the library's message."""
    text = ""
    address = message.value
    if address:
        text = ctypes.string_at(address).decode("utf-8", "replace")
        lib().jc_free(message)
    return errors.error_for(status, text)


def take_buffer(data: c_void_p, size: c_size_t) -> bytes:
    """Copies a buffer the library returned, then frees it."""
    try:
        address = data.value
        if not address or not size.value:
            return b""
        return ctypes.string_at(address, size.value)
    finally:
        lib().jc_free(data)


def take_view(data: c_void_p, size: c_size_t) -> memoryview:
    """A read-only view of a buffer the library returned, without copying
    it: the buffer is freed once the view and every slice of it are gone."""
    n = size.value
    if not data.value:
        return memoryview(b"")
    block = (ctypes.c_char * n).from_address(data.value)
    # Not at interpreter exit: a daemon thread may still be reading the
    # batch; the operating system reclaims the memory.
    weakref.finalize(block, lib().jc_free, c_void_p(data.value)).atexit = False
    return memoryview(block).cast("B").toreadonly()


def _call_out(fn: Callable[..., int],
              *args: Any) -> Tuple[c_void_p, c_size_t]:
    """Calls ``fn(*args, void** out, size_t* out_size, char** error)``:
    (out, out_size), or raises the call's ``JicengError``."""
    out = c_void_p()
    size = c_size_t()
    err = c_void_p()
    status = fn(*args, byref(out), byref(size), byref(err))
    if status != errors.OK:
        raise take_error(status, err)
    return out, size


def call_view(fn: Callable[..., int], *args: Any) -> memoryview:
    """As ``call_bytes``, returning the output as a ``take_view`` view (for
    large results: a batch's stream)."""
    return take_view(*_call_out(fn, *args))


def call_bytes(fn: Callable[..., int], *args: Any) -> bytes:
    """Calls ``fn(*args, void** out, size_t* out_size, char** error)`` and
    returns the output's bytes, or raises the call's ``JicengError``."""
    return take_buffer(*_call_out(fn, *args))
