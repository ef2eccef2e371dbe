// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0

#include "src/base/fingerprint.h"

#include <cstring>

#include "absl/base/config.h"

namespace jiceng {
namespace {

constexpr uint64_t kPrime1 = 11400714785074694791ull;
constexpr uint64_t kPrime2 = 14029467366897019727ull;
constexpr uint64_t kPrime3 = 1609587929392839161ull;
constexpr uint64_t kPrime4 = 9650029242287828579ull;
constexpr uint64_t kPrime5 = 2870177450012600261ull;

inline uint64_t Rotl(uint64_t x, int r) { return (x << r) | (x >> (64 - r)); }

// XXH64 is defined on little-endian words: byte-swap on other hosts.
inline uint64_t Read64(const unsigned char* p) {
  uint64_t v;
  std::memcpy(&v, p, sizeof(v));
#ifndef ABSL_IS_LITTLE_ENDIAN
  v = __builtin_bswap64(v);
#endif
  return v;
}

inline uint32_t Read32(const unsigned char* p) {
  uint32_t v;
  std::memcpy(&v, p, sizeof(v));
#ifndef ABSL_IS_LITTLE_ENDIAN
  v = __builtin_bswap32(v);
#endif
  return v;
}

inline uint64_t Round(uint64_t acc, uint64_t input) {
  acc += input * kPrime2;
  return Rotl(acc, 31) * kPrime1;
}

inline uint64_t Merge(uint64_t acc, uint64_t lane) {
  acc ^= Round(0, lane);
  return acc * kPrime1 + kPrime4;
}

}  // namespace

Fingerprint64Stream::Fingerprint64Stream(uint64_t seed)
    : v_{seed + kPrime1 + kPrime2, seed + kPrime2, seed, seed - kPrime1},
      seed_(seed) {}

void Fingerprint64Stream::Update(absl::string_view bytes) {
  const unsigned char* p = reinterpret_cast<const unsigned char*>(bytes.data());
  const unsigned char* const end = p + bytes.size();
  total_ += bytes.size();
  if (buffered_ + bytes.size() < 32) {
    if (!bytes.empty()) std::memcpy(buffer_ + buffered_, p, bytes.size());
    buffered_ += bytes.size();
    return;
  }
  if (buffered_ > 0) {
    const size_t fill = 32 - buffered_;
    std::memcpy(buffer_ + buffered_, p, fill);
    p += fill;
    for (int lane = 0; lane < 4; ++lane) {
      v_[lane] = Round(v_[lane], Read64(buffer_ + 8 * lane));
    }
    buffered_ = 0;
  }
  uint64_t v1 = v_[0], v2 = v_[1], v3 = v_[2], v4 = v_[3];
  for (; end - p >= 32; p += 32) {
    v1 = Round(v1, Read64(p));
    v2 = Round(v2, Read64(p + 8));
    v3 = Round(v3, Read64(p + 16));
    v4 = Round(v4, Read64(p + 24));
  }
  v_[0] = v1, v_[1] = v2, v_[2] = v3, v_[3] = v4;
  buffered_ = static_cast<size_t>(end - p);
  if (buffered_ > 0) std::memcpy(buffer_, p, buffered_);
}

uint64_t Fingerprint64Stream::Finish() const {
  uint64_t h;
  if (total_ >= 32) {
    h = Rotl(v_[0], 1) + Rotl(v_[1], 7) + Rotl(v_[2], 12) + Rotl(v_[3], 18);
    for (uint64_t v : v_) h = Merge(h, v);
  } else {
    h = seed_ + kPrime5;
  }
  h += total_;
  const unsigned char* p = buffer_;
  const unsigned char* const end = buffer_ + buffered_;
  for (; p + 8 <= end; p += 8) {
    h ^= Round(0, Read64(p));
    h = Rotl(h, 27) * kPrime1 + kPrime4;
  }
  if (p + 4 <= end) {
    h ^= static_cast<uint64_t>(Read32(p)) * kPrime1;
    h = Rotl(h, 23) * kPrime2 + kPrime3;
    p += 4;
  }
  for (; p < end; ++p) {
    h ^= static_cast<uint64_t>(*p) * kPrime5;
    h = Rotl(h, 11) * kPrime1;
  }
  h ^= h >> 33;
  h *= kPrime2;
  h ^= h >> 29;
  h *= kPrime3;
  h ^= h >> 32;
  return h;
}

uint64_t Fingerprint64(absl::string_view bytes, uint64_t seed) {
  Fingerprint64Stream stream(seed);
  stream.Update(bytes);
  return stream.Finish();
}

std::string FingerprintHex(uint64_t fingerprint) {
  // By hand: Engine::Info calls this on the C ABI's success path, where an
  // allocation failure must unwind to the entry point's guard, and
  // Debian's Abseil libraries are not built to pass exceptions through.
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex(16, '0');
  for (int i = 15; i >= 0; --i, fingerprint >>= 4) {
    hex[static_cast<size_t>(i)] = kDigits[fingerprint & 15];
  }
  return hex;
}

}  // namespace jiceng
