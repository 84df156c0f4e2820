// Serving the built web assets: content types, no path traversal, ETag/Last-Modified with 304,
// long-lived caching for hashed /assets/*, and the SPA fallback to index.html.
#pragma once

#include <filesystem>
#include <string>

#include "huiyin/http/message.h"
#include "huiyin/http/router.h"

namespace huiyin::http {

struct StaticFilesOptions {
  // Files under this URL prefix carry content hashes in their names: cached for a year, immutable.
  std::string hashed_prefix = "/assets/";
  // The SPA entry page served for unknown GET paths outside the API.
  std::string index_file = "index.html";
  // Cache-Control max-age (seconds) for other files (favicon, robots.txt...).
  int default_max_age_seconds = 3600;
};

// Read-only after construction; Serve may be called from any number of threads. Blocking file I/O:
// register it on the worker pool (run_inline = false).
class StaticFiles {
 public:
  // Serves files below `root` (need not exist yet; missing files are 404s).
  explicit StaticFiles(std::filesystem::path root, StaticFilesOptions options = {});

  // GET/HEAD of the file at request.path: 200 with the file, 304 on a matching If-None-Match or
  // If-Modified-Since, 404 problem when missing, 400 for traversal attempts, 405 for other methods.
  Response Serve(const Request& request) const;
  // Serve, but an unknown GET/HEAD path outside /api/, /open311/ and the hashed prefix gets
  // index.html (no-cache) so the client-side router can handle it. For Router::SetFallback.
  Response ServeWithSpaFallback(const Request& request) const;
  // A Handler calling ServeWithSpaFallback; `this` must outlive the router using it.
  Handler AsFallback() const;

  // Content type for a file name by extension ("app.js" → "text/javascript; charset=utf-8"),
  // "application/octet-stream" when unknown.
  static std::string_view ContentTypeFor(std::string_view file_name);
  // True when the decoded URL path is safe to map below a root: absolute, no "." or ".." segment,
  // no backslash, NUL or other control character.
  static bool IsSafePath(std::string_view decoded_path);

 private:
  Response ServeFile(const Request& request, const std::filesystem::path& file,
                     bool spa_index) const;

  std::filesystem::path root_;
  StaticFilesOptions options_;
};

}  // namespace huiyin::http
