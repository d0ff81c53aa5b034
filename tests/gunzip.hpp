#pragma once
// The inverse of what the server sends with Content-Encoding: gzip, for tests to compare bodies.
#include <gtest/gtest.h>
#include <zlib.h>

#include <string>

namespace rekap::test {

inline std::string gunzip(const std::string& data) {
  z_stream zs{};
  EXPECT_EQ(inflateInit2(&zs, 15 + 16), Z_OK);
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = uInt(data.size());
  std::string out;
  int rc;
  do {
    char chunk[1 << 16];
    zs.next_out = reinterpret_cast<Bytef*>(chunk);
    zs.avail_out = sizeof chunk;
    rc = inflate(&zs, Z_NO_FLUSH);
    out.append(chunk, sizeof chunk - zs.avail_out);
  } while (rc == Z_OK);
  EXPECT_EQ(rc, Z_STREAM_END) << "not a whole gzip stream";
  inflateEnd(&zs);
  return out;
}

}  // namespace rekap::test
