// Photos checked from their headers before anything decodes them; decoding with bounded memory.
#include <gtest/gtest.h>

#include <opencv2/imgcodecs.hpp>
#include <string>
#include <vector>

#include "ocr/image_header.hpp"
#include "ocr/photo.hpp"
#include "ocr/reader.hpp"

namespace rekap {
namespace {

std::string encode(const cv::Mat& image, const std::string& ext, std::vector<int> params = {}) {
  std::vector<unsigned char> out;
  EXPECT_TRUE(cv::imencode(ext, image, out, params));
  return {out.begin(), out.end()};
}

cv::Mat gray(int width, int height) {
  return cv::Mat(height, width, CV_8U, cv::Scalar(200));
}

// The 33 bytes of a PNG's signature and IHDR chunk announcing width x height: all a pixel bomb
// needs to be refused (its checksum and data are never read).
std::string png_header_only(std::uint32_t width, std::uint32_t height) {
  std::string b("\x89PNG\r\n\x1a\n", 8);
  auto be32 = [&](std::uint32_t v) {
    for (int s = 24; s >= 0; s -= 8) b += static_cast<char>((v >> s) & 0xff);
  };
  be32(13);
  b += "IHDR";
  be32(width);
  be32(height);
  b += std::string("\x08\x00\x00\x00\x00", 5);
  be32(0);
  return b;
}

TEST(ImageHeader, ReadsTheSizeOfJpegAndPng) {
  auto png = ocr::read_image_header(encode(gray(321, 123), ".png"));
  EXPECT_EQ(png.format, ocr::ImageFormat::png);
  EXPECT_EQ(png.width, 321u);
  EXPECT_EQ(png.height, 123u);
  // Baseline and progressive JPEG, after the JFIF segment that comes first.
  for (int progressive : {0, 1}) {
    auto jpeg = ocr::read_image_header(
        encode(gray(640, 480), ".jpg", {cv::IMWRITE_JPEG_PROGRESSIVE, progressive}));
    EXPECT_EQ(jpeg.format, ocr::ImageFormat::jpeg);
    EXPECT_EQ(jpeg.width, 640u) << progressive;
    EXPECT_EQ(jpeg.height, 480u) << progressive;
    EXPECT_EQ(jpeg.pixels(), 640u * 480u);
  }
}

TEST(ImageHeader, APixelBombIsMeasuredFromItsHeader) {
  auto bomb = ocr::read_image_header(png_header_only(30000, 30000));
  EXPECT_EQ(bomb.pixels(), 900'000'000u);
  EXPECT_GT(bomb.pixels(), ocr::kDefaultMaxImagePixels);
  EXPECT_EQ(ocr::describe(bomb), "PNG 30000 x 30000");
}

TEST(ImageHeader, WhatIsNotAnImageWithASizeIsNamed) {
  const auto error = [](const std::string& bytes) {
    try {
      ocr::read_image_header(bytes);
    } catch (const ocr::ImageHeaderError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(error("GIF89a......").find("not a JPEG or PNG"), std::string::npos);
  EXPECT_NE(error("").find("not a JPEG or PNG"), std::string::npos);
  EXPECT_NE(error(png_header_only(100, 0)).find("100 x 0"), std::string::npos);
  EXPECT_NE(error(png_header_only(100, 100).substr(0, 20)).find("cut short"), std::string::npos);
  const std::string jpeg = encode(gray(64, 64), ".jpg");
  // Cut inside the JFIF segment, before the frame header.
  EXPECT_NE(error(jpeg.substr(0, 12)).find("ends before its frame header"), std::string::npos);
  EXPECT_NE(error(std::string("\xFF\xD8\xFF\xDA\x00\x02", 6)).find("no frame header"),
            std::string::npos);
  EXPECT_NE(error(std::string("\xFF\xD8xyz", 5)).find("no marker at byte 2"), std::string::npos);
  EXPECT_NE(error(std::string("\xFF\xD8\xFF\xE0\x00\x01", 6)).find("length below 2"),
            std::string::npos);
  // SOF0 with height 0: the height would come in a DNL marker later.
  EXPECT_NE(error(std::string("\xFF\xD8\xFF\xC0\x00\x0B\x08\x00\x00\x00\x40", 11)).find("DNL"),
            std::string::npos);
}

TEST(ImageHeader, EveryPrefixOfARealPhotoIsSafe) {
  const std::string jpeg = encode(gray(97, 55), ".jpg");
  const std::string png = encode(gray(97, 55), ".png");
  for (const std::string* file : {&jpeg, &png}) {
    for (std::size_t n = 0; n <= 64 && n <= file->size(); ++n) {
      try {
        auto h = ocr::read_image_header(file->substr(0, n));
        EXPECT_EQ(h.width, 97u);
        EXPECT_EQ(h.height, 55u);
      } catch (const ocr::ImageHeaderError&) {
      }
    }
  }
}

TEST(Photo, ALargeJpegIsDecodedSmallerByTheDecoderItself) {
  // 6000 x 5000 = 30 MP, over the reader's 25 MP: decoded at half size.
  cv::Mat big = gray(6000, 5000);
  cv::Mat photo = ocr::decode_photo(encode(big, ".jpg"));
  EXPECT_EQ(photo.cols, 3000);
  EXPECT_EQ(photo.rows, 2500);
  EXPECT_EQ(photo.type(), CV_8U);
  cv::Mat small = ocr::decode_photo(encode(gray(1600, 1200), ".jpg"));
  EXPECT_EQ(small.cols, 1600) << "below the budget: full size";
}

TEST(Photo, AnOversizedPngIsRefusedBeforeDecoding) {
  try {
    ocr::decode_photo(png_header_only(30000, 30000));
    FAIL() << "expected ReadError";
  } catch (const ocr::ReadError& e) {
    EXPECT_EQ(e.kind(), ocr::ReadError::Kind::too_large);
    EXPECT_NE(std::string(e.what()).find("PNG 30000 x 30000"), std::string::npos) << e.what();
  }
  try {
    ocr::decode_photo("not a photo");
    FAIL() << "expected ReadError";
  } catch (const ocr::ReadError& e) {
    EXPECT_EQ(e.kind(), ocr::ReadError::Kind::not_a_form);
  }
  try {
    ocr::decode_photo(png_header_only(640, 480));
    FAIL() << "a header without pixels does not decode";
  } catch (const ocr::ReadError& e) {
    EXPECT_EQ(e.kind(), ocr::ReadError::Kind::not_a_form);
    EXPECT_NE(std::string(e.what()).find("does not decode"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace rekap
