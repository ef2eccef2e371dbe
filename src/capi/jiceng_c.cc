// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0
//
// The C ABI over the C++ core. Every entry point runs its body through
// Guard(), which turns any exception (std::bad_alloc above all) into a
// status, so that nothing but a jc_status crosses the boundary. Outputs are
// written only after everything that can fail has succeeded.

#include <climits>
#include <cstdlib>
#include <cstring>
#include <initializer_list>
#include <memory>
#include <new>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/attributes.h"
#include "absl/cleanup/cleanup.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/message_lite.h"
#include "jiceng/jiceng.h"
#include "jiceng/v1/admission.pb.h"
#include "jiceng/v1/analysis.pb.h"
#include "jiceng/v1/assessment.pb.h"
#include "jiceng/v1/lifecycle.pb.h"
#include "jiceng/v1/routing.pb.h"
#include "src/assessment/assess.h"
#include "src/base/status_macros.h"
#include "src/base/utf8.h"
#include "src/catalogue/admission.h"
#include "src/catalogue/analysis.h"
#include "src/dataset/dataset_io.h"
#include "src/dataset/validate.h"
#include "src/dataset/wire_check.h"
#include "src/engine/engine.h"
#include "src/lifecycle/lifecycle.h"
#include "src/lifecycle/supervise.h"
#include "src/routing/batch.h"
#include "src/routing/case_wire.h"
#include "src/routing/router.h"
#include "src/routing/service_router.h"
#include "src/routing/wire.h"
#include "src/sample/sample_dataset.h"

// protobuf parses at most INT_MAX bytes (TOOLCHAIN pitfall 8); the limit
// checked before every parse keeps inputs below it.
static_assert(JC_MAX_INPUT_BYTES <= static_cast<size_t>(INT_MAX),
              "JC_MAX_INPUT_BYTES must not exceed what protobuf parses");

struct jc_engine {
  explicit jc_engine(std::unique_ptr<const jiceng::Engine> e)
      : engine(std::move(e)), lifecycle(*engine) {}
  // The lifecycle's router routes the jc_engine_route* calls too.
  const jiceng::Router& router() const { return lifecycle.router(); }

  std::unique_ptr<const jiceng::Engine> engine;
  const jiceng::Lifecycle lifecycle;  // refers to *engine
};

// jc_assessment_*: an AssessmentStream and where it stands. `stream` is
// empty once finished.
struct jc_assessment {
  explicit jc_assessment(jiceng::AssessmentStream s) : stream(std::move(s)) {}

  enum class State {
    kOpen,
    kFailed,       // `failure` says why; add and finish repeat it
    kOutOfMemory,  // an add ran out of memory, a record maybe half counted
    kBroken,       // an add stopped on another exception, likewise
    kFinished,
  };
  std::optional<jiceng::AssessmentStream> stream;
  State state = State::kOpen;
  absl::Status failure;
  int64_t added = 0;              // records given to the stream so far
  jiceng::v1::CaseRecord record;  // reused by every add
};

