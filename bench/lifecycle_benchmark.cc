// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0
//
// Lifecycle benchmarks on the sample dataset and its routed sample cases
// (the cost of an action depends on the record, not on the dataset's size,
// except dispatch and re-routing, which route once).
//
// Workloads (items = actions applied):
//   BM_Lifecycle_Action/<kind>  Lifecycle::ApplyInPlace of one action kind
//                               on records prepared in the state it needs
//                               (batches of 512 records, re-prepared
//                               outside the timing).
//   BM_Lifecycle_Mix            the realistic mix: whole lives of the
//                               sample cases — receive, register, dispatch,
//                               sign for, handle, feed back, verify, close,
//                               evaluate, with an urge in one case of four
//                               and a failed verification plus rework in
//                               one of eight — in place.
//   BM_Lifecycle_MixPure        the same through the pure Apply(), which
//                               copies the record (and builds a Router for
//                               dispatch) per action.
//   BM_Lifecycle_MixNoDispatch  the mix without receive/register/dispatch:
//                               the actions that neither route nor create.

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "benchmark/benchmark.h"
#include "src/lifecycle/lifecycle.h"
#include "src/sample/sample_cases.h"
#include "src/sample/sample_dataset.h"

namespace jiceng {
namespace {

constexpr int kBatch = 512;

struct Fixture {
  std::unique_ptr<const Engine> engine;
  std::unique_ptr<Lifecycle> loop;
  std::vector<v1::Case> cases;
};

const Fixture& F() {
  static const Fixture* f = [] {
    auto* x = new Fixture;
    x->engine = std::move(*Engine::Compile(SampleDataset()));
    x->loop = std::make_unique<Lifecycle>(*x->engine);
    for (const v1::Case& c : SampleCases(*x->engine)) {
      v1::CaseRecord r;
      v1::Action a;
      a.mutable_actor()->set_role(v1::ACTOR_ROLE_CITIZEN);
      *a.mutable_receive()->mutable_case_() = c;
      if (x->loop->ApplyInPlace(&r, a, c.reported_at()).ok()) {
        x->cases.push_back(c);
      }
    }
    return x;
  }();
  return *f;
}

v1::Actor Centre(const v1::CaseRecord& r) {
  v1::Actor a;
  a.set_role(v1::ACTOR_ROLE_CENTRE);
  a.set_code(r.dispatched_at() == 0
                 ? TownshipCommandRoom(*F().engine, r.case_())
                 : r.decision().supervisor().code());
  return a;
}

v1::Actor Lead(const v1::CaseRecord& r) { return LeadActor(r); }

// The action of step `step` in a case's life; `variant` picks urges and
// reworks. Returns false when the life is over.
bool LifeStep(const v1::CaseRecord& r, const v1::Case& c, int step,
              int variant, v1::Action* a) {
  a->Clear();
  switch (r.state()) {
    case v1::CASE_STATE_UNSPECIFIED:
      a->mutable_actor()->set_role(v1::ACTOR_ROLE_CITIZEN);
      *a->mutable_receive()->mutable_case_() = c;
      return true;
    case v1::CASE_STATE_RECEIVED:
      *a->mutable_actor() = Centre(r);
      a->mutable_register_();
      return true;
    case v1::CASE_STATE_REGISTERED:
      *a->mutable_actor() = Centre(r);
      a->mutable_dispatch();
      return true;
    case v1::CASE_STATE_DISPATCHED:
      *a->mutable_actor() = Lead(r);
      a->mutable_sign_for();
      return true;
    case v1::CASE_STATE_SIGNED:
      if (variant % 4 == 0 && r.counters().urges() == 0) {
        *a->mutable_actor() = Centre(r);
        a->mutable_urge()->set_note("催办");
        return true;
      }
      *a->mutable_actor() = Lead(r);
      a->mutable_handle();
      return true;
    case v1::CASE_STATE_HANDLED:
      *a->mutable_actor() = Lead(r);
      a->mutable_feed_back();
      return true;
    case v1::CASE_STATE_FED_BACK:
      *a->mutable_actor() = Centre(r);
      a->mutable_verify()->set_passed(variant % 8 != 0 ||
                                      r.counters().reworks() > 0);
      return true;
    case v1::CASE_STATE_VERIFIED:
      *a->mutable_actor() = Centre(r);
      a->mutable_close();
      return true;
    case v1::CASE_STATE_CLOSED:
      a->mutable_actor()->set_role(v1::ACTOR_ROLE_CITIZEN);
      a->mutable_evaluate()->set_satisfaction(v1::SATISFACTION_SATISFIED);
      return true;
    default:
      (void)step;
      return false;
  }
}

// Lives of the sample cases; `from_state` skips the steps before it
// (applied untimed). `pure` uses Apply() instead of ApplyInPlace.
void RunMix(benchmark::State& state, bool pure, v1::CaseState from_state) {
  const Fixture& f = F();
  v1::Action a;
  int64_t applied = 0, refused = 0;
  size_t next_case = 0;
  int variant = 0;
  const bool prepare = from_state != v1::CASE_STATE_UNSPECIFIED;
  for (auto _ : state) {
    if (prepare) state.PauseTiming();
    const v1::Case& c = f.cases[next_case++ % f.cases.size()];
    ++variant;
    v1::CaseRecord r;
    int64_t now = c.reported_at();
    int step = 0;
    while (r.state() != from_state && LifeStep(r, c, step++, variant, &a)) {
      (void)f.loop->ApplyInPlace(&r, a, now += 600);
    }
    if (prepare) state.ResumeTiming();
    while (LifeStep(r, c, step++, variant, &a)) {
      now += 600;
      if (pure) {
        absl::StatusOr<v1::CaseRecord> next = Apply(*f.engine, r, a, now);
        if (!next.ok()) break;
        r = std::move(*next);
      } else if (!f.loop->ApplyInPlace(&r, a, now).ok()) {
        ++refused;
        break;
      }
      ++applied;
    }
    benchmark::DoNotOptimize(r);
  }
  state.SetItemsProcessed(applied);
  state.counters["refused"] = static_cast<double>(refused);
}

void BM_Lifecycle_Mix(benchmark::State& state) {
  RunMix(state, false, v1::CASE_STATE_UNSPECIFIED);
}
BENCHMARK(BM_Lifecycle_Mix);

void BM_Lifecycle_MixPure(benchmark::State& state) {
  RunMix(state, true, v1::CASE_STATE_UNSPECIFIED);
}
BENCHMARK(BM_Lifecycle_MixPure);

void BM_Lifecycle_MixNoDispatch(benchmark::State& state) {
  RunMix(state, false, v1::CASE_STATE_DISPATCHED);
}
BENCHMARK(BM_Lifecycle_MixNoDispatch);

// One action kind: records are prepared in `from` (untimed), then the
// action is applied to each of a batch of 512 in place.
void RunAction(benchmark::State& state, v1::CaseState from,
               const std::function<void(const v1::CaseRecord&, v1::Action*)>&
                   make) {
  const Fixture& f = F();
  std::vector<v1::CaseRecord> templates;
  std::vector<int64_t> times;
  v1::Action a;
  for (size_t i = 0; i < f.cases.size() && templates.size() < 64; ++i) {
    v1::CaseRecord r;
    int64_t now = f.cases[i].reported_at();
    int step = 0;
    bool ok = true;
    while (r.state() != from && ok) {
      ok = LifeStep(r, f.cases[i], step++, 1, &a) &&
           f.loop->ApplyInPlace(&r, a, now += 600).ok();
    }
    if (ok) {
      templates.push_back(r);
      times.push_back(now + 600);
    }
  }
  if (templates.empty()) {
    state.SkipWithError("no record reaches the state");
    return;
  }
  std::vector<v1::CaseRecord> batch(kBatch);
  std::vector<v1::Action> actions(templates.size());
  for (size_t i = 0; i < templates.size(); ++i) make(templates[i], &actions[i]);
  int64_t applied = 0, refused = 0;
  int pos = kBatch;
  for (auto _ : state) {
    if (pos == kBatch) {
      state.PauseTiming();
      for (int i = 0; i < kBatch; ++i) batch[i] = templates[i % templates.size()];
      pos = 0;
      state.ResumeTiming();
    }
    const size_t t = static_cast<size_t>(pos) % templates.size();
    if (f.loop->ApplyInPlace(&batch[pos], actions[t], times[t]).ok()) {
      ++applied;
    } else {
      ++refused;
    }
    ++pos;
  }
  state.SetItemsProcessed(applied);
  state.counters["refused"] = static_cast<double>(refused);
}

#define JC_ACTION_BENCH(name, from, body)                                  \
  void BM_Lifecycle_Action_##name(benchmark::State& state) {              \
    RunAction(state, from, [](const v1::CaseRecord& r, v1::Action* a) {   \
      (void)r;                                                             \
      body;                                                                \
    });                                                                    \
  }                                                                        \
  BENCHMARK(BM_Lifecycle_Action_##name)

JC_ACTION_BENCH(register, v1::CASE_STATE_RECEIVED,
                (*a->mutable_actor() = Centre(r), a->mutable_register_()));
JC_ACTION_BENCH(dispatch, v1::CASE_STATE_REGISTERED,
                (*a->mutable_actor() = Centre(r), a->mutable_dispatch()));
JC_ACTION_BENCH(sign_for, v1::CASE_STATE_DISPATCHED,
                (*a->mutable_actor() = Lead(r), a->mutable_sign_for()));
JC_ACTION_BENCH(handle, v1::CASE_STATE_SIGNED,
                (*a->mutable_actor() = Lead(r), a->mutable_handle()));
JC_ACTION_BENCH(feed_back, v1::CASE_STATE_HANDLED,
                (*a->mutable_actor() = Lead(r), a->mutable_feed_back()));
JC_ACTION_BENCH(verify, v1::CASE_STATE_FED_BACK,
                (*a->mutable_actor() = Centre(r),
                 a->mutable_verify()->set_passed(true)));
JC_ACTION_BENCH(close, v1::CASE_STATE_VERIFIED,
                (*a->mutable_actor() = Centre(r), a->mutable_close()));
JC_ACTION_BENCH(evaluate, v1::CASE_STATE_CLOSED,
                (a->mutable_actor()->set_role(v1::ACTOR_ROLE_CITIZEN),
                 a->mutable_evaluate()->set_satisfaction(
                     v1::SATISFACTION_SATISFIED)));
JC_ACTION_BENCH(urge, v1::CASE_STATE_SIGNED,
                (*a->mutable_actor() = Centre(r), a->mutable_urge()));
JC_ACTION_BENCH(return_case, v1::CASE_STATE_DISPATCHED,
                (*a->mutable_actor() = Lead(r),
                 a->mutable_return_case()->set_reason_code("NOT_OUR_DUTY"),
                 a->mutable_return_case()->set_basis("basis")));
JC_ACTION_BENCH(park, v1::CASE_STATE_SIGNED,
                (*a->mutable_actor() = Centre(r), a->mutable_park()));
JC_ACTION_BENCH(request_extension, v1::CASE_STATE_SIGNED,
                (*a->mutable_actor() = Lead(r),
                 a->mutable_request_extension()->mutable_extension()->set_unit(
                     v1::TIME_UNIT_WORKING_HOURS),
                 a->mutable_request_extension()->mutable_extension()->set_amount(
                     4)));

}  // namespace
}  // namespace jiceng

BENCHMARK_MAIN();
