/*
 * Copyright 2026 The jiceng Authors.
 * SPDX-License-Identifier: Apache-2.0
 *
 * jiceng.h — the stable C ABI of jiceng (基层), a library that models
 * China's grassroots-governance system: the administrative hierarchy, the
 * responsibility lists and the routing of cases through the closed loop.
 *
 * Conventions
 *  1. Names. Every symbol is prefixed jc_, every macro JC_. Only the
 *     functions declared here are exported by libjiceng.so.1.
 *  2. Messages. Structured data crosses as serialized protobuf bytes of the
 *     jiceng.v1 messages defined by the .proto files installed beside this
 *     header (<prefix>/include/jiceng/v1/): a pointer plus a length in,
 *     a pointer plus a length out. No C++, Abseil or protobuf type appears
 *     in this header. C++ callers that use protobuf's generated classes
 *     for these messages must generate the lite ones, and link them with
 *     the libprotobuf this library uses:
 *       protoc -I <prefix>/include --cpp_out=lite:OUT \
 *           $(find <prefix>/include/jiceng/v1 -name '*.proto')
 *     The library registers the full descriptors of those files in the
 *     process's libprotobuf; full classes (--cpp_out=OUT) register the
 *     same files again, and the process aborts before main ("File already
 *     exists in database: jiceng/v1/hierarchy.proto"). Lite classes
 *     register nothing and read and write the same bytes.
 *  3. Memory. Buffers and strings the library returns are allocated by the
 *     library and released with jc_free(). jc_free(NULL) and
 *     jc_engine_destroy(NULL) do nothing.
 *  4. Status. Fallible functions return a jc_status: JC_OK (0) or one of
 *     the JC_* codes below, whose values are pinned: 0-16 mirror
 *     absl::StatusCode, codes of this library's own start at 100
 *     (JC_BUFFER_TOO_SMALL). New codes may be added: keep a default branch.
 *  5. Errors. Every fallible function takes an optional `char**
 *     error_message`. When it is not NULL, it receives NULL on success and,
 *     on failure, a NUL-terminated UTF-8 message naming what was wrong and
 *     where (free it with jc_free) — or NULL when there was no memory left
 *     to copy the message into (the status still says what happened: print
 *     `error_message ? error_message : jc_status_name(status)`). On
 *     failure every other output is left untouched.
 *  6. Arguments. A required pointer that is NULL gives JC_INVALID_ARGUMENT.
 *     Inputs larger than JC_MAX_INPUT_BYTES (1 GiB, below INT_MAX, the
 *     most protobuf parses) give JC_RESOURCE_EXHAUSTED before a byte is
 *     read. Bytes that do not parse as the expected message give
 *     JC_INVALID_ARGUMENT naming the argument and the message type, and
 *     for a truncation or a string that is not UTF-8 the byte offset and
 *     the field's path (e.g. "record.case.id"); such input is reported,
 *     not logged (nothing is written to stderr). Nothing the caller passes
 *     is modified or retained.
 *  7. Threads. A jc_engine is immutable once created: any number of
 *     threads may use one engine at the same time without locking, and
 *     every function here may be called from any thread. Per-call scratch
 *     (the parsed request, the decision) is kept per thread and reused;
 *     after a request larger than 64 KiB it is released, so that a thread
 *     keeps no more than ordinary calls need.
 *     jc_engine_destroy must not run concurrently with other uses of the
 *     same engine.
 *  8. Failures. Every entry point catches everything: no C++ exception and
 *     no abort crosses this boundary. An allocation failure inside the
 *     library (std::bad_alloc) gives JC_RESOURCE_EXHAUSTED and leaves
 *     existing engines usable; any other internal failure JC_INTERNAL.
 *     Tested by failing each allocation in turn for every function,
 *     dataset validation and engine creation included, also under
 *     AddressSanitizer. An allocation failure may leak memory: protobuf
 *     3.21 underneath cannot safely destroy a message whose parse failed
 *     inside a oneof holding a message (a dataset's catalogue predicates,
 *     ApplyRequest.action), so the library abandons that message, and it
 *     leaks the element being added when a repeated field fails to grow.
 *  9. Versions. JC_VERSION_* describe the header you compiled against;
 *     jc_version_number() and jc_version_string() the library you run
 *     against. The ABI version (the SONAME's number) changes only on an
 *     incompatible change; an ABI gate in the tests compares the built
 *     library with a committed baseline (tests/abi/, see the README).
 * 10. Caller buffers. The *_into variants serialize into the caller's
 *     `buffer` of `capacity` bytes instead of allocating. When the result
 *     does not fit they return JC_BUFFER_TOO_SMALL, set *out_size to the
 *     bytes needed and leave `buffer` untouched: the one exception to
 *     "outputs untouched on failure" (call again with a buffer that large).
 *     No other failure gives JC_BUFFER_TOO_SMALL (JC_OUT_OF_RANGE keeps its
 *     meaning: a time outside the work calendar). `buffer` may be NULL when
 *     `capacity` is 0, to ask for the size. With flags 0,
 *     jc_engine_route_into makes no heap allocation in steady state, and
 *     neither does jc_engine_route_service_into.
 *
 * Example:
 *   jc_engine* engine = NULL;
 *   char* error = NULL;
 *   jc_status status =
 *       jc_engine_create(bytes, size, JC_FORMAT_AUTO, &engine, &error);
 *   if (status != JC_OK) {
 *     fprintf(stderr, "jiceng: %s\n", error ? error : jc_status_name(status));
 *     jc_free(error);
 *     return 1;
 *   }
 *   void* info = NULL;
 *   size_t info_size = 0;
 *   if (jc_engine_info(engine, &info, &info_size, NULL) == JC_OK) {
 *     ... parse jiceng.v1.EngineInfo from (info, info_size) ...
 *     jc_free(info);
 *   }
 *   jc_engine_destroy(engine);
 */

