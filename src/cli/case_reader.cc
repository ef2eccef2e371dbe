// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0

#include "src/cli/case_reader.h"

#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/util/json_util.h"
#include "jiceng/v1/routing.pb.h"
#include "src/base/json_error.h"
#include "src/base/status_macros.h"
#include "src/base/utf8.h"
#include "src/dataset/dataset_io.h"
#include "src/routing/batch.h"
#include "src/routing/case_wire.h"

namespace jiceng {

absl::StatusOr<std::unique_ptr<CaseReader>> CaseReader::Open(
    const std::string& path, const Options& options) {
  if (path == "-") return Make(stdin, false, "standard input", options);
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) return FileOpenError(path, errno);
  return Make(file, true, path, options);
}

absl::StatusOr<std::unique_ptr<CaseReader>> CaseReader::Open(
    std::FILE* file, const std::string& name, const Options& options) {
  return Make(file, false, name, options);
}

absl::StatusOr<std::unique_ptr<CaseReader>> CaseReader::Make(
    std::FILE* file, bool owned, const std::string& name,
    const Options& options) {
  int64_t size = -1;
  struct stat st;
  const int fd = fileno(file);
  if (fd >= 0 && fstat(fd, &st) == 0) {
    if (S_ISDIR(st.st_mode)) {
      if (owned) std::fclose(file);
      return FileReadError(name, EISDIR);
    }
    if (S_ISREG(st.st_mode)) size = static_cast<int64_t>(st.st_size);
  }
  std::unique_ptr<CaseReader> reader(
      new CaseReader(file, owned, name, size, options));
  JC_RETURN_IF_ERROR(reader->Sniff());
  return reader;
}

CaseReader::CaseReader(std::FILE* file, bool owned, std::string path,
                       int64_t size, const Options& options)
    : file_(file),
      owned_(owned),
      path_(std::move(path)),
      size_(size),
      options_(options) {}

CaseReader::~CaseReader() {
  if (owned_) std::fclose(file_);
}

bool CaseReader::Reads(const std::string& path) const {
  struct stat in, out;
  const int fd = fileno(file_);
  return fd >= 0 && fstat(fd, &in) == 0 && stat(path.c_str(), &out) == 0 &&
         in.st_dev == out.st_dev && in.st_ino == out.st_ino;
}

absl::StatusOr<bool> CaseReader::Fill() {
  if (eof_) return false;
  const size_t had = buf_.size();
  const size_t want = std::max<size_t>(options_.read_block, 1);
  buf_.resize(had + want);
  // read(2) where there is a descriptor: it returns what a pipe holds now
  // rather than waiting for a whole block, so a live stream is routed as
  // it comes (and Ready() sees what is pending).
  const int fd = fileno(file_);
  size_t got = 0;
  int err = 0;
  if (fd >= 0) {
    ssize_t n;
    do {
      n = ::read(fd, &buf_[had], want);
    } while (n < 0 && errno == EINTR);
    if (n < 0) err = errno;
    got = n > 0 ? static_cast<size_t>(n) : 0;
  } else {
    got = std::fread(&buf_[had], 1, want, file_);
    if (got == 0 && std::ferror(file_)) err = errno;
  }
  buf_.resize(had + got);
  read_ += static_cast<int64_t>(got);
  if (err != 0) return FileReadError(path_, err);
  if (got > 0) return true;
  eof_ = true;
  return false;
}

absl::Status CaseReader::FillTo(size_t n) {
  while (buf_.size() < n) {
    JC_ASSIGN_OR_RETURN(const bool more, Fill());
    if (!more) break;
  }
  return absl::OkStatus();
}

bool CaseReader::Ready() const {
  if (eof_) return true;
  const int fd = fileno(file_);
  if (fd < 0) return true;
  pollfd p{fd, POLLIN, 0};
  return poll(&p, 1, 0) != 0;  // data, the end, or an error: no wait
}

absl::StatusOr<size_t> CaseReader::FirstNonSpace(size_t k) {
  while (true) {
    while (k < buf_.size() &&
           absl::ascii_isspace(static_cast<unsigned char>(buf_[k]))) {
      ++k;
    }
    if (k + 1 < buf_.size()) return k;
    JC_ASSIGN_OR_RETURN(const bool more, Fill());
    if (!more) return k;
  }
}

