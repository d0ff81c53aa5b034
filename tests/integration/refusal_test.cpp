// Bad input against a real server: each refused with a clear error, nothing accepted before is
// lost, and the totals do not move.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <chrono>
#include <opencv2/imgcodecs.hpp>

#include "client/http_client.hpp"
#include "crypto/encoding.hpp"
#include "server_process.hpp"
#include "sim/run.hpp"

namespace rekap {
namespace {

namespace json = boost::json;

class Refusal : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    crypto_init();
    election = new test::Election();
    server = new test::ServerProcess(*election);
    admin = new SecretKey(read_secret_key(election->admin_key));
    plan = new sim::Plan(sim::plan_election(election->def, *admin, 1));
    HttpClient client(Url::parse(server->url()));
    for (const auto& s : plan->enrolments) {
      ASSERT_EQ(client.request("POST", "/api/v1/statements", sim::request_body(s)).status, 200);
    }
    // Half of the results are in before the bad input starts.
    for (std::size_t i = 0; i < plan->results.size(); i += 2) {
      ASSERT_EQ(
          client.request("POST", "/api/v1/statements", sim::request_body(plan->results[i])).status,
          200);
    }
  }
  static void TearDownTestSuite() {
    delete plan;
    delete admin;
    delete server;
    delete election;
  }

  void SetUp() override {
    client = std::make_unique<HttpClient>(Url::parse(server->url()));
    before = snapshot();
  }
  void TearDown() override { EXPECT_EQ(snapshot(), before) << "the totals moved"; }

  std::string snapshot() {
    std::string all;
    for (const char* b : {"ppwp", "pdpr", "pdpd", "pdprdp", "pdprdk"})
      all += client->get(std::string("/api/v1/results/") + b).body;
    return all + client->get("/api/v1/health").body.substr(0, 0);
  }
  HttpResult post(const std::string& body) {
    return client->request("POST", "/api/v1/statements", body);
  }
  json::value body_of(const HttpResult& r) { return json::parse(r.body); }
  // An unsent result (odd index) re-signed by `key`, optionally changed first.
  SignedStatement unsent(const SecretKey& key, const std::function<void(Statement&)>& change = {}) {
    Statement st = plan->results[1].statement;
    if (change) change(st);
    return SignedStatement::sign(st, key);
  }
  const Tps& tps_of(std::size_t result) {
    return election->def.tps[election->def.find_tps(plan->results[result].statement.tps)];
  }

  static test::Election* election;
  static test::ServerProcess* server;
  static SecretKey* admin;
  static sim::Plan* plan;
  std::unique_ptr<HttpClient> client;
  std::string before;
};

test::Election* Refusal::election = nullptr;
test::ServerProcess* Refusal::server = nullptr;
SecretKey* Refusal::admin = nullptr;
sim::Plan* Refusal::plan = nullptr;

TEST_F(Refusal, WrongKey) {
  SecretKey stranger = SecretKey::from_seed(sha256("not enrolled"));
  auto r = post(sim::request_body(unsent(stranger)));
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(body_of(r).at("error").as_string(), "unknown_signer");
}

TEST_F(Refusal, KeyOfAnotherTps) {
  const Tps& own = tps_of(1);
  std::string other;
  for (const Tps& t : election->def.tps) {
    if (t.code != own.code) other = t.code;
  }
  SecretKey other_key = sim::device_key(election->def.election_id, other, 1);
  auto r = post(sim::request_body(unsent(other_key)));
  EXPECT_EQ(r.status, 403);
  auto b = body_of(r);
  EXPECT_EQ(b.at("error").as_string(), "out_of_scope");
  EXPECT_NE(std::string(b.at("message").as_string()).find(own.code), std::string::npos);
}

TEST_F(Refusal, ReplayIsIdempotent) {
  auto first = plan->results[0];
  auto r = post(sim::request_body(first));
  EXPECT_EQ(r.status, 200);
  auto again = post(sim::request_body(first));
  EXPECT_EQ(again.body, r.body) << "the same answer";
  EXPECT_EQ(body_of(r).at("id").as_string(), to_hex(first.id));
}

