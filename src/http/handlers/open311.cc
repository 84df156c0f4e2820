// Open311 GeoReport v2 at /open311/v2 over the hotline's appeal cases (issue 5, docs/open311.md):
// discovery, services (the dispatch catalogue's public categories), service definitions (their
// extra questions), POST requests (intake through CaseService like every channel, the channel
// being the integration's name), GET requests / requests/{id} and tokens/{token}. Every resource
// in XML and JSON chosen by the .xml/.json suffix; errors are the standard's array of
// {code, description} with HTTP 400, 403 or 404, never problem+json. The routes are public: POST
// checks its api_key (an integration's API token) itself so that a refusal has the Open311 shape.
#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <variant>

#include <nlohmann/json.hpp>

#include "http/form.h"
#include "http/handlers/api.h"
#include "http/handlers/open311_writer.h"
#include "http/http_util.h"
#include "huiyin/app/accounts.h"
#include "huiyin/app/cases.h"
#include "huiyin/app/catalogue.h"
#include "huiyin/app/open311.h"
#include "huiyin/common/text.h"
#include "huiyin/core/identifiers.h"

namespace huiyin::api {
namespace {

constexpr std::string_view kBase = "/open311/v2";
constexpr std::string_view kSpecification = "http://wiki.open311.org/GeoReport_v2";
// Appeal type of a request filed through Open311: reports of public problems are requests for
// help (求助) in the hotline's classification.
constexpr std::string_view kOpen311AppealType = "help";
constexpr size_t kMaxDescription = 4000;
constexpr size_t kMaxAddress = 200;
constexpr size_t kMaxAddressId = 100;
constexpr size_t kMaxName = 50;
constexpr size_t kMaxMediaUrl = 1000;
constexpr size_t kMaxTitle = 100;
constexpr size_t kMaxListItems = 100;

using Format = Open311Format;

// One Open311 error: `code` is the HTTP status (the standard's examples do the same).
struct O311Error {
  int code = 400;
  std::string description;
};

// "services.json" → ("services", kJson); nullopt without a .xml or .json suffix.
std::optional<std::pair<std::string, Format>> SplitFormat(std::string_view segment) {
  if (segment.ends_with(".xml") && segment.size() > 4) {
    return std::pair{std::string(segment.substr(0, segment.size() - 4)), Format::kXml};
  }
  if (segment.ends_with(".json") && segment.size() > 5) {
    return std::pair{std::string(segment.substr(0, segment.size() - 5)), Format::kJson};
  }
  return std::nullopt;
}

http::Response Document(Format format, int status, Open311Writer& writer) {
  http::Response r;
  r.status = status;
  r.content_type =
      format == Format::kJson ? "application/json; charset=utf-8" : "text/xml; charset=utf-8";
  r.body = writer.Finish();
  r.SetHeader("Cache-Control", "no-store");
  r.SetHeader("Access-Control-Allow-Origin", "*");
  return r;
}

http::Response Errors(Format format, const std::vector<O311Error>& errors) {
  int status = 400;
  Open311Writer w(format, "errors", /*array=*/true);
  for (const auto& e : errors) {
    w.BeginObject();
    w.Int("code", e.code);
    w.Text("description", e.description);
    w.EndObject();
    status = e.code;  // they share one status: the caller never mixes kinds
  }
  return Document(format, status, w);
}

http::Response Error1(Format format, int code, std::string description) {
  return Errors(format, {{code, std::move(description)}});
}

// Open311 names for the fields CaseService reports errors on.
std::string Open311Field(const std::string& field) {
  if (field == "content" || field == "title") return "description";
  if (field == "address") return "address_string";
  if (field == "lng") return "long";
  if (field == "requester/phone") return "phone";
  if (field == "requester/name") return "first_name/last_name";
  return field;
}

// An app-layer error in the standard's terms: 404 for what does not exist, 403 for keys, 400 for
// everything else (the standard's "general service error"); internal details are never sent.
http::Response FromError(Format format, const Error& e) {
  int status = 400;
  if (e.code == ErrorCode::kNotFound) status = 404;
  if (e.code == ErrorCode::kForbidden || e.code == ErrorCode::kUnauthenticated) status = 403;
  std::vector<O311Error> out;
  if (e.code == ErrorCode::kInternal || e.code == ErrorCode::kUnavailable ||
      e.code == ErrorCode::kSchemaTooNew) {
    out.push_back({status, "the service request could not be processed now; please try again"});
  } else if (!e.fields.empty()) {
    for (const auto& f : e.fields) out.push_back({status, Open311Field(f.field) + " " + f.message});
  } else {
    out.push_back({status, e.detail});
  }
  return Errors(format, out);
}

// The first `n` code points of `s`.
std::string TruncateCodePoints(std::string_view s, size_t n) {
  size_t count = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80 && count++ == n) {
      return std::string(s.substr(0, i));
    }
  }
  return std::string(s);
}

