#pragma once
// Serves the files of a directory as nginx serves the publish directory: the ETag names the
// file's identity (inode, modification time, size), which changes whenever a published file
// is replaced (they are never changed in place); a matching If-None-Match is answered 304; a
// client that accepts gzip gets the file's .gz sibling when there is one, or the file gzipped
// on the fly. The answer itself is answer.hpp's.
#include <filesystem>
#include <optional>
#include <string_view>

#include "http/server.hpp"

namespace rekap::http {

// True for a URL path made only of [A-Za-z0-9._-] components that start with neither a dot
// nor a dash, without empty components and not naming a temporary file.
bool safe_static_path(std::string_view path);

// The response for GET or HEAD `path` (a URL path, leading slash included) from the file
// root + path; nullopt when there is no such file or the path is not safe_static_path.
std::optional<Response> serve_static(const std::filesystem::path& root, std::string_view path,
                                     const Request& req);

}  // namespace rekap::http
