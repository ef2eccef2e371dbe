# Copyright 2026 The jiceng Authors.
# SPDX-License-Identifier: Apache-2.0
#
# Installs jiceng from a build tree into a scratch prefix and uses it the way
# a downstream project would:
#   1. the installed tree has the library (with its SONAME link), the C
#      header, the .proto files, the CMake package files and jiceng.pc, and
#      no internal headers;
#   2. the consumer project in this folder configures with
#      find_package(jiceng CONFIG REQUIRED), builds, runs and prints
#      "consumer ok";
#   3. find_package(jiceng <major>.<minor> CONFIG) accepts the installed
#      version and rejects the next major and the next minor version;
#   4. pkg-config (when installed) gives flags that compile and link the
#      consumer against the installed prefix;
#   5. each install component holds what its package needs and nothing
#      else: runtime the shared library, dev the development link, header,
#      .proto files, CMake package files and jiceng.pc, cli the command,
#      java the jar and pom; together they are the whole install;
#   6. the licence text is installed (share/doc/jiceng/LICENSE, with the
#      runtime) and is in the jar (META-INF/LICENSE).
#
#   cmake -DJICENG_BUILD_DIR=<jiceng build tree> -DCONSUMER_SOURCE_DIR=<here>
#         -DWORK_DIR=<scratch dir> -DGENERATOR=<e.g. Ninja>
#         -P run_consumer_test.cmake

cmake_minimum_required(VERSION 3.20)

foreach(var JICENG_BUILD_DIR CONSUMER_SOURCE_DIR WORK_DIR GENERATOR)
  if(NOT DEFINED ${var} OR "${${var}}" STREQUAL "")
    message(FATAL_ERROR "run_consumer_test.cmake: -D${var}=... is required")
  endif()
endforeach()

set(prefix "${WORK_DIR}/prefix")

# step(<description> COMMAND...): runs a command; stops with its output on
# failure. Sets step_output (stdout + stderr).
function(step description)
  execute_process(COMMAND ${ARGN}
    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err
    TIMEOUT 300)
  if(NOT rc EQUAL 0)
    list(JOIN ARGN " " command)
    message(FATAL_ERROR "${description} failed (${rc}):\n  ${command}\n"
      "--- stdout:\n${out}\n--- stderr:\n${err}")
  endif()
  set(step_output "${out}${err}" PARENT_SCOPE)
endfunction()

# require_one(<var> <glob> <what>): exactly one file matches under prefix.
function(require_one var glob what)
  file(GLOB_RECURSE found LIST_DIRECTORIES false "${prefix}/${glob}")
  list(LENGTH found n)
  if(NOT n EQUAL 1)
    message(FATAL_ERROR "installed tree: expected one ${what} (${glob}), "
      "found ${n}: ${found}")
  endif()
  set(${var} "${found}" PARENT_SCOPE)
endfunction()

# ------------------------------------------------------------- install
file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}")
step("cmake --install" ${CMAKE_COMMAND} --install "${JICENG_BUILD_DIR}"
  --prefix "${prefix}")

# ------------------------------------------------------- installed tree
require_one(library "libjiceng.so.1" "shared library with the SONAME name")
get_filename_component(libdir "${library}" DIRECTORY)
if(NOT EXISTS "${libdir}/libjiceng.so")
  message(FATAL_ERROR "installed tree: no development link ${libdir}/libjiceng.so")
endif()
foreach(file include/jiceng/jiceng.h include/jiceng/v1/dataset.proto)
  if(NOT EXISTS "${prefix}/${file}")
    message(FATAL_ERROR "installed tree: ${prefix}/${file} is missing")
  endif()
endforeach()
require_one(config "jicengConfig.cmake" "package configuration file")
require_one(config_version "jicengConfigVersion.cmake" "package version file")
require_one(targets "jicengTargets.cmake" "exported targets file")
require_one(pc "jiceng.pc" "pkg-config file")
get_filename_component(pkgconfig_dir "${pc}" DIRECTORY)

