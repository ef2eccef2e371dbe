// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0
//
// libFuzzer target: the bytes as a jiceng.v1.AdmissionRequest through
// jc_engine_review_admission on the sample engine, with the checks of
// fuzz_common.h.

#include <cstddef>
#include <cstdint>

#include "jiceng/jiceng.h"
#include "jiceng/v1/admission.pb.h"
#include "tests/fuzz/fuzz_common.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  void* out = jiceng_fuzz::Untouched();
  size_t out_size = 0;
  char* error = nullptr;
  jiceng::v1::AdmissionDecision parsed;
  jiceng_fuzz::CheckCall(
      "jc_engine_review_admission",
      jc_engine_review_admission(jiceng_fuzz::SampleEngine(), data, size, &out,
                                 &out_size, &error),
      error, out, out_size, &parsed);
  return 0;
}
