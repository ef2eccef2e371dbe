// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0
//
// A transcript: the output bytes of every C ABI entry point over the
// sample engine and the sample inputs (cases, service and admission
// requests, lifecycle actions on the sample lifecycles, an assessment), concatenated with a label and a
// length per call. Two transcripts are equal exactly when every call gave
// the same status and the same bytes. Used by the determinism and the
// concurrency tests (issue #8), which link the C ABI's source with the
// static core so that the sample cases can be built with the C++ API.
//
// Example:
//   const SampleInputs& in = SampleInputs::Get();
//   std::string a = Transcript(engine, in, /*batch_threads=*/1);

#ifndef JICENG_TESTS_TRANSCRIPT_H_
#define JICENG_TESTS_TRANSCRIPT_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "jiceng/jiceng.h"
#include "jiceng/v1/admission.pb.h"
#include "jiceng/v1/assessment.pb.h"
#include "jiceng/v1/lifecycle.pb.h"
#include "jiceng/v1/routing.pb.h"
#include "src/engine/engine.h"
#include "src/routing/batch.h"
#include "src/sample/sample_cases.h"
#include "src/sample/sample_dataset.h"
#include "src/sample/sample_lifecycle.h"

namespace jiceng {

// The sample inputs, serialized once.
struct SampleInputs {
  std::vector<std::string> cases;  // each a jiceng.v1.Case
  std::string case_stream;         // the cases, length-delimited
  std::vector<std::string> service_requests;
  std::vector<std::string> admission_requests;
  std::vector<std::string> apply_requests;
  std::vector<std::string> supervise_requests;
  std::string assess_request;