absl::StatusOr<bool> CaseReader::StartsWithCaseFrame() {
  JC_RETURN_IF_ERROR(FillTo(5));
  uint64_t length = 0;
  size_t prefix = 0;
  while (prefix < buf_.size() && prefix < 5) {
    const uint8_t b = static_cast<uint8_t>(buf_[prefix]);
    length |= static_cast<uint64_t>(b & 0x7F) << (7 * prefix);
    ++prefix;
    if (b < 0x80) break;
  }
  if (prefix == 0 || (static_cast<uint8_t>(buf_[prefix - 1]) & 0x80) != 0 ||
      length > options_.max_case_bytes) {
    return false;
  }
  JC_RETURN_IF_ERROR(FillTo(prefix + length));
  size_t p = 0;
  absl::string_view frame;
  CaseView c;
  return NextFrame(buf_, &p, &frame) && ParseCase(frame, &c);
}

absl::Status CaseReader::Sniff() {
  const std::string name = absl::AsciiStrToLower(path_);
  for (absl::string_view ext : {".bin", ".pb", ".binpb", ".delimited"}) {
    if (absl::EndsWith(name, ext)) return absl::OkStatus();
  }
  bool named_json = false;
  for (absl::string_view ext : {".jsonl", ".ndjson", ".json"}) {
    if (absl::EndsWith(name, ext)) named_json = true;
  }
  // A UTF-8 byte-order mark (editors on Windows write one) starts JSON
  // lines and is skipped; unless the name does not say JSON, no '{' (or
  // nothing) follows it, and the bytes are a binary stream whose first
  // length prefix begins with the same three bytes (a first frame of
  // 2 MiB or more) and whose first frame is a case.
  JC_RETURN_IF_ERROR(FillTo(3));
  if (absl::StartsWith(buf_, "\xEF\xBB\xBF")) {
    JC_ASSIGN_OR_RETURN(const size_t k, FirstNonSpace(3));
    if (!named_json && k < buf_.size() && buf_[k] != '{') {
      JC_ASSIGN_OR_RETURN(const bool binary, StartsWithCaseFrame());
      if (binary) return absl::OkStatus();
    }
    json_ = true;
    pos_ = 3;  // skipped: the first part starts after it
    return absl::OkStatus();
  }
  if (named_json) {
    json_ = true;
    return absl::OkStatus();
  }
  // The first byte after any whitespace, and the one after it.
  JC_ASSIGN_OR_RETURN(const size_t k, FirstNonSpace(0));
  if (k == buf_.size()) {
    json_ = true;  // nothing but blank lines (or nothing): no case
    return absl::OkStatus();
  }
  if (buf_[k] != '{') return absl::OkStatus();
  const char next = k + 1 < buf_.size() ? buf_[k + 1] : '}';
  if (next != '"' && next != '}' && next != ' ' && next != '\t') {
    return absl::OkStatus();
  }
  // JSON lines, unless the first line is not a JSON case while the first
  // frame is a binary one: a first frame of 123 bytes ('{') whose first
  // field is matter_code ('"').
  json_ = true;
  size_t nl = buf_.find('\n', k);
  v1::Case c;
  const absl::string_view line(buf_.data() + k,
                               (nl == std::string::npos ? buf_.size() : nl) - k);
  if (google::protobuf::util::JsonStringToMessage(
          google::protobuf::StringPiece(line.data(), line.size()), &c)
          .ok()) {
    return absl::OkStatus();
  }
  JC_ASSIGN_OR_RETURN(const bool binary, StartsWithCaseFrame());
  if (binary) json_ = false;
  return absl::OkStatus();
}

absl::StatusOr<bool> CaseReader::Next(Part* part) {
  // What the previous part pointed at is consumed: drop it.
  buf_.erase(0, pos_);
  base_ += static_cast<int64_t>(pos_);
  pos_ = 0;
  part->first_index = index_;
  part->first_byte = 0;
  part->cases = 0;
  part->frames = absl::string_view();
  part->error = absl::OkStatus();
  if (!pending_.ok()) {
    // The case that ended the previous part could not be read: a part of
    // its own.
    part->error = std::move(pending_);
    pending_ = absl::OkStatus();
    part->cases = 1;
    part->first_byte = json_ ? 0 : base_;
    ++index_;
    return true;
  }
  if (ended_) return false;
  return json_ ? NextJson(part) : NextBinary(part);
}

absl::Status CaseReader::BrokenFrame(size_t p, int64_t index) const {
  uint64_t len = 0;
  for (size_t i = p, shift = 0; i < buf_.size(); ++i, shift += 7) {
    if (shift == 35) {
      // Five bytes, each saying that more follow: frames are below 2 GiB.
      return FrameError(buf_, static_cast<size_t>(index), p,
                        static_cast<uint64_t>(base_));
    }
    const uint8_t b = static_cast<uint8_t>(buf_[i]);
    len |= uint64_t{b & 0x7Fu} << shift;
    if (b < 0x80) {
      if (len <= options_.max_case_bytes) return absl::OkStatus();
      return absl::InvalidArgumentError(absl::StrCat(
          "frame ", index, " at byte ", base_ + static_cast<int64_t>(p),
          " declares ", len, " bytes, more than the ", options_.max_case_bytes,
          " a case may take"));
    }
  }
  return absl::OkStatus();  // the prefix is not all here yet
}

