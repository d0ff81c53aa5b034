#include "log/add_checkpoint.hpp"

#include <charconv>
#include <stdexcept>

#include "crypto/encoding.hpp"

namespace rekap::tlog {

namespace {

// A size as the spec writes it: ASCII decimal, no sign, no leading zeros unless it is 0.
std::optional<std::uint64_t> parse_decimal(std::string_view text) {
  if (text.empty() || (text.size() > 1 && text[0] == '0')) return std::nullopt;
  std::uint64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// The next line without its newline; throws when the body ends before one.
std::string_view next_line(std::string_view body, std::size_t& pos) {
  std::size_t end = body.find('\n', pos);
  if (end == std::string_view::npos) {
    throw std::invalid_argument("the body ends before the empty line that precedes the checkpoint");
  }
  std::string_view line = body.substr(pos, end - pos);
  pos = end + 1;
  return line;
}

}  // namespace

std::string format_add_checkpoint(const AddCheckpoint& request) {
  if (request.proof.size() > kMaxProofLines) {
    throw std::invalid_argument("a consistency proof has at most 63 hashes");
  }
  std::string body = "old " + std::to_string(request.old_size) + "\n";
  for (const Hash32& h : request.proof) body += to_base64(h) + "\n";
  return body + "\n" + request.checkpoint;
}

AddCheckpoint parse_add_checkpoint(std::string_view body) {
  AddCheckpoint request;
  std::size_t pos = 0;
  std::string_view first = next_line(body, pos);
  auto old = first.starts_with("old ") ? parse_decimal(first.substr(4)) : std::nullopt;
  if (!old) throw std::invalid_argument("the first line is not `old <size>`");
  request.old_size = *old;
  for (std::string_view line = next_line(body, pos); !line.empty(); line = next_line(body, pos)) {
    if (request.proof.size() == kMaxProofLines) {
      throw std::invalid_argument("more than 63 consistency proof lines");
    }
    auto bytes = from_base64(line);
    if (!bytes || bytes->size() != 32) {
      throw std::invalid_argument("proof line " + std::to_string(request.proof.size() + 1) +
                                  " is not the base64 of a 32-byte hash");
    }
    Hash32& h = request.proof.emplace_back();
    std::copy(bytes->begin(), bytes->end(), h.begin());
  }
  request.checkpoint = std::string(body.substr(pos));
  return request;
}

std::string format_tlog_size(std::uint64_t size) {
  return std::to_string(size) + "\n";
}

std::optional<std::uint64_t> parse_tlog_size(std::string_view body) {
  if (!body.ends_with('\n')) return std::nullopt;
  return parse_decimal(body.substr(0, body.size() - 1));
}

}  // namespace rekap::tlog
