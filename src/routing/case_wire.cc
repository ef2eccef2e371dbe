// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0
//
// The rules below are protobuf 3.21's (parse_context.h/.cc and the code
// protoc generates for Case): what its parser accepts and refuses, restated
// for one message. Every read is bounded by the end of the enclosing
// message; protobuf reads ahead into slop bytes instead, but anything that
// crosses the end fails there too, so the outcome is the same.

#include "src/routing/case_wire.h"

#include <climits>
#include <cstdint>
#include <cstring>

#include "absl/base/attributes.h"
#include "src/base/utf8.h"
#include "src/routing/wire.h"

namespace jiceng {
namespace {

// io::CodedInputStream::GetDefaultRecursionLimit(): nested messages and
// groups a parse may enter.
constexpr int kRecursionLimit = 100;

// Wire types.
constexpr uint32_t kVarint = 0;
constexpr uint32_t kFixed64 = 1;
constexpr uint32_t kLengthDelimited = 2;
constexpr uint32_t kStartGroup = 3;
constexpr uint32_t kEndGroup = 4;
constexpr uint32_t kFixed32 = 5;

class Reader {
 public:
  Reader(const uint8_t* p, const uint8_t* end) : p_(p), end_(end) {}

  bool done() const { return p_ == end_; }
  // The bytes left to read.
  size_t left() const { return static_cast<size_t>(end_ - p_); }
  const uint8_t* position() const { return p_; }

  // A varint of at most 10 bytes, its value modulo 2^64 (VarintParse).
  bool Varint(uint64_t* v) {
    // Location codes and times take five to eight bytes: with eight bytes
    // readable, those are read in one load, their 7-bit groups packed
    // together by three shift-and-merge steps instead of a loop per byte
    // (little-endian, as Utf8's masked load below).
    if (end_ - p_ >= 8 && *p_ >= 0x80) {
      uint64_t w;
      std::memcpy(&w, p_, 8);
      const uint64_t stops = ~w & 0x8080808080808080ull;
      if (stops != 0) {
        // The bytes up to and including the first without its high bit.
        const int bits = __builtin_ctzll(stops) + 1;  // 8, 16, ..., 64
        if (bits < 64) w &= (uint64_t{1} << bits) - 1;
        w = ((w & 0x7F007F007F007F00ull) >> 1) | (w & 0x007F007F007F007Full);
        w = ((w & 0x3FFF00003FFF0000ull) >> 2) | (w & 0x00003FFF00003FFFull);
        w = ((w & 0x0FFFFFFF00000000ull) >> 4) | (w & 0x000000000FFFFFFFull);
        p_ += bits / 8;
        *v = w;
        return true;
      }
    }
    return ReadVarint<uint64_t, 10>(v);
  }

  // A tag: a varint of at most 5 bytes, modulo 2^32 (ReadTag).
  bool Tag(uint32_t* tag) { return ReadVarint<uint32_t, 5>(tag); }

  // A length that fits the rest of the message (ReadSize: at most 5 bytes,
  // below 2^31; then the bytes must be there).
  bool Length(uint32_t* n) {
    if (p_ < end_ && *p_ < 0x80) {
      // One byte, the usual size.
      const uint32_t r = *p_;
      if (r >= static_cast<size_t>(end_ - p_)) return false;
      ++p_;
      *n = r;
      return true;
    }
    uint32_t r = 0;
    for (int i = 0; i < 5 && p_ + i < end_; ++i) {
      const uint32_t b = p_[i];
      if (i == 4 && b >= 8) return false;
      r |= (b & 0x7F) << (7 * i);
      if (b < 0x80) {
        p_ += i + 1;
        if (r > static_cast<size_t>(end_ - p_)) return false;
        *n = r;
        return true;
      }
    }
    return false;
  }

  // The next `n` bytes (a string or a nested message). REQUIRES: Length
  // gave `n`.
  absl::string_view Take(uint32_t n) {
    const absl::string_view s(reinterpret_cast<const char*>(p_), n);
    p_ += n;
    return s;
  }

  bool Skip(size_t n) {
    if (n > static_cast<size_t>(end_ - p_)) return false;
    p_ += n;
    return true;
  }

  // Skips the value of an unknown field (or a known one with another wire
  // type) whose tag was just read; `depth` is the recursion budget left.
  bool SkipField(uint32_t tag, int depth) {
    if ((tag >> 3) == 0) return false;  // FieldParser: field number 0
    uint64_t v;
    uint32_t n;
    switch (tag & 7) {
      case kVarint:
        return Varint(&v);
      case kFixed64:
        return Skip(8);
      case kLengthDelimited:
        return Length(&n) && Skip(n);
      case kStartGroup:
        return SkipGroup(tag >> 3, depth);
      case kFixed32:
        return Skip(4);
      default:  // 6, 7 (4 is handled by the callers)
        return false;
    }
  }

