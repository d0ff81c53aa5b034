#include "reports/request.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <cstdio>

#include "core/statement.hpp"
#include "crypto/encoding.hpp"
#include "http/json_body.hpp"

namespace rekap::reports {

namespace json = boost::json;

namespace {

constexpr int kBadRequest = 400;
constexpr int kUnprocessable = 422;

[[noreturn]] void refuse(int status, const std::string& code, const std::string& member,
                         const std::string& message) {
  throw ReportRefused(status, code, member, message);
}

const json::string& string_member(const json::object& obj, const char* name, bool required,
                                  const char* what) {
  static const json::string kAbsent;
  const json::value* v = obj.if_contains(name);
  if (!v) {
    if (required)
      refuse(kBadRequest, "malformed_request", name, std::string(name) + " is required: " + what);
    return kAbsent;
  }
  if (!v->is_string())
    refuse(kBadRequest, "malformed_request", name,
           std::string(name) + " must be a string: " + what);
  return v->as_string();
}

Hash32 hash_member(std::string_view hex, const char* name) {
  Hash32 h;
  if (!from_hex(hex, h)) {
    refuse(kBadRequest, "bad_hash", name,
           std::string(name) + " must be 64 lower-case hex digits (a SHA-256)");
  }
  return h;
}

std::string code_point_name(char32_t c) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "U+%04X", unsigned(c));
  return buf;
}

// Control characters (Unicode Cc) other than line break and tab, and the bidirectional
// embedding, override and isolate controls, which would let a public text display as other
// than it reads.
bool forbidden(char32_t c) {
  if (c == '\n' || c == '\t') return false;
  return c < 0x20 || (c >= 0x7f && c <= 0x9f) || (c >= 0x202a && c <= 0x202e) ||
         (c >= 0x2066 && c <= 0x2069);
}

// Decodes one UTF-8 sequence at s[i]; false on a malformed, overlong or surrogate sequence.
bool next_code_point(std::string_view s, std::size_t& i, char32_t& out) {
  auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char b = byte(i);
  std::size_t n = b < 0x80           ? 1
                  : (b >> 5) == 0x6  ? 2
                  : (b >> 4) == 0xe  ? 3
                  : (b >> 3) == 0x1e ? 4
                                     : 0;
  if (n == 0 || i + n > s.size()) return false;
  char32_t c = n == 1 ? b : b & (0x7f >> n);
  for (std::size_t k = 1; k < n; ++k) {
    if ((byte(i + k) & 0xc0) != 0x80) return false;
    c = (c << 6) | (byte(i + k) & 0x3f);
  }
  static constexpr char32_t kMinimum[] = {0, 0, 0x80, 0x800, 0x10000};
  if (c < kMinimum[n] || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff)) return false;
  i += n;
  out = c;
  return true;
}

std::string normalized_text(std::string_view raw) {
  std::string text;
  text.reserve(raw.size());
  for (std::size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] == '\r' && i + 1 < raw.size() && raw[i + 1] == '\n') continue;
    text.push_back(raw[i]);
  }
  auto space = [](char c) { return c == ' ' || c == '\n' || c == '\t'; };
  std::size_t first = 0;
  while (first < text.size() && space(text[first])) ++first;
  std::size_t last = text.size();
  while (last > first && space(text[last - 1])) --last;
  return text.substr(first, last - first);
}

void check_text(const std::string& text) {
  std::size_t count = 0;
  for (std::size_t i = 0; i < text.size(); ++count) {
    char32_t c = 0;
    if (!next_code_point(text, i, c)) {
      refuse(kUnprocessable, "bad_text", "text", "text is not valid UTF-8");
    }
    if (forbidden(c)) {
      refuse(kUnprocessable, "control_character", "text",
             "text contains the control character " + code_point_name(c) + " at character " +
                 std::to_string(count + 1) + "; only line breaks and tabs are allowed");
    }
  }
  if (count < kReportTextMin) {
    refuse(kUnprocessable, "text_too_short", "text",
           "text must describe the discrepancy in at least " + std::to_string(kReportTextMin) +
               " characters (it has " + std::to_string(count) + ")");
  }
  if (count > kReportTextMax) {
    refuse(kUnprocessable, "text_too_long", "text",
           "text has " + std::to_string(count) + " characters; at most " +
               std::to_string(kReportTextMax) + " are accepted");
  }
}

}  // namespace

