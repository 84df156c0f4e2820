// The working-day calendar: deadlines for anyone (portal hints), the year's days, and local days
// off and imports for administrators.
#include "http/handlers/api.h"
#include "http/json_util.h"
#include "huiyin/app/calendar_import.h"
#include "huiyin/app/calendar_service.h"

namespace huiyin::api {
namespace {

using nlohmann::json;

json ReportJson(const app::CalendarChangeReport& r) {
  return {{"years", r.years},
          {"days", r.days},
          {"clocks_checked", r.clocks_checked},
          {"clocks_changed", r.clocks_changed}};
}

http::Response Deadline(ApiContext& ctx, http::Request& req) {
  auto from_text = req.QueryParam("from");
  auto length_text = req.QueryParam("length");
  auto unit_text = req.QueryParam("unit");
  std::vector<FieldError> missing;
  if (!length_text) missing.push_back({"length", "is required, e.g. length=20"});
  if (!unit_text) missing.push_back({"unit", "is required: workdays, days or hours"});
  if (!missing.empty()) {
    return http::Response::Problem(
        Error(ErrorCode::kInvalidArgument, "give length and unit (and optionally from)", missing),
        req);
  }
  Timestamp from = MetaOf(req).now;
  if (from_text) {
    auto t = ParseIso(*from_text);
    if (!t.ok()) return http::Response::Problem(FieldInvalid("from", t.error().detail), req);
    from = *t;
  }
  int64_t length = 0;
  try {
    size_t pos = 0;
    length = std::stoll(*length_text, &pos);
    if (pos != length_text->size()) throw std::invalid_argument("trailing");
  } catch (const std::exception&) {
    return http::Response::Problem(FieldInvalid("length", "must be a whole number"), req);
  }
  core::ClockUnit unit;
  if (*unit_text == "workdays" || *unit_text == "working_days") {
    unit = core::ClockUnit::kWorkingDays;
  } else if (*unit_text == "days" || *unit_text == "calendar_days") {
    unit = core::ClockUnit::kCalendarDays;
  } else if (*unit_text == "hours") {
    unit = core::ClockUnit::kHours;
  } else {
    return http::Response::Problem(FieldInvalid("unit", "must be workdays, days or hours"), req);
  }
  if (length < 0 || length > core::Clock::kMaxLength) {
    return http::Response::Problem(
        FieldInvalid("length", "must be between 0 and " + std::to_string(core::Clock::kMaxLength)),
        req);
  }
  auto a = ctx.calendar.Deadline(from, static_cast<int>(length), unit);
  if (!a.ok()) return http::Response::Problem(a.error(), req);
  return http::JsonResponse(200, {{"from", FormatIso(a->from)},
                                  {"length", a->length},
                                  {"unit", std::string(core::ClockUnitName(a->unit))},
                                  {"deadline", FormatIso(a->deadline)},
                                  {"provisional", a->provisional}});
}

http::Response Year(ApiContext& ctx, http::Request& req) {
  int year = 0;
  try {
    year = std::stoi(std::string(req.Param("year")));
  } catch (const std::exception&) {
    return http::Response::Problem(FieldInvalid("year", "must be a year such as 2026"), req);
  }
  if (year < core::Calendar::kMinYear || year > core::Calendar::kMaxYear) {
    return http::Response::Problem(FieldInvalid("year", "is out of range"), req);
  }
  auto cal = ctx.calendar.Current();
  json days = json::array();
  Date first = Date{std::chrono::year{year} / 1 / 1};
  Date last = Date{std::chrono::year{year} / 12 / 31};
  int working = 0;
  for (Date d = first; d <= last; d += std::chrono::days{1}) {
    bool w = cal->IsWorkingDay(d);
    working += w ? 1 : 0;
    std::chrono::weekday wd{d};
    bool weekend = wd == std::chrono::Saturday || wd == std::chrono::Sunday;
    std::string name = cal->DayName(d);
    if (w == weekend || !name.empty()) {  // only days that differ from the plain week, or named
      days.push_back({{"date", FormatDate(d)}, {"working", w}, {"name", name}});
    }
  }
  return http::JsonResponse(200, {{"year", year},
                                  {"published", cal->IsYearLoaded(year)},
                                  {"working_days", working},
                                  {"exceptions", days}});
}

http::Response AddLocalDay(ApiContext& ctx, http::Request& req) {
  auto body = http::ParseJsonBody(req);
  if (!body.ok()) return http::Response::Problem(body.error(), req);
  if (auto s = http::RejectUnknownFields(*body, {"date", "name"}); !s.ok()) {
    return http::Response::Problem(s.error(), req);
  }
  auto date_text = http::GetString(*body, "date", true, 10);
  if (!date_text.ok()) return http::Response::Problem(date_text.error(), req);
  auto date = ParseDate(*date_text);
  if (!date.ok()) return http::Response::Problem(FieldInvalid("date", date.error().detail), req);
  auto name = http::GetString(*body, "name", true, 200);
  if (!name.ok()) return http::Response::Problem(name.error(), req);
  auto r = ctx.calendar.AddLocalDayOff(*CallerOf(req), *date, *name, MetaOf(req));
  if (!r.ok()) return http::Response::Problem(r.error(), req);
  return http::JsonResponse(201, ReportJson(*r));
}

http::Response RemoveLocalDay(ApiContext& ctx, http::Request& req) {
  auto date = ParseDate(req.Param("date"));
  if (!date.ok()) return http::Response::Problem(FieldInvalid("date", date.error().detail), req);
  auto r = ctx.calendar.RemoveLocalDayOff(*CallerOf(req), *date, MetaOf(req));
  if (!r.ok()) return http::Response::Problem(r.error(), req);
  return http::JsonResponse(200, ReportJson(*r));
}

http::Response Import(ApiContext& ctx, http::Request& req) {
  std::string_view type = req.Header("content-type");
  std::string name = type.starts_with("text/csv") ? "upload.csv" : "upload.json";
  auto data = app::ParseCalendarFile(req.body, name);
  if (!data.ok()) return http::Response::Problem(data.error(), req);
  auto r = ctx.calendar.Import(*CallerOf(req), *data, MetaOf(req));
  if (!r.ok()) return http::Response::Problem(r.error(), req);
  return http::JsonResponse(200, ReportJson(*r));
}

}  // namespace

void RegisterCalendarRoutes(http::Router& router, ApiContext& ctx) {
  router.Add("GET", "/api/v1/calendar/deadline",
             [&ctx](http::Request& r) { return Deadline(ctx, r); },
             {.name = "", .run_inline = false, .access = kPublic});
  router.Add("GET", "/api/v1/calendar/years/{year}",
             [&ctx](http::Request& r) { return Year(ctx, r); },
             {.name = "", .run_inline = false, .access = kPublic});
  router.Add("POST", "/api/v1/calendar/local-days",
             [&ctx](http::Request& r) { return AddLocalDay(ctx, r); },
             {.name = "", .run_inline = false, .access = "calendar:day:edit"});
  router.Add("DELETE", "/api/v1/calendar/local-days/{date}",
             [&ctx](http::Request& r) { return RemoveLocalDay(ctx, r); },
             {.name = "", .run_inline = false, .access = "calendar:day:edit"});
  router.Add("POST", "/api/v1/calendar/imports",
             [&ctx](http::Request& r) { return Import(ctx, r); },
             {.name = "", .run_inline = false, .access = "calendar:day:edit"});
}

}  // namespace huiyin::api
