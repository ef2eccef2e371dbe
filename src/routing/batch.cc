// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0

#include "src/routing/batch.h"

#include <algorithm>
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
#include "src/routing/wire.h"

namespace jiceng {

absl::Status SplitDelimited(absl::string_view input,
                            std::vector<absl::string_view>* frames) {
  size_t pos = 0;
  while (pos < input.size()) {
    // A varint of at most 5 bytes (frames are below 2 GiB).
    uint64_t len = 0;
    int shift = 0;
    size_t p = pos;
    bool done = false;
    while (p < input.size() && shift < 35) {
      const uint8_t b = static_cast<uint8_t>(input[p++]);
      len |= uint64_t{b & 0x7Fu} << shift;
      shift += 7;
      if ((b & 0x80u) == 0) {
        done = true;
        break;
      }
    }
    if (!done || len > input.size() - p) {
      return absl::InvalidArgumentError(absl::StrCat(
          "frame ", frames->size(), " at byte ", pos,
          done ? absl::StrCat(" declares ", len, " bytes but only ",
                              input.size() - p, " remain")
               : std::string(" has a truncated or oversized length prefix")));
    }
    frames->push_back(input.substr(p, static_cast<size_t>(len)));
    pos = p + static_cast<size_t>(len);
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

void RouteRange(const Router& router,
                const std::vector<absl::string_view>& frames, size_t begin,
                size_t end, const v1::RouteOptions& options,
                std::string* out) {
  // Reused across cases: parsing into a live message, filling one result
  // and serializing the decision straight from it into one buffer leave
  // nothing to allocate per case once the buffers have grown.
  v1::Case c;
  RouteResult r;
  std::string decision_bytes, error;
  // The decision is written to a scratch writer that is rewound per case,
  // never destroyed in the loop: its buffer keeps its size, so growing it
  // (and zero-filling the growth) happens only while it warms up.
  WireWriter decision(&decision_bytes);
  WireWriter w(out);  // the only writer to *out until it is destroyed
  const size_t start = w.size();
  for (size_t i = begin; i < end; ++i) {
    const absl::string_view f = frames[i];
    if (i == begin + kSizingSample) {
      // The output of the first cases per input byte, times the input
      // left, with an eighth to spare: one growth instead of ~20 doublings.
      const size_t in_done =
          static_cast<size_t>(f.data() - frames[begin].data());
      const size_t in_left = static_cast<size_t>(
          frames[end - 1].data() + frames[end - 1].size() - f.data());
      if (in_done > 0) {
        const double per_byte = static_cast<double>(w.size() - start) /
                                static_cast<double>(in_done);
        w.Reserve(static_cast<size_t>(per_byte * 1.125 *
                                      static_cast<double>(in_left)));
      }
    }
    // The wire first: protobuf then has nothing to log (it logs strings
    // that are not UTF-8), and a failure names the field.
    const bool parsed = WireFormatPasses(f, WireLayoutOf<v1::Case>()) &&
                        c.ParseFromArray(f.data(), static_cast<int>(f.size()));
    const absl::Status s = parsed ? router.Route(c, &r) : CaseError(i, f);
    if (!s.ok()) {
      v1::BatchEntry entry;
      entry.set_index(static_cast<int64_t>(i));
      if (parsed) entry.set_case_id(c.id());
      SetError(s, &entry);
      error.clear();
      AppendDelimited(entry, &error);
      w.Append(error);
      continue;
    }
    // A BatchEntry {index = 1, case_id = 2, decision = 3}, delimited.
    decision.Truncate(0);
    router.AppendDecision(c, r, options, &decision);
    const absl::string_view bytes = decision.Since(0);
    const size_t id = c.id().size();
    const size_t size =
        (i == 0 ? 0 : 1 + WireWriter::VarintSize(i)) +
        (id == 0 ? 0 : 1 + WireWriter::VarintSize(id) + id) + 1 +
        WireWriter::VarintSize(bytes.size()) + bytes.size();
    w.Varint(size);
    w.VarintField(1, static_cast<int64_t>(i));
    w.StringField(2, c.id());
    w.Varint((3 << 3) | 2);
    w.Varint(bytes.size());
    w.Append(bytes);
  }
}

}  // namespace

absl::StatusOr<std::string> RouteBatch(const Router& router,
                                       absl::string_view input,
                                       const BatchOptions& options) {
  if (options.threads < 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("threads: ", options.threads, " (at least 1)"));
  }
  std::vector<absl::string_view> frames;
  const absl::Status framing = SplitDelimited(input, &frames);
  const size_t n = frames.size();
  const int threads = static_cast<int>(std::min<size_t>(
      std::min(options.threads, kMaxBatchThreads), std::max<size_t>(n, 1)));
  std::vector<std::string> parts(static_cast<size_t>(threads));
  if (threads == 1) {
    RouteRange(router, frames, 0, n, options.route, &parts[0]);
  } else {
    // Allocation can fail in a worker (std::bad_alloc) or when starting one
    // (std::system_error): an exception leaving a thread's function, or a
    // joinable thread destroyed during unwinding, would terminate the
    // process. Workers hand theirs back; all are joined before any is
    // rethrown to the caller (the C ABI turns it into a status).
    std::vector<std::exception_ptr> failures(static_cast<size_t>(threads));
    std::vector<std::thread> workers;
    workers.reserve(static_cast<size_t>(threads));
    std::exception_ptr start_failure;
    for (int t = 0; t < threads; ++t) {
      const size_t b = n * static_cast<size_t>(t) / static_cast<size_t>(threads);
      const size_t e =
          n * static_cast<size_t>(t + 1) / static_cast<size_t>(threads);
      try {
        workers.emplace_back([&, b, e, t] {
          try {
            RouteRange(router, frames, b, e, options.route,
                       &parts[static_cast<size_t>(t)]);
          } catch (...) {
            failures[static_cast<size_t>(t)] = std::current_exception();
          }
        });
      } catch (...) {
        start_failure = std::current_exception();
        break;
      }
    }
    for (std::thread& w : workers) w.join();
    if (start_failure) std::rethrow_exception(start_failure);
    for (const std::exception_ptr& f : failures) {
      if (f) std::rethrow_exception(f);
    }
  }
  std::string out;
  if (threads == 1) {
    out = std::move(parts[0]);  // one part: no copy
  } else {
    size_t total = 0;
    for (const std::string& p : parts) total += p.size();
    out.reserve(total + 64);
    for (const std::string& p : parts) out += p;
  }
  if (!framing.ok()) {
    v1::BatchEntry entry;
    entry.set_index(static_cast<int64_t>(n));
    SetError(framing, &entry);
    AppendDelimited(entry, &out);
  }
  return out;
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
