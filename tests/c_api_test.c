/*
 * Copyright 2026 The jiceng Authors.
 * SPDX-License-Identifier: Apache-2.0
 *
 * The stable C ABI, exercised from a C99 translation unit against
 * libjiceng.so, the way a C, ctypes or JNA caller sees it:
 *   - version macros against the runtime version functions;
 *   - jc_status_name for every pinned code and for unknown ones;
 *   - the sample engine and its info, the sample dataset's round trip
 *     through jc_engine_create (binary, auto), determinism of the info;
 *   - jc_dataset_validate on good bytes, garbage and a dataset with one
 *     error (the serialized report is decoded by hand: no protobuf here);
 *   - datasets given inline as text and JSON, and from files;
 *   - the conventions of jiceng.h: outputs untouched on failure, the error
 *     message NULL on success, NULL required pointers, unknown formats and
 *     oversized inputs rejected before any byte is read, NOT_FOUND naming
 *     the path, NULL accepted by jc_free and jc_engine_destroy;
 *   - every request/response entry point (route, route_service,
 *     review_admission, route_batch, diff, analyze and the *_into
 *     variants): success, NULL arguments, bytes that are not the message
 *     (INVALID_ARGUMENT), oversized inputs, outputs untouched on failure,
 *     a caller buffer too small (JC_BUFFER_TOO_SMALL, the size needed, the
 *     buffer untouched), and a deadline outside the calendar still
 *     JC_OUT_OF_RANGE in the *_into variants, whatever the capacity;
 *   - the sample cases routed through the C ABI give byte-identical
 *     decisions (and the same error codes) as the C++ API; so do the
 *     closed loop's requests (apply, supervise, assess). The expected
 *     bytes are written by c_api_expected: c_api_test DATA_DIR.
 *
 * Prints one line per failed check (file:line) and "N passed, M failed" as
 * its last line; exits non-zero on any failure.
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jiceng/jiceng.h"

/* ---- A tiny check framework --------------------------------------------- */

static int g_passed = 0;
static int g_failed = 0;

static int Record(int ok, const char* file, int line, const char* what) {
  if (ok) {
    ++g_passed;
  } else {
    ++g_failed;
    fprintf(stderr, "%s:%d: CHECK failed: %s\n", file, line, what);
  }
  return ok;
}

#define CHECK(cond) Record((cond) ? 1 : 0, __FILE__, __LINE__, #cond)

/* Storage whose address marks "not written by the library". */
static char g_sentinel[16];
#define SENTINEL_PTR ((void*)&g_sentinel[0])
#define SENTINEL_ENGINE ((jc_engine*)(void*)&g_sentinel[0])
#define SENTINEL_MESSAGE (&g_sentinel[1])
#define SENTINEL_SIZE ((size_t)0xC0FFEE)

static const char* MessageOrNone(const char* message) {
  if (message == NULL) return "(NULL)";
  if (message == SENTINEL_MESSAGE) return "(untouched)";
  return message;
}

/* Checks that `expr` returns `expected`; on mismatch prints the status
 * names and the error message left in `err`. */
