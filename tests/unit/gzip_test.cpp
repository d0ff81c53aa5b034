#include <gtest/gtest.h>
#include <zlib.h>

#include "server/gzip.hpp"

namespace rekap {
namespace {

std::string gunzip(const std::string& data) {
  z_stream zs{};
  EXPECT_EQ(inflateInit2(&zs, 15 + 16), Z_OK);
  std::string out(1 << 20, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = uInt(data.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = uInt(out.size());
  EXPECT_EQ(inflate(&zs, Z_FINISH), Z_STREAM_END);
  out.resize(zs.total_out);
  inflateEnd(&zs);
  return out;
}

TEST(Gzip, RoundTripsThroughZlibAndHasAGzipHeader) {
  std::string bundle;
  for (int i = 0; i < 2000; ++i)
    bundle += "rekap-statement/1\ntype result\nv suara_sah " + std::to_string(i) + "\n";
  std::string packed = server::gzip(bundle);
  ASSERT_GE(packed.size(), 2u);
  EXPECT_EQ(std::uint8_t(packed[0]), 0x1f);
  EXPECT_EQ(std::uint8_t(packed[1]), 0x8b);
  EXPECT_LT(packed.size(), bundle.size() / 4);
  EXPECT_EQ(gunzip(packed), bundle);
  EXPECT_EQ(gunzip(server::gzip("")), "");
}

}  // namespace
}  // namespace rekap
