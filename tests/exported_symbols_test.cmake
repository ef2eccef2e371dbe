# Copyright 2026 The jiceng Authors.
# SPDX-License-Identifier: Apache-2.0
#
# The shared library exports exactly the jc_* functions that jiceng.h
# declares, each under a version node, and nothing else; its SONAME is the
# expected one.
#
#   cmake -DLIBRARY=<libjiceng.so...> -DHEADER=<include/jiceng/jiceng.h>
#         -DEXPECTED_SONAME=libjiceng.so.1 -P exported_symbols_test.cmake
#
# Uses nm and readelf (binutils).

cmake_minimum_required(VERSION 3.20)

foreach(var LIBRARY HEADER EXPECTED_SONAME)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "exported_symbols_test.cmake: -D${var}=... is required")
  endif()
endforeach()
foreach(file "${LIBRARY}" "${HEADER}")
  if(NOT EXISTS "${file}")
    message(FATAL_ERROR "exported_symbols_test.cmake: ${file} does not exist")
  endif()
endforeach()

find_program(NM NAMES nm)
find_program(READELF NAMES readelf)
if(NOT NM OR NOT READELF)
  message(FATAL_ERROR "exported_symbols_test.cmake: needs nm and readelf (binutils)")
endif()

set(problems "")

# ------------------------------------------------- what the library exports
execute_process(COMMAND "${NM}" -D --defined-only "${LIBRARY}"
  RESULT_VARIABLE rc OUTPUT_VARIABLE nm_out ERROR_VARIABLE nm_err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "nm -D --defined-only ${LIBRARY} failed (${rc}):\n${nm_err}")
endif()

# Lines: "<address> <type> <name>[@@<version>|@<version>]".
set(exported)
set(version_nodes)
string(REPLACE "\n" ";" nm_lines "${nm_out}")
foreach(line IN LISTS nm_lines)
  if(line STREQUAL "")
    continue()
  endif()
  if(NOT line MATCHES "^[0-9a-fA-F]* *([A-Za-z]) ([^@ ]+)(@@?([^ ]+))?$")
    string(APPEND problems "  cannot read nm line: ${line}\n")
    continue()
  endif()
  set(type "${CMAKE_MATCH_1}")
  set(name "${CMAKE_MATCH_2}")
  set(version "${CMAKE_MATCH_4}")
  # The version node itself shows up as an absolute symbol (JICENG_1).
  if(type STREQUAL "A" AND version STREQUAL "")
    list(APPEND version_nodes "${name}")
    continue()
  endif()
  if(NOT name MATCHES "^jc_")
    string(APPEND problems "  exported symbol without the jc_ prefix: ${name} (type ${type})\n")
  endif()
  if(NOT type MATCHES "^[TtiW]$")
    string(APPEND problems "  exported symbol ${name} is not a function (nm type ${type})\n")
  endif()
  if(version STREQUAL "")
    string(APPEND problems "  exported symbol ${name} has no version node: is the version script applied?\n")
  endif()
  list(APPEND exported "${name}")
endforeach()
list(REMOVE_DUPLICATES exported)
list(SORT exported)

# ------------------------------------------------- what the header declares
file(READ "${HEADER}" header)
# Drop comments (the header's examples call jc_* functions), then
# preprocessor lines with their continuations (macros are not symbols).
string(REGEX REPLACE "/\\*([^*]|\\*+[^*/])*\\*+/" " " header "${header}")
string(REGEX REPLACE "//[^\n]*" "" header "${header}")
string(REPLACE "\\\n" " " header "${header}")
string(REGEX REPLACE "(^|\n)[ \t]*#[^\n]*" "\\1" header "${header}")
string(REGEX MATCHALL "jc_[a-z0-9_]+[ \t\r\n]*\\(" calls "${header}")
set(declared)
foreach(call IN LISTS calls)
  string(REGEX REPLACE "[ \t\r\n]*\\($" "" name "${call}")
  list(APPEND declared "${name}")
endforeach()
list(REMOVE_DUPLICATES declared)
list(SORT declared)
if(NOT declared)
  message(FATAL_ERROR "found no jc_* function declarations in ${HEADER}")
endif()

# ------------------------------------------------------------- compare
set(missing ${declared})
list(REMOVE_ITEM missing ${exported})
set(extra ${exported})
list(REMOVE_ITEM extra ${declared})
foreach(name IN LISTS missing)
  string(APPEND problems "  declared in the header but not exported: ${name}\n")
endforeach()
foreach(name IN LISTS extra)
  string(APPEND problems "  exported but not declared in the header: ${name}\n")
endforeach()

# ------------------------------------------------------------- SONAME
execute_process(COMMAND "${READELF}" -d "${LIBRARY}"
  RESULT_VARIABLE rc OUTPUT_VARIABLE readelf_out ERROR_VARIABLE readelf_err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "readelf -d ${LIBRARY} failed (${rc}):\n${readelf_err}")
endif()
if(readelf_out MATCHES "Library soname: \\[([^]\n]*)\\]")
  set(soname "${CMAKE_MATCH_1}")
  if(NOT soname STREQUAL EXPECTED_SONAME)
    string(APPEND problems "  SONAME is ${soname}, expected ${EXPECTED_SONAME}\n")
  endif()
else()
  set(soname "(none)")
  string(APPEND problems "  ${LIBRARY} has no SONAME, expected ${EXPECTED_SONAME}\n")
endif()

# ------------------------------------------------------------- result
list(LENGTH declared n_declared)
list(LENGTH exported n_exported)
if(NOT problems STREQUAL "")
  list(JOIN exported " " exported_text)
  list(JOIN declared " " declared_text)
  message(FATAL_ERROR
    "exported_symbols_test: ${LIBRARY}\n${problems}"
    "exported (${n_exported}): ${exported_text}\n"
    "declared (${n_declared}): ${declared_text}\n")
endif()
list(JOIN version_nodes ", " version_text)
message(STATUS "exported_symbols_test: ${n_exported} jc_* functions exported "
  "= ${n_declared} declared in jiceng.h; version node(s) ${version_text}; "
  "SONAME ${soname}")
