// `huiyin calendar show YEAR | import FILE | deadline --from --length --unit`.
#include <cstdio>

#include "cli/runtime.h"
#include "huiyin/app/calendar_import.h"

namespace huiyin::cli {
namespace {

struct CalendarOptions {
  std::string date;
  std::string name;
  int year = 0;
  std::string file;
  std::string from;
  int length = 0;
  std::string unit = "workdays";
};

int Show(const GlobalOptions& g, const CalendarOptions& o) {
  HUIYIN_CLI_ASSIGN(auto rt, BuildRuntime(g));
  auto cal = rt->calendar->Current();
  if (o.year < core::Calendar::kMinYear || o.year > core::Calendar::kMaxYear) {
    return Fail(FieldInvalid("YEAR", "must be a year such as 2026"));
  }
  std::printf("%d: %s\n", o.year,
              cal->IsYearLoaded(o.year) ? "official arrangement loaded"
                                        : "NOT published: weekends and 1 January only; deadlines "
                                          "in it are provisional");
  Date first = Date{std::chrono::year{o.year} / 1 / 1};
  Date last = Date{std::chrono::year{o.year} / 12 / 31};
  int working = 0;
  for (Date d = first; d <= last; d += std::chrono::days{1}) {
    bool w = cal->IsWorkingDay(d);
    working += w;
    std::chrono::weekday wd{d};
    bool weekend = wd == std::chrono::Saturday || wd == std::chrono::Sunday;
    std::string name = cal->DayName(d);
    if (w == weekend || !name.empty()) {
      std::printf("  %s %s %-4s %s\n", FormatDate(d).c_str(), weekend ? "weekend" : "weekday",
                  w ? "work" : "off", name.c_str());
    }
  }
  std::printf("%d working days\n", working);
  return 0;
}

int Import(const GlobalOptions& g, const CalendarOptions& o) {
  HUIYIN_CLI_ASSIGN(auto rt, BuildRuntime(g));
  HUIYIN_CLI_ASSIGN(core::CalendarData data, app::LoadCalendarFile(o.file));
  HUIYIN_CLI_ASSIGN(app::Principal op, OperatorPrincipal(*rt->db));
  HUIYIN_CLI_ASSIGN(app::CalendarChangeReport r, rt->calendar->Import(op, data, CliMeta()));
  std::string years;
  for (int y : r.years) years += (years.empty() ? "" : ", ") + std::to_string(y);
  std::printf(
      "imported %s: %d days; %lld running clocks in those years rechecked, %lld deadlines moved\n",
      years.c_str(), r.days, static_cast<long long>(r.clocks_checked),
      static_cast<long long>(r.clocks_changed));
  return 0;
}

int LocalDay(const GlobalOptions& g, const CalendarOptions& o, bool add) {
  HUIYIN_CLI_ASSIGN(auto rt, BuildRuntime(g));
  HUIYIN_CLI_ASSIGN(Date date, ParseDate(o.date));
  HUIYIN_CLI_ASSIGN(app::Principal op, OperatorPrincipal(*rt->db));
  HUIYIN_CLI_ASSIGN(app::CalendarChangeReport r,
                    add ? rt->calendar->AddLocalDayOff(op, date, o.name, CliMeta())
                        : rt->calendar->RemoveLocalDayOff(op, date, CliMeta()));
  std::printf("%s %s; %lld running clocks rechecked, %lld changed\n", o.date.c_str(),
              add ? "is now a local day off" : "is no longer a local day off",
              static_cast<long long>(r.clocks_checked), static_cast<long long>(r.clocks_changed));
  return 0;
}

int Deadline(const GlobalOptions& g, const CalendarOptions& o) {
  HUIYIN_CLI_ASSIGN(auto rt, BuildRuntime(g));
  Timestamp from = Now();
  if (!o.from.empty()) {
    HUIYIN_CLI_ASSIGN(from, ParseIso(o.from));
  }
  core::ClockUnit unit;
  if (o.unit == "workdays") {
    unit = core::ClockUnit::kWorkingDays;
  } else if (o.unit == "days") {
    unit = core::ClockUnit::kCalendarDays;
  } else if (o.unit == "hours") {
    unit = core::ClockUnit::kHours;
  } else {
    return Fail(FieldInvalid("--unit", "must be workdays, days or hours"));
  }
  HUIYIN_CLI_ASSIGN(app::DeadlineAnswer a, rt->calendar->Deadline(from, o.length, unit));
  std::printf("%s%s\n", FormatIso(a.deadline).c_str(), a.provisional ? " provisional" : "");
  return 0;
}

}  // namespace

void RegisterCalendar(CLI::App& app, GlobalOptions& g, const AddCommon& add_common) {
  static CalendarOptions o;
  auto* cal = app.add_subcommand("calendar", "the working-day calendar");
  cal->require_subcommand(1);
  auto* show = cal->add_subcommand("show", "list a year's days off and make-up working days");
  add_common(show);
  show->add_option("YEAR", o.year, "year")->required();
  OnParsed(show, [&g] { return Show(g, o); });
  auto* import = cal->add_subcommand(
      "import",
      "import official arrangements (chinese-days JSON, Huiyin JSON or CSV date,off|work,name)");
  add_common(import);
  import->add_option("FILE", o.file, "file to import")->required();
  OnParsed(import, [&g] { return Import(g, o); });
  auto* add_day =
      cal->add_subcommand("add-day", "add a local day off (audited; clocks recomputed)");
  add_common(add_day);
  add_day->add_option("DATE", o.date, "YYYY-MM-DD")->required();
  add_day->add_option("NAME", o.name, "why the offices close, e.g. 防汛闭馆")->required();
  OnParsed(add_day, [&g] { return LocalDay(g, o, true); });
  auto* remove_day = cal->add_subcommand("remove-day", "remove a local day off");
  add_common(remove_day);
  remove_day->add_option("DATE", o.date, "YYYY-MM-DD")->required();
  OnParsed(remove_day, [&g] { return LocalDay(g, o, false); });
  auto* deadline = cal->add_subcommand("deadline", "compute a deadline (start day not counted)");
  add_common(deadline);
  deadline->add_option("--from", o.from, "start, ISO 8601 (default: now)");
  deadline->add_option("--length", o.length, "length in units")->required();
  deadline->add_option("--unit", o.unit, "workdays, days or hours");
  OnParsed(deadline, [&g] { return Deadline(g, o); });
}

}  // namespace huiyin::cli