#define CHECK_STATUS(expr, expected, err)                                  \
  do {                                                                     \
    const jc_status status_ = (expr);                                      \
    if (!Record(status_ == (expected), __FILE__, __LINE__,                 \
                #expr " == " #expected)) {                                 \
      fprintf(stderr, "  returned %s (%d); message: %s\n",                 \
              jc_status_name(status_), status_, MessageOrNone(err));       \
    }                                                                      \
  } while (0)

/* Checks that `message` is a library-allocated message containing
 * `needle`, then frees it. */
#define CHECK_MESSAGE(message, needle)                                     \
  do {                                                                     \
    const int real_ = (message) != NULL && (message) != SENTINEL_MESSAGE;  \
    if (!Record(real_ && strstr((message), (needle)) != NULL, __FILE__,    \
                __LINE__, "message contains \"" needle "\"")) {            \
      fprintf(stderr, "  message: %s\n", MessageOrNone(message));          \
    }                                                                      \
    if (real_) jc_free(message);                                           \
    (message) = NULL;                                                      \
  } while (0)

/* As CHECK_MESSAGE, for a message that must be exactly `expected`. */
#define CHECK_MESSAGE_IS(message, expected)                               \
  do {                                                                    \
    const int real_ = (message) != NULL && (message) != SENTINEL_MESSAGE; \
    if (!Record(real_ && strcmp((message), (expected)) == 0, __FILE__,    \
                __LINE__, "message is \"" expected "\"")) {               \
      fprintf(stderr, "  message: %s\n", MessageOrNone(message));         \
    }                                                                     \
    if (real_) jc_free(message);                                          \
    (message) = NULL;                                                     \
  } while (0)

/* ---- Hand decoding of protobuf wire format ------------------------------ */

typedef struct {
  int wire_type;
  uint64_t varint;             /* wire type 0 */
  const unsigned char* bytes;  /* wire type 2 */
  size_t size;                 /* wire type 2 */
} Field;

static int ReadVarint(const unsigned char** p, const unsigned char* end,
                      uint64_t* value) {
  uint64_t result = 0;
  int shift = 0;
  while (*p < end && shift < 64) {
    const unsigned char b = *(*p)++;
    result |= (uint64_t)(b & 0x7f) << shift;
    if ((b & 0x80) == 0) {
      *value = result;
      return 1;
    }
    shift += 7;
  }
  return 0;
}

/* Walks the top-level fields of a serialized message. Returns 1 when field
 * `number` is present (the last occurrence is stored in *out), 0 when it is
 * absent, -1 when the bytes are not well-formed wire format. Number 0 only
 * checks well-formedness. */
static int FindField(const void* message, size_t size, uint32_t number,
                     Field* out) {
  const unsigned char* p = (const unsigned char*)message;
  const unsigned char* const end = p + size;
  int found = 0;
  while (p < end) {
    uint64_t tag = 0;
    Field f;
    memset(&f, 0, sizeof f);
    if (!ReadVarint(&p, end, &tag) || (tag >> 3) == 0) return -1;
    f.wire_type = (int)(tag & 7);
    switch (f.wire_type) {
      case 0:
        if (!ReadVarint(&p, end, &f.varint)) return -1;
        break;
      case 1:
        if (end - p < 8) return -1;
        p += 8;
        break;
      case 2: {
        uint64_t len = 0;
        if (!ReadVarint(&p, end, &len) || len > (uint64_t)(end - p)) {
          return -1;
        }
        f.bytes = p;
        f.size = (size_t)len;
        p += len;
        break;
      }
      case 5:
        if (end - p < 4) return -1;
        p += 4;
        break;
      default:
        return -1;
    }
    if (number != 0 && (tag >> 3) == number) {
      *out = f;
      found = 1;
    }
  }
  return found;
}

/* The varint field `number`, 0 when absent (proto3 default); -1 when the
 * message is malformed or the field has another wire type. */
static int64_t VarintField(const void* message, size_t size,
                           uint32_t number) {
  Field f;
  const int r = FindField(message, size, number, &f);
  if (r == 0) return 0;
  if (r < 0 || f.wire_type != 0) return -1;
  return (int64_t)f.varint;
}

static int BytesContain(const void* haystack, size_t size,
                        const char* needle) {
  const size_t n = strlen(needle);
  const char* h = (const char*)haystack;
  size_t i;
  if (n > size) return 0;
  for (i = 0; i + n <= size; ++i) {
    if (memcmp(h + i, needle, n) == 0) return 1;
  }
  return 0;
}

/* Field numbers (proto/jiceng/v1/engine_info.proto, validation.proto). */
enum {
  kEngineInfoMeta = 1,
  kEngineInfoLibraryVersion = 2,
  kEngineInfoRegionCount = 3,
  kReportProblems = 1,
  kReportErrorCount = 2
};

/* ---- Inline datasets ---------------------------------------------------- */

#define TEXT_HEAD                                                          \
  "# a minimal valid dataset\n"                                           \
  "meta { id: \"c-api-test\" version: \"1\" effective_date: "            \
  "\"2026-01-01\" }\n"                                                    \
  "regions { code: \"320000000000\" level: REGION_LEVEL_PROVINCE "        \
  "name: \"P\" }\n"                                                        \
  "regions { code: \"320100000000\" parent_code: \"320000000000\" "       \
  "level: REGION_LEVEL_CITY name: \"C\" }\n"                               \
  "regions { code: \"320116000000\" parent_code: \"320100000000\" "       \
  "level: REGION_LEVEL_COUNTY name: \"\xe5\x85\xad\xe5\x90\x88\xe5\x8c\xba\" }\n" \
  "regions { code: \"320116001000\" parent_code: \"320116000000\" "       \
  "level: REGION_LEVEL_TOWNSHIP name: \"T\" }\n"                           \
  "regions { code: \"320116001001\" parent_code: \"320116001000\" "       \
  "level: REGION_LEVEL_VILLAGE name: \"V\" }\n"                            \
  "regions { code: \"32011600100101\" parent_code: \"320116001001\" "     \
  "level: REGION_LEVEL_GRID name: \"G\" grid_kind: GRID_KIND_BASE "       \
  "staffing { heads: 1 full_time: 1 part_time: 2 } }\n"

/* The one error: a grid whose parent village does not exist. */
#define TEXT_DANGLING_GRID                                                 \
  "regions { code: \"32011600900101\" parent_code: \"320116009001\" "     \
  "level: REGION_LEVEL_GRID name: \"orphan\" grid_kind: GRID_KIND_BASE "  \
  "staffing { heads: 1 full_time: 1 part_time: 2 } }\n"

#define TEXT_CALENDAR                                                      \
  "calendar { time_zone: \"Asia/Shanghai\" utc_offset_minutes: 480 "      \
  "first_date: \"2026-01-01\" last_date: \"2026-12-31\" "                 \
  "windows { start_minute: 510 end_minute: 720 } }\n"

static const char kValidText[] = TEXT_HEAD TEXT_CALENDAR;
static const char kInvalidText[] = TEXT_HEAD TEXT_DANGLING_GRID TEXT_CALENDAR;

static const char kValidJson[] =
    "  {\"meta\": {\"id\": \"c-api-json\"},\n"
    "   \"regions\": [{\"code\": \"320000000000\", "
    "\"level\": \"REGION_LEVEL_PROVINCE\", \"name\": \"P\"}],\n"
    "   \"calendar\": {\"time_zone\": \"Asia/Shanghai\", "
    "\"utc_offset_minutes\": 480, \"first_date\": \"2026-01-01\", "
    "\"last_date\": \"2026-12-31\", "
    "\"windows\": [{\"start_minute\": 510, \"end_minute\": 720}]}}\n";

/* Not a Dataset in any format: invalid UTF-8, so AUTO picks binary, and a
 * wire type 7 tag. */
static const unsigned char kGarbage[] = {0xff, 0xff, 0xff, 0xff, 0x0f,
                                         0x07, 0x00, 0x9a};

static int WriteFile(const char* path, const void* data, size_t size) {
  FILE* f = fopen(path, "wb");
  size_t written;
  if (f == NULL) return 0;
  written = fwrite(data, 1, size, f);
  return fclose(f) == 0 && written == size;
}

/* ---- Tests -------------------------------------------------------------- */

static void TestVersions(void) {
  char expected[64];
  CHECK(JC_VERSION_NUMBER == JC_VERSION_MAJOR * 10000 +
                                 JC_VERSION_MINOR * 100 + JC_VERSION_PATCH);
  CHECK(jc_version_number() == (uint32_t)JC_VERSION_NUMBER);
  snprintf(expected, sizeof expected, "%d.%d.%d", JC_VERSION_MAJOR,
           JC_VERSION_MINOR, JC_VERSION_PATCH);
  CHECK(jc_version_string() != NULL);
  CHECK(jc_version_string() != NULL &&
        strcmp(jc_version_string(), expected) == 0);
  CHECK(jc_abi_version() == JC_ABI_VERSION);
  CHECK(JC_ABI_VERSION == 1);
}

static void TestStatusNames(void) {
  static const struct {
    jc_status code;
    int value;
    const char* name;
  } kCodes[] = {
      {JC_OK, 0, "OK"},
      {JC_CANCELLED, 1, "CANCELLED"},
      {JC_UNKNOWN, 2, "UNKNOWN"},
      {JC_INVALID_ARGUMENT, 3, "INVALID_ARGUMENT"},
      {JC_DEADLINE_EXCEEDED, 4, "DEADLINE_EXCEEDED"},
      {JC_NOT_FOUND, 5, "NOT_FOUND"},
      {JC_ALREADY_EXISTS, 6, "ALREADY_EXISTS"},
      {JC_PERMISSION_DENIED, 7, "PERMISSION_DENIED"},
      {JC_RESOURCE_EXHAUSTED, 8, "RESOURCE_EXHAUSTED"},
      {JC_FAILED_PRECONDITION, 9, "FAILED_PRECONDITION"},
      {JC_ABORTED, 10, "ABORTED"},
      {JC_OUT_OF_RANGE, 11, "OUT_OF_RANGE"},
      {JC_UNIMPLEMENTED, 12, "UNIMPLEMENTED"},
      {JC_INTERNAL, 13, "INTERNAL"},
      {JC_UNAVAILABLE, 14, "UNAVAILABLE"},
      {JC_DATA_LOSS, 15, "DATA_LOSS"},
      {JC_UNAUTHENTICATED, 16, "UNAUTHENTICATED"},
      {JC_BUFFER_TOO_SMALL, 100, "BUFFER_TOO_SMALL"},
  };
  static const jc_status kUnknown[] = {17, 18, 99, 101, -1, -17, 0x7fffffff};
  size_t i;
  for (i = 0; i < sizeof kCodes / sizeof kCodes[0]; ++i) {
    const char* name = jc_status_name(kCodes[i].code);
    CHECK(kCodes[i].code == kCodes[i].value); /* pinned */
    if (!CHECK(name != NULL && strcmp(name, kCodes[i].name) == 0)) {
      fprintf(stderr, "  jc_status_name(%d) = %s, expected %s\n",
              kCodes[i].value, MessageOrNone(name), kCodes[i].name);
    }
  }
  for (i = 0; i < sizeof kUnknown / sizeof kUnknown[0]; ++i) {
    const char* name = jc_status_name(kUnknown[i]);
    if (!CHECK(name != NULL && strcmp(name, "UNKNOWN_STATUS") == 0)) {
      fprintf(stderr, "  jc_status_name(%d) = %s\n", kUnknown[i],
              MessageOrNone(name));
    }
  }
}

/* Info of `engine`; NULL (and a recorded failure) on error. */
static void* EngineInfo(const jc_engine* engine, size_t* size) {
  void* info = SENTINEL_PTR;
  char* err = SENTINEL_MESSAGE;
  *size = SENTINEL_SIZE;
  CHECK_STATUS(jc_engine_info(engine, &info, size, &err), JC_OK, err);
  CHECK(err == NULL);
  if (info == SENTINEL_PTR || info == NULL) return NULL;
  return info;
}

static void TestSampleEngine(void) {
  jc_engine* engine = SENTINEL_ENGINE;
  char* err = SENTINEL_MESSAGE;
  void* info;
  size_t info_size = 0;
  Field f;

  CHECK_STATUS(jc_engine_create_sample(&engine, &err), JC_OK, err);
  CHECK(err == NULL);
  CHECK(engine != NULL && engine != SENTINEL_ENGINE);
  if (engine == NULL || engine == SENTINEL_ENGINE) return;

  info = EngineInfo(engine, &info_size);
  CHECK(info != NULL);
  CHECK(info_size > 0 && info_size != SENTINEL_SIZE);
  if (info != NULL && info_size > 0 && info_size != SENTINEL_SIZE) {
    /* EngineInfo.meta = 1 is a message: tag (1 << 3) | 2. */
    CHECK(((const unsigned char*)info)[0] == 0x0a);
    CHECK(FindField(info, info_size, 0, &f) == 0); /* well-formed */
    CHECK(FindField(info, info_size, kEngineInfoMeta, &f) == 1 &&
          f.wire_type == 2 && f.size > 0);
    CHECK(FindField(info, info_size, kEngineInfoLibraryVersion, &f) == 1 &&
          f.wire_type == 2 && f.size == strlen(jc_version_string()) &&
          memcmp(f.bytes, jc_version_string(), f.size) == 0);
    CHECK(VarintField(info, info_size, kEngineInfoRegionCount) > 0);
  }
  jc_free(info);
  jc_engine_destroy(engine);
}

static void TestSampleDatasetRoundTrip(void) {
  void* data = SENTINEL_PTR;
  size_t size = SENTINEL_SIZE;
  char* err = SENTINEL_MESSAGE;
  jc_engine* sample = NULL;
  jc_engine* binary = SENTINEL_ENGINE;
  jc_engine* automatic = SENTINEL_ENGINE;
  jc_engine* wrong = SENTINEL_ENGINE;
  void* info_sample = NULL;
  void* info_binary = NULL;
  void* info_auto = NULL;
  size_t size_sample = 0, size_binary = 0, size_auto = 0;

  CHECK_STATUS(jc_sample_dataset(&data, &size, &err), JC_OK, err);
  CHECK(err == NULL);
  CHECK(data != SENTINEL_PTR && data != NULL);
  CHECK(size != SENTINEL_SIZE && size > 0);
  if (data == SENTINEL_PTR || data == NULL || size == SENTINEL_SIZE) return;
  /* Dataset.meta = 1 comes first. */
  CHECK(((const unsigned char*)data)[0] == 0x0a);

  err = SENTINEL_MESSAGE;
  CHECK_STATUS(jc_engine_create(data, size, JC_FORMAT_BINARY, &binary, &err),
               JC_OK, err);
  CHECK(err == NULL);
  CHECK(binary != SENTINEL_ENGINE && binary != NULL);
  err = SENTINEL_MESSAGE;
  CHECK_STATUS(
      jc_engine_create(data, size, JC_FORMAT_AUTO, &automatic, &err), JC_OK,
      err);
  CHECK(err == NULL);
  CHECK(automatic != SENTINEL_ENGINE && automatic != NULL);

  /* Binary bytes are neither JSON nor text. */
  CHECK_STATUS(jc_engine_create(data, size, JC_FORMAT_JSON, &wrong, &err),
               JC_INVALID_ARGUMENT, err);
  CHECK(wrong == SENTINEL_ENGINE);
  CHECK_MESSAGE(err, "JSON");
  CHECK_STATUS(jc_engine_create(data, size, JC_FORMAT_TEXT, &wrong, &err),
               JC_INVALID_ARGUMENT, err);
  CHECK(wrong == SENTINEL_ENGINE);
  CHECK_MESSAGE(err, "text");

  /* Same dataset, same engine: the info bytes are identical. */
  CHECK_STATUS(jc_engine_create_sample(&sample, NULL), JC_OK, err);
  if (sample != NULL && binary != SENTINEL_ENGINE &&
      automatic != SENTINEL_ENGINE) {
    info_sample = EngineInfo(sample, &size_sample);
    info_binary = EngineInfo(binary, &size_binary);
    info_auto = EngineInfo(automatic, &size_auto);
    CHECK(info_sample != NULL && info_binary != NULL && info_auto != NULL);
    if (info_sample != NULL && info_binary != NULL && info_auto != NULL) {
      CHECK(size_sample == size_binary && size_sample == size_auto);
      CHECK(size_sample == size_binary &&
            memcmp(info_sample, info_binary, size_sample) == 0);
      CHECK(size_sample == size_auto &&
            memcmp(info_sample, info_auto, size_sample) == 0);
    }
  }
  jc_free(info_sample);
  jc_free(info_binary);
  jc_free(info_auto);
  jc_engine_destroy(sample);
  if (binary != SENTINEL_ENGINE) jc_engine_destroy(binary);
  if (automatic != SENTINEL_ENGINE) jc_engine_destroy(automatic);
  jc_free(data);
}

static void TestValidate(void) {
  void* data = NULL;
  size_t size = 0;
  void* report = SENTINEL_PTR;
  size_t report_size = SENTINEL_SIZE;
  char* err = SENTINEL_MESSAGE;

  /* The sample: no errors (error_count absent or 0). */
  CHECK_STATUS(jc_sample_dataset(&data, &size, NULL), JC_OK, err);
  if (data == NULL) return;
  CHECK_STATUS(jc_dataset_validate(data, size, JC_FORMAT_BINARY, &report,
                                   &report_size, &err),
               JC_OK, err);
  CHECK(err == NULL);
  CHECK(report != SENTINEL_PTR && report != NULL);
  CHECK(report_size != SENTINEL_SIZE);
  if (report != SENTINEL_PTR && report != NULL) {
    CHECK(FindField(report, report_size, 0, NULL) == 0);
    CHECK(VarintField(report, report_size, kReportErrorCount) == 0);
    jc_free(report);
  }
  jc_free(data);

  /* Garbage: does not parse, outputs untouched. */
  report = SENTINEL_PTR;
  report_size = SENTINEL_SIZE;
  err = SENTINEL_MESSAGE;
  CHECK_STATUS(jc_dataset_validate(kGarbage, sizeof kGarbage,
                                   JC_FORMAT_BINARY, &report, &report_size,
                                   &err),
               JC_INVALID_ARGUMENT, err);
  CHECK(report == SENTINEL_PTR);
  CHECK(report_size == SENTINEL_SIZE);
  CHECK(err != NULL && err != SENTINEL_MESSAGE);
  CHECK_MESSAGE(err, "truncated or corrupted");
  CHECK_STATUS(jc_dataset_validate(kGarbage, sizeof kGarbage, JC_FORMAT_AUTO,
                                   &report, &report_size, &err),
               JC_INVALID_ARGUMENT, err);
  CHECK(report == SENTINEL_PTR && report_size == SENTINEL_SIZE);
  CHECK_MESSAGE(err, "truncated or corrupted");

  /* A dataset with exactly one error: the call succeeds, the report has it. */
  err = SENTINEL_MESSAGE;
  CHECK_STATUS(jc_dataset_validate(kInvalidText, strlen(kInvalidText),
                                   JC_FORMAT_TEXT, &report, &report_size,
                                   &err),
               JC_OK, err);
  CHECK(err == NULL);
  if (report != SENTINEL_PTR && report != NULL) {
    Field problem;
    CHECK(VarintField(report, report_size, kReportErrorCount) == 1);
    CHECK(FindField(report, report_size, kReportProblems, &problem) == 1);
    CHECK(BytesContain(report, report_size, "region.dangling_parent"));
    CHECK(BytesContain(report, report_size, "32011600900101"));
    CHECK(BytesContain(report, report_size, "parent_code"));
    jc_free(report);
  }

  /* The valid inline text has no errors. */
  report = NULL;
  CHECK_STATUS(jc_dataset_validate(kValidText, strlen(kValidText),
                                   JC_FORMAT_AUTO, &report, &report_size,
                                   &err),
               JC_OK, err);
  if (report != NULL) {
    CHECK(VarintField(report, report_size, kReportErrorCount) == 0);
    jc_free(report);
  }
}

static void TestInlineDatasets(void) {
  jc_engine* engine = SENTINEL_ENGINE;
  char* err = SENTINEL_MESSAGE;

  /* Valid text, explicit and detected. */
  CHECK_STATUS(jc_engine_create(kValidText, strlen(kValidText),
                                JC_FORMAT_TEXT, &engine, &err),
               JC_OK, err);
  CHECK(err == NULL);
  CHECK(engine != SENTINEL_ENGINE && engine != NULL);
  if (engine != SENTINEL_ENGINE) jc_engine_destroy(engine);
  engine = SENTINEL_ENGINE;
  err = SENTINEL_MESSAGE;
  CHECK_STATUS(jc_engine_create(kValidText, strlen(kValidText),
                                JC_FORMAT_AUTO, &engine, &err),
               JC_OK, err);
  CHECK(err == NULL);
  CHECK(engine != SENTINEL_ENGINE && engine != NULL);
  if (engine != SENTINEL_ENGINE) jc_engine_destroy(engine);

  /* Valid JSON, explicit and detected ('{' after blanks). */
  engine = SENTINEL_ENGINE;
  err = SENTINEL_MESSAGE;
  CHECK_STATUS(jc_engine_create(kValidJson, strlen(kValidJson),
                                JC_FORMAT_JSON, &engine, &err),
               JC_OK, err);
  CHECK(err == NULL);
  if (engine != SENTINEL_ENGINE) jc_engine_destroy(engine);
  engine = SENTINEL_ENGINE;
  CHECK_STATUS(jc_engine_create(kValidJson, strlen(kValidJson),
                                JC_FORMAT_AUTO, &engine, &err),
               JC_OK, err);
  CHECK(engine != SENTINEL_ENGINE && engine != NULL);
  if (engine != SENTINEL_ENGINE) jc_engine_destroy(engine);

  /* One error: INVALID_ARGUMENT naming the region and the field; the
   * engine is not written. */
  engine = SENTINEL_ENGINE;
  err = SENTINEL_MESSAGE;
  CHECK_STATUS(jc_engine_create(kInvalidText, strlen(kInvalidText),
                                JC_FORMAT_TEXT, &engine, &err),
               JC_INVALID_ARGUMENT, err);
  CHECK(engine == SENTINEL_ENGINE);
  if (CHECK(err != NULL && err != SENTINEL_MESSAGE)) {
    CHECK(strstr(err, "32011600900101") != NULL);
    CHECK(strstr(err, "parent_code") != NULL);
    CHECK(strstr(err, "1 error") != NULL);
    CHECK_MESSAGE(err, "320116009001\"");
  }
  CHECK_STATUS(jc_engine_create(kInvalidText, strlen(kInvalidText),
                                JC_FORMAT_AUTO, &engine, &err),
               JC_INVALID_ARGUMENT, err);
  CHECK(engine == SENTINEL_ENGINE);
  CHECK_MESSAGE(err, "parent_code");

  /* Malformed text: the position is named. */
  CHECK_STATUS(jc_engine_create("meta { id: 12 34", 16, JC_FORMAT_TEXT,
                                &engine, &err),
               JC_INVALID_ARGUMENT, err);
  CHECK(engine == SENTINEL_ENGINE);
  CHECK_MESSAGE(err, "line 1:");
  /* Malformed JSON. */
  CHECK_STATUS(jc_engine_create("{\"meta\": ", 9, JC_FORMAT_AUTO, &engine,
                                &err),
               JC_INVALID_ARGUMENT, err);
  CHECK(engine == SENTINEL_ENGINE);
  CHECK_MESSAGE(err, "JSON");
  /* Garbage binary. */
  CHECK_STATUS(jc_engine_create(kGarbage, sizeof kGarbage, JC_FORMAT_BINARY,
                                &engine, &err),
               JC_INVALID_ARGUMENT, err);
  CHECK(engine == SENTINEL_ENGINE);
  CHECK_MESSAGE(err, "truncated or corrupted");
}

static void TestNullArguments(void) {
  jc_engine* engine = SENTINEL_ENGINE;
  jc_engine* sample = NULL;
  void* out = SENTINEL_PTR;
  size_t size = SENTINEL_SIZE;
  char* err = SENTINEL_MESSAGE;
  void* data = NULL;
  size_t data_size = 0;

  CHECK_STATUS(jc_engine_create_sample(&sample, NULL), JC_OK, err);
  CHECK_STATUS(jc_sample_dataset(&data, &data_size, NULL), JC_OK, err);

  /* NULL data with a size. */
  CHECK_STATUS(jc_engine_create(NULL, 10, JC_FORMAT_AUTO, &engine, &err),
               JC_INVALID_ARGUMENT, err);
  CHECK(engine == SENTINEL_ENGINE);
  CHECK_MESSAGE(err, "NULL");
  CHECK_STATUS(jc_dataset_validate(NULL, 10, JC_FORMAT_AUTO, &out, &size,
                                   &err),
               JC_INVALID_ARGUMENT, err);
  CHECK(out == SENTINEL_PTR && size == SENTINEL_SIZE);
  CHECK_MESSAGE(err, "NULL");
  /* NULL data, size 0: an empty dataset, which is invalid. */
  CHECK_STATUS(jc_engine_create(NULL, 0, JC_FORMAT_BINARY, &engine, &err),
               JC_INVALID_ARGUMENT, err);
  CHECK(engine == SENTINEL_ENGINE);
  CHECK_MESSAGE(err, "");

  /* NULL outputs. */
  CHECK_STATUS(jc_engine_create(data, data_size, JC_FORMAT_BINARY, NULL,
                                &err),
               JC_INVALID_ARGUMENT, err);
  CHECK_MESSAGE(err, "out_engine");
  CHECK_STATUS(jc_engine_create_sample(NULL, &err), JC_INVALID_ARGUMENT, err);
  CHECK_MESSAGE(err, "out_engine");
  CHECK_STATUS(jc_engine_create_from_file("x.binpb", JC_FORMAT_AUTO, NULL,
                                          &err),
               JC_INVALID_ARGUMENT, err);
  CHECK_MESSAGE(err, "NULL");
  CHECK_STATUS(jc_engine_create_from_file(NULL, JC_FORMAT_AUTO, &engine,
                                          &err),
               JC_INVALID_ARGUMENT, err);
  CHECK(engine == SENTINEL_ENGINE);
  CHECK_MESSAGE(err, "NULL");

  CHECK_STATUS(jc_sample_dataset(NULL, &size, &err), JC_INVALID_ARGUMENT,
               err);
  CHECK(size == SENTINEL_SIZE);
  CHECK_MESSAGE(err, "NULL");
  CHECK_STATUS(jc_sample_dataset(&out, NULL, &err), JC_INVALID_ARGUMENT, err);
  CHECK(out == SENTINEL_PTR);
  CHECK_MESSAGE_IS(err, "out_size must not be NULL");

  CHECK_STATUS(jc_dataset_validate(data, data_size, JC_FORMAT_BINARY, NULL,
                                   &size, &err),
               JC_INVALID_ARGUMENT, err);
  CHECK(size == SENTINEL_SIZE);
  CHECK_MESSAGE(err, "NULL");
  CHECK_STATUS(jc_dataset_validate(data, data_size, JC_FORMAT_BINARY, &out,
                                   NULL, &err),
               JC_INVALID_ARGUMENT, err);
  CHECK(out == SENTINEL_PTR);
  CHECK_MESSAGE(err, "NULL");

  /* The message names the NULL arguments, and only those. */
  CHECK_STATUS(jc_engine_info(NULL, &out, &size, &err), JC_INVALID_ARGUMENT,
               err);
  CHECK(out == SENTINEL_PTR && size == SENTINEL_SIZE);
  CHECK_MESSAGE_IS(err, "engine must not be NULL");
  CHECK_STATUS(jc_engine_info(NULL, NULL, NULL, &err), JC_INVALID_ARGUMENT,
               err);
  CHECK_MESSAGE_IS(err, "engine, out_info and out_info_size must not be NULL");
  if (sample != NULL) {
    CHECK_STATUS(jc_engine_info(sample, NULL, &size, &err),
                 JC_INVALID_ARGUMENT, err);
    CHECK(size == SENTINEL_SIZE);
    CHECK_MESSAGE_IS(err, "out_info must not be NULL");
    CHECK_STATUS(jc_engine_info(sample, &out, NULL, &err),
                 JC_INVALID_ARGUMENT, err);
    CHECK(out == SENTINEL_PTR);
    CHECK_MESSAGE_IS(err, "out_info_size must not be NULL");
    CHECK_STATUS(jc_engine_info(sample, NULL, NULL, &err), JC_INVALID_ARGUMENT,
                 err);
    CHECK_MESSAGE_IS(err, "out_info and out_info_size must not be NULL");
  }

  /* error_message itself is optional, on failure and on success. */
  CHECK_STATUS(jc_engine_create(kGarbage, sizeof kGarbage, JC_FORMAT_BINARY,
                                &engine, NULL),
               JC_INVALID_ARGUMENT, err);
  CHECK(engine == SENTINEL_ENGINE);
  CHECK_STATUS(jc_engine_info(NULL, &out, &size, NULL), JC_INVALID_ARGUMENT,
               err);
  CHECK(out == SENTINEL_PTR && size == SENTINEL_SIZE);

  jc_engine_destroy(sample);
  jc_free(data);
}

static void TestUnknownFormat(void) {
  static const int kBadFormats[] = {4, -1, 1000};
  jc_engine* engine = SENTINEL_ENGINE;
  void* out = SENTINEL_PTR;
  size_t size = SENTINEL_SIZE;
  char* err = SENTINEL_MESSAGE;
  size_t i;
  for (i = 0; i < sizeof kBadFormats / sizeof kBadFormats[0]; ++i) {
    const int format = kBadFormats[i];
    CHECK_STATUS(jc_engine_create(kValidText, strlen(kValidText), format,
                                  &engine, &err),
                 JC_INVALID_ARGUMENT, err);
    CHECK(engine == SENTINEL_ENGINE);
    CHECK_MESSAGE(err, "format");
    CHECK_STATUS(jc_dataset_validate(kValidText, strlen(kValidText), format,
                                     &out, &size, &err),
                 JC_INVALID_ARGUMENT, err);
    CHECK(out == SENTINEL_PTR && size == SENTINEL_SIZE);
    CHECK_MESSAGE(err, "format");
    CHECK_STATUS(jc_engine_create_from_file("c_api_test_nonexistent.binpb",
                                            format, &engine, &err),
                 JC_INVALID_ARGUMENT, err);
    CHECK(engine == SENTINEL_ENGINE);
    CHECK_MESSAGE(err, "format");
  }
}

static void TestInputTooLarge(void) {
  /* A valid small buffer with a huge size: the size must be rejected
   * before a byte is read (reading would run off the buffer). */
  static const size_t kSizes[] = {JC_MAX_INPUT_BYTES + 1, (size_t)-1};
  jc_engine* engine = SENTINEL_ENGINE;
  void* out = SENTINEL_PTR;
  size_t size = SENTINEL_SIZE;
  char* err = SENTINEL_MESSAGE;
  size_t i;
  int format;
  for (i = 0; i < sizeof kSizes / sizeof kSizes[0]; ++i) {
    for (format = JC_FORMAT_AUTO; format <= JC_FORMAT_TEXT; ++format) {
      CHECK_STATUS(
          jc_engine_create(kValidText, kSizes[i], format, &engine, &err),
          JC_RESOURCE_EXHAUSTED, err);
      CHECK(engine == SENTINEL_ENGINE);
      CHECK_MESSAGE(err, "bytes");
      CHECK_STATUS(jc_dataset_validate(kValidText, kSizes[i], format, &out,
                                       &size, &err),
                   JC_RESOURCE_EXHAUSTED, err);
      CHECK(out == SENTINEL_PTR && size == SENTINEL_SIZE);
      CHECK_MESSAGE(err, "bytes");
    }
  }
}

static void TestFiles(void) {
  static const char kMissing[] = "c_api_test_no_such_dir/missing.binpb";
  static const char kBinary[] = "c_api_test_sample.binpb";
  static const char kInvalid[] = "c_api_test_invalid.textproto";
  static const char kNoExtension[] = "c_api_test_valid_dataset";
  jc_engine* engine = SENTINEL_ENGINE;
  char* err = SENTINEL_MESSAGE;
  void* data = NULL;
  size_t size = 0;

  CHECK_STATUS(jc_engine_create_from_file(kMissing, JC_FORMAT_AUTO, &engine,
                                          &err),
               JC_NOT_FOUND, err);
  CHECK(engine == SENTINEL_ENGINE);
  CHECK_MESSAGE(err, "c_api_test_no_such_dir/missing.binpb");

  CHECK_STATUS(jc_sample_dataset(&data, &size, NULL), JC_OK, err);
  if (data == NULL) return;
  if (!CHECK(WriteFile(kBinary, data, size) &&
             WriteFile(kInvalid, kInvalidText, strlen(kInvalidText)) &&
             WriteFile(kNoExtension, kValidText, strlen(kValidText)))) {
    jc_free(data);
    return;
  }
  jc_free(data);

  /* The sample from a .binpb file: by extension and explicitly. */
  err = SENTINEL_MESSAGE;
  CHECK_STATUS(jc_engine_create_from_file(kBinary, JC_FORMAT_AUTO, &engine,
                                          &err),
               JC_OK, err);
  CHECK(err == NULL);
  CHECK(engine != SENTINEL_ENGINE && engine != NULL);
  if (engine != SENTINEL_ENGINE) jc_engine_destroy(engine);
  engine = SENTINEL_ENGINE;
  CHECK_STATUS(jc_engine_create_from_file(kBinary, JC_FORMAT_BINARY, &engine,
                                          &err),
               JC_OK, err);
  if (engine != SENTINEL_ENGINE) jc_engine_destroy(engine);
  engine = SENTINEL_ENGINE;
  /* Forced to text, the binary does not parse; the path is named. */
  CHECK_STATUS(jc_engine_create_from_file(kBinary, JC_FORMAT_TEXT, &engine,
                                          &err),
               JC_INVALID_ARGUMENT, err);
  CHECK(engine == SENTINEL_ENGINE);
  CHECK_MESSAGE(err, "c_api_test_sample.binpb");

  /* Text detected from the content when the name has no extension. */
  err = SENTINEL_MESSAGE;
  CHECK_STATUS(jc_engine_create_from_file(kNoExtension, JC_FORMAT_AUTO,
                                          &engine, &err),
               JC_OK, err);
  CHECK(err == NULL);
  if (engine != SENTINEL_ENGINE) jc_engine_destroy(engine);
  engine = SENTINEL_ENGINE;

  /* The one-error dataset from a file. */
  CHECK_STATUS(jc_engine_create_from_file(kInvalid, JC_FORMAT_AUTO, &engine,
                                          &err),
               JC_INVALID_ARGUMENT, err);
  CHECK(engine == SENTINEL_ENGINE);
  CHECK_MESSAGE(err, "parent_code");

  remove(kBinary);
  remove(kInvalid);
  remove(kNoExtension);
}

/* ---- Hand encoding of protobuf wire format ------------------------------ */

typedef struct {
  unsigned char bytes[512];
  size_t size;
} Message;

static void PutVarint(Message* m, uint64_t v) {
  while (v >= 0x80 && m->size < sizeof m->bytes) {
    m->bytes[m->size++] = (unsigned char)(v | 0x80);
    v >>= 7;
  }
  if (m->size < sizeof m->bytes) m->bytes[m->size++] = (unsigned char)v;
}

static void PutVarintField(Message* m, uint32_t number, uint64_t v) {
  PutVarint(m, (uint64_t)number << 3);
  PutVarint(m, v);
}

static void PutStringField(Message* m, uint32_t number, const char* s) {
  const size_t n = strlen(s);
  PutVarint(m, ((uint64_t)number << 3) | 2);
  PutVarint(m, n);
  if (m->size + n <= sizeof m->bytes) {
    memcpy(m->bytes + m->size, s, n);
    m->size += n;
  }
}

/* A whole file in a malloc'd buffer; NULL when it cannot be read. */
static void* ReadFile(const char* path, size_t* size) {
  FILE* f = fopen(path, "rb");
  void* data;
  long n;
  if (f == NULL) return NULL;
  if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 ||
      fseek(f, 0, SEEK_SET) != 0) {
    fclose(f);
    return NULL;
  }
  data = malloc(n == 0 ? 1 : (size_t)n);
  if (data != NULL && fread(data, 1, (size_t)n, f) != (size_t)n) {
    free(data);
    data = NULL;
  }
  fclose(f);
  *size = (size_t)n;
  return data;
}