TEST_F(Refusal, ReplayOfAnOlderRevisionIsStale) {
  // rev 2 of a sent result is accepted elsewhere... here: rev 1 again with other numbers.
  Statement st = plan->results[0].statement;
  st.time = "2024-02-14T23:00:00Z";
  SecretKey key = sim::device_key(election->def.election_id, st.tps, 1);
  auto r = post(sim::request_body(SignedStatement::sign(st, key)));
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(body_of(r).at("error").as_string(), "stale_rev");
}

TEST_F(Refusal, StatementFromAnotherElection) {
  SecretKey key = sim::device_key(election->def.election_id, plan->results[1].statement.tps, 1);
  auto r = post(sim::request_body(unsent(key, [](Statement& s) { s.election = "pemilu-lain"; })));
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(body_of(r).at("error").as_string(), "wrong_election");
}

TEST_F(Refusal, BrokenArithmeticListsEveryRule) {
  SecretKey key = sim::device_key(election->def.election_id, plan->results[1].statement.tps, 1);
  auto r = post(sim::request_body(unsent(key, [](Statement& s) {
    for (auto& [name, value] : s.values) {
      if (name == "suara_sah") value += 500;  // 117 read as 617
    }
  })));
  EXPECT_EQ(r.status, 422);
  auto b = body_of(r);
  EXPECT_EQ(b.at("error").as_string(), "validation");
  std::set<std::string> rules;
  for (const auto& v : b.at("violations").as_array()) {
    rules.insert(std::string(v.at("rule").as_string()));
    EXPECT_TRUE(v.as_object().contains("field") && v.as_object().contains("expected") &&
                v.as_object().contains("got"));
  }
  EXPECT_TRUE(rules.count("votes_sum") && rules.count("valid_invalid") && rules.count("bounds"))
      << r.body;
}

TEST_F(Refusal, MalformedBodies) {
  auto r = post("{not json");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(body_of(r).at("error").as_string(), "malformed_json");
  r = post(R"({"statement": 5})");
  EXPECT_EQ(body_of(r).at("error").as_string(), "malformed_request");
  r = post(R"({"statement": "hello\n", "signature": "AAAA"})");
  EXPECT_EQ(body_of(r).at("error").as_string(), "malformed_signature");
  SignedStatement s = plan->results[1];
  std::string text = s.body;
  text.insert(text.find("rev "), "extra line\n");
  r = post(
      json::serialize(json::object{{"statement", text}, {"signature", to_base64(s.signature)}}));
  EXPECT_EQ(r.status, 400);
  auto b = body_of(r);
  EXPECT_EQ(b.at("error").as_string(), "malformed_statement");
  EXPECT_NE(std::string(b.at("message").as_string()).find("line 8"), std::string::npos) << r.body;
  // A valid statement whose signature is for other bytes.
  text = s.body;
  text.replace(text.find("rev 1"), 5, "rev 9");
  r = post(
      json::serialize(json::object{{"statement", text}, {"signature", to_base64(s.signature)}}));
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(body_of(r).at("error").as_string(), "bad_signature");
}

// A lenient parser would take the last "statement": the real one, not the one shown first.
TEST_F(Refusal, RepeatedOrUnknownMembersAndTrailingData) {
  const SignedStatement& s = plan->results[1];
  const std::string real = json::serialize(json::string(s.body));
  const std::string sig = "\"" + to_base64(s.signature) + "\"";
  auto r = post(R"({"statement": "x", "statement": )" + real + R"(, "signature": )" + sig + "}");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(body_of(r).at("error").as_string(), "duplicate_member");
  EXPECT_EQ(body_of(r).at("message").as_string(), "member statement appears more than once");
  r = post(R"({"statement": )" + real + R"(, "signature": )" + sig + R"(, "note": "hi"})");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(body_of(r).at("error").as_string(), "unexpected_member");
  r = post(R"({"statement": )" + real + R"(, "signature": )" + sig + "} {}");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(body_of(r).at("error").as_string(), "malformed_json");
}