absl::StatusOr<bool> CaseReader::NextBinary(Part* part) {
  part->first_byte = base_;
  size_t p = 0;
  int64_t cases = 0;
  while (cases < static_cast<int64_t>(options_.part_cases) &&
         p < options_.part_bytes) {
    if (p < buf_.size()) {
      size_t q = p;
      absl::string_view frame;
      if (NextFrame(buf_, &q, &frame) &&
          frame.size() <= options_.max_case_bytes) {
        p = q;
        ++cases;
        continue;
      }
      // A frame that cannot be read whatever follows, or that is too large
      // to be a case, ends the stream here (nothing after it can be
      // framed), without reading on.
      absl::Status broken = BrokenFrame(p, index_ + cases);
      if (!broken.ok()) {
        pending_ = std::move(broken);
        ended_ = true;
        break;
      }
    }
    // The next frame is not all here: read on, unless the part has cases
    // and the input has nothing more yet (a live stream). At the end of
    // the file, a broken frame ends the stream (RouteBatch names it).
    if (cases > 0 && !Ready()) break;
    JC_ASSIGN_OR_RETURN(const bool more, Fill());
    if (!more) {
      p = buf_.size();
      break;
    }
  }
  pos_ = p;
  index_ += cases;
  part->cases = cases;
  part->frames = absl::string_view(buf_.data(), p);
  if (p > 0) return true;
  return pending_.ok() ? false : Next(part);
}

absl::Status CaseReader::SkipLine() {
  while (true) {
    const size_t nl = buf_.find('\n', pos_);
    if (nl != std::string::npos) {
      pos_ = nl + 1;
      return absl::OkStatus();
    }
    buf_.clear();
    pos_ = 0;
    JC_ASSIGN_OR_RETURN(const bool more, Fill());
    if (!more) return absl::OkStatus();
  }
}

absl::StatusOr<bool> CaseReader::NextJson(Part* part) {
  frames_.clear();
  v1::Case c;
  int64_t cases = 0;
  size_t searched = 0;  // no '\n' in [pos_, searched)
  while (cases < static_cast<int64_t>(options_.part_cases) &&
         frames_.size() < options_.part_bytes) {
    size_t nl = buf_.find('\n', std::max(pos_, searched));
    absl::Status error;
    if (nl == std::string::npos && buf_.size() - pos_ > options_.max_case_bytes) {
      // A line too long to be a case: skipped, not held.
      JC_RETURN_IF_ERROR(SkipLine());
      searched = 0;
      ++line_;
      error = absl::InvalidArgumentError(absl::StrCat(
          path_, ":", line_, ": a line of more than ", options_.max_case_bytes,
          " bytes is not taken as a case"));
    } else if (nl == std::string::npos) {
      searched = buf_.size();
      if (cases > 0 && !Ready()) break;  // a live stream: route what came
      JC_ASSIGN_OR_RETURN(const bool more, Fill());
      if (more) continue;
      if (pos_ == buf_.size()) break;
      nl = buf_.size();  // the last line, without its '\n'
    }
    if (error.ok()) {
      const absl::string_view line(buf_.data() + pos_, nl - pos_);
      pos_ = std::min(nl + 1, buf_.size());
      ++line_;
      if (absl::StripAsciiWhitespace(line).empty()) continue;
      c.Clear();
      const auto st = google::protobuf::util::JsonStringToMessage(
          google::protobuf::StringPiece(line.data(), line.size()), &c);
      if (st.ok()) {
        AppendDelimited(c, &frames_);
        ++cases;
        continue;
      }
      // The parser quotes the line, which need not be UTF-8 (a GBK file).
      error = absl::InvalidArgumentError(absl::StrCat(
          path_, ":", line_, ": not a jiceng.v1.Case: ",
          EscapeInvalidUtf8(JsonErrorLine(absl::string_view(
              st.message().data(), st.message().size())))));
    }
    // The line's error: a part of its own, now or after the cases before.
    pending_ = std::move(error);
    break;
  }
  index_ += cases;
  part->cases = cases;
  part->frames = frames_;
  if (cases > 0) return true;
  return pending_.ok() ? false : Next(part);
}

}  // namespace jiceng
