#include "huiyin/common/config.h"

#include <toml++/toml.h>

#include <charconv>
#include <functional>

extern char** environ;  // NOLINT(readability-redundant-declaration)

namespace huiyin {
namespace {

using Setter = std::function<Status(Config&, const std::string& value, const std::string& origin)>;

struct KeyDef {
  ConfigKey key;
  Setter set;
};

Error BadValue(const std::string& name, const std::string& value, const std::string& origin,
               const std::string& allowed) {
  return MakeError(ErrorCode::kInvalidArgument, "configuration key '" + name + "' (from " + origin +
                                                    ") has the value '" + value +
                                                    "'; allowed: " + allowed);
}

KeyDef Int(const std::string& name, int64_t lo, int64_t hi,
           std::function<void(Config&, int64_t)> f) {
  std::string allowed = "an integer from " + std::to_string(lo) + " to " + std::to_string(hi);
  ConfigKey k{name, "", allowed};
  return {k, [=](Config& c, const std::string& v, const std::string& origin) -> Status {
            int64_t n = 0;
            auto r = std::from_chars(v.data(), v.data() + v.size(), n);
            if (r.ec != std::errc{} || r.ptr != v.data() + v.size() || n < lo || n > hi) {
              return BadValue(name, v, origin, allowed);
            }
            f(c, n);
            return Status::Ok();
          }};
}

KeyDef Str(const std::string& name, std::vector<std::string> choices,
           std::function<void(Config&, const std::string&)> f) {
  std::string allowed = "a non-empty string";
  if (!choices.empty()) {
    allowed = "one of ";
    for (size_t i = 0; i < choices.size(); ++i) allowed += (i ? ", " : "") + choices[i];
  }
  ConfigKey k{name, "", allowed};
  return {k, [=](Config& c, const std::string& v, const std::string& origin) -> Status {
            bool ok = choices.empty() ? !v.empty() : false;
            for (const auto& ch : choices) ok = ok || v == ch;
            if (!ok) return BadValue(name, v, origin, allowed);
            f(c, v);
            return Status::Ok();
          }};
}

KeyDef Bool(const std::string& name, std::function<void(Config&, bool)> f) {
  ConfigKey k{name, "", "true or false"};
  return {k, [=](Config& c, const std::string& v, const std::string& origin) -> Status {
            if (v == "true" || v == "1") {
              f(c, true);
            } else if (v == "false" || v == "0") {
              f(c, false);
            } else {
              return BadValue(name, v, origin, "true or false");
            }
            return Status::Ok();
          }};
}

const std::vector<KeyDef>& Keys() {
  static const std::vector<KeyDef> kKeys = [] {
    std::vector<KeyDef> k = {
        Str("server.listen", {}, [](Config& c, const std::string& v) { c.server.listen = v; }),
        Int("server.port", 0, 65535, [](Config& c, int64_t v) { c.server.port = int(v); }),
        Int("server.io_threads", 0, 64, [](Config& c, int64_t v) { c.server.io_threads = int(v); }),
        Int("server.workers", 1, 1024, [](Config& c, int64_t v) { c.server.workers = int(v); }),
        Int("server.queue_limit", 1, 1000000,
            [](Config& c, int64_t v) { c.server.queue_limit = int(v); }),
        Int("server.max_body_bytes", 1024, int64_t{1} << 30,
            [](Config& c, int64_t v) { c.server.max_body_bytes = v; }),
        Int("server.max_header_bytes", 1024, 1 << 20,
            [](Config& c, int64_t v) { c.server.max_header_bytes = int(v); }),
        Int("server.read_timeout_ms", 100, 600000,
            [](Config& c, int64_t v) { c.server.read_timeout_ms = int(v); }),
        Int("server.idle_timeout_ms", 100, 3600000,
            [](Config& c, int64_t v) { c.server.idle_timeout_ms = int(v); }),
        Int("server.write_timeout_ms", 100, 3600000,
            [](Config& c, int64_t v) { c.server.write_timeout_ms = int(v); }),
        Bool("server.access_log", [](Config& c, bool v) { c.server.access_log = v; }),
        Bool("server.trust_proxy_headers",
             [](Config& c, bool v) { c.server.trust_proxy_headers = v; }),
        Str("database.url", {}, [](Config& c, const std::string& v) { c.database.url = v; }),
        Int("database.readers", 1, 64, [](Config& c, int64_t v) { c.database.readers = int(v); }),
        Int("database.pool_size", 1, 256,
            [](Config& c, int64_t v) { c.database.pool_size = int(v); }),
        Str("database.synchronous", {"full", "normal"},
            [](Config& c, const std::string& v) { c.database.synchronous = v; }),
        Int("database.mmap_mb", 0, 65536,
            [](Config& c, int64_t v) { c.database.mmap_mb = int(v); }),
        Str("security.key_file", {},
            [](Config& c, const std::string& v) { c.security.key_file = v; }),
        Int("security.session_idle_minutes", 1, 1440,
            [](Config& c, int64_t v) { c.security.session_idle_minutes = int(v); }),
        Int("security.session_absolute_hours", 1, 720,
            [](Config& c, int64_t v) { c.security.session_absolute_hours = int(v); }),
        Int("security.address_failures", 1, 100000,
            [](Config& c, int64_t v) { c.security.address_failures = int(v); }),
        Int("security.lockout_attempts", 1, 100,
            [](Config& c, int64_t v) { c.security.lockout_attempts = int(v); }),
        Int("security.lockout_minutes", 1, 10080,
            [](Config& c, int64_t v) { c.security.lockout_minutes = int(v); }),
        Int("security.hash_concurrency", 1, 64,
            [](Config& c, int64_t v) { c.security.hash_concurrency = int(v); }),
        Str("security.argon2", {"interactive", "moderate", "min"},
            [](Config& c, const std::string& v) { c.security.argon2 = v; }),
        Bool("security.secure_cookies", [](Config& c, bool v) { c.security.secure_cookies = v; }),
        Str("log.level", {"trace", "debug", "info", "warn", "error"},
            [](Config& c, const std::string& v) { c.log.level = v; }),
        Str("city.jurisdiction_id", {},
            [](Config& c, const std::string& v) { c.city.jurisdiction_id = v; }),
        Str("city.name", {}, [](Config& c, const std::string& v) { c.city.name = v; }),
        Str("city.region_code", {},
            [](Config& c, const std::string& v) { c.city.region_code = v; }),
        Str("web.root", {}, [](Config& c, const std::string& v) { c.web.root = v; }),
        Str("workflows.dir", {}, [](Config& c, const std::string& v) { c.workflows.dir = v; }),
        Int("workflows.scheduler_seconds", 0, 86400,
            [](Config& c, int64_t v) { c.workflows.scheduler_seconds = int(v); }),
        Int("attachments.max_bytes", 1024, int64_t{1} << 30,
            [](Config& c, int64_t v) { c.attachments.max_bytes = v; }),
        Int("licences.reminder_days", 31, 366,
            [](Config& c, int64_t v) { c.licences.reminder_days = int(v); }),
        Str("calendar.dir", {}, [](Config& c, const std::string& v) { c.calendar.dir = v; }),
        Int("calendar.yellow_share_percent", 1, 99,
            [](Config& c, int64_t v) { c.calendar.yellow_share_percent = int(v); }),
    };
    for (auto& d : k) {
      std::string env = "HUIYIN_";
      for (char ch : d.key.name)
        env.push_back(ch == '.' ? '_' : static_cast<char>(std::toupper(ch)));
      d.key.env = env;
    }
    return k;
  }();
  return kKeys;
}

const KeyDef* Find(const std::string& name) {
  for (const auto& k : Keys()) {
    if (k.key.name == name) return &k;
  }
  return nullptr;
}

Error UnknownKey(const std::string& name, const std::string& origin) {
  return MakeError(ErrorCode::kInvalidArgument, "unknown configuration key '" + name + "' (from " +
                                                    origin +
                                                    "); run `huiyin config keys` to list the keys");
}

// Flattens a TOML table into "section.key" → text value.
Status Flatten(const toml::table& t, const std::string& prefix,
               std::vector<std::pair<std::string, std::string>>& out, const std::string& file) {
  for (const auto& [k, node] : t) {
    std::string name = prefix.empty() ? std::string(k.str()) : prefix + "." + std::string(k.str());
    if (const auto* sub = node.as_table()) {
      HUIYIN_TRY(Flatten(*sub, name, out, file));
    } else if (const auto* s = node.as_string()) {
      out.emplace_back(name, s->get());
    } else if (const auto* i = node.as_integer()) {
      out.emplace_back(name, std::to_string(i->get()));
    } else if (const auto* b = node.as_boolean()) {
      out.emplace_back(name, b->get() ? "true" : "false");
    } else {
      return MakeError(ErrorCode::kInvalidArgument, "configuration key '" + name + "' in " + file +
                                                        " must be a string, integer or boolean");
    }
  }
  return Status::Ok();
}

}  // namespace

const std::vector<ConfigKey>& ConfigKeys() {
  static const std::vector<ConfigKey> kList = [] {
    std::vector<ConfigKey> v;
    for (const auto& k : Keys()) v.push_back(k.key);
    return v;
  }();
  return kList;
}

Result<Config> LoadConfig(const std::string& file, const std::map<std::string, std::string>& env,
                          const std::vector<std::pair<std::string, std::string>>& overrides) {
  Config c;
  if (!file.empty()) {
    toml::table t;
    try {
      t = toml::parse_file(file);
    } catch (const toml::parse_error& e) {
      const auto& b = e.source().begin;
      return MakeError(ErrorCode::kInvalidArgument, "configuration file " + file + " line " +
                                                        std::to_string(b.line) + " column " +
                                                        std::to_string(b.column) + ": " +
                                                        std::string(e.description()));
    }
    std::vector<std::pair<std::string, std::string>> values;
    HUIYIN_TRY(Flatten(t, "", values, file));
    for (const auto& [name, value] : values) {
      const KeyDef* d = Find(name);
      if (!d) return UnknownKey(name, file);
      HUIYIN_TRY(d->set(c, value, file));
    }
  }
  for (const auto& k : Keys()) {
    auto it = env.find(k.key.env);
    if (it != env.end()) HUIYIN_TRY(k.set(c, it->second, "environment variable " + k.key.env));
  }
  for (const auto& [name, value] : overrides) {
    const KeyDef* d = Find(name);
    if (!d) return UnknownKey(name, "the command line");
    HUIYIN_TRY(d->set(c, value, "the command line"));
  }
  if (!c.database.url.starts_with("sqlite:") && !c.database.url.starts_with("postgresql://") &&
      !c.database.url.starts_with("postgres://")) {
    return BadValue("database.url", c.database.url, "the merged configuration",
                    "sqlite:PATH, sqlite::memory: or postgresql://user@host:port/dbname");
  }
  return c;
}

std::map<std::string, std::string> HuiyinEnvironment() {
  std::map<std::string, std::string> m;
  for (char** e = environ; e && *e; ++e) {
    std::string_view kv(*e);
    if (!kv.starts_with("HUIYIN_")) continue;
    auto eq = kv.find('=');
    if (eq == std::string_view::npos) continue;
    m.emplace(std::string(kv.substr(0, eq)), std::string(kv.substr(eq + 1)));
  }
  return m;
}

}  // namespace huiyin
