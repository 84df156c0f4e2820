// Working-day calendar and clock throughput on the shipped calendar (config/calendars).
// Run: build/cal/bin/calendar_bench  (items_per_second = calls per second on one core).
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <iostream>
#include <random>
#include <vector>

#include "huiyin/app/calendar_import.h"
#include "huiyin/core/calendar.h"
#include "huiyin/core/clock.h"

namespace {

using huiyin::Date;
using huiyin::core::Calendar;

const Calendar& Shipped() {
  static const std::shared_ptr<const Calendar> calendar = [] {
    auto data = huiyin::app::LoadCalendarDir(HUIYIN_SOURCE_DIR "/config/calendars");
    if (!data.ok()) {
      std::cerr << data.error().detail << "\n";
      std::abort();
    }
    return *Calendar::Create(*data);
  }();
  return *calendar;
}

constexpr size_t kInputs = 4096;  // power of two

// Random dates in 2004..2027 (mostly inside the published range, some beyond it).
std::vector<Date> RandomDates(uint32_t seed) {
  std::mt19937 rng(seed);
  const int first = (Date{std::chrono::year{2004} / 1 / 1}).time_since_epoch().count();
  const int last = (Date{std::chrono::year{2027} / 6 / 30}).time_since_epoch().count();
  std::uniform_int_distribution<int> day(first, last);
  std::vector<Date> dates(kInputs);
  for (Date& d : dates) d = Date{std::chrono::days{day(rng)}};
  return dates;
}

void BM_IsWorkingDay(benchmark::State& state) {
  const Calendar& cal = Shipped();
  const std::vector<Date> dates = RandomDates(1);
  size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(cal.IsWorkingDay(dates[i++ & (kInputs - 1)]));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_IsWorkingDay);

void BM_AddWorkingDays(benchmark::State& state) {
  const Calendar& cal = Shipped();
  const std::vector<Date> dates = RandomDates(2);
  size_t i = 0;
  for (auto _ : state) {
    const size_t k = i++ & (kInputs - 1);
    benchmark::DoNotOptimize(cal.AddWorkingDays(dates[k], static_cast<int>(k % 60) + 1));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_AddWorkingDays);

void BM_WorkingDaysBetween(benchmark::State& state) {
  const Calendar& cal = Shipped();
  const std::vector<Date> from = RandomDates(3);
  const std::vector<Date> to = RandomDates(4);
  size_t i = 0;
  for (auto _ : state) {
    const size_t k = i++ & (kInputs - 1);
    benchmark::DoNotOptimize(cal.WorkingDaysBetween(from[k], to[k]));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_WorkingDaysBetween);

void BM_AddCalendarDays(benchmark::State& state) {
  const Calendar& cal = Shipped();
  const std::vector<Date> dates = RandomDates(5);
  size_t i = 0;
  for (auto _ : state) {
    const size_t k = i++ & (kInputs - 1);
    benchmark::DoNotOptimize(cal.AddCalendarDays(dates[k], static_cast<int>(k % 90) + 1));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_AddCalendarDays);

// A 20-WD licence clock with one closed pause and one extension: Clock::Deadline and Evaluate.
huiyin::core::Clock LicenceClock() {
  auto start = *huiyin::ParseIso("2025-09-19T09:00:00+08:00");
  auto clock =
      *huiyin::core::Clock::Start("handle", huiyin::core::ClockUnit::kWorkingDays, 20, start);
  (void)clock.Pause("supplement", *huiyin::ParseIso("2025-09-30T10:00:00+08:00"));
  (void)clock.Resume(*huiyin::ParseIso("2025-10-09T15:00:00+08:00"));
  (void)clock.Extend(10, "complex", "head");
  return clock;
}

void BM_ClockDeadline(benchmark::State& state) {
  const Calendar& cal = Shipped();
  const huiyin::core::Clock clock = LicenceClock();
  const auto now = *huiyin::ParseIso("2025-10-20T09:00:00+08:00");
  for (auto _ : state) benchmark::DoNotOptimize(clock.Deadline(cal, now));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ClockDeadline);

void BM_ClockEvaluate(benchmark::State& state) {
  const Calendar& cal = Shipped();
  const huiyin::core::Clock clock = LicenceClock();
  const auto now = *huiyin::ParseIso("2025-10-20T09:00:00+08:00");
  for (auto _ : state) benchmark::DoNotOptimize(clock.Evaluate(cal, now));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ClockEvaluate);

}  // namespace

BENCHMARK_MAIN();