bool IsValidUtf8(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    size_t len = c < 0x80             ? 1
                 : (c & 0xE0) == 0xC0 ? 2
                 : (c & 0xF0) == 0xE0 ? 3
                 : (c & 0xF8) == 0xF0 ? 4
                                      : 0;
    if (len == 0 || i + len > s.size() || (len == 2 && c < 0xC2)) return false;
    for (size_t k = 1; k < len; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    }
    i += len;
  }
  return true;
}

// Markup or code: a '<' opening a tag, comment or processing instruction, or an entity such as
// "&lt;" — the standard's description is "not html or code".
bool LooksLikeMarkup(std::string_view s) {
  for (size_t i = 0; i + 1 < s.size(); ++i) {
    if (s[i] == '<') {
      const char n = s[i + 1];
      if (std::isalpha(static_cast<unsigned char>(n)) || n == '/' || n == '!' || n == '?') {
        return true;
      }
    }
  }
  return s.find('<') != std::string_view::npos && s.find('>') != std::string_view::npos;
}

std::string Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return std::string(s);
}

// "a, b,,c" → {"a", "b", "c"}.
std::vector<std::string> SplitList(const std::vector<std::string>& values) {
  std::vector<std::string> out;
  for (const auto& v : values) {
    size_t start = 0;
    while (start <= v.size()) {
      size_t comma = v.find(',', start);
      if (comma == std::string::npos) comma = v.size();
      std::string item = Trim(std::string_view(v).substr(start, comma - start));
      if (!item.empty() && std::find(out.begin(), out.end(), item) == out.end()) {
        out.push_back(std::move(item));
      }
      start = comma + 1;
    }
  }
  return out;
}

// A W3C date-time. Tolerates the '+' of an offset that arrived unencoded in a query string (and
// so decoded as a space): "2026-01-04T09:30:00 08:00".
Result<Timestamp> ParseW3c(std::string value) {
  if (value.size() > 19) {
    const size_t sp = value.find(' ', 19);
    if (sp != std::string::npos && sp + 1 < value.size() &&
        std::isdigit(static_cast<unsigned char>(value[sp + 1]))) {
      value[sp] = '+';
    }
  }
  return ParseIso(value);
}

std::optional<double> ParseNumber(std::string_view text) {
  std::string t = Trim(text);
  double v = 0;
  auto r = std::from_chars(t.data(), t.data() + t.size(), v);
  if (t.empty() || r.ec != std::errc{} || r.ptr != t.data() + t.size() || !std::isfinite(v)) {
    return std::nullopt;
  }
  return v;
}

// The parameters of one call: the query string and, for POST, the form body. A parameter given
// empty counts as absent (the standard's "Optional Arguments").
struct Call {
  Format format = Format::kXml;
  http::FormData query;
  http::FormData body;

  // The body's value, else the query's.
  std::optional<std::string> Param(std::string_view name) const {
    if (auto v = body.FirstNonEmpty(name)) return v;
    return query.FirstNonEmpty(name);
  }
  // Every value of `name` in the body and the query.
  std::vector<std::string> All(std::string_view name) const {
    std::vector<std::string> out = body.All(name);
    for (auto& v : query.All(name)) out.push_back(std::move(v));
    return out;
  }
};

