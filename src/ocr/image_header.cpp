#include "ocr/image_header.hpp"

namespace rekap::ocr {
namespace {

std::uint32_t big_endian(std::string_view b, std::size_t at, int size) {
  std::uint32_t v = 0;
  for (int i = 0; i < size; ++i) v = (v << 8) | static_cast<unsigned char>(b[at + std::size_t(i)]);
  return v;
}

ImageHeader checked(ImageFormat format, std::uint32_t width, std::uint32_t height) {
  if (width == 0 || height == 0) {
    throw ImageHeaderError("the image header gives a size of " + std::to_string(width) + " x " +
                           std::to_string(height) + " pixels");
  }
  return {format, width, height};
}

ImageHeader png_header(std::string_view b) {
  // The signature (8 bytes), then the IHDR chunk: its length (13), "IHDR", width, height.
  if (b.size() < 24 || b.substr(12, 4) != "IHDR") {
    throw ImageHeaderError("a PNG file must begin with its IHDR chunk; this one is cut short");
  }
  const std::uint32_t width = big_endian(b, 16, 4), height = big_endian(b, 20, 4);
  // PNG allows at most 2^31 - 1 in each.
  if (width > 0x7fffffff || height > 0x7fffffff) {
    throw ImageHeaderError("the PNG header gives a width or height above 2^31 - 1");
  }
  return checked(ImageFormat::png, width, height);
}

// Start-of-frame markers: C0-CF except C4 (Huffman tables), C8 (reserved) and CC (arithmetic
// coding conditioning).
bool is_frame_header(unsigned char marker) {
  return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
}

ImageHeader jpeg_header(std::string_view b) {
  std::size_t at = 2;
  while (at < b.size()) {
    if (static_cast<unsigned char>(b[at]) != 0xFF) {
      throw ImageHeaderError("the JPEG file has no marker at byte " + std::to_string(at));
    }
    // Any number of 0xFF may pad before a marker.
    while (at < b.size() && static_cast<unsigned char>(b[at]) == 0xFF) ++at;
    if (at >= b.size()) break;
    const unsigned char marker = static_cast<unsigned char>(b[at++]);
    // Markers without a segment: TEM, RSTn.
    if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) continue;
    if (marker == 0xD9 || marker == 0xDA) {
      throw ImageHeaderError("the JPEG file has no frame header before its image data");
    }
    if (at + 2 > b.size()) break;
    const std::uint32_t length = big_endian(b, at, 2);
    if (length < 2) {
      throw ImageHeaderError("the JPEG segment at byte " + std::to_string(at - 2) +
                             " has a length below 2");
    }
    if (is_frame_header(marker)) {
      // Length, sample precision, height, width.
      if (at + 7 > b.size()) break;
      const std::uint32_t height = big_endian(b, at + 3, 2), width = big_endian(b, at + 5, 2);
      if (height == 0) {
        throw ImageHeaderError("the JPEG frame header leaves the height to a later marker (DNL)");
      }
      return checked(ImageFormat::jpeg, width, height);
    }
    at += length;
  }
  throw ImageHeaderError("the JPEG file ends before its frame header");
}

}  // namespace

ImageHeader read_image_header(std::string_view bytes) {
  if (bytes.starts_with("\x89PNG\r\n\x1a\n")) return png_header(bytes);
  if (bytes.starts_with("\xFF\xD8")) return jpeg_header(bytes);
  throw ImageHeaderError("not a JPEG or PNG image (it begins with neither format's signature)");
}

std::string describe(const ImageHeader& h) {
  return std::string(h.format == ImageFormat::jpeg ? "JPEG " : "PNG ") + std::to_string(h.width) +
         " x " + std::to_string(h.height);
}

}  // namespace rekap::ocr
