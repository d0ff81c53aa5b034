#pragma once
// The one way rekap answers a document, whatever keeps its bytes (memory, a file, a cache):
// an ETag naming the bytes, 304 to an If-None-Match that names it, and gzip to a client that
// accepts it (the gzip body tagged apart, so that a cache between never hands one for the
// other), with Vary: Accept-Encoding whenever a gzip form exists.
#include <string>
#include <string_view>

#include "http/server.hpp"

namespace rekap::http {

// Below this, gzip's header, trailer and the client's work cost about what it saves.
inline constexpr std::size_t kGzipAnswerMinimum = 1024;
// A file is gzipped from this size: its gzip is made once, not per request.
inline constexpr std::size_t kGzipFileMinimum = 256;

// A document kept in memory: its bytes, their gzip made once, and an ETag naming the bytes.
struct MemoryFile {
  std::string body;
  std::string gz;  // empty when gzip would not make it smaller
  std::string etag;
  std::string content_type;
  std::string cache_control;
};

// Fills gz and etag from body.
MemoryFile make_memory_file(std::string body, std::string content_type,
                            std::string cache_control = "no-cache");

// One representation of a document, chosen for this request: the bytes to send and their tag.
struct Representation {
  std::string_view body;
  std::string etag;  // quoted; of the gzip form when gzipped
  std::string_view content_type;
  std::string_view cache_control = "no-cache";
  bool gzipped = false;
  bool has_gzip_form = false;  // another coding exists: the answer varies on Accept-Encoding
};

// The answer to GET or HEAD of a representation: 304 when If-None-Match names its tag, else its
// bytes.
Response respond(const Request& req, const Representation& r);

// The answer to GET or HEAD of a file kept in memory, gzipped when the client accepts it.
Response respond(const MemoryFile& file, const Request& req);

// Makes GET's answer the answer to HEAD: the same headers, Content-Length included, no body.
void answer_head(Response& res);

// The ETag of these bytes: a quoted prefix of their SHA-256.
std::string etag_of(std::string_view bytes);

// Whether the request's If-None-Match names `etag` (or is "*").
bool etag_matches(const Request& req, std::string_view etag);

// The ETag of the gzipped representation of the body tagged `etag` (quoted).
std::string gzip_etag(std::string_view etag);

// Whether the client accepts gzip (Accept-Encoding, content_coding.hpp).
bool accepts_gzip(const Request& req);

// Whether an answer with a body of `size` bytes goes gzipped to this request.
bool gzip_answer(const Request& req, std::size_t size);

// For answers made per request: gzips res's body in place when the client accepts gzip, and
// says Vary: Accept-Encoding either way.
void gzip_body(const Request& req, Response& res);

// gzip_body for a JSON or text answer of at least kGzipAnswerMinimum bytes; other answers, and
// one that already has a Content-Encoding, are left alone.
void encode_answer(const Request& req, Response& res);

}  // namespace rekap::http
