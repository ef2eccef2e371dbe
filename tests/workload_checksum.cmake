# Copyright 2026 The jiceng Authors.
# SPDX-License-Identifier: Apache-2.0
#
# The benchmark kit ships its case stream as a file generated at bench time;
# this checks that the generator still reproduces the pinned bytes of the
# default stream (jiceng workload --preset province, default seed and
# options) whose SHA-256 is the first word of SHA_FILE.
# Usage: cmake -DJICENG=... -DSHA_FILE=... -DWORK_DIR=... -P workload_checksum.cmake

file(MAKE_DIRECTORY ${WORK_DIR})
execute_process(
  COMMAND ${JICENG} workload --preset province -o ${WORK_DIR}/workload.bin
  RESULT_VARIABLE rc ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "jiceng workload failed (${rc}): ${err}")
endif()
file(SHA256 ${WORK_DIR}/workload.bin got)
file(READ ${SHA_FILE} pinned)
string(REGEX MATCH "^[0-9a-f]+" want "${pinned}")
file(REMOVE ${WORK_DIR}/workload.bin)
if(NOT got STREQUAL want)
  message(FATAL_ERROR "workload SHA-256 ${got}, pinned ${want} (${SHA_FILE}); "
          "if the change is intended, regenerate the pin (bench/README.md)")
endif()
message(STATUS "workload SHA-256 ${got} matches the pin")