namespace {

using jiceng::DatasetFormat;
namespace v1 = jiceng::v1;

// malloc'd copy of a message, or nullptr when out of memory.
char* CopyString(absl::string_view s) {
  char* p = static_cast<char*>(std::malloc(s.size() + 1));
  if (p == nullptr) return nullptr;
  std::memcpy(p, s.data(), s.size());
  p[s.size()] = '\0';
  return p;
}

// Messages are UTF-8 (convention 5) even when they quote input that is not
// (a parser naming a bad token): such bytes are written as \xNN.
jc_status Fail(char** error_message, jc_status code, absl::string_view msg) {
  if (error_message == nullptr) return code;
  if (jiceng::IsValidUtf8(msg)) {
    *error_message = CopyString(msg);
    return code;
  }
  try {
    *error_message = CopyString(jiceng::EscapeInvalidUtf8(msg));
  } catch (const std::bad_alloc&) {
    *error_message = CopyString("(an error message that was not UTF-8)");
  }
  return code;
}

jc_status FromStatus(const absl::Status& status, char** error_message) {
  if (status.ok()) {
    if (error_message != nullptr) *error_message = nullptr;
    return JC_OK;
  }
  return Fail(error_message, static_cast<jc_status>(status.code()),
              status.message());
}

template <typename F>
jc_status Guard(char** error_message, F&& body) {
  try {
    return FromStatus(body(), error_message);
  } catch (const std::bad_alloc&) {
    return Fail(error_message, JC_RESOURCE_EXHAUSTED,
                "out of memory inside jiceng");
  } catch (const std::exception& e) {
    // Building the message allocates, and may throw in turn: nothing may
    // leave a jc_* function.
    try {
      return Fail(error_message, JC_INTERNAL,
                  absl::StrCat("internal error: ", e.what()));
    } catch (...) {
      return Fail(error_message, JC_INTERNAL, "internal error");
    }
  } catch (...) {
    return Fail(error_message, JC_INTERNAL, "internal error");
  }
}

absl::Status CheckInput(const void* data, size_t size, const char* name) {
  if (data == nullptr && size != 0) {
    return absl::InvalidArgumentError(
        absl::StrCat(name, " is NULL but its size is ", size));
  }
  if (size > JC_MAX_INPUT_BYTES) {
    return absl::ResourceExhaustedError(
        absl::StrCat(name, " of ", size, " bytes exceeds JC_MAX_INPUT_BYTES (",
                     JC_MAX_INPUT_BYTES, ")"));
  }
  return absl::OkStatus();
}

absl::StatusOr<DatasetFormat> ToFormat(int format) {
  switch (format) {
    case JC_FORMAT_AUTO:
      return DatasetFormat::kAuto;
    case JC_FORMAT_BINARY:
      return DatasetFormat::kBinary;
    case JC_FORMAT_JSON:
      return DatasetFormat::kJson;
    case JC_FORMAT_TEXT:
      return DatasetFormat::kText;
    default:
      return absl::InvalidArgumentError(
          absl::StrCat("format: unknown value ", format,
                       " (expected JC_FORMAT_AUTO, _BINARY, _JSON or _TEXT)"));
  }
}

// protobuf serializes at most INT_MAX bytes (TOOLCHAIN pitfall 8): a
// larger result (a diff report over a huge workload, say) is refused
// naming its size, instead of protobuf's log line and a failed call.
absl::Status CheckResultSize(size_t size) {
  if (size <= static_cast<size_t>(INT_MAX)) return absl::OkStatus();
  return absl::ResourceExhaustedError(
      absl::StrCat("the result would be ", size,
                   " bytes, more than a protobuf message holds (", INT_MAX,
                   "); give the call less input at a time"));
}

// Serializes into a malloc'd buffer; writes the outputs only on success.
absl::Status Emit(const google::protobuf::MessageLite& message, void** out,
                  size_t* out_size) {
  const size_t size = message.ByteSizeLong();
  JC_RETURN_IF_ERROR(CheckResultSize(size));
  void* buf = std::malloc(size == 0 ? 1 : size);
  if (buf == nullptr) throw std::bad_alloc();
  if (!message.SerializeToArray(buf, static_cast<int>(size))) {
    std::free(buf);
    return absl::InternalError("could not serialize the result");
  }
  *out = buf;
  *out_size = size;
  return absl::OkStatus();
}

absl::Status Publish(absl::StatusOr<std::unique_ptr<const jiceng::Engine>> e,
                     jc_engine** out_engine) {
  if (!e.ok()) return e.status();
  auto* handle = new jc_engine(std::move(*e));
  *out_engine = handle;
  return absl::OkStatus();
}

// INVALID_ARGUMENT naming the pointer arguments that are NULL ("out_info
// must not be NULL", "engine and out_size must not be NULL"), else OK:
// the message names only the arguments that are wrong.
struct Pointer {
  const char* name;
  const void* value;
};
absl::Status NonNull(std::initializer_list<Pointer> pointers) {
  std::vector<const char*> null;
  for (const Pointer& p : pointers) {
    if (p.value == nullptr) null.push_back(p.name);
  }
  if (null.empty()) return absl::OkStatus();
  std::string names;
  for (size_t i = 0; i < null.size(); ++i) {
    absl::StrAppend(&names,
                    i == 0                 ? ""
                    : i + 1 == null.size() ? " and "
                                           : ", ",
                    null[i]);
  }
  return absl::InvalidArgumentError(absl::StrCat(names, " must not be NULL"));
}

// Where a result goes: a new malloc'd buffer (the plain entry points) or
// the caller's buffer (the *_into variants, convention 10).
class Output {
 public:
  // `name` is the out argument's name, for messages.
  static Output Library(void** out, size_t* out_size, const char* name) {
    return Output(true, out, nullptr, 0, out_size, name);
  }
  static Output Caller(void* buffer, size_t capacity, size_t* out_size) {
    return Output(false, nullptr, buffer, capacity, out_size, "buffer");
  }

  // INVALID_ARGUMENT for NULL outputs; checked before any work.
  absl::Status Check() const {
    if (out_size_ == nullptr) {
      return absl::InvalidArgumentError("out_size must not be NULL");
    }
    if (library_buffer_) {
      if (out_ != nullptr) return absl::OkStatus();
      return absl::InvalidArgumentError(
          absl::StrCat(name_, " must not be NULL"));
    }
    if (buffer_ == nullptr && capacity_ != 0) {
      return absl::InvalidArgumentError(absl::StrCat(
          "buffer is NULL but its capacity is ", capacity_));
    }
    return absl::OkStatus();
  }

