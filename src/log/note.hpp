#pragma once
// Signed notes (c2sp.org/signed-note), log checkpoints (c2sp.org/tlog-checkpoint) and
// timestamped Ed25519 witness cosignatures (c2sp.org/tlog-cosignature), byte for byte as Go's
// golang.org/x/mod/sumdb/note reads and writes them, so that existing transparency tooling can
// check rekap's log.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/keys.hpp"

namespace rekap::tlog {

// Signature type bytes (signed-note): they go into key ids and verifier keys.
inline constexpr std::uint8_t kSigEd25519 = 0x01;
inline constexpr std::uint8_t kSigCosignatureV1 = 0x04;

// Go's note.Open refuses notes with more; the spec asks verifiers to take at least 16.
inline constexpr std::size_t kMaxNoteSignatures = 100;

// A key name is non-empty UTF-8 without Unicode spaces, '+' or control characters.
bool valid_key_name(std::string_view name);

// The first four bytes, big-endian, of SHA-256(name || "\n" || type || key).
std::uint32_t key_id(std::string_view name, const PublicKey& key, std::uint8_t type = kSigEd25519);

// "<name>+<8 lower-case hex digits of the key id>+<base64(type || key)>"; throws
// std::invalid_argument on an invalid name.
std::string verifier_key(std::string_view name, const PublicKey& key,
                         std::uint8_t type = kSigEd25519);

struct Verifier {
  std::string name;
  std::uint32_t key_id = 0;
  std::uint8_t type = kSigEd25519;
  PublicKey key{};
  bool operator==(const Verifier&) const = default;
};

// Accepts only the canonical spelling of an Ed25519 (type 0x01) or cosignature (type 0x04)
// verifier key whose key id matches its name and key.
std::optional<Verifier> parse_verifier_key(std::string_view vkey);

struct Checkpoint {
  std::string origin;
  std::uint64_t size = 0;
  Hash32 root{};
  std::vector<std::string> extensions;  // extra body lines, without their newlines
  bool operator==(const Checkpoint&) const = default;
};

// "<origin>\n<size>\n<base64 root>\n" and one line per extension; throws std::invalid_argument
// where the result would not parse back (an empty or multi-line origin or extension, or
// characters a note may not hold).
std::string checkpoint_body(const Checkpoint& checkpoint);
std::optional<Checkpoint> parse_checkpoint_body(std::string_view body);

struct NoteSignature {
  std::string name;
  std::uint32_t key_id = 0;
  std::string signature;  // raw bytes after the 4-byte key id
  bool operator==(const NoteSignature&) const = default;
};

struct Note {
  std::string text;  // ends in "\n"; what the signatures sign
  std::vector<NoteSignature> signatures;
  bool operator==(const Note&) const = default;
};

// Throws std::invalid_argument on a malformed note. Signatures of any type are kept, in order.
Note parse_note(std::string_view message);
// Throws std::invalid_argument where parse_note would refuse the result.
std::string format_note(const Note& note);

// The complete note: text, blank line, one Ed25519 signature line by `name`.
std::string sign_note(std::string_view text, std::string_view name, const SecretKey& key);

// True when the note carries at least one signature line with the verifier's name and key id
// and every such line verifies (signed-note: a known key's failed signature rejects the note).
// Only Ed25519 (type 0x01) verifiers sign notes; any other type gives false.
bool verify_note(const Note& note, const Verifier& verifier);

// A witness's cosignature of a checkpoint body: key id for type 0x04, and signature bytes
// timestamp (8, big-endian) || Ed25519 signature over
// "cosignature/v1\ntime <timestamp>\n" || the whole body, extension lines included.
// Throws std::invalid_argument on a body that is not a checkpoint, an invalid name, or a
// timestamp of 0 or above 2^63 - 1.
NoteSignature cosign(const std::string& checkpoint_body, std::string_view witness_name,
                     const SecretKey& key, std::uint64_t timestamp);

// The cosignature's timestamp when it is a valid cosignature of this checkpoint body by the
// verifier (which must be of type 0x04); never for a timestamp of 0.
std::optional<std::uint64_t> verify_cosignature(const std::string& checkpoint_body,
                                                const NoteSignature& signature,
                                                const Verifier& verifier);

}  // namespace rekap::tlog
