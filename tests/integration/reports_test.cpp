// "Laporkan" against a real server: reports stored, listed and counted, refused with a clear
// error for each kind of bad input, held to the limits per client and per TPS (429 with
// Retry-After), refused as duplicates, published for mirrors, and kept across a restart. The
// server trusts 127.0.0.1 as a reverse proxy, so each test speaks for clients of its own
// through X-Forwarded-For.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>

#include "client/http_client.hpp"
#include "crypto/encoding.hpp"
#include "server_process.hpp"
#include "sim/run.hpp"
#include "util/files.hpp"

namespace rekap {
namespace {

namespace json = boost::json;

constexpr int kPerMinute = 3;
constexpr int kPerTpsHour = 4;

class Reports : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    crypto_init();
    election = new test::Election();
    server = new test::ServerProcess(*election, server_args());
    SecretKey admin = read_secret_key(election->admin_key);
    plan = new sim::Plan(sim::plan_election(election->def, admin, 1));
    HttpClient client(Url::parse(server->url()));
    for (const auto& s : plan->enrolments) {
      ASSERT_EQ(client.request("POST", "/api/v1/statements", sim::request_body(s)).status, 200);
    }
    ASSERT_EQ(
        client.request("POST", "/api/v1/statements", sim::request_body(plan->results[0])).status,
        200);
  }
  static void TearDownTestSuite() {
    delete plan;
    delete server;
    delete election;
  }
  static std::vector<std::string> server_args() {
    return {"--trust-proxy", "127.0.0.1", "--report-minute",   std::to_string(kPerMinute),
            "--report-day",  "10",        "--report-tps-hour", std::to_string(kPerTpsHour)};
  }

  void SetUp() override { client = std::make_unique<HttpClient>(Url::parse(server->url())); }

  // A report sent for the client at `address`.
  HttpResult send(const std::string& address, const json::object& report) {
    return client->request("POST", "/api/v1/reports", json::serialize(report), "application/json",
                           {{"X-Forwarded-For", address}});
  }
  json::object report(const std::string& tps, const std::string& text,
                      const std::string& ballot = "ppwp") {
    return {{"tps", tps}, {"ballot", ballot}, {"text", text}};
  }
  json::value get(const std::string& path) {
    auto r = client->get(path);
    EXPECT_EQ(r.status, 200) << path << ": " << r.body;
    return json::parse(r.body);
  }
  std::uint64_t total(const std::string& code) {
    return get("/api/v1/reports/" + code).at("total").to_number<std::uint64_t>();
  }
  // The i-th TPS of the election.
  static const std::string& tps(std::size_t i) { return election->def.tps.at(i).code; }

  static test::Election* election;
  static test::ServerProcess* server;
  static sim::Plan* plan;
  std::unique_ptr<HttpClient> client;
};

test::Election* Reports::election = nullptr;
test::ServerProcess* Reports::server = nullptr;
sim::Plan* Reports::plan = nullptr;