  // Serializes `message`. Into a caller's buffer that is too small:
  // TooSmall(), *out_size = the size needed, the buffer untouched.
  absl::Status Write(const google::protobuf::MessageLite& message) const {
    if (library_buffer_) return Emit(message, out_, out_size_);
    const size_t size = message.ByteSizeLong();
    JC_RETURN_IF_ERROR(CheckResultSize(size));
    if (size > capacity_) return TooSmall(size);
    // ByteSizeLong cached the sizes: serialize without recomputing them.
    message.SerializeWithCachedSizesToArray(static_cast<uint8_t*>(buffer_));
    *out_size_ = size;
    return absl::OkStatus();
  }

  // Copies already serialized bytes, with Write's buffer rules.
  absl::Status WriteBytes(absl::string_view bytes) const {
    if (library_buffer_) {
      void* buf = std::malloc(bytes.empty() ? 1 : bytes.size());
      if (buf == nullptr) throw std::bad_alloc();
      if (!bytes.empty()) std::memcpy(buf, bytes.data(), bytes.size());
      *out_ = buf;
      *out_size_ = bytes.size();
      return absl::OkStatus();
    }
    if (bytes.size() > capacity_) return TooSmall(bytes.size());
    if (!bytes.empty()) std::memcpy(buffer_, bytes.data(), bytes.size());
    *out_size_ = bytes.size();
    return absl::OkStatus();
  }

  // The status of an *_into call that returned `status`: JC_BUFFER_TOO_SMALL
  // when the result did not fit (absl::StatusCode has no such code, so
  // Write reports it through too_small_), else `status` unchanged.
  jc_status Into(jc_status status) const {
    return too_small_ ? JC_BUFFER_TOO_SMALL : status;
  }

 private:
  Output(bool library_buffer, void** out, void* buffer, size_t capacity,
         size_t* out_size, const char* name)
      : library_buffer_(library_buffer),
        out_(out),
        buffer_(buffer),
        capacity_(capacity),
        out_size_(out_size),
        name_(name) {}

  // The result of `needed` bytes does not fit the caller's buffer: sets
  // *out_size and too_small_ (see Into), the buffer untouched.
  absl::Status TooSmall(size_t needed) const {
    *out_size_ = needed;
    too_small_ = true;
    return absl::OutOfRangeError(absl::StrCat(
        "buffer of ", capacity_, " bytes is too small: the result needs ",
        needed, " (written to *out_size)"));
  }

  bool library_buffer_;
  void** out_;     // library buffer: receives it
  void* buffer_;   // caller's buffer
  size_t capacity_;
  size_t* out_size_;
  const char* name_;
  mutable bool too_small_ = false;
};

// Parses `size` bytes at `data` into `message`, after the conventions' checks;
// `name` is the argument's name for messages. The wire is checked first
// (ParseMessage): an error names the field, and protobuf logs nothing.
template <typename M>
absl::Status ParseInput(const void* data, size_t size, const char* name,
                        M* message) {
  absl::Status input = CheckInput(data, size, name);
  if (!input.ok()) return input;
  return jiceng::ParseMessage(
      absl::string_view(static_cast<const char*>(data), size), message, name);
}

absl::Status NeedEngine(const jc_engine* engine, const char* name) {
  if (engine == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat(name, " must not be NULL"));
  }
  return absl::OkStatus();
}

// A request/response entry point that is not on the hot path: checks the
// engine and the output, parses a `Request`, calls `fn(engine, request)`
// (returning absl::StatusOr<Response>), writes the response.
template <typename Request, typename Fn>
absl::Status Serve(const jc_engine* engine, const void* data, size_t size,
                   const char* name, const Output& out, Fn&& fn) {
  absl::Status s = NeedEngine(engine, "engine");
  if (s.ok()) s = out.Check();
  if (!s.ok()) return s;
  Request request;
  s = ParseInput(data, size, name, &request);
  if (!s.ok()) return s;
  auto response = fn(*engine, request);
  if (!response.ok()) return response.status();
  return out.Write(*response);
}

// Per-thread scratch of the routing entry points (TOOLCHAIN pitfall 5: a
// message reused per thread beats a fresh one per call): the input,
// re-parsed in place (a message's Clear() keeps its strings' capacity and
// its repeated elements, a case view's lists keep their room, so
// re-parsing allocates nothing once the thread has seen one as large), the
// result, and the decision's wire bytes in a buffer whose capacity is kept
// likewise (and which, unlike a string, is not zero-filled when it grows).
// One per thread for each (Input, Result): cases (CaseView of the caller's
// bytes, RouteResult) and service requests (v1::ServiceRequest,
// ServiceResult).
template <typename Input, typename Result>
class Scratch {
 public:
  Scratch() = default;
  Scratch(const Scratch&) = delete;
  Scratch& operator=(const Scratch&) = delete;

  Input& input() { return input_; }
  Result& result() { return result_; }
  // Cleared per call, its capacity kept.
  jiceng::ByteBuffer& decision_bytes() { return decision_bytes_; }

  // What a call may leave behind. The scratch lives as long as its thread,
  // so what one large call grew would stay with every thread of a pool
  // that ever saw one (a case with megabytes of free text, say): after a
  // call whose input was larger than this, the input message is dropped,
  // and so is an output buffer grown past it. Ordinary calls keep both.
  static constexpr size_t kKeepBytes = size_t{64} << 10;

