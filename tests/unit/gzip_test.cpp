#include <gtest/gtest.h>
#include <zlib.h>

#include "gunzip.hpp"
#include "util/gzip.hpp"

namespace rekap {
namespace {

using test::gunzip;

TEST(Gzip, RoundTripsThroughZlibAndHasAGzipHeader) {
  std::string bundle;
  for (int i = 0; i < 2000; ++i)
    bundle += "rekap-statement/1\ntype result\nv suara_sah " + std::to_string(i) + "\n";
  std::string packed = gzip(bundle);
  ASSERT_GE(packed.size(), 2u);
  EXPECT_EQ(std::uint8_t(packed[0]), 0x1f);
  EXPECT_EQ(std::uint8_t(packed[1]), 0x8b);
  EXPECT_LT(packed.size(), bundle.size() / 4);
  EXPECT_EQ(gunzip(packed), bundle);
  EXPECT_EQ(gunzip(gzip("")), "");
}

}  // namespace
}  // namespace rekap
