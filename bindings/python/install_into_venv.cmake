# Copyright 2026 The jiceng Authors.
# SPDX-License-Identifier: Apache-2.0
#
# Installs the staged Python package into a virtual environment, offline:
#
#   cmake -DPYTHON=/usr/bin/python3 -DVENV=<dir> -DPACKAGE_DIR=<staged>
#         -P install_into_venv.cmake
#
# The environment is created once, with --system-site-packages so that
# Debian's python3-protobuf and python3-pytest are visible, and reused;
# the package is reinstalled every time so that it matches the build.

cmake_minimum_required(VERSION 3.20)

foreach(var PYTHON VENV PACKAGE_DIR)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "install_into_venv.cmake: -D${var}=... is required")
  endif()
endforeach()

function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    string(REPLACE ";" " " cmd "${ARGN}")
    message(FATAL_ERROR "install_into_venv.cmake: `${cmd}` failed (${rc})")
  endif()
endfunction()

if(NOT EXISTS "${VENV}/bin/python")
  run("${PYTHON}" -m venv --system-site-packages "${VENV}")
endif()
# A package built by an earlier run would otherwise be reused by pip.
file(REMOVE_RECURSE "${PACKAGE_DIR}/build")
run("${VENV}/bin/python" -m pip install --quiet --no-index
    --no-build-isolation --no-deps --force-reinstall
    --disable-pip-version-check "${PACKAGE_DIR}")