// Parses the query (and body); a malformed encoding is a 400 in the requested format.
std::variant<Call, http::Response> ReadCall(const http::Request& req, Format format,
                                            bool with_body) {
  Call call;
  call.format = format;
  auto q = http::FormData::Parse(req.query);
  if (!q.ok()) return Error1(format, 400, "the query string: " + q.error().detail);
  call.query = std::move(q).value();
  if (with_body) {
    auto b = http::FormData::Parse(req.body);
    if (!b.ok()) return Error1(format, 400, "the form body: " + b.error().detail);
    call.body = std::move(b).value();
  }
  return call;
}

// The jurisdiction check every method makes: absent is fine (one jurisdiction per server), any
// other than the city's is a 404.
std::optional<http::Response> CheckJurisdiction(const ApiContext& ctx, const Call& call) {
  auto j = call.Param("jurisdiction_id");
  if (!j || http::EqualsIgnoreCase(Trim(*j), ctx.config.city.jurisdiction_id)) return std::nullopt;
  return Error1(call.format, 404,
                "jurisdiction_id '" + *j + "' was not found; this server serves '" +
                    ctx.config.city.jurisdiction_id + "'");
}

// One service request, every field of the standard in its order ("" and absent as null).
void WriteRequest(Open311Writer& w, const app::ServiceRequestView& v) {
  w.BeginObject();
  w.Text("service_request_id", v.service_request_id);
  w.Text("status", v.closed ? "closed" : "open");
  w.TextOrNull("status_notes", v.status_notes);
  w.TextOrNull("service_name", v.service_name);
  w.Text("service_code", v.service_code);
  w.TextOrNull("description", v.description);
  w.TextOrNull("agency_responsible", v.agency_responsible);
  w.Null("service_notice");
  w.Text("requested_datetime", FormatIso(v.requested));
  w.Text("updated_datetime", FormatIso(v.updated));
  w.TextOrNull("expected_datetime", v.expected ? FormatIso(*v.expected) : "");
  w.TextOrNull("address", v.address);
  w.TextOrNull("address_id", v.address_id);
  w.Null("zipcode");
  v.lat ? w.Number("lat", *v.lat) : w.Null("lat");
  v.lng ? w.Number("long", *v.lng) : w.Null("long");
  w.TextOrNull("media_url", v.media_url);
  w.EndObject();
}

// ---- discovery, services, service definitions ---------------------------------------------------

http::Response Discovery(ApiContext& ctx, const http::Request& req, const Call& call) {
  app::CatalogueService catalogue(ctx.db);
  auto categories = catalogue.ListCategories(/*public_only=*/false, /*include_inactive=*/true);
  if (!categories.ok()) return FromError(call.format, categories.error());
  // The changeset moves whenever the service list or a service definition changes.
  Timestamp changeset = FromMillis(0);
  for (const auto& c : *categories) changeset = std::max(changeset, c.updated_at);
  std::string host(req.Header("host"));
  if (host.empty()) host = ctx.config.server.listen + ":" + std::to_string(ctx.config.server.port);
  const std::string scheme =
      http::EqualsIgnoreCase(req.Header("x-forwarded-proto"), "https") ? "https" : "http";
  Open311Writer w(call.format, "discovery", /*array=*/false);
  w.Text("changeset", FormatIso(changeset));
  w.Text("contact",
         ctx.config.city.name + " 12345 政务服务便民热线 (12345 government service hotline)");
  w.Text("key_service",
         "api_key 由市政务服务中心的安全管理员向合作系统签发 (API keys are issued to partner "
         "integrations by the city's security administrator)");
  w.BeginArray("endpoints");
  w.BeginObject();
  w.Text("specification", kSpecification);
  w.Text("url", scheme + "://" + host + std::string(kBase));
  w.Text("changeset", FormatIso(changeset));
  w.Text("type", "production");
  w.BeginArray("formats");
  w.Text("", "text/xml");
  w.Text("", "application/json");
  w.EndArray();
  w.EndObject();
  w.EndArray();
  return Document(call.format, 200, w);
}

