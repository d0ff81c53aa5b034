#pragma once
// gzip (RFC 1952) compression of a response body, with zlib.
#include <string>
#include <string_view>

namespace rekap {

std::string gzip(std::string_view data);

}  // namespace rekap
