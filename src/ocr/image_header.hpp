#pragma once
// The format and size of a photo, read from its header without decoding it: a photo is checked
// before it is stored or decoded, so that a small file announcing a huge image (a "pixel bomb":
// 109 KB of PNG that decodes to 30000 x 30000 pixels) costs nothing. Pure; accepts JPEG and
// PNG, what phones and scanners give.
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

namespace rekap::ocr {

enum class ImageFormat { jpeg, png };

struct ImageHeader {
  ImageFormat format = ImageFormat::jpeg;
  std::uint32_t width = 0;
  std::uint32_t height = 0;
  std::uint64_t pixels() const { return std::uint64_t(width) * height; }
};

// What is wrong with bytes that are not a JPEG or PNG image with a readable size.
class ImageHeaderError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The largest photo taken in one shot by a phone on sale (200 MP sensors: 16320 x 12240), the
// default limit on what is accepted.
inline constexpr std::uint64_t kDefaultMaxImagePixels = 200'000'000;

// Reads the header: a JPEG's first frame header (SOFn), a PNG's IHDR. Throws ImageHeaderError
// naming what is wrong (not JPEG or PNG, cut short, a zero width or height).
ImageHeader read_image_header(std::string_view bytes);

// "JPEG 4000 x 3000" for messages.
std::string describe(const ImageHeader& h);

}  // namespace rekap::ocr
