#pragma once
// Content coding (RFC 9110 §12.5.3, §8.4): whether a client's Accept-Encoding allows gzip. Pure.
#include <string_view>

namespace rekap::http {

// Whether an Accept-Encoding value allows gzip: "gzip" (or "x-gzip") with a weight above 0, or,
// when gzip is not named, "*" with a weight above 0. Names are case-insensitive; an entry whose
// weight cannot be read counts as not accepted. An empty value allows only identity.
bool gzip_accepted(std::string_view accept_encoding);

}  // namespace rekap::http
