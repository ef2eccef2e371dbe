# Copyright 2026 The jiceng Authors.
# SPDX-License-Identifier: Apache-2.0
"""TOOLCHAIN pitfall 3: Debian's python3-protobuf (C++ implementation)
shares libprotobuf.so with libjiceng.so.1, so both register the jiceng.v1
descriptors in one process. They are generated from the same proto/ by the
same build, so either order works; so does the pure-Python escape hatch
(PROTOCOL_BUFFERS_PYTHON_IMPLEMENTATION=python). Each order runs in a fresh
interpreter. `import jiceng` itself loads the library before its message
classes, so that they adopt the library's compiled C++ classes (jiceng._native):
the library-first order is the package's own, and it is the fast one."""

import os
import subprocess
import sys
import textwrap
import types

import pytest

ROUTE = """
import jiceng
from jiceng import _stream
frames = list(_stream.frames(open(cases_file, "rb").read()))
with jiceng.Engine.sample() as e:
    d = e.route(frames[0], explain_text=True)
    assert d.case_id and d.trace, d
    assert len(e.route_many(frames)) == len(frames)
    assert e.info().rule_count > 0
from google.protobuf.internal import api_implementation
print(api_implementation.Type())
"""

LIBRARY_FIRST = """
import ctypes, importlib.util, os, sys
# Load the package's library with plain ctypes, before `import jiceng`
# brings in any message class, and compile an engine so that the library
# builds its descriptors first.
package_dir = importlib.util.find_spec("jiceng").submodule_search_locations[0]
lib = ctypes.CDLL(os.environ.get("JICENG_LIBRARY") or
                  os.path.join(package_dir, "libjiceng.so.1"))
engine = ctypes.c_void_p()
assert lib.jc_engine_create_sample(ctypes.byref(engine), None) == 0
lib.jc_engine_destroy(engine)
assert not any(m.startswith("jiceng") for m in sys.modules)
"""

MESSAGES_FIRST = """
import importlib.util, sys, types
# Import the message classes without running jiceng/__init__ (which loads
# the library first): through a stand-in for the package, dropped after.
stand_in = types.ModuleType("jiceng")
stand_in.__path__ = list(importlib.util.find_spec("jiceng").submodule_search_locations)
sys.modules["jiceng"] = stand_in
from jiceng.v1 import (admission_pb2, analysis_pb2, assessment_pb2,
                       dataset_pb2, engine_info_pb2, lifecycle_pb2,
                       routing_pb2, validation_pb2)
del sys.modules["jiceng"]
"""

VARIANTS = {
    "messages_first": (MESSAGES_FIRST, {}),
    "package_import": ("", {}),
    "library_first": (LIBRARY_FIRST, {}),
    "pure_python_protobuf": ("", {
        "PROTOCOL_BUFFERS_PYTHON_IMPLEMENTATION": "python"}),
}


@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_import_order(variant, expected_dir):
    prelude, env = VARIANTS[variant]
    script = f"cases_file = {str(expected_dir / 'sample_cases.binpb')!r}\n" + \
        textwrap.dedent(prelude) + ROUTE
    result = subprocess.run([sys.executable, "-c", script],
                            env={**os.environ, **env}, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    expected_impl = env.get("PROTOCOL_BUFFERS_PYTHON_IMPLEMENTATION")
    if expected_impl:
        assert result.stdout.strip() == expected_impl


SERIALIZE_TIME = """
import time
import jiceng
from jiceng.v1 import routing_pb2
cases = [routing_pb2.Case(id=f"c{i}", matter_code="01001",
                          location_code=32011600100101,
                          reported_at=1772413200) for i in range(20000)]
best = float("inf")
for _ in range(5):
    start = time.process_time()
    for c in cases:
        c.SerializeToString()
    best = min(best, time.process_time() - start)
print(best)
"""


def test_package_import_adopts_the_compiled_message_classes():
    """With the library loaded first, serializing a Case runs the library's
    generated C++ code instead of reflection over a dynamic message: about
    7x less CPU time on this kind of machine (asserted: 2.5x)."""
    def cpu_seconds(prelude):
        result = subprocess.run(
            [sys.executable, "-c", textwrap.dedent(prelude) + SERIALIZE_TIME],
            capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stderr
        return float(result.stdout)

    from google.protobuf.internal import api_implementation
    if api_implementation.Type() != "cpp":
        pytest.skip("only the cpp implementation can adopt C++ classes")
    dynamic = cpu_seconds(MESSAGES_FIRST)
    adopted = cpu_seconds("")
    assert adopted * 2.5 < dynamic, (adopted, dynamic)


class _AlteredFile:
    """A file descriptor whose module was generated from another schema."""

    def __init__(self, real, serialized_pb):
        self.name = real.name
        self.serialized_pb = serialized_pb
        self.CopyToProto = real.CopyToProto


def test_a_schema_other_than_the_packages_is_refused():
    from google.protobuf import descriptor_pb2

    from jiceng import _native
    from jiceng.v1 import routing_pb2

    _native.check_schema([routing_pb2])  # the package's own: accepted
    other = descriptor_pb2.FileDescriptorProto.FromString(
        routing_pb2.DESCRIPTOR.serialized_pb)
    case = next(m for m in other.message_type if m.name == "Case")
    case.field.add(name="added_elsewhere", number=999, type=9, label=1)
    module = types.SimpleNamespace(
        __name__="jiceng.v1.routing_pb2",
        DESCRIPTOR=_AlteredFile(routing_pb2.DESCRIPTOR,
                                other.SerializeToString()))
    with pytest.raises(ImportError,
                       match="describes jiceng/v1/routing.proto differently"):
        _native.check_schema([module])
