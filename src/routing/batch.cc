// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0

#include "src/routing/batch.h"

#include <algorithm>
#include <cstring>
#include <exception>
#include <map>
#include <memory>
#include <thread>
#include <utility>

#include "absl/strings/str_cat.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "google/protobuf/util/message_differencer.h"
#include "src/dataset/wire_check.h"
#include "src/routing/case_wire.h"
#include "src/routing/wire.h"

namespace jiceng {

namespace {

// Reads the frame at *pos: true and *frame, *pos past it; false where the
// length prefix is truncated or over-long (a varint of more than 5 bytes:
// frames are below 2 GiB) or the frame runs past the end.
bool NextFrame(absl::string_view input, size_t* pos, absl::string_view* frame) {
  size_t p = *pos;
  uint64_t len = static_cast<uint8_t>(input[p++]);
  if (len >= 0x80) {
    len &= 0x7F;
    for (int shift = 7;; shift += 7) {
      if (p == input.size() || shift == 35) return false;
      const uint8_t b = static_cast<uint8_t>(input[p++]);
      len |= uint64_t{b & 0x7Fu} << shift;
      if (b < 0x80) break;
    }
  }
  if (len > input.size() - p) return false;
  *frame = input.substr(p, static_cast<size_t>(len));
  *pos = p + static_cast<size_t>(len);
  return true;
}

// SplitDelimited's error for the frame `index` at byte `pos` that NextFrame
// refused.
absl::Status FrameError(absl::string_view input, size_t index, size_t pos) {
  // The prefix again, to say which way it is broken.
  uint64_t len = 0;
  size_t p = pos;
  bool done = false;
  for (int shift = 0; p < input.size() && shift < 35; shift += 7) {
    const uint8_t b = static_cast<uint8_t>(input[p++]);
    len |= uint64_t{b & 0x7Fu} << shift;
    if ((b & 0x80u) == 0) {
      done = true;
      break;
    }
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "frame ", index, " at byte ", pos,
      done ? absl::StrCat(" declares ", len, " bytes but only ",
                          input.size() - p, " remain")
           : std::string(" has a truncated or oversized length prefix")));
}

}  // namespace

absl::Status SplitDelimited(absl::string_view input,
                            std::vector<absl::string_view>* frames) {
  size_t pos = 0;
  absl::string_view frame;
  while (pos < input.size()) {
    if (!NextFrame(input, &pos, &frame)) {
      return FrameError(input, frames->size(), pos);
    }
    frames->push_back(frame);
  }
  return absl::OkStatus();
}

void AppendDelimited(const google::protobuf::MessageLite& message,
                     std::string* out) {
  const size_t size = message.ByteSizeLong();
  uint8_t header[10];
  uint8_t* end = google::protobuf::io::CodedOutputStream::WriteVarint32ToArray(
      static_cast<uint32_t>(size), header);
  out->append(reinterpret_cast<const char*>(header),
              static_cast<size_t>(end - header));
  const size_t at = out->size();
  out->resize(at + size);
  message.SerializeWithCachedSizesToArray(
      reinterpret_cast<uint8_t*>(&(*out)[at]));
}

namespace {

// Cases routed before the output is sized from what they produced.
constexpr size_t kSizingSample = 256;

// A run of whole frames: bytes [begin, end) of the input, the first frame's
// index.
struct Part {
  size_t begin = 0;
  size_t end = 0;
  size_t first = 0;
};

// Sets entry->error from `s`. Not through mutable_error(): protobuf 3.21
// marks the oneof as set before allocating its message, so a std::bad_alloc
// there left the entry's destructor deleting an uninitialised pointer
// (found by c_api_cpp_test's out-of-memory sweep under ASan + UBSan).
void SetError(const absl::Status& s, v1::BatchEntry* entry) {
  auto error = std::make_unique<v1::RouteError>();
  error->set_code(static_cast<int32_t>(s.code()));
  error->set_message(std::string(s.message()));
  entry->set_allocated_error(error.release());
}

// Frame `i` is not a case: the error naming the offset or field.
absl::Status CaseError(size_t i, absl::string_view frame) {
  if (!WireFormatPasses(frame, WireLayoutOf<v1::Case>())) {
    return WireError(frame, *v1::Case::descriptor(),
                     absl::StrCat("case ", i, ": jiceng.v1.Case"));
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "case ", i, ": ", frame.size(), " bytes are not a jiceng.v1.Case"));
}

