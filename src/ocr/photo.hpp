#pragma once
// A photo decoded for the reader, grayscale, with its memory bounded whatever the file claims:
// the header is read first (image_header.hpp); a JPEG of more than kReaderPixels is decoded at
// 1/2, 1/4 or 1/8 of its size by the JPEG decoder itself, which never holds the full-size
// image, and a PNG of more than kReaderPixels is refused (its decoder would). A form needs far
// fewer pixels: the reader works at about 2,000 px across a page.
#include <cstdint>
#include <string_view>

#include <opencv2/core.hpp>

namespace rekap::ocr {

// At most this many pixels (bytes, in grayscale) are decoded per photo: 25 MB.
inline constexpr std::uint64_t kReaderPixels = 25'000'000;

// Throws ReadError: not_a_form for bytes that are not a JPEG or PNG image (or do not decode),
// too_large for a PNG above kReaderPixels.
cv::Mat decode_photo(std::string_view bytes);

}  // namespace rekap::ocr
