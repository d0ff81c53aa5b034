#pragma once
// Statements: what an enrolled key says (an enrolment, a TPS result, a correction), in one
// canonical text encoding that the signature and the log leaf cover.
//
//   rekap-statement/1
//   type result                  (genesis | enrol | result | correction)
//   election <id>
//   signer <base64 Ed25519 public key>
//   time <YYYY-MM-DDTHH:MM:SSZ>
//   ...type-specific lines...
//
// Lines are "key value", separated by one space, ending in "\n", in a fixed order. Decoding
// re-encodes and refuses any text that is not byte-for-byte canonical.
#include <cstdint>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/ballot.hpp"
#include "core/form_layout.hpp"
#include "crypto/keys.hpp"

namespace rekap {

// genesis: the log's first entry, signed by the admin key: binds the election definition (by
// hash) and the admin key that every enrolment chain starts from.
enum class StatementType { genesis, enrol, result, correction };
enum class Role { kpps, ppk, admin };

std::string_view statement_type_name(StatementType t);
std::string_view role_name(Role r);
std::optional<Role> parse_role(std::string_view s);

struct Statement {
  StatementType type = StatementType::result;
  std::string election;
  PublicKey signer{};
  std::string time;  // signer's clock, UTC

  // genesis: SHA-256 of the definition files (definition_hash)
  Hash32 definition{};

  // enrol: the key being enrolled, its role and the region it may speak for
  PublicKey key{};
  Role role = Role::kpps;
  std::string scope;

  // result and correction
  std::string tps;
  Ballot ballot = Ballot::ppwp;
  std::uint32_t rev = 1;       // revision for this TPS and ballot; a higher rev supersedes
  Hash32 supersedes{};         // correction: the id of the statement it corrects
  std::string reason;          // correction: why, one line
  std::vector<Hash32> images;  // photos of the form pages, sorted, no repeats
  std::vector<std::pair<std::string, std::uint32_t>> values;  // form fields, in form order

  bool operator==(const Statement&) const = default;
};

class StatementError : public std::runtime_error {
 public:
  StatementError(int line, const std::string& what)
      : std::runtime_error(line > 0 ? "line " + std::to_string(line) + ": " + what : what),
        line_(line) {}
  int line() const { return line_; }

 private:
  int line_;
};

// Canonical bytes. Throws StatementError if the statement cannot be encoded (e.g. a reason
// with a newline, unsorted images).
std::string encode_statement(const Statement& s);
// Strict decoding: throws StatementError naming the line when `text` is not canonical.
Statement decode_statement(std::string_view text);

// The form layout of a decoded result's TPS and ballot, or nullptr when there is none.
using LayoutFor = std::function<const FormLayout*(const Statement&)>;
// A statement read back from this server's own store, where a rebuild decodes millions: its
// bytes were proven canonical when it was accepted and the caller checks their hash against the
// log, so they are not encoded again. When `layout_for` gives a layout and the value lines are
// exactly its fields in order, the values go straight into `values` in layout order and
// Statement::values stays empty; otherwise `values` is empty and they are in Statement::values.
Statement decode_stored_statement(std::string_view text, const LayoutFor& layout_for,
                                  std::vector<std::uint32_t>& values);

bool valid_time(std::string_view t);
// An election id: 1 to 64 printable ASCII characters without spaces.
bool valid_election_id(std::string_view id);
// Current UTC time in the statement format.
std::string utc_now();

// The transparency log's entry for a signed body: the body followed by one line
// "sig <base64 signature>".
std::string log_entry(std::string_view body, const Signature& sig);

// A statement with its signature, as submitted and as logged.
struct SignedStatement {
  std::string body;  // canonical bytes
  Signature signature{};
  Statement statement;
  Hash32 id{};  // SHA-256 of body

  // Decodes and checks the signature; throws StatementError / SignatureError.
  static SignedStatement from_wire(std::string body, const Signature& sig);
  static SignedStatement sign(const Statement& s, const SecretKey& key);
  // Decodes a statement whose signature another node of the deployment checked before it
  // handed the statement over through the store; throws StatementError.
  static SignedStatement from_checked(std::string body, const Signature& sig);

  std::string log_entry() const { return rekap::log_entry(body, signature); }
  // Splits and checks a log entry like from_wire; throws StatementError / SignatureError.
  static SignedStatement from_log_entry(std::string_view entry);
};

class SignatureError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace rekap