// Writes one error entry {index, case_id, error}, delimited.
void AppendError(size_t index, const v1::Case* c, const absl::Status& s,
                 std::string* scratch, WireWriter* w) {
  v1::BatchEntry entry;
  entry.set_index(static_cast<int64_t>(index));
  if (c != nullptr) entry.set_case_id(c->id());
  SetError(s, &entry);
  scratch->clear();
  AppendDelimited(entry, scratch);
  w->Append(*scratch);
}

void RouteRange(const Router& router, absl::string_view input, Part part,
                const v1::RouteOptions& options, ByteBuffer* out) {
  // Reused across cases: each case is read into a live message and the
  // decision written straight into the output, so nothing is allocated per
  // case once the buffers have grown. Cases are read kLead ahead of
  // routing them, into a ring of messages, so that the prefetcher fetches
  // the engine data each one reads first while the ones before it are
  // decided and written.
  constexpr size_t kLead = RoutePrefetcher::kLead;
  constexpr size_t kRing = kLead + 1;
  struct Ahead {
    v1::Case c;
    absl::string_view frame;
    size_t begin = 0;  // the frame's offset in the input
    bool parsed = false;
  };
  Ahead ring[kRing];
  RoutePrefetcher prefetcher(router);
  size_t pos = part.begin;
  size_t read = part.first;  // the next case to read
  auto read_ahead = [&] {
    if (pos == part.end) {
      prefetcher.Push();
      return;
    }
    Ahead& a = ring[read % kRing];
    a.begin = pos;
    NextFrame(input, &pos, &a.frame);  // the frames were checked by the caller
    // ParseCase checks the wire as it reads (protobuf never sees the
    // bytes, so nothing is logged); a failure is named by the wire check.
    a.parsed = ParseCase(a.frame, &a.c);
    if (a.parsed) {
      prefetcher.Push(a.c);
    } else {
      prefetcher.Push();
    }
    ++read;
  };
  for (size_t k = 0; k < kLead; ++k) read_ahead();

  RouteResult r;
  std::string error, odd;
  WireWriter w(out);  // the only writer to *out until it is destroyed
  const size_t start = w.size();
  for (size_t i = part.first; i < read; ++i) {
    read_ahead();  // case i + kLead
    const Ahead& a = ring[i % kRing];
    if (i == part.first + kSizingSample) {
      // The output of the first cases per input byte, times the input
      // left, with an eighth to spare: one growth instead of many.
      const double per_byte = static_cast<double>(w.size() - start) /
                              static_cast<double>(a.begin - part.begin);
      w.Reserve(static_cast<size_t>(per_byte * 1.125 *
                                    static_cast<double>(part.end - a.begin)));
    }
    const v1::Case& c = a.c;
    const absl::Status s = a.parsed ? router.Route(c, &r) : CaseError(i, a.frame);
    if (!s.ok()) {
      AppendError(i, a.parsed ? &c : nullptr, s, &error, &w);
      continue;
    }
    // A BatchEntry {index = 1, case_id = 2, decision = 3}, delimited. The
    // decision is written in place after a header whose two lengths are
    // guessed to take two bytes each (a decision of 128 to 16,383 bytes):
    // filled in afterwards, or the entry is written again when they do not.
    const size_t at = w.size();
    const absl::string_view id = c.id();
    const size_t fields = (i == 0 ? 0 : 1 + WireWriter::VarintSize(i)) +
                          WireWriter::StringFieldSize(id.size()) + 1;
    char* p = w.Raw(32 + id.size()) + 2;
    p = WireWriter::PutVarintField(p, 1, static_cast<int64_t>(i));
    p = WireWriter::PutStringField(p, 2, id);
    *p++ = static_cast<char>((3 << 3) | 2);
    w.Done(p + 2);
    const size_t decision_at = w.size();
    router.AppendDecision(c, r, options, &w);
    const size_t d = w.size() - decision_at;
    const size_t entry = fields + WireWriter::VarintSize(d) + d;
    if (d >= 0x80 && d < 0x4000 && entry < 0x4000) {
      char* e = w.At(at);
      e[0] = static_cast<char>(entry | 0x80);
      e[1] = static_cast<char>(entry >> 7);
      e[decision_at - at - 2] = static_cast<char>(d | 0x80);
      e[decision_at - at - 1] = static_cast<char>(d >> 7);
      continue;
    }
    // Rare: a decision shorter than 128 bytes or of 16 KiB or more (long
    // explanation text).
    odd.assign(w.Since(decision_at).data(), d);
    w.Truncate(at);
    w.Varint(entry);
    w.VarintField(1, static_cast<int64_t>(i));
    w.StringField(2, id);
    w.Varint((3 << 3) | 2);
    w.Varint(d);
    w.Append(odd);
  }
}