http::Response Services(ApiContext& ctx, const Call& call) {
  app::CatalogueService catalogue(ctx.db);
  auto categories = catalogue.ListCategories(/*public_only=*/true);
  if (!categories.ok()) return FromError(call.format, categories.error());
  // Services are the leaves; a parent is the heading its children are grouped under.
  Open311Writer w(call.format, "services", /*array=*/true);
  for (const auto& c : *categories) {
    const bool parent = std::any_of(categories->begin(), categories->end(), [&](const auto& o) {
      return o.parent_code && *o.parent_code == c.code;
    });
    if (parent) continue;
    std::string keywords;
    for (const auto& k : c.keywords) keywords += (keywords.empty() ? "" : ", ") + k;
    w.BeginObject();
    w.Text("service_code", c.code);
    w.Text("service_name", c.name);
    w.TextOrNull("description", c.description);
    w.Bool("metadata", !c.attributes.empty());
    w.Text("type", "realtime");
    w.TextOrNull("keywords", keywords);
    w.TextOrNull("group", c.group);
    w.EndObject();
  }
  return Document(call.format, 200, w);
}

http::Response ServiceDefinition(ApiContext& ctx, const Call& call, const std::string& code) {
  app::CatalogueService catalogue(ctx.db);
  auto category = catalogue.GetCategory(code, /*public_only=*/true);
  if (!category.ok()) {
    if (category.error().code == ErrorCode::kNotFound) {
      return Error1(call.format, 404, "service_code '" + code + "' was not found");
    }
    return FromError(call.format, category.error());
  }
  Open311Writer w(call.format, "service_definition", /*array=*/false);
  w.Text("service_code", category->code);
  w.BeginArray("attributes");
  int order = 0;
  for (const auto& a : category->attributes) {
    w.BeginObject();
    w.Bool("variable", a.variable);
    w.Text("code", a.code);
    w.Text("datatype", app::AttributeTypeName(a.datatype));
    w.Bool("required", a.required);
    w.TextOrNull("datatype_description", a.datatype_description);
    w.Int("order", ++order);  // positive and unique, as the standard asks, in the catalogue's order
    w.Text("description", a.description);
    w.BeginArray("values");
    for (const auto& v : a.values) {
      w.BeginObject();
      w.Text("key", v.key);
      w.Text("name", v.name);
      w.EndObject();
    }
    w.EndArray();
    w.EndObject();
  }
  w.EndArray();
  return Document(call.format, 200, w);
}

// ---- requests -----------------------------------------------------------------------------------

http::Response ListRequests(ApiContext& ctx, const Call& call) {
  app::ServiceRequestQuery q;
  std::vector<O311Error> errors;
  q.ids = SplitList(call.query.All("service_request_id"));
  q.service_codes = SplitList(call.query.All("service_code"));
  if (q.service_codes.size() > kMaxListItems)
    errors.push_back({400, "service_code: at most 100 codes"});
  auto date = [&](std::string_view name) -> std::optional<Timestamp> {
    auto v = call.Param(name);
    if (!v) return std::nullopt;
    auto t = ParseW3c(*v);
    if (!t.ok()) {
      errors.push_back({400, std::string(name) + " '" + *v +
                                 "' is not a W3C date-time such as 2026-01-04T09:30:00+08:00"});
      return std::nullopt;
    }
    return *t;
  };
  auto start = date("start_date");
  auto end = date("end_date");
  q.updated_after = date("updated_after");
  q.updated_before = date("updated_before");
  const Timestamp now = Now();
  if (start && end) {
    q.from = *start;
    q.to = *end;
  } else if (start) {
    q.from = *start;
    q.to = *start + app::kOpen311MaxSpan;
  } else if (end) {
    q.from = *end - app::kOpen311MaxSpan;
    q.to = *end;
  } else {
    q.from = now - app::kOpen311MaxSpan;
    q.to = now;
  }
  if (q.to < q.from) errors.push_back({400, "end_date is before start_date"});
  if (q.to - q.from > app::kOpen311MaxSpan) {
    errors.push_back({400, "start_date to end_date may not span more than 90 days"});
  }
  auto statuses = SplitList(call.query.All("status"));
  bool want_open = false, want_closed = false;
  for (const auto& s : statuses) {
    if (s == "open") {
      want_open = true;
    } else if (s == "closed") {
      want_closed = true;
    } else {
      errors.push_back({400, "status '" + s + "' is not open or closed"});
    }
  }
  if (want_open != want_closed) q.closed = want_closed;
  auto integer = [&](std::string_view name, int fallback) {
    auto v = call.Param(name);
    if (!v) return fallback;
    int out = 0;
    auto r = std::from_chars(v->data(), v->data() + v->size(), out);
    if (r.ec != std::errc{} || r.ptr != v->data() + v->size()) {
      errors.push_back({400, std::string(name) + " '" + *v + "' is not a whole number"});
      return fallback;
    }
    return out;
  };
  q.page = integer("page", 1);
  q.page_size = integer("page_size", 1000);
  if (!q.ids.empty()) errors.clear();  // service_request_id overrides every other argument
  if (!errors.empty()) return Errors(call.format, errors);
  app::Open311Service open311(ctx.db, ctx.crypto, ctx.cases.workflows());
  auto found = open311.List(q);
  if (!found.ok()) return FromError(call.format, found.error());
  Open311Writer w(call.format, "service_requests", /*array=*/true);
  w.Reserve(found->size() * (call.format == Format::kXml ? 1024 : 768));
  for (const auto& v : *found) WriteRequest(w, v);
  return Document(call.format, 200, w);
}