# The licence text (Apache-2.0 4(a)), installed and inside each jar.
require_one(licence "share/doc/jiceng/LICENSE" "licence text")
file(GLOB_RECURSE jars LIST_DIRECTORIES false "${prefix}/share/*.jar")
foreach(jar IN LISTS jars)
  execute_process(COMMAND ${CMAKE_COMMAND} -E tar tf "${jar}"
    RESULT_VARIABLE rc OUTPUT_VARIABLE entries ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "cannot list ${jar} (${rc}): ${err}")
  endif()
  if(NOT entries MATCHES "(^|\n)META-INF/LICENSE\n")
    message(FATAL_ERROR "installed ${jar} has no META-INF/LICENSE")
  endif()
endforeach()

# Only the stable C header and the data model are installed: no internal
# (src/) headers, no generated C++ headers.
file(GLOB_RECURSE installed_headers RELATIVE "${prefix}/include"
  "${prefix}/include/*")
foreach(file IN LISTS installed_headers)
  if(NOT file STREQUAL "jiceng/jiceng.h" AND
     NOT file MATCHES "^jiceng/v1/[a-z_]+\\.proto$")
    message(FATAL_ERROR "installed tree: unexpected file include/${file}")
  endif()
endforeach()

file(STRINGS "${config_version}" version_line
  REGEX "set\\(PACKAGE_VERSION \"[0-9]+\\.[0-9]+")
if(NOT version_line MATCHES "\"([0-9]+)\\.([0-9]+)\\.?([0-9]*)\"")
  message(FATAL_ERROR "cannot read PACKAGE_VERSION from ${config_version}")
endif()
set(major "${CMAKE_MATCH_1}")
set(minor "${CMAKE_MATCH_2}")
message(STATUS "installed jiceng ${major}.${minor} into ${prefix} (libdir ${libdir})")

# --------------------------------------------- configure, build, run
# With -DCMAKE_PREFIX_PATH=<a scratch prefix>: only it may satisfy
# find_package.
set(configure_args
  -G "${GENERATOR}"
  -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF
  -DCMAKE_FIND_USE_SYSTEM_PACKAGE_REGISTRY=OFF)

# run_consumer(<what> <program> <libdir>): runs a built consumer against the
# library in <libdir>; it must print "consumer ok". Sets step_output.
function(run_consumer what program dir)
  step("running ${what}" ${CMAKE_COMMAND} -E env
    "LD_LIBRARY_PATH=${dir}" "${program}")
  string(FIND "${step_output}" "consumer ok" ok)
  if(ok EQUAL -1)
    message(FATAL_ERROR "${what} did not print \"consumer ok\":\n${step_output}")
  endif()
  set(step_output "${step_output}" PARENT_SCOPE)
endfunction()

# build_consumer(<what> <prefix> <build dir> <libdir>): configures the
# consumer project with find_package(jiceng) in <prefix> alone, builds it
# and runs it. Sets step_output (what it printed).
function(build_consumer what install_prefix dir run_libdir)
  step("configuring ${what}" ${CMAKE_COMMAND}
    -S "${CONSUMER_SOURCE_DIR}" -B "${dir}" ${configure_args}
    -DCMAKE_PREFIX_PATH=${install_prefix})
  string(FIND "${step_output}" "found jiceng" at)
  string(FIND "${step_output}" "${install_prefix}/" in_prefix)
  if(at EQUAL -1 OR in_prefix EQUAL -1)
    message(FATAL_ERROR "${what} did not find jiceng in ${install_prefix}:\n${step_output}")
  endif()
  step("building ${what}" ${CMAKE_COMMAND} --build "${dir}")
  run_consumer("${what}" "${dir}/consumer" "${run_libdir}")
  set(step_output "${step_output}" PARENT_SCOPE)
endfunction()

build_consumer("the consumer" "${prefix}" "${WORK_DIR}/build" "${libdir}")
message(STATUS "consumer: ${step_output}")

