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
#include <string>

#include "absl/base/attributes.h"
#include "src/base/utf8.h"

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
  // Whether the next byte is the one-byte tag `tag`, read if so.
  bool Next(uint8_t tag) {
    if (p_ == end_ || *p_ != tag) return false;
    ++p_;
    return true;
  }
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

// A string field's value, checked as UTF-8, into *out.
inline bool ReadString(Reader& in, absl::string_view* out) {
  uint32_t n;
  if (!in.Length(&n)) return false;
  const size_t readable = in.left();
  *out = in.Take(n);
  return Utf8(*out, readable);
}

// Reads an attribute message into *a (both fields empty unless given).
bool ReadAttribute(Reader& in, int depth, AttributeView* a) {
  uint32_t n;
  if (!in.Length(&n)) return false;
  if (--depth < 0) return false;  // ParseMessage
  const absl::string_view bytes = in.Take(n);
  Reader m(reinterpret_cast<const uint8_t*>(bytes.data()),
           reinterpret_cast<const uint8_t*>(bytes.data() + bytes.size()));
  *a = AttributeView();
  // Key and value in order, as in ParseCase; the rest by the loop.
  if (m.Next((1 << 3) | kLengthDelimited) && !ReadString(m, &a->key)) {
    return false;
  }
  if (m.Next((2 << 3) | kLengthDelimited) && !ReadString(m, &a->value)) {
    return false;
  }
  while (!m.done()) {
    uint32_t tag;
    // A missing tag, tag 0 or an end-group tag ends the message before its
    // limit: PopLimit fails.
    if (!m.Tag(&tag) || tag == 0 || (tag & 7) == kEndGroup) return false;
    bool ok;
    switch (tag) {
      case (1 << 3) | kLengthDelimited:
        ok = ReadString(m, &a->key);
        break;
      case (2 << 3) | kLengthDelimited:
        ok = ReadString(m, &a->value);
        break;
      default:
        ok = m.SkipField(tag, depth);
        break;
    }
    if (!ok) return false;
  }
  return true;
}

}  // namespace

CaseView::CaseView(const v1::Case& c)
    : id_(c.id()),
      matter_code_(c.matter_code()),
      free_text_(c.free_text()),
      source_(c.source()),
      request_kind_(c.request_kind()),
      urgency_(c.urgency()),
      location_code_(c.location_code()),
      reported_at_(c.reported_at()),
      extra_location_codes_(c.extra_location_codes().begin(),
                            c.extra_location_codes().end()) {
  attributes_.reserve(static_cast<size_t>(c.attributes_size()));
  for (const v1::CaseAttribute& a : c.attributes()) {
    attributes_.push_back(AttributeView{a.key(), a.value()});
  }
}

v1::Case CaseView::ToProto() const {
  v1::Case c;
  c.set_id(std::string(id_));
  c.set_source(source_);
  c.set_request_kind(request_kind_);
  c.set_matter_code(std::string(matter_code_));
  c.set_urgency(urgency_);
  c.set_location_code(location_code_);
  c.set_reported_at(reported_at_);
  for (const AttributeView& a : attributes_) {
    v1::CaseAttribute* m = c.add_attributes();
    m->set_key(std::string(a.key));
    m->set_value(std::string(a.value));
  }
  for (uint64_t code : extra_location_codes_) c.add_extra_location_codes(code);
  c.set_free_text(std::string(free_text_));
  return c;
}

void CaseView::Reset() {
  id_ = matter_code_ = free_text_ = {};
  source_ = v1::CASE_SOURCE_UNSPECIFIED;
  request_kind_ = v1::REQUEST_KIND_UNSPECIFIED;
  urgency_ = 0;
  location_code_ = 0;
  reported_at_ = 0;
  attributes_.clear();
  attributes_.shrink_to_fit();
  extra_location_codes_.clear();
  extra_location_codes_.shrink_to_fit();
}

bool ParseCase(absl::string_view bytes, CaseView* out) {
  // The scalars gathered in registers and stored at the end, with the
  // views; the lists cleared first (their room kept).
  out->attributes_.clear();
  out->extra_location_codes_.clear();
  absl::string_view id, matter_code, free_text;
  uint64_t source = 0, request_kind = 0, urgency = 0, location_code = 0,
           reported_at = 0;
  bool ok = bytes.size() <= static_cast<size_t>(INT_MAX);
  const auto* begin = reinterpret_cast<const uint8_t*>(bytes.data());
  Reader in(begin, begin + (ok ? bytes.size() : 0));
  // Fields 1 to 7 as serializers write them, in field-number order (each
  // left out when it has its default): read one after another, a compare
  // of one tag byte each, rather than by the loop's dispatch on the tag.
  // The first field out of that order, and everything after the seventh,
  // goes to the loop, which reads what is left in order: the fields' last
  // values win either way, as protobuf's do.
  if (ok && in.Next((1 << 3) | kLengthDelimited)) ok = ReadString(in, &id);
  if (ok && in.Next((2 << 3) | kVarint)) ok = in.Varint(&source);
  if (ok && in.Next((3 << 3) | kVarint)) ok = in.Varint(&request_kind);
  if (ok && in.Next((4 << 3) | kLengthDelimited)) {
    ok = ReadString(in, &matter_code);
  }
  if (ok && in.Next((5 << 3) | kVarint)) ok = in.Varint(&urgency);
  if (ok && in.Next((6 << 3) | kVarint)) ok = in.Varint(&location_code);
  if (ok && in.Next((7 << 3) | kVarint)) ok = in.Varint(&reported_at);
  auto attribute = [&] {
    AttributeView a;
    if (!ReadAttribute(in, kRecursionLimit, &a)) return false;
    out->attributes_.push_back(a);
    return true;
  };
  while (ok && in.Next((8 << 3) | kLengthDelimited)) ok = attribute();
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
        ok = ReadString(in, &id);
        break;
      case (2 << 3) | kVarint:
        ok = in.Varint(&source);
        break;
      case (3 << 3) | kVarint:
        ok = in.Varint(&request_kind);
        break;
      case (4 << 3) | kLengthDelimited:
        ok = ReadString(in, &matter_code);
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
      case (8 << 3) | kLengthDelimited:
        ok = attribute();
        break;
      case (9 << 3) | kVarint:
        ok = in.Varint(&v);
        if (ok) out->extra_location_codes_.push_back(v);
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
          if (ok) out->extra_location_codes_.push_back(v);
        }
        break;
      }
      case (10 << 3) | kLengthDelimited: {
        // bytes: no UTF-8 check.
        uint32_t n;
        ok = in.Length(&n);
        if (ok) free_text = in.Take(n);
        break;
      }
      default:
        ok = in.SkipField(tag, kRecursionLimit);
        break;
    }
  }
  out->id_ = id;
  out->matter_code_ = matter_code;
  out->free_text_ = free_text;
  // int32 and enum fields keep the low 32 bits.
  out->source_ = static_cast<v1::CaseSource>(static_cast<int32_t>(source));
  out->request_kind_ =
      static_cast<v1::RequestKind>(static_cast<int32_t>(request_kind));
  out->urgency_ = static_cast<int32_t>(urgency);
  out->location_code_ = location_code;
  out->reported_at_ = static_cast<int64_t>(reported_at);
  return ok;
}

}  // namespace jiceng
