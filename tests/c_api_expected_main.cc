// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0
//
// Writes what the C ABI test compares against, computed with the C++ API
// in a separate process (one process must not link both the static core
// and the shared library: TOOLCHAIN pitfall 2):
//
//   c_api_expected OUT_DIR
//     OUT_DIR/sample_cases.binpb     the sample cases, length-delimited
//     OUT_DIR/expected.binpb         one BatchEntry per case (decision or
//                                    error), Router::Decide without text
//     OUT_DIR/expected_explain.binpb the same with explain_text
//     OUT_DIR/NAME_requests.binpb    for NAME apply, supervise, assess,
//                                    service: a length-delimited stream of
//                                    jiceng.v1.ApplyRequest (receive,
//                                    register, dispatch of every sample
//                                    case), SuperviseRequest (the dispatched
//                                    records three days on), one
//                                    AssessRequest (the sample lifecycles)
//                                    and ServiceRequest (ServiceRequests
//                                    below)
//     OUT_DIR/NAME_expected.binpb    per request a frame: one byte, the
//                                    status code, then on 0 the serialized
//                                    response of the C++ API

#include <fstream>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "jiceng/v1/routing.pb.h"
#include "src/engine/engine.h"
#include "src/routing/batch.h"
#include "src/routing/router.h"
#include "src/routing/service_router.h"
#include "src/assessment/assess.h"
#include "src/lifecycle/lifecycle.h"
#include "src/lifecycle/supervise.h"
#include "src/sample/sample_lifecycle.h"
#include "src/sample/sample_cases.h"
#include "src/sample/sample_dataset.h"

namespace jiceng {
namespace {

std::string Expected(const Router& router, const std::vector<v1::Case>& cases,
                     bool explain) {
  v1::RouteOptions options;
  options.set_explain_text(explain);
  std::string out;
  for (size_t i = 0; i < cases.size(); ++i) {
    v1::BatchEntry entry;
    entry.set_index(static_cast<int64_t>(i));
    entry.set_case_id(cases[i].id());
    absl::StatusOr<v1::RoutingDecision> d = router.Decide(cases[i], options);
    if (d.ok()) {
      *entry.mutable_decision() = std::move(*d);
    } else {
      entry.mutable_error()->set_code(static_cast<int32_t>(d.status().code()));
      entry.mutable_error()->set_message(std::string(d.status().message()));
    }
    AppendDelimited(entry, &out);
  }
  return out;
}

// Requests and the C++ API's answers, framed as the header says.
struct Exchange {
  std::string requests;
  std::string expected;

  template <typename Response>
  void Add(const google::protobuf::MessageLite& request,
           const absl::StatusOr<Response>& response) {
    AppendDelimited(request, &requests);
    std::string frame(1, static_cast<char>(response.status().code()));
    if (response.ok()) frame += response->SerializeAsString();
    AppendFrame(frame);
  }

