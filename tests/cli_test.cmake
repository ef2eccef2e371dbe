# Copyright 2026 The jiceng Authors.
# SPDX-License-Identifier: Apache-2.0
#
# The jiceng command-line tool, end to end:
#   cmake -DJICENG=<path to jiceng> -DDATA_DIR=<tests/data> -DWORK_DIR=<dir>
#         -P cli_test.cmake
#
# Checks the commands' exit statuses (0 ok, 1 bad input, 2 bad usage) and
# their output: `validate` on tests/data/every_error.textproto must print
# exactly one line per planted rule, each naming severity, element kind,
# element code and field; generated datasets must validate cleanly and be
# byte-for-byte deterministic; broken inputs must give the documented
# messages.

cmake_minimum_required(VERSION 3.20)

foreach(var JICENG DATA_DIR WORK_DIR)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "cli_test.cmake: -D${var}=... is required")
  endif()
endforeach()

file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}")

set(failures 0)

# The embedded sample dataset, as text.
set(sample_tp "${CMAKE_CURRENT_LIST_DIR}/../src/sample/sample_dataset.textproto")

# Reports a failure without stopping, so that one run lists every problem.
macro(fail text)
  message(SEND_ERROR "FAIL: ${text}")
  math(EXPR failures "${failures} + 1")
endmacro()

# run(<name> ARGS...): runs the CLI (standard input: ${run_input} when
# set, see run_stdin); sets ${name}_rc, ${name}_out (stdout),
# ${name}_err (stderr) and ${name}_all (both).
function(run name)
  set(input)
  if(DEFINED run_input)
    set(input INPUT_FILE "${run_input}")
  endif()
  execute_process(COMMAND "${JICENG}" ${ARGN}
    WORKING_DIRECTORY "${WORK_DIR}" ${input}
    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err
    TIMEOUT 120)
  set(${name}_rc "${rc}" PARENT_SCOPE)
  set(${name}_out "${out}" PARENT_SCOPE)
  set(${name}_err "${err}" PARENT_SCOPE)
  set(${name}_all "${out}${err}" PARENT_SCOPE)
endfunction()

# run_stdin(<name> INPUT ARGS...): run() with the file INPUT as standard input.
macro(run_stdin name input)
  set(run_input "${input}")
  run(${name} ${ARGN})
  unset(run_input)
endmacro()

macro(expect_rc name expected)
  if(NOT "${${name}_rc}" STREQUAL "${expected}")
    fail("${name}: exit status ${${name}_rc}, expected ${expected}\n--- stdout:\n${${name}_out}\n--- stderr:\n${${name}_err}")
  endif()
endmacro()

# A run that failed (or refused) must print nothing on stdout: `what` says
# which run, for the message.
macro(expect_no_stdout name what)
  if(NOT "${${name}_out}" STREQUAL "")
    fail("${what} printed\n${${name}_out}")
  endif()
endmacro()

macro(expect_contains name text)
  string(FIND "${${name}_all}" "${text}" _pos)
  if(_pos EQUAL -1)
    fail("${name}: output lacks \"${text}\"\n--- stdout:\n${${name}_out}\n--- stderr:\n${${name}_err}")
  endif()
endmacro()

# ---------------------------------------------------------------- version
# The version in the public header (JC_VERSION_*), which CMake reads too.
set(expected_version)
foreach(part MAJOR MINOR PATCH)
  file(STRINGS "${CMAKE_CURRENT_LIST_DIR}/../include/jiceng/jiceng.h" line
    REGEX "^#define JC_VERSION_${part} +[0-9]+")
  string(REGEX MATCH "[0-9]+ *$" number "${line}")
  string(STRIP "${number}" number)
  list(APPEND expected_version "${number}")
endforeach()
list(JOIN expected_version "." expected_version)
run(version version)
expect_rc(version 0)
if(NOT expected_version MATCHES "^[0-9]+\\.[0-9]+\\.[0-9]+$")
  fail("could not read the version from include/jiceng/jiceng.h: \"${expected_version}\"")
elseif(NOT version_out STREQUAL "jiceng ${expected_version}\n")
  fail("version: printed \"${version_out}\", expected \"jiceng ${expected_version}\"")
endif()

# ------------------------------------------------------------ info, demo
run(info info)
expect_rc(info 0)
expect_contains(info "townships")
expect_contains(info "cn-js-nanjing-luhe-sample")

run(info_json info --json)
expect_rc(info_json 0)
string(JSON region_count ERROR_VARIABLE json_error GET "${info_json_out}"
  region_count)
if(json_error)
  fail("info --json: not JSON with a region_count: ${json_error}\n${info_json_out}")
elseif(NOT region_count GREATER 0)
  fail("info --json: region_count is \"${region_count}\"")
endif()
string(JSON library_version ERROR_VARIABLE json_error GET "${info_json_out}"
  library_version)
if(NOT library_version STREQUAL expected_version)
  fail("info --json: library_version \"${library_version}\", expected \"${expected_version}\"")
endif()

run(demo demo)
expect_rc(demo 0)
expect_contains(demo "lookups:")

# ------------------------------------------------------ every_error.textproto
set(every_error "${DATA_DIR}/every_error.textproto")
run(every validate "${every_error}")
expect_rc(every 1)

# expect_problem(<rule> <line prefix>): the report has exactly one line
# ending in " [<rule>]", it begins with "<severity>: <element kind>
# <element code> <field>: " as given, and it has the shape of every
# problem line.
set(expected_rules)
set(expected_warnings 0)
function(expect_problem rule prefix)
  set(expected_rules ${expected_rules} ${rule} PARENT_SCOPE)
  if(prefix MATCHES "^warning: ")
    math(EXPR w "${expected_warnings} + 1")
    set(expected_warnings ${w} PARENT_SCOPE)
  endif()
  set(tail " [${rule}]\n")
  string(FIND "${every_out}" "${tail}" first)
  string(FIND "${every_out}" "${tail}" last REVERSE)
  if(first EQUAL -1)
    fail("validate every_error: no line for rule ${rule}")
    set(failures ${failures} PARENT_SCOPE)
    return()
  endif()
  if(NOT first EQUAL last)
    fail("validate every_error: more than one line for rule ${rule}")
  endif()
  string(SUBSTRING "${every_out}" 0 ${first} before)
  string(FIND "${before}" "\n" nl REVERSE)
  math(EXPR start "${nl} + 1")
  string(LENGTH "${tail}" tail_len)
  math(EXPR len "${first} + ${tail_len} - 1 - ${start}")
  string(SUBSTRING "${every_out}" ${start} ${len} line)
  string(FIND "${line}" "${prefix}" at)
  if(NOT at EQUAL 0)
    fail("rule ${rule}: line\n  ${line}\ndoes not begin with\n  ${prefix}")
  endif()
  if(NOT line MATCHES "^(error|warning): (meta|region|department_type|unit|police_grid|calendar|attribute|item|retired_code|safety_floor|matter|delegation|rule|scenario|abolished_duty|score_weights|routing_policy|lifecycle_policy) [^ ]+ [^ ]+: .+ \\[[a-z_]+\\.[a-z_]+\\]$")
    fail("rule ${rule}: line does not name severity, element and field: ${line}")
  endif()
  set(failures ${failures} PARENT_SCOPE)
endfunction()

# One call per rule planted in every_error.textproto (all the rules of
# src/dataset/validate.cc, src/calendar/work_calendar.cc,
# src/catalogue/validate_catalogue.cc and the policies except region.too_many,
# calendar.missing and delegation.overlap, see that file).
expect_problem(meta.missing_id "error: meta - id: ")
expect_problem(meta.effective_date "error: meta - effective_date: \"2026-13-01\"")
expect_problem(region.missing_name "error: region 320116001002 name: ")
expect_problem(region.enum "error: region 320116001009 urban_rural_class: 113 is not a value of jiceng.v1.UrbanRuralClass (0, 111")
expect_problem(region.missing_level "error: region 320116001003 level: ")
expect_problem(region.field_for_level "error: region 320116001004 township_kind: ")
expect_problem(region.grid_kind "error: region 32011600100102 grid_kind: ")
expect_problem(region.dedicated_site "error: region 32011600100103 dedicated_site: ")
expect_problem(region.staffing "error: region 32011600100104 staffing: ")
expect_problem(region.grid_code_length "error: region 320116001001005 code: ")
expect_problem(region.micro_grid_parent "error: region 3201160010010101 parent_code: ")
expect_problem(region.malformed_code "error: region 32011600105 code: ")
expect_problem(region.segment "error: region 320117001000 code: ")
expect_problem(region.township_kind "error: region 320116002000 township_kind: ")
expect_problem(region.village_kind "error: region 320116001201 village_kind: ")
expect_problem(region.duplicate_code "error: region 320116001001 code: ")
expect_problem(region.missing_parent "error: region 320116003000 parent_code: ")
expect_problem(region.dangling_parent
  "error: region 32011600900101 parent_code: no region has code \"320116009001\"")
expect_problem(region.cycle "error: region 320116001006 parent_code: ")
expect_problem(region.level_order "error: region 320116001007 parent_code: ")
expect_problem(region.code_prefix "error: region 320116002001 code: ")
expect_problem(region.grid_parent "error: region 32011600100301 parent_code: ")
expect_problem(department_type.malformed_code "error: department_type Bad-Type code: ")
expect_problem(department_type.duplicate_code "error: department_type transport code: ")
expect_problem(department_type.missing_name "error: department_type justice name: ")
expect_problem(unit.malformed_code "error: unit bad/code! code: ")
expect_problem(unit.duplicate_code "error: unit LJ-SVC code: ")
expect_problem(unit.missing_name "error: unit LJ-NONAME name: ")
expect_problem(unit.missing_kind "error: unit LJ-NOKIND kind: ")
expect_problem(unit.staff_count "error: unit LJ-NEGSTAFF staff_count: ")
expect_problem(unit.enum "error: unit LJ-CT9 centre_type: 9 is not a value of jiceng.v1.CentreType")
expect_problem(unit.unknown_region "error: unit NOWHERE-SVC region_code: ")
expect_problem(unit.region_level "error: unit XZ-DEPT region_code: ")
expect_problem(unit.field_for_kind "error: unit LJ-OFFICE-SVC office_type: ")
expect_problem(unit.unknown_department_type "error: unit LH-XX department_type: ")
expect_problem(unit.missing_department_type "error: unit LH-NOTYPE department_type: ")
expect_problem(unit.missing_office_type "error: unit XZ-NOTYPE-OFFICE office_type: ")
expect_problem(unit.missing_centre_type "error: unit XZ-NOTYPE-CENTRE centre_type: ")
expect_problem(unit.unknown_parent "error: unit LJ-ORPHAN parent_unit_code: ")
expect_problem(unit.parent_kind "error: unit XZ-ZFD parent_unit_code: ")
expect_problem(unit.parent_region "error: unit NJ-SVC region_code: ")
expect_problem(unit.dispatched_outside "error: unit PK-CG-XZ region_code: ")
expect_problem(unit.department_type_mismatch "error: unit LH-SJ-XZ-JT department_type: ")
expect_problem(unit.missing_parent "error: unit XZ-NOPARENT parent_unit_code: ")
expect_problem(unit.covered_region "error: unit LH-SZZX covered_region_codes[0]: ")
expect_problem(unit.duplicate_dispatched "error: unit LH-SJ-XZ2 region_code: ")
expect_problem(unit.duplicate_government
  "error: unit XZ-GOV2 region_code: region 320116001000 already has this kind of unit: XZ-GOV")
