# Copyright 2026 The jiceng Authors.
# SPDX-License-Identifier: Apache-2.0
#
# The staged Python package holds exactly what the build stages
# (package_files.txt), and clean_package.cmake, which the build runs when it
# stages, removes what pip left in it (build/, whose build/lib pip would
# reuse, *.egg-info, __pycache__) and files no longer staged, and keeps the
# staged ones. Works on a copy: python_install builds in the staged folder.
#
#   cmake -DPACKAGE_DIR=<staged> -DMANIFEST=<package_files.txt>
#         -DSCRIPT=<clean_package.cmake> -DWORK_DIR=<scratch>
#         -P clean_package_test.cmake

cmake_minimum_required(VERSION 3.20)

foreach(var PACKAGE_DIR MANIFEST SCRIPT WORK_DIR)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "clean_package_test.cmake: -D${var}=... is required")
  endif()
endforeach()

file(STRINGS "${MANIFEST}" staged)
list(LENGTH staged n)
if(n LESS 10)
  message(FATAL_ERROR "${MANIFEST} lists only ${n} files: ${staged}")
endif()

# The manifest is the staged package: nothing staged is missing from it
# (the clean would delete it), nothing listed is missing from the folder.
file(GLOB_RECURSE present LIST_DIRECTORIES false RELATIVE "${PACKAGE_DIR}"
  "${PACKAGE_DIR}/*")
foreach(file IN LISTS present)
  if(NOT file MATCHES "^(build/|[^/]*\\.egg-info/)|(^|/)__pycache__/" AND
     NOT file IN_LIST staged)
    message(FATAL_ERROR "${PACKAGE_DIR}/${file} is staged but not listed "
      "in ${MANIFEST}")
  endif()
endforeach()
foreach(file IN LISTS staged)
  if(NOT EXISTS "${PACKAGE_DIR}/${file}")
    message(FATAL_ERROR "${MANIFEST} lists ${file}, not in ${PACKAGE_DIR}")
  endif()
endforeach()
if(NOT "LICENSE" IN_LIST staged)
  message(FATAL_ERROR "the staged package has no LICENSE")
endif()

# A copy with what pip and an older build would leave behind.
set(copy "${WORK_DIR}/package")
file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${copy}")
foreach(file IN LISTS staged)
  get_filename_component(dir "${copy}/${file}" DIRECTORY)
  file(COPY "${PACKAGE_DIR}/${file}" DESTINATION "${dir}")
endforeach()
set(leftovers
  build/lib/jiceng/removed_module.py
  build/bdist.linux-x86_64/wheel/jiceng/__init__.py
  jiceng.egg-info/SOURCES.txt
  jiceng/removed_module.py
  jiceng/__pycache__/engine.cpython-311.pyc
  jiceng/v1/removed_pb2.py)
foreach(file IN LISTS leftovers)
  file(WRITE "${copy}/${file}" "left over\n")
endforeach()

execute_process(COMMAND ${CMAKE_COMMAND} -DPACKAGE_DIR=${copy}
    -DMANIFEST=${MANIFEST} -P ${SCRIPT}
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "clean_package.cmake failed (${rc}):\n${out}\n${err}")
endif()

foreach(path build jiceng.egg-info jiceng/__pycache__
    jiceng/removed_module.py jiceng/v1/removed_pb2.py)
  if(EXISTS "${copy}/${path}")
    message(FATAL_ERROR "clean_package.cmake left ${path} in ${copy}")
  endif()
endforeach()
foreach(file IN LISTS staged)
  file(SHA256 "${PACKAGE_DIR}/${file}" want)
  if(NOT EXISTS "${copy}/${file}")
    message(FATAL_ERROR "clean_package.cmake removed the staged ${file}")
  endif()
  file(SHA256 "${copy}/${file}" got)
  if(NOT got STREQUAL want)
    message(FATAL_ERROR "clean_package.cmake changed the staged ${file}")
  endif()
endforeach()
message(STATUS "clean_package_test: ${n} staged files kept, leftovers removed")
