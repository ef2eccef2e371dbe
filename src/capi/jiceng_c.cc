// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0
//
// The C ABI over the C++ core. Every entry point runs its body through
// Guard(), which turns any exception (std::bad_alloc above all) into a
// status, so that nothing but a jc_status crosses the boundary. Outputs are
// written only after everything that can fail has succeeded.

#include "jiceng/jiceng.h"

#include <cstdlib>
#include <cstring>
#include <memory>
#include <new>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/message_lite.h"
#include "src/dataset/dataset_io.h"
#include "src/dataset/validate.h"
#include "src/engine/engine.h"
#include "src/sample/sample_dataset.h"

struct jc_engine {
  std::unique_ptr<const jiceng::Engine> engine;
};

namespace {

using jiceng::DatasetFormat;

// malloc'd copy of a message, or nullptr when out of memory.
char* CopyString(absl::string_view s) {
  char* p = static_cast<char*>(std::malloc(s.size() + 1));
  if (p == nullptr) return nullptr;
  std::memcpy(p, s.data(), s.size());
  p[s.size()] = '\0';
  return p;
}

jc_status Fail(char** error_message, jc_status code, absl::string_view msg) {
  if (error_message != nullptr) *error_message = CopyString(msg);
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
    return Fail(error_message, JC_INTERNAL,
                absl::StrCat("internal error: ", e.what()));
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

// Serializes into a malloc'd buffer; writes the outputs only on success.
absl::Status Emit(const google::protobuf::MessageLite& message, void** out,
                  size_t* out_size) {
  const size_t size = message.ByteSizeLong();
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
  auto* handle = new jc_engine{std::move(*e)};
  *out_engine = handle;
  return absl::OkStatus();
}

}  // namespace

extern "C" {

uint32_t jc_version_number(void) { return JC_VERSION_NUMBER; }

const char* jc_version_string(void) { return JICENG_VERSION_STRING; }

int jc_abi_version(void) { return JC_ABI_VERSION; }

const char* jc_status_name(jc_status status) {
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
    if (out_report == nullptr || out_report_size == nullptr) {
      return absl::InvalidArgumentError(
          "out_report and out_report_size must not be NULL");
    }
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
    if (out_data == nullptr || out_size == nullptr) {
      return absl::InvalidArgumentError(
          "out_data and out_size must not be NULL");
    }
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
    if (path == nullptr || out_engine == nullptr) {
      return absl::InvalidArgumentError(
          "path and out_engine must not be NULL");
    }
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
    if (engine == nullptr || out_info == nullptr || out_info_size == nullptr) {
      return absl::InvalidArgumentError(
          "engine, out_info and out_info_size must not be NULL");
    }
    return Emit(engine->engine->Info(), out_info, out_info_size);
  });
}

}  // extern "C"
