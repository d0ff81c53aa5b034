// Accept-Encoding as clients send it: never a crash, and "identity" alone never means gzip.
#include <string>

#include "fuzz.hpp"
#include "http/content_coding.hpp"

using namespace rekap;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = fuzz::input(data, size);
  http::gzip_accepted(text);
  fuzz::check(!http::gzip_accepted("identity"), "identity is not gzip");
  if (text.find_first_of("gG") == std::string_view::npos &&
      text.find('*') == std::string_view::npos) {
    fuzz::check(!http::gzip_accepted(text), "no gzip and no * means no gzip");
  }
  return 0;
}