#ifndef JICENG_JICENG_H_
#define JICENG_JICENG_H_

#include <stddef.h>
#include <stdint.h>

#if defined(_WIN32)
#define JC_EXPORT
#elif defined(__GNUC__)
#define JC_EXPORT __attribute__((visibility("default")))
#else
#define JC_EXPORT
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Versions ---------------------------------------------------------- */

#define JC_VERSION_MAJOR 0
#define JC_VERSION_MINOR 4
#define JC_VERSION_PATCH 0
#define JC_VERSION_NUMBER \
  (JC_VERSION_MAJOR * 10000 + JC_VERSION_MINOR * 100 + JC_VERSION_PATCH)
/* The number in the SONAME (libjiceng.so.1). */
#define JC_ABI_VERSION 1

/* The runtime library's version, as JC_VERSION_NUMBER would compute it. */
JC_EXPORT uint32_t jc_version_number(void);
/* The runtime library's version, e.g. "0.1.0"; static storage. */
JC_EXPORT const char* jc_version_string(void);
/* The runtime library's ABI version (JC_ABI_VERSION it was built with). */
JC_EXPORT int jc_abi_version(void);

/* ---- Status codes (values pinned; mirror absl::StatusCode) ------------- */

typedef int jc_status;

#define JC_OK 0
#define JC_CANCELLED 1
#define JC_UNKNOWN 2
#define JC_INVALID_ARGUMENT 3
#define JC_DEADLINE_EXCEEDED 4
#define JC_NOT_FOUND 5
#define JC_ALREADY_EXISTS 6
#define JC_PERMISSION_DENIED 7
#define JC_RESOURCE_EXHAUSTED 8
#define JC_FAILED_PRECONDITION 9
#define JC_ABORTED 10
#define JC_OUT_OF_RANGE 11
#define JC_UNIMPLEMENTED 12
#define JC_INTERNAL 13
#define JC_UNAVAILABLE 14
#define JC_DATA_LOSS 15
#define JC_UNAUTHENTICATED 16
/* Codes of this library's own (not in absl::StatusCode). */
/* The caller's buffer is too small for the result; *out_size holds the
 * bytes needed (convention 10). */
#define JC_BUFFER_TOO_SMALL 100

/* The code's name, e.g. "INVALID_ARGUMENT", "BUFFER_TOO_SMALL";
 * "UNKNOWN_STATUS" for values this library does not know. Static
 * storage. */
