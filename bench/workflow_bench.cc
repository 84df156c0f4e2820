// Workflow checks on the shipped appeal workflow (config/workflows/appeal.json): MayTake for one
// transition and AvailableTransitions (what a case page lists) for a dispatcher (city-wide) and a
// unit handler (scope check against the lead unit's path).
// Run: build/bench/bin/workflow_bench   (items_per_second = calls per second on one core).
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <iostream>

#include "huiyin/app/workflows.h"
#include "huiyin/core/access.h"
#include "huiyin/core/workflow.h"

namespace {

using huiyin::core::CaseFacts;
using huiyin::core::Grant;
using huiyin::core::Principal;
using huiyin::core::Role;

const huiyin::core::WorkflowDef& Appeal() {
  static const auto registry = [] {
    auto r = huiyin::app::WorkflowRegistry::LoadDir(HUIYIN_SOURCE_DIR "/config/workflows");
    if (!r.ok()) {
      std::cerr << r.error().detail << "\n";
      std::abort();
    }
    return *r;
  }();
  return *registry->Find("appeal");
}

Principal Dispatcher() {
  Principal p;
  p.user_id = 3;
  p.username = "dispatcher1";
  p.org_path = "/1/2/";
  p.grants.push_back(Grant{Role::kDispatcher, 2, "/1/2/"});
  return p;
}

Principal Handler() {
  Principal p;
  p.user_id = 7;
  p.username = "zjhandler1";
  p.org_path = "/1/5/9/";
  p.grants.push_back(Grant{Role::kHandler, 9, "/1/5/9/"});
  return p;
}

CaseFacts Facts(const char* state) {
  CaseFacts f;
  f.state = state;
  f.type = "complaint";
  f.lead_org_path = "/1/5/9/";
  f.co_org_paths = {"/1/6/"};
  f.requester_id = 42;
  return f;
}

void BM_MayTake_Dispatch(benchmark::State& state) {
  const auto& def = Appeal();
  const auto* t = def.Transition("dispatch");
  const Principal actor = Dispatcher();
  const CaseFacts facts = Facts("received");
  for (auto _ : state) benchmark::DoNotOptimize(huiyin::core::MayTake(def, *t, facts, actor));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_MayTake_Dispatch);

void BM_MayTake_SignFor_LeadUnit(benchmark::State& state) {
  const auto& def = Appeal();
  const auto* t = def.Transition("sign_for");
  const Principal actor = Handler();
  const CaseFacts facts = Facts("dispatched");
  for (auto _ : state) benchmark::DoNotOptimize(huiyin::core::MayTake(def, *t, facts, actor));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_MayTake_SignFor_LeadUnit);

void BM_MayTake_Refused(benchmark::State& state) {  // builds an error message
  const auto& def = Appeal();
  const auto* t = def.Transition("approve_reply");
  const Principal actor = Dispatcher();
  const CaseFacts facts = Facts("received");
  for (auto _ : state) benchmark::DoNotOptimize(huiyin::core::MayTake(def, *t, facts, actor));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_MayTake_Refused);

void BM_AvailableTransitions_Dispatcher(benchmark::State& state) {
  const auto& def = Appeal();
  const Principal actor = Dispatcher();
  const CaseFacts facts = Facts("received");
  for (auto _ : state) {
    benchmark::DoNotOptimize(huiyin::core::AvailableTransitions(def, facts, actor));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_AvailableTransitions_Dispatcher);

void BM_AvailableTransitions_Handler(benchmark::State& state) {
  const auto& def = Appeal();
  const Principal actor = Handler();
  const CaseFacts facts = Facts("handling");
  for (auto _ : state) {
    benchmark::DoNotOptimize(huiyin::core::AvailableTransitions(def, facts, actor));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_AvailableTransitions_Handler);

void BM_LoadWorkflowDir(benchmark::State& state) {  // start-up cost, for scale
  for (auto _ : state) {
    benchmark::DoNotOptimize(
        huiyin::app::WorkflowRegistry::LoadDir(HUIYIN_SOURCE_DIR "/config/workflows"));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_LoadWorkflowDir)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