TEST_F(Refusal, OversizedBody) {
  std::string huge(300 * 1024, 'x');
  auto r = post(R"({"statement": ")" + huge + R"(", "signature": ""})");
  EXPECT_EQ(r.status, 413);
  EXPECT_EQ(body_of(r).at("error").as_string(), "too_large");
}

// A small real JPEG.
std::string jpeg_photo() {
  std::vector<unsigned char> out;
  cv::imencode(".jpg", cv::Mat(48, 64, CV_8U, cv::Scalar(128)), out);
  return {out.begin(), out.end()};
}

// The signature and IHDR chunk of a PNG of 30000 x 30000 pixels: 33 bytes that would decode to
// 900 million pixels.
std::string pixel_bomb() {
  std::string b("\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR\0\0\x75\x30\0\0\x75\x30\x08\0\0\0\0\0\0\0\0", 33);
  return b;
}

TEST_F(Refusal, PhotosAreCheckedFromTheirHeaderBeforeTheyAreStored) {
  const std::string bomb = pixel_bomb();
  const auto started = std::chrono::steady_clock::now();
  auto r = client->request("PUT", "/api/v1/images/" + to_hex(sha256(bomb)), bomb, "image/png");
  const auto took = std::chrono::steady_clock::now() - started;
  EXPECT_EQ(r.status, 413);
  EXPECT_EQ(body_of(r).at("error").as_string(), "image_too_large");
  const std::string message(body_of(r).at("message").as_string());
  EXPECT_NE(message.find("PNG 30000 x 30000 = 900000000 pixels"), std::string::npos) << message;
  EXPECT_NE(message.find("the limit is 200000000"), std::string::npos) << message;
  EXPECT_LT(took, std::chrono::seconds(2)) << "refused from its 33 bytes, never decoded";
  EXPECT_EQ(client->get("/api/v1/images/" + to_hex(sha256(bomb))).status, 404);

  const std::string text = "not a photo";
  r = client->request("PUT", "/api/v1/images/" + to_hex(sha256(text)), text, "image/jpeg");
  EXPECT_EQ(r.status, 415);
  EXPECT_EQ(body_of(r).at("error").as_string(), "not_an_image");
  EXPECT_EQ(client->get("/api/v1/images/" + to_hex(sha256(text))).status, 404);

  const std::string photo = jpeg_photo();
  r = client->request("PUT", "/api/v1/images/" + to_hex(sha256(photo)), photo, "image/jpeg");
  EXPECT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(client->get("/api/v1/images/" + to_hex(sha256(photo))).body, photo);
}

TEST_F(Refusal, BadImageHash) {
  std::string photo = jpeg_photo();
  Hash32 wrong = sha256("something else");
  auto r = client->request("PUT", "/api/v1/images/" + to_hex(wrong), photo, "image/jpeg");
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(body_of(r).at("error").as_string(), "hash_mismatch");
  EXPECT_EQ(client->get("/api/v1/images/" + to_hex(wrong)).status, 404);
  r = client->request("PUT", "/api/v1/images/not-a-hash", photo, "image/jpeg");
  EXPECT_EQ(r.status, 400);
  // A result naming a photo that was never uploaded.
  SecretKey key = sim::device_key(election->def.election_id, plan->results[1].statement.tps, 1);
  r = post(sim::request_body(unsent(key, [&](Statement& s) { s.images = {wrong}; })));
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(body_of(r).at("error").as_string(), "missing_image");
}

TEST_F(Refusal, UnknownPathsAndMethods) {
  EXPECT_EQ(client->get("/api/v1/").status, 404);
  EXPECT_EQ(client->get("/api/v1").status, 404);
  EXPECT_EQ(client->get("/api/v1/health").status, 200) << "the server is still up";
  EXPECT_EQ(client->get("/api/v1/results/dpr").status, 404);
  EXPECT_EQ(client->get("/api/v1/results/ppwp/99999").status, 404);
  EXPECT_EQ(client->get("/api/v1/tps/0000000000000").status, 404);
  EXPECT_EQ(client->request("DELETE", "/api/v1/statements").status, 405);
}

}  // namespace
}  // namespace rekap
