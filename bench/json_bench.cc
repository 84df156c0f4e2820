// Request-body and SQL-preparation costs on the hot paths of the API:
//  - parsing a typical intake body (POST /api/v1/cases, ~600 bytes with Chinese text) with
//    nlohmann::json and pulling its fields out as the handler does;
//  - serialising a case-like JSON object back (the response side);
//  - storage::RewritePlaceholders (PostgreSQL: `?` -> `$n`, done once per statement text and then
//    cached as a prepared statement per connection).
// Run: build/bench/bin/json_bench
#include <benchmark/benchmark.h>

#include <nlohmann/json.hpp>
#include <string>

#include "storage/postgres/pg_database.h"

namespace {

const std::string kIntakeBody = R"({
  "type": "complaint",
  "channel": "phone",
  "title": "东昌区新站街道夜间施工噪音扰民",
  "content": "市民来电反映:东昌区新站街道光明小区附近工地连续多日夜间施工至凌晨两点,噪音严重影响周边居民休息,曾向施工方反映无果,请相关部门尽快核实处理并答复。",
  "category": "环境保护/噪声污染",
  "region_code": "220502",
  "address": "吉林省通化市东昌区新站街道光明小区东侧",
  "lat": 41.7283,
  "lng": 125.9396,
  "requester": {"name": "张晓明", "phone": "13804351234"},
  "attributes": {"noise_source": "construction", "time_of_day": "night"}
})";

struct Intake {
  std::string type, channel, title, content, category, region_code, address, name, phone, attrs;
  double lat = 0, lng = 0;
};

void BM_ParseIntakeBody(benchmark::State& state) {
  for (auto _ : state) {
    auto j = nlohmann::json::parse(kIntakeBody, nullptr, false);
    Intake in;
    in.type = j.value("type", "");
    in.channel = j.value("channel", "");
    in.title = j.value("title", "");
    in.content = j.value("content", "");
    in.category = j.value("category", "");
    in.region_code = j.value("region_code", "");
    in.address = j.value("address", "");
    in.lat = j.value("lat", 0.0);
    in.lng = j.value("lng", 0.0);
    const auto& r = j["requester"];
    in.name = r.value("name", "");
    in.phone = r.value("phone", "");
    in.attrs = j["attributes"].dump();
    benchmark::DoNotOptimize(in);
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(kIntakeBody.size()));
}
BENCHMARK(BM_ParseIntakeBody);

void BM_SerialiseCaseView(benchmark::State& state) {
  for (auto _ : state) {
    nlohmann::json j = {{"number", "SQ20261127000042"},
                        {"kind", "appeal"},
                        {"type", "complaint"},
                        {"state", "handling"},
                        {"state_label", "办理中 Handling"},
                        {"title", "东昌区新站街道夜间施工噪音扰民"},
                        {"content", "市民来电反映:东昌区新站街道光明小区附近工地连续多日夜间施工"},
                        {"version", 3},
                        {"created_at", "2026-11-27T08:00:00+08:00"}};
    j["clocks"] = nlohmann::json::array();
    for (int i = 0; i < 3; ++i) {
      j["clocks"].push_back({{"name", "handle"},
                             {"deadline", "2026-12-11T23:59:59.999+08:00"},
                             {"level", "normal"},
                             {"remaining", 10}});
    }
    j["timeline"] = nlohmann::json::array();
    for (int i = 0; i < 4; ++i) {
      j["timeline"].push_back({{"id", i}, {"action", "dispatch"}, {"actor_name", "派单员一"}});
    }
    std::string out = j.dump();
    benchmark::DoNotOptimize(out);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_SerialiseCaseView);

void BM_RewritePlaceholders(benchmark::State& state) {
  const std::string sql =
      "INSERT INTO cases (number, kind, type, channel, state, title, content, category, "
      "region_code, address, lat, lng, requester_id, requester_name_enc, requester_phone_enc, "
      "requester_phone_index, anonymous, confidential, check_code_hash, attributes, "
      "requester_name_masked, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
      "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id";
  for (auto _ : state) benchmark::DoNotOptimize(huiyin::storage::RewritePlaceholders(sql));
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(sql.size()));
}
BENCHMARK(BM_RewritePlaceholders);

}  // namespace

BENCHMARK_MAIN();
