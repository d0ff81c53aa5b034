#include "server/memory_file.hpp"

#include "crypto/encoding.hpp"
#include "crypto/keys.hpp"
#include "server/content_coding.hpp"
#include "server/gzip.hpp"
#include "server/static_files.hpp"

namespace rekap::server {

namespace {

// Below this, gzip's header and trailer cost about what compression saves.
constexpr std::size_t kGzipMinimum = 256;

}  // namespace

MemoryFile make_memory_file(std::string body, std::string content_type, std::string cache_control) {
  MemoryFile f;
  f.etag = "\"" + to_hex(sha256(body)).substr(0, 32) + "\"";
  if (body.size() >= kGzipMinimum) {
    f.gz = gzip(body);
    if (f.gz.size() >= body.size()) f.gz.clear();
  }
  f.body = std::move(body);
  f.content_type = std::move(content_type);
  f.cache_control = std::move(cache_control);
  return f;
}

Response respond(const MemoryFile& file, const Request& req) {
  bool gzipped = !file.gz.empty() && gzip_accepted(req[http::field::accept_encoding]);
  // The gzip body has its own tag (as nginx's gzip_static does not).
  std::string etag = gzipped ? gzip_etag(file.etag) : file.etag;
  bool fresh = etag_matches(req, etag);
  Response res{fresh ? http::status::not_modified : http::status::ok, req.version()};
  res.set(http::field::etag, etag);
  res.set(http::field::cache_control, file.cache_control);
  if (!file.gz.empty()) res.set(http::field::vary, "Accept-Encoding");
  if (fresh) return res;
  res.set(http::field::content_type, file.content_type);
  if (gzipped) res.set(http::field::content_encoding, "gzip");
  const std::string& body = gzipped ? file.gz : file.body;
  if (req.method() == http::verb::head) {
    res.content_length(body.size());
  } else {
    res.body() = body;
  }
  return res;
}

std::string_view content_type_of(std::string_view name) {
  auto dot = name.rfind('.');
  std::string_view ext = dot == std::string_view::npos ? "" : name.substr(dot + 1);
  if (ext == "html") return "text/html; charset=utf-8";
  if (ext == "js" || ext == "mjs") return "text/javascript; charset=utf-8";
  if (ext == "css") return "text/css; charset=utf-8";
  if (ext == "json") return "application/json";
  if (ext == "svg") return "image/svg+xml";
  if (ext == "png") return "image/png";
  if (ext == "ico") return "image/x-icon";
  if (ext == "webmanifest") return "application/manifest+json";
  if (ext == "txt") return "text/plain; charset=utf-8";
  return "application/octet-stream";
}

}  // namespace rekap::server