JC_EXPORT const char* jc_status_name(jc_status status);

/* ---- Limits ------------------------------------------------------------ */

/* The largest input (a dataset, a message) accepted, in bytes. */
#define JC_MAX_INPUT_BYTES ((size_t)1 << 30)

/* Further limits, each enforced at the boundary with a precise error
 * (JC_INVALID_ARGUMENT naming the element and field unless noted):
 *  - a dataset: at most JC_MAX_INPUT_BYTES (JC_RESOURCE_EXHAUSTED, checked
 *    before a byte is read); 2^24 - 2 regions; messages nested at most 32
 *    deep; every string valid UTF-8 (the field's path is named); region
 *    codes of 3-18 digits; a parent chain of any depth and any number of
 *    children (validated iteratively; the report keeps the first 10,000
 *    problems).
 *  - the work calendar: dates in years 1900-9999, a range of at most
 *    73,200 days (200 years); deadlines leaving it give JC_OUT_OF_RANGE.
 *  - a time limit: 1 to ten years of its unit (24,000 working hours, 2,500
 *    working days, 87,840 calendar hours, 3,660 calendar days).
 *  - a case: at most 16 attributes, 16 extra locations, an id of 256
 *    bytes; reported_at after 1970 and before year 10000.
 *  - a batch: at most 64 threads (more are clamped); threads = 0 calls
 *    running at once start at most hardware_concurrency() - 1 threads
 *    besides their calling threads, all together.
 *  - a case record (apply, supervise): at most 64 running clocks and 8
 *    departments on its decision's whistle list, as routing and the
 *    lifecycle make them.
 *  - a validation problem's message: at most 1 KiB; a catalogue analysis
 *    records at most 10,000 findings (all are counted) and compares rules
 *    of equal precedence, and rules citing one item, within a work limit
 *    (the pairs left are counted in overlap_pairs_not_examined).
 *  - an error message quotes at most 64 bytes of a value, cut at a UTF-8
 *    character boundary. */

/* ---- Memory ------------------------------------------------------------ */

/* Releases a buffer or string returned by this library. NULL is a no-op. */
JC_EXPORT void jc_free(void* p);

/* ---- Datasets ---------------------------------------------------------- */

/* Encodings of a jiceng.v1.Dataset. */
#define JC_FORMAT_AUTO 0   /* '{' first: JSON; UTF-8 text: text; else binary
                              (bytes without control characters that are
                              not UTF-8: text first, then binary) */
#define JC_FORMAT_BINARY 1 /* protobuf wire format */
#define JC_FORMAT_JSON 2   /* proto3 JSON mapping */
#define JC_FORMAT_TEXT 3   /* protobuf text format */

/* Validates a dataset without compiling it. On JC_OK, *out_report receives
 * a serialized jiceng.v1.ValidationReport listing every problem (its
 * error_count may be non-zero: the call succeeded, the dataset did not).
 * Returns JC_INVALID_ARGUMENT only when the bytes do not parse as a
 * dataset in `format`. */
JC_EXPORT jc_status jc_dataset_validate(const void* data, size_t size,
                                        int format, void** out_report,
                                        size_t* out_report_size,
                                        char** error_message);

/* The embedded sample dataset (Nanjing Luhe, 2026) as binary protobuf. */
JC_EXPORT jc_status jc_sample_dataset(void** out_data, size_t* out_size,
                                      char** error_message);

/* ---- Engines ----------------------------------------------------------- */

/* A dataset validated and compiled for lookups. Opaque; immutable. */
typedef struct jc_engine jc_engine;

/* Parses, validates and compiles a dataset. On JC_OK, *out_engine receives
 * a new engine (destroy it with jc_engine_destroy). An invalid dataset
 * gives JC_INVALID_ARGUMENT with a message counting the errors and naming
 * the first (use jc_dataset_validate for all of them); so do a snapshot's
 * bytes, with a message that says they are one (load them with
 * jc_engine_create_from_snapshot). */
JC_EXPORT jc_status jc_engine_create(const void* data, size_t size,
                                     int format, jc_engine** out_engine,
                                     char** error_message);