expect_problem(unit.duplicate_department "error: unit LH-SJ2 department_type: ")
expect_problem(unit.institution_cap "warning: region 320116001000 township_class: ")
expect_problem(police_grid.malformed_code "error: police_grid bad#pg code: ")
expect_problem(police_grid.duplicate_code "error: police_grid PG-1 code: ")
expect_problem(police_grid.unknown_station "error: police_grid PG-2 police_station_unit_code: ")
expect_problem(police_grid.unknown_grid "error: police_grid PG-3 grid_codes[0]: ")
expect_problem(police_grid.grid_linked_twice
  "error: police_grid PG-4 grid_codes[0]: grid 32011600100101 is already linked to police grid PG-1")
expect_problem(calendar.range "error: calendar 2300-12-31 last_date: ")
expect_problem(calendar.time_zone "error: calendar UTC utc_offset_minutes: ")
expect_problem(calendar.rest_weekday "error: calendar rest_weekdays[2] rest_weekdays[2]: ")
expect_problem(calendar.holiday_range "error: calendar holidays[0] holidays[0].first_date: ")
expect_problem(calendar.holiday_overlap "error: calendar holidays[2] holidays[2].first_date: ")
expect_problem(calendar.malformed_date "error: calendar 2026-02-30 holidays[3].first_date: ")
expect_problem(calendar.makeup_outside "error: calendar 2025-12-27 makeup_workdays[0].date: ")
expect_problem(calendar.makeup_conflict "error: calendar 2026-02-16 makeup_workdays[1].date: ")
expect_problem(calendar.makeup_not_rest "warning: calendar 2026-03-04 makeup_workdays[2].date: ")
expect_problem(calendar.duplicate_makeup "error: calendar 2026-02-14 makeup_workdays[4].date: ")
expect_problem(calendar.window
  "error: calendar windows[1] windows[1].start_minute: windows[1] starts at 11:40, before windows[0] ends at 12:00")

expect_problem(attribute.malformed_key "error: attribute Bad-Key key: ")
expect_problem(attribute.duplicate_key "error: attribute site key: ")
expect_problem(attribute.missing_type "error: attribute colour type: ")
expect_problem(attribute.allowed_values "error: attribute depth_m allowed_values: ")
expect_problem(retired_code.malformed_code "error: retired_code old/002 retired_item_codes[1]: ")
expect_problem(item.malformed_code "error: item bad/item code: ")
expect_problem(item.duplicate_code "error: item ZF-CG-001 code: ")
expect_problem(item.retired_code_reused "error: item OLD-001 code: ")
expect_problem(item.missing_name "error: item SD-NONAME name: ")
expect_problem(item.missing_list_type "error: item SD-NOLIST list_type: ")
expect_problem(item.power_kind "error: item ZF-NOKIND power_kind: ")
expect_problem(item.power_at_village "error: item CS-CF-001 list_type: ")
expect_problem(item.village_duty_level "error: item CS-LEVEL exercising_level: ")
expect_problem(item.village_duty_of_department "error: item CS-DEPT department_type: ")
expect_problem(item.unknown_department_type "error: item ZF-XX department_type: ")
expect_problem(item.cooperating_without_lead "error: item PH-NOLEAD lead_department_type: ")
expect_problem(item.malformed_date "error: item SD-BADDATE effective_date: ")
expect_problem(item.window
  "error: item SD-WINDOW retired_date: retired_date 2026-01-01 is not after effective_date 2026-06-01")
expect_problem(item.limits "error: item SD-LIMITS limits.handle: ")
expect_problem(item.service_limit
  "error: item ZW-LIMIT service.statutory_limit: unit 9 is not a known time unit")
expect_problem(item.service_level "error: item ZW-LEVEL service.accepting_level: ")
expect_problem(item.enum "error: item ZW-SCOPE service.scope: ")
expect_problem(item.promised_limit "error: item ZW-PROMISE service.promised_limit: ")
expect_problem(item.promised_share "warning: item ZW-SHARE service.promised_limit: ")
expect_problem(item.promised_missing "warning: item ZW-NOPROMISE service.promised_limit: ")
expect_problem(item.service_unused "warning: item QL-SERVICE service: ")
expect_problem(safety_floor.malformed_code "error: safety_floor dx#02 code: ")
expect_problem(safety_floor.duplicate_code "error: safety_floor DX-01 code: ")
expect_problem(safety_floor.missing_area "error: safety_floor DX-03 area: ")
expect_problem(safety_floor.duty "error: safety_floor DX-04 duties[0]: ")
expect_problem(safety_floor.unknown_item
  "error: safety_floor DX-05 item_codes[0]: no item has code \"NO-SUCH-ITEM\"")
expect_problem(matter.malformed_code "error: matter 0100 code: ")
expect_problem(matter.duplicate_code "error: matter H0101 code: ")
expect_problem(matter.missing_name "error: matter H0102 name: ")
expect_problem(matter.missing_category "error: matter H0103 category: ")
expect_problem(matter.limits "error: matter H0104 limits.handle: ")
expect_problem(delegation.malformed_id "error: delegation fq/02 id: ")
expect_problem(delegation.duplicate_id "error: delegation FQ-01 id: ")
expect_problem(delegation.unknown_item "error: delegation FQ-03 item_code: ")
expect_problem(delegation.unknown_department_type "error: delegation FQ-04 from_department_type: ")
expect_problem(delegation.department_mismatch "error: delegation FQ-05 from_department_type: ")
expect_problem(delegation.reclaimed_item "warning: delegation FQ-06 item_code: ")
expect_problem(delegation.missing_mode "error: delegation FQ-07 mode: ")
expect_problem(delegation.scope "error: delegation FQ-08 scope.township_codes[0]: ")
expect_problem(delegation.malformed_date "error: delegation FQ-09 effective_date: ")
expect_problem(delegation.window "error: delegation FQ-10 reclaimed_date: ")
expect_problem(delegation.missing_effective_date
  "error: delegation FQ-11 effective_date: ")
expect_problem(rule.malformed_id "error: rule r/02 id: ")
expect_problem(rule.duplicate_id "error: rule R-01 id: ")
expect_problem(rule.enum "error: rule R-TIER9 tier: 9 is not a value of jiceng.v1.HandlingTier (0 to 4)")
expect_problem(rule.unknown_matter "error: rule R-03 matter_code: ")
expect_problem(rule.unknown_item "error: rule R-04 item_code: ")
expect_problem(rule.missing_lead "error: rule R-05 lead: ")
expect_problem(rule.role "error: rule R-06 lead.department_type: ")
expect_problem(rule.predicate
  "error: rule R-07 attributes[0].equals: \"lake\" is not an allowed value of site")
expect_problem(rule.malformed_date "error: rule R-08 effective_date: ")
expect_problem(rule.window "error: rule R-09 end_date: ")
expect_problem(rule.unknown_region "error: rule R-10 region_code: ")
expect_problem(rule.urgency "error: rule R-11 min_urgency: ")
expect_problem(rule.class "error: rule R-12 township_classes[0]: ")
expect_problem(rule.field "error: rule R-13 scenario_code: ")
expect_problem(rule.limits "error: rule R-14 limits.sign_for: ")
expect_problem(scenario.malformed_id "error: scenario s/02 code: ")
expect_problem(scenario.duplicate_id
  "error: scenario R-01 code: id already used by a rule (rules and scenarios share one id space)")
expect_problem(scenario.unknown_matter "error: scenario S-03 matter_code: ")
expect_problem(scenario.unknown_item "error: scenario S-04 item_code: ")
expect_problem(scenario.missing_lead "error: scenario S-05 lead: ")
expect_problem(scenario.role "error: scenario S-06 lead.unit_code: ")
expect_problem(scenario.predicate "error: scenario S-07 facts[0].range: ")
expect_problem(scenario.malformed_date "error: scenario S-08 end_date: ")
expect_problem(scenario.window "error: scenario S-09 end_date: ")
expect_problem(scenario.missing_name "error: scenario S-10 name: ")
expect_problem(scenario.limits "error: scenario S-11 limits.handle: ")
expect_problem(abolished_duty.malformed_code "error: abolished_duty fz/02 code: ")
expect_problem(abolished_duty.duplicate_code "error: abolished_duty FZ-01 code: ")
expect_problem(abolished_duty.missing_name "error: abolished_duty FZ-03 name: ")
expect_problem(abolished_duty.no_keywords "warning: abolished_duty FZ-04 keywords: ")
expect_problem(score_weights.unknown_level "error: score_weights weights[0] weights[0].level: ")
expect_problem(score_weights.duplicate_level "error: score_weights township weights[2].level: ")
expect_problem(score_weights.range "error: score_weights village weights[3].satisfaction: ")
expect_problem(score_weights.sum "error: score_weights county weights[4]: the weights sum to 40")
expect_problem(routing_policy.duration
  "error: routing_policy - defaults.handle: unit 7 is not a known time unit")
expect_problem(routing_policy.percent "error: routing_policy - urgent_percent: ")
expect_problem(routing_policy.percent_order "error: routing_policy - emergency_percent: ")
expect_problem(routing_policy.major_urgency "error: routing_policy - major_urgency: ")
expect_problem(lifecycle_policy.duration "error: lifecycle_policy - return_window: ")
expect_problem(lifecycle_policy.percent "error: lifecycle_policy - yellow_percent: ")
expect_problem(lifecycle_policy.limit "error: lifecycle_policy - max_returns: ")
expect_problem(lifecycle_policy.reason
  "error: lifecycle_policy BAD-CODE return_reasons[0].code: ")
expect_problem(lifecycle_policy.duplicate_reason
  "error: lifecycle_policy NOT_OUR_DUTY return_reasons[2].code: ")

# Nothing else: no cascades, no unplanted rules.
list(LENGTH expected_rules expected_count)
string(REGEX MATCHALL " \\[[a-z_]+\\.[a-z_]+\\]\n" printed "${every_out}")
list(LENGTH printed printed_count)
if(NOT printed_count EQUAL expected_count)
  fail("validate every_error: ${printed_count} problem lines, expected ${expected_count} (one per rule):\n${every_out}")
endif()
math(EXPR expected_errors "${expected_count} - ${expected_warnings}")
expect_contains(every
  "every_error.textproto: ${expected_errors} errors, ${expected_warnings} warnings\n")

# ------------------------------------------------ generated datasets
run(generate generate --preset small -o "${WORK_DIR}/small.binpb")
expect_rc(generate 0)
run(validate_small validate "${WORK_DIR}/small.binpb")
expect_rc(validate_small 0)
expect_contains(validate_small "small.binpb: 0 errors")
run(info_small info "${WORK_DIR}/small.binpb")
expect_rc(info_small 0)
expect_contains(info_small "townships")
# --format applies to the dataset however it is named.
run(info_small_dataset info --dataset "${WORK_DIR}/small.binpb" --format binary)
expect_rc(info_small_dataset 0)
if(NOT info_small_dataset_out STREQUAL info_small_out)
  fail("info --dataset F --format binary differs from info F:\n${info_small_dataset_out}")
endif()

# Deterministic: the same preset and seed give the same bytes.
run(generate_again generate --preset small -o "${WORK_DIR}/small_again.binpb")
expect_rc(generate_again 0)
execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files
  "${WORK_DIR}/small.binpb" "${WORK_DIR}/small_again.binpb"
  RESULT_VARIABLE same)
if(NOT same EQUAL 0)
  fail("generate --preset small is not deterministic")
endif()