http::Response GetRequest(ApiContext& ctx, const Call& call, const std::string& id) {
  app::Open311Service open311(ctx.db, ctx.crypto, ctx.cases.workflows());
  auto found = open311.Get(Trim(id));
  if (!found.ok()) return FromError(call.format, found.error());
  Open311Writer w(call.format, "service_requests", /*array=*/true);
  WriteRequest(w, *found);
  return Document(call.format, 200, w);
}

http::Response Token(ApiContext& ctx, const Call& call, const std::string& token) {
  app::Open311Service open311(ctx.db, ctx.crypto, ctx.cases.workflows());
  auto number = open311.ResolveToken(token);
  if (!number.ok()) return FromError(call.format, number.error());
  Open311Writer w(call.format, "service_requests", /*array=*/true);
  w.BeginObject();
  w.Text("service_request_id", *number);
  w.Text("token", token);
  w.EndObject();
  return Document(call.format, 200, w);
}

// The integration behind the call's api_key (or bearer token), or the 403 to answer.
std::variant<app::Principal, http::Response> Integration(ApiContext& ctx, const http::Request& req,
                                                         const Call& call) {
  std::optional<app::Principal> who;
  if (auto key = call.Param("api_key")) {
    auto p = ctx.accounts.AuthenticateBearer(Trim(*key), Now());
    if (!p.ok()) {
      return Error1(call.format, 403,
                    "invalid api_key: it is unknown, expired or revoked -- can't proceed with "
                    "create_request");
    }
    who = std::move(p).value();
  } else if (const app::Principal* caller = CallerOf(req)) {
    who = *caller;
  } else {
    return Error1(call.format, 403, "api_key is required to create a service request");
  }
  if (who->kind != app::PrincipalKind::kIntegration) {
    return Error1(call.format, 403,
                  "this api_key does not belong to an integration account; ask the city for an "
                  "integration key");
  }
  return std::move(*who);
}

// Attribute answers: attribute[CODE]=v, repeated, or attribute[CODE][]=v (from the body, or from
// the query string when the body has none).
app::AttributeValues ReadAttributes(const Call& call) {
  app::AttributeValues values;
  auto collect = [&](const http::FormData& form) {
    for (const auto& [name, value] : form.fields()) {
      if (auto code = http::BracketKey(name, "attribute")) values[*code].push_back(value);
    }
  };
  collect(call.body);
  if (values.empty()) collect(call.query);
  return values;
}

