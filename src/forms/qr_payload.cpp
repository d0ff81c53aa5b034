// The text of the QR code on every page of a C1 form.
#include <charconv>
#include <stdexcept>

#include "core/region_code.hpp"
#include "forms/template.hpp"

namespace rekap::forms {

namespace {

constexpr std::string_view kMagic = "rekap-c1/1";
// A page number as printed: one or two digits without a leading zero, 1..99.
std::optional<int> parse_page(std::string_view s) {
  // from_chars would take a sign: "-0" and "-1" are not page numbers.
  if (s.empty() || s.size() > 2 || s[0] < '1' || s[0] > '9') return std::nullopt;
  int n = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return n;
}

// Template ids are printable ASCII without spaces, so that the payload splits on spaces.
bool valid_template_id(std::string_view id, Ballot b) {
  std::string prefix = "c1-" + std::string(ballot_id(b)) + "-";
  if (id.size() <= prefix.size() || !id.starts_with(prefix)) return false;
  for (char c : id) {
    if (c <= ' ' || c > '~') return false;
  }
  return true;
}

}  // namespace

std::string encode_qr_payload(const QrPayload& q) {
  std::string s = std::string(kMagic) + " " + q.template_id + " " + q.tps + " " +
                  std::string(ballot_id(q.ballot)) + " " + std::to_string(q.page) + "/" +
                  std::to_string(q.pages);
  // One rule for what a payload may be: what decodes. A form whose code would not be read
  // back must not be printed.
  if (!decode_qr_payload(s)) throw std::invalid_argument("cannot encode QR payload `" + s + "`");
  return s;
}

std::optional<QrPayload> decode_qr_payload(std::string_view text) {
  std::vector<std::string_view> parts;
  for (std::size_t start = 0;;) {
    std::size_t space = text.find(' ', start);
    parts.push_back(text.substr(start, space - start));
    if (space == std::string_view::npos) break;
    start = space + 1;
  }
  if (parts.size() != 5 || parts[0] != kMagic) return std::nullopt;
  QrPayload q;
  auto ballot = parse_ballot(parts[3]);
  if (!ballot || !valid_template_id(parts[1], *ballot)) return std::nullopt;
  if (level_of_code(parts[2]) != Level::tps) return std::nullopt;
  std::size_t slash = parts[4].find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  auto page = parse_page(parts[4].substr(0, slash));
  auto pages = parse_page(parts[4].substr(slash + 1));
  if (!page || !pages || *page > *pages) return std::nullopt;
  q.template_id = parts[1];
  q.tps = parts[2];
  q.ballot = *ballot;
  q.page = *page;
  q.pages = *pages;
  return q;
}

}  // namespace rekap::forms
