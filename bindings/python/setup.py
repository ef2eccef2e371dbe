# Copyright 2026 The jiceng Authors.
# SPDX-License-Identifier: Apache-2.0
"""Copied by CMake next to the staged pyproject.toml, which holds all the
metadata. Only the wheel's tag is set here.

The Python code is pure ctypes, but the package carries jiceng/libjiceng.so.1,
a native library built for this machine (and linked against this system's
libprotobuf and Abseil). A `py3-none-any` wheel would be accepted by a pip on
any platform and fail at load time, so the wheel is marked not pure and tagged
`py3-none-<platform>` (e.g. py3-none-linux_x86_64): any Python 3 interpreter,
no Python ABI (nothing is compiled against Python), this platform only.
"""

from setuptools import setup
from setuptools.dist import Distribution

try:  # setuptools >= 70.1 ships bdist_wheel itself
    from setuptools.command.bdist_wheel import bdist_wheel
except ImportError:  # Debian 12: setuptools 66 with python3-wheel 0.38
    from wheel.bdist_wheel import bdist_wheel


class BinaryDistribution(Distribution):
    """Not pure: installed to platlib, and bdist_wheel writes
    Root-Is-Purelib: false with the platform in the tag. (Setting only
    bdist_wheel's root_is_pure would leave `install` treating the files as
    pure, and they would land in the wheel's .data/purelib.)"""

    def has_ext_modules(self):
        return True


class PlatformWheel(bdist_wheel):
    """A non-pure wheel's tag is cpXY-cpXY-<platform>; nothing here is
    compiled against Python, so keep the platform and drop the rest."""

    def get_tag(self):
        _, _, platform = super().get_tag()
        return "py3", "none", platform


setup(distclass=BinaryDistribution, cmdclass={"bdist_wheel": PlatformWheel})