 private:
  // A varint of at most kMaxBytes bytes, its value modulo 2^(8 sizeof(T)):
  // protobuf drops the bits that do not fit.
  template <typename T, int kMaxBytes>
  bool ReadVarint(T* v) {
    if (p_ < end_ && *p_ < 0x80) {
      *v = *p_++;
      return true;
    }
    // With room for the longest, a loop of constant length (no check of
    // the end per byte); else as many bytes as remain.
    return end_ - p_ >= kMaxBytes
               ? ReadVarintBytes(kMaxBytes, v)
               : ReadVarintBytes(static_cast<int>(end_ - p_), v);
  }

  // The varint in the next `n` bytes at most (n <= the bytes left).
  template <typename T>
  bool ReadVarintBytes(int n, T* v) {
    T r = 0;
    for (int i = 0; i < n; ++i) {
      const T b = p_[i];
      r |= static_cast<T>(b & 0x7F) << (7 * i);
      if (b < 0x80) {
        p_ += i + 1;
        *v = r;
        return true;
      }
    }
    return false;
  }

  // Skips a group up to its end tag, groups within it included; iterative,
  // so that nesting costs no stack (ParseContext::ParseGroup takes one
  // level of the budget per group).
  bool SkipGroup(uint32_t number, int depth) {
    uint32_t open[kRecursionLimit];
    int top = 0;
    if (--depth < 0) return false;
    open[top++] = number;
    while (top > 0) {
      uint32_t tag;
      // The message ending inside a group, tag 0 and an end tag of
      // another field all fail (ConsumeEndGroup).
      if (done() || !Tag(&tag) || tag == 0) return false;
      if ((tag & 7) == kEndGroup) {
        if ((tag >> 3) != open[top - 1]) return false;
        --top;
        ++depth;
        continue;
      }
      if ((tag & 7) == kStartGroup && (tag >> 3) != 0) {
        if (--depth < 0) return false;
        open[top++] = tag >> 3;
        continue;
      }
      if (!SkipField(tag, depth)) return false;
    }
    return true;
  }