TEST_F(Reports, AReportIsStoredListedCountedAndPublished) {
  const SignedStatement& result = plan->results[0];
  const std::string& code = result.statement.tps;
  std::string ballot(ballot_id(result.statement.ballot));
  json::object r = report(code, "Suara sah di foto 117, di situs 617.", ballot);
  r["fields"] = json::array{"suara_sah"};
  r["statement"] = to_hex(result.id);
  auto sent = send("198.51.100.1", r);
  ASSERT_EQ(sent.status, 201) << sent.body;
  json::value answer = json::parse(sent.body);
  EXPECT_EQ(answer.at("status"), "stored");
  std::uint64_t id = answer.at("id").to_number<std::uint64_t>();
  EXPECT_GE(id, 1u);
  EXPECT_EQ(answer.at("tps_total"), 1);

  json::value doc = get("/api/v1/reports/" + code);
  EXPECT_EQ(doc.at("tps").as_string(), code);
  EXPECT_EQ(doc.at("total"), 1);
  EXPECT_EQ(doc.at("ballots").at(ballot).at("total"), 1);
  EXPECT_EQ(doc.at("ballots").at(ballot).at("fields").at("suara_sah"), 1);
  const json::value& shown = doc.at("reports").at(0);
  EXPECT_EQ(shown.at("id"), id);
  EXPECT_EQ(shown.at("text"), "Suara sah di foto 117, di situs 617.");
  EXPECT_EQ(shown.at("statement").as_string(), to_hex(result.id));
  EXPECT_EQ(shown.at("fields"), (json::array{"suara_sah"}));
  // The address is never published.
  EXPECT_EQ(json::serialize(doc).find("198.51.100"), std::string::npos);

  // The nation and the province count it; the TPS is among those with the most reports.
  json::value nation = get("/api/v1/reports");
  EXPECT_GE(nation.at("total").to_number<int>(), 1);
  bool listed = false;
  for (const auto& t : nation.at("top_tps").as_array()) listed |= t.at("code").as_string() == code;
  EXPECT_TRUE(listed);
  json::value province = get("/api/v1/reports/" + code.substr(0, 2));
  EXPECT_EQ(province.at("level"), "provinsi");
  EXPECT_GE(province.at("ballots").at(ballot).to_number<int>(), 1);
  EXPECT_EQ(client->get("/api/v1/reports/1234567").status, 404);

  // Published beside the other documents, for a mirror.
  std::string file = election->data_dir + "/publish/api/v1/reports/" + code + ".json";
  auto published = read_file(file);
  ASSERT_TRUE(published) << file;
  EXPECT_EQ(json::parse(*published), doc);
}

TEST_F(Reports, EachBadInputGetsItsOwnError) {
  struct Case {
    std::string body;
    int status;
    std::string error;
    std::string field;
  };
  std::string code = tps(1);
  auto with = [&](const char* key, json::value v) {
    json::object r = report(code, "Angka di foto berbeda dengan situs.");
    r[key] = std::move(v);
    return json::serialize(r);
  };
  std::vector<Case> cases = {
      {"{not json", 400, "malformed_json", ""},
      {"[]", 400, "malformed_request", ""},
      {R"({"ballot":"ppwp","text":"Angka di foto berbeda."})", 400, "malformed_request", "tps"},
      {with("email", "a@b.c"), 400, "unexpected_member", "email"},
      {with("tps", "9999999999999"), 422, "unknown_tps", "tps"},
      {with("ballot", "pilkada"), 422, "unknown_ballot", "ballot"},
      {with("fields", json::array{"suara_sah", "no_such_field"}), 422, "unknown_field",
       "fields[1]"},
      {with("text", "pendek"), 422, "text_too_short", "text"},
      {with("text", json::string(1001, 'x')), 422, "text_too_long", "text"},
      {with("text", "teks dengan \x1b[31m warna terminal"), 422, "control_character", "text"},
      {with("statement", "xyz"), 400, "bad_hash", "statement"},
      {with("statement", json::string(to_hex(sha256("never stored")))), 422, "unknown_statement",
       "statement"},
      {with("image", json::string(to_hex(sha256("never uploaded")))), 422, "unknown_image",
       "image"},
  };
  for (const Case& c : cases) {
    auto r = client->request("POST", "/api/v1/reports", c.body, "application/json",
                             {{"X-Forwarded-For", "198.51.100.2"}});
    EXPECT_EQ(r.status, c.status) << c.body << " -> " << r.body;
    json::value got = json::parse(r.body);
    EXPECT_EQ(got.at("error").as_string(), c.error) << c.body;
    EXPECT_EQ(got.as_object().contains("field") ? got.at("field").as_string() : "", c.field)
        << c.body;
    EXPECT_FALSE(got.at("message").as_string().empty());
  }
  auto large = client->request("POST", "/api/v1/reports", std::string(20000, ' '));
  EXPECT_EQ(large.status, 413);
  // Nothing was stored, and refusals count against no limit: this client may still report.
  std::uint64_t before = total(code);
  EXPECT_EQ(send("198.51.100.2", report(code, "Angka di foto berbeda dengan situs.")).status, 201);
  EXPECT_EQ(total(code), before + 1);
}