/* As jc_engine_create, reading the dataset from a file; JC_FORMAT_AUTO
 * picks the format from the file's extension, then its content.
 * JC_NOT_FOUND when the file does not exist, JC_PERMISSION_DENIED when
 * it may not be read. */
JC_EXPORT jc_status jc_engine_create_from_file(const char* path, int format,
                                               jc_engine** out_engine,
                                               char** error_message);

/* An engine compiled from the embedded sample dataset. */
JC_EXPORT jc_status jc_engine_create_sample(jc_engine** out_engine,
                                            char** error_message);

/* Destroys an engine. NULL is a no-op. */
JC_EXPORT void jc_engine_destroy(jc_engine* engine);

/* A serialized jiceng.v1.EngineInfo: the dataset's meta, counts per level
 * and kind, the calendar's range, memory used. */
JC_EXPORT jc_status jc_engine_info(const jc_engine* engine, void** out_info,
                                   size_t* out_info_size,
                                   char** error_message);

/* ---- Engine snapshots -------------------------------------------------- */

/* The engine's compiled structures as a snapshot: a versioned, checksummed
 * binary (not protobuf) that jc_engine_create_from_snapshot turns back into
 * an engine without parsing or compiling the dataset (a province of 500,000
 * grids loads in tens of milliseconds instead of seconds). The same dataset
 * always gives the same bytes. On JC_OK, *out_snapshot (free with jc_free)
 * and *out_size receive them. JC_UNIMPLEMENTED on a big-endian host. */
JC_EXPORT jc_status jc_engine_save_snapshot(const jc_engine* engine,
                                            void** out_snapshot,
                                            size_t* out_size,
                                            char** error_message);

/* As jc_engine_save_snapshot, into the caller's buffer (convention 10).
 * Each call builds the snapshot anew: ask for the size once. */
JC_EXPORT jc_status jc_engine_save_snapshot_into(const jc_engine* engine,
                                                 void* buffer, size_t capacity,
                                                 size_t* out_size,
                                                 char** error_message);

/* An engine from jc_engine_save_snapshot's bytes; it answers every call
 * exactly as the engine that saved it. The bytes are untrusted input and
 * are checked whole before use: JC_INVALID_ARGUMENT when they are not a
 * snapshot, come from another snapshot format version (re-create it from
 * the dataset), or break an index or invariant (the message names the
 * section and byte offset); JC_DATA_LOSS when truncated or the checksum
 * does not match. `data` is not retained. */
JC_EXPORT jc_status jc_engine_create_from_snapshot(const void* data,
                                                   size_t size,
                                                   jc_engine** out_engine,
                                                   char** error_message);

/* ---- Routing ----------------------------------------------------------- */

/* Flags of jc_engine_route and jc_engine_route_into (bitwise or). */
#define JC_ROUTE_EXPLAIN_TEXT 1u /* readable text on every trace step */

/* Routes one case: `case_data` is a serialized jiceng.v1.Case; on JC_OK,
 * *out_decision receives a serialized jiceng.v1.RoutingDecision (free it
 * with jc_free). JC_INVALID_ARGUMENT naming the field and value for a
 * case routing rejects (unknown matter or location, bad attribute,
 * urgency outside 0..4, ...) and for unknown flags; JC_OUT_OF_RANGE
 * naming the date when a deadline leaves the dataset's work calendar.
 * Deterministic: the same engine and case give the same bytes.
 *
 * Example:
 *   void* decision = NULL;
 *   size_t decision_size = 0;
 *   char* error = NULL;
 *   jc_status status = jc_engine_route(engine, case_bytes, case_size, 0,
 *                                      &decision, &decision_size, &error);
 *   if (status != JC_OK) {
 *     (e.g. "matter_code: unknown ..."; NULL when memory ran out)
 *     fprintf(stderr, "%s\n", error ? error : jc_status_name(status));
 *     jc_free(error);
 *   } else {
 *     ... parse jiceng.v1.RoutingDecision ...
 *     jc_free(decision);
 *   }
 */