// What was submitted, minus the key and the jurisdiction, in a stable order: identifies a retry.
std::string SubmissionDigest(const Call& call) {
  std::vector<std::pair<std::string, std::string>> fields;
  for (const auto* form : {&call.body, &call.query}) {
    for (const auto& f : form->fields()) {
      if (f.first == "api_key" || f.first == "jurisdiction_id" || f.second.empty()) continue;
      fields.push_back(f);
    }
  }
  std::stable_sort(fields.begin(), fields.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::string canonical;
  for (const auto& [n, v] : fields) {
    canonical.append(n).append(1, '\x1F').append(v).append(1, '\x1E');
  }
  return app::Crypto::Sha256Hex(canonical);
}

http::Response CreateRequest(ApiContext& ctx, http::Request& req, const Call& call) {
  const Format f = call.format;
  std::string_view type = req.Header("content-type");
  if (!type.empty() && !http::EqualsIgnoreCase(type.substr(0, std::min<size_t>(type.size(), 33)),
                                               "application/x-www-form-urlencoded")) {
    return Error1(f, 400,
                  "send the service request form-encoded (Content-Type: "
                  "application/x-www-form-urlencoded; charset=utf-8)");
  }
  if (auto r = CheckJurisdiction(ctx, call)) return std::move(*r);
  auto who = Integration(ctx, req, call);
  if (auto* refusal = std::get_if<http::Response>(&who)) return std::move(*refusal);
  const app::Principal& integration = std::get<app::Principal>(who);

  for (const auto* form : {&call.body, &call.query}) {
    for (const auto& [name, value] : form->fields()) {
      if (!IsValidUtf8(name) || !IsValidUtf8(value)) {
        return Error1(f, 400, "parameter '" + name + "' is not valid UTF-8");
      }
    }
  }
  auto code = call.Param("service_code");
  if (!code) return Error1(f, 400, "service_code was not provided");
  *code = Trim(*code);
  app::CatalogueService catalogue(ctx.db);
  auto category = catalogue.GetCategory(*code, /*public_only=*/true);
  if (!category.ok()) {
    if (category.error().code == ErrorCode::kNotFound) {
      return Error1(f, 404, "service_code '" + *code + "' was not found");
    }
    return FromError(f, category.error());
  }

  std::vector<O311Error> errors;
  app::NewCase c;
  c.kind = std::string(app::kOpen311CaseKind);
  c.type = std::string(kOpen311AppealType);
  c.channel = integration.username;
  c.category = category->code;
  // Location: lat and long together, or address_string, or address_id.
  auto lat_text = call.Param("lat");
  auto long_text = call.Param("long");
  if (lat_text.has_value() != long_text.has_value()) {
    errors.push_back({400, "lat and long must be sent together"});
  } else if (lat_text) {
    c.lat = ParseNumber(*lat_text);
    c.lng = ParseNumber(*long_text);
    if (!c.lat || *c.lat < -90 || *c.lat > 90) {
      errors.push_back({400, "lat '" + *lat_text + "' must be a WGS84 latitude, -90 to 90"});
    }
    if (!c.lng || *c.lng < -180 || *c.lng > 180) {
      errors.push_back({400, "long '" + *long_text + "' must be a WGS84 longitude, -180 to 180"});
    }
  }
  c.address = Trim(call.Param("address_string").value_or(""));
  const std::string address_id = Trim(call.Param("address_id").value_or(""));
  if (!lat_text && !long_text && c.address.empty() && address_id.empty()) {
    errors.push_back({400, "a location is required: lat and long, address_string or address_id"});
  }
  if (CodePoints(c.address) > kMaxAddress) {
    errors.push_back({400, "address_string must be at most 200 characters"});
  } else if (LooksLikeMarkup(c.address)) {
    errors.push_back({400, "address_string must be plain text, without HTML or code"});
  }
  if (address_id.size() > kMaxAddressId) {
    errors.push_back({400, "address_id must be at most 100 characters"});
  }
  const std::string description = Trim(call.Param("description").value_or(""));
  if (CodePoints(description) > kMaxDescription) {
    errors.push_back({400, "description must be at most 4,000 characters (it has " +
                               std::to_string(CodePoints(description)) + ")"});
  } else if (LooksLikeMarkup(description)) {
    errors.push_back({400,
                      "description must be plain text: it may contain line breaks, not "
                      "HTML or code"});
  }
  const std::string media_url = Trim(call.Param("media_url").value_or(""));
  if (!media_url.empty()) {
    const bool scheme = media_url.starts_with("http://") || media_url.starts_with("https://");
    const bool clean = std::none_of(media_url.begin(), media_url.end(), [](char ch) {
      return static_cast<unsigned char>(ch) <= 0x20 || ch == '"' || ch == '<' || ch == '>';
    });
    if (!scheme || !clean || media_url.size() > kMaxMediaUrl) {
      errors.push_back({400, "media_url must be an http or https URL of at most 1,000 characters"});
    }
  }
  // The requester: kept encrypted for the hotline's call-back, never shown by Open311.
  const std::string first = Trim(call.Param("first_name").value_or(""));
  const std::string last = Trim(call.Param("last_name").value_or(""));
  const bool ascii = std::all_of(first.begin(), first.end(), [](char ch) { return ch > 0; }) &&
                     std::all_of(last.begin(), last.end(), [](char ch) { return ch > 0; });
  c.requester_name = ascii ? Trim(first + " " + last) : last + first;  // 张 + 三 → 张三
  if (CodePoints(c.requester_name) > kMaxName) {
    errors.push_back({400, "first_name and last_name must be at most 50 characters together"});
  }
  if (auto phone = call.Param("phone")) {
    auto normal = core::NormalizeMobile(*phone);
    if (!normal.ok()) {
      errors.push_back({400, "phone must be a mainland mobile number: 11 digits starting 13-19"});
    } else {
      c.requester_phone = *normal;
    }
  }
  // Extra questions, checked against the service definition.
  app::AttributeValues values = ReadAttributes(call);
  Status checked = app::ValidateAttributeValues(category->attributes, values);
  if (!checked.ok()) {
    for (const auto& fe : checked.error().fields)
      errors.push_back({400, fe.field + " " + fe.message});
    if (checked.error().fields.empty()) errors.push_back({400, checked.error().detail});
  }
  if (!errors.empty()) return Errors(f, errors);

  nlohmann::json answers = nlohmann::json::object();
  for (const auto& def : category->attributes) {
    auto it = values.find(def.code);
    if (it == values.end()) continue;
    std::vector<std::string> given;
    for (const auto& v : it->second) {
      std::string t = def.datatype == app::AttributeType::kText ? v : Trim(v);
      if (!Trim(t).empty()) given.push_back(std::move(t));
    }
    if (given.empty()) continue;
    if (def.datatype == app::AttributeType::kMultiValueList) {
      answers[def.code] = given;
    } else {
      answers[def.code] = given.front();
    }
  }
  if (!media_url.empty() || !address_id.empty()) {
    nlohmann::json extra = nlohmann::json::object();
    if (!media_url.empty()) extra["media_url"] = media_url;
    if (!address_id.empty()) extra["address_id"] = address_id;
    answers[std::string(app::kOpen311AttributesKey)] = std::move(extra);
  }
  c.attributes_json = answers.dump();
  // Title: the service and the first words of the description (or the place).
  std::string first_line = description.substr(0, description.find('\n'));
  std::string gist = !first_line.empty() ? first_line : c.address;
  c.title =
      TruncateCodePoints(gist.empty() ? category->name : category->name + "：" + gist, kMaxTitle);
  c.content = !description.empty() ? description
              : c.address.empty()  ? category->name
                                   : category->name + "（" + c.address + "）";

  // Idempotent on retry: the client's Idempotency-Key (its batch token) or the submission itself.
  const std::string digest = SubmissionDigest(call);
  std::string token(req.Header("idempotency-key"));
  if (token.size() > 200) return Error1(f, 400, "Idempotency-Key must be at most 200 characters");
  auto result =
      ctx.cases.Intake(&integration, c, app::Open311IdempotencyKey(token.empty() ? digest : token),
                       digest, MetaOf(req));
  if (!result.ok()) {
    if (result.error().code == ErrorCode::kIdempotencyMismatch) {
      return Error1(f, 400,
                    "this Idempotency-Key was already used for a different service request");
    }
    return FromError(f, result.error());
  }
  const app::CaseView& view = result->view;
  std::string notice =
      "已受理，将尽快派至承办单位办理 (received; it will be dispatched to the "
      "responsible unit)";
  for (const auto& clock : view.clocks) {
    if (clock.name == "dispatch" && !clock.stopped) {
      notice = "已受理，将于 " + FormatIso(clock.deadline) +
               " 前派至承办单位办理 (received; it will be dispatched to the responsible unit by " +
               FormatIso(clock.deadline) + ")";
    }
  }
  Open311Writer w(f, "service_requests", /*array=*/true);
  w.BeginObject();
  w.Text("service_request_id", view.number);
  w.Text("service_notice", notice);
  w.Null("account_id");
  w.EndObject();
  auto r = Document(f, 200, w);
  if (result->replayed) r.SetHeader("Idempotent-Replayed", "true");
  return r;
}

// ---- routing ------------------------------------------------------------------------------------

http::Response UnknownResource(Format format, std::string_view path) {
  return Error1(format, 404,
                "no Open311 resource at " + std::string(path) +
                    "; use discovery, services, services/{service_code}, requests, "
                    "requests/{service_request_id} or tokens/{token} with .xml or .json");
}

http::Response Collection(ApiContext& ctx, http::Request& req, bool post) {
  auto target = SplitFormat(req.Param("resource"));
  if (!target) return UnknownResource(Format::kXml, req.path);
  auto read = ReadCall(req, target->second, post);
  if (auto* bad = std::get_if<http::Response>(&read)) return std::move(*bad);
  const Call& call = std::get<Call>(read);
  const std::string& name = target->first;
  if (post) {
    if (name != "requests") {
      return Error1(call.format, 404, "only requests accepts POST (" + std::string(req.path) + ")");
    }
    return CreateRequest(ctx, req, call);
  }
  if (name != "discovery" && name != "services" && name != "requests") {
    return UnknownResource(call.format, req.path);
  }
  if (auto r = CheckJurisdiction(ctx, call)) return std::move(*r);
  if (name == "discovery") return Discovery(ctx, req, call);
  if (name == "services") return Services(ctx, call);
  return ListRequests(ctx, call);
}

http::Response Item(ApiContext& ctx, http::Request& req) {
  const std::string collection(req.Param("collection"));
  auto target = SplitFormat(req.Param("item"));
  if (!target) return UnknownResource(Format::kXml, req.path);
  auto read = ReadCall(req, target->second, false);
  if (auto* bad = std::get_if<http::Response>(&read)) return std::move(*bad);
  const Call& call = std::get<Call>(read);
  if (collection != "services" && collection != "requests" && collection != "tokens") {
    return UnknownResource(call.format, req.path);
  }
  if (auto r = CheckJurisdiction(ctx, call)) return std::move(*r);
  if (collection == "services") return ServiceDefinition(ctx, call, target->first);
  if (collection == "requests") return GetRequest(ctx, call, target->first);
  return Token(ctx, call, target->first);
}

// Paths and methods the standard does not define still answer in its error shape.
http::Response Unsupported(http::Request& req) {
  const Format format = req.path.ends_with(".json") ? Format::kJson : Format::kXml;
  if (req.method == "GET" || req.method == "POST") return UnknownResource(format, req.path);
  return Error1(format, 400,
                req.method + " is not an Open311 method: use GET, or POST for requests");
}

}  // namespace