# The text and JSON encodings of the same dataset validate too.
run(generate_text generate --preset small -o "${WORK_DIR}/small.textproto")
expect_rc(generate_text 0)
run(validate_text validate "${WORK_DIR}/small.textproto")
expect_rc(validate_text 0)
run(generate_json generate --preset small -o "${WORK_DIR}/small.json")
expect_rc(generate_json 0)
run(validate_json validate "${WORK_DIR}/small.json")
expect_rc(validate_json 0)

# The embedded sample as a file: the same engine as no dataset at all, in
# every format; it takes no seed.
foreach(ext binpb textproto json)
  run(generate_sample_${ext} generate --preset sample
    -o "${WORK_DIR}/luhe.${ext}")
  expect_rc(generate_sample_${ext} 0)
  run(validate_sample_${ext} validate "${WORK_DIR}/luhe.${ext}")
  expect_rc(validate_sample_${ext} 0)
  expect_contains(validate_sample_${ext} "luhe.${ext}: 0 errors")
  run(info_sample_${ext} info "${WORK_DIR}/luhe.${ext}")
  expect_rc(info_sample_${ext} 0)
  if(NOT info_sample_${ext}_out STREQUAL info_out)
    fail("info luhe.${ext} (generate --preset sample) differs from info "
      "of the embedded sample:\n${info_sample_${ext}_out}\n---\n${info_out}")
  endif()
endforeach()
run(generate_sample_seed generate --preset sample --seed 7)
expect_rc(generate_sample_seed 2)
expect_contains(generate_sample_seed "--seed applies to the generated presets")
# validate reads datasets only, and says what a snapshot is.
run(sample_snapshot snapshot --out "${WORK_DIR}/luhe.jcsnap")
expect_rc(sample_snapshot 0)
run(validate_snapshot validate "${WORK_DIR}/luhe.jcsnap")
expect_rc(validate_snapshot 1)
expect_contains(validate_snapshot "are a compiled-engine snapshot")
run(generate_bad_preset generate --preset luhe)
expect_rc(generate_bad_preset 2)
expect_contains(generate_bad_preset "--preset is sample, small, province or ten-provinces")

# ----------------------------------------------------------- bad inputs
run(missing validate "${WORK_DIR}/no_such_file.binpb")
expect_rc(missing 1)
expect_contains(missing "cannot open")
expect_contains(missing "no_such_file.binpb")

run(bad_format validate "${WORK_DIR}/small.binpb" --format xml)
expect_rc(bad_format 2)
expect_contains(bad_format "--format")

# A truncated binary. Cutting at a boundary between two top-level fields
# would leave a valid (shorter) message, so if the half-way cut happens to
# land on one, cut one byte more: no field is shorter than two bytes.
file(SIZE "${WORK_DIR}/small.binpb" small_size)
math(EXPR half "${small_size} / 2")
foreach(cut ${half} "${half} - 1")
  math(EXPR cut "${cut}")
  execute_process(COMMAND head -c ${cut} "${WORK_DIR}/small.binpb"
    OUTPUT_FILE "${WORK_DIR}/truncated.binpb" RESULT_VARIABLE head_rc)
  if(NOT head_rc EQUAL 0)
    fail("head -c ${cut} failed: ${head_rc}")
  endif()
  run(truncated validate "${WORK_DIR}/truncated.binpb")
  # A cut on a boundary parses and then fails validation (rc 1 too): only
  # a parse failure ends the search.
  string(FIND "${truncated_all}" "truncated or corrupted" parse_failed)
  if(NOT parse_failed EQUAL -1)
    break()
  endif()
endforeach()
expect_rc(truncated 1)
expect_contains(truncated "truncated or corrupted")

# Dropping the last byte always breaks the last field.
math(EXPR cut "${small_size} - 1")
execute_process(COMMAND head -c ${cut} "${WORK_DIR}/small.binpb"
  OUTPUT_FILE "${WORK_DIR}/short_by_one.binpb")
run(short_by_one validate "${WORK_DIR}/short_by_one.binpb")
expect_rc(short_by_one 1)
expect_contains(short_by_one "truncated or corrupted")

file(WRITE "${WORK_DIR}/malformed.textproto"
  "meta { id: \"x\" }\nregions {\n  code: 12 34\n")
run(malformed validate "${WORK_DIR}/malformed.textproto")
expect_rc(malformed 1)
expect_contains(malformed "line ")
expect_contains(malformed "malformed.textproto")

run(unknown_command frobnicate)
expect_rc(unknown_command 2)
expect_contains(unknown_command "unknown command")

run(no_file validate)
expect_rc(no_file 2)

run(unknown_option info --frobnicate)
expect_rc(unknown_option 2)

# Help for one command: `COMMAND --help`, `COMMAND -h` and `help COMMAND`
# print that command's entry (and the general notes) on standard output,
# nothing else of the list, with status 0; wherever --help stands, no
# command runs.
foreach(form "route;--help" "route;-h" "help;route" "route;x.jsonl;-o;x.out;--help")
  run(command_help ${form})
  expect_rc(command_help 0)
  if(NOT command_help_out MATCHES "^usage: jiceng route \\[arguments\\]\n\n  route \\[CASES\\]")
    fail("${form}: printed \"${command_help_out}\"")
  endif()
  expect_contains(command_help "Usage errors exit")
  string(FIND "${command_help_out}" "  diff A B" other)
  if(NOT other EQUAL -1 OR NOT command_help_err STREQUAL "")
    fail("${form}: more than route's entry, or stderr \"${command_help_err}\"")
  endif()
endforeach()
if(EXISTS "${WORK_DIR}/x.out")
  fail("route ... --help routed cases into x.out")
endif()
foreach(command validate info demo analyze review-admission diff generate
    assess workload lifecycle supervise snapshot)
  run(command_help help ${command})
  expect_rc(command_help 0)
  if(NOT command_help_out MATCHES "^usage: jiceng ${command} \\[arguments\\]\n\n  ${command}[ \n]")
    fail("help ${command}: printed \"${command_help_out}\"")
  endif()
endforeach()
run(help_unknown help frobnicate)
expect_rc(help_unknown 2)
expect_contains(help_unknown "unknown command \"frobnicate\"")

# ------------------------------------------------------------ catalogue
# analyze: readable and JSON; the sample's two intended warnings (the
# known dispute, and H0701's requests no rule takes).
run(analyze analyze)
expect_rc(analyze 0)
expect_contains(analyze "0 errors, 2 warnings (GAP 1, OVERLAP 1)")
expect_contains(analyze "known dispute")
expect_contains(analyze "no rule takes cases of request kind none, COMPLAINT, REPORT or SUGGESTION")
run(analyze_json analyze --json --as-of 2026-07-01)
expect_rc(analyze_json 0)
expect_contains(analyze_json "\"as_of_date\": \"2026-07-01\"")
# A date that is not one is a usage error (exit 2), naming option and value.
run(analyze_bad_date analyze --as-of 2026-13-01)
expect_rc(analyze_bad_date 2)
expect_contains(analyze_bad_date "jiceng: --as-of: \"2026-13-01\" is not a date YYYY-MM-DD")
expect_contains(analyze_bad_date "usage: jiceng")
run(analyze_leap analyze --as-of 2026-02-29)
expect_rc(analyze_leap 2)
expect_contains(analyze_leap "--as-of: \"2026-02-29\" is not a date")

# review-admission: an abolished certificate is rejected with its reason.
file(WRITE "${WORK_DIR}/request.json"
  "{\"proposalId\": \"P-1\", \"title\": \"社区出具居住证明\", \"toRegionCode\": \"320116001001\"}")
run(admission review-admission "${WORK_DIR}/request.json")
expect_rc(admission 0)
expect_contains(admission "REJECT")
expect_contains(admission "admission.abolished")
file(WRITE "${WORK_DIR}/bad_request.json"
  "{\"title\": \"x\", \"toRegionCode\": \"320116000000\"}")
run(admission_as_of review-admission "${WORK_DIR}/request.json" --as-of 2026-07-01)
expect_rc(admission_as_of 0)
expect_contains(admission_as_of "REJECT")
run(admission_bad review-admission "${WORK_DIR}/bad_request.json")
expect_rc(admission_bad 1)
expect_contains(admission_bad "to_region_code")
# --as-of reviews for its day, in place of the request's own date (with a
# note): the own-name delegation of CG-CF-018 to 竹镇 starts on 2026-07-01.
file(WRITE "${WORK_DIR}/dated_request.json"
  "{\"proposalId\": \"P-3\", \"title\": \"露天烧烤处罚\", \"itemCode\": \"CG-CF-018\", \"toRegionCode\": \"320116100000\", \"date\": \"2026-08-01\"}")
run(admission_dated review-admission "${WORK_DIR}/dated_request.json")
expect_rc(admission_dated 0)
expect_contains(admission_dated "P-3: ADMIT")
run(admission_override review-admission "${WORK_DIR}/dated_request.json"
  --as-of 2026-03-01)
expect_rc(admission_override 0)
expect_contains(admission_override "P-3: REJECT")
expect_contains(admission_override "admission.not_on_list")
expect_contains(admission_override
  "note: --as-of 2026-03-01 replaces the request's date \"2026-08-01\"")
run(admission_same_day review-admission "${WORK_DIR}/dated_request.json"
  --as-of 2026-08-01)
expect_contains(admission_same_day "P-3: ADMIT")
string(FIND "${admission_same_day_err}" "note:" _pos)
if(NOT _pos EQUAL -1)
  fail("review-admission --as-of the request's own date: a note\n${admission_same_day_err}")
endif()
run(admission_bad_as_of review-admission "${WORK_DIR}/dated_request.json"
  --as-of 2026-8-1)
expect_rc(admission_bad_as_of 2)
expect_contains(admission_bad_as_of "--as-of: \"2026-8-1\" is not a date")
# A text request that does not parse: the parser's line:column reason, and
# no log line of protobuf's own.
file(WRITE "${WORK_DIR}/bad_request.textproto"
  "proposal_id: \"P-4\"\ntitle: 12 34\n")
run(admission_bad_text review-admission "${WORK_DIR}/bad_request.textproto")
expect_rc(admission_bad_text 1)
expect_contains(admission_bad_text
  "bad_request.textproto: not a jiceng.v1.AdmissionRequest (text): line 2:8: ")
string(FIND "${admission_bad_text_err}" "libprotobuf" _pos)
if(NOT _pos EQUAL -1)
  fail("review-admission: protobuf logged\n${admission_bad_text_err}")
endif()
file(WRITE "${WORK_DIR}/bad_request2.json" "{\"proposalId\": 5,")
run(admission_bad_json review-admission "${WORK_DIR}/bad_request2.json")
expect_rc(admission_bad_json 1)
expect_contains(admission_bad_json "not a jiceng.v1.AdmissionRequest (json): ")
# A UTF-8 byte-order mark before JSON or text is skipped.
string(ASCII 239 187 191 bom)
file(READ "${WORK_DIR}/request.json" request_json)
file(WRITE "${WORK_DIR}/bom_request.json" "${bom}${request_json}")
run(admission_bom_json review-admission "${WORK_DIR}/bom_request.json")
expect_rc(admission_bom_json 0)
if(NOT admission_bom_json_out STREQUAL admission_out)
  fail("review-admission: a JSON request with a byte-order mark reads otherwise\n${admission_bom_json_all}")
endif()
file(WRITE "${WORK_DIR}/bom_request.textproto"
  "${bom}proposal_id: \"P-1\"\ntitle: \"社区出具居住证明\"\nto_region_code: \"320116001001\"\n")
run(admission_bom_text review-admission "${WORK_DIR}/bom_request.textproto")
expect_rc(admission_bom_text 0)
if(NOT admission_bom_text_out STREQUAL admission_out)
  fail("review-admission: a text request with a byte-order mark reads otherwise\n${admission_bom_text_all}")
