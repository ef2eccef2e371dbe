// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0

#include "src/base/utf8.h"

#include <cstdint>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace jiceng {

bool IsValidUtf8(absl::string_view s, size_t* bad_offset) {
  const auto* p = reinterpret_cast<const uint8_t*>(s.data());
  const size_t n = s.size();
  size_t i = 0;
  while (i < n) {
    const uint8_t c = p[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    int more;
    uint32_t cp;
    uint32_t min;
    if ((c & 0xE0) == 0xC0) {
      more = 1, cp = c & 0x1F, min = 0x80;
    } else if ((c & 0xF0) == 0xE0) {
      more = 2, cp = c & 0x0F, min = 0x800;
    } else if ((c & 0xF8) == 0xF0) {
      more = 3, cp = c & 0x07, min = 0x10000;
    } else {
      if (bad_offset != nullptr) *bad_offset = i;
      return false;
    }
    if (n - i <= static_cast<size_t>(more)) {
      if (bad_offset != nullptr) *bad_offset = i;
      return false;
    }
    for (int k = 1; k <= more; ++k) {
      const uint8_t t = p[i + k];
      if ((t & 0xC0) != 0x80) {
        if (bad_offset != nullptr) *bad_offset = i;
        return false;
      }
      cp = (cp << 6) | (t & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
      if (bad_offset != nullptr) *bad_offset = i;
      return false;
    }
    i += more + 1;
  }
  return true;
}

absl::string_view Utf8Prefix(absl::string_view s, size_t max_bytes) {
  if (s.size() <= max_bytes) return s;
  size_t end = max_bytes;
  // Back off over continuation bytes (at most three) to a lead byte.
  for (int k = 0; k < 3 && end > 0 &&
                  (static_cast<uint8_t>(s[end]) & 0xC0) == 0x80;
       ++k) {
    --end;
  }
  return s.substr(0, end);
}

std::string EscapeInvalidUtf8(absl::string_view s) {
  std::string out;
  size_t bad = 0;
  while (!IsValidUtf8(s, &bad)) {
    out.append(s.data(), bad);
    absl::StrAppend(&out, "\\x",
                    absl::Hex(static_cast<uint8_t>(s[bad]), absl::kZeroPad2));
    s.remove_prefix(bad + 1);
  }
  out.append(s.data(), s.size());
  return out;
}

std::string Printable(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    const unsigned char b = static_cast<unsigned char>(text[i]);
    if (b < 0x80) {
      if (b < 0x20 || b == 0x7f) {
        absl::StrAppendFormat(&out, "\\x%02x", b);
      } else if (b == '\\') {
        out += "\\\\";
      } else {
        out += static_cast<char>(b);
      }
      ++i;
      continue;
    }
    const size_t n = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    const absl::string_view ch = text.substr(i, n);
    if (n == 1 || ch.size() < n || !IsValidUtf8(ch)) {
      absl::StrAppendFormat(&out, "\\x%02x", b);
      ++i;
      continue;
    }
    uint32_t cp = b & (0xff >> (n + 1));
    for (size_t k = 1; k < n; ++k) {
      cp = (cp << 6) | (static_cast<unsigned char>(ch[k]) & 0x3f);
    }
    // C1 controls; the marks, separators and embeddings that reorder or
    // break a line (U+200E, U+200F, U+2028..U+202E, U+2066..U+2069).
    if ((cp >= 0x80 && cp <= 0x9f) || cp == 0x200e || cp == 0x200f ||
        (cp >= 0x2028 && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069)) {
      absl::StrAppendFormat(&out, "\\u%04x", cp);
    } else {
      out.append(ch.data(), ch.size());
    }
    i += n;
  }
  return out;
}

}  // namespace jiceng
