// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0
//
// WireWriter's fast helpers against their plain definitions: decimal digits
// (Put8Digits, Put18Digits against PutDecimal's division per pair), varints
// against protobuf's CodedOutputStream, writing through a Span that grows
// the buffer, and a ByteBuffer borrowing a slice of another block.

#include "src/routing/wire.h"

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>

#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "gtest/gtest.h"

namespace jiceng {
namespace {

std::string Decimal(uint64_t v, int len) {
  std::string s(static_cast<size_t>(len), '?');
  WireWriter::PutDecimal(&s[0], v, len);
  return s;
}

TEST(Wire, Put8DigitsEqualsPutDecimal) {
  // Every value of the lowest and highest million, and a sample between.
  std::mt19937 rng(1);
  for (uint32_t i = 0; i < 3000000; ++i) {
    const uint32_t v = i < 1000000   ? i
                       : i < 2000000 ? 99999999 - (i - 1000000)
                                     : rng() % 100000000;
    char out[8];
    EXPECT_EQ(WireWriter::Put8Digits(out, v), out + 8);
    ASSERT_EQ(std::string(out, 8), Decimal(v, 8)) << v;
  }
}

TEST(Wire, Put18DigitsEqualsPutDecimal) {
  std::mt19937_64 rng(2);
  for (int i = 0; i < 1000000; ++i) {
    // Values of every magnitude up to 10^18 - 1.
    uint64_t v = rng() % 1000000000000000000ull;
    v >>= rng() % 60;
    char out[18];
    EXPECT_EQ(WireWriter::Put18Digits(out, v), out + 18);
    ASSERT_EQ(std::string(out, 18), Decimal(v, 18)) << v;
  }
  char out[18];
  WireWriter::Put18Digits(out, 999999999999999999ull);
  EXPECT_EQ(std::string(out, 18), std::string(18, '9'));
  WireWriter::Put18Digits(out, 0);
  EXPECT_EQ(std::string(out, 18), std::string(18, '0'));
}

TEST(Wire, PutVarintEqualsProtobuf) {
  std::mt19937_64 rng(3);
  for (int i = 0; i < 200000; ++i) {
    const uint64_t v = rng() >> (rng() % 64);
    std::string want;
    {
      google::protobuf::io::StringOutputStream stream(&want);
      google::protobuf::io::CodedOutputStream coded(&stream);
      coded.WriteVarint64(v);
    }
    char out[10];
    const char* end = WireWriter::PutVarint(out, v);
    ASSERT_EQ(std::string(static_cast<const char*>(out), end), want) << v;
    EXPECT_EQ(WireWriter::VarintSize(v), want.size()) << v;
  }
}

// Writing through a Span: Ensure grows the buffer (keeping what was
// written) as often as needed, and Close sets the size.
TEST(Wire, SpanGrowsAndKeepsEveryByte) {
  for (int target = 0; target < 2; ++target) {
    std::string s = "head";
    ByteBuffer b;
    std::memcpy(b.AppendUninitialized(4), "head", 4);
    std::string want = "head";
    {
      WireWriter ws(&s);
      WireWriter wb(&b);
      WireWriter& w = target == 0 ? ws : wb;
      WireWriter::Span span = w.Open();
      for (int i = 0; i < 5000; ++i) {
        const std::string field =
            std::string(static_cast<size_t>(i % 40), 'a' + i % 26);
        w.Ensure(&span, 16 + field.size());
        span.at = WireWriter::PutStringField(span.at, 1 + i % 15, field);
        if (!field.empty()) {
          want += static_cast<char>(((1 + i % 15) << 3) | 2);
          want += static_cast<char>(field.size());
          want += field;
        }
      }
      w.Close(span.at);
    }
    EXPECT_EQ(target == 0 ? s : std::string(b.view()), want);
  }
}

// A borrowing buffer writes into the slice it was given until it needs
// more room, then carries what it holds to a block of its own and leaves
// the rest of the lender's block alone.
TEST(Wire, BorrowingBufferWritesInPlaceThenMovesOut) {
  std::string block(64, '.');
  ByteBuffer b = ByteBuffer::Borrowing(&block[8], 3, 16);
  std::memcpy(&block[8], "abc", 3);
  EXPECT_FALSE(b.owned());
  {
    WireWriter w(&b);
    w.Append("defghijklmnop");  // 16 bytes: still the slice
  }
  EXPECT_FALSE(b.owned());
  EXPECT_EQ(b.data(), &block[8]);
  EXPECT_EQ(block.substr(8, 16), "abcdefghijklmnop");
  {
    WireWriter w(&b);
    w.Append("q");  // one byte past the slice
  }
  EXPECT_TRUE(b.owned());
  EXPECT_NE(b.data(), &block[8]);
  EXPECT_EQ(b.view(), "abcdefghijklmnopq");
  EXPECT_EQ(block, std::string(8, '.') + "abcdefghijklmnop" +
                       std::string(40, '.'));
  // Moved, a borrowing buffer stays borrowing (nothing to free).
  ByteBuffer lent = ByteBuffer::Borrowing(&block[0], 0, 8);
  ByteBuffer moved = std::move(lent);
  EXPECT_FALSE(moved.owned());
  EXPECT_TRUE(lent.owned());
  moved = std::move(b);
  EXPECT_TRUE(moved.owned());
  EXPECT_EQ(moved.view(), "abcdefghijklmnopq");
  char* released = moved.Release();
  EXPECT_EQ(std::string(released, 17), "abcdefghijklmnopq");
  std::free(released);
}

}  // namespace
}  // namespace jiceng
