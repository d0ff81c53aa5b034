// Content negotiation of rekap's answers: which Accept-Encoding values allow gzip, and which
// answers are gzipped.
#include <gtest/gtest.h>
#include <zlib.h>

#include "gunzip.hpp"
#include "http/answer.hpp"
#include "http/content_coding.hpp"

namespace rekap {
namespace {

using http::gzip_accepted;

using test::gunzip;

TEST(ContentCoding, GzipIsAcceptedWhenNamedWithAWeightAboveZero) {
  EXPECT_TRUE(gzip_accepted("gzip"));
  EXPECT_TRUE(gzip_accepted("gzip, deflate, br"));
  EXPECT_TRUE(gzip_accepted("br;q=1.0, GZip;q=0.5"));
  EXPECT_TRUE(gzip_accepted("x-gzip"));
  EXPECT_TRUE(gzip_accepted("deflate , gzip ; q=0.001"));
  EXPECT_TRUE(gzip_accepted("*"));
  EXPECT_TRUE(gzip_accepted("identity;q=0.5, *;q=0.1"));
}

TEST(ContentCoding, GzipIsRefusedWithWeightZeroOrWhenNotNamed) {
  EXPECT_FALSE(gzip_accepted(""));
  EXPECT_FALSE(gzip_accepted("identity"));
  EXPECT_FALSE(gzip_accepted("br, deflate"));
  EXPECT_FALSE(gzip_accepted("gzip;q=0"));
  EXPECT_FALSE(gzip_accepted("gzip; Q=0.000"));
  EXPECT_FALSE(gzip_accepted("gzip;q=0, *"));  // named: the star does not bring it back
  EXPECT_FALSE(gzip_accepted("*;q=0"));
  EXPECT_FALSE(gzip_accepted("gzip, gzip;q=0"));  // named twice: the refusal wins
  EXPECT_FALSE(gzip_accepted("gzipped"));
  // Weights that cannot be read do not accept.
  EXPECT_FALSE(gzip_accepted("gzip;q=2"));
  EXPECT_FALSE(gzip_accepted("gzip;q=1.5"));
  EXPECT_FALSE(gzip_accepted("gzip;q=0.1234"));
  EXPECT_FALSE(gzip_accepted("gzip;q=high"));
}

http::Request request(std::string_view accept) {
  http::Request req{http::verb::get, "/api/v1/election", 11};
  if (!accept.empty()) req.set(http::field::accept_encoding, accept);
  return req;
}

http::Response answer(std::string type, std::string body) {
  http::Response res{http::status::ok, 11};
  res.set(http::field::content_type, type);
  res.body() = std::move(body);
  return res;
}

std::string large_json() {
  std::string json = "[";
  for (int i = 0; i < 400; ++i)
    json += "{\"field\":\"suara_sah\",\"value\":" + std::to_string(i) + "},";
  json.back() = ']';
  return json;
}

TEST(ContentCoding, LargeJsonIsGzippedForAClientThatAcceptsIt) {
  std::string json = large_json();
  auto res = answer("application/json", json);
  http::encode_answer(request("gzip, deflate"), res);
  EXPECT_EQ(res[http::field::content_encoding], "gzip");
  EXPECT_EQ(res[http::field::vary], "Accept-Encoding");
  EXPECT_LT(res.body().size(), json.size() / 3);
  EXPECT_EQ(gunzip(res.body()), json);
}

TEST(ContentCoding, IdentityUnlessAcceptedLargeAndText) {
  std::string json = large_json();
  for (std::string_view accept : {"", "gzip;q=0", "br"}) {
    auto res = answer("application/json", json);
    http::encode_answer(request(accept), res);
    EXPECT_EQ(res.count(http::field::content_encoding), 0u) << accept;
    // The answer would be gzipped for another client: caches must know it varies.
    EXPECT_EQ(res[http::field::vary], "Accept-Encoding") << accept;
    EXPECT_EQ(res.body(), json) << accept;
  }
  auto small = answer("application/json", R"({"status":"ok"})");
  http::encode_answer(request("gzip"), small);
  EXPECT_EQ(small.count(http::field::content_encoding), 0u);
  EXPECT_EQ(small.count(http::field::vary), 0u);
  EXPECT_EQ(small.body(), R"({"status":"ok"})");
  std::string photo(4096, '\xff');
  auto image = answer("image/jpeg", photo);
  http::encode_answer(request("gzip"), image);
  EXPECT_EQ(image.count(http::field::content_encoding), 0u);
  EXPECT_EQ(image.body(), photo);
}

TEST(ContentCoding, TheGzipRepresentationHasItsOwnTag) {
  EXPECT_EQ(http::gzip_etag("\"0123abcd\""), "\"0123abcd-gz\"");
}

}  // namespace
}  // namespace rekap
