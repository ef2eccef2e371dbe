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
// that. It writes to a std::string or to a ByteBuffer (malloc'd, grown
// without zero-filling: a batch's output, handed through the C ABI as it
// is).

#ifndef JICENG_SRC_ROUTING_WIRE_H_
#define JICENG_SRC_ROUTING_WIRE_H_

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <new>
#include <string>
#include <utility>

#include "absl/base/attributes.h"
#include "absl/strings/string_view.h"

namespace jiceng {

// Bytes in a malloc'd block that grows by realloc, never zero-filled.
// Movable, not copyable (it owns the block). A buffer made by Borrowing
// writes into memory it does not own (a slice of a larger block) until it
// needs more room, then moves what it holds to a block of its own.
class ByteBuffer {
 public:
  ByteBuffer() = default;
  ~ByteBuffer() {
    if (owned_) std::free(data_);
  }
  ByteBuffer(ByteBuffer&& o) noexcept
      : data_(std::exchange(o.data_, nullptr)),
        size_(std::exchange(o.size_, 0)),
        capacity_(std::exchange(o.capacity_, 0)),
        owned_(std::exchange(o.owned_, true)) {}
  ByteBuffer& operator=(ByteBuffer&& o) noexcept {
    std::swap(data_, o.data_);
    std::swap(size_, o.size_);
    std::swap(capacity_, o.capacity_);
    std::swap(owned_, o.owned_);
    return *this;
  }

  // A buffer over the `capacity` bytes at `data`, of which the first `size`
  // are held; the caller keeps the memory alive (and unmoved) while the
  // buffer borrows it.
  static ByteBuffer Borrowing(char* data, size_t size, size_t capacity) {
    ByteBuffer b;
    b.data_ = data;
    b.size_ = size;
    b.capacity_ = capacity;
    b.owned_ = false;
    return b;
  }
  // False while the buffer writes into borrowed memory.
  bool owned() const { return owned_; }
  ByteBuffer(const ByteBuffer&) = delete;
  ByteBuffer& operator=(const ByteBuffer&) = delete;

  const char* data() const { return data_; }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  absl::string_view view() const { return absl::string_view(data_, size_); }

  // Empties the buffer; its capacity is kept.
  void Clear() { size_ = 0; }

  // At least `n` bytes of capacity. Throws std::bad_alloc.
  void Reserve(size_t n) {
    if (n <= capacity_) return;
    if (!owned_) {
      // Leaves the borrowed memory: what is held moves to a block of its own.
      char* p = static_cast<char*>(std::malloc(n));
      if (p == nullptr) throw std::bad_alloc();
      if (size_ != 0) std::memcpy(p, data_, size_);
      data_ = p;
      capacity_ = n;
      owned_ = true;
      return;
    }
    void* p = std::realloc(data_, n);
    if (p == nullptr) throw std::bad_alloc();
    data_ = static_cast<char*>(p);
    capacity_ = n;
  }

  // Appends n bytes left for the caller to fill: where they go. Throws
  // std::bad_alloc.
  char* AppendUninitialized(size_t n) {
    Reserve(size_ + n);
    size_ += n;
    return data_ + size_ - n;
  }

  // Sets the size to `n` (<= capacity()): the bytes up to it were written
  // through data().
  void SetSize(size_t n) { size_ = n; }
  size_t capacity() const { return capacity_; }
  char* data() { return data_; }

  // Hands the block over to the caller, who frees it with std::free; the
  // buffer is left empty. nullptr when nothing was ever reserved.
  // REQUIRES: owned().
  char* Release() {
    size_ = capacity_ = 0;
    return std::exchange(data_, nullptr);
  }

 private:
  friend class WireWriter;
  char* data_ = nullptr;
  size_t size_ = 0;
  size_t capacity_ = 0;
  bool owned_ = true;
};

class WireWriter {
 public:
  // Appends to *out; out->size() is final when the writer is destroyed
  // (until then *out may hold slack past size()).
  explicit WireWriter(std::string* out)
      : out_(out),
        buffer_(nullptr),
        data_(&(*out)[0]),
        size_(out->size()),
        cap_(out->size()) {}
  // Appends to *out likewise; its size is final when the writer is
  // destroyed.
  explicit WireWriter(ByteBuffer* out)
      : out_(nullptr),
        buffer_(out),
        data_(out->data_),
        size_(out->size_),
        cap_(out->capacity_) {}
  ~WireWriter() {
    if (buffer_ != nullptr) {
      buffer_->size_ = size_;
    } else {
      out_->resize(size_);
    }
  }
  WireWriter(const WireWriter&) = delete;
  WireWriter& operator=(const WireWriter&) = delete;

  // The number of bytes of `v` as a varint.
  static size_t VarintSize(uint64_t v) {
    if (v < 0x80) return 1;
    size_t n = 2;
    while (v >= 0x4000) {
      v >>= 7;
      ++n;
    }
    return n;
  }

  // The bytes of a string field with a one-byte tag (fields below 16);
  // 0 when empty, as proto3 leaves it out.
  static size_t StringFieldSize(size_t n) {
    return n == 0 ? 0 : 1 + VarintSize(n) + n;
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
    return PutBytes(p, s);
  }

