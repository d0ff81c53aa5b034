#pragma once
// A file served from memory: its bytes, their gzip, and an ETag naming the bytes, so that a
// client revalidating gets 304 and a client that accepts gzip gets the smaller body without
// the server compressing per request.
#include <string>
#include <string_view>

#include "server/http_server.hpp"

namespace rekap::server {

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

// The answer to GET or HEAD of the file: 304 when If-None-Match names it, gzip when accepted.
Response respond(const MemoryFile& file, const Request& req);

// The Content-Type for a file name's extension (the portal's kinds of files).
std::string_view content_type_of(std::string_view name);

}  // namespace rekap::server