  // Call at the end of every call that parsed `input_bytes` into input().
  void Trim(size_t input_bytes) {
    if (input_bytes > kKeepBytes) Release(&input_);
    if (decision_bytes_.capacity() > kKeepBytes) {
      decision_bytes_ = jiceng::ByteBuffer();
    }
  }

  // Out of line: inlined, the compiler recomputes the thread-local
  // address (a __tls_get_addr call in a shared library) at every use
  // after a call instead of keeping it.
  ABSL_ATTRIBUTE_NOINLINE static Scratch& ForThisThread() {
    thread_local Scratch scratch;
    return scratch;
  }

 private:
  static void Release(jiceng::CaseView* c) { c->Reset(); }
  static void Release(v1::ServiceRequest* r) { *r = v1::ServiceRequest(); }

  Input input_;
  Result result_;
  jiceng::ByteBuffer decision_bytes_;
};
using RouteScratch = Scratch<jiceng::CaseView, jiceng::RouteResult>;
using ServiceScratch = Scratch<v1::ServiceRequest, jiceng::ServiceResult>;

const v1::RouteOptions& RouteOptionsFor(uint32_t flags) {
  static const v1::RouteOptions* const kPlain = new v1::RouteOptions();
  static const v1::RouteOptions* const kExplain = [] {
    auto* o = new v1::RouteOptions();
    o->set_explain_text(true);
    return o;
  }();
  return (flags & JC_ROUTE_EXPLAIN_TEXT) != 0 ? *kExplain : *kPlain;
}

// jc_engine_route and jc_engine_route_into.
absl::Status RouteOne(const jc_engine* engine, const void* case_data,
                      size_t case_size, uint32_t flags, const Output& out) {
  absl::Status s = NeedEngine(engine, "engine");
  if (s.ok()) s = out.Check();
  if (!s.ok()) return s;
  if ((flags & ~uint32_t{JC_ROUTE_EXPLAIN_TEXT}) != 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("flags: unknown bits 0x",
                     absl::Hex(flags & ~uint32_t{JC_ROUTE_EXPLAIN_TEXT}),
                     " (known: JC_ROUTE_EXPLAIN_TEXT)"));
  }
  s = CheckInput(case_data, case_size, "case_data");
  if (!s.ok()) return s;
  RouteScratch& scratch = RouteScratch::ForThisThread();
  const absl::Cleanup trim = [&scratch, case_size] { scratch.Trim(case_size); };
  jiceng::CaseView& c = scratch.input();
  // The hand-written reader: it accepts and refuses exactly what
  // ParseFromArray does (tests/case_wire_test.cc), at a fraction of the
  // cost, and views the caller's bytes instead of copying them.
  const absl::string_view input(static_cast<const char*>(case_data),
                                case_size);
  if (!jiceng::ParseCase(input, &c)) {
    // Named by the wire check (the offset and the field path).
    if (!jiceng::WireFormatPasses(input, jiceng::WireLayoutOf<v1::Case>())) {
      return jiceng::WireError(input, *v1::Case::descriptor(),
                               "case_data: jiceng.v1.Case");
    }
    return absl::InvalidArgumentError(absl::StrCat(
        "case_data: ", case_size,
        " bytes that are not a serialized jiceng.v1.Case"));
  }
  s = engine->router().Route(c, &scratch.result());
  if (!s.ok()) return s;
  // The decision's bytes straight from the result (the batch's writer, the
  // same bytes as ToProto + SerializeToString — router_differential_test):
  // no message is built, and the reused string allocates only while it
  // grows (and for explanation text).
  jiceng::ByteBuffer& bytes = scratch.decision_bytes();
  bytes.Clear();
  {
    jiceng::WireWriter w(&bytes);
    engine->router().AppendDecision(c, scratch.result(),
                                    RouteOptionsFor(flags), &w);
  }
  return out.WriteBytes(bytes.view());
}

absl::Status SaveSnapshot(const jc_engine* engine, const Output& out) {
  if (engine == nullptr) {
    return absl::InvalidArgumentError("engine must not be NULL");
  }
  JC_RETURN_IF_ERROR(out.Check());
  absl::StatusOr<std::string> bytes = engine->engine->SaveSnapshot();
  if (!bytes.ok()) return bytes.status();
  return out.WriteBytes(*bytes);
}

