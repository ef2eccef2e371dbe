# Copyright 2026 The jiceng Authors.
# SPDX-License-Identifier: Apache-2.0
#
# The ABI gate: compares libjiceng.so's ABI, as seen through the public
# header, with the committed baseline tests/abi/libjiceng.so.1.abi.
#
#   cmake -DMODE=check|update -DABIDW=... -DABIDIFF=... -DLIBRARY=<.so>
#         -DHEADERS_DIR=<include/jiceng> -DSYSTEM_INCLUDE_DIRS=<a|b|c>
#         -DBASELINE=<tests/abi/libjiceng.so.1.abi> -P AbiGate.cmake
#
# check   abidiff baseline vs library; any non-zero exit fails (1 error,
#         4 ABI changed, 8 incompatible), additions included: a deliberate
#         addition is committed by regenerating the baseline.
# update  writes the baseline with abidw (the `abi-baseline` target).
#
# Both see only what jiceng.h exposes (--headers-dir, --drop-private-types,
# --exported-interfaces-only): jc_engine stays an opaque declaration and
# the library's internals never enter the comparison. The compiler's system
# include directories ('|'-separated) count as public headers too: without
# them size_t and uint32_t are "private" types and a signature change such
# as size_t -> uint32_t is filtered out (exit 0). Needs a build with debug
# information (-g).

cmake_minimum_required(VERSION 3.20)

foreach(var MODE LIBRARY HEADERS_DIR SYSTEM_INCLUDE_DIRS BASELINE)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "AbiGate.cmake: -D${var}=... is required")
  endif()
endforeach()

set(filters --drop-private-types --exported-interfaces-only)
string(REPLACE "|" ";" system_dirs "${SYSTEM_INCLUDE_DIRS}")
set(abidw_headers --headers-dir "${HEADERS_DIR}")
set(abidiff_headers --headers-dir2 "${HEADERS_DIR}")
foreach(dir IN LISTS system_dirs)
  list(APPEND abidw_headers --headers-dir "${dir}")
  list(APPEND abidiff_headers --headers-dir2 "${dir}")
endforeach()

if(MODE STREQUAL "update")
  execute_process(
    COMMAND "${ABIDW}" ${abidw_headers} ${filters}
      --no-corpus-path --no-comp-dir-path --short-locs --no-elf-needed
      --type-id-style hash --out-file "${BASELINE}" "${LIBRARY}"
    RESULT_VARIABLE rc ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "abidw failed (${rc}):\n${err}")
  endif()
  message(STATUS "ABI baseline written: ${BASELINE}")
elseif(MODE STREQUAL "check")
  if(NOT EXISTS "${BASELINE}")
    message(FATAL_ERROR "no ABI baseline at ${BASELINE}")
  endif()
  execute_process(
    COMMAND "${ABIDIFF}" --fail-no-debug-info
      ${abidiff_headers} ${filters} "${BASELINE}" "${LIBRARY}"
    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR
      "abidiff: the ABI of ${LIBRARY} differs from ${BASELINE} "
      "(exit ${rc}: 4 = changed, 8 = incompatible, 1-3 = error)\n${out}${err}\n"
      "An incompatible change needs a new SONAME (JICENG_SOVERSION). For a "
      "deliberate, compatible addition, regenerate and commit the baseline:\n"
      "  cmake --build <build> --target abi-baseline")
  endif()
  message(STATUS "ABI matches ${BASELINE}")
else()
  message(FATAL_ERROR "AbiGate.cmake: MODE must be check or update")
endif()
