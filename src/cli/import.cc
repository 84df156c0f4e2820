// `huiyin import appeals FILE.csv [--skip-invalid]`: migrates history from an old system with a
// progress bar, a report of rejected rows (line and reason) and no partial import on failure.
#include <cstdio>
#include <fstream>
#include <sstream>

#include "cli/runtime.h"

namespace huiyin::cli {
namespace {

struct ImportOptions {
  std::string file;
  bool skip_invalid = false;
};

int ImportAppeals(const GlobalOptions& g, const ImportOptions& o) {
  HUIYIN_CLI_ASSIGN(auto rt, BuildRuntime(g));
  std::ifstream in(o.file, std::ios::binary);
  if (!in) return Fail(FieldInvalid("FILE", "cannot read '" + o.file + "'"));
  std::stringstream ss;
  ss << in.rdbuf();
  HUIYIN_CLI_ASSIGN(app::Principal op, OperatorPrincipal(*rt->db));
  auto progress = [](int64_t done, int64_t total) {
    int width = 40;
    int filled = total ? static_cast<int>(width * done / total) : width;
    std::fprintf(stderr, "\r[%s%s] %lld/%lld", std::string(filled, '#').c_str(),
                 std::string(width - filled, ' ').c_str(), static_cast<long long>(done),
                 static_cast<long long>(total));
    if (done == total) std::fprintf(stderr, "\n");
  };
  HUIYIN_CLI_ASSIGN(app::ImportReport r,
                    rt->cases->ImportHistory(op, ss.str(), o.skip_invalid, progress, CliMeta()));
  for (const auto& x : r.rejected) {
    std::printf("rejected line %zu: %s\n", x.line, x.reason.c_str());
  }
  if (!r.rejected.empty() && !o.skip_invalid) {
    std::printf("%zu of %lld rows rejected; nothing imported (fix them, or pass --skip-invalid)\n",
                r.rejected.size(), static_cast<long long>(r.rows));
    return 1;
  }
  std::printf("imported %lld of %lld rows\n", static_cast<long long>(r.imported),
              static_cast<long long>(r.rows));
  return 0;
}

}  // namespace

void RegisterImport(CLI::App& app, GlobalOptions& g, const AddCommon& add_common) {
  static ImportOptions o;
  auto* imp = app.add_subcommand("import", "import data from other systems");
  imp->require_subcommand(1);
  auto* appeals = imp->add_subcommand("appeals", "import historical cases from a CSV file");
  add_common(appeals);
  appeals->add_option("FILE", o.file, "CSV file")->required();
  appeals->add_flag("--skip-invalid", o.skip_invalid,
                    "import the valid rows even if some are rejected");
  OnParsed(appeals, [&g] { return ImportAppeals(g, o); });
}

}  // namespace huiyin::cli