  static const SampleInputs& Get() {
    static const SampleInputs* inputs = [] {
      auto* in = new SampleInputs;
      auto engine =
          Engine::Load(SampleDatasetBinary(), DatasetFormat::kBinary);
      for (const v1::Case& c : SampleCases(**engine)) {
        in->cases.push_back(c.SerializeAsString());
        AppendDelimited(c, &in->case_stream);
      }
      v1::ServiceRequest s;
      s.set_id("A-1");
      s.set_item_code("JZ-ZW-001");
      s.set_applicant_region_code(320116001001);
      s.set_requested_at(1772413200);  // 2026-03-02 09:00 +08:00
      in->service_requests.push_back(s.SerializeAsString());
      s.set_service_centre_code("LH-LC-BMFW");
      in->service_requests.push_back(s.SerializeAsString());
      s.set_item_code("NO-SUCH-ITEM");
      in->service_requests.push_back(s.SerializeAsString());
      v1::AdmissionRequest a;
      a.set_proposal_id("P-1");
      a.set_title("社区开具居住证明");
      a.set_to_region_code("320116001001");
      in->admission_requests.push_back(a.SerializeAsString());
      a.set_to_region_code("320116001000");
      a.set_item_code("CG-CF-001");
      a.set_date("2026-07-01");
      in->admission_requests.push_back(a.SerializeAsString());
      a.set_to_region_code("999");
      in->admission_requests.push_back(a.SerializeAsString());
      // The closed loop: a new case received, then for every fifth sample
      // lifecycle record an urge and a supervision; all records assessed.
      const std::vector<v1::Case> cases = SampleCases(**engine);
      v1::ApplyRequest receive;
      *receive.mutable_action()->mutable_receive()->mutable_case_() =
          cases.front();
      receive.mutable_action()->mutable_actor()->set_role(
          v1::ACTOR_ROLE_GRID_WORKER);
      receive.mutable_action()->mutable_actor()->set_code(
          std::to_string(cases.front().location_code()));
      receive.set_now(cases.front().reported_at());
      in->apply_requests.push_back(receive.SerializeAsString());
      const SampleLifecycleResult lives = RunSampleLifecycles(**engine);
      v1::AssessRequest assess;
      for (size_t i = 0; i < lives.records.size(); ++i) {
        *assess.add_records() = lives.records[i];
        if (i % 5 != 0) continue;
        v1::ApplyRequest urge;
        *urge.mutable_record() = lives.records[i];
        v1::Actor* centre = urge.mutable_action()->mutable_actor();
        centre->set_role(v1::ACTOR_ROLE_CENTRE);
        const v1::RoutingDecision& d = lives.records[i].decision();
        centre->set_code(d.supervisor().code().empty() ? d.arbitrator().code()
                                                       : d.supervisor().code());
        urge.mutable_action()->mutable_urge()->set_note("已超期，请立即处置");
        urge.set_now(lives.end_time);
        in->apply_requests.push_back(urge.SerializeAsString());
        v1::SuperviseRequest supervise;
        *supervise.mutable_record() = lives.records[i];
        supervise.set_now(lives.end_time);
        in->supervise_requests.push_back(supervise.SerializeAsString());
      }
      in->assess_request = assess.SerializeAsString();
      return in;
    }();
    return *inputs;
  }
};

// Appends one call's result: the label, the status, then the output bytes
// (or the error message), each length-prefixed. Frees what the call gave.
inline void Record(std::string* t, const char* label, jc_status status,
                   void* out, size_t out_size, char* error) {
  absl::StrAppend(t, label, " ", status, " ");
  if (status == JC_OK) {
    absl::StrAppend(t, out_size, ":");
    t->append(static_cast<const char*>(out), out_size);
    jc_free(out);
  } else {
    const std::string message = error == nullptr ? "" : error;
    absl::StrAppend(t, message.size(), ":", message);
  }
  jc_free(error);
  t->push_back('\n');
}

// One *_into call's line: the label, the status, then the bytes written
// into the caller's buffer (nothing on failure: the error is freed).
inline void RecordInto(std::string* t, const char* label, jc_status status,
                       const unsigned char* buffer, size_t size,
                       char* error) {
  absl::StrAppend(t, label, " ", status, " ");
  if (status == JC_OK) t->append(reinterpret_cast<const char*>(buffer), size);
  jc_free(error);
  t->push_back('\n');
}

// Every entry point over `in` on `engine`; batch and diff with
// `batch_threads` threads (diff: the engine against itself).
inline std::string Transcript(const jc_engine* engine, const SampleInputs& in,
                              int batch_threads) {
  std::string t;
  void* out;
  size_t size;
  char* error;
  auto reset = [&] {
    out = nullptr;
    size = 0;
    error = nullptr;
  };
  for (const std::string& c : in.cases) {
    for (uint32_t flags : {0u, JC_ROUTE_EXPLAIN_TEXT}) {
      reset();
      jc_status s = jc_engine_route(engine, c.data(), c.size(), flags, &out,
                                    &size, &error);
      Record(&t, "route", s, out, size, error);
    }
    unsigned char buffer[16384];
    reset();
    jc_status s = jc_engine_route_into(engine, c.data(), c.size(), 0, buffer,
                                       sizeof buffer, &size, &error);
    RecordInto(&t, "route_into", s, buffer, size, error);
  }
  reset();
  jc_status s = jc_engine_route_batch(engine, in.case_stream.data(),
                                      in.case_stream.size(), batch_threads,
                                      &out, &size, &error);
  Record(&t, "batch", s, out, size, error);
  reset();
  s = jc_engine_diff(engine, engine, in.case_stream.data(),
                     in.case_stream.size(), &out, &size, &error);
  Record(&t, "diff", s, out, size, error);
  for (const std::string& r : in.service_requests) {
    reset();
    s = jc_engine_route_service(engine, r.data(), r.size(), &out, &size,
                                &error);
    Record(&t, "service", s, out, size, error);
    unsigned char buffer[16384];
    reset();
    s = jc_engine_route_service_into(engine, r.data(), r.size(), buffer,
                                     sizeof buffer, &size, &error);
    RecordInto(&t, "service_into", s, buffer, size, error);
  }
  for (const std::string& r : in.admission_requests) {
    reset();
    s = jc_engine_review_admission(engine, r.data(), r.size(), &out, &size,
                                   &error);
    Record(&t, "admission", s, out, size, error);
  }
  for (const std::string& r : in.apply_requests) {
    reset();
    s = jc_engine_apply(engine, r.data(), r.size(), &out, &size, &error);
    Record(&t, "apply", s, out, size, error);
  }
  for (const std::string& r : in.supervise_requests) {
    reset();
    s = jc_engine_supervise(engine, r.data(), r.size(), &out, &size, &error);
    Record(&t, "supervise", s, out, size, error);
  }
  reset();
  s = jc_engine_assess(engine, in.assess_request.data(),
                       in.assess_request.size(), &out, &size, &error);
  Record(&t, "assess", s, out, size, error);
  reset();
  s = jc_engine_analyze(engine, &out, &size, &error);
  Record(&t, "analyze", s, out, size, error);
  reset();
  s = jc_engine_info(engine, &out, &size, &error);
  Record(&t, "info", s, out, size, error);
  return t;
}

}  // namespace jiceng

#endif  // JICENG_TESTS_TRANSCRIPT_H_