/* The next frame of a length-delimited stream at *offset; 0 at the end or
 * on a malformed frame (-1). */
static int NextFrame(const void* stream, size_t size, size_t* offset,
                     const unsigned char** frame, size_t* frame_size) {
  const unsigned char* p = (const unsigned char*)stream + *offset;
  const unsigned char* const end = (const unsigned char*)stream + size;
  uint64_t len = 0;
  if (p == end) return 0;
  if (!ReadVarint(&p, end, &len) || len > (uint64_t)(end - p)) return -1;
  *frame = p;
  *frame_size = (size_t)len;
  *offset = (size_t)(p + len - (const unsigned char*)stream);
  return 1;
}

/* Field numbers (proto/jiceng/v1/routing.proto, admission.proto,
 * analysis.proto). */
enum {
  kCaseId = 1,
  kCaseMatterCode = 4,
  kCaseLocationCode = 6,
  kCaseReportedAt = 7,
  kDecisionCaseId = 1,
  kDecisionOutcome = 2,
  kDecisionLead = 3,
  kDecisionTrace = 17,
  kBatchEntryIndex = 1,
  kBatchEntryDecision = 3,
  kBatchEntryError = 4,
  kRouteErrorCode = 1,
  kDiffCases = 3,
  kDiffChangedCases = 4,
  kDiffUnread = 7,
  kUnreadIndex = 1,
  kUnreadError = 2,
  kServiceRequestId = 1,
  kServiceItemCode = 2,
  kServiceApplicantRegion = 3,
  kServiceRequestedAt = 5,
  kServiceDecisionRequestId = 1,
  kServiceDecisionAccepting = 2,
  kAdmissionProposalId = 1,
  kAdmissionTitle = 2,
  kAdmissionToRegion = 5,
  kAdmissionItemCode = 6,
  kAdmissionDecisionVerdict = 2,
  kAnalysisAsOfDate = 1
};