# ------------------------------------------------ version compatibility
# configure_consumer(<requested version> <expect: OK|FAIL>)
function(configure_consumer version expect)
  set(dir "${WORK_DIR}/build-version-${version}")
  execute_process(COMMAND ${CMAKE_COMMAND}
      -S "${CONSUMER_SOURCE_DIR}" -B "${dir}" ${configure_args}
      -DCMAKE_PREFIX_PATH=${prefix} -DJICENG_REQUIRED_VERSION=${version}
    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT 300)
  if(expect STREQUAL "OK" AND NOT rc EQUAL 0)
    message(FATAL_ERROR "find_package(jiceng ${version} CONFIG) should accept "
      "the installed ${major}.${minor}:\n${out}\n${err}")
  elseif(expect STREQUAL "FAIL" AND rc EQUAL 0)
    message(FATAL_ERROR "find_package(jiceng ${version} CONFIG) should reject "
      "the installed ${major}.${minor}:\n${out}\n${err}")
  endif()
endfunction()
math(EXPR next_major "${major} + 1")
math(EXPR next_minor "${minor} + 1")
configure_consumer("${major}.${minor}" OK)
configure_consumer("${next_major}.0" FAIL)
configure_consumer("${major}.${next_minor}" FAIL)
message(STATUS "find_package(jiceng ${major}.${minor} CONFIG) accepts the "
  "installed package; ${next_major}.0 and ${major}.${next_minor} are rejected")

# ------------------------------------------------------------ pkg-config
find_program(PKG_CONFIG NAMES pkg-config pkgconf)
if(NOT PKG_CONFIG)
  message(STATUS "pkg-config not installed: skipping the jiceng.pc checks")
else()
  step("pkg-config --cflags --libs jiceng" ${CMAKE_COMMAND} -E env
    "PKG_CONFIG_PATH=${pkgconfig_dir}"
    "${PKG_CONFIG}" --cflags --libs jiceng)
  string(STRIP "${step_output}" pc_flags)
  if(NOT pc_flags MATCHES "(^| )-ljiceng( |$)")
    message(FATAL_ERROR "pkg-config --libs jiceng lacks -ljiceng: ${pc_flags}")
  endif()
  # The flags must point into the prefix the package was installed to
  # (cmake --install --prefix relocates it), or a build would pick up
  # another copy of jiceng, or none.
  # (Compared as real paths: jiceng.pc may say ${pcfiledir}/../..)
  separate_arguments(pc_args UNIX_COMMAND "${pc_flags}")
  file(REAL_PATH "${prefix}/include" want_include)
  file(REAL_PATH "${libdir}" want_libdir)
  set(has_include FALSE)
  set(has_libdir FALSE)
  foreach(arg IN LISTS pc_args)
    if(arg MATCHES "^-([IL])(.+)$")
      set(flag "${CMAKE_MATCH_1}")
      file(REAL_PATH "${CMAKE_MATCH_2}" path)
      if(flag STREQUAL "I" AND path STREQUAL want_include)
        set(has_include TRUE)
      elseif(flag STREQUAL "L" AND path STREQUAL want_libdir)
        set(has_libdir TRUE)
      endif()
    endif()
  endforeach()
  if(NOT has_include OR NOT has_libdir)
    file(READ "${pc}" pc_contents)
    string(REPLACE "\n" "\n    " pc_contents "    ${pc_contents}")
    message(FATAL_ERROR "pkg-config flags for the package installed in "
      "${prefix} point elsewhere:\n  ${pc_flags}\n"
      "expected -I${prefix}/include and -L${libdir}; ${pc}:\n"
      "${pc_contents}")
  endif()
  find_program(CC NAMES cc gcc clang)
  if(CC)
    step("compiling the consumer with pkg-config flags" "${CC}" -std=c99
      "${CONSUMER_SOURCE_DIR}/consumer.c" -o "${WORK_DIR}/consumer-pc"
      ${pc_args})
    run_consumer("the pkg-config consumer" "${WORK_DIR}/consumer-pc"
      "${libdir}")
  endif()
  message(STATUS "pkg-config: ${pc_flags}")