JC_EXPORT jc_status jc_engine_route(const jc_engine* engine,
                                    const void* case_data, size_t case_size,
                                    uint32_t flags, void** out_decision,
                                    size_t* out_size, char** error_message);

/* As jc_engine_route, writing the decision into `buffer` (convention 10):
 * JC_BUFFER_TOO_SMALL with *out_size = the bytes needed when `capacity` is
 * too small. No heap allocation per call in steady state when flags is 0 and
 * the call succeeds (a failure allocates its error message).
 *
 * Example:
 *   unsigned char buffer[4096];
 *   size_t size = 0;
 *   jc_status s = jc_engine_route_into(engine, case_bytes, case_size, 0,
 *                                      buffer, sizeof buffer, &size, NULL);
 *   if (s == JC_BUFFER_TOO_SMALL) { ... allocate size bytes, call again ... }
 */
JC_EXPORT jc_status jc_engine_route_into(const jc_engine* engine,
                                         const void* case_data,
                                         size_t case_size, uint32_t flags,
                                         void* buffer, size_t capacity,
                                         size_t* out_size,
                                         char** error_message);

/* Routes a government-service application: a serialized
 * jiceng.v1.ServiceRequest in, a serialized jiceng.v1.ServiceDecision out
 * (who accepts, who approves, the village proxy, the deadlines).
 * JC_INVALID_ARGUMENT naming the field and value (unknown item, region or
 * centre); JC_OUT_OF_RANGE when a deadline leaves the calendar. A centre
 * outside the item's scope is not an error (accepted_here is false). */
JC_EXPORT jc_status jc_engine_route_service(const jc_engine* engine,
                                            const void* request_data,
                                            size_t request_size,
                                            void** out_decision,
                                            size_t* out_size,
                                            char** error_message);

/* As jc_engine_route_service, into the caller's buffer (convention 10). No
 * heap allocation per call in steady state when the call succeeds (a
 * failure allocates its error message). */
JC_EXPORT jc_status jc_engine_route_service_into(
    const jc_engine* engine, const void* request_data, size_t request_size,
    void* buffer, size_t capacity, size_t* out_size, char** error_message);

/* Routes a batch. `cases_stream` is a length-delimited stream of
 * jiceng.v1.Case (each a varint byte length, then the bytes: protobuf's
 * writeDelimitedTo); *out_stream receives a length-delimited stream of
 * jiceng.v1.BatchEntry, one per case in input order, each holding the
 * decision or that case's own error; a frame running past the end of the
 * input becomes a final error entry. `threads` counts the calling thread,
 * which always routes a part; never more are used than there are cases,
 * and more than 64 are clamped:
 *  - 0 (the bindings' default): up to the hardware's concurrency, shared
 *    by the whole process. The extra threads of all threads = 0 calls
 *    running at once never exceed hardware_concurrency() - 1, however many
 *    callers there are: a call takes what is free when it starts and gives
 *    it back when it returns, so that calls from many request threads at
 *    once do not oversubscribe the machine. A call that finds none free
 *    routes on the calling thread alone.
 *  - N >= 1: exactly N threads, whatever other calls use; its extra
 *    threads count as in use meanwhile, so that threads = 0 calls take
 *    only what it leaves free.
 * When the system will not start the threads, the calling thread routes
 * the whole batch. The bytes are identical for any thread count.
 * JC_INVALID_ARGUMENT only for a negative `threads` or the conventions'
 * argument errors. Decisions carry no explanation text. */
JC_EXPORT jc_status jc_engine_route_batch(const jc_engine* engine,
                                          const void* cases_stream,
                                          size_t size, int threads,
                                          void** out_stream, size_t* out_size,
                                          char** error_message);

/* As jc_engine_route_batch, with its options as a serialized
 * jiceng.v1.BatchOptions (`options_data` may be NULL when `options_size`
 * is 0: every default, i.e. jc_engine_route_batch with threads = 0):
 *  - threads, as jc_engine_route_batch's;
 *  - route.explain_text: readable text on every decision's trace steps;
 *  - first_index, first_byte: where `cases_stream` stands in a longer
 *    stream routed a part at a time (the index of its first case, the
 *    byte offset of its first frame). Entry indexes and the errors' case
 *    and frame numbers and byte offsets count from them, so that the
 *    parts' outputs, concatenated, are the bytes one call over the whole
 *    stream gives.
 * JC_INVALID_ARGUMENT naming the field for options that do not parse or a
 * negative threads, first_index or first_byte. Since 0.2.0. */