// jc_engine_route_service and jc_engine_route_service_into: the decision's
// bytes written straight from the result (AppendServiceDecision, the bytes
// RouteService's message serializes to): nothing is allocated in steady
// state but the library's output block.
absl::Status RouteServiceOne(const jc_engine* engine, const void* request_data,
                             size_t request_size, const Output& out) {
  absl::Status s = NeedEngine(engine, "engine");
  if (s.ok()) s = out.Check();
  if (!s.ok()) return s;
  ServiceScratch& scratch = ServiceScratch::ForThisThread();
  const absl::Cleanup trim = [&scratch, request_size] {
    scratch.Trim(request_size);
  };
  s = ParseInput(request_data, request_size, "request_data",
                 &scratch.input());
  if (!s.ok()) return s;
  s = jiceng::RouteService(*engine->engine, scratch.input(),
                           &scratch.result());
  if (!s.ok()) return s;
  jiceng::ByteBuffer& bytes = scratch.decision_bytes();
  bytes.Clear();
  {
    jiceng::WireWriter w(&bytes);
    jiceng::AppendServiceDecision(*engine->engine, scratch.input(),
                                  scratch.result(), &w);
  }
  return out.WriteBytes(bytes.view());
}

}  // namespace

extern "C" {

uint32_t jc_version_number(void) { return JC_VERSION_NUMBER; }

const char* jc_version_string(void) { return JICENG_VERSION_STRING; }

int jc_abi_version(void) { return JC_ABI_VERSION; }

const char* jc_status_name(jc_status status) {
  if (status == JC_BUFFER_TOO_SMALL) return "BUFFER_TOO_SMALL";
  if (status < 0 || status > JC_UNAUTHENTICATED) return "UNKNOWN_STATUS";
  static const char* const kNames[] = {
      "OK",          "CANCELLED",         "UNKNOWN",
      "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND",
      "ALREADY_EXISTS",   "PERMISSION_DENIED", "RESOURCE_EXHAUSTED",
      "FAILED_PRECONDITION", "ABORTED",       "OUT_OF_RANGE",
      "UNIMPLEMENTED",    "INTERNAL",          "UNAVAILABLE",
      "DATA_LOSS",        "UNAUTHENTICATED"};
  return kNames[status];
}

void jc_free(void* p) { std::free(p); }

jc_status jc_dataset_validate(const void* data, size_t size, int format,
                              void** out_report, size_t* out_report_size,
                              char** error_message) {
  return Guard(error_message, [&]() -> absl::Status {
    JC_RETURN_IF_ERROR(NonNull(
        {{"out_report", out_report}, {"out_report_size", out_report_size}}));
    absl::Status input = CheckInput(data, size, "data");
    if (!input.ok()) return input;
    absl::StatusOr<DatasetFormat> f = ToFormat(format);
    if (!f.ok()) return f.status();
    absl::StatusOr<jiceng::v1::Dataset> dataset = jiceng::ParseDataset(
        absl::string_view(static_cast<const char*>(data), size), *f);
    if (!dataset.ok()) return dataset.status();
    jiceng::v1::ValidationReport report =
        jiceng::ValidateDataset(*dataset).TakeReport();
    return Emit(report, out_report, out_report_size);
  });
}

jc_status jc_sample_dataset(void** out_data, size_t* out_size,
                            char** error_message) {
  return Guard(error_message, [&]() -> absl::Status {
    JC_RETURN_IF_ERROR(
        NonNull({{"out_data", out_data}, {"out_size", out_size}}));
    absl::string_view bytes = jiceng::SampleDatasetBinary();
    void* buf = std::malloc(bytes.size());
    if (buf == nullptr) throw std::bad_alloc();
    std::memcpy(buf, bytes.data(), bytes.size());
    *out_data = buf;
    *out_size = bytes.size();
    return absl::OkStatus();
  });
}

jc_status jc_engine_create(const void* data, size_t size, int format,
                           jc_engine** out_engine, char** error_message) {
  return Guard(error_message, [&]() -> absl::Status {
    if (out_engine == nullptr) {
      return absl::InvalidArgumentError("out_engine must not be NULL");
    }
    absl::Status input = CheckInput(data, size, "data");
    if (!input.ok()) return input;
    absl::StatusOr<DatasetFormat> f = ToFormat(format);
    if (!f.ok()) return f.status();
    return Publish(
        jiceng::Engine::Load(
            absl::string_view(static_cast<const char*>(data), size), *f),
        out_engine);
  });
}

jc_status jc_engine_create_from_file(const char* path, int format,
                                     jc_engine** out_engine,
                                     char** error_message) {
  return Guard(error_message, [&]() -> absl::Status {
    JC_RETURN_IF_ERROR(NonNull({{"path", path}, {"out_engine", out_engine}}));
    absl::StatusOr<DatasetFormat> f = ToFormat(format);
    if (!f.ok()) return f.status();
    absl::StatusOr<jiceng::v1::Dataset> dataset =
        jiceng::ReadDatasetFile(path, *f);
    if (!dataset.ok()) return dataset.status();
    return Publish(jiceng::Engine::Compile(*dataset), out_engine);
  });
}

jc_status jc_engine_create_sample(jc_engine** out_engine,
                                  char** error_message) {
  return Guard(error_message, [&]() -> absl::Status {
    if (out_engine == nullptr) {
      return absl::InvalidArgumentError("out_engine must not be NULL");
    }
    return Publish(jiceng::Engine::Load(jiceng::SampleDatasetBinary(),
                                        DatasetFormat::kBinary),
                   out_engine);
  });
}

void jc_engine_destroy(jc_engine* engine) { delete engine; }

jc_status jc_engine_info(const jc_engine* engine, void** out_info,
                         size_t* out_info_size, char** error_message) {
  return Guard(error_message, [&]() -> absl::Status {
    JC_RETURN_IF_ERROR(NonNull({{"engine", engine},
                                {"out_info", out_info},
                                {"out_info_size", out_info_size}}));
    return Emit(engine->engine->Info(), out_info, out_info_size);
  });
}

jc_status jc_engine_save_snapshot(const jc_engine* engine,
                                  void** out_snapshot, size_t* out_size,
                                  char** error_message) {
  return Guard(error_message, [&]() -> absl::Status {
    return SaveSnapshot(
        engine, Output::Library(out_snapshot, out_size, "out_snapshot"));
  });
}

jc_status jc_engine_save_snapshot_into(const jc_engine* engine, void* buffer,
                                       size_t capacity, size_t* out_size,
                                       char** error_message) {
  const Output out = Output::Caller(buffer, capacity, out_size);
  return out.Into(Guard(error_message, [&]() -> absl::Status {
    return SaveSnapshot(engine, out);
  }));
}

jc_status jc_engine_create_from_snapshot(const void* data, size_t size,
                                         jc_engine** out_engine,
                                         char** error_message) {
  return Guard(error_message, [&]() -> absl::Status {
    if (out_engine == nullptr) {
      return absl::InvalidArgumentError("out_engine must not be NULL");
    }
    JC_RETURN_IF_ERROR(CheckInput(data, size, "data"));
    return Publish(jiceng::Engine::LoadSnapshot(absl::string_view(
                       static_cast<const char*>(data), size)),
                   out_engine);
  });
}

jc_status jc_engine_route(const jc_engine* engine, const void* case_data,
                          size_t case_size, uint32_t flags,
                          void** out_decision, size_t* out_size,
                          char** error_message) {
  return Guard(error_message, [&]() -> absl::Status {
    return RouteOne(engine, case_data, case_size, flags,
                    Output::Library(out_decision, out_size, "out_decision"));
  });
}

jc_status jc_engine_route_into(const jc_engine* engine, const void* case_data,
                               size_t case_size, uint32_t flags, void* buffer,
                               size_t capacity, size_t* out_size,
                               char** error_message) {
  const Output out = Output::Caller(buffer, capacity, out_size);
  return out.Into(Guard(error_message, [&]() -> absl::Status {
    return RouteOne(engine, case_data, case_size, flags, out);
  }));
}

jc_status jc_engine_route_service(const jc_engine* engine,
                                  const void* request_data,
                                  size_t request_size, void** out_decision,
                                  size_t* out_size, char** error_message) {
  return Guard(error_message, [&]() -> absl::Status {
    return RouteServiceOne(
        engine, request_data, request_size,
        Output::Library(out_decision, out_size, "out_decision"));
  });
}

jc_status jc_engine_route_service_into(const jc_engine* engine,
                                       const void* request_data,
                                       size_t request_size, void* buffer,
                                       size_t capacity, size_t* out_size,
                                       char** error_message) {
  const Output out = Output::Caller(buffer, capacity, out_size);
  return out.Into(Guard(error_message, [&]() -> absl::Status {
    return RouteServiceOne(engine, request_data, request_size, out);
  }));
}

}  // extern "C"

