// One table of media types (http/media_type.hpp): by name for published and portal files, by
// leading bytes for photos.
#include <gtest/gtest.h>

#include "http/media_type.hpp"

namespace rekap {
namespace {

TEST(MediaType, ByName) {
  EXPECT_EQ(http::media_type_of_name("/index.html"), "text/html; charset=utf-8");
  EXPECT_EQ(http::media_type_of_name("assets/app.js"), "text/javascript; charset=utf-8");
  EXPECT_EQ(http::media_type_of_name("/data/ppwp.csv"), "text/csv; charset=utf-8");
  EXPECT_EQ(http::media_type_of_name("/data/ppwp.csv.gz"), "application/gzip");
  EXPECT_EQ(http::media_type_of_name("/data/2024-02-15/SHA256SUMS"), "text/plain; charset=utf-8");
  EXPECT_EQ(http::media_type_of_name("/pemilu/hhcw/ppwp.json"), "application/json");
  EXPECT_EQ(http::media_type_of_name("/manifest.webmanifest"), "application/manifest+json");
  EXPECT_EQ(http::media_type_of_name("/a.dir/noext"), "application/octet-stream");
  EXPECT_EQ(http::media_type_of_name("/x.exe"), "application/octet-stream");
}

TEST(MediaType, ImagesByTheirBytes) {
  EXPECT_EQ(http::media_type_of_image("\xff\xd8\xff\xe0rest"), "image/jpeg");
  EXPECT_EQ(http::media_type_of_image("\x89PNG\r\n"), "image/png");
  EXPECT_EQ(http::media_type_of_image("GIF89a"), "application/octet-stream");
  EXPECT_EQ(http::media_type_of_image(""), "application/octet-stream");
}

}  // namespace
}  // namespace rekap
