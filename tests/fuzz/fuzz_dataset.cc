// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0
//
// libFuzzer target: a dataset's bytes in one format (JC_FUZZ_FORMAT, set by
// the build: binary, JSON or text) through jc_dataset_validate and
// jc_engine_create, then jc_engine_info on any engine that compiles.
// Besides the checks of fuzz_common.h: validation and compilation agree —
// a dataset whose report has no error compiles, and one with an error
// does not.

#include <cstddef>
#include <cstdint>

#include "jiceng/jiceng.h"
#include "jiceng/v1/engine_info.pb.h"
#include "jiceng/v1/validation.pb.h"
#include "tests/fuzz/fuzz_common.h"

#ifndef JC_FUZZ_FORMAT
#error "JC_FUZZ_FORMAT must name a JC_FORMAT_* value"
#endif

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using jiceng_fuzz::CheckCall;
  using jiceng_fuzz::Untouched;

  void* report = Untouched();
  size_t report_size = 0;
  char* error = nullptr;
  jiceng::v1::ValidationReport parsed_report;
  jc_status validated = CheckCall(
      "jc_dataset_validate",
      jc_dataset_validate(data, size, JC_FUZZ_FORMAT, &report, &report_size,
                          &error),
      error, report, report_size, &parsed_report);

  jc_engine* engine = static_cast<jc_engine*>(Untouched());
  error = nullptr;
  jc_status created =
      jc_engine_create(data, size, JC_FUZZ_FORMAT, &engine, &error);
  CheckCall("jc_engine_create", created, error,
            created == JC_OK ? nullptr : static_cast<void*>(engine), 0,
            nullptr);
  if (validated == JC_OK) {
    const bool clean = parsed_report.error_count() == 0;
    if (clean != (created == JC_OK)) {
      jiceng_fuzz::Die("validate and create disagree", created,
                       clean ? "no validation error, yet no engine"
                             : "validation errors, yet an engine");
    }
  }
  if (created != JC_OK) return 0;

  void* info = Untouched();
  size_t info_size = 0;
  error = nullptr;
  jiceng::v1::EngineInfo parsed_info;
  jc_status s = jc_engine_info(engine, &info, &info_size, &error);
  CheckCall("jc_engine_info", s, error, info, info_size, &parsed_info);
  if (s != JC_OK) jiceng_fuzz::Die("jc_engine_info on a new engine", s, "");
  jc_engine_destroy(engine);
  return 0;
}
