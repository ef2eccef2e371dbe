// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0
//
// Internal header: not installed, not part of the stable API.
//
// UTF-8 helpers for messages that quote user text: a quote is clipped at a
// character boundary, so that an error message stays valid UTF-8 however
// long (or however Chinese) the text it quotes.
//
// Example:
//   absl::StrCat("matter_code: unknown \"", Utf8Prefix(code, 64), "\"");

#ifndef JICENG_SRC_BASE_UTF8_H_
#define JICENG_SRC_BASE_UTF8_H_

#include <cstddef>
#include <string>

#include "absl/strings/string_view.h"

namespace jiceng {

// Whether `s` is well-formed UTF-8 (RFC 3629: no overlong forms, no
// surrogates, nothing above U+10FFFF). Returns the offset of the first bad
// byte in *bad_offset when it is not (and bad_offset is not null).
bool IsValidUtf8(absl::string_view s, size_t* bad_offset = nullptr);

// The longest prefix of `s` of at most `max_bytes` bytes that does not cut
// a multi-byte character. REQUIRES: `s` is valid UTF-8 (otherwise the
// prefix is still at most `max_bytes` long, merely not guaranteed valid).
absl::string_view Utf8Prefix(absl::string_view s, size_t max_bytes);

// The most of a value an error or problem message quotes (jiceng.h).
inline constexpr size_t kMaxQuotedBytes = 64;

// `value` as a message quotes it: Utf8Prefix(value, kMaxQuotedBytes), so
// that a long code or name cannot grow a message or a report.
inline absl::string_view Quoted(absl::string_view value) {
  return Utf8Prefix(value, kMaxQuotedBytes);
}

// `s` with every byte that is not part of well-formed UTF-8 written as the
// four ASCII characters \xNN; valid text is kept as it is. For messages that
// quote input which may not be UTF-8 (a parser's error naming a token).
std::string EscapeInvalidUtf8(absl::string_view s);

// `text` fit for one line of terminal output: every control character
// (C0 and DEL as \xNN, C1 as \uNNNN), the line and paragraph separators
// and the bidirectional marks and embeddings (\uNNNN), each byte that is
// not well-formed UTF-8 (\xNN), and a backslash (as \\) escaped: text a
// caller gave (a case id, a code) can neither break a line of the
// command-line tool's output, nor forge or reorder one, and an escape reads
// back unambiguously.
std::string Printable(absl::string_view text);

}  // namespace jiceng

#endif  // JICENG_SRC_BASE_UTF8_H_
