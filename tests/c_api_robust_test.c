/*
 * Copyright 2026 The jiceng Authors.
 * SPDX-License-Identifier: Apache-2.0
 *
 * Issue #8, from C against libjiceng.so: nothing the caller passes is
 * modified, and an engine stays usable after any error. Every entry point
 * that takes bytes is called with good and bad inputs (truncated, garbage,
 * oversized, NULL, bad flags, bad thread counts); after each call the input
 * buffers equal their snapshots, a failed call left its outputs untouched
 * and gave a message, and the shared engine still routes a case to the
 * same bytes as before the first call.
 *
 * Also: requests whose strings are not UTF-8 fail naming the field and
 * write nothing to the process's stderr (fd 2 is captured).
 *
 *   c_api_robust_test CASES_STREAM SERVICE_REQUEST ADMISSION_REQUEST
 *                     APPLY_REQUEST SUPERVISE_REQUEST ASSESS_REQUEST
 */

#define _POSIX_C_SOURCE 200809L /* dup, dup2, fileno */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "jiceng/jiceng.h"

static int g_failed = 0;
static int g_checks = 0;

#define CHECK(cond, what)                                              \
  do {                                                                 \
    ++g_checks;                                                        \
    if (!(cond)) {                                                     \
      ++g_failed;                                                      \
      fprintf(stderr, "%s:%d: FAILED %s (%s)\n", __FILE__, __LINE__, \
              #cond, what);                                            \
    }                                                                  \
  } while (0)

typedef struct {
  unsigned char* data;
  size_t size;
} Bytes;

static Bytes ReadAll(const char* path) {
  Bytes b = {NULL, 0};
  FILE* f = fopen(path, "rb");
  if (f == NULL) {
    fprintf(stderr, "cannot open %s\n", path);
    exit(2);
  }
  fseek(f, 0, SEEK_END);
  b.size = (size_t)ftell(f);
  fseek(f, 0, SEEK_SET);
  b.data = (unsigned char*)malloc(b.size + 1);
  if (fread(b.data, 1, b.size, f) != b.size) exit(2);
  fclose(f);
  return b;
}

static Bytes Copy(const void* data, size_t size) {
  Bytes b;
  b.data = (unsigned char*)malloc(size + 1);
  b.size = size;
  if (size > 0) memcpy(b.data, data, size);
  return b;
}

/* The first frame of a length-delimited stream. */
static Bytes FirstFrame(Bytes stream) {
  size_t len = 0, i = 0;
  int shift = 0;
  while (i < stream.size) {
    unsigned char c = stream.data[i++];
    len |= (size_t)(c & 0x7f) << shift;
    shift += 7;
    if ((c & 0x80) == 0) break;
  }
  return Copy(stream.data + i, len);
}

/* The inputs of one call and their snapshots. */
#define MAX_INPUTS 2
typedef struct {
  const unsigned char* live[MAX_INPUTS];
  Bytes snapshot[MAX_INPUTS];
  int count;
} Snapshots;

static void Take(Snapshots* s, const void* data, size_t size) {
  s->live[s->count] = (const unsigned char*)data;
  s->snapshot[s->count] = Copy(data, size);
  ++s->count;
}

static void ExpectUnchanged(Snapshots* s, const char* what) {
  int i;
  for (i = 0; i < s->count; ++i) {
    CHECK(memcmp(s->live[i], s->snapshot[i].data, s->snapshot[i].size) == 0,
          what);
    free(s->snapshot[i].data);
  }
  s->count = 0;
}

static const jc_engine* g_engine;
static Bytes g_case;
static Bytes g_baseline; /* g_case routed before any other call */

static void ExpectEngineUsable(const char* what) {
  void* out = NULL;
  size_t size = 0;
  jc_status s = jc_engine_route(g_engine, g_case.data, g_case.size, 0, &out,
                                &size, NULL);
  CHECK(s == JC_OK && size == g_baseline.size &&
            memcmp(out, g_baseline.data, size) == 0,
        what);
  jc_free(out);
}

/* After a call with one (void**, size_t*) output: on failure the output
 * kept its sentinel and a message came back. */
static void* const kSentinel = (void*)&g_failed;

static void Judge(const char* what, jc_status s, jc_status want, void* out,
                  char* error) {
  if (want >= 0) {
    CHECK(s == want, what);
    if (s != want) {
      fprintf(stderr, "  got %s: %s\n", jc_status_name(s),
              error ? error : "(no message)");
    }
  }
  if (s == JC_OK) {
    CHECK(error == NULL, what);
    if (out != kSentinel) jc_free(out);
  } else {
    CHECK(out == kSentinel, what);
    CHECK(error != NULL && error[0] != '\0', what);
  }
  jc_free(error);
  ExpectEngineUsable(what);
}

/* Calls fn over (data, size) with snapshots around it. */
#define CALL(what, want, data, size, call)          \
  do {                                              \
    Snapshots snaps = {{0}, {{0}}, 0};              \
    void* out = kSentinel;                          \
    size_t out_size = 0;                            \
    char* error = NULL;                             \
    jc_status s;                                    \
    Take(&snaps, (data), (size));                   \
    s = (call);                                     \
    ExpectUnchanged(&snaps, what);                  \
    Judge(what, s, (want), out, error);             \
    (void)out_size;                                 \
  } while (0)

/* RFC 3629 UTF-8 (no overlongs, surrogates or code points past U+10FFFF). */
static int IsUtf8(const char* s) {
  const unsigned char* p = (const unsigned char*)s;
  while (*p != 0) {
    unsigned c = *p++;
    int more, i;
    unsigned min;
    if (c < 0x80) continue;
    if ((c & 0xE0) == 0xC0) {
      more = 1, min = 0x80, c &= 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      more = 2, min = 0x800, c &= 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      more = 3, min = 0x10000, c &= 0x07;
    } else {
      return 0;
    }
    for (i = 0; i < more; ++i) {
      if ((*p & 0xC0) != 0x80) return 0;
      c = (c << 6) | (*p++ & 0x3F);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) return 0;
  }
  return 1;
}

/* Issue 8, found by fuzz_dataset_json / fuzz_dataset_text: protobuf's JSON
 * and text parsers quote the input around a syntax error, and cut the quote
 * inside a multi-byte character. The message must still be UTF-8 (the
 * cut bytes come out as \xNN). */
static void Issue8_ParserErrorMessagesAreUtf8(void) {
  static const char kJson[] =
      "{\"meta\": {\"id\": \"\", \"version\"X, \"name\": "
      "\"\xe9\x9b\x84\xe5\xb7\x9e\xe8\xa1\x97\xe9\x81\x93"
      "\xe9\x9b\x84\xe5\xb7\x9e\xe8\xa1\x97\xe9\x81\x93\"}}";
  void* report = NULL;
  size_t size = 0;
  char* error = NULL;
  jc_status s = jc_dataset_validate(kJson, sizeof kJson - 1, JC_FORMAT_JSON,
                                    &report, &size, &error);
  CHECK(s == JC_INVALID_ARGUMENT, "a JSON syntax error");
  CHECK(error != NULL && IsUtf8(error), "the JSON error message is UTF-8");
  CHECK(error != NULL && strstr(error, "\\x") != NULL,
        "the cut character's bytes are escaped");
  CHECK(report == NULL, "no report on failure");
  jc_free(error);
}

/* Whether bytes [data, data + size) contain `needle`. */
static int Contains(const void* data, size_t size, const char* needle) {
  const size_t n = strlen(needle);
  const unsigned char* p = (const unsigned char*)data;
  size_t i;
  for (i = 0; i + n <= size; ++i) {
    if (memcmp(p + i, needle, n) == 0) return 1;
  }
  return 0;
}

/* Issue 8: protobuf logged "String field ... contains invalid UTF-8" to the
 * host's stderr when a request carried a string that is not UTF-8 (the call
 * failed cleanly, but a library must not write to its host's stderr). Every
 * entry point that parses a message gets one: each fails with
 * INVALID_ARGUMENT naming the field's path (a batch or a diff: an entry doing
 * so), and fd 2 stays empty. */
/* jc_assessment_add of `stream` to a new assessment over `engine`. */
static jc_status AddToNewAssessment(jc_engine* engine, const void* stream,
                                    size_t size, char** error) {
  jc_assessment* a = NULL;
  jc_status s = jc_assessment_start(engine, NULL, 0, &a, error);
  if (s != JC_OK) return s;
  s = jc_assessment_add(a, stream, size, error);
  jc_assessment_destroy(a);
  return s;
}

static void Issue8_InvalidUtf8WritesNothingToStderr(jc_engine* engine) {
  /* jiceng.v1.Case {id: FF FE}; CaseRecord {case}; requests {record(s)}. */
  static const unsigned char kCase[] = {0x0a, 0x02, 0xff, 0xfe};
  static const unsigned char kRequest[] = {0x0a, 0x06, 0x0a, 0x04,
                                           0x0a, 0x02, 0xff, 0xfe};
  static const unsigned char kStream[] = {0x04, 0x0a, 0x02, 0xff, 0xfe};
  static const unsigned char kRecords[] = {0x06, 0x0a, 0x04, 0x0a,
                                           0x02, 0xff, 0xfe};
  /* ServiceRequest {id: C3 28} (a lead byte without its continuation). */
  static const unsigned char kService[] = {0x0a, 0x02, 0xc3, 0x28};
  /* AdmissionRequest {title: 80}. */
  static const unsigned char kAdmission[] = {0x12, 0x01, 0x80};
  /* Dataset {meta {id: FF}}, in the three formats. */
  static const unsigned char kDataset[] = {0x0a, 0x03, 0x0a, 0x01, 0xff};
  static const char kText[] = "meta { id: \"\xff\" }";
  static const char kJson[] = "{\"meta\": {\"id\": \"\xff\"}}";
  enum { kCalls = 17 };
  struct {
    const char* what;
    const char* field; /* the path the message must name */
    jc_status status;
    char* error;
    void* out;
    size_t out_size;
  } r[kCalls];
  unsigned char buffer[256];
  jc_engine* created = NULL;
  FILE* capture = tmpfile();
  int saved, i, n = 0;
  long captured;
  memset(r, 0, sizeof r);
  if (capture == NULL) {
    CHECK(0, "tmpfile for capturing stderr");
    return;
  }
  fflush(stderr);
  saved = dup(2);
  if (saved < 0 || dup2(fileno(capture), 2) < 0) {
    CHECK(0, "redirecting fd 2");
    return;
  }
#define UTF8_CALL(name, path, call) \
  r[n].what = name;                 \
  r[n].field = path;                \
  r[n].status = (call);             \
  ++n
  UTF8_CALL("route", "id",
            jc_engine_route(engine, kCase, sizeof kCase, 0, &r[n].out,
                            &r[n].out_size, &r[n].error));
  UTF8_CALL("route explain", "id",
            jc_engine_route(engine, kCase, sizeof kCase, JC_ROUTE_EXPLAIN_TEXT,
                            &r[n].out, &r[n].out_size, &r[n].error));
  UTF8_CALL("route_into", "id",
            jc_engine_route_into(engine, kCase, sizeof kCase, 0, buffer,
                                 sizeof buffer, &r[n].out_size, &r[n].error));
  UTF8_CALL("route_service", "id",
            jc_engine_route_service(engine, kService, sizeof kService,
                                    &r[n].out, &r[n].out_size, &r[n].error));
  UTF8_CALL("route_service_into", "id",
            jc_engine_route_service_into(engine, kService, sizeof kService,
                                         buffer, sizeof buffer,
                                         &r[n].out_size, &r[n].error));
  UTF8_CALL("route_batch", NULL,
            jc_engine_route_batch(engine, kStream, sizeof kStream, 1,
                                  &r[n].out, &r[n].out_size, &r[n].error));
  UTF8_CALL("diff", NULL,
            jc_engine_diff(engine, engine, kStream, sizeof kStream, &r[n].out,
                           &r[n].out_size, &r[n].error));
  UTF8_CALL("review_admission", "title",
            jc_engine_review_admission(engine, kAdmission, sizeof kAdmission,
                                       &r[n].out, &r[n].out_size,
                                       &r[n].error));
  UTF8_CALL("apply", "record.case.id",
            jc_engine_apply(engine, kRequest, sizeof kRequest, &r[n].out,
                            &r[n].out_size, &r[n].error));
  UTF8_CALL("supervise", "record.case.id",
            jc_engine_supervise(engine, kRequest, sizeof kRequest, &r[n].out,
                                &r[n].out_size, &r[n].error));
  UTF8_CALL("assess", "records[0].case.id",
            jc_engine_assess(engine, kRequest, sizeof kRequest, &r[n].out,
                             &r[n].out_size, &r[n].error));
  UTF8_CALL("assessment_add", "case.id", /* after "records[0]: " */
            AddToNewAssessment(engine, kRecords, sizeof kRecords, &r[n].error));
  UTF8_CALL("validate binary", "meta.id",
            jc_dataset_validate(kDataset, sizeof kDataset, JC_FORMAT_BINARY,
                                &r[n].out, &r[n].out_size, &r[n].error));
  UTF8_CALL("create binary", "meta.id",
            jc_engine_create(kDataset, sizeof kDataset, JC_FORMAT_BINARY,
                             &created, &r[n].error));
  UTF8_CALL("create text", "meta.id",
            jc_engine_create(kText, sizeof kText - 1, JC_FORMAT_TEXT, &created,
                             &r[n].error));
  UTF8_CALL("validate text", "meta.id",
            jc_dataset_validate(kText, sizeof kText - 1, JC_FORMAT_TEXT,
                                &r[n].out, &r[n].out_size, &r[n].error));
  UTF8_CALL("create JSON", "UTF-8",
            jc_engine_create(kJson, sizeof kJson - 1, JC_FORMAT_JSON, &created,
                             &r[n].error));
#undef UTF8_CALL
  fflush(stderr);
  dup2(saved, 2);
  close(saved);
  fseek(capture, 0, SEEK_END);
  captured = ftell(capture);
  if (captured != 0) {
    char text[1024];
    size_t got;
    rewind(capture);
    got = fread(text, 1, sizeof text - 1, capture);
    text[got] = '\0';
    fprintf(stderr, "stderr received %ld bytes:\n%s\n", captured, text);
  }
  CHECK(captured == 0, "nothing written to stderr");
  fclose(capture);
  CHECK(created == NULL, "no engine from a dataset that is not UTF-8");
  for (i = 0; i < n; ++i) {
    if (r[i].field == NULL) { /* batch, diff: one entry naming the field */
      CHECK(r[i].status == JC_OK && Contains(r[i].out, r[i].out_size, "id") &&
                Contains(r[i].out, r[i].out_size, "UTF-8"),
            r[i].what);
      jc_free(r[i].out);
      continue;
    }
    if (r[i].status != JC_INVALID_ARGUMENT || r[i].error == NULL ||
        strstr(r[i].error, r[i].field) == NULL) {
      fprintf(stderr, "  %s: %s: %s\n", r[i].what, jc_status_name(r[i].status),
              r[i].error != NULL ? r[i].error : "(no message)");
    }
    CHECK(r[i].status == JC_INVALID_ARGUMENT, r[i].what);
    CHECK(r[i].error != NULL && strstr(r[i].error, r[i].field) != NULL &&
              IsUtf8(r[i].error),
          r[i].what);
    jc_free(r[i].error);
  }
  ExpectEngineUsable("after requests that are not UTF-8");
}

int main(int argc, char** argv) {
  Bytes stream, service, admission, dataset, garbage, truncated_stream;
  Bytes apply, supervise, assess;
  jc_engine* engine = NULL;
  void* sample = NULL;
  size_t sample_size = 0;
  static const unsigned char kGarbage[] = {0xff, 0xff, 0xff, 0xff, 0x0f,
                                           0x0a, 0x80, 0x12, 0x05, 0x00};
  if (argc != 7) {
    fprintf(stderr,
            "usage: c_api_robust_test CASES SERVICE ADMISSION APPLY "
            "SUPERVISE ASSESS\n");
    return 2;
  }
  Issue8_ParserErrorMessagesAreUtf8();
  stream = ReadAll(argv[1]);
  service = ReadAll(argv[2]);
  admission = ReadAll(argv[3]);
  apply = ReadAll(argv[4]);
  supervise = ReadAll(argv[5]);
  assess = ReadAll(argv[6]);
  g_case = FirstFrame(stream);
  garbage = Copy(kGarbage, sizeof kGarbage);
  truncated_stream = Copy(stream.data, stream.size - 3);

  if (jc_engine_create_sample(&engine, NULL) != JC_OK) return 1;
  g_engine = engine;
  {
    void* out = NULL;
    size_t size = 0;
    if (jc_engine_route(engine, g_case.data, g_case.size, 0, &out, &size,
                        NULL) != JC_OK) {
      fprintf(stderr, "the first sample case does not route\n");
      return 1;
    }
    g_baseline = Copy(out, size);
    jc_free(out);
  }
  if (jc_sample_dataset(&sample, &sample_size, NULL) != JC_OK) return 1;
  dataset = Copy(sample, sample_size);
  jc_free(sample);

  /* Datasets: good, truncated, corrupted, bad format, oversized. */
  CALL("validate good", JC_OK, dataset.data, dataset.size,
       jc_dataset_validate(dataset.data, dataset.size, JC_FORMAT_BINARY, &out,
                           &out_size, &error));
  CALL("validate truncated", JC_INVALID_ARGUMENT, dataset.data,
       dataset.size / 2,
       jc_dataset_validate(dataset.data, dataset.size / 2, JC_FORMAT_BINARY,
                           &out, &out_size, &error));
  CALL("validate bad format", JC_INVALID_ARGUMENT, dataset.data, dataset.size,
       jc_dataset_validate(dataset.data, dataset.size, 42, &out, &out_size,
                           &error));
  CALL("validate oversized", JC_RESOURCE_EXHAUSTED, dataset.data, 16,
       jc_dataset_validate(dataset.data, JC_MAX_INPUT_BYTES + 1,
                           JC_FORMAT_BINARY, &out, &out_size, &error));
  CALL("create garbage", JC_INVALID_ARGUMENT, garbage.data, garbage.size,
       jc_engine_create(garbage.data, garbage.size, JC_FORMAT_BINARY,
                        (jc_engine**)&out, &error));
  CALL("create text from binary", JC_INVALID_ARGUMENT, dataset.data,
       dataset.size,
       jc_engine_create(dataset.data, dataset.size, JC_FORMAT_JSON,
                        (jc_engine**)&out, &error));
  {
    /* A good create: destroying the new engine leaves the shared one. */
    jc_engine* other = NULL;
    Snapshots snaps = {{0}, {{0}}, 0};
    Take(&snaps, dataset.data, dataset.size);
    CHECK(jc_engine_create(dataset.data, dataset.size, JC_FORMAT_AUTO, &other,
                           NULL) == JC_OK,
          "create good");
    ExpectUnchanged(&snaps, "create good");
    jc_engine_destroy(other);
    ExpectEngineUsable("after destroying another engine");
  }

  /* Routing. */
  CALL("route good", JC_OK, g_case.data, g_case.size,
       jc_engine_route(engine, g_case.data, g_case.size, JC_ROUTE_EXPLAIN_TEXT,
                       &out, &out_size, &error));
  CALL("route truncated", JC_INVALID_ARGUMENT, g_case.data, g_case.size - 1,
       jc_engine_route(engine, g_case.data, g_case.size - 1, 0, &out,
                       &out_size, &error));
  CALL("route garbage", JC_INVALID_ARGUMENT, garbage.data, garbage.size,
       jc_engine_route(engine, garbage.data, garbage.size, 0, &out, &out_size,
                       &error));
  CALL("route unknown flag", JC_INVALID_ARGUMENT, g_case.data, g_case.size,
       jc_engine_route(engine, g_case.data, g_case.size, 0x80u, &out,
                       &out_size, &error));
  CALL("route oversized", JC_RESOURCE_EXHAUSTED, g_case.data, g_case.size,
       jc_engine_route(engine, g_case.data, JC_MAX_INPUT_BYTES + 1, 0, &out,
                       &out_size, &error));
  CALL("route NULL data", JC_INVALID_ARGUMENT, g_case.data, 0,
       jc_engine_route(engine, NULL, 5, 0, &out, &out_size, &error));
  {
    unsigned char small[8];
    unsigned char big[16384];
    size_t need = 0;
    Snapshots snaps = {{0}, {{0}}, 0};
    memset(small, 0xA5, sizeof small);
    Take(&snaps, g_case.data, g_case.size);
    CHECK(jc_engine_route_into(engine, g_case.data, g_case.size, 0, small,
                               sizeof small, &need, NULL) == JC_BUFFER_TOO_SMALL,
          "route_into too small");
    ExpectUnchanged(&snaps, "route_into too small");
    CHECK(need == g_baseline.size, "route_into asks for the size");
    {
      int i, untouched = 1;
      for (i = 0; i < (int)sizeof small; ++i) untouched &= small[i] == 0xA5;
      CHECK(untouched, "route_into leaves a small buffer untouched");
    }
    CHECK(jc_engine_route_into(engine, g_case.data, g_case.size, 0, big,
                               sizeof big, &need, NULL) == JC_OK &&
              need == g_baseline.size &&
              memcmp(big, g_baseline.data, need) == 0,
          "route_into good");
    ExpectEngineUsable("route_into");
  }
  CALL("service good", JC_OK, service.data, service.size,
       jc_engine_route_service(engine, service.data, service.size, &out,
                               &out_size, &error));
  CALL("service garbage", JC_INVALID_ARGUMENT, garbage.data, garbage.size,
       jc_engine_route_service(engine, garbage.data, garbage.size, &out,
                               &out_size, &error));
  CALL("batch good", JC_OK, stream.data, stream.size,
       jc_engine_route_batch(engine, stream.data, stream.size, 2, &out,
                             &out_size, &error));
  CALL("batch truncated (an error entry)", JC_OK, truncated_stream.data,
       truncated_stream.size,
       jc_engine_route_batch(engine, truncated_stream.data,
                             truncated_stream.size, 1, &out, &out_size,
                             &error));
  CALL("batch negative threads", JC_INVALID_ARGUMENT, stream.data, stream.size,
       jc_engine_route_batch(engine, stream.data, stream.size, -1, &out,
                             &out_size, &error));
  CALL("diff good", JC_OK, stream.data, stream.size,
       jc_engine_diff(engine, engine, stream.data, stream.size, &out,
                      &out_size, &error));
  CALL("diff truncated (listed as unread)", JC_OK, truncated_stream.data,
       truncated_stream.size,
       jc_engine_diff(engine, engine, truncated_stream.data,
                      truncated_stream.size, &out, &out_size, &error));
  CALL("admission good", JC_OK, admission.data, admission.size,
       jc_engine_review_admission(engine, admission.data, admission.size, &out,
                                  &out_size, &error));
  CALL("admission garbage", JC_INVALID_ARGUMENT, garbage.data, garbage.size,
       jc_engine_review_admission(engine, garbage.data, garbage.size, &out,
                                  &out_size, &error));
  CALL("admission oversized", JC_RESOURCE_EXHAUSTED, admission.data,
       admission.size,
       jc_engine_review_admission(engine, admission.data,
                                  JC_MAX_INPUT_BYTES + 1, &out, &out_size,
                                  &error));
  /* The closed loop. */
  CALL("apply good", JC_OK, apply.data, apply.size,
       jc_engine_apply(engine, apply.data, apply.size, &out, &out_size,
                       &error));
  CALL("apply truncated", JC_INVALID_ARGUMENT, apply.data, apply.size - 1,
       jc_engine_apply(engine, apply.data, apply.size - 1, &out, &out_size,
                       &error));
  CALL("apply garbage", JC_INVALID_ARGUMENT, garbage.data, garbage.size,
       jc_engine_apply(engine, garbage.data, garbage.size, &out, &out_size,
                       &error));
  CALL("supervise good", JC_OK, supervise.data, supervise.size,
       jc_engine_supervise(engine, supervise.data, supervise.size, &out,
                           &out_size, &error));
  CALL("supervise truncated", JC_INVALID_ARGUMENT, supervise.data,
       supervise.size / 2,
       jc_engine_supervise(engine, supervise.data, supervise.size / 2, &out,
                           &out_size, &error));
  CALL("assess good", JC_OK, assess.data, assess.size,
       jc_engine_assess(engine, assess.data, assess.size, &out, &out_size,
                        &error));
  CALL("assess truncated", JC_INVALID_ARGUMENT, assess.data, assess.size - 2,
       jc_engine_assess(engine, assess.data, assess.size - 2, &out,
                        &out_size, &error));
  CALL("assess oversized", JC_RESOURCE_EXHAUSTED, assess.data, assess.size,
       jc_engine_assess(engine, assess.data, JC_MAX_INPUT_BYTES + 1, &out,
                        &out_size, &error));
  CALL("assessment_add garbage", JC_INVALID_ARGUMENT, garbage.data,
       garbage.size,
       AddToNewAssessment(engine, garbage.data, garbage.size, &error));
  CALL(
      "assessment_add oversized", JC_RESOURCE_EXHAUSTED, garbage.data,
      garbage.size,
      AddToNewAssessment(engine, garbage.data, JC_MAX_INPUT_BYTES + 1, &error));
  CALL("analyze", JC_OK, dataset.data, 0,
       jc_engine_analyze(engine, &out, &out_size, &error));
  CALL("info with NULL size", JC_INVALID_ARGUMENT, dataset.data, 0,
       jc_engine_info(engine, &out, NULL, &error));
  Issue8_InvalidUtf8WritesNothingToStderr(engine);

  jc_engine_destroy(engine);
  free(stream.data);
  free(service.data);
  free(admission.data);
  free(apply.data);
  free(supervise.data);
  free(assess.data);
  free(dataset.data);
  free(garbage.data);
  free(truncated_stream.data);
  free(g_case.data);
  free(g_baseline.data);
  printf("c_api_robust_test: %d checks, %d failed\n", g_checks, g_failed);
  return g_failed == 0 ? 0 : 1;
}
