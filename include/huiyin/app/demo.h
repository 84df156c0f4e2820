// The demo city (Tonghua, 通化市): regions, the organisation tree with posts (the municipal
// departments of the seed document, those a hotline needs, the leading group and its office,
// every county/district government with departments and a township), and one staff account per
// role plus a citizen and an enterprise. The data is config/demo/tonghua.json ("huiyin-demo/1"):
//   {"regions":[{code,name,name_en,parent,level}],
//    "orgs":[{code,name,name_en,kind,parent,region,phone,posts:[{title,title_en,key_post}]}],
//    "accounts":[{username,display_name,kind,org,post,phone,id_number,credit_code,
//                 roles:[{role,scope}]}]}       (org/parent/scope name organisation codes)
// No password is stored anywhere: each account gets the given password or a fresh random one,
// returned once in the summary for `huiyin demo` to print.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "huiyin/app/crypto.h"
#include "huiyin/common/result.h"
#include "huiyin/common/time.h"
#include "huiyin/storage/database.h"

namespace huiyin::app {

struct DemoOptions {
  std::optional<std::string> password;  // one password for every account; else random each
  Timestamp now{};                      // creation time (Now() when left at the epoch)
};

struct DemoAccount {
  std::string username;
  std::string display_name;
  std::string kind;                // staff, citizen, enterprise
  std::string org_name;            // "" for citizens and enterprises
  std::string post_title;          // ""
  std::vector<std::string> roles;  // "handler@住房和城乡建设局", "citizen"
  std::string password;            // in clear, shown once; "" when already_loaded
};

struct DemoSummary {
  bool already_loaded = false;  // true: a second run, nothing was changed
  int regions = 0;              // rows added
  int orgs = 0;
  int posts = 0;
  std::vector<DemoAccount> accounts;
  std::string message;  // one line for the CLI
};

// Loads the demo city from `data_file` in one transaction (with one "demo.load" audit record and
// a "user.create" per account). Idempotent: if it was loaded before, nothing changes and the
// summary says so. Errors: kInvalidArgument for a malformed file (naming the entry), kConflict
// when an organisation code or user name already exists from elsewhere.
Result<DemoSummary> LoadDemo(storage::Database& db, const Crypto& crypto,
                             const std::filesystem::path& data_file, const DemoOptions& options);
// The same from the file's content.
Result<DemoSummary> LoadDemoJson(storage::Database& db, const Crypto& crypto, std::string_view json,
                                 const DemoOptions& options);

}  // namespace huiyin::app
