#include "publish/opendata/piece_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <string>

namespace rekap::publish {

namespace fs = std::filesystem;

namespace {

std::runtime_error io_error(const std::string& what, const fs::path& path) {
  return std::runtime_error(what + " " + path.string() + ": " + std::strerror(errno));
}

class Fd {
 public:
  Fd(const fs::path& path, int flags) : path_(path), fd_(::open(path.c_str(), flags, 0644)) {
    if (fd_ < 0) throw io_error("cannot open", path);
  }
  ~Fd() { ::close(fd_); }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
  int fd_;
};

// Appends to a file through a buffer, counting what it wrote.
class Writer {
 public:
  explicit Writer(const fs::path& path) : fd_(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC) {}
  void write(std::string_view data) {
    if (buffer_.size() + data.size() > kBuffer) flush();
    if (data.size() > kBuffer) {
      put(data);
    } else {
      buffer_.append(data);
    }
    written_ += data.size();
  }
  // Copies [offset, offset + size) of another file.
  void copy(const Fd& from, std::uint64_t offset, std::uint64_t size) {
    std::string chunk;
    while (size > 0) {
      chunk.resize(std::min<std::uint64_t>(size, kBuffer));
      ssize_t n = ::pread(from.get(), chunk.data(), chunk.size(), off_t(offset));
      if (n <= 0) {
        if (n < 0 && errno == EINTR) continue;
        throw std::runtime_error("cannot read " + from.path().string() +
                                 " (shorter than when it was written)");
      }
      chunk.resize(std::size_t(n));
      write(chunk);
      offset += std::uint64_t(n);
      size -= std::uint64_t(n);
    }
  }
  void flush() {
    put(buffer_);
    buffer_.clear();
  }
  std::uint64_t written() const { return written_; }

 private:
  static constexpr std::size_t kBuffer = 1 << 20;
  void put(std::string_view data) {
    while (!data.empty()) {
      ssize_t n = ::write(fd_.get(), data.data(), data.size());
      if (n < 0) {
        if (errno == EINTR) continue;
        throw io_error("cannot write", fd_.path());
      }
      data.remove_prefix(std::size_t(n));
    }
  }
  Fd fd_;
  std::string buffer_;
  std::uint64_t written_ = 0;
};

// Contiguous pieces to copy from the old files, gathered into one copy.
struct PendingCopy {
  std::uint64_t offset = 0, size = 0, gz_offset = 0, gz_size = 0;
};

}  // namespace

void PieceFile::rewrite(std::size_t count,
                        const std::function<const FreshPiece*(std::size_t)>& fresh) {
  fs::path gz_path = path_;
  gz_path += ".gz";
  fs::path tmp = path_, gz_tmp = gz_path;
  tmp += ".tmp";
  gz_tmp += ".tmp";
  fs::create_directories(path_.parent_path());
  std::vector<Piece> pieces(count);
  std::uint64_t rows = 0, reported = 0, size = 0, gzip_size = 0;
  std::uint32_t crc = 0;
  try {
    std::unique_ptr<Fd> old, old_gz;
    Writer plain(tmp), gz(gz_tmp);
    gz.write(gzip_header());
    PendingCopy pending;
    auto flush_copy = [&] {
      if (pending.size == 0 && pending.gz_size == 0) return;
      plain.copy(*old, pending.offset, pending.size);
      gz.copy(*old_gz, pending.gz_offset, pending.gz_size);
      pending = {};
    };
    for (std::size_t i = 0; i < count; ++i) {
      // Where the piece starts in the new files, copies still pending included.
      Piece& p = pieces[i];
      p.offset = plain.written() + pending.size;
      p.gz_offset = gz.written() + pending.gz_size;
      if (const FreshPiece* f = fresh(i)) {
        flush_copy();
        plain.write(inflate_piece(f->deflated));
        gz.write(f->deflated.data);
        p.size = f->deflated.size;
        p.gz_size = f->deflated.data.size();
        p.crc = f->deflated.crc;
        p.rows = f->rows;
        p.reported = f->reported;
      } else {
        if (i >= pieces_.size()) {
          throw std::runtime_error("piece " + std::to_string(i) + " of " + path_.string() +
                                   " was never written");
        }
        if (!old) {
          old = std::make_unique<Fd>(path_, O_RDONLY | O_CLOEXEC);
          old_gz = std::make_unique<Fd>(gz_path, O_RDONLY | O_CLOEXEC);
        }
        const Piece& before = pieces_[i];
        if (pending.size == 0 && pending.gz_size == 0) {
          pending.offset = before.offset;
          pending.gz_offset = before.gz_offset;
        } else if (pending.offset + pending.size != before.offset ||
                   pending.gz_offset + pending.gz_size != before.gz_offset) {
          flush_copy();
          pending.offset = before.offset;
          pending.gz_offset = before.gz_offset;
        }
        pending.size += before.size;
        pending.gz_size += before.gz_size;
        // Identical bytes at a new place.
        p = Piece{p.offset,   before.size, p.gz_offset,    before.gz_size,
                  before.crc, before.rows, before.reported};
      }
      crc = crc_combine(crc, p.crc, p.size);
      rows += p.rows;
      reported += p.reported;
    }
    flush_copy();
    gz.write(gzip_trailer(crc, plain.written()));
    plain.flush();
    gz.flush();
    size = plain.written();
    gzip_size = gz.written();
    fs::rename(tmp, path_);
    fs::rename(gz_tmp, gz_path);
  } catch (...) {
    std::error_code ec;
    fs::remove(tmp, ec);
    fs::remove(gz_tmp, ec);
    pieces_.clear();
    throw;
  }
  pieces_ = std::move(pieces);
  size_ = size;
  gzip_size_ = gzip_size;
  rows_ = rows;
  reported_ = reported;
}

}  // namespace rekap::publish
