#include "publish/opendata/piece_gzip.hpp"

#include <zlib.h>

#include <stdexcept>

namespace rekap::publish {

namespace {

Bytef* bytes(const char* p) {
  return reinterpret_cast<Bytef*>(const_cast<char*>(p));
}

}  // namespace

DeflatedPiece deflate_piece(std::string_view text) {
  z_stream zs{};
  // Negative window bits: raw deflate, without zlib's header and trailer.
  if (deflateInit2(&zs, Z_BEST_SPEED, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    throw std::runtime_error("zlib: deflateInit2 failed");
  }
  DeflatedPiece piece;
  piece.data.resize(deflateBound(&zs, uLong(text.size())) + 16);
  zs.next_in = bytes(text.data());
  zs.avail_in = uInt(text.size());
  zs.next_out = bytes(piece.data.data());
  zs.avail_out = uInt(piece.data.size());
  // A sync flush ends on a byte boundary with no final block, so the next piece may follow.
  int rc = deflate(&zs, Z_SYNC_FLUSH);
  std::size_t produced = zs.total_out;
  bool complete = zs.avail_in == 0 && zs.avail_out > 0;
  deflateEnd(&zs);
  if (rc != Z_OK || !complete) throw std::runtime_error("zlib: deflate of a piece failed");
  piece.data.resize(produced);
  piece.crc = std::uint32_t(crc32(0, bytes(text.data()), uInt(text.size())));
  piece.size = text.size();
  return piece;
}

std::string inflate_piece(const DeflatedPiece& piece) {
  z_stream zs{};
  if (inflateInit2(&zs, -15) != Z_OK) throw std::runtime_error("zlib: inflateInit2 failed");
  std::string out(piece.size, '\0');
  zs.next_in = bytes(piece.data.data());
  zs.avail_in = uInt(piece.data.size());
  zs.next_out = bytes(out.data());
  zs.avail_out = uInt(out.size());
  int rc = inflate(&zs, Z_SYNC_FLUSH);
  bool ok = (rc == Z_OK || rc == Z_BUF_ERROR) && zs.total_out == piece.size;
  inflateEnd(&zs);
  if (!ok) throw std::runtime_error("zlib: a deflated piece does not inflate to its size");
  return out;
}

std::string_view gzip_header() {
  // Magic, deflate, no flags, no time, no extra flags, OS unknown.
  static constexpr char kHeader[10] = {'\x1f', '\x8b', 8, 0, 0, 0, 0, 0, 0, '\xff'};
  return {kHeader, sizeof kHeader};
}

std::string gzip_trailer(std::uint32_t crc, std::uint64_t size) {
  // A final block of fixed Huffman codes holding only end-of-block: bits 1, 01, 0000000.
  std::string out{'\x03', '\x00'};
  for (std::uint32_t v : {crc, std::uint32_t(size)}) {
    for (int i = 0; i < 4; ++i) out.push_back(char((v >> (8 * i)) & 0xff));
  }
  return out;
}

std::uint32_t crc_combine(std::uint32_t first, std::uint32_t second, std::uint64_t second_size) {
  return std::uint32_t(crc32_combine64(first, second, z_off64_t(second_size)));
}

}  // namespace rekap::publish