JC_EXPORT jc_status jc_engine_route_batch_with(
    const jc_engine* engine, const void* cases_stream, size_t size,
    const void* options_data, size_t options_size, void** out_stream,
    size_t* out_size, char** error_message);

/* What-if: routes every case of `cases_stream` (as in
 * jc_engine_route_batch) on `before` and on `after`; *out_report receives
 * a serialized jiceng.v1.DiffReport listing the cases whose outcome, lead,
 * tier, co-handlers, supervisor, enforcement mode, deadlines, escalation,
 * whistle list or error change (CaseDiff.changed), with both decisions and
 * the explanation steps that differ (CaseDiff.changed_steps). As in a batch,
 * one bad case does not stop it: a frame that is not a jiceng.v1.Case is listed
 * in the report's `unread` with its index and error ("case I: ..."), and a
 * frame that runs past the end of the stream is listed there too ("frame I at
 * byte B ...") and ends the stream; the report's `cases` counts the cases
 * routed. The cases are read one at a time: memory grows with the report, not
 * with the stream. A report above INT_MAX bytes (what a protobuf message holds)
 * gives JC_RESOURCE_EXHAUSTED: diff such a workload in parts. `before` may
 * equal `after`. */
JC_EXPORT jc_status jc_engine_diff(const jc_engine* before,
                                   const jc_engine* after,
                                   const void* cases_stream, size_t size,
                                   void** out_report, size_t* out_size,
                                   char** error_message);

/* ---- Responsibility catalogue ------------------------------------------ */

/* Reviews a proposed duty for a township or village (准入审查): a
 * serialized jiceng.v1.AdmissionRequest in, a serialized
 * jiceng.v1.AdmissionDecision out (the verdict and its reasons). A request
 * without a date is reviewed on the dataset's effective date (else the
 * calendar's first day). JC_INVALID_ARGUMENT naming the field and value
 * for a malformed request. */
JC_EXPORT jc_status jc_engine_review_admission(const jc_engine* engine,
                                               const void* request_data,
                                               size_t request_size,
                                               void** out_decision,
                                               size_t* out_size,
                                               char** error_message);

/* Analyses the responsibility catalogue as of the dataset's effective
 * date (else the calendar's first day): a serialized
 * jiceng.v1.CatalogueAnalysis (overlaps, gaps, findings with counts). */
JC_EXPORT jc_status jc_engine_analyze(const jc_engine* engine,
                                      void** out_analysis, size_t* out_size,
                                      char** error_message);

/* ---- The closed loop: case lifecycle, supervision, assessment ---------- */

/* Moves a case record one step (DOMAIN.md §4: receive, register, dispatch,
 * sign for, handle, feed back, verify, close, evaluate, and the side
 * actions: return, reassign, urge, extend, park, reopen, merge, withdraw,
 * whistle, ...): a serialized jiceng.v1.ApplyRequest {record, action, now}
 * in, the serialized jiceng.v1.CaseRecord after the action out. Pure: the
 * caller stores the record returned. A refused action gives
 * JC_FAILED_PRECONDITION naming the rule broken (wrong state, wrong actor,
 * ...); a malformed action JC_INVALID_ARGUMENT; a deadline outside the
 * work calendar JC_OUT_OF_RANGE. */
JC_EXPORT jc_status jc_engine_apply(const jc_engine* engine,
                                    const void* request_data,
                                    size_t request_size, void** out_record,
                                    size_t* out_size, char** error_message);

/* Checks a record's clocks at a moment: a serialized
 * jiceng.v1.SuperviseRequest {record, now} in, a serialized
 * jiceng.v1.SupervisionReport out (what is overdue or nearly so, whether
 * to urge, whom to escalate to). JC_OUT_OF_RANGE when `now` or a due time
 * lies outside the work calendar. */
