#pragma once
// A witness's decision on an add-checkpoint request (c2sp.org/tlog-witness), without I/O: from
// the request's body, the logs it knows and what it last cosigned for each, the HTTP answer and
// the state to persist before that answer is sent. The caller keeps the state, persists it and
// holds a lock across decide-persist-answer, as the spec requires.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "crypto/keys.hpp"
#include "crypto/sha256.hpp"
#include "log/note.hpp"

namespace rekap::tlog {

// What a witness last cosigned for one log: a size of 0 and the empty tree's root at first.
struct WitnessedTree {
  std::uint64_t size = 0;
  Hash32 root = sha256("");
  bool operator==(const WitnessedTree&) const = default;
};

// Origin -> the latest tree cosigned for that log.
using WitnessState = std::map<std::string, WitnessedTree>;

// A log the witness is configured with: its origin line and its (Ed25519) verifier key.
struct WitnessedLog {
  std::string origin;
  Verifier key;
};

struct WitnessIdentity {
  std::string name;  // the witness's key name
  SecretKey key;
};

struct WitnessAnswer {
  int status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  std::string body;  // the cosignature line(s), the size for 409, or why it was refused
  // Set only with 200: the origin and tree to record, before answering.
  std::optional<std::pair<std::string, WitnessedTree>> update;
};

// 400 malformed body or old size above the checkpoint's, 404 unknown origin, 403 no valid
// signature by the log's key, 409 old size other than the one recorded (or equal sizes with
// different roots), 422 a consistency proof that does not verify; 200 with one cosignature line
// (cosignature/v1, timestamped `now`, Unix seconds, never 0).
WitnessAnswer add_checkpoint(std::string_view body, const std::map<std::string, Verifier>& logs,
                             const WitnessState& state, const WitnessIdentity& witness,
                             std::uint64_t now);

// One line per log, "<size> <base64 root> <origin>", for the state file; and back (throws
// std::invalid_argument on a damaged state).
std::string format_witness_state(const WitnessState& state);
WitnessState parse_witness_state(std::string_view text);

}  // namespace rekap::tlog
