// The JSON API: what every handler file needs (the services it calls, how it reads the caller)
// and the one function that registers every route. Handler files are thin: parse → call an app
// service → serialise.
#pragma once

#include <optional>
#include <string>

#include "huiyin/app/context.h"
#include "huiyin/common/config.h"
#include "huiyin/http/metrics.h"
#include "huiyin/http/router.h"
#include "huiyin/storage/database.h"

namespace huiyin::app {
class AccountService;
class CalendarService;
class CaseService;
class Crypto;
class GuideIndex;
class OrgService;
}  // namespace huiyin::app

namespace huiyin::api {

// The services handlers call; owned by `huiyin serve`, alive while the server runs.
struct ApiContext {
  const Config& config;
  storage::Database& db;
  const app::Crypto& crypto;
  app::AccountService& accounts;
  app::OrgService& orgs;
  app::CalendarService& calendar;
  app::CaseService& cases;
  http::Metrics& metrics;
  app::GuideIndex& guide;  // the public service guide in memory
};

// Route access levels (RouteOptions::access): "public", "auth" (any signed-in account), or a
// permission string that the caller must hold somewhere (scope is checked by the service).
inline constexpr const char* kPublic = "public";
inline constexpr const char* kAuthenticated = "auth";

// Registers every API route and the authentication hook on `router`.
void RegisterRoutes(http::Router& router, ApiContext& ctx);

// The authenticated caller of a request (set by the hook); null on public routes without a session.
const app::Principal* CallerOf(const http::Request& request);
// The request's metadata for audit records: remote address, request id, now.
app::RequestMeta MetaOf(const http::Request& request);

// Per-file registration (one per resource).
void RegisterSystemRoutes(http::Router& router, ApiContext& ctx);
void RegisterAuthRoutes(http::Router& router, ApiContext& ctx);
void RegisterOrgRoutes(http::Router& router, ApiContext& ctx);
void RegisterAuditRoutes(http::Router& router, ApiContext& ctx);
void RegisterUserRoutes(http::Router& router, ApiContext& ctx);
void RegisterCaseRoutes(http::Router& router, ApiContext& ctx);       // cases.cc
void RegisterOpen311Routes(http::Router& router, ApiContext& ctx);    // open311.cc
void RegisterKnowledgeRoutes(http::Router& router, ApiContext& ctx);  // knowledge.cc
void RegisterCatalogueRoutes(http::Router& router, ApiContext& ctx);  // dispatch_catalogue.cc
void RegisterCalendarRoutes(http::Router& router, ApiContext& ctx);
void RegisterServiceRoutes(http::Router& router, ApiContext& ctx);     // services.cc
void RegisterLicenceRoutes(http::Router& router, ApiContext& ctx);     // licences.cc
void RegisterAttachmentRoutes(http::Router& router, ApiContext& ctx);  // attachments.cc

}  // namespace huiyin::api