// Appends parts[1..] to *out, the copying split evenly over `threads`
// threads (this one and threads - 1 more): with the routing done in
// parallel, a serial copy of the other parts' output would take a good
// share of the time. Falls back to fewer threads when one cannot start.
void Concatenate(const std::vector<ByteBuffer>& parts, int threads,
                 ByteBuffer* out) {
  size_t total = 0;
  for (size_t k = 1; k < parts.size(); ++k) total += parts[k].size();
  char* dst = out->AppendUninitialized(total);
  // Copies bytes [from, to) of parts[1..] joined.
  auto copy = [&](size_t from, size_t to) {
    size_t at = 0;
    for (size_t k = 1; k < parts.size() && from < to; ++k) {
      const size_t n = parts[k].size();
      if (from < at + n) {
        const size_t len = std::min(to, at + n) - from;
        std::memcpy(dst + from, parts[k].data() + (from - at), len);
        from += len;
      }
      at += n;
    }
  };
  const size_t t = static_cast<size_t>(threads);
  std::vector<std::thread> helpers;
  size_t done = 0;  // slices [0, done) are taken by helpers
  for (size_t k = 1; k < t; ++k) {
    try {
      helpers.emplace_back(copy, total * k / t, total * (k + 1) / t);
      done = k;
    } catch (...) {
      break;  // the rest is copied here
    }
  }
  copy(0, total / t);
  if (done + 1 < t) copy(total * (done + 1) / t, total);
  for (std::thread& h : helpers) h.join();
}

}  // namespace

absl::Status RouteBatch(const Router& router, absl::string_view input,
                        const BatchOptions& options, ByteBuffer* out) {
  if (options.threads < 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("threads: ", options.threads, " (at least 1)"));
  }
  // The frames, counted without being stored; a frame running past the end
  // ends the input and becomes a final error entry.
  size_t n = 0;
  size_t end = 0;
  absl::string_view f;
  while (end < input.size()) {
    size_t next = end;
    if (!NextFrame(input, &next, &f)) break;
    end = next;
    ++n;
  }
  const absl::Status framing =
      end < input.size() ? FrameError(input, n, end) : absl::OkStatus();
  const int threads = static_cast<int>(std::min<size_t>(
      std::min(options.threads, kMaxBatchThreads), std::max<size_t>(n, 1)));
  ByteBuffer result;
  if (threads == 1) {
    RouteRange(router, input, Part{0, end, 0}, options.route, &result);
  } else {
    // Part t takes frames [n t / T, n (t + 1) / T), found by a second scan.
    std::vector<Part> parts(static_cast<size_t>(threads));
    size_t pos = 0;
    size_t i = 0;
    for (int t = 0; t < threads; ++t) {
      const size_t last = n * static_cast<size_t>(t + 1) /
                          static_cast<size_t>(threads);
      parts[static_cast<size_t>(t)].begin = pos;
      parts[static_cast<size_t>(t)].first = i;
      for (; i < last; ++i) NextFrame(input, &pos, &f);
      parts[static_cast<size_t>(t)].end = pos;
    }
    // This thread routes part 0 into the result, workers the others into
    // buffers of their own, appended afterwards. Allocation can fail in a
    // worker (std::bad_alloc) or when starting one (std::system_error): an
    // exception leaving a thread's function, or a joinable thread destroyed
    // during unwinding, would terminate the process. Workers hand theirs
    // back; all are joined before any is rethrown to the caller (the C ABI
    // turns it into a status).
    std::vector<ByteBuffer> outputs(static_cast<size_t>(threads));
    std::vector<std::exception_ptr> failures(static_cast<size_t>(threads));
    std::vector<std::thread> workers;
    workers.reserve(static_cast<size_t>(threads - 1));
    for (int t = 1; t < threads; ++t) {
      const size_t k = static_cast<size_t>(t);
      try {
        workers.emplace_back([&, k] {
          try {
            RouteRange(router, input, parts[k], options.route, &outputs[k]);
          } catch (...) {
            failures[k] = std::current_exception();
          }
        });
      } catch (...) {
        failures[k] = std::current_exception();
        break;
      }
    }
    try {
      RouteRange(router, input, parts[0], options.route, &result);
    } catch (...) {
      failures[0] = std::current_exception();
    }
    for (std::thread& w : workers) w.join();
    for (const std::exception_ptr& e : failures) {
      if (e) std::rethrow_exception(e);
    }
    Concatenate(outputs, threads, &result);
  }
  if (!framing.ok()) {
    v1::BatchEntry entry;
    entry.set_index(static_cast<int64_t>(n));
    SetError(framing, &entry);
    std::string bytes;
    AppendDelimited(entry, &bytes);
    WireWriter w(&result);
    w.Append(bytes);
  }
  *out = std::move(result);
  return absl::OkStatus();
}

