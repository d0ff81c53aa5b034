// Photo headers, read before anything decodes a photo: never a crash, never a zero size.
#include "fuzz.hpp"
#include "ocr/image_header.hpp"

using namespace rekap;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    auto h = ocr::read_image_header(fuzz::input(data, size));
    fuzz::check(h.width > 0 && h.height > 0, "a header that reads has a size");
  } catch (const ocr::ImageHeaderError&) {
  }
  return 0;
}