endif()

# ------------------------------------------------------------ routing
# The sample stream, readable, with its summary on stderr.
run(route route)
expect_rc(route 0)
expect_contains(route "ROUTED by")
expect_contains(route "AMBIGUOUS")
expect_contains(route "UNMAPPED")
expect_contains(route "why:")
expect_contains(route "cases/s")
# JSON lines in, JSON lines out; binary in, binary out; same decisions on
# two threads.
file(WRITE "${WORK_DIR}/cases.jsonl"
  "{\"id\": \"c1\", \"matterCode\": \"01001\", \"locationCode\": \"32011600100101\", \"reportedAt\": \"1772413200\"}\n"
  "{\"id\": \"c2\", \"matterCode\": \"99999\", \"locationCode\": \"32011600100101\", \"reportedAt\": \"1772413200\"}\n")
run(route_json route "${WORK_DIR}/cases.jsonl")
expect_rc(route_json 0)
expect_contains(route_json "\"case_id\":\"c1\"")
expect_contains(route_json "matter_code: unknown")
run(route_json2 route "${WORK_DIR}/cases.jsonl" --threads 2)
if(NOT route_json_out STREQUAL route_json2_out)
  fail("route: JSON output differs between 1 and 2 threads")
endif()
run(route_json0 route "${WORK_DIR}/cases.jsonl" --threads 0)
if(NOT route_json_out STREQUAL route_json0_out)
  fail("route: JSON output differs between 1 thread and all cores")
endif()
expect_contains(route_json0 "all cores")
# A line that is not a case is an error entry in its place; the cases
# around it are routed.
file(WRITE "${WORK_DIR}/mixed.jsonl"
  "{\"id\": \"m1\", \"matterCode\": \"01001\", \"locationCode\": \"32011600100101\", \"reportedAt\": \"1772413200\"}\n"
  "not a case\n"
  "\n"
  "{\"id\": \"m3\", \"matterCode\": \"01001\", \"locationCode\": \"32011600100101\", \"reportedAt\": \"1772413200\"}\n")
