#pragma once
// Content coding of answers (RFC 9110 §12.5.3, §8.4): whether a client accepts gzip, and gzip of
// a JSON answer's body when it is worth it.
#include <string>
#include <string_view>

#include "server/http_server.hpp"

namespace rekap::server {

// Below this, gzip's header, trailer and the client's work cost about what it saves.
inline constexpr std::size_t kGzipAnswerMinimum = 1024;

// Whether an Accept-Encoding value allows gzip: "gzip" (or "x-gzip") with a weight above 0, or,
// when gzip is not named, "*" with a weight above 0. Names are case-insensitive; an entry whose
// weight cannot be read counts as not accepted. An empty value allows only identity.
bool gzip_accepted(std::string_view accept_encoding);

// Whether an answer with a body of `size` bytes goes gzipped to this request.
bool gzip_answer(const Request& req, std::size_t size);

// The ETag of the gzipped representation of the body tagged `etag` (quoted): another
// representation has another tag, so that a cache between never hands one for the other.
std::string gzip_etag(std::string_view etag);

// Gzips res's body in place when it is JSON or text and gzip_answer says so. Every answer large
// enough to be gzipped says Vary: Accept-Encoding, gzipped or not, so that caches keep the two
// apart. An answer that already has a Content-Encoding is left alone.
void encode_answer(const Request& req, Response& res);

}  // namespace rekap::server
