#pragma once
// The Content-Type of what rekap serves, in one table: by file name for published files and the
// portal's, by leading bytes for photos (their names are hashes). Pure.
#include <string_view>

namespace rekap::http {

// By the name's extension; application/octet-stream when unknown.
std::string_view media_type_of_name(std::string_view name);

// By the first bytes (JPEG or PNG); application/octet-stream otherwise.
std::string_view media_type_of_image(std::string_view bytes);

}  // namespace rekap::http