run(route_mixed route "${WORK_DIR}/mixed.jsonl")
expect_rc(route_mixed 0)
expect_contains(route_mixed "{\"index\":\"1\",\"error\":{\"code\":3,\"message\":\"${WORK_DIR}/mixed.jsonl:2: not a jiceng.v1.Case")
expect_contains(route_mixed "{\"index\":\"2\",\"case_id\":\"m3\",\"decision\"")
expect_contains(route_mixed "ROUTED 2, errors 1;")
run(route_mixed_text route "${WORK_DIR}/mixed.jsonl" --format text)
expect_contains(route_mixed_text "m1  01001")
expect_contains(route_mixed_text "-  ERROR INVALID_ARGUMENT: ${WORK_DIR}/mixed.jsonl:2:")
expect_contains(route_mixed_text "m3  01001")
# Text output escapes what a caller gave: an id with a newline, an escape
# sequence and a right-to-left override cannot forge or reorder a line,
# in a decision or in an error.
file(WRITE "${WORK_DIR}/forged_ids.jsonl" [=[
{"id": "f1\nS-9 ROUTED\u202e", "matterCode": "01001", "locationCode": "32011600100101", "reportedAt": "1772413200"}
{"id": "f2\u001b[2J", "matterCode": "9\n9", "locationCode": "32011600100101", "reportedAt": "1772413200"}
]=])
run(route_forged route "${WORK_DIR}/forged_ids.jsonl" --format text)
expect_rc(route_forged 0)
# (Bracket arguments: expect_contains would read the backslashes again.)
foreach(want [=[f1\x0aS-9 ROUTED\u202e  01001]=]
    [=[f2\x1b[2J  ERROR INVALID_ARGUMENT: ]=] [=[9\x0a9]=])
  string(FIND "${route_forged_out}" "${want}" at)
  if(at EQUAL -1)
    fail("route --format text lacks \"${want}\"\n${route_forged_out}")
  endif()
endforeach()
string(FIND "${route_forged_out}" "\nS-9 ROUTED" forged_line)
if(NOT forged_line EQUAL -1)
  fail("route --format text: a case id forged a line\n${route_forged_out}")
endif()
# Standard input ("-"), JSON lines sniffed from the first bytes.
run_stdin(route_stdin "${WORK_DIR}/cases.jsonl" route -)
expect_rc(route_stdin 0)
if(NOT route_stdin_out STREQUAL route_json_out)
  fail("route -: standard input gives other decisions than the file")
endif()
# A binary stream of several parts (8,192 cases each), with progress
# after every part: binary out, the same bytes on two threads and from
# standard input, and JSON entries numbered across the parts.
run(route_workload workload --cases 70000 -o "${WORK_DIR}/route_cases.bin")
expect_rc(route_workload 0)
run(route_bin route "${WORK_DIR}/route_cases.bin" --progress 0
  --dataset "${WORK_DIR}/small.binpb" -o "${WORK_DIR}/route_1.bin")
expect_rc(route_bin 0)
expect_contains(route_bin "routed 8192 cases (")
expect_contains(route_bin "% of ${WORK_DIR}/route_cases.bin), ")
expect_contains(route_bin "routed 70000 cases in ")
# The workload is generated over the small preset: most cases route.
if(NOT route_bin_err MATCHES "ROUTED [0-9][0-9][0-9][0-9][0-9], ")
  fail("route: fewer than 10000 of 70000 cases routed\n${route_bin_err}")
endif()
run(route_bin2 route "${WORK_DIR}/route_cases.bin" --threads 2
  --dataset "${WORK_DIR}/small.binpb" -o "${WORK_DIR}/route_2.bin")
run_stdin(route_bin_stdin "${WORK_DIR}/route_cases.bin" route -
  --dataset "${WORK_DIR}/small.binpb" -o "${WORK_DIR}/route_stdin.bin")
foreach(other route_2.bin route_stdin.bin)
  execute_process(COMMAND "${CMAKE_COMMAND}" -E compare_files
    "${WORK_DIR}/route_1.bin" "${WORK_DIR}/${other}" RESULT_VARIABLE differ)
  if(NOT differ EQUAL 0)
    fail("route: ${other} differs from route_1.bin")
  endif()
endforeach()
file(SIZE "${WORK_DIR}/route_1.bin" route_1_size)
if(route_1_size LESS 70000)
  fail("route: ${route_1_size} bytes of binary decisions for 70000 cases")
endif()
run(route_bin_json route "${WORK_DIR}/route_cases.bin" --format json
  --dataset "${WORK_DIR}/small.binpb")
expect_contains(route_bin_json "{\"index\":\"69999\",\"case_id\":\"W69999\"")
expect_contains(route_bin_json "\"outcome\":\"ROUTING_OUTCOME_ROUTED\"")
# Cut one byte short: the last frame becomes an error entry naming it.
file(SIZE "${WORK_DIR}/route_cases.bin" route_cases_size)
math(EXPR cut "${route_cases_size} - 1")
execute_process(COMMAND head -c ${cut} "${WORK_DIR}/route_cases.bin"
  OUTPUT_FILE "${WORK_DIR}/route_short.bin")
run(route_short route "${WORK_DIR}/route_short.bin" --format json)
expect_rc(route_short 0)
expect_contains(route_short "{\"index\":\"69999\",\"error\":{\"code\":3,\"message\":\"frame 69999 at byte ")
# Unreadable inputs and outputs.
run(route_missing route "${WORK_DIR}/no_such_cases.bin")
expect_rc(route_missing 1)
expect_contains(route_missing "cannot open \"${WORK_DIR}/no_such_cases.bin\"")
run(route_dir route "${WORK_DIR}")
expect_rc(route_dir 1)
expect_contains(route_dir "cannot read")
run(route_bad_out route -o "${WORK_DIR}/no_such_dir/out.txt")
expect_rc(route_bad_out 1)
expect_contains(route_bad_out "cannot write \"${WORK_DIR}/no_such_dir/out.txt\"")
# Every command that writes a file opens it before the work and names the
# system's reason when it cannot; a write that fails says so too.
foreach(writer
    "generate_bad_out;generate;-o"
    "workload_bad_out;workload;-o"
    "snapshot_bad_out;snapshot;--out"
    "lifecycle_bad_out;lifecycle;--out")
  list(GET writer 0 name)
  list(GET writer 1 command)
  list(GET writer 2 option)
  run(${name} ${command} ${option} "${WORK_DIR}/no_such_dir/f.out")
  expect_rc(${name} 1)
  expect_contains(${name}
    "cannot write \"${WORK_DIR}/no_such_dir/f.out\": No such file or directory")
  if(${name}_out MATCHES "case records")
    fail("${command}: did the work before finding the output unwritable")
  endif()
endforeach()
if(EXISTS /dev/full)
  run(snapshot_full snapshot --out /dev/full)
  expect_rc(snapshot_full 1)
  expect_contains(snapshot_full "cannot write \"/dev/full\": No space left on device")
endif()
# A file written whole (all but route's stream) is replaced only once the
# work succeeds: when it fails after the file was opened, the file keeps
# what it held and no temporary is left beside it.
file(MAKE_DIRECTORY "${WORK_DIR}/keep")
foreach(writer
    "snapshot_keeps;snapshot --dataset ${WORK_DIR}/no_such.binpb --out"
    "workload_keeps;workload ${WORK_DIR}/no_such.binpb -o"
    "lifecycle_keeps;lifecycle --dataset ${WORK_DIR}/no_such.binpb --out"
    "assess_keeps;assess ${WORK_DIR}/no_such.records --html")
  list(GET writer 0 name)
  list(GET writer 1 command_line)
  separate_arguments(command_line UNIX_COMMAND "${command_line}")
  file(WRITE "${WORK_DIR}/keep/${name}.out" "keep me")
  run(${name} ${command_line} "${WORK_DIR}/keep/${name}.out")
  expect_rc(${name} 1)
  file(READ "${WORK_DIR}/keep/${name}.out" kept)
  if(NOT kept STREQUAL "keep me")
    fail("${name}: a failed command changed its output file to \"${kept}\"")
  endif()
endforeach()
file(GLOB leftovers "${WORK_DIR}/keep/.*")
if(leftovers)
  fail("failed commands left temporaries behind: ${leftovers}")
endif()
# On success the file is replaced: through a symbolic link the file it
# names (the link stays a link), with the file's permission bits.
file(WRITE "${WORK_DIR}/keep/target.jcsnap" "old")
file(CHMOD "${WORK_DIR}/keep/target.jcsnap"
  PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ)
file(CREATE_LINK "target.jcsnap" "${WORK_DIR}/keep/link.jcsnap" SYMBOLIC)
run(snapshot_link snapshot --out "${WORK_DIR}/keep/link.jcsnap")
expect_rc(snapshot_link 0)
file(SIZE "${WORK_DIR}/keep/target.jcsnap" target_size)
if(NOT IS_SYMLINK "${WORK_DIR}/keep/link.jcsnap" OR target_size LESS 1000)
  fail("snapshot --out LINK: the link was replaced, or its file was not (${target_size} bytes)")
endif()
execute_process(COMMAND stat -c %a "${WORK_DIR}/keep/target.jcsnap"
  OUTPUT_VARIABLE target_mode OUTPUT_STRIP_TRAILING_WHITESPACE)
if(NOT target_mode STREQUAL "640")
  fail("snapshot --out: the replaced file's mode is ${target_mode}, expected 640")
endif()
file(GLOB leftovers "${WORK_DIR}/keep/.*")
if(leftovers)
  fail("a replaced file left temporaries behind: ${leftovers}")
endif()
# A file the user may not write is refused before the work, as opening it
# would be (root may write any).
execute_process(COMMAND id -u OUTPUT_VARIABLE uid OUTPUT_STRIP_TRAILING_WHITESPACE)
if(NOT uid STREQUAL "0")
  file(CHMOD "${WORK_DIR}/keep/target.jcsnap" PERMISSIONS OWNER_READ)
  run(snapshot_read_only snapshot --out "${WORK_DIR}/keep/target.jcsnap")
  expect_rc(snapshot_read_only 1)
  expect_contains(snapshot_read_only
    "cannot write \"${WORK_DIR}/keep/target.jcsnap\": Permission denied")
endif()
# Decisions written over the cases they come from: refused, the cases kept.
file(COPY_FILE "${WORK_DIR}/route_cases.bin" "${WORK_DIR}/route_self.bin")
run(route_self route "${WORK_DIR}/route_self.bin" -o "${WORK_DIR}/route_self.bin")
expect_rc(route_self 1)
expect_contains(route_self "-o ${WORK_DIR}/route_self.bin names the input")
execute_process(COMMAND "${CMAKE_COMMAND}" -E compare_files
  "${WORK_DIR}/route_cases.bin" "${WORK_DIR}/route_self.bin" RESULT_VARIABLE differ)
if(NOT differ EQUAL 0)
  fail("route -o over its input changed the input")
endif()
# A length prefix of more than five bytes in the middle: the cases before
# it are routed, then its error entry, and nothing after it is read.
execute_process(COMMAND sh -c "head -c 2000 '${WORK_DIR}/route_cases.bin'; printf '\\377\\377\\377\\377\\377\\001'; cat '${WORK_DIR}/route_cases.bin'"
  OUTPUT_FILE "${WORK_DIR}/route_badmid.bin")
run(route_badmid route "${WORK_DIR}/route_badmid.bin" --format json)
expect_rc(route_badmid 0)
expect_contains(route_badmid "has a truncated or oversized length prefix")
string(REGEX MATCHALL "\n" route_badmid_lines "${route_badmid_out}")
list(LENGTH route_badmid_lines route_badmid_count)
if(route_badmid_count GREATER 100)
  fail("route: ${route_badmid_count} entries after a broken prefix at byte 2000")
endif()
# Only blank lines: no case, no error.
file(WRITE "${WORK_DIR}/blank" "\n  \n")
run(route_blank route "${WORK_DIR}/blank")
expect_rc(route_blank 0)
expect_contains(route_blank "routed 0 cases")
expect_contains(route_blank "errors 0; tiers: none\n")
# Cases that are all refused: the summary still says what happened.
file(WRITE "${WORK_DIR}/unset.jsonl" "{\"id\":\"x\"}\n")
run(route_unset route "${WORK_DIR}/unset.jsonl")
expect_rc(route_unset 0)
expect_contains(route_unset "location_code: not set")
expect_contains(route_unset "errors 1; tiers: none\n")
run(route_bad_progress route --progress -1)
expect_rc(route_bad_progress 2)
expect_contains(route_bad_progress "--progress needs a number of seconds")
# An option the command does not take is refused, not ignored.
run(workload_snapshot workload --snapshot "${WORK_DIR}/x.jcsnap" -o "${WORK_DIR}/x.bin")
expect_rc(workload_snapshot 2)
expect_contains(workload_snapshot "workload does not take --snapshot")
run(diff_threads diff "${sample_tp}" "${sample_tp}" --threads 2)
expect_rc(diff_threads 2)
expect_contains(diff_threads "diff does not take --threads")
run(route_bad_threads route --threads 65)
expect_rc(route_bad_threads 2)
expect_contains(route_bad_threads "from 0 (all cores) to 64")

# diff: a dataset against itself changes nothing.
run(diff_same diff "${WORK_DIR}/small.binpb" "${WORK_DIR}/small.binpb")
expect_rc(diff_same 0)
expect_contains(diff_same "0 of ")

# diff: the sample against a copy whose own-name delegations (六政发〔2026〕18号)
# take effect on 2027-01-01 instead of 2026-07-01. The cases of the autumn
# that the extra-large town's team led go back to the departments; each
# change is shown with both decisions and their explanations.
file(READ "${sample_tp}" sample_text)
set(own_name_from "effective_date: \"2026-07-01\" document: \"六政发〔2026〕18号\"")
string(REPLACE "${own_name_from}"
  "effective_date: \"2027-01-01\" document: \"六政发〔2026〕18号\""
  later_text "${sample_text}")
if(later_text STREQUAL sample_text)
  fail("diff: the sample no longer has ${own_name_from}")
endif()
file(WRITE "${WORK_DIR}/later.textproto" "${later_text}")
run(diff_later diff "${sample_tp}" "${WORK_DIR}/later.textproto")
expect_rc(diff_later 0)
expect_contains(diff_later "of 278 cases change")
expect_contains(diff_later "lead")
expect_contains(diff_later "enforcement OWN_NAME (D-2026-")
expect_contains(diff_later "  after:\nS-")
# Why each changed: the delegation only the earlier dataset applies by then.
expect_contains(diff_later "  what changed in the explanation:\n    - item delegated to the township by D-2026-")
if(NOT diff_later_out MATCHES "\n(S-[0-9]+): (lead, co_handlers, enforcement_mode[a-z_, ]*)\n")
  fail("diff: no change of lead is listed\n${diff_later_out}")
else()
  set(first_change "${CMAKE_MATCH_1}")
  string(FIND "${diff_later_out}"
    "${first_change}: ${CMAKE_MATCH_2}\n  before:\n${first_change}  " _pos)
  if(_pos EQUAL -1)
    fail("diff: ${first_change} is not followed by its case's decision\n${diff_later_out}")
  endif()
endif()
# The same with a JSON-lines workload (blank lines skipped): 露天烧烤 in
# 竹镇 on 2026-09-30 changes, the same case on 2026-05-28 does not.
file(WRITE "${WORK_DIR}/diff_cases.jsonl"
  "{\"id\":\"j-1\",\"matterCode\":\"01006\",\"locationCode\":\"32011610000101\",\"reportedAt\":\"1790753400\"}\n"
  "\n"
  "{\"id\":\"j-2\",\"matterCode\":\"01006\",\"locationCode\":\"32011610000101\",\"reportedAt\":\"1780000000\"}\n")
run(diff_jsonl diff "${sample_tp}" "${WORK_DIR}/later.textproto"
  "${WORK_DIR}/diff_cases.jsonl")
expect_rc(diff_jsonl 0)
expect_contains(diff_jsonl "1 of 2 cases change")
expect_contains(diff_jsonl "j-1: lead, co_handlers, enforcement_mode, whistle\n  before:\nj-1  01006")
run_stdin(diff_stdin "${WORK_DIR}/diff_cases.jsonl" diff "${sample_tp}"
  "${WORK_DIR}/later.textproto" -)
expect_rc(diff_stdin 0)
if(NOT diff_stdin_out STREQUAL diff_jsonl_out)
  fail("diff -: standard input gives another report than the file")
endif()
# A binary workload, and its JSON report.
run(diff_workload workload "${sample_tp}" --cases 3000
  -o "${WORK_DIR}/diff_cases.bin")
expect_rc(diff_workload 0)
run(diff_bin diff "${sample_tp}" "${WORK_DIR}/later.textproto"
  "${WORK_DIR}/diff_cases.bin" --json)
expect_rc(diff_bin 0)
expect_contains(diff_bin "\"cases\": \"3000\"")
expect_contains(diff_bin "\"index\": \"")
string(FIND "${diff_bin_out}" "before_error" _pos)
if(NOT _pos EQUAL -1)
  fail("diff --json: a decision that routed carries a before_error")
endif()
# A case that cannot be read is skipped and named on stderr with its
# place, and the others are diffed, as route goes on past an error entry
# (exit 0 as route's); the report's indexes count it, as route's do.
file(WRITE "${WORK_DIR}/diff_bad.jsonl" "{\"id\":1")
run(diff_bad_json diff "${sample_tp}" "${sample_tp}" "${WORK_DIR}/diff_bad.jsonl")
expect_rc(diff_bad_json 0)
expect_contains(diff_bad_json "skipped ${WORK_DIR}/diff_bad.jsonl:1: not a jiceng.v1.Case")
expect_contains(diff_bad_json "1 of 1 cases could not be read")
# The parser's reason on one line: no excerpt and caret lines of its own.
if(diff_bad_json_err MATCHES "\n\\^")
  fail("diff: a JSON error printed its caret on a line of its own:\n${diff_bad_json_err}")
endif()
expect_contains(diff_bad_json "0 of 0 cases change")
file(READ "${WORK_DIR}/diff_cases.jsonl" diff_cases_jsonl)
file(WRITE "${WORK_DIR}/diff_mixed.jsonl" "not a case\n${diff_cases_jsonl}")
run(diff_mixed diff "${sample_tp}" "${WORK_DIR}/later.textproto"
  "${WORK_DIR}/diff_mixed.jsonl" --json)
expect_rc(diff_mixed 0)
expect_contains(diff_mixed "skipped ${WORK_DIR}/diff_mixed.jsonl:1: not a jiceng.v1.Case")
string(JSON mixed_cases ERROR_VARIABLE json_error GET "${diff_mixed_out}" cases)
string(JSON mixed_index ERROR_VARIABLE json_error2 GET "${diff_mixed_out}"
  diffs 0 index)
if(json_error OR json_error2 OR NOT mixed_cases EQUAL 2 OR NOT mixed_index EQUAL 1)
  fail("diff --json past a bad line: cases \"${mixed_cases}\", first index \"${mixed_index}\", expected 2 and 1\n${diff_mixed_out}")
endif()
# The JSON report lists the unread case with its index and error.
string(JSON unread_index ERROR_VARIABLE json_error GET "${diff_mixed_out}"
  unread 0 index)
string(JSON unread_message ERROR_VARIABLE json_error2 GET "${diff_mixed_out}"
  unread 0 error message)
if(json_error2 OR NOT unread_message MATCHES "diff_mixed.jsonl:1: not a jiceng.v1.Case")
  fail("diff --json: the unread line is not listed with its error\n${diff_mixed_out}")
endif()
# index 0 is proto3's default: left out of the JSON.
if(NOT json_error AND NOT unread_index EQUAL 0)
  fail("diff --json: the unread line's index is \"${unread_index}\", expected 0")
endif()
# At most 20 are listed, the rest counted.
string(REPEAT "x\n" 25 many_bad)
file(WRITE "${WORK_DIR}/diff_many_bad.jsonl" "${many_bad}")
run(diff_many_bad diff "${sample_tp}" "${sample_tp}" "${WORK_DIR}/diff_many_bad.jsonl")
expect_rc(diff_many_bad 0)
expect_contains(diff_many_bad "diff_many_bad.jsonl:20: not a jiceng.v1.Case")
expect_contains(diff_many_bad "... 5 more skipped")
expect_contains(diff_many_bad "25 of 25 cases could not be read")
string(FIND "${diff_many_bad_err}" "diff_many_bad.jsonl:21:" _pos)
if(NOT _pos EQUAL -1)
  fail("diff: more than 20 skipped cases listed\n${diff_many_bad_err}")
endif()
# A binary workload one byte short: its last frame runs past the end, and
# the 2999 before it are diffed.
file(SIZE "${WORK_DIR}/diff_cases.bin" diff_bin_size)
math(EXPR cut "${diff_bin_size} - 1")
execute_process(COMMAND head -c ${cut} "${WORK_DIR}/diff_cases.bin"
  OUTPUT_FILE "${WORK_DIR}/diff_short.bin")
run(diff_short diff "${sample_tp}" "${sample_tp}" "${WORK_DIR}/diff_short.bin")
expect_rc(diff_short 0)
expect_contains(diff_short "skipped ${WORK_DIR}/diff_short.bin: frame 2999 at byte")
expect_contains(diff_short "0 of 2999 cases change")
# A frame that is not a case, first: skipped, the 3000 after it diffed.
execute_process(COMMAND sh -c "printf '\\003\\377\\377\\377'; cat '${WORK_DIR}/diff_cases.bin'"
  OUTPUT_FILE "${WORK_DIR}/diff_bad_frame.bin")
run(diff_bad_frame diff "${sample_tp}" "${sample_tp}" "${WORK_DIR}/diff_bad_frame.bin")
expect_rc(diff_bad_frame 0)
expect_contains(diff_bad_frame "skipped ${WORK_DIR}/diff_bad_frame.bin: case 0: jiceng.v1.Case (3 bytes)")
expect_contains(diff_bad_frame "0 of 3000 cases change")

# ------------------------------------------------------------ assessment
# assess: the table; the March period in JSON (the record received two
# days before March is outside); a deterministic HTML report; bad input.
set(records "${DATA_DIR}/assess_records.jsonl")
run(assess assess "${records}")
expect_rc(assess 0)
expect_contains(assess "assessment: 8 records")
expect_contains(assess "where closed cases were resolved")
expect_contains(assess "worst overdue units")
expect_contains(assess "LH-CG  六合区城市管理和综合行政执法局")
run(assess_march assess "${records}" --from 2026-03-01 --to 2026-03-31 --json)
expect_rc(assess_march 0)
string(JSON assessed ERROR_VARIABLE json_error GET "${assess_march_out}" records)
string(JSON outside ERROR_VARIABLE json_error2 GET "${assess_march_out}"
  outside_period)
if(json_error OR json_error2 OR NOT assessed EQUAL 7 OR NOT outside EQUAL 1)
  fail("assess --json: records \"${assessed}\", outside_period \"${outside}\", expected 7 and 1\n${assess_march_out}")
endif()
run(assess_html assess "${records}" --html "${WORK_DIR}/a.html")
run(assess_html2 assess "${records}" --html "${WORK_DIR}/b.html")
expect_rc(assess_html 0)
expect_contains(assess_html "wrote ")
execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files
  "${WORK_DIR}/a.html" "${WORK_DIR}/b.html" RESULT_VARIABLE same)
