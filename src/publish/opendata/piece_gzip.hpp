#pragma once
// A gzip file (RFC 1952) assembled from independently compressed pieces, as pigz does: each
// piece is raw deflate data ended by a sync flush, so pieces concatenate into one deflate
// stream and one piece can be compressed again without touching the others. A header, an
// empty final block and a trailer with the combined CRC-32 and length frame them.
#include <cstdint>
#include <string>
#include <string_view>

namespace rekap::publish {

struct DeflatedPiece {
  std::string data;        // raw deflate, byte-aligned, no final block
  std::uint32_t crc = 0;   // CRC-32 of the text
  std::uint64_t size = 0;  // length of the text
};

DeflatedPiece deflate_piece(std::string_view text);
// The text back; throws std::runtime_error on data that is not a piece.
std::string inflate_piece(const DeflatedPiece& piece);

// The 10 bytes that start the file.
std::string_view gzip_header();
// The empty final block, then CRC-32 and length (mod 2^32) of the whole text.
std::string gzip_trailer(std::uint32_t crc, std::uint64_t size);
// CRC-32 of a text followed by another of length `second_size`, from the two CRCs.
std::uint32_t crc_combine(std::uint32_t first, std::uint32_t second, std::uint64_t second_size);

}  // namespace rekap::publish
