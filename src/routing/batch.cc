// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0

#include "src/routing/batch.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <cstring>
#include <exception>
#include <map>
#include <memory>
#include <mutex>
#include <system_error>
#include <thread>
#include <utility>

#include "absl/strings/str_cat.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "google/protobuf/util/message_differencer.h"
#include "src/base/status_macros.h"
#include "src/dataset/wire_check.h"
#include "src/routing/case_wire.h"
#include "src/routing/wire.h"

namespace jiceng {

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

absl::Status FrameError(absl::string_view input, size_t index, size_t pos,
                        uint64_t offset) {
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
      "frame ", index, " at byte ", offset + pos,
      done ? absl::StrCat(" declares ", len, " bytes but only ",
                          input.size() - p, " remain")
           : std::string(" has a truncated or oversized length prefix")));
}

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

// The budget's count of extra threads in use (BatchOptions::threads). It
// guards no data, only how many threads start, so relaxed order is enough:
// every change is one atomic read-modify-write, at a batch's start or end.
std::atomic<int> workers_in_use{0};

}  // namespace

namespace batch_internal {
std::atomic<int> fail_thread_start_from{0};
std::atomic<int> hardware_threads{0};
std::atomic<void (*)(int)> on_threads_started{nullptr};
std::atomic<void (*)()> on_route_alone{nullptr};
int WorkersInUse() { return workers_in_use.load(std::memory_order_relaxed); }
}  // namespace batch_internal

namespace {

// The threads a threads = 0 batch plans for: the machine's, read once (a
// budget that moved while batches hold parts of it would not add up).
int MachineThreads() {
  const int test =
      batch_internal::hardware_threads.load(std::memory_order_relaxed);
  if (test > 0) return test;
  static const int machine =
      static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  return machine;
}

// A batch's extra threads, counted in workers_in_use from its start to its
// end (or to Return()). Not copyable or movable: it gives back exactly
// what it took, once.
class WorkerLease {
 public:
  enum Kind {
    // Up to `workers`, of what the budget has left (threads = 0).
    kWithinBudget,
    // Exactly `workers`, whatever the budget has left (explicit threads):
    // the caller asked for them, so the budget does not shrink them, but
    // they are counted, so that threads = 0 batches beside it take only
    // the rest of the machine instead of a whole machine's worth on top.
    // The count may then pass the budget; threads = 0 batches route alone
    // until it falls back.
    kCharged,
  };

  WorkerLease(int workers, Kind kind)
      : workers_(kind == kWithinBudget ? Take(workers) : Charge(workers)) {}
  WorkerLease(const WorkerLease&) = delete;
  WorkerLease& operator=(const WorkerLease&) = delete;
  ~WorkerLease() { Return(); }

  int workers() const { return workers_; }

  // Gives the workers back now (the batch routes alone after all).
  void Return() {
    if (workers_ > 0) {
      workers_in_use.fetch_sub(workers_, std::memory_order_relaxed);
    }
    workers_ = 0;
  }

 private:
  static int Take(int wanted) {
    const int budget = MachineThreads() - 1;
    int in_use = workers_in_use.load(std::memory_order_relaxed);
    int take;
    do {
      take = std::min(wanted, budget - in_use);
      if (take <= 0) return 0;
    } while (!workers_in_use.compare_exchange_weak(in_use, in_use + take,
                                                   std::memory_order_relaxed));
    return take;
  }

  static int Charge(int workers) {
    if (workers > 0) {
      workers_in_use.fetch_add(workers, std::memory_order_relaxed);
    }
    return workers;
  }

