# Copyright 2026 The jiceng Authors.
# SPDX-License-Identifier: Apache-2.0
#
# jiceng.pc for the install directories a packager may give: configures
# jiceng (configure only, nothing built) into scratch build trees and puts
# each generated jiceng.pc where `cmake --install` would, then asks
# pkg-config:
#   1. relative CMAKE_INSTALL_LIBDIR / INCLUDEDIR (the default): the file
#      says libdir=${prefix}/<dir> with the prefix found from the file's own
#      place, so a copy of the tree elsewhere gives that copy's directories;
#   2. absolute ones (-DCMAKE_INSTALL_LIBDIR=/x/lib64, as Nix passes): the
#      file gives them as they were given, not ${prefix}//x/lib64.
#
#   cmake -DSOURCE_DIR=<jiceng> -DWORK_DIR=<scratch> -DGENERATOR=<Ninja>
#         [-DC_COMPILER=... -DCXX_COMPILER=...] -P pkg_config_dirs_test.cmake

cmake_minimum_required(VERSION 3.20)

foreach(var SOURCE_DIR WORK_DIR GENERATOR)
  if(NOT DEFINED ${var} OR "${${var}}" STREQUAL "")
    message(FATAL_ERROR "pkg_config_dirs_test.cmake: -D${var}=... is required")
  endif()
endforeach()

find_program(PKG_CONFIG NAMES pkg-config pkgconf)
file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}")

# configure(<build dir> <-D args>...): configures jiceng, the bindings,
# tests and benchmarks off. Sets pc_text (the generated jiceng.pc).
function(configure dir)
  set(compilers)
  if(C_COMPILER)
    list(APPEND compilers -DCMAKE_C_COMPILER=${C_COMPILER})
  endif()
  if(CXX_COMPILER)
    list(APPEND compilers -DCMAKE_CXX_COMPILER=${CXX_COMPILER})
  endif()
  execute_process(COMMAND ${CMAKE_COMMAND} -S "${SOURCE_DIR}" -B "${dir}"
      -G "${GENERATOR}" ${compilers} -DJICENG_BUILD_TESTS=OFF
      -DJICENG_BUILD_BENCHMARKS=OFF -DJICENG_BUILD_JAVA=OFF
      -DJICENG_BUILD_PYTHON=OFF -DJICENG_INSTALL=ON ${ARGN}
    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT 300)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "configuring ${dir} failed (${rc}):\n${out}\n${err}")
  endif()
  file(READ "${dir}/jiceng.pc" text)
  set(pc_text "${text}" PARENT_SCOPE)
endfunction()

# expect_line(<text> <line regex> <what>)
function(expect_line text regex what)
  if(NOT text MATCHES "(^|\n)${regex}\n")
    message(FATAL_ERROR "jiceng.pc: expected ${what}; it reads:\n${text}")
  endif()
endfunction()

# expect_flags(<pkgconfig dir> <include dir> <lib dir>): pkg-config, given
# the jiceng.pc in <pkgconfig dir>, gives -I<include dir> and -L<lib dir>
# (compared as normalized paths: jiceng.pc may say ${pcfiledir}/../..).
function(expect_flags pc_dir include lib)
  if(NOT PKG_CONFIG)
    return()
  endif()
  execute_process(COMMAND ${CMAKE_COMMAND} -E env
      "PKG_CONFIG_PATH=${pc_dir}" PKG_CONFIG_LIBDIR=/nonexistent
      "${PKG_CONFIG}" --cflags --libs jiceng
    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "pkg-config in ${pc_dir} failed (${rc}): ${err}")
  endif()
  string(STRIP "${out}" flags)
  separate_arguments(args UNIX_COMMAND "${flags}")
  set(got_include "")
  set(got_lib "")
  foreach(arg IN LISTS args)
    if(arg MATCHES "^-I(.+)$")
      cmake_path(NORMAL_PATH CMAKE_MATCH_1 OUTPUT_VARIABLE got_include)
    elseif(arg MATCHES "^-L(.+)$")
      cmake_path(NORMAL_PATH CMAKE_MATCH_1 OUTPUT_VARIABLE got_lib)
    endif()
  endforeach()
  cmake_path(NORMAL_PATH include)
  cmake_path(NORMAL_PATH lib)
  string(REGEX REPLACE "/$" "" got_include "${got_include}")
  string(REGEX REPLACE "/$" "" got_lib "${got_lib}")
  if(NOT got_include STREQUAL include OR NOT got_lib STREQUAL lib)
    message(FATAL_ERROR "pkg-config with ${pc_dir}/jiceng.pc gives\n  "
      "${flags}\nexpected -I${include} and -L${lib}")
  endif()
endfunction()

# place(<pc text> <dir>): writes jiceng.pc into <dir>.
function(place text dir)
  file(MAKE_DIRECTORY "${dir}")
  file(WRITE "${dir}/jiceng.pc" "${text}")
endfunction()

# ---------------------------------------------- 1. relative (the default)
configure("${WORK_DIR}/build-relative" -DCMAKE_INSTALL_PREFIX=/opt/jiceng
  -DCMAKE_INSTALL_LIBDIR=lib64 -DCMAKE_INSTALL_INCLUDEDIR=include)
set(relative_pc "${pc_text}")
expect_line("${relative_pc}" "prefix=\\\${pcfiledir}/\\.\\./\\.\\."
  "prefix=\${pcfiledir}/../..")
expect_line("${relative_pc}" "libdir=\\\${prefix}/lib64" "libdir=\${prefix}/lib64")
expect_line("${relative_pc}" "includedir=\\\${prefix}/include"
  "includedir=\${prefix}/include")
foreach(root a b/c)
  set(prefix "${WORK_DIR}/relocated/${root}")
  place("${relative_pc}" "${prefix}/lib64/pkgconfig")
  expect_flags("${prefix}/lib64/pkgconfig" "${prefix}/include"
    "${prefix}/lib64")
endforeach()

# --------------------------------------------------------- 2. absolute
set(prefix "${WORK_DIR}/absolute")
configure("${WORK_DIR}/build-absolute" -DCMAKE_INSTALL_PREFIX=${prefix}
  -DCMAKE_INSTALL_LIBDIR=${prefix}/lib64
  -DCMAKE_INSTALL_INCLUDEDIR=${prefix}/include/x)
set(absolute_pc "${pc_text}")
string(REGEX REPLACE "([][+.*()^$\\\\])" "\\\\\\1" prefix_re "${prefix}")
expect_line("${absolute_pc}" "libdir=${prefix_re}/lib64"
  "libdir=${prefix}/lib64")
expect_line("${absolute_pc}" "includedir=${prefix_re}/include/x"
  "includedir=${prefix}/include/x")
place("${absolute_pc}" "${prefix}/lib64/pkgconfig")
expect_flags("${prefix}/lib64/pkgconfig" "${prefix}/include/x"
  "${prefix}/lib64")

if(NOT PKG_CONFIG)
  message(STATUS "pkg-config not installed: checked jiceng.pc's text only")
endif()
message(STATUS "pkg_config_dirs_test: relative and absolute install "
  "directories give a working jiceng.pc")
