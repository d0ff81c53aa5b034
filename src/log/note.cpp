#include "log/note.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <limits>
#include <stdexcept>

#include "crypto/encoding.hpp"

namespace rekap::tlog {

namespace {

// U+2014 EM DASH and a space open every signature line.
constexpr std::string_view kSignaturePrefix = "\xE2\x80\x94 ";
constexpr std::string_view kCosignatureHeader = "cosignature/v1\n";
constexpr std::uint64_t kMaxTimestamp = std::numeric_limits<std::int64_t>::max();

// Decodes the code point at s[i] and advances i; false on ill-formed UTF-8 (overlong forms,
// surrogates and values above U+10FFFF included), which Go's decoder refuses too.
bool next_code_point(std::string_view s, std::size_t& i, char32_t& cp) {
  auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char b0 = byte(i);
  if (b0 < 0x80) {
    cp = b0;
    ++i;
    return true;
  }
  // The lead byte gives the length, and the length the least code point that needs it.
  std::size_t len;
  char32_t min;
  if ((b0 & 0xE0) == 0xC0) {
    len = 2;
    min = 0x80;
  } else if ((b0 & 0xF0) == 0xE0) {
    len = 3;
    min = 0x800;
  } else if ((b0 & 0xF8) == 0xF0) {
    len = 4;
    min = 0x10000;
  } else {
    return false;
  }
  cp = b0 & (0x7F >> len);
  if (s.size() - i < len) return false;
  for (std::size_t k = 1; k < len; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return false;
    cp = (cp << 6) | (byte(i + k) & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
  i += len;
  return true;
}

// Unicode White_Space, as Go's unicode.IsSpace sees it.
bool is_unicode_space(char32_t c) {
  return (c >= 0x09 && c <= 0x0D) || c == 0x20 || c == 0x85 || c == 0xA0 || c == 0x1680 ||
         (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F ||
         c == 0x3000;
}

// Notes are UTF-8 without ASCII control characters other than newline.
bool valid_note_characters(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    char32_t c;
    if (!next_code_point(s, i, c) || (c < 0x20 && c != '\n')) return false;
  }
  return true;
}

bool valid_note_text(std::string_view text) {
  return !text.empty() && text.back() == '\n' && valid_note_characters(text);
}

std::uint32_t load_be32(const std::uint8_t* p) {
  return std::uint32_t(p[0]) << 24 | std::uint32_t(p[1]) << 16 | std::uint32_t(p[2]) << 8 | p[3];
}

std::string be32(std::uint32_t v) {
  return {char(v >> 24), char(v >> 16), char(v >> 8), char(v)};
}

std::string be64(std::uint64_t v) {
  std::string out(8, '\0');
  for (int k = 7; k >= 0; --k, v >>= 8) out[k] = char(v & 0xFF);
  return out;
}

std::string cosigned_message(const std::string& body, std::uint64_t timestamp) {
  return std::string(kCosignatureHeader) + "time " + std::to_string(timestamp) + "\n" + body;
}

Signature to_signature(std::string_view bytes) {
  Signature sig;
  std::copy(bytes.begin(), bytes.end(), sig.begin());
  return sig;
}

std::string bytes_to_string(std::span<const std::uint8_t> bytes) {
  return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

[[noreturn]] void malformed(const std::string& why) {
  throw std::invalid_argument("malformed signed note: " + why);
}

}  // namespace

bool valid_key_name(std::string_view name) {
  if (name.empty()) return false;
  for (std::size_t i = 0; i < name.size();) {
    char32_t c;
    if (!next_code_point(name, i, c) || c < 0x20 || c == '+' || is_unicode_space(c)) return false;
  }
  return true;
}

std::uint32_t key_id(std::string_view name, const PublicKey& key, std::uint8_t type) {
  std::string input(name);
  input += '\n';
  input += char(type);
  input += bytes_to_string(key);
  return load_be32(sha256(input).data());
}

std::string verifier_key(std::string_view name, const PublicKey& key, std::uint8_t type) {
  if (!valid_key_name(name)) throw std::invalid_argument("invalid key name for a verifier key");
  std::string typed_key = char(type) + bytes_to_string(key);
  return std::string(name) + "+" + to_hex(as_bytes(be32(key_id(name, key, type)))) + "+" +
         to_base64(as_bytes(typed_key));
}

std::optional<Verifier> parse_verifier_key(std::string_view vkey) {
  // Names cannot hold '+', but base64 can: only the first two '+' separate fields.
  std::size_t p1 = vkey.find('+');
  if (p1 == std::string_view::npos) return std::nullopt;
  std::size_t p2 = vkey.find('+', p1 + 1);
  if (p2 == std::string_view::npos) return std::nullopt;
  Verifier v;
  v.name = vkey.substr(0, p1);
  std::array<std::uint8_t, 4> id;
  auto typed_key = from_base64(vkey.substr(p2 + 1));
  if (!valid_key_name(v.name) || !from_hex(vkey.substr(p1 + 1, p2 - p1 - 1), id) || !typed_key ||
      typed_key->size() != 1 + v.key.size()) {
    return std::nullopt;
  }
  v.type = (*typed_key)[0];
  if (v.type != kSigEd25519 && v.type != kSigCosignatureV1) return std::nullopt;
  std::copy(typed_key->begin() + 1, typed_key->end(), v.key.begin());
  v.key_id = load_be32(id.data());
  if (v.key_id != key_id(v.name, v.key, v.type)) return std::nullopt;
  return v;
}

std::string checkpoint_body(const Checkpoint& c) {
  std::string body = c.origin + "\n" + std::to_string(c.size) + "\n" + to_base64(c.root) + "\n";
  for (const std::string& line : c.extensions) body += line + "\n";
  // Parsing back is the one definition of a well-formed body, for writer and reader alike.
  if (!parse_checkpoint_body(body)) {
    throw std::invalid_argument(
        "checkpoint origin and extension lines must be single, "
        "non-empty lines of note text");
  }
  return body;
}

std::optional<Checkpoint> parse_checkpoint_body(std::string_view body) {
  if (!valid_note_text(body)) return std::nullopt;
  std::vector<std::string_view> lines;
  for (std::string_view rest = body; !rest.empty();) {
    std::size_t eol = rest.find('\n');
    lines.push_back(rest.substr(0, eol));
    rest.remove_prefix(eol + 1);
  }
  if (lines.size() < 3 ||
      std::any_of(lines.begin(), lines.end(), [](std::string_view l) { return l.empty(); })) {
    return std::nullopt;
  }
  Checkpoint c;
  c.origin = lines[0];
  std::string_view size = lines[1];
  if (!std::all_of(size.begin(), size.end(), [](char ch) { return ch >= '0' && ch <= '9'; }) ||
      (size.size() > 1 && size[0] == '0')) {
    return std::nullopt;
  }
  auto [end, ec] = std::from_chars(size.data(), size.data() + size.size(), c.size);
  if (ec != std::errc() || end != size.data() + size.size()) return std::nullopt;
  auto root = from_base64(lines[2]);
  if (!root || root->size() != c.root.size()) return std::nullopt;
  std::copy(root->begin(), root->end(), c.root.begin());
  c.extensions.assign(lines.begin() + 3, lines.end());
  return c;
}

Note parse_note(std::string_view message) {
  if (!valid_note_characters(message)) {
    malformed("not UTF-8, or holds control characters other than newline");
  }
  // The text ends at the last blank line; it may hold blank lines of its own.
  std::size_t split = message.rfind("\n\n");
  if (split == std::string_view::npos) malformed("no blank line before the signatures");
  Note note;
  note.text = message.substr(0, split + 1);
  std::string_view rest = message.substr(split + 2);
  if (rest.empty() || rest.back() != '\n') malformed("the signature lines must end in a newline");
  while (!rest.empty()) {
    std::size_t eol = rest.find('\n');
    std::string_view line = rest.substr(0, eol);
    rest.remove_prefix(eol + 1);
    if (note.signatures.size() == kMaxNoteSignatures) malformed("too many signatures");
    if (!line.starts_with(kSignaturePrefix))
      malformed("a signature line must begin with an em dash");
    line.remove_prefix(kSignaturePrefix.size());
    std::size_t space = line.find(' ');
    if (space == std::string_view::npos) malformed("a signature line needs a name and a signature");
    std::string_view name = line.substr(0, space);
    auto raw = from_base64(line.substr(space + 1));
    if (!valid_key_name(name)) malformed("invalid key name in a signature line");
    // A key id and at least one byte of signature, as Go requires.
    if (!raw || raw->size() < 5) malformed("a signature is not base64 of a key id and signature");
    note.signatures.push_back(
        {std::string(name), load_be32(raw->data()), bytes_to_string(std::span(*raw).subspan(4))});
  }
  return note;
}

std::string format_note(const Note& note) {
  if (!valid_note_text(note.text)) {
    throw std::invalid_argument(
        "note text must be UTF-8 without control characters other than "
        "newline, and end in a newline");
  }
  if (note.signatures.empty() || note.signatures.size() > kMaxNoteSignatures) {
    throw std::invalid_argument("a note needs 1 to 100 signatures");
  }
  std::string out = note.text + "\n";
  for (const NoteSignature& s : note.signatures) {
    if (!valid_key_name(s.name) || s.signature.empty()) {
      throw std::invalid_argument("a note signature needs a valid key name and signature bytes");
    }
    out += std::string(kSignaturePrefix) + s.name + " " +
           to_base64(as_bytes(be32(s.key_id) + s.signature)) + "\n";
  }
  return out;
}

std::string sign_note(std::string_view text, std::string_view name, const SecretKey& key) {
  Signature sig = key.sign(text);
  return format_note(
      {std::string(text),
       {{std::string(name), key_id(name, key.public_key(), kSigEd25519), bytes_to_string(sig)}}});
}

bool verify_note(const Note& note, const Verifier& verifier) {
  if (verifier.type != kSigEd25519) return false;
  bool verified = false;
  for (const NoteSignature& s : note.signatures) {
    if (s.name != verifier.name || s.key_id != verifier.key_id) continue;
    if (s.signature.size() != std::tuple_size_v<Signature> ||
        !verify_signature(verifier.key, note.text, to_signature(s.signature))) {
      return false;
    }
    verified = true;
  }
  return verified;
}

NoteSignature cosign(const std::string& checkpoint_body, std::string_view witness_name,
                     const SecretKey& key, std::uint64_t timestamp) {
  if (!parse_checkpoint_body(checkpoint_body)) {
    throw std::invalid_argument("only a checkpoint body can be cosigned");
  }
  if (!valid_key_name(witness_name)) throw std::invalid_argument("invalid witness name");
  if (timestamp > kMaxTimestamp) throw std::invalid_argument("cosignature timestamp too large");
  if (timestamp == 0) throw std::invalid_argument("a cosignature needs a timestamp");
  Signature sig = key.sign(cosigned_message(checkpoint_body, timestamp));
  return {std::string(witness_name), key_id(witness_name, key.public_key(), kSigCosignatureV1),
          be64(timestamp) + bytes_to_string(sig)};
}

std::optional<std::uint64_t> verify_cosignature(const std::string& checkpoint_body,
                                                const NoteSignature& signature,
                                                const Verifier& verifier) {
  if (verifier.type != kSigCosignatureV1 || signature.name != verifier.name ||
      signature.key_id != verifier.key_id ||
      signature.signature.size() != 8 + std::tuple_size_v<Signature> ||
      !parse_checkpoint_body(checkpoint_body)) {
    return std::nullopt;
  }
  std::uint64_t timestamp = 0;
  for (int k = 0; k < 8; ++k) timestamp = timestamp << 8 | std::uint8_t(signature.signature[k]);
  // Zero is no time at all: such a cosignature says nothing about when the witness saw the tree.
  if (timestamp == 0 || timestamp > kMaxTimestamp) return std::nullopt;
  Signature sig = to_signature(std::string_view(signature.signature).substr(8));
  if (!verify_signature(verifier.key, cosigned_message(checkpoint_body, timestamp), sig)) {
    return std::nullopt;
  }
  return timestamp;
}

}  // namespace rekap::tlog
