// Search query building on the request path (issue 8): splitting what people type into terms,
// making them literal for LIKE and FTS5, counting characters — and the public service guide's
// in-memory search is measured over HTTP (scripts/bench.sh catalogue).
// Run: build/bench/bin/search_bench
#include <benchmark/benchmark.h>

#include <string>

#include "huiyin/common/text.h"

namespace {

const std::string kQuery = "东昌区 楼道灯不亮\u3000HuiYin 100%_off 供暖温度";

void BM_SearchTerms(benchmark::State& state) {
  for (auto _ : state) {
    auto terms = huiyin::SearchTerms(kQuery);
    benchmark::DoNotOptimize(terms);
  }
}
BENCHMARK(BM_SearchTerms);

void BM_LikeAndFtsPatterns(benchmark::State& state) {
  const auto terms = huiyin::SearchTerms(kQuery).value();
  for (auto _ : state) {
    for (const auto& t : terms) {
      auto like = huiyin::EscapeLike(t);
      auto phrase = huiyin::FtsPhrase(t);
      benchmark::DoNotOptimize(like);
      benchmark::DoNotOptimize(phrase);
    }
  }
}
BENCHMARK(BM_LikeAndFtsPatterns);

void BM_CodePointsAndUtf8(benchmark::State& state) {
  const std::string text(200, 'a');
  const std::string chinese =
      "市民来电反映东昌区新站街道光明小区附近工地连续多日夜间施工至凌晨两点";
  for (auto _ : state) {
    benchmark::DoNotOptimize(huiyin::CodePoints(chinese));
    benchmark::DoNotOptimize(huiyin::IsValidUtf8(chinese));
    benchmark::DoNotOptimize(huiyin::IsValidUtf8(text));
  }
}
BENCHMARK(BM_CodePointsAndUtf8);

}  // namespace

BENCHMARK_MAIN();