/* A case the sample dataset routes: a pothole-free hand-made case is not
 * needed; the first sample case is enough, but a hand-made one with an
 * unknown matter shows the field in the error. */
static Message UnknownMatterCase(void) {
  Message m;
  memset(&m, 0, sizeof m);
  PutStringField(&m, kCaseId, "c-unknown");
  PutStringField(&m, kCaseMatterCode, "99999");
  PutVarintField(&m, kCaseLocationCode, 320116001001u);
  PutVarintField(&m, kCaseReportedAt, 1790647200u);
  return m;
}

static Message ServiceRequest(void) {
  Message m;
  memset(&m, 0, sizeof m);
  PutStringField(&m, kServiceRequestId, "S-1");
  PutStringField(&m, kServiceItemCode, "RS-GG-001");
  PutVarintField(&m, kServiceApplicantRegion, 320116001001u);
  /* Tuesday 2026-09-29 10:00 in Nanjing. */
  PutVarintField(&m, kServiceRequestedAt, 1790647200u);
  return m;
}

static Message AdmissionRequest(void) {
  Message m;
  memset(&m, 0, sizeof m);
  PutStringField(&m, kAdmissionProposalId, "P-1");
  PutStringField(&m, kAdmissionTitle, "a duty moved down");
  PutStringField(&m, kAdmissionToRegion, "320116001000");
  PutStringField(&m, kAdmissionItemCode, "RS-GG-001");
  return m;
}

/* ---- Every request/response entry point, one shape ---------------------- */

/* (engine, input, size, out, out_size, error): the shape every entry point
 * taking one input has, once its extra arguments are fixed. */
typedef jc_status (*MessageFn)(const jc_engine*, const void*, size_t,
                               void**, size_t*, char**);
typedef jc_status (*IntoFn)(const jc_engine*, const void*, size_t, void*,
                            size_t, size_t*, char**);

static jc_status RoutePlain(const jc_engine* e, const void* d, size_t n,
                            void** out, size_t* size, char** err) {
  return jc_engine_route(e, d, n, 0, out, size, err);
}
static jc_status RouteExplain(const jc_engine* e, const void* d, size_t n,
                              void** out, size_t* size, char** err) {
  return jc_engine_route(e, d, n, JC_ROUTE_EXPLAIN_TEXT, out, size, err);
}
static jc_status RouteBatch1(const jc_engine* e, const void* d, size_t n,
                             void** out, size_t* size, char** err) {
  return jc_engine_route_batch(e, d, n, 1, out, size, err);
}
static jc_status RouteBatchWithDefaults(const jc_engine* e, const void* d,
                                        size_t n, void** out, size_t* size,
                                        char** err) {
  return jc_engine_route_batch_with(e, d, n, NULL, 0, out, size, err);
}
static jc_status DiffSelf(const jc_engine* e, const void* d, size_t n,
                          void** out, size_t* size, char** err) {
  return jc_engine_diff(e, e, d, n, out, size, err);
}
static jc_status RouteIntoPlain(const jc_engine* e, const void* d, size_t n,
                                void* buffer, size_t capacity, size_t* size,
                                char** err) {
  return jc_engine_route_into(e, d, n, 0, buffer, capacity, size, err);
}

typedef struct {
  const char* name;
  MessageFn fn;
  IntoFn into; /* the *_into variant, or NULL */
  const void* input;
  size_t input_size;
  /* What the message for bytes that are not the input says; NULL: they
   * are not rejected (a batch reports them inside its output stream). */
  const char* garbage_needle;
  /* The output is a length-delimited stream, not one message. */
  int stream_output;
} EntryPoint;

/* Success, NULL arguments, garbage, oversize, outputs untouched, and the
 * caller-buffer protocol of the *_into variant. */
static void CheckEntryPoint(const jc_engine* engine, const EntryPoint* ep) {
  void* out = SENTINEL_PTR;
  size_t size = SENTINEL_SIZE;
  char* err = SENTINEL_MESSAGE;
  void* first = NULL;
  size_t first_size = 0;
  fprintf(stderr, "-- %s\n", ep->name);

  /* Success, twice: deterministic bytes. */
  CHECK_STATUS(ep->fn(engine, ep->input, ep->input_size, &out, &size, &err),
               JC_OK, err);
  CHECK(err == NULL);
  CHECK(out != SENTINEL_PTR && out != NULL && size != SENTINEL_SIZE);
  if (out == SENTINEL_PTR || out == NULL) return;
  if (!ep->stream_output) {
    CHECK(FindField(out, size, 0, NULL) == 0); /* well-formed */
  }
  first = out;
  first_size = size;
  out = SENTINEL_PTR;
  CHECK_STATUS(ep->fn(engine, ep->input, ep->input_size, &out, &size, NULL),
               JC_OK, NULL);
  CHECK(out != SENTINEL_PTR && size == first_size &&
        memcmp(out, first, size) == 0);
  if (out != SENTINEL_PTR) jc_free(out);
  out = SENTINEL_PTR;
  size = SENTINEL_SIZE;

  /* NULL arguments. */
  CHECK_STATUS(ep->fn(NULL, ep->input, ep->input_size, &out, &size, &err),
               JC_INVALID_ARGUMENT, err);
  CHECK(out == SENTINEL_PTR && size == SENTINEL_SIZE);
  CHECK_MESSAGE(err, "NULL");
  CHECK_STATUS(ep->fn(engine, ep->input, ep->input_size, NULL, &size, &err),
               JC_INVALID_ARGUMENT, err);
  CHECK(size == SENTINEL_SIZE);
  CHECK_MESSAGE(err, "NULL");
  CHECK_STATUS(ep->fn(engine, ep->input, ep->input_size, &out, NULL, &err),
               JC_INVALID_ARGUMENT, err);
  CHECK(out == SENTINEL_PTR);
  CHECK_MESSAGE(err, "NULL");
  CHECK_STATUS(ep->fn(engine, NULL, 5, &out, &size, &err),
               JC_INVALID_ARGUMENT, err);
  CHECK(out == SENTINEL_PTR && size == SENTINEL_SIZE);
  CHECK_MESSAGE(err, "NULL");
  CHECK_STATUS(ep->fn(NULL, NULL, 0, &out, &size, NULL), JC_INVALID_ARGUMENT,
               NULL);
  CHECK(out == SENTINEL_PTR && size == SENTINEL_SIZE);

  /* Oversize: rejected before a byte is read. */
  CHECK_STATUS(ep->fn(engine, ep->input, JC_MAX_INPUT_BYTES + 1, &out, &size,
                      &err),
               JC_RESOURCE_EXHAUSTED, err);
  CHECK(out == SENTINEL_PTR && size == SENTINEL_SIZE);
  CHECK_MESSAGE(err, "JC_MAX_INPUT_BYTES");
  CHECK_STATUS(ep->fn(engine, ep->input, (size_t)-1, &out, &size, &err),
               JC_RESOURCE_EXHAUSTED, err);
  CHECK(out == SENTINEL_PTR && size == SENTINEL_SIZE);
  CHECK_MESSAGE(err, "bytes");

  /* Bytes that are not the message. */
  if (ep->garbage_needle != NULL) {
    CHECK_STATUS(ep->fn(engine, kGarbage, sizeof kGarbage, &out, &size, &err),
                 JC_INVALID_ARGUMENT, err);
    CHECK(out == SENTINEL_PTR && size == SENTINEL_SIZE);
    if (!CHECK(err != NULL && err != SENTINEL_MESSAGE &&
               strstr(err, ep->garbage_needle) != NULL)) {
      fprintf(stderr, "  message: %s\n", MessageOrNone(err));
    }
    if (err != NULL && err != SENTINEL_MESSAGE) jc_free(err);
    err = NULL;
  }

  if (ep->into != NULL) {
    unsigned char* buffer = (unsigned char*)malloc(first_size + 16);
    size_t i;
    int untouched = 1;
    if (!CHECK(buffer != NULL)) {
      jc_free(first);
      return;
    }
    /* Large enough: the same bytes. */
    CHECK_STATUS(ep->into(engine, ep->input, ep->input_size, buffer,
                          first_size + 16, &size, &err),
                 JC_OK, err);
    CHECK(err == NULL);
    CHECK(size == first_size && memcmp(buffer, first, first_size) == 0);
    /* Exactly large enough. */
    size = SENTINEL_SIZE;
    CHECK_STATUS(ep->into(engine, ep->input, ep->input_size, buffer,
                          first_size, &size, NULL),
                 JC_OK, NULL);
    CHECK(size == first_size && memcmp(buffer, first, first_size) == 0);
    /* One byte short: BUFFER_TOO_SMALL, the size needed, buffer untouched. */
    memset(buffer, 0xAB, first_size + 16);
    size = SENTINEL_SIZE;
    CHECK_STATUS(ep->into(engine, ep->input, ep->input_size, buffer,
                          first_size - 1, &size, &err),
                 JC_BUFFER_TOO_SMALL, err);
    CHECK(size == first_size);
    for (i = 0; i < first_size + 16; ++i) untouched &= buffer[i] == 0xAB;
    CHECK(untouched);
    CHECK_MESSAGE(err, "too small");
    /* Asking for the size with no buffer. */
    size = SENTINEL_SIZE;
    CHECK_STATUS(ep->into(engine, ep->input, ep->input_size, NULL, 0, &size,
                          NULL),
                 JC_BUFFER_TOO_SMALL, NULL);
    CHECK(size == first_size);
    /* NULL arguments: nothing written. */
    size = SENTINEL_SIZE;
    CHECK_STATUS(ep->into(engine, ep->input, ep->input_size, NULL, 10, &size,
                          &err),
                 JC_INVALID_ARGUMENT, err);
    CHECK(size == SENTINEL_SIZE);
    CHECK_MESSAGE(err, "NULL");
    CHECK_STATUS(ep->into(engine, ep->input, ep->input_size, buffer,
                          first_size, NULL, &err),
                 JC_INVALID_ARGUMENT, err);
    CHECK_MESSAGE(err, "NULL");
    CHECK_STATUS(ep->into(NULL, ep->input, ep->input_size, buffer, first_size,
                          &size, &err),
                 JC_INVALID_ARGUMENT, err);
    CHECK(size == SENTINEL_SIZE);
    CHECK_MESSAGE(err, "NULL");
    /* Garbage and oversize: buffer and size untouched. */
    memset(buffer, 0xAB, first_size + 16);
    CHECK_STATUS(ep->into(engine, kGarbage, sizeof kGarbage, buffer,
                          first_size + 16, &size, &err),
                 JC_INVALID_ARGUMENT, err);
    CHECK_MESSAGE(err, "jiceng.v1.");
    CHECK_STATUS(ep->into(engine, ep->input, JC_MAX_INPUT_BYTES + 1, buffer,
                          first_size + 16, &size, &err),
                 JC_RESOURCE_EXHAUSTED, err);
    CHECK_MESSAGE(err, "JC_MAX_INPUT_BYTES");
    CHECK(size == SENTINEL_SIZE);
    untouched = 1;
    for (i = 0; i < first_size + 16; ++i) untouched &= buffer[i] == 0xAB;
    CHECK(untouched);
    free(buffer);
  }
  jc_free(first);
}