  int workers_;
};

// batch_internal::on_threads_started, when a test set it.
void ThreadsStarted(size_t workers) {
  void (*hook)(int) =
      batch_internal::on_threads_started.load(std::memory_order_acquire);
  if (hook != nullptr) hook(static_cast<int>(workers));
}

// Cases routed before the output is sized from what they produced.
constexpr size_t kSizingSample = 256;
// The room given to each part's output on top of its estimate: a sixteenth
// and a page.
constexpr size_t kSlackDivisor = 16;
constexpr size_t kSlackBytes = 4096;
// Cases a worker routes between two looks at whether its slice is known.
constexpr size_t kPollEvery = 32;
// The frame scan keeps the offset of every kMarkEvery-th frame, from which
// the parts' first frames are found.
constexpr size_t kMarkEvery = 64;

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
std::unique_ptr<v1::RouteError> NewRouteError(const absl::Status& s) {
  auto error = std::make_unique<v1::RouteError>();
  error->set_code(static_cast<int32_t>(s.code()));
  error->set_message(std::string(s.message()));
  return error;
}

void SetError(const absl::Status& s, v1::BatchEntry* entry) {
  entry->set_allocated_error(NewRouteError(s).release());
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
void AppendError(size_t index, const CaseView* c, const absl::Status& s,
                 std::string* scratch, WireWriter* w) {
  v1::BatchEntry entry;
  entry.set_index(static_cast<int64_t>(index));
  if (c != nullptr) entry.set_case_id(std::string(c->id()));
  SetError(s, &entry);
  scratch->clear();
  AppendDelimited(entry, scratch);
  w->Append(*scratch);
}

// Routes the cases of one part in order, a call at a time, writing one
// BatchEntry each. Each case is read as a view of its frame (no string is
// copied) and the decision written straight into the output, so nothing
// is allocated per case once the buffers have grown. Cases are read kLead
// ahead of routing them, into a ring of views, so that the prefetcher fetches
// the engine data each one reads first while the ones before it are decided and
// written. A frame running past the end of the input ends the part (broken()).
class PartRouter {
 public:
  PartRouter(const Router& router, absl::string_view input, Part part,
             const BatchOptions& options)
      : router_(router),
        input_(input),
        part_(part),
        options_(options.route),
        first_index_(static_cast<size_t>(options.first_index)),
        prefetcher_(router),
        pos_(part.begin),
        read_(part.first),
        next_(part.first) {
    for (size_t k = 0; k < kLead; ++k) ReadAhead();
  }
  PartRouter(const PartRouter&) = delete;
  PartRouter& operator=(const PartRouter&) = delete;

  // Routes up to `max` more cases through *w: whether any are left.
  bool Route(size_t max, WireWriter* w) {
    for (; max > 0 && next_ < read_; --max, ++next_) {
      // What the prefetcher found for case next_, before the push of case
      // next_ + kLead takes its slot.
      const RouteHint hint = prefetcher_.Oldest();
      ReadAhead();  // case next_ + kLead
      WriteEntry(ring_[next_ % kRing], hint, w);
    }
    return next_ < read_;
  }

  // The input offset of the next case to route: [part.begin, routed_to())
  // are done.
  size_t routed_to() const {
    return next_ < read_ ? ring_[next_ % kRing].begin : pos_;
  }
  // Whether a frame ran past the end of the input; it is frame index()
  // at byte routed_to() once all are routed.
  bool broken() const { return broken_; }
  size_t index() const { return next_; }

 private:
  static constexpr size_t kLead = RoutePrefetcher::kLead;
  static constexpr size_t kRing = kLead + 1;
  struct Ahead {
    CaseView c;  // of the frame's bytes
    absl::string_view frame;
    size_t begin = 0;  // the frame's offset in the input
    bool parsed = false;
  };

  void ReadAhead() {
    if (pos_ == part_.end || broken_) {
      prefetcher_.Push();
      return;
    }
    Ahead& a = ring_[read_ % kRing];
    a.begin = pos_;
    if (!NextFrame(input_, &pos_, &a.frame)) {
      broken_ = true;
      prefetcher_.Push();
      return;
    }
    // ParseCase checks the wire as it reads (protobuf never sees the
    // bytes, so nothing is logged); a failure is named by the wire check.
    a.parsed = ParseCase(a.frame, &a.c);
    if (a.parsed) {
      prefetcher_.Push(a.c);
    } else {
      prefetcher_.Push();
    }
    ++read_;
  }

  void WriteEntry(const Ahead& a, const RouteHint& hint, WireWriter* wp) {
    WireWriter& w = *wp;
    const size_t i = first_index_ + next_;
    const CaseView& c = a.c;
    const absl::Status s =
        a.parsed ? router_.Route(c, hint, &result_) : CaseError(i, a.frame);
    if (!s.ok()) {
      AppendError(i, a.parsed ? &c : nullptr, s, &error_, &w);
      return;
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
    router_.AppendDecision(c, result_, options_, &w);
    const size_t d = w.size() - decision_at;
    const size_t entry = fields + WireWriter::VarintSize(d) + d;
    if (d >= 0x80 && d < 0x4000 && entry < 0x4000) {
      char* e = w.At(at);
      e[0] = static_cast<char>(entry | 0x80);
      e[1] = static_cast<char>(entry >> 7);
      e[decision_at - at - 2] = static_cast<char>(d | 0x80);
      e[decision_at - at - 1] = static_cast<char>(d >> 7);
      return;
    }
    // Rare: a decision shorter than 128 bytes or of 16 KiB or more (long
    // explanation text).
    odd_.assign(w.Since(decision_at).data(), d);
    w.Truncate(at);
    w.Varint(entry);
    w.VarintField(1, static_cast<int64_t>(i));
    w.StringField(2, id);
    w.Varint((3 << 3) | 2);
    w.Varint(d);
    w.Append(odd_);
  }

  const Router& router_;
  const absl::string_view input_;
  const Part part_;
  const v1::RouteOptions& options_;
  const size_t first_index_;  // the index entries and errors are named from
  RoutePrefetcher prefetcher_;
  Ahead ring_[kRing];
  size_t pos_;   // where the next frame to read starts
  size_t read_;  // the next case to read
  size_t next_;  // the next case to route
  bool broken_ = false;
  RouteResult result_;
  std::string error_, odd_;
};

// Routes the whole part into *out (the single-thread batch): the output is
// sized once from what the first kSizingSample cases produced per input
// byte, with an eighth to spare, instead of growing many times.
void RouteAll(PartRouter* router, const Part& part, ByteBuffer* out) {
  WireWriter w(out);
  if (!router->Route(kSizingSample, &w)) return;
  const size_t done = router->routed_to() - part.begin;
  const double per_byte =
      static_cast<double>(w.size()) / static_cast<double>(done);
  w.Reserve(static_cast<size_t>(per_byte * 1.125 *
                                static_cast<double>(part.end - part.begin -
                                                    done)));
  router->Route(SIZE_MAX, &w);
}

// How a multi-threaded batch lays out its output. The calling thread routes
// part 0 straight into the output block; once its first cases show how
// many output bytes an input byte makes, it reserves the block for the
// whole batch, gives every part a slice of it sized from that estimate and
// publishes them (kSlices). The other threads route their first cases into
// buffers of their own until then, copy them into their slice and go on
// writing there, so that every byte is written once into its final block
// and each thread touches (page-faults) its own slice. A part whose slice
// proves too small moves to a block of its own (ByteBuffer::Borrowing);
// afterwards the parts are closed up (Assembly). With a part 0 shorter than
// the sample there is nothing to estimate from: every part keeps its own
// buffer (kOwn). kStop: the calling thread failed, the others stop.
enum Plan : int { kPending, kSlices, kOwn, kStop };

struct Layout {
  std::atomic<int> plan{kPending};
  // Valid once plan is kSlices: part k's slice is [base[k], base[k] +
  // room[k]) of the block at `block`.
  char* block = nullptr;
  std::vector<size_t> base, room;
};

// Routes part 0 on the calling thread into *block, then publishes the
// layout. *out: part 0's output, borrowing from *block.
void RouteFirst(PartRouter* router, const std::vector<Part>& parts,
                Layout* layout, ByteBuffer* block, ByteBuffer* out) {
  const Part& part = parts[0];
  bool more;
  {
    WireWriter w(block);
    more = router->Route(kSizingSample, &w);
  }
  if (!more) {
    layout->plan.store(kOwn, std::memory_order_release);
    *out = ByteBuffer::Borrowing(block->data(), block->size(), block->size());
    return;
  }
  const double per_byte =
      static_cast<double>(block->size()) /
      static_cast<double>(router->routed_to() - part.begin);
  auto estimate = [&](size_t input_bytes) {
    const size_t bytes =
        static_cast<size_t>(per_byte * static_cast<double>(input_bytes));
    return bytes + bytes / kSlackDivisor + kSlackBytes;
  };
  std::vector<size_t> base(parts.size()), room(parts.size());
  size_t total = 0;
  for (size_t k = 0; k < parts.size(); ++k) {
    base[k] = total;
    room[k] = k == 0 ? block->size() + estimate(part.end - router->routed_to())
                     : estimate(parts[k].end - parts[k].begin);
    total += room[k];
  }
  block->Reserve(total);
  layout->block = block->data();
  layout->base = std::move(base);
  layout->room = std::move(room);
  layout->plan.store(kSlices, std::memory_order_release);
  *out = ByteBuffer::Borrowing(block->data(), block->size(), layout->room[0]);
  WireWriter w(out);
  router->Route(SIZE_MAX, &w);
}

// Routes part k (> 0) on a worker thread into *out: into a buffer of its
// own until the layout is known, then into its slice when it has one.
void RouteOther(PartRouter* router, size_t k, const Layout& layout,
                ByteBuffer* out) {
  bool more = true;
  int plan = kPending;
  {
    WireWriter w(out);
    while (more && plan == kPending) {
      more = router->Route(kPollEvery, &w);
      plan = layout.plan.load(std::memory_order_acquire);
    }
  }
  if (plan == kStop) return;
  if (more && plan == kSlices && out->size() <= layout.room[k]) {
    char* slice = layout.block + layout.base[k];
    if (!out->empty()) std::memcpy(slice, out->data(), out->size());
    *out = ByteBuffer::Borrowing(slice, out->size(), layout.room[k]);
  }
  WireWriter w(out);
  while (more) more = router->Route(SIZE_MAX, &w);
}

// Closes up the parts' outputs in the output block after the routing, on
// every thread of the batch. Each part's output lies in the block at at[k]
// (borrowing it) or in a block of its own (at[k] == SIZE_MAX). Parts in
// place that move left, nearly all (their slices were sized with room to
// spare), are moved in pieces taken in order by all threads: a piece waits
// only for the earlier pieces whose bytes its destination overlaps, so the
// threads move in parallel once the pieces are shorter than the shift.
// Then, on one thread: parts in place that move right (after a part that
// outgrew its slice), last part first, and the parts in blocks of their own.
// A part moving left only overlaps earlier parts moving left, one moving
// right only later ones moving right; their destinations are disjoint.
class Assembly {
 public:
  // Plans the moves; throws std::bad_alloc (the block may grow).
  Assembly(const std::vector<ByteBuffer>& outputs,
           const std::vector<size_t>& at, ByteBuffer* block)
      : outputs_(outputs), at_(at), block_(block), to_(outputs.size() + 1) {
    const size_t parts = outputs.size();
    for (size_t k = 0; k < parts; ++k) {
      to_[k + 1] = to_[k] + outputs[k].size();
    }
    block->Reserve(to_[parts]);  // keeps the bytes in place (realloc)
    for (size_t k = 0; k < parts; ++k) {
      if (at[k] == SIZE_MAX || to_[k] >= at[k]) continue;
      // Pieces of a third of the shift (at least 64 KiB, at most 1 MiB)
      // overlap only pieces two or more before them.
      const size_t shift = at[k] - to_[k];
      const size_t piece =
          std::min<size_t>(std::max<size_t>(shift / 3, 64 << 10), 1 << 20);
      for (size_t from = 0; from < outputs[k].size(); from += piece) {
        const size_t len = std::min(piece, outputs[k].size() - from);
        pieces_.push_back(Piece{at[k] + from, to_[k] + from, len});
      }
    }
    done_ = std::make_unique<std::atomic<bool>[]>(pieces_.size());
    for (size_t p = 0; p < pieces_.size(); ++p) done_[p] = false;
  }

  // Moves pieces until none are left; called on every thread.
  void MovePieces() {
    char* const b = block_->data();
    for (;;) {
      const size_t p = next_.fetch_add(1, std::memory_order_relaxed);
      if (p >= pieces_.size()) return;
      const Piece& piece = pieces_[p];
      // The earlier pieces whose bytes lie where this one goes.
      for (size_t q = p; q-- > 0 && pieces_[q].from + pieces_[q].len > piece.to;) {
        if (pieces_[q].from >= piece.to + piece.len) continue;
        while (!done_[q].load(std::memory_order_acquire)) {
          std::this_thread::yield();
        }
      }
      std::memmove(b + piece.to, b + piece.from, piece.len);
      done_[p].store(true, std::memory_order_release);
    }
  }

  // The rest, on one thread once every piece is moved.
  void Finish() {
    char* const b = block_->data();
    const size_t parts = outputs_.size();
    for (size_t k = parts; k-- > 0;) {
      if (at_[k] != SIZE_MAX && to_[k] > at_[k]) {
        std::memmove(b + to_[k], b + at_[k], outputs_[k].size());
      }
    }
    for (size_t k = 0; k < parts; ++k) {
      if (at_[k] == SIZE_MAX && !outputs_[k].empty()) {
        std::memcpy(b + to_[k], outputs_[k].data(), outputs_[k].size());
      }
    }
    block_->SetSize(to_[parts]);
  }

 private:
  struct Piece {
    size_t from;  // offsets in the block
    size_t to;
    size_t len;
  };
  const std::vector<ByteBuffer>& outputs_;
  const std::vector<size_t>& at_;
  ByteBuffer* const block_;
  std::vector<size_t> to_;  // where each part goes; to_[parts]: the total
  std::vector<Piece> pieces_;  // in the order of their bytes
  std::unique_ptr<std::atomic<bool>[]> done_;
  std::atomic<size_t> next_{0};
};

// Splits the frames [0, n) of `input` into `threads` parts of n / threads
// frames each; marks[j]: the offset of frame j * kMarkEvery.
std::vector<Part> Split(absl::string_view input, size_t n, size_t end,
                        const std::vector<size_t>& marks, size_t threads) {
  std::vector<Part> parts(threads);
  absl::string_view f;
  for (size_t t = 0; t < threads; ++t) {
    const size_t first = n * t / threads;
    size_t pos = marks.empty() ? 0 : marks[first / kMarkEvery];
    for (size_t j = first / kMarkEvery * kMarkEvery; j < first; ++j) {
      NextFrame(input, &pos, &f);
    }
    parts[t].begin = pos;
    parts[t].first = first;
    if (t > 0) parts[t - 1].end = pos;
  }
  parts[threads - 1].end = end;
  return parts;
}

// Routes parts[0] on the calling thread and the others on threads of their
// own into *out, then closes the parts up on all of them (Assembly). The
// workers wait between the two for the caller to plan the moves (phase_).
// Allocation can fail in a worker (std::bad_alloc): an exception leaving a
// thread's function, or a joinable thread destroyed during unwinding, would
// terminate the process. Workers hand theirs back; all are joined before
// any is rethrown to the caller (the C ABI turns it into a status). A
// thread that cannot be started (std::system_error) is not an error: the
// workers already started stop, and Run says so.
class ParallelBatch {
 public:
  ParallelBatch(const Router& router, absl::string_view input,
                const std::vector<Part>& parts, const BatchOptions& options)
      : router_(router),
        input_(input),
        parts_(parts),
        options_(options),
        outputs_(parts.size()),
        failures_(parts.size()) {}

  // False, with nothing routed and *out untouched, when the system would
  // not start every thread (a container's limit on tasks, say): the caller
  // routes the batch on its own thread instead. Other failures are thrown.
  bool Run(ByteBuffer* out) {
    const size_t threads = parts_.size();
    std::vector<std::thread> workers;
    workers.reserve(threads - 1);
    for (size_t k = 1; k < threads; ++k) {
      try {
        if (batch_internal::fail_thread_start_from.load(
                std::memory_order_relaxed) == static_cast<int>(k)) {
          throw std::system_error(
              std::make_error_code(std::errc::resource_unavailable_try_again),
              "thread start refused for a test");
        }
        workers.emplace_back([this, k] { Work(k); });
      } catch (...) {
        break;
      }
    }
    ThreadsStarted(workers.size());
    const bool started = workers.size() == threads - 1;
    std::unique_ptr<Assembly> assembly;
    try {
      if (!started) throw Stop();
      PartRouter r(router_, input_, parts_[0], options_);
      RouteFirst(&r, parts_, &layout_, out, &outputs_[0]);
    } catch (...) {
      if (!started) {
        layout_.plan.store(kStop, std::memory_order_release);
      } else {
        failures_[0] = std::current_exception();
        if (layout_.plan.load(std::memory_order_relaxed) == kPending) {
          layout_.plan.store(kStop, std::memory_order_release);
        }
      }
    }
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [&] { return finished_ == workers.size(); });
    }
    bool failed = false;
    for (const std::exception_ptr& e : failures_) failed = failed || e;
    if (started && !failed) {
      // Nothing may throw past here before the workers are joined.
      try {
        at_.assign(threads, SIZE_MAX);
        for (size_t k = 0; k < threads; ++k) {
          if (!outputs_[k].owned()) {
            at_[k] = static_cast<size_t>(outputs_[k].data() - out->data());
          }
        }
        assembly = std::make_unique<Assembly>(outputs_, at_, out);
      } catch (...) {
        failures_[0] = std::current_exception();
      }
    }
    {
      std::lock_guard<std::mutex> lock(mu_);
      assembly_ = assembly.get();
      phase_ = true;
    }
    cv_.notify_all();
    if (assembly != nullptr) assembly->MovePieces();
    for (std::thread& w : workers) w.join();
    for (const std::exception_ptr& e : failures_) {
      if (e) std::rethrow_exception(e);
    }
    if (!started) return false;
    assembly->Finish();
    return true;
  }

 private:
  struct Stop {};  // a worker failed to start: nothing is routed

  // Worker k: its part, then its share of the moves.
  void Work(size_t k) {
    try {
      PartRouter r(router_, input_, parts_[k], options_);
      RouteOther(&r, k, layout_, &outputs_[k]);
    } catch (...) {
      failures_[k] = std::current_exception();
    }
    Assembly* assembly;
    {
      std::unique_lock<std::mutex> lock(mu_);
      ++finished_;
      cv_.notify_all();
      cv_.wait(lock, [&] { return phase_; });
      assembly = assembly_;
    }
    if (assembly != nullptr) assembly->MovePieces();
  }

  const Router& router_;
  const absl::string_view input_;
  const std::vector<Part>& parts_;
  const BatchOptions& options_;
  Layout layout_;
  std::vector<ByteBuffer> outputs_;
  std::vector<std::exception_ptr> failures_;
  std::vector<size_t> at_;
  std::mutex mu_;
  std::condition_variable cv_;
  size_t finished_ = 0;           // workers done routing
  bool phase_ = false;            // the moves are planned (or abandoned)
  Assembly* assembly_ = nullptr;  // the moves; null when abandoned
};

}  // namespace

