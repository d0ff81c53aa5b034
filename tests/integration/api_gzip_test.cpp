// rekap's JSON API gzips what is worth it for a client that accepts gzip: the same JSON once
// decompressed, identity for everyone else (q=0 included) and for small answers, a tag of its
// own for the gzipped representation, and Vary: Accept-Encoding.
#include <gtest/gtest.h>
#include <zlib.h>

#include <chrono>
#include <thread>

#include "client/http_client.hpp"
#include "gunzip.hpp"
#include "server_process.hpp"
#include "sim/run.hpp"

namespace rekap {
namespace {

using test::gunzip;

class ApiGzip : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    crypto_init();
    election = new test::Election();
    server = new test::ServerProcess(*election);
    SecretKey admin = read_secret_key(election->admin_key);
    sim::Plan plan = sim::plan_election(election->def, admin, 1);
    HttpClient client(Url::parse(server->url()));
    for (const auto& s : plan.enrolments) {
      ASSERT_EQ(client.request("POST", "/api/v1/statements", sim::request_body(s)).status, 200);
    }
    for (const auto& s : plan.results) {
      ASSERT_EQ(client.request("POST", "/api/v1/statements", sim::request_body(s)).status, 200);
    }
    // TPS documents carry the latest checkpoint: wait until it covers every statement, so that
    // two requests in a row see the same document.
    std::string size = std::to_string(1 + plan.enrolments.size() + plan.results.size());
    for (int i = 0; i < 200; ++i) {
      auto cp = client.get("/log/checkpoint").body;
      if (cp.find("\n" + size + "\n") != std::string::npos) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
  static void TearDownTestSuite() {
    delete server;
    delete election;
  }
  HttpResult get(const std::string& path, const HttpHeaders& headers) {
    return HttpClient(Url::parse(server->url())).request("GET", path, "", "", headers);
  }

  static test::Election* election;
  static test::ServerProcess* server;
};

test::Election* ApiGzip::election = nullptr;
test::ServerProcess* ApiGzip::server = nullptr;

TEST_F(ApiGzip, LargeDocumentsGoGzippedToClientsThatAcceptIt) {
  // A cached results document, a TPS document and a contest rendered per request.
  std::string tps = election->def.tps[0].code;
  for (const std::string& path :
       std::vector<std::string>{"/api/v1/results/ppwp", "/api/v1/results/pdpr/" + tps.substr(0, 6),
                                "/api/v1/tps/" + tps, "/api/v1/contests/ppwp"}) {
    auto plain = get(path, {});
    ASSERT_EQ(plain.status, 200) << path;
    ASSERT_GE(plain.body.size(), 1024u) << path << " is too small to test here";
    EXPECT_EQ(plain.header("content-encoding"), "") << path;
    EXPECT_EQ(plain.header("vary"), "Accept-Encoding") << path;
    auto packed = get(path, {{"Accept-Encoding", "gzip, deflate, br"}});
    ASSERT_EQ(packed.status, 200) << path;
    EXPECT_EQ(packed.header("content-encoding"), "gzip") << path;
    EXPECT_EQ(packed.header("vary"), "Accept-Encoding") << path;
    EXPECT_EQ(packed.header("content-type"), "application/json") << path;
    EXPECT_LT(packed.body.size(), plain.body.size()) << path;
    EXPECT_EQ(gunzip(packed.body), plain.body) << path;
    // Refused by weight: identity.
    auto refused = get(path, {{"Accept-Encoding", "br, gzip;q=0"}});
    EXPECT_EQ(refused.header("content-encoding"), "") << path;
    EXPECT_EQ(refused.body, plain.body) << path;
  }
}

TEST_F(ApiGzip, SmallAnswersStayIdentity) {
  auto health = get("/api/v1/health", {{"Accept-Encoding", "gzip"}});
  ASSERT_EQ(health.status, 200);
  ASSERT_LT(health.body.size(), 1024u);
  EXPECT_EQ(health.header("content-encoding"), "");
  EXPECT_EQ(health.body.substr(0, 1), "{");
  auto missing = get("/api/v1/regions/77", {{"Accept-Encoding", "gzip"}});
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.header("content-encoding"), "");
}

TEST_F(ApiGzip, TheGzippedRepresentationHasItsOwnTag) {
  const HttpHeaders gzip = {{"Accept-Encoding", "gzip"}};
  auto plain = get("/api/v1/results/ppwp", {});
  auto packed = get("/api/v1/results/ppwp", gzip);
  std::string tag = plain.header("etag"), gz_tag = packed.header("etag");
  ASSERT_FALSE(tag.empty());
  EXPECT_NE(tag, gz_tag);
  HttpHeaders revalidate = gzip;
  revalidate.emplace_back("If-None-Match", gz_tag);
  EXPECT_EQ(get("/api/v1/results/ppwp", revalidate).status, 304);
  // The identity tag does not validate the gzipped representation, nor the other way round.
  revalidate.back().second = tag;
  EXPECT_EQ(get("/api/v1/results/ppwp", revalidate).status, 200);
  EXPECT_EQ(get("/api/v1/results/ppwp", {{"If-None-Match", gz_tag}}).status, 200);
  EXPECT_EQ(get("/api/v1/results/ppwp", {{"If-None-Match", tag}}).status, 304);
}

}  // namespace
}  // namespace rekap