TEST_F(Reports, AClientOverItsLimitGets429WithRetryAfter) {
  const std::string client_address = "203.0.113.9";
  std::uint64_t before = total(tps(6));
  for (int i = 0; i < kPerMinute; ++i) {
    auto r = send(client_address, report(tps(2 + i), "Laporan nomor " + std::to_string(i) +
                                                         ": angka tidak sesuai foto."));
    ASSERT_EQ(r.status, 201) << r.body;
  }
  auto refused = send(client_address, report(tps(6), "Laporan keempat: angka tidak sesuai foto."));
  ASSERT_EQ(refused.status, 429) << refused.body;
  int retry = std::stoi(refused.header("retry-after"));
  EXPECT_GE(retry, 1);
  EXPECT_LE(retry, 60);
  json::value body = json::parse(refused.body);
  EXPECT_EQ(body.at("error"), "rate_limited");
  EXPECT_EQ(body.at("retry_after"), retry);
  EXPECT_NE(body.at("message").as_string().find("a minute"), std::string::npos);
  // Nothing of it was stored; another client is not held back.
  EXPECT_EQ(total(tps(6)), before);
  EXPECT_EQ(send("203.0.113.10", report(tps(6), "Laporan dari orang lain: angka salah.")).status,
            201);
}

TEST_F(Reports, OneTpsCannotBeFlooded) {
  const std::string code = tps(7);
  ASSERT_EQ(total(code), 0u) << "a TPS no other test reports on";
  for (int i = 0; i < kPerTpsHour; ++i) {
    auto r = send("192.0.2." + std::to_string(i + 1),
                  report(code, "Warga ke-" + std::to_string(i) + " melihat angka berbeda."));
    ASSERT_EQ(r.status, 201) << r.body;
  }
  auto refused = send("192.0.2.99", report(code, "Warga lain lagi melihat angka berbeda."));
  ASSERT_EQ(refused.status, 429) << refused.body;
  EXPECT_GE(std::stoi(refused.header("retry-after")), 1);
  EXPECT_NE(json::parse(refused.body).at("message").as_string().find(code), std::string::npos);
  EXPECT_EQ(total(code), std::uint64_t(kPerTpsHour));
}

TEST_F(Reports, TheSameTextFromTheSameClientIsADuplicate) {
  const std::string code = tps(8);
  std::uint64_t before = total(code);
  json::object r = report(code, "Jumlah suara tidak sah di foto 12, di situs 21.");
  ASSERT_EQ(send("198.51.100.30", r).status, 201);
  // White space around it does not make it another text.
  r["text"] = "  Jumlah suara tidak sah di foto 12, di situs 21.\n";
  auto again = send("198.51.100.30", r);
  EXPECT_EQ(again.status, 409) << again.body;
  EXPECT_EQ(json::parse(again.body).at("error"), "duplicate");
  // Someone else may say the same.
  EXPECT_EQ(send("198.51.100.31", r).status, 201);
  EXPECT_EQ(total(code), before + 2);
}

TEST_F(Reports, ReportsSurviveARestart) {
  const std::string code = tps(9);
  auto sent = send("198.51.100.40", report(code, "Foto halaman dua buram, angka tidak terbaca."));
  ASSERT_EQ(sent.status, 201) << sent.body;
  json::value before = get("/api/v1/reports/" + code);
  json::value nation = get("/api/v1/reports");
  ASSERT_EQ(server->stop(), 0);
  delete server;
  server = new test::ServerProcess(*election, server_args());
  client = std::make_unique<HttpClient>(Url::parse(server->url()));
  EXPECT_EQ(get("/api/v1/reports/" + code), before);
  EXPECT_EQ(get("/api/v1/reports").at("total"), nation.at("total"));
  // Ids go on from where they were.
  auto next = send("198.51.100.41", report(code, "Laporan sesudah server dimulai ulang."));
  ASSERT_EQ(next.status, 201);
  EXPECT_EQ(json::parse(next.body).at("id").to_number<std::uint64_t>(),
            json::parse(sent.body).at("id").to_number<std::uint64_t>() + 1);
}

}  // namespace
}  // namespace rekap