  const uint8_t* p_;
  const uint8_t* end_;
};

// proto3 strings must be UTF-8 (VerifyUTF8). ASCII, the usual case, is
// checked eight bytes at a time; a string shorter than eight bytes with
// eight readable bytes at its start (`readable`: the bytes of the input
// from s.data() on) in one load whose extra bytes are masked off.
bool Utf8Long(absl::string_view s);
ABSL_ATTRIBUTE_ALWAYS_INLINE inline bool Utf8(absl::string_view s,
                                              size_t readable) {
  if (s.size() < 8 && readable >= 8) {
    uint64_t w;
    std::memcpy(&w, s.data(), 8);
    const uint64_t mask = (uint64_t{1} << (8 * s.size())) - 1;
    return (w & mask & 0x8080808080808080ull) == 0 || IsValidUtf8(s);
  }
  return Utf8Long(s);
}

// Utf8 for strings of eight bytes or more (or near the input's end).
bool Utf8Long(absl::string_view s) {
  size_t i = 0;
  for (; i + 8 <= s.size(); i += 8) {
    uint64_t w;
    std::memcpy(&w, s.data() + i, 8);
    if ((w & 0x8080808080808080ull) != 0) return IsValidUtf8(s);
  }
  for (; i < s.size(); ++i) {
    if (static_cast<uint8_t>(s[i]) >= 0x80) return IsValidUtf8(s);
  }
  return true;
}

// A string field's value into *out. `inline` lets GCC inline it at the
// call sites it finds hot; forcing it everywhere cost more in instruction
// cache misses (simulated) than the calls it saved.
inline bool ReadString(Reader& in, std::string* out) {
  uint32_t n;
  if (!in.Length(&n)) return false;
  const size_t readable = in.left();
  const absl::string_view s = in.Take(n);
  if (n <= out->size()) {
    // No longer than what *out holds (mostly the same field of an earlier
    // case, of the same length): copied over it and cut to size, all
    // inline (append is a call into libstdc++ that calls memcpy).
    WireWriter::PutBytes(&(*out)[0], s);
    out->erase(n);
  } else {
    // clear + append: assign's aliasing checks cost more than the copy.
    out->clear();
    out->append(s.data(), s.size());
  }
  return Utf8(s, readable);
}

// Reads an attribute into *a, which may hold an earlier case's attribute:
// a field the bytes leave out is emptied at the end (CaseAttribute::Clear
// would empty both first, two calls into protobuf per attribute).
bool ReadAttribute(Reader& in, int depth, v1::CaseAttribute* a) {
  uint32_t n;
  if (!in.Length(&n)) return false;
  if (--depth < 0) return false;  // ParseMessage
  const absl::string_view bytes = in.Take(n);
  Reader m(reinterpret_cast<const uint8_t*>(bytes.data()),
           reinterpret_cast<const uint8_t*>(bytes.data() + bytes.size()));
  bool key = false, value = false;
  while (!m.done()) {
    uint32_t tag;
    // A missing tag, tag 0 or an end-group tag ends the message before its
    // limit: PopLimit fails.
    if (!m.Tag(&tag) || tag == 0 || (tag & 7) == kEndGroup) return false;
    bool ok;
    switch (tag) {
      case (1 << 3) | kLengthDelimited:
        ok = ReadString(m, a->mutable_key());
        key = true;
        break;
      case (2 << 3) | kLengthDelimited:
        ok = ReadString(m, a->mutable_value());
        value = true;
        break;
      default:
        ok = m.SkipField(tag, depth);
        break;
    }
    if (!ok) return false;
  }
  if (!key && !a->key().empty()) a->clear_key();
  if (!value && !a->value().empty()) a->clear_value();
  return true;
}

}  // namespace

bool ParseCase(absl::string_view bytes, v1::Case* out) {
  // *out is overwritten rather than cleared first (Clear costs a call into
  // protobuf per string and per attribute): strings the bytes hold are
  // assigned, the others emptied at the end; scalars gathered here and
  // stored at the end; attributes read into those *out already holds, the
  // surplus removed at the end (kept, cleared, for later cases).
  out->clear_extra_location_codes();
  if (bytes.size() > static_cast<size_t>(INT_MAX)) {
    out->Clear();
    return false;
  }
  const auto* begin = reinterpret_cast<const uint8_t*>(bytes.data());
  Reader in(begin, begin + bytes.size());
  bool id = false, matter_code = false, free_text = false;
  uint64_t source = 0, request_kind = 0, urgency = 0, location_code = 0,
           reported_at = 0;
  int attributes = 0;
  bool ok = true;
  while (ok && !in.done()) {
    uint32_t tag;
    // Tag 0 and an end-group tag end the message early: MergeFromImpl
    // then fails (EndedAtLimit).
    if (!in.Tag(&tag) || tag == 0 || (tag & 7) == kEndGroup) {
      ok = false;
      break;
    }
    uint64_t v = 0;
    switch (tag) {
      case (1 << 3) | kLengthDelimited:
        ok = ReadString(in, out->mutable_id());
        id = true;
        break;
      case (2 << 3) | kVarint:
        ok = in.Varint(&source);
        break;
      case (3 << 3) | kVarint:
        ok = in.Varint(&request_kind);
        break;
      case (4 << 3) | kLengthDelimited:
        ok = ReadString(in, out->mutable_matter_code());
        matter_code = true;
        break;
      case (5 << 3) | kVarint:
        ok = in.Varint(&urgency);
        break;
      case (6 << 3) | kVarint:
        ok = in.Varint(&location_code);
        break;
      case (7 << 3) | kVarint:
        ok = in.Varint(&reported_at);
        break;
      case (8 << 3) | kLengthDelimited: {
        v1::CaseAttribute* a;
        if (attributes < out->attributes_size()) {
          a = out->mutable_attributes(attributes);
        } else {
          // Room first: protobuf 3.21's add_attributes() allocates the new
          // attribute before growing its array, and leaks it when that
          // growth throws std::bad_alloc (found by batch_test's
          // out-of-memory sweep under LeakSanitizer).
          out->mutable_attributes()->Reserve(out->attributes_size() + 1);
          a = out->add_attributes();
        }
        ++attributes;
        ok = ReadAttribute(in, kRecursionLimit, a);
        break;
      }
      case (9 << 3) | kVarint:
        ok = in.Varint(&v);
        out->add_extra_location_codes(v);
        break;
      case (9 << 3) | kLengthDelimited: {
        // Packed: varints that end exactly at the field's end.
        uint32_t n;
        ok = in.Length(&n);
        if (!ok) break;
        const absl::string_view packed = in.Take(n);
        Reader values(reinterpret_cast<const uint8_t*>(packed.data()),
                      reinterpret_cast<const uint8_t*>(packed.data() + n));
        while (ok && !values.done()) {
          ok = values.Varint(&v);
          if (ok) out->add_extra_location_codes(v);
        }
        break;
      }
      case (10 << 3) | kLengthDelimited: {
        uint32_t n;
        ok = in.Length(&n);
        if (ok) {
          const absl::string_view s = in.Take(n);
          std::string* text = out->mutable_free_text();
          text->clear();
          text->append(s.data(), s.size());
          free_text = true;
        }
        break;
      }
      default:
        ok = in.SkipField(tag, kRecursionLimit);
        break;
    }
  }
  // What the bytes left out (or, after a failure, did not reach) goes back
  // to its default.
  if (!id && !out->id().empty()) out->clear_id();
  if (!matter_code && !out->matter_code().empty()) out->clear_matter_code();
  if (!free_text && !out->free_text().empty()) out->clear_free_text();
  while (out->attributes_size() > attributes) {
    out->mutable_attributes()->RemoveLast();
  }
  // int32 and enum fields keep the low 32 bits.
  out->set_source(static_cast<v1::CaseSource>(static_cast<int32_t>(source)));
  out->set_request_kind(
      static_cast<v1::RequestKind>(static_cast<int32_t>(request_kind)));
  out->set_urgency(static_cast<int32_t>(urgency));
  out->set_location_code(location_code);
  out->set_reported_at(static_cast<int64_t>(reported_at));
  return ok;
}

}  // namespace jiceng
