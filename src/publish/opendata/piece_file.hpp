#pragma once
// A large published text file kept as pieces in a fixed order (for the CSV files, one piece per
// desa), written twice: plain at `path` and gzip at `path`.gz, the gzip made of independently
// compressed pieces (gzip_pieces.hpp). A rewrite compresses only the pieces that changed and
// copies the bytes of all others from the files it replaces, so its cost is a sequential copy
// of the files plus the changed pieces, not a rendering of every row. New files are written
// beside the old and renamed over them: a reader sees the old files or the new, never half.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <vector>

#include "publish/opendata/piece_gzip.hpp"

namespace rekap::publish {

// A re-rendered piece and the number of rows it holds.
struct FreshPiece {
  DeflatedPiece deflated;
  std::uint32_t rows = 0;
  std::uint32_t reported = 0;  // rows with a result in force
};

class PieceFile {
 public:
  explicit PieceFile(std::filesystem::path path) : path_(std::move(path)) {}

  // Writes the files anew with `count` pieces: fresh(i) is piece i re-rendered, or null to keep
  // piece i as last written. The first rewrite (and the first after a failure) must give every
  // piece. Throws std::runtime_error; the published files are then unchanged.
  void rewrite(std::size_t count, const std::function<const FreshPiece*(std::size_t)>& fresh);

  const std::filesystem::path& path() const { return path_; }
  bool written() const { return !pieces_.empty(); }
  std::uint64_t size() const { return size_; }
  std::uint64_t gzip_size() const { return gzip_size_; }
  std::uint64_t rows() const { return rows_; }
  std::uint64_t reported() const { return reported_; }

 private:
  struct Piece {
    std::uint64_t offset = 0, size = 0;        // in the plain file
    std::uint64_t gz_offset = 0, gz_size = 0;  // in the gzip file
    std::uint32_t crc = 0, rows = 0, reported = 0;
  };

  std::filesystem::path path_;
  std::vector<Piece> pieces_;
  std::uint64_t size_ = 0, gzip_size_ = 0, rows_ = 0, reported_ = 0;
};

}  // namespace rekap::publish
