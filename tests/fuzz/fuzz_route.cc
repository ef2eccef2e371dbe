// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0
//
// libFuzzer target: the bytes as a jiceng.v1.Case through jc_engine_route
// (without and with explanation text) and jc_engine_route_into on the
// sample engine. Besides the checks of fuzz_common.h, the two entry points
// agree: route_into gives the same status, and on success the same bytes,
// first asking for the size with a zero capacity.

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

  jiceng::v1::RoutingDecision parsed;
  for (uint32_t flags : {0u, JC_ROUTE_EXPLAIN_TEXT}) {
    void* out = Untouched();
    size_t out_size = 0;
    char* error = nullptr;
    jc_status s =
        jc_engine_route(engine, data, size, flags, &out, &out_size, &error);
    // Keep a copy for the comparison below (CheckCall frees `out`).
    std::vector<unsigned char> bytes;
    if (s == JC_OK) {
      bytes.assign(static_cast<unsigned char*>(out),
                   static_cast<unsigned char*>(out) + out_size);
    }
    CheckCall("jc_engine_route", s, error, out, out_size, &parsed);

    size_t needed = 0;
    error = nullptr;
    jc_status si = jc_engine_route_into(engine, data, size, flags, nullptr, 0,
                                        &needed, &error);
    if (s == JC_OK && !bytes.empty()) {
      if (si != JC_BUFFER_TOO_SMALL || needed != bytes.size()) {
        Die("jc_engine_route_into(capacity 0) did not ask for the size", si,
            error);
      }
      jc_free(error);
      std::vector<unsigned char> buffer(needed);
      size_t got = 0;
      error = nullptr;
      si = jc_engine_route_into(engine, data, size, flags, buffer.data(),
                                buffer.size(), &got, &error);
      if (si != JC_OK || got != needed ||
          std::memcmp(buffer.data(), bytes.data(), got) != 0) {
        Die("jc_engine_route_into differs from jc_engine_route", si, error);
      }
    } else if (s != JC_OK) {
      if (si != s) Die("route and route_into disagree on the status", si, error);
      CheckCall("jc_engine_route_into", si, error, Untouched(), 0, nullptr);
    } else {
      jc_free(error);
    }
  }
  return 0;
}