// Outside extern "C": a C++ function returning a C++ type.
namespace {

// jc_engine_route_batch and _with: routes `cases_stream` with `options`
// into a library buffer handed over to the caller.
absl::Status RouteBatchInto(const jc_engine* engine, const void* cases_stream,
                            size_t size, const jiceng::BatchOptions& options,
                            void** out_stream, size_t* out_size) {
  JC_RETURN_IF_ERROR(NonNull({{"engine", engine},
                              {"out_stream", out_stream},
                              {"out_size", out_size}}));
  if (options.threads < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("threads: ", options.threads,
                     " (0 for the hardware's concurrency, or more)"));
  }
  JC_RETURN_IF_ERROR(CheckInput(cases_stream, size, "cases_stream"));
  // The output's malloc'd block is handed over as it is (jc_free is free):
  // no copy of what may be hundreds of megabytes.
  jiceng::ByteBuffer stream;
  JC_RETURN_IF_ERROR(jiceng::RouteBatch(
      engine->router(),
      absl::string_view(static_cast<const char*>(cases_stream), size),
      options, &stream));
  if (stream.empty()) stream.Reserve(1);  // a valid pointer to free
  *out_size = stream.size();
  *out_stream = stream.Release();
  return absl::OkStatus();
}

}  // namespace