 private:
  void AppendFrame(const std::string& frame) {
    uint64_t n = frame.size();
    while (n >= 0x80) {
      expected.push_back(static_cast<char>(n | 0x80));
      n >>= 7;
    }
    expected.push_back(static_cast<char>(n));
    expected += frame;
  }
};

// receive → register → dispatch of every sample case, each step applied to
// the previous step's record; then supervision of the dispatched records
// three days later.
void Lifecycles(const Engine& engine, const std::vector<v1::Case>& cases,
                Exchange* apply, Exchange* supervise) {
  constexpr int64_t kTenMinutes = 600;
  for (const v1::Case& c : cases) {
    v1::ApplyRequest request;
    request.mutable_action()->mutable_actor()->set_role(
        v1::ACTOR_ROLE_GRID_WORKER);
    request.mutable_action()->mutable_actor()->set_code(
        std::to_string(c.location_code()));
    *request.mutable_action()->mutable_receive()->mutable_case_() = c;
    request.set_now(c.reported_at());
    absl::StatusOr<v1::CaseRecord> record =
        Apply(engine, request.record(), request.action(), request.now());
    apply->Add(request, record);
    for (int step = 0; step < 2 && record.ok(); ++step) {
      *request.mutable_record() = *record;
      request.mutable_action()->Clear();
      request.mutable_action()->mutable_actor()->set_role(
          v1::ACTOR_ROLE_CENTRE);
      request.mutable_action()->mutable_actor()->set_code(
          TownshipCommandRoom(engine, c));
      if (step == 0) {
        request.mutable_action()->mutable_register_();
      } else {
        request.mutable_action()->mutable_dispatch();
      }
      request.set_now(request.now() + kTenMinutes);
      record = Apply(engine, request.record(), request.action(), request.now());
      apply->Add(request, record);
    }
    if (record.ok()) {
      v1::SuperviseRequest s;
      *s.mutable_record() = *record;
      s.set_now(request.now() + 3 * 86400);
      supervise->Add(s, Supervise(engine, s.record(), s.now()));
    }
  }
}

// Every government-service item of the sample: from every township,
// village and third grid at the nearest centre, from the first village at
// each service centre in turn (some outside the item's scope: refused),
// on a working morning and on a public holiday; then requests that fail
// (unknown item, an item not on the service list, an unknown region, a
// unit that is not a service centre, no time).
void ServiceRequests(const Engine& engine, Exchange* service) {
  const Hierarchy& h = engine.hierarchy();
  const Organization& o = engine.organization();
  const Catalogue& c = engine.catalogue();
  std::vector<uint64_t> places;
  uint64_t first_village = 0;
  int grids = 0;
  for (RegionId r = 0; r < h.size(); ++r) {
    const v1::RegionLevel level = h.level(r);
    if (level < v1::REGION_LEVEL_TOWNSHIP) continue;
    if (level == v1::REGION_LEVEL_GRID && grids++ % 3 != 0) continue;
    places.push_back(std::stoull(h.code(r)));
    if (level == v1::REGION_LEVEL_VILLAGE && first_village == 0) {
      first_village = places.back();
    }
  }
  std::vector<std::string> centres;
  std::string not_a_centre;
  for (UnitId u = 0; u < o.size(); ++u) {
    if (o.kind(u) == v1::UNIT_KIND_SERVICE_CENTRE) {
      centres.emplace_back(o.code(u));
    } else if (not_a_centre.empty()) {
      not_a_centre = std::string(o.code(u));
    }
  }
  // 2026-03-03 09:30 and 2026-10-02 10:00 (国庆), UTC+8.
  const int64_t times[] = {1772501400, 1790906400};
  std::string other_item;
  int n = 0;
  auto add = [&](const v1::ServiceRequest& r) {
    service->Add(r, RouteService(engine, r));
  };
  for (ItemId i = 0; i < c.item_count(); ++i) {
    const CompiledItem& item = c.item(i);
    if (item.list_type != v1::LIST_TYPE_GOVERNMENT_SERVICE) {
      if (other_item.empty()) other_item = item.code;
      continue;
    }
    for (int64_t at : times) {
      v1::ServiceRequest r;
      r.set_item_code(item.code);
      r.set_requested_at(at);
      for (uint64_t place : places) {
        r.set_id(absl::StrCat("SV-", ++n));
        r.set_applicant_region_code(place);
        add(r);
      }
      r.set_applicant_region_code(first_village);
      for (const std::string& centre : centres) {
        r.set_id(absl::StrCat("SV-", ++n));
        r.set_service_centre_code(centre);
        add(r);
      }
    }
  }
  v1::ServiceRequest bad;
  bad.set_id("SV-bad");
  bad.set_item_code("NO-SUCH-ITEM");
  bad.set_applicant_region_code(first_village);
  bad.set_requested_at(times[0]);
  add(bad);
  bad.set_item_code(other_item);
  add(bad);
  for (ItemId i = 0; i < c.item_count(); ++i) {
    if (c.item(i).list_type == v1::LIST_TYPE_GOVERNMENT_SERVICE) {
      bad.set_item_code(c.item(i).code);
      break;
    }
  }
  bad.set_applicant_region_code(999999999999u);
  add(bad);
  bad.set_applicant_region_code(first_village);
  bad.set_service_centre_code(not_a_centre);
  add(bad);
  bad.clear_service_centre_code();
  bad.set_requested_at(0);
  add(bad);
}

bool Write(const std::string& path, const std::string& bytes) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f << bytes;
  f.close();
  if (!f) std::cerr << "c_api_expected: cannot write " << path << "\n";
  return static_cast<bool>(f);
}

int Main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: c_api_expected OUT_DIR\n";
    return 2;
  }
  const std::string dir = argv[1];
  absl::StatusOr<std::unique_ptr<const Engine>> engine =
      Engine::Load(SampleDatasetBinary(), DatasetFormat::kBinary);
  if (!engine.ok()) {
    std::cerr << "c_api_expected: " << engine.status() << "\n";
    return 1;
  }
  const Router router(**engine);
  const std::vector<v1::Case> cases = SampleCases(**engine);
  std::string stream;
  for (const v1::Case& c : cases) AppendDelimited(c, &stream);
  Exchange apply, supervise, assess, service;
  Lifecycles(**engine, cases, &apply, &supervise);
  ServiceRequests(**engine, &service);
  v1::AssessRequest assess_request;
  for (v1::CaseRecord& r : RunSampleLifecycles(**engine).records) {
    *assess_request.add_records() = std::move(r);
  }
  assess.Add(assess_request, Assess(**engine, assess_request));
  bool ok = true;
  for (const auto& [name, exchange] :
       {std::make_pair("apply", &apply), std::make_pair("supervise", &supervise),
        std::make_pair("assess", &assess),
        std::make_pair("service", &service)}) {
    ok = ok && Write(dir + "/" + name + "_requests.binpb", exchange->requests) &&
         Write(dir + "/" + name + "_expected.binpb", exchange->expected);
  }
  ok = ok && Write(dir + "/sample_cases.binpb", stream) &&
                  Write(dir + "/expected.binpb", Expected(router, cases, false)) &&
                  Write(dir + "/expected_explain.binpb",
                        Expected(router, cases, true));
  std::cout << "c_api_expected: " << cases.size() << " cases\n";
  return ok ? 0 : 1;
}

}  // namespace
}  // namespace jiceng

int main(int argc, char** argv) { return jiceng::Main(argc, argv); }
