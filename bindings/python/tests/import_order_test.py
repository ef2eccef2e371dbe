# Copyright 2026 The jiceng Authors.
# SPDX-License-Identifier: Apache-2.0
"""TOOLCHAIN pitfall 3: Debian's python3-protobuf (C++ implementation)
shares libprotobuf.so with libjiceng.so.1, so both register the jiceng.v1
descriptors in one process. They are generated from the same proto/ by the
same build, so either order works; so does the pure-Python escape hatch
(PROTOCOL_BUFFERS_PYTHON_IMPLEMENTATION=python). Each order runs in a fresh
interpreter."""

import os
import subprocess
import sys
import textwrap

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

VARIANTS = {
    "messages_first": ("", {}),
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
