# Copyright 2026 The jiceng Authors.
# SPDX-License-Identifier: Apache-2.0
#
# A smoke run of the routing suite (bench/route_suite.h) as bench/run drives
# it: workload_benchmark on a dataset file and a case stream file (here the
# Small() dataset and 2,000 cases, seconds). Checks that every benchmark of
# the suite ran without error and that BM_Workload_Engine describes the
# dataset file's engine (1,500 grids, positive sizes and times).
# Usage: cmake -DJICENG=... -DBENCHMARK=... -DWORK_DIR=...
#          -P route_suite_smoke.cmake

cmake_minimum_required(VERSION 3.25)
file(MAKE_DIRECTORY ${WORK_DIR})
set(dataset ${WORK_DIR}/dataset-small.pb)
set(workload ${WORK_DIR}/workload-small.bin)
execute_process(COMMAND ${JICENG} generate --preset small -o ${dataset}
  RESULT_VARIABLE rc ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "jiceng generate failed (${rc}): ${err}")
endif()
execute_process(COMMAND ${JICENG} workload ${dataset} --cases 2000
  -o ${workload} RESULT_VARIABLE rc ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "jiceng workload failed (${rc}): ${err}")
endif()
execute_process(
  COMMAND ${CMAKE_COMMAND} -E env JICENG_DATASET=${dataset}
    JICENG_WORKLOAD=${workload}
    ${BENCHMARK} --benchmark_min_time=0.01 --benchmark_format=json
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${BENCHMARK} failed (${rc}): ${err}")
endif()

set(expected BM_Workload_Engine BM_Workload_Route BM_Workload_RouteLatency
  BM_Workload_RouteToProto BM_Workload_Batch/threads:1
  BM_Workload_Batch/threads:2)
string(JSON count LENGTH "${out}" benchmarks)
math(EXPR last "${count} - 1")
set(seen)
foreach(i RANGE ${last})
  string(JSON name GET "${out}" benchmarks ${i} name)
  string(REGEX REPLACE "/iterations:[0-9]+$" "" name "${name}")
  string(REGEX REPLACE "/real_time$" "" name "${name}")
  list(APPEND seen ${name})
  string(JSON error ERROR_VARIABLE none GET "${out}" benchmarks ${i}
    error_occurred)
  if(error)
    message(FATAL_ERROR "${name} reported an error")
  endif()
  if(name STREQUAL "BM_Workload_Engine")
    string(JSON grids GET "${out}" benchmarks ${i} grids)
    if(NOT grids EQUAL 1500)
      message(FATAL_ERROR "BM_Workload_Engine: grids = ${grids}, want 1500")
    endif()
    foreach(counter engine_MB region_index_MB bytes_per_grid compile_ms
                    parse_ms peak_rss_MB)
      string(JSON v GET "${out}" benchmarks ${i} ${counter})
      if(NOT v GREATER 0)
        message(FATAL_ERROR "BM_Workload_Engine: ${counter} = ${v}")
      endif()
    endforeach()
  endif()
endforeach()
foreach(name ${expected})
  if(NOT name IN_LIST seen)
    message(FATAL_ERROR "${name} did not run (ran: ${seen})")
  endif()
endforeach()
file(REMOVE ${dataset} ${workload})
message(STATUS "the routing suite ran: ${seen}")
