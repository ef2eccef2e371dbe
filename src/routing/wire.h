// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0
//
// Internal header: not installed, not part of the stable API.
//
// WireWriter: appends protobuf wire format to a string, for the hot paths
// that serialize a decision straight from a RouteResult instead of building
// a message first. The caller writes fields in field-number order and skips
// proto3 defaults (WireWriter's *Field methods skip zero and empty values
// themselves), so the bytes equal what SerializeToString gives for the
// same message: tests compare the two.
//
// Example:
//   std::string out;
//   WireWriter w(&out);
//   w.StringField(1, "C-1");            // case_id
//   const size_t lead = w.BeginMessage(3);
//   w.VarintField(1, 1);                // lead.kind
//   w.EndMessage(lead);
//
// Not thread-safe; reuse `out` across calls to keep its capacity. The
// writer grows *out ahead and trims it when destroyed: read *out only after
// that.

#ifndef JICENG_SRC_ROUTING_WIRE_H_
#define JICENG_SRC_ROUTING_WIRE_H_

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>

#include "absl/strings/string_view.h"

namespace jiceng {

class WireWriter {
 public:
  // Appends to *out; out->size() is final when the writer is destroyed
  // (until then *out may hold slack past size()).
  explicit WireWriter(std::string* out)
      : out_(out),
        data_(&(*out)[0]),
        size_(out->size()),
        cap_(out->size()) {}
  ~WireWriter() { out_->resize(size_); }
  WireWriter(const WireWriter&) = delete;
  WireWriter& operator=(const WireWriter&) = delete;

  // The number of bytes of `v` as a varint.
  static size_t VarintSize(uint64_t v) {
    size_t n = 1;
    while (v >= 0x80) {
      v >>= 7;
      ++n;
    }
    return n;
  }

  // Bytes written so far (out->size() once the writer is destroyed).
  size_t size() const { return size_; }
  // The bytes written from `begin` on.
  absl::string_view Since(size_t begin) const {
    return absl::string_view(data_ + begin, size_ - begin);
  }

  void Varint(uint64_t v) {
    char* p = Room(10);
    while (v >= 0x80) {
      *p++ = static_cast<char>(v | 0x80);
      v >>= 7;
    }
    *p++ = static_cast<char>(v);
    size_ = static_cast<size_t>(p - data_);
  }

  // An integer or enum field (int32 and enums sign-extend as protobuf does);
  // nothing when zero.
  void VarintField(int field, int64_t v) {
    if (v == 0) return;
    Varint(static_cast<uint64_t>(field) << 3);
    Varint(static_cast<uint64_t>(v));
  }

  // A string or bytes field; nothing when empty.
  void StringField(int field, absl::string_view s) {
    if (s.empty()) return;
    Varint((static_cast<uint64_t>(field) << 3) | 2);
    Varint(s.size());
    Append(s);
  }

  // A length-delimited field whose bytes the caller appends next (a nested
  // message, or a string written in pieces); EndMessage fills the length.
  // Unlike StringField, an empty one is still written (a present message).
  size_t BeginMessage(int field) {
    Varint((static_cast<uint64_t>(field) << 3) | 2);
    *Room(1) = '\0';
    return ++size_;
  }
  void EndMessage(size_t begin) {
    const size_t len = size_ - begin;
    if (len < 0x80) {
      data_[begin - 1] = static_cast<char>(len);
      return;
    }
    // Rare (explanation text): widen the one-byte placeholder.
    const size_t extra = VarintSize(len) - 1;
    Room(extra);
    std::memmove(data_ + begin + extra, data_ + begin, len);
    size_ = begin - 1;
    Varint(len);
    size_ += len;
  }

  // Makes room for n more bytes at once (growing zero-fills the new room
  // and copies what was written: a caller that can estimate its output
  // grows once instead of doubling many times).
  void Reserve(size_t n) {
    if (n > cap_ - size_) Grow(n);
  }

  // A run of small fields written without a check per field: Raw(n) makes
  // room for n bytes and returns where they go; the caller writes at most n
  // (PutVarint helps) and hands the end to Done.
  char* Raw(size_t n) { return Room(n); }
  void Done(const char* end) { size_ = static_cast<size_t>(end - data_); }
  static char* PutVarint(char* p, uint64_t v) {
    while (v >= 0x80) {
      *p++ = static_cast<char>(v | 0x80);
      v >>= 7;
    }
    *p++ = static_cast<char>(v);
    return p;
  }
  // A varint field as VarintField writes it (nothing when zero), at most
  // 11 bytes for fields below 16.
  static char* PutVarintField(char* p, int field, int64_t v) {
    if (v == 0) return p;
    *p++ = static_cast<char>(field << 3);
    return PutVarint(p, static_cast<uint64_t>(v));
  }

  // A string field as StringField writes it (nothing when empty), at most
  // 11 bytes and the string's for fields below 16.
  static char* PutStringField(char* p, int field, absl::string_view s) {
    if (s.empty()) return p;
    *p++ = static_cast<char>((field << 3) | 2);
    p = PutVarint(p, s.size());
    // memcpy with a null source is undefined even for 0 bytes (UBSan).
    if (!s.empty()) std::memcpy(p, s.data(), s.size());
    return p + s.size();
  }

  // Drops what was written after the first n bytes.
  void Truncate(size_t n) { size_ = n; }

  void Append(absl::string_view s) {
    if (s.empty()) return;
    std::memcpy(Room(s.size()), s.data(), s.size());
    size_ += s.size();
  }

 private:
  // Room for n more bytes: where they go.
  // The buffer's address and size are kept here, not read through out_ on
  // every write.
  char* Room(size_t n) {
    if (n > cap_ - size_) Grow(n);
    return data_ + size_;
  }
  void Grow(size_t n) {
    out_->resize(std::max(2 * cap_, size_ + n + 256));
    data_ = &(*out_)[0];
    cap_ = out_->size();
  }

  std::string* out_;
  char* data_;   // &(*out_)[0]
  size_t size_;  // bytes written
  size_t cap_;   // out_->size(): bytes writable without growing
};

}  // namespace jiceng

#endif  // JICENG_SRC_ROUTING_WIRE_H_