/* What c_api_expected wrote: the sample cases, the C++ API's entries for
 * them, and the closed loop's requests with the C++ API's answers. */
typedef struct {
  void* data;
  size_t size;
} Bytes;

typedef struct {
  void* cases;
  size_t cases_size;
  void* expected;
  size_t expected_size;
  void* explain;
  size_t explain_size;
  Bytes requests[3]; /* apply, supervise, assess */
  Bytes answers[3];
} SampleFiles;

static const char* const kLoopNames[3] = {"apply", "supervise", "assess"};
static const MessageFn kLoopFns[3] = {jc_engine_apply, jc_engine_supervise,
                                      jc_engine_assess};

/* The first request of loop `k` the C++ API answered with JC_OK. */
static int FirstAnsweredRequest(const SampleFiles* files, int k,
                                const void** data, size_t* size) {
  size_t ro = 0, ao = 0;
  const unsigned char *r, *a;
  size_t rn, an;
  while (NextFrame(files->requests[k].data, files->requests[k].size, &ro, &r,
                   &rn) == 1 &&
         NextFrame(files->answers[k].data, files->answers[k].size, &ao, &a,
                   &an) == 1) {
    if (an >= 1 && a[0] == 0) {
      *data = r;
      *size = rn;
      return 1;
    }
  }
  return 0;
}

/* The first sample case that routes, as a frame of files->cases. */
static int FirstRoutedCase(const SampleFiles* files, const void** data,
                           size_t* size) {
  size_t co = 0, eo = 0;
  const unsigned char *c, *e;
  size_t cn, en;
  Field f;
  while (NextFrame(files->cases, files->cases_size, &co, &c, &cn) == 1 &&
         NextFrame(files->expected, files->expected_size, &eo, &e, &en) ==
             1) {
    if (FindField(e, en, kBatchEntryDecision, &f) == 1) {
      *data = c;
      *size = cn;
      return 1;
    }
  }
  return 0;
}

static void TestEntryPoints(const SampleFiles* files) {
  jc_engine* engine = NULL;
  const void* routed = NULL;
  size_t routed_size = 0;
  const Message service = ServiceRequest();
  const Message admission = AdmissionRequest();
  EntryPoint eps[11];
  int k;
  size_t i, n = 0;

  CHECK_STATUS(jc_engine_create_sample(&engine, NULL), JC_OK, NULL);
  if (engine == NULL) return;
  if (CHECK(FirstRoutedCase(files, &routed, &routed_size))) {
    EntryPoint route = {"jc_engine_route", RoutePlain, RouteIntoPlain,
                        NULL, 0, "jiceng.v1.Case", 0};
    EntryPoint explain = {"jc_engine_route (explain)", RouteExplain, NULL,
                          NULL, 0, "jiceng.v1.Case", 0};
    route.input = explain.input = routed;
    route.input_size = explain.input_size = routed_size;
    eps[n++] = route;
    eps[n++] = explain;
  }
  {
    EntryPoint s = {"jc_engine_route_service", jc_engine_route_service,
                    jc_engine_route_service_into, NULL, 0,
                    "jiceng.v1.ServiceRequest", 0};
    EntryPoint a = {"jc_engine_review_admission", jc_engine_review_admission,
                    NULL, NULL, 0, "jiceng.v1.AdmissionRequest", 0};
    EntryPoint b = {"jc_engine_route_batch", RouteBatch1, NULL, NULL, 0, NULL,
                    1};
    EntryPoint w = {"jc_engine_route_batch_with", RouteBatchWithDefaults,
                    NULL, NULL, 0, NULL, 1};
    EntryPoint d = {"jc_engine_diff", DiffSelf, NULL, NULL, 0, NULL, 0};
    s.input = service.bytes;
    s.input_size = service.size;
    a.input = admission.bytes;
    a.input_size = admission.size;
    b.input = w.input = d.input = files->cases;
    b.input_size = w.input_size = d.input_size = files->cases_size;
    eps[n++] = s;
    eps[n++] = a;
    eps[n++] = b;
    eps[n++] = w;
    eps[n++] = d;
  }
  for (k = 0; k < 3; ++k) {
    EntryPoint loop = {NULL, NULL, NULL, NULL, 0, NULL, 0};
    loop.name = kLoopNames[k];
    loop.fn = kLoopFns[k];
    loop.garbage_needle = "jiceng.v1.";
    if (CHECK(FirstAnsweredRequest(files, k, &loop.input,
                                   &loop.input_size))) {
      eps[n++] = loop;
    }
  }
  for (i = 0; i < n; ++i) CheckEntryPoint(engine, &eps[i]);
  jc_engine_destroy(engine);
}

/* JC_OUT_OF_RANGE (a deadline leaving the work calendar) and
 * JC_BUFFER_TOO_SMALL are distinct in the *_into variants: a case reported
 * in 2100 gives OUT_OF_RANGE with *out_size untouched, with no buffer as
 * with a large one. The routed sample case gets its reported_at overridden (the
 * last occurrence of a scalar field wins). */
static void TestOutOfRangeIsNotBufferTooSmall(const SampleFiles* files) {
  const uint64_t k2100 = 4102444800u; /* 2100-01-01T00:00:00Z */
  static unsigned char big[1 << 16];
  jc_engine* engine = NULL;
  const void* routed = NULL;
  size_t routed_size = 0;
  Message late;
  size_t size;
  char* err = NULL;
  CHECK_STATUS(jc_engine_create_sample(&engine, NULL), JC_OK, NULL);
  if (engine == NULL) return;
  memset(&late, 0, sizeof late);
  if (CHECK(FirstRoutedCase(files, &routed, &routed_size)) &&
      CHECK(routed_size + 16 <= sizeof late.bytes)) {
    memcpy(late.bytes, routed, routed_size);
    late.size = routed_size;
    PutVarintField(&late, kCaseReportedAt, k2100);
    size = SENTINEL_SIZE;
    CHECK_STATUS(jc_engine_route_into(engine, late.bytes, late.size, 0, NULL,
                                      0, &size, &err),
                 JC_OUT_OF_RANGE, err);
    CHECK(size == SENTINEL_SIZE);
    CHECK_MESSAGE(err, "2100");
    jc_free(err);
    CHECK_STATUS(jc_engine_route_into(engine, late.bytes, late.size, 0, big,
                                      sizeof big, &size, NULL),
                 JC_OUT_OF_RANGE, NULL);
    CHECK(size == SENTINEL_SIZE);
  }
  jc_engine_destroy(engine);
}

/* The closed loop through the C ABI: every request of c_api_expected gets
 * the C++ API's status and, on success, its bytes. */
static void TestClosedLoopMatchesCpp(const SampleFiles* files) {
  jc_engine* engine = NULL;
  int k;
  CHECK_STATUS(jc_engine_create_sample(&engine, NULL), JC_OK, NULL);
  if (engine == NULL) return;
  for (k = 0; k < 3; ++k) {
    size_t ro = 0, ao = 0, n = 0, ok = 0;
    const unsigned char *r, *a;
    size_t rn, an;
    while (NextFrame(files->requests[k].data, files->requests[k].size, &ro,
                     &r, &rn) == 1) {
      void* out = NULL;
      size_t size = 0;
      jc_status status;
      if (!CHECK(NextFrame(files->answers[k].data, files->answers[k].size,
                           &ao, &a, &an) == 1 &&
                 an >= 1)) {
        break;
      }
      status = kLoopFns[k](engine, r, rn, &out, &size, NULL);
      if (!CHECK(status == (jc_status)a[0])) {
        fprintf(stderr, "  %s request %zu: %s, the C++ API %s\n",
                kLoopNames[k], n, jc_status_name(status),
                jc_status_name((jc_status)a[0]));
      }
      if (status == JC_OK) {
        if (!CHECK(size == an - 1 && memcmp(out, a + 1, size) == 0)) {
          fprintf(stderr, "  %s request %zu: %zu bytes vs %zu expected\n",
                  kLoopNames[k], n, size, an - 1);
        }
        jc_free(out);
        ++ok;
      }
      ++n;
    }
    CHECK(ro == files->requests[k].size && ao == files->answers[k].size);
    CHECK(n > 0 && ok > 0);
    printf("%s: %zu requests through the C ABI (%zu answered), identical to "
           "the C++ API\n", kLoopNames[k], n, ok);
  }
  jc_engine_destroy(engine);
}

