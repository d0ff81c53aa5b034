#include "http/content_coding.hpp"

#include <algorithm>

namespace rekap::http {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i] >= 'A' && a[i] <= 'Z' ? char(a[i] - 'A' + 'a') : a[i];
    if (x != b[i]) return false;
  }
  return true;
}

// The weight of one list entry's parameters ("q=0.5"): 1 when absent, -1 when unreadable.
// qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] )
double weight(std::string_view params) {
  double q = 1;
  while (!params.empty()) {
    auto semi = params.find(';');
    std::string_view p = trim(params.substr(0, semi));
    params = semi == std::string_view::npos ? "" : params.substr(semi + 1);
    auto eq = p.find('=');
    if (eq == std::string_view::npos || !iequals(trim(p.substr(0, eq)), "q")) continue;
    std::string_view v = trim(p.substr(eq + 1));
    if (v.empty() || (v[0] != '0' && v[0] != '1')) return -1;
    std::string_view frac = v.substr(1);
    if (!frac.empty()) {
      if (frac[0] != '.' || frac.size() > 4) return -1;
      frac.remove_prefix(1);
    }
    q = v[0] - '0';
    double scale = 0.1;
    for (char c : frac) {
      if (c < '0' || c > '9' || (v[0] == '1' && c != '0')) return -1;
      q += (c - '0') * scale;
      scale /= 10;
    }
  }
  return q;
}

}  // namespace

bool gzip_accepted(std::string_view accept_encoding) {
  double gzip_q = -1;  // -1: not named
  double any_q = -1;
  while (!accept_encoding.empty()) {
    auto comma = accept_encoding.find(',');
    std::string_view entry = accept_encoding.substr(0, comma);
    accept_encoding = comma == std::string_view::npos ? "" : accept_encoding.substr(comma + 1);
    auto semi = entry.find(';');
    std::string_view coding = trim(entry.substr(0, semi));
    double q = weight(semi == std::string_view::npos ? "" : entry.substr(semi + 1));
    if (iequals(coding, "gzip") || iequals(coding, "x-gzip")) {
      // Named twice: the refusal wins.
      gzip_q = gzip_q < 0 ? q : std::min(gzip_q, q);
      if (q < 0) return false;
    } else if (coding == "*") {
      any_q = q;
    }
  }
  if (gzip_q >= 0) return gzip_q > 0;
  return any_q > 0;
}

}  // namespace rekap::http
