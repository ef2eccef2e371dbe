// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0
//
// Internal header: the CLI's reader of case files.
//
// A case file is a length-delimited binary stream of jiceng.v1.Case, or
// JSON lines (one jiceng.v1.Case a line, blank lines skipped). CaseReader
// reads one from a file or standard input a part at a time, so that
// `jiceng route` holds one part of the input and its decisions, however
// long the stream: each part is whole length-delimited Case frames that
// RouteBatch takes as they are, with the index of its first case and, for
// a binary stream, the byte offset of its first frame, so that the entries
// and errors of the parts read as those of one batch.
//
// Which of the two a file is: its name first (.jsonl, .ndjson, .json: JSON
// lines; .bin, .pb, .binpb, .delimited: binary), else its first byte after
// any whitespace: '{' followed by '"', '}', a space or a tab starts JSON
// lines (unless the first line is not a JSON case while the first frame
// is a binary one: a first frame of 123 bytes whose first field is
// matter_code also starts with '{"'), and so does a UTF-8 byte-order mark,
// which is skipped, and an input of nothing but whitespace.
//
// Example:
//   JC_ASSIGN_OR_RETURN(std::unique_ptr<CaseReader> in, CaseReader::Open(path));
//   CaseReader::Part part;
//   while (true) {
//     JC_ASSIGN_OR_RETURN(bool more, in->Next(&part));
//     if (!more) break;
//     ... RouteBatch(router, part.frames, options with part.first_index ...)
//   }
//
// Thread safety: one reader, one thread.

#ifndef JICENG_SRC_CLI_CASE_READER_H_
#define JICENG_SRC_CLI_CASE_READER_H_

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace jiceng {

class CaseReader {
 public:
  struct Options {
    // A part ends after this many cases, or at the first whole frame that
    // takes it to `part_bytes` or more.
    size_t part_cases = 8192;
    size_t part_bytes = 16 << 20;
    // Bytes asked of the file at a time.
    size_t read_block = 1 << 20;
    // The most a case may take: a binary frame declaring more ends the
    // stream with an error entry (it is not read: nothing after it can be
    // framed); a longer JSON line is skipped, with an error entry.
    size_t max_case_bytes = 64 << 20;
  };

  // One part of the stream.
  struct Part {
    // Whole length-delimited Case frames; in the last part of a binary
    // stream, also the broken frame it ends with (RouteBatch names it).
    // Valid until the next call of Next().
    absl::string_view frames;
    // The index of the part's first case in the stream.
    int64_t first_index = 0;
    // A binary stream: the offset of `frames` in it; JSON lines: 0.
    int64_t first_byte = 0;
    // The cases of the part (the broken frame is not counted).
    int64_t cases = 0;
    // Not OK: case `first_index` could not be read; the part is that case
    // alone (cases 1, frames empty). JSON lines: INVALID_ARGUMENT
    // "PATH:LINE: not a jiceng.v1.Case: ..." (or a line too long), and the
    // next line goes on. Binary: a length prefix of more than 5 bytes or
    // a frame above max_case_bytes, "frame I at byte B ...", the last part.
    absl::Status error;
  };

  // Opens `path`; "-" reads standard input. NOT_FOUND, PERMISSION_DENIED
  // or UNAVAILABLE naming the file when it cannot be opened.
  static absl::StatusOr<std::unique_ptr<CaseReader>> Open(
      const std::string& path, const Options& options);
  static absl::StatusOr<std::unique_ptr<CaseReader>> Open(
      const std::string& path) {
    return Open(path, Options());
  }
  // Reads an open file (not closed by the reader), named `name` in errors
  // and for its format.
  static absl::StatusOr<std::unique_ptr<CaseReader>> Open(
      std::FILE* file, const std::string& name, const Options& options);
  ~CaseReader();
  CaseReader(const CaseReader&) = delete;
  CaseReader& operator=(const CaseReader&) = delete;

  // The next part into *part: true, or false at the end of the stream.
  // DATA_LOSS naming the file when reading fails.
  absl::StatusOr<bool> Next(Part* part);

  // Whether the stream is JSON lines (decided on the first call of Next).
  bool json() const { return json_; }
  // The bytes read so far, and the file's size where it is known (a
  // regular file), else -1.
  int64_t bytes_read() const { return read_; }
  int64_t size() const { return size_; }
  const std::string& path() const { return path_; }
  // Whether `path` names the file being read (the same device and inode):
  // writing there would truncate the input before it is read.
  bool Reads(const std::string& path) const;

 private:
  CaseReader(std::FILE* file, bool owned, std::string path, int64_t size,
             const Options& options);
  static absl::StatusOr<std::unique_ptr<CaseReader>> Make(
      std::FILE* file, bool owned, const std::string& name,
      const Options& options);

  // Reads up to options_.read_block more bytes onto buf_ (what a pipe
  // holds, at least one byte): false at the end of the file (eof_ set).
  absl::StatusOr<bool> Fill();
  // Fills until buf_ holds `n` bytes or the file ends.
  absl::Status FillTo(size_t n);
  // Whether a read would return at once (data, the end, or an error):
  // a part with cases ends rather than wait on a live stream.
  bool Ready() const;
  // The error of the binary frame at buf_[p] (case `index`) when it
  // cannot be read whatever follows; OK when more bytes may complete it.
  absl::Status BrokenFrame(size_t p, int64_t index) const;
  // JSON lines: consumes the rest of the current line without holding it.
  absl::Status SkipLine();
  // The first byte at or after buf_[k] that is not whitespace (reading
  // on as needed, and one byte beyond it); buf_.size() when none.
  absl::StatusOr<size_t> FirstNonSpace(size_t k);
  // Whether the stream begins with a binary frame (its length at most
  // max_case_bytes, read whole) that is a jiceng.v1.Case.
  absl::StatusOr<bool> StartsWithCaseFrame();
  // Decides json_ from the name, else from the first bytes.
  absl::Status Sniff();
  absl::StatusOr<bool> NextBinary(Part* part);
  absl::StatusOr<bool> NextJson(Part* part);

  std::FILE* file_;
  const bool owned_;
  const std::string path_;
  const int64_t size_;
  const Options options_;
  bool json_ = false;
  bool eof_ = false;
  std::string buf_;     // bytes read and not yet consumed start at pos_
  size_t pos_ = 0;
  int64_t base_ = 0;    // the stream offset of buf_[0]
  int64_t read_ = 0;
  int64_t index_ = 0;   // the next case's index
  int64_t line_ = 0;    // JSON lines: the lines consumed
  std::string frames_;  // JSON lines: the part's frames
  absl::Status pending_;  // the error of the case that ended a part
  bool ended_ = false;    // binary: a frame that cannot be read ended it
};

}  // namespace jiceng

#endif  // JICENG_SRC_CLI_CASE_READER_H_
