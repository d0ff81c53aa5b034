#include "server/static_files.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>

#include "server/content_coding.hpp"
#include "server/gzip.hpp"

namespace rekap::server {

namespace {

// Worth compressing on the fly: text formats of at least this size.
constexpr std::size_t kGzipMinimum = 256;

struct File {
  std::string body;
  std::string etag;
};

std::optional<File> read_file_with_etag(const std::filesystem::path& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  struct stat st {};
  std::optional<File> out;
  // The ETag and the bytes come from the same open file, so they always agree.
  if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
    File f;
    char tag[96];
    std::snprintf(tag, sizeof tag, "\"%llx-%llx-%llx\"", (unsigned long long)st.st_ino,
                  (unsigned long long)(st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec),
                  (unsigned long long)st.st_size);
    f.etag = tag;
    f.body.resize(std::size_t(st.st_size));
    std::size_t got = 0;
    while (got < f.body.size()) {
      ssize_t n = ::read(fd, f.body.data() + got, f.body.size() - got);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) break;
      got += std::size_t(n);
    }
    f.body.resize(got);
    out = std::move(f);
  }
  ::close(fd);
  return out;
}

std::string_view content_type(std::string_view path) {
  if (path.ends_with(".csv")) return "text/csv; charset=utf-8";
  if (path.ends_with(".json")) return "application/json";
  if (path.ends_with(".gz")) return "application/gzip";
  if (path.ends_with("SHA256SUMS")) return "text/plain; charset=utf-8";
  return "application/octet-stream";
}

bool safe_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == '-';
}

}  // namespace

bool safe_static_path(std::string_view path) {
  if (!path.starts_with("/") || path.ends_with(".tmp")) return false;
  path.remove_prefix(1);
  while (true) {
    auto slash = path.find('/');
    std::string_view part = path.substr(0, slash);
    if (part.empty() || part[0] == '.' || part[0] == '-') return false;
    for (char c : part) {
      if (!safe_char(c)) return false;
    }
    if (slash == std::string_view::npos) return true;
    path.remove_prefix(slash + 1);
  }
}

bool etag_matches(const Request& req, std::string_view etag) {
  std::string_view header = req[http::field::if_none_match];
  while (!header.empty()) {
    auto comma = header.find(',');
    std::string_view tag = header.substr(0, comma);
    while (!tag.empty() && tag.front() == ' ') tag.remove_prefix(1);
    while (!tag.empty() && tag.back() == ' ') tag.remove_suffix(1);
    if (tag.starts_with("W/")) tag.remove_prefix(2);
    if (tag == etag || tag == "*") return true;
    if (comma == std::string_view::npos) break;
    header.remove_prefix(comma + 1);
  }
  return false;
}

std::optional<Response> serve_static(const std::filesystem::path& root, std::string_view path,
                                     const Request& req) {
  if (!safe_static_path(path)) return std::nullopt;
  std::filesystem::path file = root / std::filesystem::path(path.substr(1));
  std::string_view type = content_type(path);
  bool compressible = !path.ends_with(".gz");
  std::optional<File> f;
  bool gzipped = false;
  if (compressible && gzip_accepted(req[http::field::accept_encoding])) {
    std::filesystem::path gz = file;
    gz += ".gz";
    f = read_file_with_etag(gz);
    gzipped = f.has_value();
  }
  if (!f) f = read_file_with_etag(file);
  if (!f) return std::nullopt;
  if (!gzipped && compressible && gzip_accepted(req[http::field::accept_encoding]) &&
      f->body.size() >= kGzipMinimum) {
    f->body = gzip(f->body);
    f->etag.insert(f->etag.size() - 1, "-gz");
    gzipped = true;
  }
  unsigned v = req.version();
  Response res{etag_matches(req, f->etag) ? http::status::not_modified : http::status::ok, v};
  res.set(http::field::etag, f->etag);
  res.set(http::field::cache_control, "no-cache");
  if (compressible) res.set(http::field::vary, "Accept-Encoding");
  if (res.result() == http::status::not_modified) return res;
  res.set(http::field::content_type, type);
  if (gzipped) res.set(http::field::content_encoding, "gzip");
  if (req.method() == http::verb::head) {
    res.content_length(f->body.size());
  } else {
    res.body() = std::move(f->body);
  }
  return res;
}

}  // namespace rekap::server
