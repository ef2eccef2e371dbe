// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0
//
// libFuzzer target: the bytes as a jiceng.v1.ServiceRequest through
// jc_engine_route_service and jc_engine_route_service_into on the sample
// engine; the two agree on the status and, on success, on the bytes.

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

#include "jiceng/jiceng.h"
#include "jiceng/v1/routing.pb.h"
#include "tests/fuzz/fuzz_common.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using jiceng_fuzz::CheckCall;
  using jiceng_fuzz::Die;
  using jiceng_fuzz::Untouched;
  const jc_engine* engine = jiceng_fuzz::SampleEngine();

  void* out = Untouched();
  size_t out_size = 0;
  char* error = nullptr;
  jc_status s =
      jc_engine_route_service(engine, data, size, &out, &out_size, &error);
  std::vector<unsigned char> bytes;
  if (s == JC_OK) {
    bytes.assign(static_cast<unsigned char*>(out),
                 static_cast<unsigned char*>(out) + out_size);
  }
  jiceng::v1::ServiceDecision parsed;
  CheckCall("jc_engine_route_service", s, error, out, out_size, &parsed);

  std::vector<unsigned char> buffer(bytes.size() + 64);
  size_t got = 0;
  error = nullptr;
  jc_status si = jc_engine_route_service_into(
      engine, data, size, buffer.data(), buffer.size(), &got, &error);
  if (si != s) Die("route_service and _into disagree on the status", si, error);
  if (s == JC_OK) {
    if (got != bytes.size() ||
        (got != 0 && std::memcmp(buffer.data(), bytes.data(), got) != 0)) {
      Die("jc_engine_route_service_into differs", si, "bytes");
    }
  } else {
    CheckCall("jc_engine_route_service_into", si, error, Untouched(), 0,
              nullptr);
  }
  return 0;
}