if(NOT same EQUAL 0)
  fail("assess --html is not deterministic")
endif()
run(assess_bad_date assess "${records}" --from 2026-02-30)
expect_rc(assess_bad_date 2)
expect_contains(assess_bad_date "--from: \"2026-02-30\" is not a date")
run(assess_bad_to assess "${records}" --to 2026-3-31)
expect_rc(assess_bad_to 2)
expect_contains(assess_bad_to "--to: \"2026-3-31\" is not a date")
# Checked with the command line, before the records are read.
run(assess_bad_date_first assess "${WORK_DIR}/no_such.records" --to 2026-03-32)
expect_rc(assess_bad_date_first 2)
run(assess_reversed assess "${records}" --from 2026-03-31 --to 2026-03-01)
expect_rc(assess_reversed 2)
expect_contains(assess_reversed "--from 2026-03-31 is after --to 2026-03-01")
run(assess_one_day assess "${records}" --from 2026-03-01 --to 2026-03-01)
expect_rc(assess_one_day 0)
# An --html file that cannot be written fails with the system's reason
# before the report is made (nothing on stdout).
run(assess_html_bad assess "${records}" --html "${WORK_DIR}/no_such_dir/r.html")
expect_rc(assess_html_bad 1)
expect_contains(assess_html_bad
  "cannot write \"${WORK_DIR}/no_such_dir/r.html\": No such file or directory")
expect_no_stdout(assess_html_bad "assess --html to an unwritable file (the report before the error)")
if(EXISTS /dev/full)
  run(assess_html_full assess "${records}" --html /dev/full)
  expect_rc(assess_html_full 1)
  expect_contains(assess_html_full "cannot write \"/dev/full\": No space left on device")
endif()
run(assess_missing assess "${WORK_DIR}/no_such.records")
expect_rc(assess_missing 1)
expect_contains(assess_missing "cannot open")
run(assess_no_file assess)
expect_rc(assess_no_file 2)
# "z" (0x7a) declares a 122-byte frame; one byte follows.
file(WRITE "${WORK_DIR}/broken.records" "zz")
run(assess_broken assess "${WORK_DIR}/broken.records")
expect_rc(assess_broken 1)
expect_contains(assess_broken "frame 0 at byte 0 declares 122 bytes")
# ------------------------------------------------- lifecycle, supervise
run(lifecycle lifecycle --out "${WORK_DIR}/records.bin")
expect_rc(lifecycle 0)
expect_contains(lifecycle " case records, ")
expect_contains(lifecycle "states: CANCELLED ")
expect_contains(lifecycle "EVALUATED ")
expect_contains(lifecycle "returns ")
expect_contains(lifecycle "overdue at the end of the script: ")
# Each refused step with its case, action and reason.
if(NOT lifecycle_out MATCHES " 0 refused\n")
  expect_contains(lifecycle "\nrefused: ")
endif()
run(lifecycle_json lifecycle --out "${WORK_DIR}/records.jsonl")
expect_rc(lifecycle_json 0)
file(STRINGS "${WORK_DIR}/records.jsonl" record_lines LIMIT_COUNT 1)
if(NOT record_lines MATCHES "^{\"case\":")
  fail("lifecycle --out *.jsonl: first line is not a CaseRecord in JSON: ${record_lines}")
endif()
# The same records in both formats: supervision reads either the same way.
run(supervise_bin supervise "${WORK_DIR}/records.bin" --at 2026-06-01T09:00)
run(supervise_json supervise "${WORK_DIR}/records.jsonl" --at 2026-06-01T09:00)
expect_rc(supervise_bin 0)
expect_contains(supervise_bin "RED HANDLE")
expect_contains(supervise_bin " cases have something due at ")
if(NOT supervise_bin_out STREQUAL supervise_json_out)
  fail("supervise: binary and JSON-lines records differ")
endif()
# --at is checked whole with the command line (exit 2), before RECORDS
# is read: trailing characters, fields out of range, signs, blanks.
foreach(bad soon 2026-13-01T09:00 2026-02-29T09:00 2026-06-01T24:00
    2026-06-01T09:60 2026-06-01T09:00Z 2026-06-01T9:00 2026-06-01 -5 +5
    " 5" 5x 1e9 999999999999)
  run(supervise_bad_time supervise "${WORK_DIR}/no_such.records" --at "${bad}")
  expect_rc(supervise_bad_time 2)
  expect_contains(supervise_bad_time "jiceng: --at: \"${bad}\" is neither unix seconds")
endforeach()
# YYYY-MM-DDThh:mm is the dataset's local time (UTC+08:00): the same
# moment as its unix seconds.
run(supervise_unix supervise "${WORK_DIR}/records.bin" --at 1780275600)
expect_rc(supervise_unix 0)
expect_contains(supervise_unix " cases have something due at 1780275600\n")
if(NOT supervise_unix_out STREQUAL supervise_bin_out)
  fail("supervise: --at 2026-06-01T09:00 and --at 1780275600 differ")
endif()
# 0 is a time (no usage error), outside the calendar.
run(supervise_zero supervise "${WORK_DIR}/records.bin" --at 0)
expect_rc(supervise_zero 1)
expect_contains(supervise_zero "is outside the work calendar")
# A frame announcing 127 bytes with none following.
string(ASCII 127 frame_length)
file(WRITE "${WORK_DIR}/broken.bin" "${frame_length}")
run(supervise_broken supervise "${WORK_DIR}/broken.bin")
expect_rc(supervise_broken 1)
run(supervise_usage supervise)
expect_rc(supervise_usage 2)

# ------------------------------------------------------------ snapshot
# `snapshot` writes the engine snapshot; --snapshot FILE serves wherever
# --dataset FILE does (and info), with the same answers.
run(snapshot_write snapshot --out "${WORK_DIR}/sample.jcsnap")
expect_rc(snapshot_write 0)
expect_contains(snapshot_write "wrote the engine snapshot of")
run(snapshot_again snapshot --dataset "${WORK_DIR}/sample.jcsnap"
    --out "${WORK_DIR}/again.jcsnap")
expect_rc(snapshot_again 0)
file(SHA256 "${WORK_DIR}/sample.jcsnap" snap_a)
file(SHA256 "${WORK_DIR}/again.jcsnap" snap_b)
if(NOT snap_a STREQUAL snap_b)
  fail("snapshot: re-saving a loaded snapshot changed its bytes")
endif()
run(snapshot_route_ds route --explain)
run(snapshot_route route --explain --snapshot "${WORK_DIR}/sample.jcsnap")
expect_rc(snapshot_route 0)
if(NOT snapshot_route_out STREQUAL snapshot_route_ds_out)
  fail("route --snapshot: decisions differ from the compiled sample's")
endif()
run(snapshot_info_ds info --json)
run(snapshot_info info --json --snapshot "${WORK_DIR}/sample.jcsnap")
expect_rc(snapshot_info 0)
expect_contains(snapshot_info "dataset_fingerprint")
string(REGEX REPLACE "\"(memory_bytes|region_index_bytes)\": \"[0-9]+\"" "" info_a "${snapshot_info_out}")
string(REGEX REPLACE "\"(memory_bytes|region_index_bytes)\": \"[0-9]+\"" "" info_b "${snapshot_info_ds_out}")
if(NOT info_a STREQUAL info_b)
  fail("info --snapshot differs from the compiled sample's:\n${info_a}\n${info_b}")
endif()
run(snapshot_lifecycle lifecycle --snapshot "${WORK_DIR}/sample.jcsnap")
expect_rc(snapshot_lifecycle 0)
run(snapshot_lifecycle_ds lifecycle)
if(NOT snapshot_lifecycle_out STREQUAL snapshot_lifecycle_ds_out)
  fail("lifecycle --snapshot differs from the compiled sample's")
endif()
run(snapshot_not_one route --snapshot "${DATA_DIR}/every_error.textproto")
expect_rc(snapshot_not_one 1)
expect_contains(snapshot_not_one "not a jiceng engine snapshot")
run(snapshot_usage snapshot)
expect_rc(snapshot_usage 2)
# review-admission and analyze read a snapshot too, with the same answers.
run(snapshot_admission review-admission "${WORK_DIR}/request.json"
    --snapshot "${WORK_DIR}/sample.jcsnap")
expect_rc(snapshot_admission 0)
if(NOT snapshot_admission_out STREQUAL admission_out)
  fail("review-admission --snapshot differs from the compiled sample's")
endif()
run(snapshot_analyze analyze "${WORK_DIR}/sample.jcsnap")
run(snapshot_analyze_ds analyze)
if(NOT snapshot_analyze_out STREQUAL snapshot_analyze_ds_out OR
   NOT snapshot_analyze_rc EQUAL snapshot_analyze_ds_rc)
  fail("analyze SNAPSHOT differs from the compiled sample's")
endif()

