// `huiyin demo [--password P] [--data FILE]`: loads the demo city and prints its accounts.
#include <cstdio>
#include <filesystem>

#include "cli/runtime.h"
#include "huiyin/app/catalogue.h"
#include "huiyin/app/demo.h"
#include "huiyin/app/services.h"

namespace huiyin::cli {
namespace {

struct DemoCliOptions {
  std::string password;
  std::string data = "config/demo/tonghua.json";
};

int Demo(const GlobalOptions& g, const DemoCliOptions& o) {
  HUIYIN_CLI_ASSIGN(auto rt, BuildRuntime(g));
  app::DemoOptions opts;
  if (!o.password.empty()) opts.password = o.password;
  opts.now = Now();
  HUIYIN_CLI_ASSIGN(app::DemoSummary s, app::LoadDemo(*rt->db, *rt->crypto, o.data, opts));
  std::printf("%s\n", s.message.c_str());
  // The hotline's dispatch catalogue and knowledge base for the demo city (idempotent too).
  HUIYIN_CLI_ASSIGN(
      app::CatalogueDemoSummary cat,
      app::LoadDemoCatalogue(
          *rt->db, std::filesystem::path(o.data).parent_path() / "catalogue.json", opts.now));
  std::printf("%s\n", cat.message.c_str());
  // The service catalogue (事项清单) of the demo city.
  HUIYIN_CLI_ASSIGN(
      app::ServicesDemoSummary services,
      app::LoadDemoServices(*rt->db, std::filesystem::path(o.data).parent_path() / "services.json",
                            opts.now));
  std::printf("%s\n", services.message.c_str());
  if (s.already_loaded) return 0;
  std::printf("\n%-14s %-16s %-44s %s\n", "username", "password", "roles", "name");
  for (const auto& a : s.accounts) {
    std::string roles;
    for (const auto& r : a.roles) roles += (roles.empty() ? "" : ", ") + r;
    std::printf("%-14s %-16s %-44s %s\n", a.username.c_str(), a.password.c_str(), roles.c_str(),
                a.display_name.c_str());
  }
  return 0;
}

}  // namespace

void RegisterDemo(CLI::App& app, GlobalOptions& g, const AddCommon& add_common) {
  static DemoCliOptions o;
  auto* sub =
      app.add_subcommand("demo", "load the demo city (Tonghua, 通化市) and print its accounts");
  add_common(sub);
  sub->add_option("--password", o.password,
                  "one password for every demo account (default: a random one each)");
  sub->add_option("--data", o.data, "demo data file");
  OnParsed(sub, [&g] { return Demo(g, o); });
}

}  // namespace huiyin::cli