void RegisterOpen311Routes(http::Router& router, ApiContext& ctx) {
  const std::string base(kBase);
  router.Add("GET", base + "/{resource}",
             [&ctx](http::Request& r) { return Collection(ctx, r, false); },
             {.name = "open311 GET", .run_inline = false, .access = kPublic});
  router.Add("POST", base + "/{resource}",
             [&ctx](http::Request& r) { return Collection(ctx, r, true); },
             {.name = "open311 POST", .run_inline = false, .access = kPublic});
  router.Add("GET", base + "/{collection}/{item}",
             [&ctx](http::Request& r) { return Item(ctx, r); },
             {.name = "open311 GET item", .run_inline = false, .access = kPublic});
  for (const char* method : {"PUT", "PATCH", "DELETE"}) {
    for (const char* pattern : {"/{resource}", "/{collection}/{item}"}) {
      router.Add(method, base + pattern, Unsupported,
                 {.name = "", .run_inline = false, .access = kPublic});
    }
  }
  for (const char* method : {"GET", "POST", "PUT", "PATCH", "DELETE"}) {
    router.Add(method, base + "/*rest", Unsupported,
               {.name = "", .run_inline = false, .access = kPublic});
  }
  router.Add("POST", base + "/{collection}/{item}", Unsupported,
             {.name = "", .run_inline = false, .access = kPublic});
}

}  // namespace huiyin::api