# ------------------------------------------------------------ refusals
# Arguments out of count, and options that contradict each other or
# would be ignored, are refused (exit 2) before anything is read.
run(args_extra route "${WORK_DIR}/a.jsonl" "${WORK_DIR}/b.jsonl")
expect_rc(args_extra 2)
expect_contains(args_extra "route takes [CASES] (got 2 arguments)")
run(args_none generate "${WORK_DIR}/x")
expect_rc(args_none 2)
expect_contains(args_none "generate takes no argument")
run(args_missing supervise)
expect_rc(args_missing 2)
expect_contains(args_missing "supervise takes RECORDS (got 0 arguments)")
run(info_both info "${WORK_DIR}/sample.jcsnap" --snapshot "${WORK_DIR}/sample.jcsnap")
expect_rc(info_both 2)
expect_contains(info_both "not both")
run(workload_both workload "${WORK_DIR}/small.binpb" --preset province -o "${WORK_DIR}/x.bin")
expect_rc(workload_both 2)
expect_contains(workload_both "DATASET or --preset, not both")
run(workload_format workload --format json -o "${WORK_DIR}/x.bin")
expect_rc(workload_format 2)
expect_contains(workload_format "workload --format applies to DATASET, and none was given")
# --format names FILE's format: without FILE (or with a snapshot) it
# would do nothing.
foreach(cmd demo analyze)
  run(format_unused ${cmd} --format text)
  expect_rc(format_unused 2)
  expect_contains(format_unused "${cmd} --format applies to FILE, and none was given")
endforeach()
run(format_unused_info info --format json)
expect_rc(format_unused_info 2)
expect_contains(format_unused_info "info --format applies to FILE or --dataset FILE")
run(format_snapshot info --snapshot "${WORK_DIR}/sample.jcsnap" --format binary)
expect_rc(format_snapshot 2)
expect_contains(format_snapshot "info --format names a dataset's format")
run(format_demo demo "${sample_tp}" --format text)
expect_rc(format_demo 0)
run(format_analyze analyze "${sample_tp}" --format text)
expect_rc(format_analyze 0)
# An option given twice is refused (which one would count is a guess),
# synonyms too; so is --dataset with --snapshot, both naming the engine.
run(twice route --threads 2 --threads 3)
expect_rc(twice 2)
expect_contains(twice "jiceng: --threads given twice")
run(twice_flag info --json --json)
expect_rc(twice_flag 2)
expect_contains(twice_flag "--json given twice")
run(twice_synonym route -o "${WORK_DIR}/t1.json" --out "${WORK_DIR}/t2.json")
expect_rc(twice_synonym 2)
expect_contains(twice_synonym "-o and --out both given (the same option)")
run(twice_at supervise "${WORK_DIR}/records.bin" --at 0 --at 1)
expect_rc(twice_at 2)
expect_contains(twice_at "--at given twice")
run(dataset_and_snapshot route --dataset "${sample_tp}"
  --snapshot "${WORK_DIR}/sample.jcsnap")
expect_rc(dataset_and_snapshot 2)
expect_contains(dataset_and_snapshot
  "route takes --dataset FILE or --snapshot FILE, not both")
run(snapshot_and_dataset assess "${records}" --snapshot "${WORK_DIR}/sample.jcsnap"
  --dataset "${sample_tp}")
expect_rc(snapshot_and_dataset 2)
expect_contains(snapshot_and_dataset "--dataset FILE or --snapshot FILE, not both")
# "does not take" comes before the option's value is read.
run(not_taken_first info --threads abc)
expect_rc(not_taken_first 2)
expect_contains(not_taken_first "info does not take --threads")
# No output may name an input: the dataset (which route reads first, then
# would truncate), a workload's dataset, the records an HTML report reads;
# standard input redirected from the output file too.
file(COPY_FILE "${WORK_DIR}/small.binpb" "${WORK_DIR}/victim.binpb")
file(SHA256 "${WORK_DIR}/victim.binpb" victim_before)
run(out_is_dataset route --dataset "${WORK_DIR}/victim.binpb" -o "${WORK_DIR}/victim.binpb")
expect_rc(out_is_dataset 1)
expect_contains(out_is_dataset "names the input")
run(out_is_workload_dataset workload "${WORK_DIR}/victim.binpb" -o "${WORK_DIR}/victim.binpb")
expect_rc(out_is_workload_dataset 1)
run(html_is_records assess "${WORK_DIR}/victim.binpb" --html "${WORK_DIR}/victim.binpb")
expect_rc(html_is_records 1)
expect_contains(html_is_records "--html")
run_stdin(out_is_stdin "${WORK_DIR}/route_self.bin" route - -o "${WORK_DIR}/route_self.bin")
expect_rc(out_is_stdin 1)
expect_contains(out_is_stdin "names the input (standard input)")
file(SHA256 "${WORK_DIR}/route_self.bin" self_after)
file(SHA256 "${WORK_DIR}/route_cases.bin" self_before)
if(NOT self_before STREQUAL self_after)
  fail("route - -o over its standard input changed the input")
endif()
file(SHA256 "${WORK_DIR}/victim.binpb" victim_after)
if(NOT victim_before STREQUAL victim_after)
  fail("an output named the input and changed it")
endif()

# ------------------------------------------ standard output, "-o -"
# Output that cannot reach standard output fails the run, for every
# command (route and generate checked their writes; info, demo, validate
# and the others print through std::cout).
if(EXISTS /dev/full)
  foreach(cmd info demo analyze)
    execute_process(COMMAND "${JICENG}" ${cmd}
      WORKING_DIRECTORY "${WORK_DIR}" OUTPUT_FILE /dev/full
      RESULT_VARIABLE full_rc ERROR_VARIABLE full_err TIMEOUT 120)
    if(NOT full_rc EQUAL 1 OR NOT full_err MATCHES "cannot write standard output")
      fail("${cmd} > /dev/full: exit status ${full_rc}, expected 1 with \"cannot write standard output\"\n${full_err}")
    endif()
  endforeach()
endif()
# "-o -" is standard output (it made a file named "-"), for the commands
# whose output is their only stdout; refused where a summary goes there.
run(workload_stdout workload --cases 3 -o -)
expect_rc(workload_stdout 0)
expect_contains(workload_stdout "wrote 3 cases to standard output")
string(LENGTH "${workload_stdout_out}" workload_stdout_n)
if(workload_stdout_n LESS 100)
  fail("workload -o - wrote ${workload_stdout_n} bytes to standard output")
endif()
run(route_stdout route -o - --format json)
expect_rc(route_stdout 0)
expect_contains(route_stdout "\"case_id\":\"S-0001\"")
if(EXISTS "${WORK_DIR}/-")
  fail("-o - made a file named \"-\"")
endif()
run(lifecycle_stdout lifecycle --out -)
expect_rc(lifecycle_stdout 2)
expect_contains(lifecycle_stdout "lifecycle --out -: the summary goes to standard output")
run(workload_too_many workload --cases 100000001 -o "${WORK_DIR}/w.pb")
expect_rc(workload_too_many 2)
expect_contains(workload_too_many "--cases needs a number from 1 to 100000000")

# --------------------------- supervise and assess: bad records, times, ids
# supervise checks its time before printing anything; a record Supervise
# refuses is skipped and named (index, case id, field) on stderr, as diff
# skips an unreadable case, and the others are listed; ids cannot forge
# lines. assess accepts a --from before 1970 (nothing can precede it),
# refuses a --to before 1970 naming it, and refuses record times no record
# can hold, naming the record and the field.
set(sup_dir "${WORK_DIR}/supervise_records")
file(MAKE_DIRECTORY "${sup_dir}")
# Handle clock 2026-06-01 09:00 .. 12:00 (+08:00); the sign-for clock of
# B-1 is due in 2027, outside the calendar; B-2's state is no CaseState.
file(WRITE "${sup_dir}/mixed.jsonl" [=[
{"case":{"id":"G-1"},"state":"CASE_STATE_SIGNED","decision":{"lead":{"kind":"HANDLER_KIND_UNIT","code":"LH-CG"}},"clocks":[{"stage":"STAGE_HANDLE","started_at":"1780275600","due_at":"1780286400"}],"history":[{"at":"1780275600","action":"sign_for"}]}
{"case":{"id":"B-1"},"state":"CASE_STATE_SIGNED","decision":{"lead":{"kind":"HANDLER_KIND_UNIT","code":"LH-CG"}},"clocks":[{"stage":"STAGE_HANDLE","started_at":"1780275600","due_at":"1780286400"},{"stage":"STAGE_SIGN_FOR","started_at":"1780275600","due_at":"1830000000"}],"history":[{"at":"1780275600","action":"dispatch"}]}
{"case":{"id":"B-2"},"state":99,"clocks":[{"stage":"STAGE_HANDLE","started_at":"1780275600","due_at":"1780286400"}]}
{"case":{"id":"G-2"},"state":"CASE_STATE_SIGNED","decision":{"lead":{"kind":"HANDLER_KIND_UNIT","code":"LH-CG"}},"clocks":[{"stage":"STAGE_HANDLE","started_at":"1780275600","due_at":"1780286400"}],"history":[{"at":"1780275600","action":"sign_for"}]}
]=])
run(sup_mixed supervise "${sup_dir}/mixed.jsonl" --at 2026-06-03T10:00)
expect_rc(sup_mixed 0)
expect_contains(sup_mixed "G-1 SIGNED: RED HANDLE ")
expect_contains(sup_mixed "G-2 SIGNED: RED HANDLE ")
expect_contains(sup_mixed "2 of 2 cases have something due at 1780452000\n")
expect_contains(sup_mixed "skipped ${sup_dir}/mixed.jsonl: records[1] (case B-1) clocks[1].due_at: 2027-12-28T21:20:00+08:00 is outside the work calendar")
expect_contains(sup_mixed "skipped ${sup_dir}/mixed.jsonl: records[2] (case B-2) state: 99 is not a value of jiceng.v1.CaseState")
expect_contains(sup_mixed "2 of 4 records could not be supervised")
string(FIND "${sup_mixed_out}" "B-" sup_mixed_pos)
if(NOT sup_mixed_pos EQUAL -1)
  fail("supervise: a skipped record reached stdout\n${sup_mixed_out}")
