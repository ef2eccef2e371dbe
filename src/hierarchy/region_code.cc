// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0

#include "src/hierarchy/region_code.h"

#include <cstring>

namespace jiceng {
namespace {

using region_code_internal::kPow10;

// Eight ASCII digits at p as a number (a little-endian 8-byte load), or
// false if any byte is not a digit: Lemire's SWAR parse. Every lookup by a
// string code starts here, and a 14-digit code is one chunk and a tail.
bool ParseEightDigits(const char* p, uint64_t* out) {
  uint64_t v;
  std::memcpy(&v, p, sizeof v);
  if ((((v & 0xF0F0F0F0F0F0F0F0ull) |
        (((v + 0x0606060606060606ull) & 0xF0F0F0F0F0F0F0F0ull) >> 4))) !=
      0x3333333333333333ull) {
    return false;
  }
  v = ((v & 0x0F0F0F0F0F0F0F0Full) * 2561) >> 8;
  v = ((v & 0x00FF00FF00FF00FFull) * 6553601) >> 16;
  *out = ((v & 0x0000FFFF0000FFFFull) * 42949672960001ull) >> 32;
  return true;
}

}  // namespace

absl::optional<uint64_t> RegionKeyFromCode(absl::string_view code) {
  const size_t len = code.size();
  if (len < static_cast<size_t>(kMinCodeDigits) ||
      len > static_cast<size_t>(kMaxCodeDigits) || code[0] == '0') {
    return absl::nullopt;
  }
  uint64_t v = 0;
  size_t i = 0;
  for (; len - i >= 8; i += 8) {
    uint64_t chunk;
    if (!ParseEightDigits(code.data() + i, &chunk)) return absl::nullopt;
    v = v * 100000000ull + chunk;
  }
  unsigned bad = 0;
  for (; i < len; ++i) {
    const unsigned d = static_cast<unsigned char>(code[i]) - '0';
    bad |= d > 9 ? 1u : 0u;
    v = v * 10 + d;
  }
  if (bad != 0) return absl::nullopt;
  return v * kPow10[kMaxCodeDigits - len] * 16 +
         static_cast<uint64_t>(len - kMinCodeDigits);
}

uint64_t CodeNumberFromRegionKey(uint64_t key) {
  return PaddedCode(key) / kPow10[kMaxCodeDigits - CodeLength(key)];
}

int WriteCodeDigits(uint64_t key, char* out) {
  const int len = CodeLength(key);
  uint64_t v = CodeNumberFromRegionKey(key);
  for (int i = len - 1; i >= 0; --i) {
    out[i] = static_cast<char>('0' + v % 10);
    v /= 10;
  }
  return len;
}

std::string CodeFromRegionKey(uint64_t key) {
  char digits[kMaxCodeDigits];
  return std::string(digits, static_cast<size_t>(WriteCodeDigits(key, digits)));
}

uint64_t CodeDigits(uint64_t key, int begin, int end) {
  const uint64_t padded = PaddedCode(key);
  return padded / kPow10[kMaxCodeDigits - end] % kPow10[end - begin];
}

bool CodeZeroFrom(uint64_t key, int begin) {
  if (begin >= kMaxCodeDigits) return true;
  return PaddedCode(key) % kPow10[kMaxCodeDigits - begin] == 0;
}

bool CodeExtends(uint64_t child, uint64_t parent) {
  const int plen = CodeLength(parent);
  if (CodeLength(child) < plen) return false;
  const uint64_t unit = kPow10[kMaxCodeDigits - plen];
  return PaddedCode(child) / unit == PaddedCode(parent) / unit;
}

}  // namespace jiceng