/* What each entry point says, beyond the conventions. */
static void TestEntryPointResults(const SampleFiles* files) {
  jc_engine* engine = NULL;
  jc_engine* tiny = NULL;
  const Message unknown = UnknownMatterCase();
  const Message service = ServiceRequest();
  const Message admission = AdmissionRequest();
  void* out = SENTINEL_PTR;
  size_t size = SENTINEL_SIZE;
  char* err = SENTINEL_MESSAGE;
  Field f;

  CHECK_STATUS(jc_engine_create_sample(&engine, NULL), JC_OK, NULL);
  CHECK_STATUS(jc_engine_create(kValidText, strlen(kValidText),
                                JC_FORMAT_TEXT, &tiny, NULL),
               JC_OK, NULL);
  if (engine == NULL || tiny == NULL) return;

  /* A case routing rejects: the field is named, outputs untouched. */
  CHECK_STATUS(jc_engine_route(engine, unknown.bytes, unknown.size, 0, &out,
                               &size, &err),
               JC_INVALID_ARGUMENT, err);
  CHECK(out == SENTINEL_PTR && size == SENTINEL_SIZE);
  CHECK_MESSAGE(err, "99999");
  /* Unknown flags. */
  CHECK_STATUS(jc_engine_route(engine, unknown.bytes, unknown.size, 6, &out,
                               &size, &err),
               JC_INVALID_ARGUMENT, err);
  CHECK(out == SENTINEL_PTR && size == SENTINEL_SIZE);
  CHECK_MESSAGE(err, "flags");

  /* The service decision echoes the request and names a window. */
  CHECK_STATUS(jc_engine_route_service(engine, service.bytes, service.size,
                                       &out, &size, &err),
               JC_OK, err);
  if (out != SENTINEL_PTR) {
    CHECK(FindField(out, size, kServiceDecisionRequestId, &f) == 1 &&
          f.size == 3 && memcmp(f.bytes, "S-1", 3) == 0);
    CHECK(FindField(out, size, kServiceDecisionAccepting, &f) == 1 &&
          BytesContain(f.bytes, f.size, "LH-XZ-BMFW"));
    jc_free(out);
    out = SENTINEL_PTR;
  }
  /* An unknown item: the field is named. */
  {
    Message bad;
    memset(&bad, 0, sizeof bad);
    PutStringField(&bad, kServiceItemCode, "NO-SUCH-ITEM");
    PutVarintField(&bad, kServiceApplicantRegion, 320116001001u);
    CHECK_STATUS(jc_engine_route_service(engine, bad.bytes, bad.size, &out,
                                         &size, &err),
                 JC_INVALID_ARGUMENT, err);
    CHECK(out == SENTINEL_PTR);
    CHECK_MESSAGE(err, "item_code");
  }

  /* Admission: a verdict, the proposal echoed. */
  size = SENTINEL_SIZE;
  CHECK_STATUS(jc_engine_review_admission(engine, admission.bytes,
                                          admission.size, &out, &size, &err),
               JC_OK, err);
  if (out != SENTINEL_PTR) {
    const int64_t verdict = VarintField(out, size, kAdmissionDecisionVerdict);
    CHECK(verdict >= 1 && verdict <= 3);
    CHECK(FindField(out, size, kAdmissionProposalId, &f) == 1 &&
          f.size == 3 && memcmp(f.bytes, "P-1", 3) == 0);
    jc_free(out);
    out = SENTINEL_PTR;
  }
  {
    Message bad;
    memset(&bad, 0, sizeof bad);
    PutStringField(&bad, kAdmissionTitle, "x");
    PutStringField(&bad, kAdmissionToRegion, "320116000000"); /* a county */
    CHECK_STATUS(jc_engine_review_admission(engine, bad.bytes, bad.size,
                                            &out, &size, &err),
                 JC_INVALID_ARGUMENT, err);
    CHECK(out == SENTINEL_PTR);
    CHECK_MESSAGE(err, "to_region_code");
  }

  /* Analysis as of the sample's effective date; NULL arguments. */
  size = SENTINEL_SIZE;
  CHECK_STATUS(jc_engine_analyze(engine, &out, &size, &err), JC_OK, err);
  CHECK(err == NULL);
  if (out != SENTINEL_PTR) {
    CHECK(FindField(out, size, kAnalysisAsOfDate, &f) == 1 &&
          f.size == 10 && memcmp(f.bytes, "2026-01-01", 10) == 0);
    jc_free(out);
    out = SENTINEL_PTR;
  }
  size = SENTINEL_SIZE;
  CHECK_STATUS(jc_engine_analyze(NULL, &out, &size, &err),
               JC_INVALID_ARGUMENT, err);
  CHECK(out == SENTINEL_PTR && size == SENTINEL_SIZE);
  CHECK_MESSAGE(err, "NULL");
  CHECK_STATUS(jc_engine_analyze(engine, NULL, &size, &err),
               JC_INVALID_ARGUMENT, err);
  CHECK_MESSAGE_IS(err, "out_analysis must not be NULL");
  CHECK_STATUS(jc_engine_analyze(engine, &out, NULL, &err),
               JC_INVALID_ARGUMENT, err);
  CHECK(out == SENTINEL_PTR);
  CHECK_MESSAGE(err, "NULL");

  /* Batch: a negative thread count; an empty stream is an empty result. */
  CHECK_STATUS(jc_engine_route_batch(engine, files->cases, files->cases_size,
                                     -1, &out, &size, &err),
               JC_INVALID_ARGUMENT, err);
  CHECK(out == SENTINEL_PTR);
  CHECK_MESSAGE(err, "threads");
  CHECK_STATUS(jc_engine_route_batch(engine, NULL, 0, 0, &out, &size, &err),
               JC_OK, err);
  CHECK(size == 0);
  if (out != SENTINEL_PTR) jc_free(out);
  out = SENTINEL_PTR;
  /* Garbage: one error entry inside the stream, not a failed call. */
  CHECK_STATUS(jc_engine_route_batch(engine, kGarbage, sizeof kGarbage, 1,
                                     &out, &size, &err),
               JC_OK, err);
  if (out != SENTINEL_PTR) {
    size_t offset = 0;
    const unsigned char* frame;
    size_t frame_size;
    CHECK(NextFrame(out, size, &offset, &frame, &frame_size) == 1 &&
          FindField(frame, frame_size, kBatchEntryError, &f) == 1 &&
          VarintField(f.bytes, f.size, kRouteErrorCode) ==
              JC_INVALID_ARGUMENT);
    CHECK(offset == size); /* exactly one entry */
    jc_free(out);
    out = SENTINEL_PTR;
  }

  /* Diff: the sample against a dataset without a catalogue changes every
   * case; a stream cut short keeps the cases before the cut, and lists the
   * cut frame in `unread` with its index and error. */
  CHECK_STATUS(jc_engine_diff(engine, tiny, files->cases, files->cases_size,
                              &out, &size, &err),
               JC_OK, err);
  {
    int64_t cases = 0;
    if (out != SENTINEL_PTR) {
      cases = VarintField(out, size, kDiffCases);
      CHECK(cases > 10);
      CHECK(VarintField(out, size, kDiffChangedCases) > 0);
      CHECK(FindField(out, size, kDiffUnread, &f) == 0);
      jc_free(out);
      out = SENTINEL_PTR;
    }
    CHECK_STATUS(jc_engine_diff(engine, engine, files->cases,
                                files->cases_size - 1, &out, &size, &err),
                 JC_OK, err);
    if (out != SENTINEL_PTR) {
      Field e;
      CHECK(VarintField(out, size, kDiffCases) == cases - 1);
      CHECK(FindField(out, size, kDiffUnread, &f) == 1 &&
            VarintField(f.bytes, f.size, kUnreadIndex) == cases - 1 &&
            FindField(f.bytes, f.size, kUnreadError, &e) == 1 &&
            VarintField(e.bytes, e.size, kRouteErrorCode) ==
                JC_INVALID_ARGUMENT);
      jc_free(out);
      out = SENTINEL_PTR;
    }
  }
  CHECK_STATUS(jc_engine_diff(engine, NULL, files->cases, files->cases_size,
                              &out, &size, &err),
               JC_INVALID_ARGUMENT, err);
  CHECK(out == SENTINEL_PTR);
  CHECK_MESSAGE(err, "NULL");

  jc_engine_destroy(tiny);
  jc_engine_destroy(engine);
}

/* Checks one routed case against the C++ API's BatchEntry `e`. */
static void CheckAgainstExpected(jc_status status, const void* out,
                                 size_t size, const unsigned char* e,
                                 size_t en, size_t index) {
  Field d;
  if (FindField(e, en, kBatchEntryDecision, &d) == 1) {
    if (!CHECK(status == JC_OK && size == d.size &&
               memcmp(out, d.bytes, size) == 0)) {
      fprintf(stderr, "  case %zu: status %s, %zu bytes vs %zu expected\n",
              index, jc_status_name(status), size, d.size);
    }
  } else if (CHECK(FindField(e, en, kBatchEntryError, &d) == 1)) {
    if (!CHECK(status == (jc_status)VarintField(d.bytes, d.size,
                                                kRouteErrorCode))) {
      fprintf(stderr, "  case %zu: status %s\n", index,
              jc_status_name(status));
    }
  }
}

/* The sample cases through jc_engine_route, jc_engine_route_into and
 * jc_engine_route_batch: byte-identical to the C++ API. */
static void TestSampleCasesMatchCpp(const SampleFiles* files) {
  jc_engine* engine = NULL;
  size_t co = 0, eo = 0, xo = 0, n = 0, errors = 0;
  const unsigned char *c, *e, *x;
  size_t cn, en, xn;
  unsigned char* buffer = (unsigned char*)malloc(1 << 16);
  void* batch[2] = {NULL, NULL};
  size_t batch_size[2] = {0, 0};
  int t;

  CHECK_STATUS(jc_engine_create_sample(&engine, NULL), JC_OK, NULL);
  if (engine == NULL || buffer == NULL) return;
  while (NextFrame(files->cases, files->cases_size, &co, &c, &cn) == 1) {
    void* out = NULL;
    size_t size = 0;
    jc_status status;
    if (!CHECK(NextFrame(files->expected, files->expected_size, &eo, &e,
                         &en) == 1 &&
               NextFrame(files->explain, files->explain_size, &xo, &x, &xn) ==
                   1)) {
      break;
    }
    status = jc_engine_route(engine, c, cn, 0, &out, &size, NULL);
    CheckAgainstExpected(status, out, size, e, en, n);
    if (status == JC_OK) jc_free(out);
    errors += status != JC_OK;
    size = 0;
    status = jc_engine_route_into(engine, c, cn, 0, buffer, 1 << 16, &size,
                                  NULL);
    CheckAgainstExpected(status, buffer, size, e, en, n);
    out = NULL;
    status = jc_engine_route(engine, c, cn, JC_ROUTE_EXPLAIN_TEXT, &out,
                             &size, NULL);
    CheckAgainstExpected(status, out, size, x, xn, n);
    if (status == JC_OK) {
      Field f;
      /* Explained: every trace step carries text, so it is longer. */
      CHECK(FindField(out, size, kDecisionTrace, &f) == 1);
      jc_free(out);
    }
    ++n;
  }
  CHECK(co == files->cases_size && eo == files->expected_size);
  CHECK(n > 10);
  CHECK(errors >= 2); /* the script's two malformed cases */
  printf("sample cases: %zu routed through the C ABI, %zu per-case errors, "
         "identical to the C++ API\n", n, errors);

  /* The batch: one entry per case, each decision identical; one thread and
   * the hardware's concurrency give the same bytes. */
  for (t = 0; t < 2; ++t) {
    CHECK_STATUS(jc_engine_route_batch(engine, files->cases,
                                       files->cases_size, t == 0 ? 1 : 0,
                                       &batch[t], &batch_size[t], NULL),
                 JC_OK, NULL);
  }
  if (batch[0] != NULL && batch[1] != NULL) {
    size_t bo = 0, i = 0;
    const unsigned char* b;
    size_t bn;
    CHECK(batch_size[0] == batch_size[1] &&
          memcmp(batch[0], batch[1], batch_size[0]) == 0);
    eo = 0;
    while (NextFrame(batch[0], batch_size[0], &bo, &b, &bn) == 1 &&
           NextFrame(files->expected, files->expected_size, &eo, &e, &en) ==
               1) {
      Field bd;
      CHECK(VarintField(b, bn, kBatchEntryIndex) == (int64_t)i);
      if (FindField(b, bn, kBatchEntryDecision, &bd) == 1) {
        CheckAgainstExpected(JC_OK, bd.bytes, bd.size, e, en, i);
      } else if (CHECK(FindField(b, bn, kBatchEntryError, &bd) == 1)) {
        CheckAgainstExpected(
            (jc_status)VarintField(bd.bytes, bd.size, kRouteErrorCode), NULL,
            0, e, en, i);
      }
      ++i;
    }
    CHECK(i == n && bo == batch_size[0]);
  }
  jc_free(batch[0]);
  jc_free(batch[1]);
  free(buffer);
  jc_engine_destroy(engine);
}

/* jc_engine_route_batch_with: its defaults are jc_engine_route_batch's
 * with threads = 0; a stream routed in two parts, the second numbered from
 * where it stands, gives the bytes of one call; explain_text gives the
 * explained decisions; bad options are refused naming the field. */
enum { kBatchOptionsThreads = 1, kBatchOptionsRoute = 2,
       kBatchOptionsFirstIndex = 3, kBatchOptionsFirstByte = 4,
       kRouteOptionsExplainText = 1 };

