#pragma once
// The body of a C2SP tlog-witness add-checkpoint request (c2sp.org/tlog-witness): the `old N`
// line, the consistency proof from size N to the checkpoint's size (one base64 hash a line),
// an empty line, then the signed checkpoint note. Both sides use it: the log that asks for a
// cosignature and the witness that gives one.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/sha256.hpp"

namespace rekap::tlog {

// The spec's limit: a consistency proof of a tree of up to 2^64 leaves.
inline constexpr std::size_t kMaxProofLines = 63;
// The media type of a 409 answer, whose body is the witness's size and a newline.
inline constexpr const char* kTlogSizeType = "text/x.tlog.size";

struct AddCheckpoint {
  std::uint64_t old_size = 0;
  std::vector<Hash32> proof;
  std::string checkpoint;  // the signed note, as sent
  bool operator==(const AddCheckpoint&) const = default;
};

// Throws std::invalid_argument where the spec forbids the request (more than 63 proof lines).
std::string format_add_checkpoint(const AddCheckpoint& request);
// Throws std::invalid_argument naming what is malformed: the old line (a decimal without leading
// zeros), a proof line (base64 of 32 bytes), more than 63 of them, a missing empty line, or a
// line without its newline. The checkpoint is not looked at here.
AddCheckpoint parse_add_checkpoint(std::string_view body);

// A 409 answer's body: "<size>\n", and back; nullopt for anything else.
std::string format_tlog_size(std::uint64_t size);
std::optional<std::uint64_t> parse_tlog_size(std::string_view body);

}  // namespace rekap::tlog