extern "C" {

jc_status jc_engine_route_batch(const jc_engine* engine,
                                const void* cases_stream, size_t size,
                                int threads, void** out_stream,
                                size_t* out_size, char** error_message) {
  return Guard(error_message, [&]() -> absl::Status {
    jiceng::BatchOptions options;
    options.threads = threads;  // 0: the process-wide budget (batch.h)
    return RouteBatchInto(engine, cases_stream, size, options, out_stream,
                          out_size);
  });
}

jc_status jc_engine_route_batch_with(const jc_engine* engine,
                                     const void* cases_stream, size_t size,
                                     const void* options_data,
                                     size_t options_size, void** out_stream,
                                     size_t* out_size, char** error_message) {
  return Guard(error_message, [&]() -> absl::Status {
    v1::BatchOptions given;
    JC_RETURN_IF_ERROR(
        ParseInput(options_data, options_size, "options_data", &given));
    if (given.first_index() < 0 || given.first_byte() < 0) {
      return absl::InvalidArgumentError(absl::StrCat(
          "options_data: first_index ", given.first_index(), " and first_byte ",
          given.first_byte(), " must be 0 or more"));
    }
    jiceng::BatchOptions options;
    options.threads = given.threads();
    options.route = given.route();
    options.first_index = given.first_index();
    options.first_byte = given.first_byte();
    return RouteBatchInto(engine, cases_stream, size, options, out_stream,
                          out_size);
  });
}

jc_status jc_engine_diff(const jc_engine* before, const jc_engine* after,
                         const void* cases_stream, size_t size,
                         void** out_report, size_t* out_size,
                         char** error_message) {
  return Guard(error_message, [&]() -> absl::Status {
    JC_RETURN_IF_ERROR(NonNull({{"before", before},
                                {"after", after},
                                {"out_report", out_report},
                                {"out_size", out_size}}));
    JC_RETURN_IF_ERROR(CheckInput(cases_stream, size, "cases_stream"));
    const v1::DiffReport report = jiceng::DiffStream(
        before->router(), after->router(),
        absl::string_view(static_cast<const char*>(cases_stream), size));
    return Emit(report, out_report, out_size);
  });
}

jc_status jc_engine_review_admission(const jc_engine* engine,
                                     const void* request_data,
                                     size_t request_size, void** out_decision,
                                     size_t* out_size, char** error_message) {
  return Guard(error_message, [&]() -> absl::Status {
    return Serve<v1::AdmissionRequest>(
        engine, request_data, request_size, "request_data",
        Output::Library(out_decision, out_size, "out_decision"),
        [](const jc_engine& e, const v1::AdmissionRequest& request) {
          return jiceng::ReviewAdmission(e.engine->catalogue(), request,
                                         e.engine->reference_day());
        });
  });
}

jc_status jc_engine_analyze(const jc_engine* engine, void** out_analysis,
                            size_t* out_size, char** error_message) {
  return Guard(error_message, [&]() -> absl::Status {
    JC_RETURN_IF_ERROR(NonNull({{"engine", engine},
                                {"out_analysis", out_analysis},
                                {"out_size", out_size}}));
    return Emit(jiceng::AnalyzeCatalogue(engine->engine->catalogue(),
                                         engine->engine->reference_day()),
                out_analysis, out_size);
  });
}

jc_status jc_engine_apply(const jc_engine* engine, const void* request_data,
                          size_t request_size, void** out_record,
                          size_t* out_size, char** error_message) {
  return Guard(error_message, [&]() -> absl::Status {
    const Output out = Output::Library(out_record, out_size, "out_record");
    absl::Status s = NeedEngine(engine, "engine");
    if (s.ok()) s = out.Check();
    if (!s.ok()) return s;
    // The request is ours: the record moves in place, without a copy.
    v1::ApplyRequest request;
    s = ParseInput(request_data, request_size, "request_data", &request);
    if (!s.ok()) return s;
    s = engine->lifecycle.ApplyInPlace(request.mutable_record(),
                                       request.action(), request.now());
    if (!s.ok()) return s;
    return out.Write(request.record());
  });
}

jc_status jc_engine_supervise(const jc_engine* engine,
                              const void* request_data, size_t request_size,
                              void** out_report, size_t* out_size,
                              char** error_message) {
  return Guard(error_message, [&]() -> absl::Status {
    return Serve<v1::SuperviseRequest>(
        engine, request_data, request_size, "request_data",
        Output::Library(out_report, out_size, "out_report"),
        [](const jc_engine& e, const v1::SuperviseRequest& request) {
          return jiceng::Supervise(*e.engine, request.record(), request.now());
        });
  });
}

jc_status jc_engine_assess(const jc_engine* engine, const void* request_data,
                           size_t request_size, void** out_report,
                           size_t* out_size, char** error_message) {
  return Guard(error_message, [&]() -> absl::Status {
    return Serve<v1::AssessRequest>(
        engine, request_data, request_size, "request_data",
        Output::Library(out_report, out_size, "out_report"),
        [](const jc_engine& e, const v1::AssessRequest& request) {
          return jiceng::Assess(*e.engine, request);
        });
  });
}

jc_status jc_assessment_start(const jc_engine* engine,
                              const void* settings_data, size_t settings_size,
                              jc_assessment** out_assessment,
                              char** error_message) {
  return Guard(error_message, [&]() -> absl::Status {
    JC_RETURN_IF_ERROR(
        NonNull({{"engine", engine}, {"out_assessment", out_assessment}}));
    v1::AssessRequest settings;
    JC_RETURN_IF_ERROR(
        ParseInput(settings_data, settings_size, "settings_data", &settings));
    if (settings.records_size() > 0) {
      return absl::InvalidArgumentError(absl::StrCat(
          "settings_data: records: ", settings.records_size(),
          " given with the settings; give them to jc_assessment_add"));
    }
    absl::StatusOr<jiceng::AssessmentStream> stream =
        jiceng::AssessmentStream::Start(*engine->engine, settings);
    if (!stream.ok()) return stream.status();
    *out_assessment = new jc_assessment(*std::move(stream));
    return absl::OkStatus();
  });
}

}  // extern "C"