static void TestBatchWithOptions(const SampleFiles* files) {
  jc_engine* engine = NULL;
  void *whole = NULL, *dflt = NULL, *head = NULL, *tail = NULL;
  void* explained = NULL;
  size_t whole_size = 0, dflt_size = 0, head_size = 0, tail_size = 0;
  size_t explained_size = 0;
  size_t offset = 0, cut = 0, cases = 0, i;
  const unsigned char* frame;
  size_t frame_size;
  Message options = {{0}, 0};
  char* err = NULL;
  void* out = SENTINEL_PTR;
  size_t size = SENTINEL_SIZE;

  CHECK_STATUS(jc_engine_create_sample(&engine, NULL), JC_OK, NULL);
  if (engine == NULL) return;
  CHECK_STATUS(jc_engine_route_batch(engine, files->cases, files->cases_size,
                                     1, &whole, &whole_size, NULL),
               JC_OK, NULL);
  CHECK_STATUS(jc_engine_route_batch_with(engine, files->cases,
                                          files->cases_size, NULL, 0, &dflt,
                                          &dflt_size, NULL),
               JC_OK, NULL);
  CHECK(whole != NULL && dflt != NULL && whole_size == dflt_size &&
        memcmp(whole, dflt, whole_size) == 0);

  /* Cut the stream after its 100th case. */
  while (cases < 100 && NextFrame(files->cases, files->cases_size, &offset,
                                  &frame, &frame_size) == 1) {
    ++cases;
  }
  cut = offset;
  CHECK(cases == 100 && cut < files->cases_size);
  PutVarintField(&options, kBatchOptionsThreads, 2);
  CHECK_STATUS(jc_engine_route_batch_with(engine, files->cases, cut,
                                          options.bytes, options.size, &head,
                                          &head_size, NULL),
               JC_OK, NULL);
  PutVarintField(&options, kBatchOptionsFirstIndex, cases);
  PutVarintField(&options, kBatchOptionsFirstByte, cut);
  CHECK_STATUS(jc_engine_route_batch_with(
                   engine, (const unsigned char*)files->cases + cut,
                   files->cases_size - cut, options.bytes, options.size,
                   &tail, &tail_size, NULL),
               JC_OK, NULL);
  CHECK(head != NULL && tail != NULL && head_size + tail_size == whole_size &&
        memcmp(head, whole, head_size) == 0 &&
        memcmp(tail, (const unsigned char*)whole + head_size, tail_size) == 0);

  /* Explained: each decision as jc_engine_route with
   * JC_ROUTE_EXPLAIN_TEXT gives it. */
  options.size = 0;
  {
    Message route = {{0}, 0};
    PutVarintField(&route, kRouteOptionsExplainText, 1);
    PutVarint(&options, ((uint64_t)kBatchOptionsRoute << 3) | 2);
    PutVarint(&options, route.size);
    memcpy(options.bytes + options.size, route.bytes, route.size);
    options.size += route.size;
  }
  CHECK_STATUS(jc_engine_route_batch_with(engine, files->cases,
                                          files->cases_size, options.bytes,
                                          options.size, &explained,
                                          &explained_size, NULL),
               JC_OK, NULL);
  if (explained != NULL) {
    size_t bo = 0, xo = 0;
    const unsigned char *b, *x;
    size_t bn, xn;
    i = 0;
    CHECK(explained_size > whole_size);
    while (NextFrame(explained, explained_size, &bo, &b, &bn) == 1 &&
           NextFrame(files->explain, files->explain_size, &xo, &x, &xn) ==
               1) {
      Field bd;
      if (FindField(b, bn, kBatchEntryDecision, &bd) == 1) {
        CheckAgainstExpected(JC_OK, bd.bytes, bd.size, x, xn, i);
      }
      ++i;
    }
    CHECK(bo == explained_size && i > 100);
  }

  /* Refused: options that are not a BatchOptions, a negative first_index,
   * first_byte or threads; every output untouched. */
  {
    static const unsigned char kGarbageOptions[] = {0xFF, 0xFF, 0xFF};
    Message negative = {{0}, 0};
    CHECK_STATUS(jc_engine_route_batch_with(engine, files->cases,
                                            files->cases_size,
                                            kGarbageOptions,
                                            sizeof kGarbageOptions, &out,
                                            &size, &err),
                 JC_INVALID_ARGUMENT, err);
    CHECK_MESSAGE(err, "options_data");
    static const struct {
      uint32_t field;
      int64_t value;
      const char* needle;
    } kNegative[] = {{kBatchOptionsFirstIndex, -1, "first_index -1"},
                     {kBatchOptionsFirstByte, -7, "first_byte -7"},
                     {kBatchOptionsThreads, -2, "threads: -2"}};
    for (i = 0; i < sizeof kNegative / sizeof kNegative[0]; ++i) {
      negative.size = 0;
      PutVarintField(&negative, kNegative[i].field,
                     (uint64_t)kNegative[i].value);
      CHECK_STATUS(jc_engine_route_batch_with(
                       engine, files->cases, files->cases_size,
                       negative.bytes, negative.size, &out, &size, &err),
                   JC_INVALID_ARGUMENT, err);
      if (!Record(err != NULL && strstr(err, kNegative[i].needle) != NULL,
                  __FILE__, __LINE__, kNegative[i].needle)) {
        fprintf(stderr, "  message: %s\n", MessageOrNone(err));
      }
      jc_free(err);
      err = NULL;
    }
    CHECK_STATUS(jc_engine_route_batch_with(engine, files->cases,
                                            files->cases_size, NULL, 3, &out,
                                            &size, &err),
                 JC_INVALID_ARGUMENT, err);
    CHECK_MESSAGE(err, "options_data is NULL");
    CHECK(out == SENTINEL_PTR && size == SENTINEL_SIZE);
  }
  printf("route_batch_with: %zu cases in two parts give one call's bytes; "
         "explained decisions as jc_engine_route gives them\n",
         cases + (size_t)0);
  jc_free(whole);
  jc_free(dflt);
  jc_free(head);
  jc_free(tail);
  jc_free(explained);
  jc_engine_destroy(engine);
}

static void TestNullIsNoOp(void) {
  jc_free(NULL);
  jc_engine_destroy(NULL);
  CHECK(1); /* reached */
}

/* Engines are independent: destroying one leaves another usable. */
static void TestIndependentEngines(void) {
  jc_engine* a = NULL;
  jc_engine* b = NULL;
  void* info;
  size_t size = 0;
  CHECK_STATUS(jc_engine_create_sample(&a, NULL), JC_OK, NULL);
  CHECK_STATUS(jc_engine_create_sample(&b, NULL), JC_OK, NULL);
  CHECK(a != NULL && b != NULL && a != b);
  jc_engine_destroy(a);
  if (b == NULL) return;
  info = EngineInfo(b, &size);
  CHECK(info != NULL && size > 0);
  jc_free(info);
  jc_engine_destroy(b);
}

/* DIR/NAME read whole; NULL (and a message) when it cannot be. */
static void* ReadDataFile(const char* dir, const char* name, size_t* size) {
  char path[4096];
  void* data;
  snprintf(path, sizeof path, "%s/%s", dir, name);
  data = ReadFile(path, size);
  if (data == NULL) fprintf(stderr, "c_api_test: cannot read %s\n", path);
  return data;
}

/* Engine snapshots: saved through both output conventions, loaded back,
 * the sample cases routed identically; damaged bytes refused with the
 * documented codes and every output untouched. */
static void TestSnapshots(const SampleFiles* files) {
  jc_engine* engine = NULL;
  jc_engine* loaded = SENTINEL_ENGINE;
  void* snapshot = SENTINEL_PTR;
  size_t size = SENTINEL_SIZE, needed = 0, co = 0, eo = 0, n = 0;
  char* err = SENTINEL_MESSAGE;
  unsigned char* copy;
  const unsigned char *c, *e;
  size_t cn, en;

  CHECK_STATUS(jc_engine_create_sample(&engine, NULL), JC_OK, NULL);
  if (engine == NULL) return;
  CHECK_STATUS(jc_engine_save_snapshot(engine, &snapshot, &size, &err), JC_OK,
               err);
  CHECK(err == NULL);
  if (snapshot == SENTINEL_PTR || snapshot == NULL) return;
  CHECK(size > 64 && memcmp(snapshot, "JICENGSN", 8) == 0);

  /* The caller's buffer: too small reports the size needed (convention
   * 10) and leaves the buffer alone; large enough gives the same bytes. */
  copy = (unsigned char*)malloc(size);
  if (copy == NULL) return;
  memset(copy, 0xAB, size);
  CHECK_STATUS(
      jc_engine_save_snapshot_into(engine, copy, size - 1, &needed, NULL),
      JC_BUFFER_TOO_SMALL, NULL);
  CHECK(needed == size && copy[0] == 0xAB);
  needed = 0;
  CHECK_STATUS(jc_engine_save_snapshot_into(engine, NULL, 0, &needed, NULL),
               JC_BUFFER_TOO_SMALL, NULL);
  CHECK(needed == size);
  CHECK_STATUS(jc_engine_save_snapshot_into(engine, copy, size, &needed, NULL),
               JC_OK, NULL);
  CHECK(needed == size && memcmp(copy, snapshot, size) == 0);

  err = SENTINEL_MESSAGE;
  CHECK_STATUS(jc_engine_create_from_snapshot(snapshot, size, &loaded, &err),
               JC_OK, err);
  CHECK(err == NULL && loaded != NULL && loaded != SENTINEL_ENGINE);
  if (loaded != NULL && loaded != SENTINEL_ENGINE) {
    while (NextFrame(files->cases, files->cases_size, &co, &c, &cn) == 1 &&
           NextFrame(files->expected, files->expected_size, &eo, &e, &en) ==
               1) {
      void* out = NULL;
      size_t out_size = 0;
      const jc_status status =
          jc_engine_route(loaded, c, cn, 0, &out, &out_size, NULL);
      CheckAgainstExpected(status, out, out_size, e, en, n);
      if (status == JC_OK) jc_free(out);
      ++n;
    }
    CHECK(n > 10 && co == files->cases_size);
    printf("snapshot: %zu bytes; %zu sample cases routed by the loaded "
           "engine, identical to the C++ API\n", size, n);
    jc_engine_destroy(loaded);
  }

  /* Damage: one byte of the payload (checksum), the magic, a truncation. */
  memcpy(copy, snapshot, size);
  copy[size - 3] ^= 0x40;
  loaded = SENTINEL_ENGINE;
  err = SENTINEL_MESSAGE;
  CHECK_STATUS(jc_engine_create_from_snapshot(copy, size, &loaded, &err),
               JC_DATA_LOSS, err);
  CHECK(loaded == SENTINEL_ENGINE);
  CHECK_MESSAGE(err, "checksum mismatch");
  copy[size - 3] ^= 0x40;
  copy[0] = 'X';
  err = SENTINEL_MESSAGE;
  CHECK_STATUS(jc_engine_create_from_snapshot(copy, size, &loaded, &err),
               JC_INVALID_ARGUMENT, err);
  CHECK_MESSAGE(err, "not a jiceng snapshot");
  err = SENTINEL_MESSAGE;
  CHECK_STATUS(jc_engine_create_from_snapshot(snapshot, size / 2, &loaded,
                                              &err),
               JC_DATA_LOSS, err);
  CHECK_MESSAGE(err, "truncated");
  CHECK(loaded == SENTINEL_ENGINE);
  /* Cut inside the 64-byte header: a snapshot cut short, not another file. */
  err = SENTINEL_MESSAGE;
  CHECK_STATUS(jc_engine_create_from_snapshot(snapshot, 20, &loaded, &err),
               JC_DATA_LOSS, err);
  CHECK_MESSAGE(err, "64-byte header: truncated");
  CHECK(loaded == SENTINEL_ENGINE);
  CHECK_STATUS(jc_engine_create_from_snapshot(snapshot, size, NULL, NULL),
               JC_INVALID_ARGUMENT, NULL);
  CHECK_STATUS(jc_engine_create_from_snapshot(NULL, 5, &loaded, NULL),
               JC_INVALID_ARGUMENT, NULL);
  CHECK_STATUS(jc_engine_save_snapshot(NULL, &snapshot, &size, NULL),
               JC_INVALID_ARGUMENT, NULL);
  CHECK(loaded == SENTINEL_ENGINE);
  free(copy);
  jc_free(snapshot);
  jc_engine_destroy(engine);
}

/* ---- An assessment fed a part at a time ---------------------------------- */

/* The records of an AssessRequest holding nothing else (field 1 each,
 * tag 0x0a): as a length-delimited stream of CaseRecord, i.e. the request
 * without its tag bytes, in a malloc'd buffer; *offsets[i] is where frame
 * i starts (offsets has room for a frame per byte). */
static unsigned char* RecordsStream(const unsigned char* request, size_t size,
                                    size_t* stream_size, size_t* frames) {
  unsigned char* stream = (unsigned char*)malloc(size == 0 ? 1 : size);
  const unsigned char* p = request;
  const unsigned char* const end = request + size;
  size_t n = 0;
  *frames = 0;
  if (stream == NULL) return NULL;
  while (p < end) {
    const unsigned char* len_at;
    uint64_t len = 0;
    if (*p++ != 0x0a) break; /* not a record: the caller checks the size */
    len_at = p;
    if (!ReadVarint(&p, end, &len) || len > (uint64_t)(end - p)) break;
    memcpy(stream + n, len_at, (size_t)(p - len_at) + (size_t)len);
    n += (size_t)(p - len_at) + (size_t)len;
    p += len;
    ++*frames;
  }
  *stream_size = p == end ? n : (size_t)-1;
  return stream;
}

/* Where frame `k` of a length-delimited stream starts (k <= its count). */
static size_t FrameOffset(const unsigned char* stream, size_t size, size_t k) {
  size_t offset = 0;
  const unsigned char* frame;
  size_t frame_size, i;
  for (i = 0;
       i < k && NextFrame(stream, size, &offset, &frame, &frame_size) == 1;
       ++i) {
  }
  return offset;
}