  // Copies `s` to p and returns its end. Short strings (codes, ids, role
  // fields) are copied with two overlapping loads and stores, not a call
  // to memcpy; nothing is read or written outside the two ranges.
  static char* PutBytes(char* p, absl::string_view s) {
    const char* q = s.data();
    const size_t n = s.size();
    if (n <= 16) {
      if (n >= 8) {
        uint64_t a, b;
        std::memcpy(&a, q, 8);
        std::memcpy(&b, q + n - 8, 8);
        std::memcpy(p, &a, 8);
        std::memcpy(p + n - 8, &b, 8);
      } else if (n >= 4) {
        uint32_t a, b;
        std::memcpy(&a, q, 4);
        std::memcpy(&b, q + n - 4, 4);
        std::memcpy(p, &a, 4);
        std::memcpy(p + n - 4, &b, 4);
      } else if (n > 0) {
        p[0] = q[0];
        p[n / 2] = q[n / 2];
        p[n - 1] = q[n - 1];
      }
    } else if (n <= 32) {
      char a[16], b[16];
      std::memcpy(a, q, 16);
      std::memcpy(b, q + n - 16, 16);
      std::memcpy(p, a, 16);
      std::memcpy(p + n - 16, b, 16);
    } else {
      std::memcpy(p, q, n);
    }
    return p + n;
  }

  // Writes the `len` low decimal digits of `v`, zero-padded (len <= 20),
  // and returns their end.
  static char* PutDecimal(char* p, uint64_t v, int len) {
    static constexpr char kPairs[] =
        "00010203040506070809101112131415161718192021222324252627282930313233"
        "34353637383940414243444546474849505152535455565758596061626364656667"
        "6869707172737475767778798081828384858687888990919293949596979899";
    char* end = p + len;
    char* q = end;
    while (q - p >= 2) {
      const unsigned pair = static_cast<unsigned>(v % 100) * 2;
      v /= 100;
      q -= 2;
      q[0] = kPairs[pair];
      q[1] = kPairs[pair + 1];
    }
    if (q > p) *--q = static_cast<char>('0' + v % 10);
    return end;
  }

  // Writes the 8 decimal digits of `v` (< 10^8), zero-padded, and returns
  // their end: each step splits every lane of the word in two at once
  // (4 + 4 digits, then 2 + 2, then 1 + 1), with multiplications that are
  // exact in their range ((x * 5243) >> 19 = x / 100 for x < 43699;
  // (x * 103) >> 10 = x / 10 for x < 179).
  static char* Put8Digits(char* p, uint32_t v) {
    const uint64_t fours = (v / 10000) | (uint64_t{v % 10000} << 32);
    const uint64_t hundreds =
        ((fours * 5243) >> 19) & ((uint64_t{0x7F} << 32) | 0x7F);
    const uint64_t twos = hundreds | ((fours - 100 * hundreds) << 16);
    const uint64_t tens = ((twos * 103) >> 10) & 0x000F000F000F000Full;
    const uint64_t ones = tens | ((twos - 10 * tens) << 8);
    const uint64_t ascii = ones + 0x3030303030303030ull;
    std::memcpy(p, &ascii, 8);
    return p + 8;
  }

  // Writes the 18 decimal digits of `v` (< 10^18), zero-padded, and returns
  // their end (PutDecimal(p, v, 18), without a division per pair).
  static char* Put18Digits(char* p, uint64_t v) {
    const uint64_t top = v / 10000000000000000ull;  // 2 digits
    const uint64_t rest = v % 10000000000000000ull;
    p[0] = static_cast<char>('0' + top / 10);
    p[1] = static_cast<char>('0' + top % 10);
    p = Put8Digits(p + 2, static_cast<uint32_t>(rest / 100000000));
    return Put8Digits(p, static_cast<uint32_t>(rest % 100000000));
  }

  // Raw writing with the position kept in the caller's locals (registers)
  // instead of the writer, which char stores could alias: Open() gives the
  // end of what was written and of the room made so far; Ensure makes
  // room ahead of the position; Close(at) records `at` as the end of what
  // was written.
  //   WireWriter::Span s = w.Open();
  //   w.Ensure(&s, 11);
  //   s.at = WireWriter::PutVarintField(s.at, 1, v);
  //   w.Close(s.at);
  struct Span {
    char* at;   // where the next byte goes
    char* end;  // the end of the room
  };
  Span Open() const { return Span{data_ + size_, data_ + cap_}; }
  ABSL_ATTRIBUTE_ALWAYS_INLINE void Ensure(Span* s, size_t n) {
    if (n > static_cast<size_t>(s->end - s->at)) *s = Widen(s->at, n);
  }
  void Close(const char* at) { size_ = static_cast<size_t>(at - data_); }

  // Drops what was written after the first n bytes.
  void Truncate(size_t n) { size_ = n; }

  // The byte at `pos` (< size()), to fill in a length written ahead as a
  // placeholder. Valid until the next write.
  char* At(size_t pos) { return data_ + pos; }

  void Append(absl::string_view s) {
    if (s.empty()) return;
    // memcpy with a null source is undefined even for 0 bytes (UBSan).
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
  // The slow path of Ensure: grows, keeping what was written before `at`.
  ABSL_ATTRIBUTE_NOINLINE Span Widen(const char* at, size_t n) {
    size_ = static_cast<size_t>(at - data_);
    Grow(n);
    return Open();
  }
  void Grow(size_t n) {
    const size_t want = std::max(2 * cap_, size_ + n + 256);
    if (buffer_ != nullptr) {
      buffer_->size_ = size_;
      buffer_->Reserve(want);
      data_ = buffer_->data_;
      cap_ = buffer_->capacity_;
      return;
    }
    out_->resize(want);
    data_ = &(*out_)[0];
    cap_ = out_->size();
  }

  std::string* out_;    // one of these two is set
  ByteBuffer* buffer_;
  char* data_;   // where the bytes are
  size_t size_;  // bytes written
  size_t cap_;   // bytes writable without growing
};

}  // namespace jiceng

#endif  // JICENG_SRC_ROUTING_WIRE_H_
