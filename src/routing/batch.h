// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0
//
// Internal header: not installed, not part of the stable API.
//
// Batch routing and what-if diffs.
//
// A batch is a length-delimited stream of jiceng.v1.Case messages (each a
// varint byte length, then the bytes — protobuf's writeDelimitedTo); the
// result is a length-delimited stream of jiceng.v1.BatchEntry, one per case
// and in input order, each holding the decision or the case's own error.
// One bad case never stops the batch; a frame that runs past the end of the
// input becomes a final error entry. Threads share one engine and take
// equal runs of cases; the output is one block, written once: the calling
// thread sizes a slice of it per thread from what its first cases
// produced, each thread writes its entries into its slice, and after the
// routing all of them close the slices up. The bytes are identical for any
// thread count. Each thread parses its cases a few ahead of routing them,
// so that the engine data they read first is fetched while earlier cases
// are decided (RoutePrefetcher, router.h).
//
// Threads = 0 shares the machine: a process-wide count of the worker
// threads batches have started (besides their calling threads) lets
// threads = 0 batches together start at most hardware_concurrency() - 1,
// however many run at once; one that finds none free routes on its calling
// thread alone. The count is taken once when a batch starts and given back
// once when it ends (an atomic, no lock), never while it routes.
//
// Example:
//   JC_ASSIGN_OR_RETURN(std::string out,
//                       RouteBatch(router, input, BatchOptions{2, {}}));
//
// Thread safety: callable from any number of threads at once over shared
// immutable engines; the only state they share is the budget's count.

#ifndef JICENG_SRC_ROUTING_BATCH_H_
#define JICENG_SRC_ROUTING_BATCH_H_

#include <atomic>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "jiceng/v1/routing.pb.h"
#include "src/routing/router.h"
#include "src/routing/wire.h"

namespace jiceng {

// At most this many threads; more are clamped.
inline constexpr int kMaxBatchThreads = 64;

struct BatchOptions {
  // The threads to route on, the calling thread included; never more than
  // there are cases, nor than kMaxBatchThreads.
  //  - N >= 1: exactly N (the budget below does not shrink it), or one
  //    when the system will not start them. Its extra threads are counted
  //    in the budget while it runs, so that threads = 0 batches beside it
  //    take only what it leaves of the machine.
  //  - 0: hardware_concurrency(), within a process-wide budget: all
  //    threads = 0 batches running at once start together at most
  //    hardware_concurrency() - 1 extra threads (each calling thread routes
  //    a part too), less what explicit batches hold. A batch that finds
  //    fewer free takes what there is, and with none routes alone.
  int threads = 1;
  v1::RouteOptions route;
  // Where `input` stands in a longer stream routed a part at a time: the
  // index of its first case and the byte offset of its first frame. Entry
  // indexes and the errors' case and frame numbers and byte offsets count
  // from them, so that the parts' outputs, concatenated, are the bytes
  // one call over the whole stream gives. 0 or more.
  int64_t first_index = 0;
  int64_t first_byte = 0;
};

// Routes every case of `input` into *out (replacing what it held). Fails
// (INVALID_ARGUMENT, *out untouched) only when `threads`, `first_index` or
// `first_byte` is below 0; everything
// else is reported per entry. The output is written in place (no
// zero-filling, no buffer per thread; on several threads every part but
// the first is moved once, by the amount its slice was sized too large),
// and its malloc'd block can be handed over with out->Release(). Throws
// std::bad_alloc when out of memory (the C ABI turns it into a status),
// after every thread it started has been joined. When the system will not
// start the threads asked for, the calling thread routes the whole batch
// (the same bytes).
absl::Status RouteBatch(const Router& router, absl::string_view input,
                        const BatchOptions& options, ByteBuffer* out);

// The same, returned as a string (one more copy of the output).
absl::StatusOr<std::string> RouteBatch(const Router& router,
                                       absl::string_view input,
                                       const BatchOptions& options);

// Reads the length-delimited frame at *pos (< input.size()) of `input`:
// true, with *frame and *pos past it; false when its length prefix is
// truncated or over-long (a varint of more than 5 bytes: frames are below
// 2 GiB) or the frame runs past the end.
bool NextFrame(absl::string_view input, size_t* pos, absl::string_view* frame);

// The error for the frame `index` at byte `pos` of `input` that NextFrame
// refused: INVALID_ARGUMENT, "frame I at byte B declares L bytes but only R
// remain" (or "has a truncated or oversized length prefix"), B counted
// from `offset`, where `input` stands in a longer stream.
absl::Status FrameError(absl::string_view input, size_t index, size_t pos,
                        uint64_t offset = 0);

// Splits a length-delimited stream into its frames. A frame running past
// the end gives INVALID_ARGUMENT naming its index and offset; frames before
// it are returned in *frames.
absl::Status SplitDelimited(absl::string_view input,
                            std::vector<absl::string_view>* frames);

// Appends one length-delimited frame.
void AppendDelimited(const google::protobuf::MessageLite& message,
                     std::string* out);

// A what-if diff built one case at a time, for callers that read the
// workload themselves (DiffWorkload and DiffStream use it; the CLI reads
// its cases a part at a time). The cases whose outcome, lead, tier,
// co-handlers, supervisor, enforcement mode, deadlines, escalation, whistle
// list or error change between `before` and `after` (CaseDiff.changed) are
// kept with both decisions (explained in text); the others are only
// counted. The routers must outlive the builder.
class DiffBuilder {
 public:
  DiffBuilder(const Router& before, const Router& after);
  DiffBuilder(const DiffBuilder&) = delete;
  DiffBuilder& operator=(const DiffBuilder&) = delete;