JC_EXPORT jc_status jc_engine_supervise(const jc_engine* engine,
                                        const void* request_data,
                                        size_t request_size,
                                        void** out_report, size_t* out_size,
                                        char** error_message);

/* Assesses a period's case records (考核评价): a serialized
 * jiceng.v1.AssessRequest in, a serialized jiceng.v1.AssessmentReport out
 * (figures per unit and per region rolled up the hierarchy, weighted
 * scores). JC_INVALID_ARGUMENT naming the field for a bad period, weights
 * or rating. */
JC_EXPORT jc_status jc_engine_assess(const jc_engine* engine,
                                     const void* request_data,
                                     size_t request_size, void** out_report,
                                     size_t* out_size, char** error_message);

/* An assessment fed its records a batch at a time (since 0.4.0): the report
 * jc_engine_assess gives, without one AssessRequest holding every record
 * (a record store of millions of cases, read a part at a time). Opaque;
 * unlike an engine it changes as records are added, so one thread at a
 * time may use it (different assessments may run on different threads
 * over one engine). It refers to its engine: destroy it before the
 * engine.
 *
 * Example:
 *   jc_assessment* a = NULL;
 *   jc_status s = jc_assessment_start(engine, settings, settings_size, &a,
 *                                     &error);
 *   while (s == JC_OK && (n = read_some_records(buf, sizeof buf)) > 0) {
 *     s = jc_assessment_add(a, buf, n, &error);  (whole frames each time)
 *   }
 *   if (s == JC_OK) s = jc_assessment_finish(a, &report, &report_size,
 *                                           &error);
 *   jc_assessment_destroy(a);
 */
typedef struct jc_assessment jc_assessment;

/* Starts an assessment: `settings` is a serialized jiceng.v1.AssessRequest
 * without records (period, as_of, limits, weights). On JC_OK,
 * *out_assessment receives it (destroy it with jc_assessment_destroy).
 * JC_INVALID_ARGUMENT as jc_engine_assess for bad settings, and when the
 * request holds records ("records: ... give them to jc_assessment_add"). */
JC_EXPORT jc_status jc_assessment_start(const jc_engine* engine,
                                        const void* settings_data,
                                        size_t settings_size,
                                        jc_assessment** out_assessment,
                                        char** error_message);

/* Adds records: `records_stream` is a length-delimited stream of
 * serialized jiceng.v1.CaseRecord (each a varint byte length, then the
 * bytes; none when `size` is 0), taken in order as AssessRequest.records
 * would be. Errors name the record by its place among all the records
 * added ("records[12345] (case C-17) ratings[0].score: ..."), as
 * jc_engine_assess would; a frame cut short is also named by its place in
 * this call's stream ("records[12345]: in this call's records_stream,
 * frame 3 at byte 960 declares ..."). A call that fails on its arguments
 * (NULL, more than JC_MAX_INPUT_BYTES) adds nothing and changes nothing.
 * One that fails on a record — a frame cut short, bytes that are not a CaseRecord,
 * a problem jc_engine_assess would report — has added the records before
 * it, and leaves the assessment failed: later add and finish calls return
 * the same status and message. After jc_assessment_finish:
 * JC_FAILED_PRECONDITION. */
JC_EXPORT jc_status jc_assessment_add(jc_assessment* assessment,
                                      const void* records_stream, size_t size,
                                      char** error_message);

/* Finishes: *out_report receives the serialized jiceng.v1.AssessmentReport
 * of every record added, the bytes jc_engine_assess gives for the
 * settings with those records. The assessment is spent, whatever the
 * status: later add and finish calls give JC_FAILED_PRECONDITION (a
 * NULL `out_report` or `out_size` gives JC_INVALID_ARGUMENT and spends
 * nothing). Destroy it as before. */
JC_EXPORT jc_status jc_assessment_finish(jc_assessment* assessment,
                                         void** out_report, size_t* out_size,
                                         char** error_message);

/* Destroys an assessment, finished or not. NULL is a no-op. */
JC_EXPORT void jc_assessment_destroy(jc_assessment* assessment);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* JICENG_JICENG_H_ */
