#include "ocr/photo.hpp"

#include <opencv2/imgcodecs.hpp>

#include "ocr/image_header.hpp"
#include "ocr/reader.hpp"

namespace rekap::ocr {

cv::Mat decode_photo(std::string_view bytes) {
  ImageHeader header;
  try {
    header = read_image_header(bytes);
  } catch (const ImageHeaderError& e) {
    throw ReadError(ReadError::Kind::not_a_form, std::string("not a photo: ") + e.what());
  }
  int flags = cv::IMREAD_GRAYSCALE;
  if (header.pixels() > kReaderPixels) {
    if (header.format != ImageFormat::jpeg) {
      throw ReadError(ReadError::Kind::too_large,
                      "the photo is " + describe(header) + " pixels; a PNG may have at most " +
                          std::to_string(kReaderPixels) + " pixels (send a JPEG)");
    }
    // The scale the JPEG decoder reduces by: 2, 4 or 8, the least that fits.
    const std::uint64_t pixels = header.pixels();
    flags = pixels <= 4 * kReaderPixels    ? cv::IMREAD_REDUCED_GRAYSCALE_2
            : pixels <= 16 * kReaderPixels ? cv::IMREAD_REDUCED_GRAYSCALE_4
                                           : cv::IMREAD_REDUCED_GRAYSCALE_8;
    if (pixels > 64 * kReaderPixels) {
      throw ReadError(ReadError::Kind::too_large,
                      "the photo is " + describe(header) + " pixels; at most " +
                          std::to_string(64 * kReaderPixels) + " can be read");
    }
  }
  cv::Mat photo;
  try {
    photo =
        cv::imdecode(cv::Mat(1, int(bytes.size()), CV_8U, const_cast<char*>(bytes.data())), flags);
  } catch (const cv::Exception&) {
    // A corrupt file is refused like any other that does not decode.
  }
  if (photo.empty()) {
    throw ReadError(ReadError::Kind::not_a_form,
                    "the photo (" + describe(header) + ") does not decode");
  }
  return photo;
}

}  // namespace rekap::ocr