namespace {

// Why `a` takes no more records, or OK while it is open.
absl::Status Refusal(const jc_assessment& a) {
  switch (a.state) {
    case jc_assessment::State::kOpen:
      return absl::OkStatus();
    case jc_assessment::State::kFailed:
      return a.failure;
    case jc_assessment::State::kOutOfMemory:
      return absl::ResourceExhaustedError(
          "out of memory inside jiceng (in an earlier jc_assessment_add)");
    case jc_assessment::State::kBroken:
      return absl::InternalError(
          "internal error (in an earlier jc_assessment_add)");
    case jc_assessment::State::kFinished:
      break;
  }
  return absl::FailedPreconditionError(
      "the assessment is finished (jc_assessment_finish was called)");
}

// jc_assessment_add after the argument checks: parses and adds each frame
// of `stream` in turn. A record's problem fails the assessment.
absl::Status AddFrames(jc_assessment* a, absl::string_view stream) {
  absl::Status status;
  size_t pos = 0;
  for (size_t frame_index = 0; pos < stream.size(); ++frame_index) {
    const size_t at = pos;
    absl::string_view frame;
    if (!jiceng::NextFrame(stream, &pos, &frame)) {
      status = absl::InvalidArgumentError(absl::StrCat(
          "records[", a->added, "]: in this call's records_stream, ",
          jiceng::FrameError(stream, frame_index, at).message()));
      break;
    }
    status = jiceng::ParseMessage(frame, &a->record,
                                  absl::StrCat("records[", a->added, "]"));
    if (!status.ok()) break;
    status = a->stream->Add(a->record);
    if (!status.ok()) break;
    ++a->added;
  }
  if (!status.ok()) {
    a->failure = status;
    a->state = jc_assessment::State::kFailed;
  }
  return status;
}

// AddFrames, and an exception part-way (out of memory, above all), which
// may leave a record half counted, fails the assessment too; rethrown for
// Guard to report.
absl::Status AddRecords(jc_assessment* a, absl::string_view stream) {
  try {
    return AddFrames(a, stream);
  } catch (const std::bad_alloc&) {
    a->state = jc_assessment::State::kOutOfMemory;
    throw;
  } catch (...) {
    a->state = jc_assessment::State::kBroken;
    throw;
  }
}

}  // namespace

extern "C" {

jc_status jc_assessment_add(jc_assessment* assessment,
                            const void* records_stream, size_t size,
                            char** error_message) {
  return Guard(error_message, [&]() -> absl::Status {
    JC_RETURN_IF_ERROR(NonNull({{"assessment", assessment}}));
    JC_RETURN_IF_ERROR(Refusal(*assessment));
    JC_RETURN_IF_ERROR(CheckInput(records_stream, size, "records_stream"));
    return AddRecords(
        assessment,
        absl::string_view(static_cast<const char*>(records_stream), size));
  });
}

jc_status jc_assessment_finish(jc_assessment* assessment, void** out_report,
                               size_t* out_size, char** error_message) {
  return Guard(error_message, [&]() -> absl::Status {
    JC_RETURN_IF_ERROR(NonNull({{"assessment", assessment},
                                {"out_report", out_report},
                                {"out_size", out_size}}));
    const absl::Status refusal = Refusal(*assessment);
    // Spent whatever happens next, a failure to finish included.
    std::optional<jiceng::AssessmentStream> stream =
        std::move(assessment->stream);
    assessment->stream.reset();
    assessment->state = jc_assessment::State::kFinished;
    JC_RETURN_IF_ERROR(refusal);
    absl::StatusOr<v1::AssessmentReport> report = std::move(*stream).Finish();
    if (!report.ok()) return report.status();
    return Emit(*report, out_report, out_size);
  });
}

void jc_assessment_destroy(jc_assessment* assessment) { delete assessment; }

}  // extern "C"
