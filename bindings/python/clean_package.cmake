# Copyright 2026 The jiceng Authors.
# SPDX-License-Identifier: Apache-2.0
#
# Run by the build each time it stages the Python package: removes from the
# staged folder what pip and setuptools left there (build/, *.egg-info,
# __pycache__) and every file the build no longer stages (a module removed
# from the binding). pip builds a local folder in place and reuses its
# build/lib, so without this a module removed from the package would stay
# installed by the README's `pip install build/bindings/python/package`.
#
#   cmake -DPACKAGE_DIR=<staged> -DMANIFEST=<file: one staged path per line,
#         relative to PACKAGE_DIR> -P clean_package.cmake

cmake_minimum_required(VERSION 3.20)

foreach(var PACKAGE_DIR MANIFEST)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "clean_package.cmake: -D${var}=... is required")
  endif()
endforeach()

file(STRINGS "${MANIFEST}" staged)
file(GLOB leftovers LIST_DIRECTORIES true
  "${PACKAGE_DIR}/build" "${PACKAGE_DIR}/*.egg-info")
file(GLOB_RECURSE caches LIST_DIRECTORIES true "${PACKAGE_DIR}/*")
foreach(path IN LISTS caches)
  if(IS_DIRECTORY "${path}" AND path MATCHES "/__pycache__$")
    list(APPEND leftovers "${path}")
  endif()
endforeach()
if(leftovers)
  file(REMOVE_RECURSE ${leftovers})
endif()

file(GLOB_RECURSE files LIST_DIRECTORIES false RELATIVE "${PACKAGE_DIR}"
  "${PACKAGE_DIR}/*")
foreach(file IN LISTS files)
  if(NOT file IN_LIST staged)
    message(STATUS "jiceng: removing ${file}, no longer staged, from "
      "${PACKAGE_DIR}")
    file(REMOVE "${PACKAGE_DIR}/${file}")
  endif()
endforeach()