absl::Status RouteBatch(const Router& router, absl::string_view input,
                        const BatchOptions& options, ByteBuffer* out) {
  if (options.threads < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("threads: ", options.threads,
                     " (0 for the hardware's concurrency, or more)"));
  }
  if (options.first_index < 0 || options.first_byte < 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        options.first_index < 0 ? "first_index: " : "first_byte: ",
        options.first_index < 0 ? options.first_index : options.first_byte,
        " (0 or more)"));
  }
  const bool shared = options.threads == 0;
  const int wanted =
      std::min(shared ? MachineThreads() : options.threads, kMaxBatchThreads);
  ByteBuffer result;
  size_t n = 0;    // the frames that fit the input
  size_t end = 0;  // where they end
  if (wanted == 1) {
    ThreadsStarted(0);
    // No scan ahead: the part ends where the frames do.
    PartRouter r(router, input, Part{0, input.size(), 0}, options);
    RouteAll(&r, Part{0, input.size(), 0}, &result);
    n = r.index();
    end = r.routed_to();
  } else {
    // The frames, counted and marked without being stored; a frame running
    // past the end ends the input and becomes a final error entry.
    std::vector<size_t> marks;
    absl::string_view f;
    while (end < input.size()) {
      size_t next = end;
      if (!NextFrame(input, &next, &f)) break;
      if (n % kMarkEvery == 0) marks.push_back(end);
      end = next;
      ++n;
    }
    // No more threads than frames; of those, what the budget gives.
    const int useful = static_cast<int>(
        std::min<size_t>(static_cast<size_t>(wanted), std::max<size_t>(n, 1)));
    WorkerLease lease(useful - 1, shared ? WorkerLease::kWithinBudget
                                         : WorkerLease::kCharged);
    const size_t threads = 1 + static_cast<size_t>(lease.workers());
    const std::vector<Part> parts = Split(input, n, end, marks, threads);
    bool alone = threads == 1;
    bool refused = false;  // a thread would not start
    if (alone) {
      ThreadsStarted(0);
    } else {
      alone = refused =
          !ParallelBatch(router, input, parts, options).Run(&result);
    }
    if (alone) {
      // One thread: all there are cases for, all the budget has left, or
      // all the system would give (its workers are joined: given back).
      lease.Return();
      if (refused) {
        void (*hook)() =
            batch_internal::on_route_alone.load(std::memory_order_acquire);
        if (hook != nullptr) hook();
      }
      const Part all{0, end, 0};
      PartRouter r(router, input, all, options);
      RouteAll(&r, all, &result);
    }
  }
  if (end < input.size()) {
    const size_t index = static_cast<size_t>(options.first_index) + n;
    v1::BatchEntry entry;
    entry.set_index(static_cast<int64_t>(index));
    SetError(FrameError(input, index, end,
                        static_cast<uint64_t>(options.first_byte)),
             &entry);
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

DiffBuilder::DiffBuilder(const Router& before, const Router& after)
    : before_(before), after_(after) {
  report_.set_before_version(before.engine().meta().version());
  report_.set_after_version(after.engine().meta().version());
  explain_.set_explain_text(true);
}

v1::DiffReport DiffBuilder::Finish() && {
  for (const auto& [field, count] : per_field_) {
    v1::FieldCount* fc = report_.add_changed_per_field();
    fc->set_field(field);
    fc->set_count(count);
  }
  return std::move(report_);
}

void DiffBuilder::AddUnread(int64_t index, const absl::Status& error) {
  auto unread = std::make_unique<v1::UnreadCase>();
  unread->set_index(index);
  unread->set_allocated_error(NewRouteError(error).release());
  report_.mutable_unread()->AddAllocated(unread.release());
}

namespace {

// Lists in d->changed_steps the explanation steps that differ between
// `before` and `after` (StepChange in routing.proto).
void AddChangedSteps(const v1::RoutingDecision& before,
                     const v1::RoutingDecision& after, v1::CaseDiff* d) {
  // Each trace's reasons, once each, in the order it explains them; then
  // the two merged, so that a step only one side has stands where that side
  // explains it (a delegation before the lead it sets). A trace holds a
  // dozen steps: the scans are cheap.
  auto reasons_of = [](const v1::RoutingDecision& decision) {
    std::vector<v1::Reason> reasons;
    for (const v1::TraceStep& t : decision.trace()) {
      if (std::find(reasons.begin(), reasons.end(), t.reason()) ==
          reasons.end()) {
        reasons.push_back(t.reason());
      }
    }
    return reasons;
  };
  const std::vector<v1::Reason> x = reasons_of(before), y = reasons_of(after);
  std::vector<v1::Reason> reasons;
  // Once each: a reason both have, in another order in each, comes up twice.
  auto add = [&reasons](v1::Reason r) {
    if (std::find(reasons.begin(), reasons.end(), r) == reasons.end()) {
      reasons.push_back(r);
    }
  };
  size_t i = 0, j = 0;
  while (i < x.size() || j < y.size()) {
    if (i < x.size() && j < y.size() && x[i] == y[j]) {
      add(x[i]);
      ++i, ++j;
    } else if (i < x.size() &&
               (j == y.size() ||
                std::find(y.begin() + j, y.end(), x[i]) == y.end())) {
      add(x[i++]);  // after has it no more (from here on)
    } else {
      add(y[j++]);
    }
  }
  std::vector<const v1::TraceStep*> was, is;
  for (const v1::Reason reason : reasons) {
    was.clear();
    is.clear();
    for (const v1::TraceStep& t : before.trace()) {
      if (t.reason() == reason) was.push_back(&t);
    }
    for (const v1::TraceStep& t : after.trace()) {
      if (t.reason() == reason) is.push_back(&t);
    }
    for (size_t k = 0; k < std::max(was.size(), is.size()); ++k) {
      const v1::TraceStep* a = k < was.size() ? was[k] : nullptr;
      const v1::TraceStep* b = k < is.size() ? is[k] : nullptr;
      if (a != nullptr && b != nullptr && a->ref() == b->ref() &&
          a->text() == b->text()) {
        continue;
      }
      v1::StepChange* change = d->add_changed_steps();
      change->set_reason(reason);
      if (a != nullptr) *change->mutable_before() = *a;
      if (b != nullptr) *change->mutable_after() = *b;
    }
  }
}

}  // namespace

bool DiffBuilder::Add(const CaseView& c, int64_t index) {
  report_.set_cases(report_.cases() + 1);
  // Compared as the engines' results (most cases do not change: no message
  // is built for them), and explained only when they differ, from the same
  // results.
  const absl::Status sa = before_.Route(c, &result_before_);
  const absl::Status sb = after_.Route(c, &result_after_);
  std::vector<std::string> changed;
  if (sa.ok() != sb.ok() || (!sa.ok() && sa.code() != sb.code())) {
    changed.push_back("error");
  } else if (sa.ok()) {
    const RouteResult& a = result_before_;
    const RouteResult& b = result_after_;
    // What a decision shows of each field: handlers by kind and code,
    // deadlines by stage and due time, whistle summons by department and
    // report-in time (see CaseDiff.changed).
    auto same_handler = [&](const RoleHandler& x, const RoleHandler& y) {
      return before_.SameHandler(x.handler, after_, y.handler);
    };
    // Whether the first n of x and the first m of y are equal, in order.
    auto same_list = [](const auto* x, int n, const auto* y, int m,
                        auto equal) {
      if (n != m) return false;
      for (int i = 0; i < n; ++i) {
        if (!equal(x[i], y[i])) return false;
      }
      return true;
    };
    // Whether they hold the same entries in any order (short lists of
    // distinct entries: co-handlers, candidates, whistle summons), where
    // the order carries no duty.
    auto same_set = [](const auto* x, int n, const auto* y, int m, auto equal) {
      if (n != m) return false;
      for (int i = 0; i < n; ++i) {
        bool found = false;
        for (int j = 0; j < m && !found; ++j) found = equal(x[i], y[j]);
        if (!found) return false;
      }
      return true;
    };
    if (a.outcome != b.outcome) changed.push_back("outcome");
    if (!same_handler(a.lead, b.lead)) changed.push_back("lead");
    // An AMBIGUOUS case has no lead: who disputes it, and who arbitrates.
    if (!same_set(a.candidates, a.candidate_count, b.candidates,
                  b.candidate_count, same_handler)) {
      changed.push_back("candidates");
    }
    if (!same_handler(a.arbitrator, b.arbitrator)) {
      changed.push_back("arbitrator");
    }
    if (a.tier != b.tier) changed.push_back("tier");
    if (!same_set(a.co_handlers, a.co_handler_count, b.co_handlers,
                  b.co_handler_count, same_handler)) {
      changed.push_back("co_handlers");
    }
    if (!same_handler(a.supervisor, b.supervisor)) {
      changed.push_back("supervisor");
    }
    if (a.enforcement_mode != b.enforcement_mode) {
      changed.push_back("enforcement_mode");
    }
    if (!same_list(a.deadlines, a.deadline_count, b.deadlines, b.deadline_count,
                   [](const DeadlineEntry& x, const DeadlineEntry& y) {
                     return x.stage == y.stage && x.due_at == y.due_at;
                   })) {
      changed.push_back("deadlines");
    }
    if (!same_list(a.escalation, a.escalation_count, b.escalation,
                   b.escalation_count, same_handler)) {
      changed.push_back("escalation");
    }
    if (!same_set(a.whistle, a.whistle_count, b.whistle, b.whistle_count,
                  [&](const WhistleEntry& x, const WhistleEntry& y) {
                    return same_handler(x.department, y.department) &&
                           x.report_by == y.report_by;
                  })) {
      changed.push_back("whistle");
    }
  }
  if (changed.empty()) return false;
  report_.set_changed_cases(report_.changed_cases() + 1);
  v1::CaseDiff* d = report_.add_diffs();
  d->set_index(index);
  d->set_case_id(std::string(c.id()));
  for (const std::string& f : changed) {
    ++per_field_[f];
    d->add_changed(f);
  }
  // Either the decision (explained) or the error is set on each side,
  // never both: the other one stays absent (has_before_error() is false
  // for a decision).
  if (sa.ok()) {
    before_.ToProto(c, result_before_, explain_, d->mutable_before());
  } else {
    d->set_allocated_before_error(NewRouteError(sa).release());
  }
  if (sb.ok()) {
    after_.ToProto(c, result_after_, explain_, d->mutable_after());
  } else {
    d->set_allocated_after_error(NewRouteError(sb).release());
  }
  if (sa.ok() && sb.ok()) AddChangedSteps(d->before(), d->after(), d);
  return true;
}

v1::DiffReport DiffWorkload(const Router& before, const Router& after,
                            const std::vector<v1::Case>& workload) {
  DiffBuilder diff(before, after);
  int64_t index = 0;
  for (const v1::Case& c : workload) diff.Add(c, index++);
  return std::move(diff).Finish();
}

v1::DiffReport DiffStream(const Router& before, const Router& after,
                          absl::string_view stream) {
  DiffBuilder diff(before, after);
  CaseView c;  // reused: memory is the report's, not the workload's
  absl::string_view frame;
  size_t pos = 0;
  for (size_t i = 0; pos < stream.size(); ++i) {
    const size_t start = pos;
    if (!NextFrame(stream, &pos, &frame)) {
      diff.AddUnread(static_cast<int64_t>(i), FrameError(stream, i, start));
      break;
    }
    if (ParseCase(frame, &c)) {
      diff.Add(c, static_cast<int64_t>(i));
    } else {
      diff.AddUnread(static_cast<int64_t>(i), CaseError(i, frame));
    }
  }
  return std::move(diff).Finish();
}

}  // namespace jiceng