Report parse_report(std::string_view body, const Definition& def) {
  json::object doc;
  try {
    doc = http::parse_json_body(body, {"tps", "ballot", "fields", "text", "statement", "image"});
  } catch (const http::JsonBodyError& e) {
    refuse(kBadRequest, e.code(), e.member(), e.what());
  }
  const json::object* obj = &doc;

  Report r;
  r.tps = string_member(*obj, "tps", true, "the 13-digit code of the TPS");
  int t = def.find_tps(r.tps);
  if (t < 0) refuse(kUnprocessable, "unknown_tps", "tps", "no TPS with code " + r.tps);
  std::string ballot(string_member(*obj, "ballot", true, "ppwp, pdpr, pdpd, pdprdp or pdprdk"));
  auto b = parse_ballot(ballot);
  if (!b) {
    refuse(kUnprocessable, "unknown_ballot", "ballot",
           "no ballot " + ballot + "; the ballots are ppwp, pdpr, pdpd, pdprdp and pdprdk");
  }
  r.ballot = int(*b);
  int c = def.tps[std::size_t(t)].contest[r.ballot];
  if (c < 0) {
    refuse(kUnprocessable, "no_contest", "ballot",
           "TPS " + r.tps + " does not vote on the " + ballot + " ballot");
  }

  if (const json::value* fields = obj->if_contains("fields")) {
    const json::array* list = fields->if_array();
    if (!list)
      refuse(kBadRequest, "malformed_request", "fields", "fields must be an array of field names");
    if (list->size() > kReportFieldsMax) {
      refuse(kUnprocessable, "too_many_fields", "fields",
             "at most " + std::to_string(kReportFieldsMax) + " fields may be named");
    }
    const Contest& contest = def.contests[std::size_t(c)];
    for (std::size_t i = 0; i < list->size(); ++i) {
      std::string member = "fields[" + std::to_string(i) + "]";
      if (!(*list)[i].is_string())
        refuse(kBadRequest, "malformed_request", member, member + " must be a field name");
      std::string name((*list)[i].as_string());
      if (contest.layout.find(name) < 0) {
        refuse(kUnprocessable, "unknown_field", member,
               "no field '" + name + "' on the form of contest " + contest.id +
                   " (its fields: /api/v1/contests/" + contest.id + ")");
      }
      if (std::find(r.fields.begin(), r.fields.end(), name) != r.fields.end()) {
        refuse(kUnprocessable, "repeated_field", member, "field '" + name + "' is named twice");
      }
      r.fields.push_back(std::move(name));
    }
  }

  r.text = normalized_text(
      string_member(*obj, "text", true, "what differs between the photo and the numbers"));
  check_text(r.text);
  if (obj->contains("statement")) {
    r.statement =
        hash_member(string_member(*obj, "statement", false, "a statement id"), "statement");
  }
  if (obj->contains("image")) {
    r.image = hash_member(string_member(*obj, "image", false, "a photo's SHA-256"), "image");
  }
  return r;
}

void check_evidence(const Report& report, const std::vector<StoredStatement>& about_tps) {
  bool statement_found = !report.statement;
  bool image_found = !report.image;
  for (const StoredStatement& row : about_tps) {
    if (row.tps != report.tps || row.ballot != report.ballot) continue;
    if (report.statement && row.id == *report.statement) statement_found = true;
    if (report.image && !image_found) {
      const auto images = decode_statement(row.body).images;
      image_found = std::find(images.begin(), images.end(), *report.image) != images.end();
    }
  }
  std::string where = " of TPS " + report.tps + " on the " +
                      std::string(ballot_id(Ballot(report.ballot))) + " ballot";
  if (!statement_found) {
    refuse(kUnprocessable, "unknown_statement", "statement",
           "statement " + to_hex(*report.statement) + " is not a result or correction" + where);
  }
  if (!image_found) {
    refuse(kUnprocessable, "unknown_image", "image",
           "photo " + to_hex(*report.image) + " is not a photo" + where);
  }
}

}  // namespace rekap::reports
