#include "core/statement.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <ctime>

#include "core/region_code.hpp"
#include "crypto/encoding.hpp"

namespace rekap {

namespace {

constexpr std::string_view kMagic = "rekap-statement/1";
constexpr std::size_t kMaxReason = 500;
constexpr std::size_t kMaxElection = 64;

bool is_word(std::string_view s, std::size_t max) {
  if (s.empty() || s.size() > max) return false;
  return std::all_of(s.begin(), s.end(), [](unsigned char c) { return c > 0x20 && c < 0x7f; });
}

bool is_field_name(std::string_view s) {
  if (s.empty() || s.size() > 32) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

// Printable UTF-8 text on one line: no control characters.
bool is_line_text(std::string_view s) {
  if (s.empty() || s.size() > kMaxReason) return false;
  if (s.front() == ' ' || s.back() == ' ') return false;
  return std::all_of(s.begin(), s.end(), [](unsigned char c) { return c >= 0x20 && c != 0x7f; });
}

std::optional<std::uint32_t> parse_number(std::string_view s) {
  if (s.empty() || s.size() > 9 || (s.size() > 1 && s[0] == '0')) return std::nullopt;
  std::uint32_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

class Reader {
 public:
  explicit Reader(std::string_view text) : text_(text) {}

  bool done() const { return pos_ >= text_.size(); }
  int line() const { return line_; }

  // The next line split at its first space; the key must be `key`.
  std::string_view expect(std::string_view key) {
    auto [k, v] = next();
    if (k != key) fail("expected `" + std::string(key) + "`, found `" + std::string(k) + "`");
    return v;
  }
  // True (and consumes the line) if the next line has this key.
  std::optional<std::string_view> maybe(std::string_view key) {
    if (peek_key() != key) return std::nullopt;
    return next().second;
  }
  std::string_view peek_key() const {
    if (done()) return {};
    std::string_view rest = text_.substr(pos_);
    return rest.substr(0, std::min(rest.find(' '), rest.find('\n')));
  }
  std::string_view whole_line() {
    std::size_t nl = text_.find('\n', pos_);
    if (nl == std::string_view::npos) {
      throw StatementError(line_ + 1, "the last line must end with a newline");
    }
    std::string_view l = text_.substr(pos_, nl - pos_);
    pos_ = nl + 1;
    ++line_;
    return l;
  }
  [[noreturn]] void fail(const std::string& what) const { throw StatementError(line_, what); }

 private:
  std::pair<std::string_view, std::string_view> next() {
    if (done()) throw StatementError(line_ + 1, "statement ends too early");
    std::string_view l = whole_line();
    std::size_t sp = l.find(' ');
    if (sp == std::string_view::npos) fail("expected `key value`, found `" + std::string(l) + "`");
    return {l.substr(0, sp), l.substr(sp + 1)};
  }

  std::string_view text_;
  std::size_t pos_ = 0;
  int line_ = 0;
};

PublicKey read_key(Reader& r, std::string_view name) {
  auto v = r.expect(name);
  auto k = parse_public_key(v);
  if (!k) r.fail(std::string(name) + " must be a base64 Ed25519 public key (32 bytes)");
  return *k;
}

Hash32 read_hash(Reader& r, std::string_view v, std::string_view what) {
  Hash32 h;
  if (!from_hex(v, h)) r.fail(std::string(what) + " must be 64 lower-case hex digits");
  return h;
}

void check_encodable(const Statement& s) {
  auto bad = [](const std::string& what) { throw StatementError(0, what); };
  if (!is_word(s.election, kMaxElection)) bad("election id must be one printable word");
  if (!valid_time(s.time)) bad("time must be YYYY-MM-DDTHH:MM:SSZ");
  if (s.type == StatementType::genesis) return;
  if (s.type == StatementType::enrol) {
    if (!level_of_code(s.scope) || s.scope.empty()) bad("scope must be a region or TPS code");
    return;
  }
  if (level_of_code(s.tps) != Level::tps) bad("tps must be a 13-digit TPS code");
  if (s.rev < 1) bad("rev must be 1 or more");
  if (s.type == StatementType::correction && !is_line_text(s.reason)) {
    bad("reason must be one line of text, 1 to 500 bytes, without leading or trailing spaces");
  }
  for (std::size_t i = 1; i < s.images.size(); ++i) {
    if (!(s.images[i - 1] < s.images[i])) bad("images must be sorted and distinct");
  }
  if (s.values.empty()) bad("a result needs its values");
  for (const auto& [name, value] : s.values) {
    if (!is_field_name(name)) bad("field name `" + name + "` is not [a-z0-9_]{1,32}");
    if (value > 999'999'999) bad("value of " + name + " is too large");
  }
}

}  // namespace

std::string_view statement_type_name(StatementType t) {
  switch (t) {
    case StatementType::genesis:
      return "genesis";
    case StatementType::enrol:
      return "enrol";
    case StatementType::result:
      return "result";
    case StatementType::correction:
      return "correction";
  }
  return "?";
}

std::string_view role_name(Role r) {
  switch (r) {
    case Role::kpps:
      return "kpps";
    case Role::ppk:
      return "ppk";
    case Role::admin:
      return "admin";
  }
  return "?";
}

std::optional<Role> parse_role(std::string_view s) {
  for (Role r : {Role::kpps, Role::ppk, Role::admin}) {
    if (role_name(r) == s) return r;
  }
  return std::nullopt;
}

bool valid_time(std::string_view t) {
  // YYYY-MM-DDTHH:MM:SSZ
  if (t.size() != 20) return false;
  for (std::size_t i = 0; i < t.size(); ++i) {
    char want = "0000-00-00T00:00:00Z"[i];
    if (want == '0' ? !(t[i] >= '0' && t[i] <= '9') : t[i] != want) return false;
  }
  auto num = [&](std::size_t at, std::size_t n) {
    int v = 0;
    for (std::size_t i = at; i < at + n; ++i) v = v * 10 + (t[i] - '0');
    return v;
  };
  int month = num(5, 2), day = num(8, 2), hour = num(11, 2), minute = num(14, 2),
      second = num(17, 2);
  return month >= 1 && month <= 12 && day >= 1 && day <= 31 && hour <= 23 && minute <= 59 &&
         second <= 59;
}

bool valid_election_id(std::string_view id) {
  return is_word(id, kMaxElection);
}

std::string utc_now() {
  std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string encode_statement(const Statement& s) {
  check_encodable(s);
  std::string out;
  out.reserve(128 + s.values.size() * 16 + s.images.size() * 72);
  auto line = [&](std::string_view k, std::string_view v) {
    out.append(k).push_back(' ');
    out.append(v).push_back('\n');
  };
  out.append(kMagic).push_back('\n');
  line("type", statement_type_name(s.type));
  line("election", s.election);
  line("signer", to_base64(s.signer));
  line("time", s.time);
  if (s.type == StatementType::genesis) {
    line("definition", to_hex(s.definition));
    return out;
  }
  if (s.type == StatementType::enrol) {
    line("key", to_base64(s.key));
    line("role", role_name(s.role));
    line("scope", s.scope);
    return out;
  }
  line("tps", s.tps);
  line("ballot", ballot_id(s.ballot));
  line("rev", std::to_string(s.rev));
  if (s.type == StatementType::correction) {
    line("supersedes", to_hex(s.supersedes));
    line("reason", s.reason);
  }
  for (const auto& img : s.images) line("image", to_hex(img));
  for (const auto& [name, value] : s.values) {
    out.append("v ").append(name).push_back(' ');
    out.append(std::to_string(value)).push_back('\n');
  }
  return out;
}

namespace {

// The value lines as exactly the layout's fields in order, or false (nothing consumed that
// matters: the caller starts over from its copy of the reader).
bool read_layout_values(Reader& r, const FormLayout& layout, std::vector<std::uint32_t>& values) {
  values.resize(layout.fields.size());
  for (std::size_t i = 0; i < layout.fields.size(); ++i) {
    if (r.done()) return false;
    std::string_view line = r.whole_line();
    const std::string& name = layout.fields[i].name;
    if (line.size() < name.size() + 4 || !line.starts_with("v ") ||
        line.substr(2, name.size()) != name || line[name.size() + 2] != ' ') {
      return false;
    }
    auto value = parse_number(line.substr(name.size() + 3));
    if (!value) return false;
    values[i] = *value;
  }
  return r.done();
}

Statement decode(std::string_view text, const LayoutFor* layout_for,
                 std::vector<std::uint32_t>* layout_values) {
  Reader r(text);
  Statement s;
  if (r.done() || r.whole_line() != kMagic) r.fail("statement must start with `rekap-statement/1`");
  auto type = r.expect("type");
  if (type == "genesis") {
    s.type = StatementType::genesis;
  } else if (type == "enrol") {
    s.type = StatementType::enrol;
  } else if (type == "result") {
    s.type = StatementType::result;
  } else if (type == "correction") {
    s.type = StatementType::correction;
  } else {
    r.fail("type must be genesis, enrol, result or correction");
  }
  s.election = std::string(r.expect("election"));
  if (!is_word(s.election, kMaxElection)) r.fail("election id must be one printable word");
  s.signer = read_key(r, "signer");
  s.time = std::string(r.expect("time"));
  if (!valid_time(s.time)) r.fail("time must be YYYY-MM-DDTHH:MM:SSZ (UTC)");
  if (s.type == StatementType::genesis) {
    s.definition = read_hash(r, r.expect("definition"), "definition");
  } else if (s.type == StatementType::enrol) {
    s.key = read_key(r, "key");
    auto role = parse_role(r.expect("role"));
    if (!role) r.fail("role must be kpps, ppk or admin");
    s.role = *role;
    s.scope = std::string(r.expect("scope"));
    if (!level_of_code(s.scope) || s.scope.empty()) r.fail("scope must be a region or TPS code");
  } else {
    s.tps = std::string(r.expect("tps"));
    if (level_of_code(s.tps) != Level::tps) r.fail("tps must be a 13-digit TPS code");
    auto ballot = parse_ballot(r.expect("ballot"));
    if (!ballot) r.fail("ballot must be ppwp, pdpr, pdpd, pdprdp or pdprdk");
    s.ballot = *ballot;
    auto rev = parse_number(r.expect("rev"));
    if (!rev || *rev < 1) r.fail("rev must be a whole number from 1");
    s.rev = *rev;
    if (s.type == StatementType::correction) {
      s.supersedes = read_hash(r, r.expect("supersedes"), "supersedes");
      s.reason = std::string(r.expect("reason"));
      if (!is_line_text(s.reason)) {
        r.fail("reason must be one line of text, 1 to 500 bytes, no leading or trailing space");
      }
    }
    while (auto img = r.maybe("image")) {
      Hash32 h = read_hash(r, *img, "image");
      if (!s.images.empty() && !(s.images.back() < h)) r.fail("images must be sorted and distinct");
      s.images.push_back(h);
    }
    if (layout_for) {
      const FormLayout* layout = (*layout_for)(s);
      Reader start = r;
      if (layout && read_layout_values(r, *layout, *layout_values)) return s;
      layout_values->clear();
      r = start;
    }
    while (!r.done()) {
      auto v = r.expect("v");
      std::size_t sp = v.find(' ');
      if (sp == std::string_view::npos) r.fail("expected `v <field> <value>`");
      std::string_view name = v.substr(0, sp);
      if (!is_field_name(name)) r.fail("field name must be [a-z0-9_]{1,32}");
      auto value = parse_number(v.substr(sp + 1));
      if (!value) r.fail("value of " + std::string(name) + " must be a whole number, no leading 0");
      s.values.emplace_back(std::string(name), *value);
    }
    if (s.values.empty()) r.fail("a result needs its values (`v <field> <value>` lines)");
  }
  if (!r.done()) r.fail("unexpected line after the statement");
  if (!layout_for && encode_statement(s) != text) {
    throw StatementError(0, "statement is not in canonical form");
  }
  return s;
}

}  // namespace

Statement decode_statement(std::string_view text) {
  return decode(text, nullptr, nullptr);
}

Statement decode_stored_statement(std::string_view text, const LayoutFor& layout_for,
                                  std::vector<std::uint32_t>& values) {
  return decode(text, &layout_for, &values);
}

SignedStatement SignedStatement::from_wire(std::string body, const Signature& sig) {
  SignedStatement out;
  out.statement = decode_statement(body);
  if (!verify_signature(out.statement.signer, body, sig)) {
    throw SignatureError("the signature does not verify for the statement's signer key");
  }
  out.id = sha256(body);
  out.body = std::move(body);
  out.signature = sig;
  return out;
}

SignedStatement SignedStatement::from_checked(std::string body, const Signature& sig) {
  SignedStatement out;
  out.statement = decode_statement(body);
  out.id = sha256(body);
  out.body = std::move(body);
  out.signature = sig;
  return out;
}

std::string log_entry(std::string_view body, const Signature& sig) {
  return std::string(body) + "sig " + to_base64(sig) + "\n";
}

SignedStatement SignedStatement::from_log_entry(std::string_view entry) {
  // The signature line is the last line; no line of a body starts with "sig ".
  std::size_t at = entry.rfind("\nsig ");
  if (at == std::string_view::npos || entry.empty() || entry.back() != '\n') {
    throw StatementError(0, "log entry has no final `sig <base64>` line");
  }
  auto sig = from_base64(entry.substr(at + 5, entry.size() - at - 6));
  if (!sig || sig->size() != 64)
    throw StatementError(0, "log entry signature is not 64 bytes of base64");
  Signature signature;
  std::copy(sig->begin(), sig->end(), signature.begin());
  return from_wire(std::string(entry.substr(0, at + 1)), signature);
}

SignedStatement SignedStatement::sign(const Statement& s, const SecretKey& key) {
  SignedStatement out;
  out.statement = s;
  out.statement.signer = key.public_key();
  out.body = encode_statement(out.statement);
  out.signature = key.sign(out.body);
  out.id = sha256(out.body);
  return out;
}

}  // namespace rekap
