// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0
//
// libFuzzer targets of the closed loop, one per JC_FUZZ_ENTRY (set by the
// build): 1 Apply (the bytes as a jiceng.v1.ApplyRequest), 2 Supervise (a
// jiceng.v1.SuperviseRequest), 3 Assess (a jiceng.v1.AssessRequest), on the
// sample engine. They call the C++ functions the C ABI's
// jc_engine_apply / _supervise / _assess wrap, parsing the bytes as the C
// ABI does. Besides the sanitizers: no INTERNAL or UNKNOWN status, error
// messages valid UTF-8, results that serialize and parse back, and the same
// bytes from a second call.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "jiceng/v1/assessment.pb.h"
#include "jiceng/v1/lifecycle.pb.h"
#include "src/assessment/assess.h"
#include "src/engine/engine.h"
#include "src/lifecycle/lifecycle.h"
#include "src/lifecycle/supervise.h"
#include "src/sample/sample_dataset.h"
#include "tests/fuzz/fuzz_common.h"

#ifndef JC_FUZZ_ENTRY
#error "JC_FUZZ_ENTRY must be 1 (apply), 2 (supervise) or 3 (assess)"
#endif

namespace {

const jiceng::Engine& Sample() {
  static const jiceng::Engine* engine = [] {
    auto e = jiceng::Engine::Load(jiceng::SampleDatasetBinary(),
                                  jiceng::DatasetFormat::kBinary);
    if (!e.ok()) jiceng_fuzz::Die("sample engine", JC_INTERNAL, "");
    return e->release();
  }();
  return *engine;
}

template <typename T>
void Judge(const char* what, const absl::StatusOr<T>& a,
           const absl::StatusOr<T>& b) {
  if (a.ok() != b.ok()) jiceng_fuzz::Die(what, JC_INTERNAL, "not repeatable");
  if (!a.ok()) {
    const int code = static_cast<int>(a.status().code());
    const std::string message(a.status().message());
    if (code == JC_INTERNAL || code == JC_UNKNOWN || message.empty() ||
        !jiceng_fuzz::IsUtf8(message.c_str())) {
      jiceng_fuzz::Die(what, code, message.c_str());
    }
    if (a.status() != b.status()) {
      jiceng_fuzz::Die(what, code, "a second call gave another error");
    }
    return;
  }
  std::string bytes;
  if (!a->SerializeToString(&bytes)) jiceng_fuzz::Die(what, 0, "serialize");
  T parsed;
  if (!parsed.ParseFromString(bytes)) jiceng_fuzz::Die(what, 0, "reparse");
  if (bytes != b->SerializeAsString()) {
    jiceng_fuzz::Die(what, 0, "a second call gave other bytes");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const jiceng::Engine& engine = Sample();
#if JC_FUZZ_ENTRY == 1
  jiceng::v1::ApplyRequest request;
  if (!request.ParseFromArray(data, static_cast<int>(size))) return 0;
  Judge("Apply",
        jiceng::Apply(engine, request.record(), request.action(), request.now()),
        jiceng::Apply(engine, request.record(), request.action(),
                      request.now()));
#elif JC_FUZZ_ENTRY == 2
  jiceng::v1::SuperviseRequest request;
  if (!request.ParseFromArray(data, static_cast<int>(size))) return 0;
  Judge("Supervise", jiceng::Supervise(engine, request.record(), request.now()),
        jiceng::Supervise(engine, request.record(), request.now()));
#else
  jiceng::v1::AssessRequest request;
  if (!request.ParseFromArray(data, static_cast<int>(size))) return 0;
  Judge("Assess", jiceng::Assess(engine, request),
        jiceng::Assess(engine, request));
#endif
  return 0;
}
