# Copyright 2026 The jiceng Authors.
# SPDX-License-Identifier: Apache-2.0
#
# The assessment's HTML report, rendered by a real browser:
#   cmake -DJICENG=<jiceng> -DRECORDS=<records file> -DWORK_DIR=<dir>
#         [-DCHROMIUM=<browser>] -P assess_html_test.cmake
#
# `jiceng assess RECORDS --html` writes the report; headless Chromium
# (Debian's chromium package) loads it from file:// with a throw-away
# profile and no network, dumps the DOM it built, and takes a screenshot.
# The DOM must hold every chart (<svg id="chart-...">) with its title and
# data bars, and the screenshot must be a non-trivial PNG.
#
# Without a browser the test is skipped (it prints "assess_html_test:
# skipped", ctest's SKIP_REGULAR_EXPRESSION) unless CI is set: `bash cmake/dev.sh test` installs
# chromium, so there it always runs.

cmake_minimum_required(VERSION 3.20)

foreach(var JICENG RECORDS WORK_DIR)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "assess_html_test.cmake: -D${var}=... is required")
  endif()
endforeach()

file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}/profile" "${WORK_DIR}/home")

set(failures 0)
macro(fail text)
  message(SEND_ERROR "FAIL: ${text}")
  math(EXPR failures "${failures} + 1")
endmacro()

# ------------------------------------------------------------ the report
set(html "${WORK_DIR}/report.html")
execute_process(COMMAND "${JICENG}" assess "${RECORDS}" --html "${html}"
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT 120)
if(NOT rc EQUAL 0 OR NOT EXISTS "${html}")
  message(FATAL_ERROR "jiceng assess --html failed (${rc}):\n${out}\n${err}")
endif()

# ------------------------------------------------------------ the browser
if(NOT DEFINED CHROMIUM OR CHROMIUM STREQUAL "")
  find_program(CHROMIUM NAMES chromium chromium-browser google-chrome)
endif()
if(NOT CHROMIUM)
  if(DEFINED ENV{CI})
    message(FATAL_ERROR "no chromium on PATH (bash cmake/dev.sh test installs it)")
  endif()
  message(STATUS "no chromium on PATH: assess_html_test: skipped")
  return()
endif()

# A fresh profile and HOME, no first-run UI, extensions, sync or
# background requests: the page is a local file and needs nothing else.
set(browser
  ${CMAKE_COMMAND} -E env "HOME=${WORK_DIR}/home"
    "XDG_CONFIG_HOME=${WORK_DIR}/home" "XDG_CACHE_HOME=${WORK_DIR}/home"
  "${CHROMIUM}" --headless --no-sandbox --disable-gpu
    --disable-dev-shm-usage --no-first-run --no-default-browser-check
    --disable-extensions --disable-sync --disable-background-networking
    --disable-component-update --no-proxy-server --mute-audio
    "--user-data-dir=${WORK_DIR}/profile")

# Each call gets two tries: a browser's first start on a loaded machine
# occasionally dies before loading the page.
foreach(attempt 1 2)
  execute_process(COMMAND ${browser} --dump-dom "file://${html}"
    RESULT_VARIABLE rc OUTPUT_VARIABLE dom ERROR_VARIABLE browser_err
    TIMEOUT 120)
  if(rc EQUAL 0 AND dom MATCHES "</html>")
    break()
  endif()
endforeach()
if(NOT rc EQUAL 0 OR NOT dom MATCHES "</html>")
  message(FATAL_ERROR "chromium --dump-dom failed (${rc}):\n${browser_err}")
endif()
file(WRITE "${WORK_DIR}/dom.html" "${dom}")

# Every chart, with its accessible title and its bars. The DOM is the
# browser's serialisation (<rect ...></rect>), not our bytes.
foreach(chart chart-tier-shares chart-township-rates chart-satisfaction
              chart-overdue-units chart-reverse-evaluation)
  string(FIND "${dom}" "<svg id=\"${chart}\"" begin)
  if(begin EQUAL -1)
    fail("rendered DOM has no <svg id=\"${chart}\">")
    continue()
  endif()
  string(SUBSTRING "${dom}" ${begin} -1 rest)
  string(FIND "${rest}" "</svg>" end)
  string(SUBSTRING "${rest}" 0 ${end} svg)
  if(NOT svg MATCHES "<title id=\"${chart}-title\">[^<]+</title>")
    fail("${chart}: no title")
  endif()
  string(REGEX MATCHALL "<rect class=\"bar\"[^>]* data-value=\"[0-9.]+\"[^>]* width=\"[0-9.]+\"" bars "${svg}")
  list(LENGTH bars n)
  if(n EQUAL 0)
    fail("${chart}: no data bars")
  endif()
  message(STATUS "${chart}: ${n} bars")
endforeach()

# The figures the records give (tests/data/assess_records.jsonl): four
# tiers; 六合区城市管理和综合行政执法局 has overdue cases; two departments
# are rated.
string(REGEX MATCHALL "<rect class=\"bar\" data-label=\"(grid|village|township|county)\" data-series=\"closed\"" tiers "${dom}")
list(LENGTH tiers n)
if(NOT n EQUAL 4)
  fail("chart-tier-shares: ${n} tier bars, expected 4")
endif()
if(NOT dom MATCHES "data-label=\"六合区城市管理和综合行政执法局\" data-series=\"overdue\"")
  fail("chart-overdue-units: LH-CG missing")
endif()
if(dom MATCHES "<script")
  fail("the report must not need scripts")
endif()

# A screenshot: the page really paints (a blank page is a few KB).
set(png "${WORK_DIR}/report.png")
foreach(attempt 1 2)
  execute_process(COMMAND ${browser} --hide-scrollbars --window-size=1100,1800
    "--screenshot=${png}" "file://${html}"
    RESULT_VARIABLE rc OUTPUT_QUIET ERROR_VARIABLE browser_err TIMEOUT 120)
  if(rc EQUAL 0 AND EXISTS "${png}")
    break()
  endif()
endforeach()
if(NOT EXISTS "${png}")
  fail("chromium --screenshot wrote nothing (${rc}):\n${browser_err}")
else()
  file(SIZE "${png}" png_size)
  file(READ "${png}" png_magic LIMIT 8 HEX)
  if(NOT png_magic STREQUAL "89504e470d0a1a0a")
    fail("screenshot is not a PNG")
  elseif(png_size LESS 20000)
    fail("screenshot is only ${png_size} bytes: nothing painted?")
  endif()
  message(STATUS "screenshot ${png}: ${png_size} bytes")
endif()

if(failures GREATER 0)
  message(FATAL_ERROR "assess_html_test: ${failures} check(s) failed")
endif()
message(STATUS "assess_html_test: all charts rendered")