static void TestAssessmentStream(const SampleFiles* files) {
  jc_engine* engine = NULL;
  const void* request = NULL;
  size_t request_size = 0, offset = 0;
  const unsigned char *answer, *frame0;
  size_t answer_size, frame0_size, stream_size = 0, frames = 0;
  unsigned char* stream;
  jc_assessment* a = NULL;
  void* out = SENTINEL_PTR;
  size_t size = SENTINEL_SIZE;
  char* err = SENTINEL_MESSAGE;
  Message settings;

  CHECK_STATUS(jc_engine_create_sample(&engine, NULL), JC_OK, NULL);
  if (engine == NULL) return;
  /* The sample's records, every one in one request, and the C++ API's
   * report for them. */
  if (!CHECK(NextFrame(files->requests[2].data, files->requests[2].size,
                       &offset, (const unsigned char**)&request,
                       &request_size) == 1)) {
    jc_engine_destroy(engine);
    return;
  }
  offset = 0;
  CHECK(NextFrame(files->answers[2].data, files->answers[2].size, &offset,
                  &answer, &answer_size) == 1 &&
        answer_size >= 1 && answer[0] == JC_OK);
  stream = RecordsStream((const unsigned char*)request, request_size,
                         &stream_size, &frames);
  if (!CHECK(stream != NULL && stream_size != (size_t)-1 && frames > 10)) {
    free(stream);
    jc_engine_destroy(engine);
    return;
  }
  offset = 0;
  NextFrame(stream, stream_size, &offset, &frame0, &frame0_size);

  /* In four parts, one empty and one of a single record: the bytes
   * jc_engine_assess gives for all of them at once. */
  {
    const size_t one = FrameOffset(stream, stream_size, 1);
    const size_t half = FrameOffset(stream, stream_size, frames / 2);
    CHECK_STATUS(jc_assessment_start(engine, NULL, 0, &a, &err), JC_OK, err);
    CHECK(err == NULL && a != NULL);
    CHECK_STATUS(jc_assessment_add(a, NULL, 0, &err), JC_OK, err);
    CHECK_STATUS(jc_assessment_add(a, stream, one, &err), JC_OK, err);
    CHECK_STATUS(jc_assessment_add(a, stream + one, half - one, &err), JC_OK,
                 err);
    CHECK_STATUS(jc_assessment_add(a, stream + half, stream_size - half, &err),
                 JC_OK, err);
    CHECK_STATUS(jc_assessment_finish(a, &out, &size, &err), JC_OK, err);
    CHECK(err == NULL);
    if (CHECK(out != SENTINEL_PTR && size == answer_size - 1 &&
              memcmp(out, answer + 1, size) == 0)) {
      printf(
          "assessment stream: %zu records in 4 parts, the report "
          "jc_engine_assess gives (%zu bytes)\n",
          frames, size);
    }
    jc_free(out);
    out = SENTINEL_PTR;
    size = SENTINEL_SIZE;
    /* Spent: add and finish refuse, the outputs untouched. */
    CHECK_STATUS(jc_assessment_finish(a, &out, &size, &err),
                 JC_FAILED_PRECONDITION, err);
    CHECK(out == SENTINEL_PTR && size == SENTINEL_SIZE);
    CHECK_MESSAGE(err, "finished");
    CHECK_STATUS(jc_assessment_add(a, stream, one, &err),
                 JC_FAILED_PRECONDITION, err);
    CHECK_MESSAGE(err, "finished");
    jc_assessment_destroy(a);
    a = NULL;
  }

  /* No records: the empty report jc_engine_assess gives (with settings). */
  memset(&settings, 0, sizeof settings);
  PutVarintField(&settings, 5, 1790000000u); /* as_of */
  {
    void* whole = NULL;
    size_t whole_size = 0;
    CHECK_STATUS(jc_engine_assess(engine, settings.bytes, settings.size, &whole,
                                  &whole_size, NULL),
                 JC_OK, NULL);
    CHECK_STATUS(
        jc_assessment_start(engine, settings.bytes, settings.size, &a, &err),
        JC_OK, err);
    CHECK_STATUS(jc_assessment_finish(a, &out, &size, &err), JC_OK, err);
    CHECK(out != SENTINEL_PTR && size == whole_size &&
          memcmp(out, whole, size) == 0);
    jc_free(out);
    jc_free(whole);
    jc_assessment_destroy(a);
    a = NULL;
    out = SENTINEL_PTR;
    size = SENTINEL_SIZE;
  }

  /* Bad settings: nothing is started. */
  {
    jc_assessment* untouched = (jc_assessment*)SENTINEL_PTR;
    memset(&settings, 0, sizeof settings);
    PutVarintField(&settings, 2, (uint64_t)-5); /* period_start */
    CHECK_STATUS(jc_assessment_start(engine, settings.bytes, settings.size,
                                     &untouched, &err),
                 JC_INVALID_ARGUMENT, err);
    CHECK(untouched == (jc_assessment*)SENTINEL_PTR);
    CHECK_MESSAGE(err, "period_start: -5 is negative");
    /* Records belong to jc_assessment_add. */
    CHECK_STATUS(
        jc_assessment_start(engine, request,
                            1 + (size_t)(frame0 - stream) + frame0_size,
                            &untouched, &err),
        JC_INVALID_ARGUMENT, err);
    CHECK(untouched == (jc_assessment*)SENTINEL_PTR);
    CHECK_MESSAGE(err,
                  "records: 1 given with the settings; give them to "
                  "jc_assessment_add");
    CHECK_STATUS(jc_assessment_start(engine, "\x0a\x05", 2, &untouched, &err),
                 JC_INVALID_ARGUMENT, err);
    CHECK_MESSAGE(err, "settings_data");
    CHECK_STATUS(jc_assessment_start(NULL, NULL, 0, NULL, &err),
                 JC_INVALID_ARGUMENT, err);
    CHECK_MESSAGE_IS(err, "engine and out_assessment must not be NULL");
  }

  /* Arguments: a call refused for them adds nothing and fails nothing. */
  CHECK_STATUS(jc_assessment_start(engine, NULL, 0, &a, NULL), JC_OK, NULL);
  if (a != NULL) {
    CHECK_STATUS(jc_assessment_add(NULL, stream, 1, &err), JC_INVALID_ARGUMENT,
                 err);
    CHECK_MESSAGE_IS(err, "assessment must not be NULL");
    CHECK_STATUS(jc_assessment_add(a, NULL, 5, &err), JC_INVALID_ARGUMENT, err);
    CHECK_MESSAGE(err, "records_stream is NULL but its size is 5");
    CHECK_STATUS(jc_assessment_add(a, stream, JC_MAX_INPUT_BYTES + 1, &err),
                 JC_RESOURCE_EXHAUSTED, err);
    CHECK_MESSAGE(err, "JC_MAX_INPUT_BYTES");
    CHECK_STATUS(jc_assessment_finish(a, NULL, &size, &err),
                 JC_INVALID_ARGUMENT, err);
    CHECK(size == SENTINEL_SIZE);
    CHECK_MESSAGE_IS(err, "out_report must not be NULL");
    CHECK_STATUS(jc_assessment_finish(NULL, NULL, NULL, &err),
                 JC_INVALID_ARGUMENT, err);
    CHECK_MESSAGE_IS(err,
                     "assessment, out_report and out_size must not be NULL");
    /* Still open, still empty: the whole stream gives the whole report. */
    CHECK_STATUS(jc_assessment_add(a, stream, stream_size, &err), JC_OK, err);
    CHECK_STATUS(jc_assessment_finish(a, &out, &size, NULL), JC_OK, NULL);
    CHECK(size == answer_size - 1 && memcmp(out, answer + 1, size) == 0);
    jc_free(out);
    out = SENTINEL_PTR;
    size = SENTINEL_SIZE;
    jc_assessment_destroy(a);
    a = NULL;
  }

  /* A record's problem is named by its place among all the records added,
   * and fails the assessment: add and finish repeat it, once finished
   * finish says so. */
  CHECK_STATUS(jc_assessment_start(engine, NULL, 0, &a, NULL), JC_OK, NULL);
  if (a != NULL) {
    const size_t two = FrameOffset(stream, stream_size, 2);
    CHECK_STATUS(jc_assessment_add(a, stream, two, &err), JC_OK, err);
    /* records[2] and records[3] are records[0] and [1] again. */
    CHECK_STATUS(jc_assessment_add(a, stream, two, &err), JC_INVALID_ARGUMENT,
                 err);
    CHECK_MESSAGE(err, "records[2].case.id: ");
    CHECK_STATUS(jc_assessment_add(a, stream + two, stream_size - two, &err),
                 JC_INVALID_ARGUMENT, err);
    CHECK_MESSAGE(err, "is the case of records[0]");
    CHECK_STATUS(jc_assessment_finish(a, &out, &size, &err),
                 JC_INVALID_ARGUMENT, err);
    CHECK(out == SENTINEL_PTR && size == SENTINEL_SIZE);
    CHECK_MESSAGE(err, "records[2].case.id: ");
    CHECK_STATUS(jc_assessment_finish(a, &out, &size, &err),
                 JC_FAILED_PRECONDITION, err);
    CHECK_MESSAGE(err, "finished");
    jc_assessment_destroy(a);
    a = NULL;
  }

  /* Bytes that are not a record, and a frame cut short. */
  CHECK_STATUS(jc_assessment_start(engine, NULL, 0, &a, NULL), JC_OK, NULL);
  if (a != NULL) {
    CHECK_STATUS(
        jc_assessment_add(a, stream, frame0 - stream + frame0_size, &err),
        JC_OK, err);
    CHECK_STATUS(jc_assessment_add(a, "\x02\x0a\x05", 3, &err),
                 JC_INVALID_ARGUMENT, err);
    CHECK_MESSAGE(err, "records[1]: jiceng.v1.CaseRecord");
    jc_assessment_destroy(a);
    a = NULL;
  }
  CHECK_STATUS(jc_assessment_start(engine, NULL, 0, &a, NULL), JC_OK, NULL);
  if (a != NULL) {
    const size_t two = FrameOffset(stream, stream_size, 2);
    CHECK_STATUS(jc_assessment_add(a, stream, two - 1, &err),
                 JC_INVALID_ARGUMENT, err);
    CHECK_MESSAGE(err,
                  "records[1]: in this call's records_stream, frame 1 at byte");
    CHECK_STATUS(jc_assessment_add(a, stream + two, 1, &err),
                 JC_INVALID_ARGUMENT, err);
    CHECK_MESSAGE(err,
                  "records[1]: in this call's records_stream, frame 1 at byte");
    jc_assessment_destroy(a); /* unfinished */
    a = NULL;
  }
  jc_assessment_destroy(NULL);

  /* Two assessments over one engine are independent. */
  {
    jc_assessment* b = NULL;
    void* out_b = NULL;
    size_t size_b = 0;
    CHECK_STATUS(jc_assessment_start(engine, NULL, 0, &a, NULL), JC_OK, NULL);
    CHECK_STATUS(jc_assessment_start(engine, NULL, 0, &b, NULL), JC_OK, NULL);
    if (a != NULL && b != NULL) {
      CHECK_STATUS(jc_assessment_add(b, "\x01\x00", 2, NULL),
                   JC_INVALID_ARGUMENT, NULL);
      CHECK_STATUS(jc_assessment_add(a, stream, stream_size, NULL), JC_OK,
                   NULL);
      CHECK_STATUS(jc_assessment_finish(a, &out, &size, NULL), JC_OK, NULL);
      CHECK(size == answer_size - 1 && memcmp(out, answer + 1, size) == 0);
      CHECK_STATUS(jc_assessment_finish(b, &out_b, &size_b, NULL),
                   JC_INVALID_ARGUMENT, NULL);
      jc_free(out);
    }
    jc_assessment_destroy(a);
    jc_assessment_destroy(b);
  }
  free(stream);
  jc_engine_destroy(engine);
}

int main(int argc, char** argv) {
  SampleFiles files;
  int k, missing = 0;
  memset(&files, 0, sizeof files);
  if (argc != 2) {
    fprintf(stderr, "usage: c_api_test DATA_DIR (written by c_api_expected)\n");
    return 2;
  }
  files.cases = ReadDataFile(argv[1], "sample_cases.binpb", &files.cases_size);
  files.expected = ReadDataFile(argv[1], "expected.binpb", &files.expected_size);
  files.explain =
      ReadDataFile(argv[1], "expected_explain.binpb", &files.explain_size);
  missing = files.cases == NULL || files.expected == NULL ||
            files.explain == NULL;
  for (k = 0; k < 3; ++k) {
    char name[64];
    snprintf(name, sizeof name, "%s_requests.binpb", kLoopNames[k]);
    files.requests[k].data =
        ReadDataFile(argv[1], name, &files.requests[k].size);
    snprintf(name, sizeof name, "%s_expected.binpb", kLoopNames[k]);
    files.answers[k].data = ReadDataFile(argv[1], name, &files.answers[k].size);
    missing |= files.requests[k].data == NULL || files.answers[k].data == NULL;
  }
  if (missing) return 2;
  TestVersions();
  TestStatusNames();
  TestSampleEngine();
  TestSampleDatasetRoundTrip();
  TestValidate();
  TestInlineDatasets();
  TestNullArguments();
  TestUnknownFormat();
  TestInputTooLarge();
  TestFiles();
  TestNullIsNoOp();
  TestIndependentEngines();
  TestEntryPoints(&files);
  TestOutOfRangeIsNotBufferTooSmall(&files);
  TestEntryPointResults(&files);
  TestSampleCasesMatchCpp(&files);
  TestBatchWithOptions(&files);
  TestClosedLoopMatchesCpp(&files);
  TestAssessmentStream(&files);
  TestSnapshots(&files);
  for (k = 0; k < 3; ++k) {
    free(files.requests[k].data);
    free(files.answers[k].data);
  }
  free(files.cases);
  free(files.expected);
  free(files.explain);
  printf("jiceng %s (ABI %d)\n", jc_version_string(), jc_abi_version());
  printf("%d passed, %d failed\n", g_passed, g_failed);
  return g_failed == 0 ? 0 : 1;
}
