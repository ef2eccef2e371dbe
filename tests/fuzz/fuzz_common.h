// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0
//
// What every libFuzzer target of the C ABI shares: a sample engine built
// once, and the checks that turn a broken contract into a crash the fuzzer
// reports. Besides the sanitizers' own findings, a target fails when a call
//   - returns JC_INTERNAL or JC_UNKNOWN, or a code outside the pinned range;
//   - returns JC_OK without its outputs, or with an error message;
//   - fails without an error message, or with one that is not UTF-8;
//   - fails and still writes an output (convention 5);
//   - returns bytes that do not parse as the documented message.

#ifndef JICENG_TESTS_FUZZ_FUZZ_COMMON_H_
#define JICENG_TESTS_FUZZ_FUZZ_COMMON_H_

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "google/protobuf/message_lite.h"
#include "jiceng/jiceng.h"

namespace jiceng_fuzz {

[[noreturn]] inline void Die(const char* what, jc_status status,
                             const char* message) {
  std::fprintf(stderr, "jiceng fuzz: %s (status %d %s): %s\n", what, status,
               jc_status_name(status), message ? message : "(no message)");
  std::abort();
}

// RFC 3629 UTF-8: no overlongs, no surrogates, nothing past U+10FFFF.
inline bool IsUtf8(const char* s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s);
  while (*p != 0) {
    unsigned c = *p++;
    int more;
    unsigned min;
    if (c < 0x80) continue;
    if ((c & 0xE0) == 0xC0) {
      more = 1, min = 0x80, c &= 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      more = 2, min = 0x800, c &= 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      more = 3, min = 0x10000, c &= 0x07;
    } else {
      return false;
    }
    for (int i = 0; i < more; ++i) {
      if ((*p & 0xC0) != 0x80) return false;
      c = (c << 6) | (*p++ & 0x3F);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) return false;
  }
  return true;
}

// The sentinel an output holds before a call; a failed call must leave it.
inline void* Untouched() { return reinterpret_cast<void*>(uintptr_t{0x5A5A}); }

// Checks a call with one (void**, size_t*) output. On JC_OK parses the
// output into `parsed` (when given) and frees it. Returns the status.
inline jc_status CheckCall(const char* what, jc_status status, char* error,
                           void* out, size_t out_size,
                           google::protobuf::MessageLite* parsed) {
  if (status == JC_OK) {
    if (error != nullptr) Die(what, status, "JC_OK with an error message");
    if (out == Untouched()) Die(what, status, "JC_OK without an output");
    if (parsed != nullptr &&
        !parsed->ParseFromArray(out, static_cast<int>(out_size))) {
      Die(what, status, "the output does not parse");
    }
    jc_free(out);
    return status;
  }
  if (status < 0 || status > JC_UNAUTHENTICATED || status == JC_INTERNAL ||
      status == JC_UNKNOWN) {
    Die(what, status, error);
  }
  if (error == nullptr) Die(what, status, "failure without a message");
  if (!IsUtf8(error)) Die(what, status, "error message is not UTF-8");
  if (out != Untouched()) Die(what, status, "failure wrote the output");
  jc_free(error);
  return status;
}

// The embedded sample engine, built on first use and kept for the process.
inline const jc_engine* SampleEngine() {
  static const jc_engine* engine = [] {
    jc_engine* e = nullptr;
    char* error = nullptr;
    jc_status s = jc_engine_create_sample(&e, &error);
    if (s != JC_OK) Die("jc_engine_create_sample", s, error);
    return e;
  }();
  return engine;
}

}  // namespace jiceng_fuzz

#endif  // JICENG_TESTS_FUZZ_FUZZ_COMMON_H_
