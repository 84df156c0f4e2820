#include "huiyin/http/static_files.h"

#include <array>
#include <chrono>
#include <ctime>
#include <fstream>
#include <sstream>
#include <system_error>

#include "http/http_util.h"

namespace huiyin::http {
namespace {

namespace fs = std::filesystem;

struct FileInfo {
  std::string etag;
  std::string last_modified;
};

std::string HttpDate(std::chrono::system_clock::time_point t) {
  const std::time_t tt = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  std::array<char, 64> buf{};
  const size_t n = std::strftime(buf.data(), buf.size(), "%a, %d %b %Y %H:%M:%S GMT", &tm);
  return std::string(buf.data(), n);
}

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

// True when If-None-Match lists `etag` (or "*"); weak comparison as RFC 9110 asks for GET.
bool EtagMatches(std::string_view header, std::string_view etag) {
  while (!header.empty()) {
    const size_t comma = header.find(',');
    std::string_view item = header.substr(0, comma);
    header = comma == std::string_view::npos ? std::string_view{} : header.substr(comma + 1);
    while (!item.empty() && item.front() == ' ') {
      item.remove_prefix(1);
    }
    while (!item.empty() && item.back() == ' ') {
      item.remove_suffix(1);
    }
    if (StartsWith(item, "W/")) {
      item.remove_prefix(2);
    }
    if (item == "*" || item == etag) {
      return true;
    }
  }
  return false;
}

Response MethodNotAllowed(const Request& request) {
  Response r = Response::Problem(
      MakeError(ErrorCode::kMethodNotAllowed, "Only GET and HEAD are allowed here."), request);
  r.SetHeader("Allow", "GET, HEAD");
  return r;
}

}  // namespace

StaticFiles::StaticFiles(std::filesystem::path root, StaticFilesOptions options)
    : root_(std::move(root)), options_(std::move(options)) {
  std::error_code ec;
  fs::path canonical = fs::weakly_canonical(root_, ec);
  if (!ec) {
    root_ = std::move(canonical);
  }
}

std::string_view StaticFiles::ContentTypeFor(std::string_view file_name) {
  struct Entry {
    std::string_view ext;
    std::string_view type;
  };
  static constexpr std::array<Entry, 24> kTypes = {{
      {".html", "text/html; charset=utf-8"},
      {".htm", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},
      {".map", "application/json"},
      {".webmanifest", "application/manifest+json"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".jpeg", "image/jpeg"},
      {".gif", "image/gif"},
      {".webp", "image/webp"},
      {".avif", "image/avif"},
      {".ico", "image/x-icon"},
      {".woff2", "font/woff2"},
      {".woff", "font/woff"},
      {".ttf", "font/ttf"},
      {".otf", "font/otf"},
      {".txt", "text/plain; charset=utf-8"},
      {".xml", "application/xml"},
      {".pdf", "application/pdf"},
      {".wasm", "application/wasm"},
  }};
  const size_t dot = file_name.rfind('.');
  const size_t slash = file_name.rfind('/');
  if (dot == std::string_view::npos || (slash != std::string_view::npos && dot < slash)) {
    return "application/octet-stream";
  }
  const std::string_view ext = file_name.substr(dot);
  for (const Entry& e : kTypes) {
    if (EqualsIgnoreCase(e.ext, ext)) {
      return e.type;
    }
  }
  return "application/octet-stream";
}

bool StaticFiles::IsSafePath(std::string_view path) {
  if (path.empty() || path.front() != '/') {
    return false;
  }
  for (char c : path) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7F || c == '\\' || c == ':') {
      return false;
    }
  }
  std::string_view rest = path.substr(1);
  while (true) {
    const size_t slash = rest.find('/');
    const std::string_view seg = rest.substr(0, slash);
    if (seg == "." || seg == "..") {
      return false;
    }
    if (slash == std::string_view::npos) {
      break;
    }
    rest.remove_prefix(slash + 1);
  }
  return true;
}

