// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0
//
// libFuzzer targets of the closed loop, one per JC_FUZZ_ENTRY (set by the
// build): 1 jc_engine_apply (the bytes as a jiceng.v1.ApplyRequest),
// 2 jc_engine_supervise (a jiceng.v1.SuperviseRequest), 3 jc_engine_assess
// (a jiceng.v1.AssessRequest), on the sample engine. Besides the checks of
// fuzz_common.h: a second call gives the same status and the same bytes.

#include <cstddef>
#include <cstdint>
#include <string>

#include "jiceng/jiceng.h"
#include "jiceng/v1/assessment.pb.h"
#include "jiceng/v1/lifecycle.pb.h"
#include "tests/fuzz/fuzz_common.h"

#if JC_FUZZ_ENTRY == 1
#define JC_FUZZ_CALL jc_engine_apply
using Result = jiceng::v1::CaseRecord;
#elif JC_FUZZ_ENTRY == 2
#define JC_FUZZ_CALL jc_engine_supervise
using Result = jiceng::v1::SupervisionReport;
#elif JC_FUZZ_ENTRY == 3
#define JC_FUZZ_CALL jc_engine_assess
using Result = jiceng::v1::AssessmentReport;
#else
#error "JC_FUZZ_ENTRY must be 1 (apply), 2 (supervise) or 3 (assess)"
#endif

#define JC_FUZZ_STR2(x) #x
#define JC_FUZZ_STR(x) JC_FUZZ_STR2(x)

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const char* name = JC_FUZZ_STR(JC_FUZZ_CALL);
  const jc_engine* engine = jiceng_fuzz::SampleEngine();
  jc_status status[2];
  std::string bytes[2];
  for (int i = 0; i < 2; ++i) {
    void* out = jiceng_fuzz::Untouched();
    size_t out_size = 0;
    char* error = nullptr;
    status[i] = JC_FUZZ_CALL(engine, data, size, &out, &out_size, &error);
    if (status[i] == JC_OK) {
      bytes[i].assign(static_cast<const char*>(out), out_size);
    } else if (error != nullptr) {
      bytes[i] = error;
    }
    Result parsed;
    jiceng_fuzz::CheckCall(name, status[i], error, out, out_size, &parsed);
  }
  if (status[0] != status[1] || bytes[0] != bytes[1]) {
    jiceng_fuzz::Die(name, status[1], "a second call gave another result");
  }
  return 0;
}
