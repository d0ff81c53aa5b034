#include "util/files.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace rekap {

std::optional<std::string> read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string read_file_or_throw(const std::filesystem::path& path) {
  auto data = read_file(path);
  if (!data) throw std::runtime_error("cannot read " + path.string());
  return std::move(*data);
}

void write_file_atomically(const std::filesystem::path& path, std::string_view data) {
  if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path());
  std::filesystem::path tmp = path;
  tmp += ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out.write(data.data(), std::streamsize(data.size()));
    if (!out.flush()) throw std::runtime_error("cannot write " + tmp.string());
  }
  std::filesystem::rename(tmp, path);
}

std::map<std::string, std::string> read_named_files(const std::filesystem::path& dir,
                                                    std::span<const char* const> names) {
  std::map<std::string, std::string> files;
  for (const char* name : names) files.emplace(name, read_file_or_throw(dir / name));
  return files;
}

namespace {

// fsync of an open descriptor, closing it; throws naming the file.
void sync_and_close(int fd, const std::filesystem::path& path) {
  const bool ok = ::fsync(fd) == 0;
  const int err = errno;
  ::close(fd);
  if (!ok) throw std::runtime_error("cannot fsync " + path.string() + ": " + std::strerror(err));
}

}  // namespace

void write_file_durably(const std::filesystem::path& path, std::string_view data) {
  const std::filesystem::path dir =
      path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
  std::filesystem::create_directories(dir);
  std::filesystem::path tmp = path;
  tmp += ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0)
    throw std::runtime_error("cannot create " + tmp.string() + ": " + std::strerror(errno));
  for (std::size_t done = 0; done < data.size();) {
    ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int err = errno;
      ::close(fd);
      throw std::runtime_error("cannot write " + tmp.string() + ": " + std::strerror(err));
    }
    done += std::size_t(n);
  }
  sync_and_close(fd, tmp);
  std::filesystem::rename(tmp, path);
  // The rename is durable only once the directory is.
  int dir_fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd < 0)
    throw std::runtime_error("cannot open " + dir.string() + ": " + std::strerror(errno));
  sync_and_close(dir_fd, dir);
}

}  // namespace rekap