Response StaticFiles::Serve(const Request& request) const {
  if (request.method != "GET" && request.method != "HEAD") {
    return MethodNotAllowed(request);
  }
  if (!IsSafePath(request.path)) {
    return Response::Problem(MakeError(ErrorCode::kInvalidArgument, "This path is not allowed."),
                             request);
  }
  std::string relative = request.path.substr(1);
  if (relative.empty() || relative.back() == '/') {
    relative += options_.index_file;
  }
  return ServeFile(request, root_ / relative, /*spa_index=*/false);
}

Response StaticFiles::ServeWithSpaFallback(const Request& request) const {
  const std::string_view path = request.path;
  const bool api = StartsWith(path, "/api/") || path == "/api" || StartsWith(path, "/open311/") ||
                   path == "/open311";
  if (api) {
    return Response::Problem(MakeError(ErrorCode::kNotFound, "No resource exists at this path."),
                             request);
  }
  Response r = Serve(request);
  if (r.status != 404 || StartsWith(path, options_.hashed_prefix)) {
    return r;
  }
  return ServeFile(request, root_ / options_.index_file, /*spa_index=*/true);
}

Handler StaticFiles::AsFallback() const {
  return [this](Request& request) { return ServeWithSpaFallback(request); };
}

Response StaticFiles::ServeFile(const Request& request, const fs::path& file,
                                bool spa_index) const {
  auto not_found = [&] {
    return Response::Problem(MakeError(ErrorCode::kNotFound, "No file exists at this path."),
                             request);
  };
  std::error_code ec;
  const fs::path real = fs::canonical(file, ec);
  if (ec || !fs::is_regular_file(real, ec) || ec) {
    return not_found();
  }
  // Symlinks must not lead outside the root.
  const std::string& real_s = real.native();
  const std::string& root_s = root_.native();
  if (real_s.size() <= root_s.size() || real_s.compare(0, root_s.size(), root_s) != 0 ||
      real_s[root_s.size()] != '/') {
    return not_found();
  }
  const auto size = fs::file_size(real, ec);
  if (ec) {
    return not_found();
  }
  const auto mtime = fs::last_write_time(real, ec);
  if (ec) {
    return not_found();
  }
  const auto sys_mtime = std::chrono::file_clock::to_sys(mtime);
  const auto mtime_ns =
      std::chrono::duration_cast<std::chrono::nanoseconds>(sys_mtime.time_since_epoch()).count();

  std::ostringstream etag_stream;
  etag_stream << '"' << std::hex << size << '-' << mtime_ns << '"';
  const std::string etag = etag_stream.str();
  const std::string last_modified =
      HttpDate(std::chrono::time_point_cast<std::chrono::system_clock::duration>(sys_mtime));

  Response r;
  const std::string_view name = real_s;
  if (spa_index || EqualsIgnoreCase(name.substr(name.size() >= 5 ? name.size() - 5 : 0), ".html")) {
    r.SetHeader("Cache-Control", "no-cache");
  } else if (StartsWith(request.path, options_.hashed_prefix)) {
    r.SetHeader("Cache-Control", "public, max-age=31536000, immutable");
  } else {
    r.SetHeader("Cache-Control",
                "public, max-age=" + std::to_string(options_.default_max_age_seconds));
  }
  r.SetHeader("ETag", etag);
  r.SetHeader("Last-Modified", last_modified);

  const std::string_view inm = request.Header("If-None-Match");
  const bool not_modified = request.HasHeader("If-None-Match")
                                ? EtagMatches(inm, etag)
                                : request.Header("If-Modified-Since") == last_modified;
  if (not_modified) {
    r.status = 304;
    return r;
  }

  r.status = 200;
  r.content_type = std::string(ContentTypeFor(name));
  if (request.method == "HEAD") {
    r.SetHeader("Content-Length", std::to_string(size));
    return r;
  }
  std::ifstream in(real, std::ios::binary);
  if (!in) {
    return not_found();
  }
  r.body.resize(size);
  in.read(r.body.data(), static_cast<std::streamsize>(size));
  r.body.resize(static_cast<size_t>(in.gcount()));
  return r;
}

}  // namespace huiyin::http