endif()
# No --at and no action time: the default cannot be derived; nothing printed.
file(WRITE "${sup_dir}/nohist.jsonl" [=[
{"case":{"id":"N-1"},"state":"CASE_STATE_SIGNED","clocks":[{"stage":"STAGE_HANDLE","started_at":"1780275600","due_at":"1780286400"}]}
]=])
run(sup_nohist supervise "${sup_dir}/nohist.jsonl")
expect_rc(sup_nohist 1)
expect_contains(sup_nohist "the default time (that of the latest action) could not be derived; give --at TIME")
expect_no_stdout(sup_nohist "supervise without a default time")
# A default time outside the calendar names the record it came from.
file(WRITE "${sup_dir}/late.jsonl" [=[
{"case":{"id":"G-1"},"state":"CASE_STATE_SIGNED","clocks":[{"stage":"STAGE_HANDLE","started_at":"1780275600","due_at":"1780286400"}],"history":[{"at":"1780275600"}]}
{"case":{"id":"L-1"},"state":"CASE_STATE_SIGNED","history":[{"at":"1780275600"},{"at":"1830000000"}]}
]=])
run(sup_late supervise "${sup_dir}/late.jsonl")
expect_rc(sup_late 1)
expect_contains(sup_late "records[1] (case L-1) history[1].at (the latest action, so the default time): 2027-12-28T21:20:00+08:00 is outside the work calendar")
expect_contains(sup_late "give --at TIME")
expect_no_stdout(sup_late "supervise with a default time outside the calendar")
run(sup_at_outside supervise "${sup_dir}/mixed.jsonl" --at 2025-06-03T10:00)
expect_rc(sup_at_outside 1)
expect_contains(sup_at_outside "jiceng: --at: 2025-06-03T10:00:00+08:00 is outside the work calendar")
expect_no_stdout(sup_at_outside "supervise --at outside the calendar")
# An id with a newline and an escape sequence: escaped, no forged line.
file(WRITE "${sup_dir}/forged.jsonl" [=[
{"case":{"id":"X\u001b[2J\u202e\nG-9 SIGNED: RED HANDLE 1% (LH-CG)"},"state":"CASE_STATE_SIGNED","decision":{"lead":{"kind":"HANDLER_KIND_UNIT","code":"LH\tCG"}},"clocks":[{"stage":"STAGE_HANDLE","started_at":"1780275600","due_at":"1780286400"}],"history":[{"at":"1780275600"}]}
]=])
run(sup_forged supervise "${sup_dir}/forged.jsonl" --at 2026-06-03T10:00)
expect_rc(sup_forged 0)
# (Backslashes do not survive expect_contains, a macro: string(FIND).)
foreach(escaped [=[X\x1b[2J\u202e\x0aG-9 SIGNED: RED HANDLE 1% (LH-CG) SIGNED: RED HANDLE ]=]
    [=[(LH\x09CG)]=])
  string(FIND "${sup_forged_out}" "${escaped}" sup_escaped_pos)
  if(sup_escaped_pos EQUAL -1)
    # (Not quoted in the message: fail, a macro, would read its escapes.)
    fail("supervise: the escaped id or code is missing from its output")
  endif()
endforeach()
string(FIND "${sup_forged_out}" "\nG-9" sup_forged_pos)
string(ASCII 27 sup_esc)
string(FIND "${sup_forged_out}" "${sup_esc}" sup_esc_pos)
if(NOT sup_forged_pos EQUAL -1 OR NOT sup_esc_pos EQUAL -1)
  fail("supervise: a case id forged a line or sent a control character")
endif()
# assess: a period from before 1970 starts at 0; one ending before 1970
# could hold no record and is refused, naming --to and the date.
run(assess_from_1970 assess "${records}" --from 1970-01-01)
expect_rc(assess_from_1970 0)
expect_contains(assess_from_1970 "assessment: 8 records")
run(assess_from_1900 assess "${records}" --from 1900-01-01 --json)
expect_rc(assess_from_1900 0)
run(assess_to_1969 assess "${records}" --from 1900-01-01 --to 1969-12-31)
expect_rc(assess_to_1969 1)
expect_contains(assess_to_1969 "jiceng: --to 1969-12-31: the period would end at -28800 unix seconds, before 1970-01-01T00:00Z")
# A record time no record can hold: refused, naming record, case, field.
file(WRITE "${sup_dir}/huge.jsonl" [=[
{"case":{"id":"H-1","location_code":"32011600100101"},"state":"CASE_STATE_RECEIVED","received_at":"1780275600","evaluated_at":"1000000000000000"}
]=])
run(assess_huge assess "${sup_dir}/huge.jsonl")
expect_rc(assess_huge 1)
expect_contains(assess_huge "records[0] (case H-1) evaluated_at: 1000000000000000 is not a time from 1970 to 9999")
expect_no_stdout(assess_huge "assess with a record time past 9999")

# ------------------- usage values, a closed pipe, big outputs, no memory
# A usage error quotes the option and the value given; an empty file name
# is refused wherever -o is taken, not taken for standard output.
run(seed_too_large generate --seed 18446744073709551616)
expect_rc(seed_too_large 2)
expect_contains(seed_too_large
  "jiceng: --seed 18446744073709551616 is too large (at most 18446744073709551615)")
run(seed_bad generate --seed 12x)
expect_rc(seed_bad 2)
expect_contains(seed_bad "--seed needs a non-negative integer (got \"12x\")")
run(cases_bad workload --cases 0 -o "${WORK_DIR}/w0.bin")
expect_rc(cases_bad 2)
expect_contains(cases_bad "--cases needs a number from 1 to 100000000 (got \"0\")")
run(threads_bad route --threads 65)
expect_contains(threads_bad "(got \"65\")")
run(progress_bad route --progress -1)
expect_contains(progress_bad "(got \"-1\")")
run(format_bad validate "${WORK_DIR}/small.binpb" --format xml)
expect_contains(format_bad "--format needs one of auto, binary, json, text (got \"xml\")")
run(preset_bad generate --preset tiny)
expect_rc(preset_bad 2)
expect_contains(preset_bad "(got \"tiny\")")
foreach(cmd route generate workload lifecycle snapshot)
  execute_process(COMMAND "${JICENG}" ${cmd} -o ""
    WORKING_DIRECTORY "${WORK_DIR}" RESULT_VARIABLE empty_o_rc
    OUTPUT_VARIABLE empty_o_out ERROR_VARIABLE empty_o_err TIMEOUT 120)
  if(NOT empty_o_rc EQUAL 2 OR NOT empty_o_out STREQUAL ""
     OR NOT empty_o_err MATCHES "jiceng: -o needs a file name \\(got \"\"\\)")
    fail("${cmd} -o '': exit status ${empty_o_rc}, expected 2 naming -o, nothing on standard output\n${empty_o_err}")
  endif()
endforeach()
execute_process(COMMAND "${JICENG}" lifecycle --out ""
  WORKING_DIRECTORY "${WORK_DIR}" RESULT_VARIABLE empty_out_rc
  ERROR_VARIABLE empty_out_err TIMEOUT 120)
if(NOT empty_out_rc EQUAL 2 OR NOT empty_out_err MATCHES "--out needs a file name")
  fail("lifecycle --out '': exit status ${empty_out_rc}\n${empty_out_err}")
endif()

# generate refuses at once what jiceng could not read back: the ten
# provinces as JSON or text are over kMaxDatasetBytes (1 GiB).
foreach(name ten.json ten.txtpb)
  run(ten_big generate --preset ten-provinces -o "${WORK_DIR}/${name}")
  expect_rc(ten_big 2)
  expect_contains(ten_big "jiceng: generate --preset ten-provinces as ")
  expect_contains(ten_big "use --format binary")
  if(EXISTS "${WORK_DIR}/${name}")
    fail("generate --preset ten-provinces -o ${name} wrote a file")
  endif()
endforeach()

# A closed pipe (the reader, head, goes after one byte) fails the run with
# status 1 and one message, at once, not by SIGPIPE (141) and not after
# the rest of the work. sh records the first command's status in a file.
if(UNIX AND EXISTS /bin/sh)
  run(pipe_wl workload "${WORK_DIR}/small.binpb" --cases 100000
    -o "${WORK_DIR}/pipe_cases.bin")
  expect_rc(pipe_wl 0)
  # supervise: the sample's records that have something due at year's end,
  # 40 times over, print more than a pipe holds (~120 KB); a last record
  # it would skip, naming it on stderr, is never reached.
  file(WRITE "${WORK_DIR}/due40.sh" [=[
"$1" supervise records.jsonl --at 2026-12-30T09:00 |
  sed -n 's/^\(S-[0-9]*\) .*/"id":"\1"/p' >due_ids.txt || exit 1
grep -F -f due_ids.txt records.jsonl >due.jsonl || exit 1
i=0
while [ $i -lt 40 ]; do cat due.jsonl; i=$((i + 1)); done >due40.jsonl
echo '{"case":{"id":"B-2"},"state":99}' >>due40.jsonl
]=])
  execute_process(COMMAND /bin/sh due40.sh "${JICENG}"
    WORKING_DIRECTORY "${WORK_DIR}" RESULT_VARIABLE due40_rc TIMEOUT 60)
  file(SIZE "${WORK_DIR}/due40.jsonl" due40_bytes)
  if(NOT due40_rc EQUAL 0 OR due40_bytes LESS 1000000)
    fail("due40.sh: status ${due40_rc}, ${due40_bytes} bytes of records")
  endif()
  set(pipe_commands
    "generate"
    "workload --cases 2000000 -o -"
    "route pipe_cases.bin --dataset small.binpb --format json"
    "route pipe_cases.bin --dataset small.binpb --format binary"
    "supervise due40.jsonl --at 2026-12-30T09:00")
  foreach(pipe_cmd IN LISTS pipe_commands)
    file(REMOVE "${WORK_DIR}/pipe_rc.txt" "${WORK_DIR}/pipe_err.txt")
    execute_process(
      COMMAND /bin/sh -c "{ \"$0\" ${pipe_cmd} 2>pipe_err.txt; echo $? >pipe_rc.txt; } | head -c1 >/dev/null"
        "${JICENG}"
      WORKING_DIRECTORY "${WORK_DIR}" RESULT_VARIABLE sh_rc TIMEOUT 60)
    file(READ "${WORK_DIR}/pipe_rc.txt" pipe_rc)
    string(STRIP "${pipe_rc}" pipe_rc)
    file(READ "${WORK_DIR}/pipe_err.txt" pipe_err)
    string(REGEX MATCHALL "jiceng:" pipe_messages "${pipe_err}")
    list(LENGTH pipe_messages pipe_n)
    if(NOT pipe_rc STREQUAL "1" OR NOT pipe_n EQUAL 1
       OR NOT pipe_err MATCHES "^jiceng: cannot write standard output")
      fail("${pipe_cmd} | head -c1: exit status ${pipe_rc}, expected 1 with one \"jiceng: cannot write standard output\"\n${pipe_err}")
    endif()
    if(pipe_err MATCHES "routed 100000 cases|wrote 2000000 cases|skipped ")
      fail("${pipe_cmd} | head -c1: went on after the pipe closed\n${pipe_err}")
    endif()
  endforeach()

  # Out of memory (an address-space limit the generator of the province
  # outgrows): a message, status 1, and no temporary beside the output.
  # Skipped where jiceng cannot start under the limit (a sanitizer build).
  set(oom_limit 200000)  # KiB
  execute_process(COMMAND /bin/sh -c "ulimit -v ${oom_limit} && exec \"$0\" version"
    "${JICENG}" RESULT_VARIABLE oom_probe OUTPUT_QUIET ERROR_QUIET TIMEOUT 60)
  if(oom_probe EQUAL 0)
    foreach(oom_cmd "workload --preset province" "generate --preset province")
      file(REMOVE "${WORK_DIR}/oom.bin")
      execute_process(
        COMMAND /bin/sh -c "ulimit -v ${oom_limit} && exec \"$0\" ${oom_cmd} -o oom.bin"
          "${JICENG}"
        WORKING_DIRECTORY "${WORK_DIR}" RESULT_VARIABLE oom_rc
        ERROR_VARIABLE oom_err TIMEOUT 120)
      file(GLOB oom_left "${WORK_DIR}/.oom.bin.*")
      if(NOT oom_rc EQUAL 1 OR NOT oom_err MATCHES "jiceng: [a-z]+: out of memory"
         OR oom_left OR EXISTS "${WORK_DIR}/oom.bin")
        fail("${oom_cmd} under ulimit -v ${oom_limit}: exit status ${oom_rc}, left \"${oom_left}\"\n${oom_err}")
      endif()
    endforeach()
  else()
    message(STATUS "cli_test: out-of-memory checks skipped (jiceng does not start under ulimit -v ${oom_limit})")
  endif()
endif()

# ------------------------------------------------------------ summary
if(failures GREATER 0)
  message(FATAL_ERROR "cli_test: ${failures} check(s) failed")
endif()
list(LENGTH expected_rules n)
message(STATUS "cli_test: all checks passed (${n} validation rules, one line each)")