endif()

# ------------------------------------------------------------ components
# The files under a prefix, relative to it, sorted.
function(installed_files var dir)
  file(GLOB_RECURSE found LIST_DIRECTORIES false RELATIVE "${dir}" "${dir}/*")
  list(SORT found)
  set(${var} "${found}" PARENT_SCOPE)
endfunction()
installed_files(everything "${prefix}")
set(union "")
foreach(component runtime dev cli java)
  set(dir "${WORK_DIR}/component-${component}")
  step("cmake --install --component ${component}" ${CMAKE_COMMAND}
    --install "${JICENG_BUILD_DIR}" --prefix "${dir}"
    --component ${component})
  installed_files(files "${dir}")
  foreach(file IN LISTS files)
    if(component STREQUAL "runtime")
      set(ok_pattern "^(lib[^/]*(/[^/]+)?/libjiceng\\.so\\.[0-9.]+|share/doc/jiceng/LICENSE)$")
    elseif(component STREQUAL "dev")
      set(ok_pattern "^(include/jiceng/jiceng\\.h|include/jiceng/v1/[a-z_]+\\.proto|lib[^/]*(/[^/]+)?/libjiceng\\.so|lib[^/]*(/[^/]+)?/cmake/jiceng/jiceng[A-Za-z-]*\\.cmake|lib[^/]*(/[^/]+)?/pkgconfig/jiceng\\.pc)$")
    elseif(component STREQUAL "cli")
      set(ok_pattern "^bin/jiceng$")
    else()
      set(ok_pattern "^share/(java|maven-repo/.*)/jiceng[^/]*\\.(jar|pom)$")
    endif()
    if(NOT file MATCHES "${ok_pattern}")
      message(FATAL_ERROR "component ${component} installs ${file}, "
        "which belongs to another component (or to none)")
    endif()
  endforeach()
  # What each component must hold (java only where the jar was built).
  if(component STREQUAL "runtime")
    set(required "libjiceng\\.so\\.1$;^share/doc/jiceng/LICENSE$")
  elseif(component STREQUAL "dev")
    set(required "libjiceng\\.so$;jiceng\\.h$;dataset\\.proto$;jicengConfig\\.cmake$;jicengTargets\\.cmake$;jiceng\\.pc$")
  elseif(component STREQUAL "cli")
    set(required "^bin/jiceng$")
  else()
    set(required "")
  endif()
  foreach(pattern IN LISTS required)
    set(hits "")
    foreach(file IN LISTS files)
      if(file MATCHES "${pattern}")
        list(APPEND hits "${file}")
      endif()
    endforeach()
    if(hits STREQUAL "")
      message(FATAL_ERROR "component ${component} lacks a file matching "
        "${pattern}; it installs: ${files}")
    endif()
  endforeach()
  list(APPEND union ${files})
  list(LENGTH files n)
  message(STATUS "component ${component}: ${n} files")
endforeach()
list(REMOVE_DUPLICATES union)
list(SORT union)
if(NOT union STREQUAL everything)
  set(missing ${everything})
  list(REMOVE_ITEM missing ${union})
  message(FATAL_ERROR "files in no component (a packager splitting by "
    "component would drop them): ${missing}")
endif()
# The runtime and dev components alone are enough to build against.
set(split "${WORK_DIR}/component-runtime+dev")
foreach(component runtime dev)
  step("cmake --install --component ${component}" ${CMAKE_COMMAND}
    --install "${JICENG_BUILD_DIR}" --prefix "${split}"
    --component ${component})
endforeach()
file(GLOB_RECURSE split_library "${split}/*/libjiceng.so.1")
get_filename_component(split_libdir "${split_library}" DIRECTORY)
build_consumer("the consumer on runtime + dev" "${split}"
  "${WORK_DIR}/build-split" "${split_libdir}")

message(STATUS "find_package_consumer_test: all checks passed")
