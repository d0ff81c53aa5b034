#include "http/static_files.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>

#include "http/answer.hpp"
#include "http/media_type.hpp"
#include "util/gzip.hpp"

namespace rekap::http {

namespace {

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

std::optional<Response> serve_static(const std::filesystem::path& root, std::string_view path,
                                     const Request& req) {
  if (!safe_static_path(path)) return std::nullopt;
  std::filesystem::path file = root / std::filesystem::path(path.substr(1));
  bool compressible = !path.ends_with(".gz");
  std::optional<File> f;
  bool gzipped = false;
  if (compressible && accepts_gzip(req)) {
    std::filesystem::path gz = file;
    gz += ".gz";
    f = read_file_with_etag(gz);
    gzipped = f.has_value();
  }
  if (!f) f = read_file_with_etag(file);
  if (!f) return std::nullopt;
  if (!gzipped && compressible && accepts_gzip(req) && f->body.size() >= kGzipFileMinimum) {
    f->body = gzip(f->body);
    f->etag = gzip_etag(f->etag);
    gzipped = true;
  }
  return respond(req, Representation{f->body, f->etag, media_type_of_name(path), "no-cache",
                                     gzipped, compressible});
}

}  // namespace rekap::http