absl::StatusOr<std::string> RouteBatch(const Router& router,
                                       absl::string_view input,
                                       const BatchOptions& options) {
  ByteBuffer out;
  absl::Status s = RouteBatch(router, input, options, &out);
  if (!s.ok()) return s;
  return std::string(out.view());
}

v1::DiffReport DiffWorkload(const Router& before, const Router& after,
                            const std::vector<v1::Case>& workload) {
  v1::DiffReport report;
  report.set_before_version(before.engine().meta().version());
  report.set_after_version(after.engine().meta().version());
  report.set_cases(static_cast<int64_t>(workload.size()));
  std::map<std::string, int64_t> per_field;
  v1::RouteOptions explain;
  explain.set_explain_text(true);
  for (const v1::Case& c : workload) {
    absl::StatusOr<v1::RoutingDecision> a = before.Decide(c, explain);
    absl::StatusOr<v1::RoutingDecision> b = after.Decide(c, explain);
    std::vector<std::string> changed;
    if (a.ok() != b.ok() ||
        (!a.ok() && a.status().code() != b.status().code())) {
      changed.push_back("error");
    } else if (a.ok()) {
      if (a->outcome() != b->outcome()) changed.push_back("outcome");
      if (a->lead().code() != b->lead().code() ||
          a->lead().kind() != b->lead().kind()) {
        changed.push_back("lead");
      }
      if (a->tier() != b->tier()) changed.push_back("tier");
      bool co_same = a->co_handlers_size() == b->co_handlers_size();
      for (int i = 0; co_same && i < a->co_handlers_size(); ++i) {
        co_same = a->co_handlers(i).code() == b->co_handlers(i).code();
      }
      if (!co_same) changed.push_back("co_handlers");
      bool deadlines_same = a->deadlines_size() == b->deadlines_size();
      for (int i = 0; deadlines_same && i < a->deadlines_size(); ++i) {
        deadlines_same = a->deadlines(i).due_at() == b->deadlines(i).due_at();
      }
      if (!deadlines_same) changed.push_back("deadlines");
    }
    if (changed.empty()) continue;
    report.set_changed_cases(report.changed_cases() + 1);
    v1::CaseDiff* d = report.add_diffs();
    d->set_case_id(c.id());
    for (const std::string& f : changed) {
      ++per_field[f];
      d->add_changed(f);
    }
    auto record = [](const absl::StatusOr<v1::RoutingDecision>& r,
                     v1::RoutingDecision* decision, v1::RouteError* error) {
      if (r.ok()) {
        *decision = *r;
      } else {
        error->set_code(static_cast<int32_t>(r.status().code()));
        error->set_message(std::string(r.status().message()));
      }
    };
    record(a, d->mutable_before(), d->mutable_before_error());
    record(b, d->mutable_after(), d->mutable_after_error());
  }
  for (const auto& [field, count] : per_field) {
    v1::FieldCount* fc = report.add_changed_per_field();
    fc->set_field(field);
    fc->set_count(count);
  }
  return report;
}

}  // namespace jiceng