  // Routes `c`, the workload's case `index` (its position, from 0), on both
  // engines: true when its decision changes, and the report's last diff is
  // then its own.
  bool Add(const CaseView& c, int64_t index);

  // The workload's case `index` could not be read: `error` (not OK) says
  // why and where. It is listed in the report's `unread`.
  void AddUnread(int64_t index, const absl::Status& error);

  // The report, with its count of cases and of changes per field.
  v1::DiffReport Finish() &&;

 private:
  const Router& before_;
  const Router& after_;
  v1::RouteOptions explain_;
  v1::DiffReport report_;
  std::map<std::string, int64_t> per_field_;
  // Reused per case: each side's result, compared as it is (no message
  // is built for a case that does not change).
  RouteResult result_before_, result_after_;
};

// The diff of a whole workload, case i at index i.
v1::DiffReport DiffWorkload(const Router& before, const Router& after,
                            const std::vector<v1::Case>& workload);

// The same over a length-delimited stream of jiceng.v1.Case, parsed one
// case at a time into one message: the memory it takes is the report's,
// whatever the stream's length. As in a batch, a frame that is not a Case
// is listed in the report's `unread` ("case I: ...", as its batch entry
// says) and the diff goes on; a frame that runs past the end of the
// stream is listed there too ("frame I at byte B ...") and ends it.
v1::DiffReport DiffStream(const Router& before, const Router& after,
                          absl::string_view stream);

namespace batch_internal {
// Tests only: when k > 0, starting the batch's k-th extra thread fails as
// a system out of tasks would make it fail (std::system_error, EAGAIN).
extern std::atomic<int> fail_thread_start_from;

// Tests only: when > 0, the hardware concurrency that threads = 0 plans
// for and budgets (0: std::thread::hardware_concurrency()). Change it only
// while no batch runs.
extern std::atomic<int> hardware_threads;

// Tests only: when set, every batch calls it once on its calling thread,
// before that thread routes, with the number of extra threads the batch
// has started (0 when it routes alone; when one would not start, those
// that did, which then stop while it routes alone). It may block: the
// batch holds its share of the budget meanwhile. It must not throw.
extern std::atomic<void (*)(int workers)> on_threads_started;

// Tests only: when set, a batch whose extra threads would not all start
// calls it on its calling thread after giving them back to the budget,
// before that thread routes the whole batch alone. It must not throw.
extern std::atomic<void (*)()> on_route_alone;

// The extra threads the budget counts in use now: those of every batch
// running (threads = 0 or explicit), between its start and its end.
int WorkersInUse();
}  // namespace batch_internal

}  // namespace jiceng

#endif  // JICENG_SRC_ROUTING_BATCH_H_
