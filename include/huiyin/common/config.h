// Huiyin's configuration: defaults, overridden by a TOML file, overridden by HUIYIN_* environment
// variables, overridden by command-line flags. Every key is declared once (config.cc) with its type
// and allowed values; a bad value stops start-up with a message naming the key, the value, where it
// came from and what is allowed.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "huiyin/common/result.h"

namespace huiyin {

struct Config {
  struct Server {
    std::string listen = "127.0.0.1";
    int port = 8080;
    int io_threads = 0;      // 0: one per core
    int workers = 32;        // blocking worker pool (database work)
    int queue_limit = 2048;  // queued requests beyond this get 503 + Retry-After
    int64_t max_body_bytes = 1 << 20;
    int max_header_bytes = 16 << 10;
    int read_timeout_ms = 15000;
    int idle_timeout_ms = 60000;
    int write_timeout_ms = 30000;  // a whole response; a client that does not read is dropped
    bool access_log = true;
    // Behind a reverse proxy (nginx) on loopback: take the client address from X-Real-IP or
    // X-Forwarded-For (for the audit trail and the per-address sign-in limit). Never set it
    // when clients can reach Huiyin directly: they could claim any address.
    bool trust_proxy_headers = false;
  } server;
  struct Database {
    std::string url = "sqlite:var/huiyin.db";
    int readers = 4;
    int pool_size = 8;
    std::string synchronous = "full";  // SQLite: full (every acknowledged commit durable) | normal
    int mmap_mb = 0;  // SQLite memory map per connection, MiB (0: none; mapped pages count in RSS)
  } database;
  struct Security {
    std::string key_file = "var/huiyin.key";
    int session_idle_minutes = 30;
    int session_absolute_hours = 12;
    int lockout_attempts = 5;
    int lockout_minutes = 15;
    int address_failures = 20;  // failed sign-ins per client address within lockout_minutes
    int hash_concurrency = 2;
    std::string argon2 = "interactive";  // interactive | moderate | min (tests only)
    bool secure_cookies = false;         // set true behind HTTPS
  } security;
  struct Log {
    std::string level = "info";  // trace | debug | info | warn | error
  } log;
  struct City {
    std::string jurisdiction_id = "tonghua.gov.cn";
    std::string name = "通化市";
    std::string region_code = "220500";
  } city;
  struct Web {
    std::string root = "web/dist";
  } web;
  struct Workflows {
    std::string dir = "config/workflows";  // case kinds (appeal.json, petition.json, ...)
    // How often `serve` takes the workflows' automatic transitions (e.g. an application deemed
    // accepted when no notice was given in time); 0 turns the scheduler off.
    int scheduler_seconds = 60;
  } workflows;
  struct Attachments {
    int64_t max_bytes = 10 << 20;  // one file (the upload route's body limit too)
  } attachments;
  struct Licences {
    // Holders are reminded this many days before a licence expires (they must apply for the
    // renewal 30 days before, Art. 50); the scheduler sends the reminders.
    int reminder_days = 60;
  } licences;
  struct Calendar {
    std::string dir = "config/calendars";  // the shipped official calendars
    int yellow_share_percent = 33;         // a clock turns yellow in the last third by default
  } calendar;
};

// One description of a key, for `huiyin config` and docs.
struct ConfigKey {
  std::string name;     // "server.port"
  std::string env;      // "HUIYIN_SERVER_PORT"
  std::string allowed;  // "1..65535"
};
const std::vector<ConfigKey>& ConfigKeys();

// Loads the configuration. `file` may be empty (no file); `env` is the process environment as
// name→value; `overrides` are "key=value" settings from flags, applied last.
Result<Config> LoadConfig(const std::string& file, const std::map<std::string, std::string>& env,
                          const std::vector<std::pair<std::string, std::string>>& overrides);

// The process environment as a map (HUIYIN_* variables only).
std::map<std::string, std::string> HuiyinEnvironment();

}  // namespace huiyin
