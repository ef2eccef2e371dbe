// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0
//
// src/base/utf8.h: Printable, what the command-line tool's text output does
// to text a caller gave (case ids, codes, error messages quoting them).

#include "src/base/utf8.h"

#include <string>

#include "gtest/gtest.h"

namespace jiceng {
namespace {

TEST(Printable, KeepsTextAsItIs) {
  EXPECT_EQ(Printable(""), "");
  EXPECT_EQ(Printable("S-0001 ok"), "S-0001 ok");
  EXPECT_EQ(Printable("六合区 竹镇镇 12345"), "六合区 竹镇镇 12345");
  EXPECT_EQ(Printable("emoji \xF0\x9F\x98\x80"), "emoji \xF0\x9F\x98\x80");
}

TEST(Printable, NothingBreaksOrReordersALine) {
  // C0 controls and DEL.
  EXPECT_EQ(Printable("a\nb\rc\td\x1b[2J\x7f"),
            "a\\x0ab\\x0dc\\x09d\\x1b[2J\\x7f");
  EXPECT_EQ(Printable(std::string("nul\0x", 5)), "nul\\x00x");
  // C1 controls (U+0085 NEXT LINE), line and paragraph separators, bidi
  // marks, embeddings, overrides and isolates.
  EXPECT_EQ(Printable("\xC2\x85"), "\\u0085");
  EXPECT_EQ(Printable("\xE2\x80\xA8\xE2\x80\xA9"), "\\u2028\\u2029");
  EXPECT_EQ(Printable("\xE2\x80\x8E\xE2\x80\x8F"), "\\u200e\\u200f");
  EXPECT_EQ(Printable("x\xE2\x80\xAEy"), "x\\u202ey");
  EXPECT_EQ(Printable("\xE2\x81\xA6\xE2\x81\xA9"), "\\u2066\\u2069");
  // Neighbours that are ordinary characters stay.
  EXPECT_EQ(Printable("\xE2\x80\x8D\xE2\x80\xAF"), "\xE2\x80\x8D\xE2\x80\xAF");
}

TEST(Printable, BadBytesAndBackslashesReadBackUnambiguously) {
  EXPECT_EQ(Printable("\xFF"), "\\xff");
  EXPECT_EQ(Printable("\xE5\x85"), "\\xe5\\x85");          // cut short
  EXPECT_EQ(Printable("\xC0\xAF"), "\\xc0\\xaf");          // overlong
  EXPECT_EQ(Printable("\xED\xA0\x80"), "\\xed\\xa0\\x80");  // surrogate
  EXPECT_EQ(Printable("a\\x0a"), "a\\\\x0a");  // not a newline
}

}  // namespace
}  // namespace jiceng
