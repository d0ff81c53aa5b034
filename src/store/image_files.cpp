#include "store/image_files.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <system_error>
#include <utility>

#include "crypto/encoding.hpp"

namespace rekap {
namespace {

[[noreturn]] void throw_errno(const std::string& what) {
  throw std::system_error(errno, std::generic_category(), "image store: " + what);
}

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  // Closes now, reporting the error that a destructor would have to swallow.
  int close() { return ::close(std::exchange(fd_, -1)); }

 private:
  int fd_;
};

void fsync_dir(const std::string& dir) {
  Fd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd.get() < 0) throw_errno("open directory " + dir);
  if (::fsync(fd.get()) != 0) throw_errno("fsync directory " + dir);
}

void write_all(int fd, std::string_view bytes, const std::string& path) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      throw_errno("write " + path);
    }
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
}

}  // namespace

ImageFiles::ImageFiles(std::string dir) : dir_(std::move(dir)) {
  // Making every subdirectory up front, and syncing their entries once here, spares put() from
  // having to make a new directory entry durable.
  std::filesystem::create_directories(dir_);
  for (int b = 0; b < 256; ++b) {
    const std::uint8_t byte = static_cast<std::uint8_t>(b);
    std::filesystem::create_directory(dir_ + "/" + to_hex({&byte, 1}));
  }
  fsync_dir(dir_);
  fsync_dir(dir_ + "/..");
}

bool ImageFiles::exists(const Hash32& hash) const {
  return std::filesystem::exists(path_of(hash));
}

void ImageFiles::put(const Hash32& expected, std::string_view bytes) {
  const Hash32 actual = sha256(bytes);
  if (actual != expected) throw ImageHashMismatch(expected, actual);
  if (exists(expected)) return;

  const std::string final_path = path_of(expected);
  const std::string sub = final_path.substr(0, final_path.rfind('/'));
  // Hidden and in the same directory: rename() within one directory is atomic, and a listing
  // of images skips it.
  std::string tmp = sub + "/.tmp-" + to_hex(expected) + "-XXXXXX";
  Fd fd(::mkostemp(tmp.data(), O_CLOEXEC));
  if (fd.get() < 0) throw_errno("create temporary file in " + sub);
  try {
    write_all(fd.get(), bytes, tmp);
    // mkostemp makes the file 0600; images are public and may be served by another user.
    if (::fchmod(fd.get(), 0644) != 0) throw_errno("chmod " + tmp);
    if (::fsync(fd.get()) != 0) throw_errno("fsync " + tmp);
    if (fd.close() != 0) throw_errno("close " + tmp);
    if (::rename(tmp.c_str(), final_path.c_str()) != 0) {
      throw_errno("rename " + tmp + " to " + final_path);
    }
  } catch (...) {
    ::unlink(tmp.c_str());
    throw;
  }
  fsync_dir(sub);
}

std::optional<std::string> ImageFiles::read(const Hash32& hash) const {
  const std::string path = path_of(hash);
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) {
    if (errno == ENOENT) return std::nullopt;
    throw_errno("open " + path);
  }
  struct stat st;
  if (::fstat(fd.get(), &st) != 0) throw_errno("stat " + path);
  std::string out(static_cast<std::size_t>(st.st_size), '\0');
  std::size_t got = 0;
  while (got < out.size()) {
    const ssize_t n = ::read(fd.get(), out.data() + got, out.size() - got);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw_errno("read " + path);
    }
    if (n == 0) break;
    got += static_cast<std::size_t>(n);
  }
  out.resize(got);
  return out;
}

std::string ImageFiles::path_of(const Hash32& hash) const {
  const std::string hex = to_hex(hash);
  return dir_ + "/" + hex.substr(0, 2) + "/" + hex;
}

}  // namespace rekap
