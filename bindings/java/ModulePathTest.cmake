# Copyright 2026 The jiceng Authors.
# SPDX-License-Identifier: Apache-2.0
#
# ctest java_module_path_test: jiceng.jar as an integrator's Maven or JPMS
# build takes it.
#   1. With INSTALL_BUILD_DIR: installs the build into a scratch prefix and
#      takes the jar and pom from where the README says they are
#      (<prefix>/share/java/jiceng.jar and the Maven repository layout
#      <prefix>/share/maven-repo/cn/jiceng/jiceng/<version>/); without it,
#      the build tree's jiceng.jar and jiceng.pom.
#   2. PomCheck: the pom is well-formed and names cn.jiceng:jiceng:<version>
#      and its dependencies, which must be in MAVEN_REPO (Debian's
#      /usr/share/maven-repo), protobuf-java at the protoc's version.
#   3. A named module "requires cn.jiceng" compiles against the jar and the
#      dependencies' jars from MAVEN_REPO on the module path, then runs
#      there: the manifest's Automatic-Module-Name and version, the sample
#      engine, one routed case (ModulePathCheck).
#
#   cmake -DJAVA=... -DJAVAC=... -DPROTOC=... -DLIBRARY=libjiceng.so.1
#         -DVERSION=x.y.z -DMAVEN_REPO=dir -DSOURCE_DIR=src/moduletest/java
#         -DWORK_DIR=dir -DJAR=jiceng.jar -DPOM=jiceng.pom
#         [-DINSTALL_BUILD_DIR=build -DINSTALL_JAVA_DIR=share/java
#          -DINSTALL_MAVEN_DIR=share/maven-repo/cn/jiceng/jiceng/x.y.z]
#         -P ModulePathTest.cmake

cmake_minimum_required(VERSION 3.20)

foreach(var JAVA JAVAC PROTOC LIBRARY VERSION MAVEN_REPO SOURCE_DIR WORK_DIR
            JAR POM)
  if(NOT DEFINED ${var} OR "${${var}}" STREQUAL "")
    message(FATAL_ERROR "ModulePathTest.cmake: -D${var}=... is required")
  endif()
endforeach()

# step(<description> COMMAND...): runs a command; stops with its output on
# failure. Sets step_stdout and step_output (stdout + stderr).
function(step description)
  execute_process(COMMAND ${ARGN}
    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT 300)
  if(NOT rc EQUAL 0)
    list(JOIN ARGN " " command)
    message(FATAL_ERROR "${description} failed (${rc}):\n  ${command}\n"
      "--- stdout:\n${out}\n--- stderr:\n${err}")
  endif()
  set(step_stdout "${out}" PARENT_SCOPE)
  set(step_output "${out}${err}" PARENT_SCOPE)
endfunction()

file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}")

# ------------------------------------------------ 1. the jar and the pom
set(jar "${JAR}")
set(pom "${POM}")
if(DEFINED INSTALL_BUILD_DIR AND NOT INSTALL_BUILD_DIR STREQUAL "")
  set(prefix "${WORK_DIR}/prefix")
  step("cmake --install" ${CMAKE_COMMAND} --install "${INSTALL_BUILD_DIR}"
    --prefix "${prefix}")
  set(jar "${prefix}/${INSTALL_MAVEN_DIR}/jiceng-${VERSION}.jar")
  set(pom "${prefix}/${INSTALL_MAVEN_DIR}/jiceng-${VERSION}.pom")
  set(plain_jar "${prefix}/${INSTALL_JAVA_DIR}/jiceng.jar")
  foreach(file "${jar}" "${pom}" "${plain_jar}")
    if(NOT EXISTS "${file}")
      message(FATAL_ERROR "installed tree: ${file} is missing")
    endif()
  endforeach()
  foreach(pair "${JAR}|${jar}" "${JAR}|${plain_jar}" "${POM}|${pom}")
    string(REPLACE "|" ";" pair "${pair}")
    list(GET pair 0 built)
    list(GET pair 1 installed)
    file(SHA256 "${built}" want)
    file(SHA256 "${installed}" got)
    if(NOT want STREQUAL got)
      message(FATAL_ERROR "installed ${installed} differs from ${built}")
    endif()
  endforeach()
  message(STATUS "installed: ${plain_jar}, ${jar}, ${pom}")
endif()

# ----------------------------------------------------------- 2. the pom
step("protoc --version" "${PROTOC}" --version)
string(STRIP "${step_stdout}" protoc_version)
string(REGEX REPLACE "^libprotoc " "" protoc_version "${protoc_version}")

set(pomcheck_classes "${WORK_DIR}/pomcheck-classes")
step("compiling PomCheck" "${JAVAC}" --release 11 -encoding UTF-8
  -Xlint:all -Werror -d "${pomcheck_classes}"
  "${SOURCE_DIR}/cn/jiceng/moduletest/PomCheck.java")
step("checking ${pom}" "${JAVA}" -cp "${pomcheck_classes}"
  cn.jiceng.moduletest.PomCheck "${pom}" "${VERSION}" "${MAVEN_REPO}"
  "${protoc_version}")
string(STRIP "${step_stdout}" dependency_jars)
string(REPLACE "\n" ";" dependency_jars "${dependency_jars}")
message(STATUS "the pom's dependencies in ${MAVEN_REPO}: ${dependency_jars}")

# ----------------------------------------------------- 3. module path
set(module_path "${jar}" ${dependency_jars})
string(REPLACE ";" ":" module_path "${module_path}")
set(module_classes "${WORK_DIR}/module-classes")
# -requires-automatic: requiring an automatic module is the point here.
step("compiling a module that requires cn.jiceng" "${JAVAC}"
  --release 11 -encoding UTF-8 -Xlint:all,-requires-automatic -Werror
  --module-path "${module_path}" -d "${module_classes}"
  "${SOURCE_DIR}/module-info.java"
  "${SOURCE_DIR}/cn/jiceng/moduletest/ModulePathCheck.java"
  "${SOURCE_DIR}/cn/jiceng/moduletest/PomCheck.java")
step("running on the module path" "${JAVA}" -Djiceng.library=${LIBRARY}
  --module-path "${module_classes}:${module_path}"
  --module cn.jiceng.moduletest/cn.jiceng.moduletest.ModulePathCheck
  "${jar}" "${VERSION}")
string(FIND "${step_output}" "module path ok: cn.jiceng ${VERSION}" ok)
if(ok EQUAL -1)
  message(FATAL_ERROR "ModulePathCheck did not report success:\n${step_output}")
endif()
string(STRIP "${step_output}" step_output)
message(STATUS "${step_output}")
message(STATUS "java_module_path_test: all checks passed")
