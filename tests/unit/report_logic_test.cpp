// "Laporkan": the pure parts — reading and checking a report, the rate limits, the duplicate
// memory, and who a request comes from behind a proxy.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "crypto/encoding.hpp"
#include "http/client_address.hpp"
#include "reports/rate_limiter.hpp"
#include "reports/recent_keys.hpp"
#include "reports/request.hpp"
#include "reports/views.hpp"
#include "test_election.hpp"

namespace rekap {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;
using reports::ReportRefused;

const std::string kTps = "3171011001001";
const std::string kText = "Foto C1 menulis 117 untuk pasangan 1, situs menampilkan 617.";

std::string body(json::object members) {
  json::object base{{"tps", kTps}, {"ballot", "ppwp"}, {"text", kText}};
  for (auto& [k, v] : members) base[k] = v;
  return json::serialize(base);
}

// The refusal a body gets: "code member status".
std::string refusal(std::string_view text) {
  try {
    reports::parse_report(text, test::election());
  } catch (const ReportRefused& e) {
    return e.code() + " " + e.member() + " " + std::to_string(e.status());
  }
  return "accepted";
}

TEST(ReportRequest, ReadsAReportWithFieldsAndEvidence) {
  Hash32 id = sha256("statement"), photo = sha256("photo");
  Report r = reports::parse_report(
      body({{"ballot", "pdpr"},
            {"fields", json::array{"p1c2", "suara_sah"}},
            {"text", "  \r\nAngka di foto 86, di situs 886.\r\nMohon diperiksa.\n "},
            {"statement", to_hex(id)},
            {"image", to_hex(photo)}}),
      test::election());
  EXPECT_EQ(r.tps, kTps);
  EXPECT_EQ(r.ballot, int(Ballot::pdpr));
  EXPECT_EQ(r.fields, (std::vector<std::string>{"p1c2", "suara_sah"}));
  EXPECT_EQ(r.text, "Angka di foto 86, di situs 886.\nMohon diperiksa.");
  EXPECT_EQ(r.statement, id);
  EXPECT_EQ(r.image, photo);
  EXPECT_EQ(r.id, 0u);
  Report plain = reports::parse_report(body({}), test::election());
  EXPECT_TRUE(plain.fields.empty());
  EXPECT_FALSE(plain.statement);
  EXPECT_FALSE(plain.image);
}

TEST(ReportRequest, EachBadInputIsRefusedNamingItsMember) {
  EXPECT_EQ(refusal("not json"), "malformed_json  400");
  EXPECT_EQ(refusal("[1,2]"), "malformed_request  400");
  EXPECT_EQ(refusal(R"({"ballot":"ppwp","text":"cukup panjang teksnya"})"),
            "malformed_request tps 400");
  EXPECT_EQ(refusal(body({{"tps", 3171011001001}})), "malformed_request tps 400");
  EXPECT_EQ(refusal(body({{"name", "Budi"}})), "unexpected_member name 400");
  EXPECT_EQ(refusal(body({{"tps", "3171011001009"}})), "unknown_tps tps 422");
  EXPECT_EQ(refusal(body({{"tps", "3171011001"}})), "unknown_tps tps 422");
  EXPECT_EQ(refusal(body({{"ballot", "dprd"}})), "unknown_ballot ballot 422");
  EXPECT_EQ(refusal(body({{"fields", "suara_sah"}})), "malformed_request fields 400");
  EXPECT_EQ(refusal(body({{"fields", json::array{"suara_sah", 7}}})),
            "malformed_request fields[1] 400");
  EXPECT_EQ(refusal(body({{"fields", json::array{"suara_sah", "p1c1"}}})),
            "unknown_field fields[1] 422");  // a party field on the president's form
  EXPECT_EQ(refusal(body({{"fields", json::array{"c1", "c1"}}})), "repeated_field fields[1] 422");
  json::array eleven;
  for (int i = 0; i < 11; ++i) eleven.push_back(json::value("c1"));
  EXPECT_EQ(refusal(body({{"fields", eleven}})), "too_many_fields fields 422");
  EXPECT_EQ(refusal(body({{"text", "salah"}})), "text_too_short text 422");
  EXPECT_EQ(refusal(body({{"text", "          \n\n   x  "}})), "text_too_short text 422");
  EXPECT_EQ(refusal(body({{"text", std::string(1001, 'a')}})), "text_too_long text 422");
  EXPECT_EQ(refusal(body({{"text", "bel berbunyi \a di sini"}})), "control_character text 422");
  EXPECT_EQ(refusal(body({{"text", std::string("nol \0 di tengah teks", 20)}})),
            "control_character text 422");
  // A right-to-left override would make the public text read as other than it is.
  EXPECT_EQ(refusal(body({{"text", "angka \u202e716 ditampilkan"}})), "control_character text 422");
  EXPECT_EQ(refusal(body({{"statement", "abc"}})), "bad_hash statement 400");
  EXPECT_EQ(refusal(body({{"image", std::string(64, 'A')}})), "bad_hash image 400");
}

TEST(ReportRequest, TextLengthCountsCharactersNotBytes) {
  // 1000 characters of two bytes each: accepted; one more: refused.
  std::string thousand;
  for (int i = 0; i < 1000; ++i) thousand += "é";
  EXPECT_EQ(reports::parse_report(body({{"text", thousand}}), test::election()).text, thousand);
  EXPECT_EQ(refusal(body({{"text", thousand + "é"}})), "text_too_long text 422");
  try {
    reports::parse_report(body({{"text", "ada bunyi \x07 di sini"}}), test::election());
    FAIL() << "accepted";
  } catch (const ReportRefused& e) {
    EXPECT_NE(std::string(e.what()).find("U+0007 at character 11"), std::string::npos) << e.what();
  }
}

TEST(ReportRequest, ABallotTheTpsDoesNotVoteOnIsRefused) {
  DefinitionFiles files = test::election_files();
  // An overseas TPS: the president only.
  files["regions.csv"] += "99,LUAR NEGERI\n9901,MALAYSIA\n990101,KUALA LUMPUR\n9901011001,KL\n";
  files["tps.csv"] += "9901011001001,100,100\n";
  Definition def = build_definition(files);
  json::object r{{"tps", "9901011001001"}, {"ballot", "pdpd"}, {"text", kText}};
  try {
    reports::parse_report(json::serialize(r), def);
    FAIL() << "accepted";
  } catch (const ReportRefused& e) {
    EXPECT_EQ(e.code(), "no_contest");
    EXPECT_EQ(e.member(), "ballot");
  }
}

StoredStatement stored(const std::string& tps, Ballot b, std::vector<Hash32> images) {
  Statement st;
  st.type = StatementType::result;
  st.election = test::election().election_id;
  st.time = "2024-02-14T13:00:00Z";
  st.tps = tps;
  st.ballot = b;
  std::sort(images.begin(), images.end());
  st.images = images;
  for (const Field& f : test::election().contests[0].layout.fields)
    st.values.emplace_back(f.name, 0);
  StoredStatement row;
  row.body = encode_statement(st);
  row.id = sha256(row.body);
  row.tps = tps;
  row.ballot = int(b);
  return row;
}

TEST(ReportRequest, EvidenceMustBeAStatementAndPhotoOfThatTpsAndBallot) {
  Hash32 photo = sha256("photo"), other_photo = sha256("other");
  std::vector<StoredStatement> rows = {stored(kTps, Ballot::ppwp, {photo}),
                                       stored(kTps, Ballot::pdpd, {other_photo})};
  Report r = reports::parse_report(body({}), test::election());
  r.statement = rows[0].id;
  r.image = photo;
  EXPECT_NO_THROW(reports::check_evidence(r, rows));
  r.image = other_photo;  // a photo of the same TPS, but of another ballot
  EXPECT_THROW(reports::check_evidence(r, rows), ReportRefused);
  r.image.reset();
  r.statement = rows[1].id;
  try {
    reports::check_evidence(r, rows);
    FAIL() << "accepted";
  } catch (const ReportRefused& e) {
    EXPECT_EQ(e.code(), "unknown_statement");
    EXPECT_EQ(e.status(), 422);
  }
}

const auto t0 = std::chrono::steady_clock::time_point() + 1000h;

TEST(RateLimiter, AllowsABurstThenOneAsEachTokenComesBack) {
  reports::RateLimiter limiter({{3, 60s}});
  for (int i = 0; i < 3; ++i) {
    ASSERT_EQ(limiter.wait("10.0.0.1", t0), 0s) << i;
    limiter.take("10.0.0.1", t0);
  }
  EXPECT_EQ(limiter.wait("10.0.0.1", t0), 20s);
  EXPECT_EQ(limiter.wait("10.0.0.1", t0 + 19s), 1s);
  EXPECT_EQ(limiter.wait("10.0.0.1", t0 + 19500ms), 1s);  // rounded up
  EXPECT_EQ(limiter.wait("10.0.0.2", t0), 0s) << "another key has its own buckets";
  EXPECT_EQ(limiter.wait("10.0.0.1", t0 + 20s), 0s);
  limiter.take("10.0.0.1", t0 + 20s);
  EXPECT_EQ(limiter.wait("10.0.0.1", t0 + 20s), 20s);
}

TEST(RateLimiter, EveryLimitMustAllow) {
  // 3 a minute, 5 a day.
  reports::RateLimiter limiter({{3, 60s}, {5, 24h}});
  auto now = t0;
  for (int i = 0; i < 5; ++i) {
    ASSERT_EQ(limiter.wait("k", now), 0s) << i;
    limiter.take("k", now);
    now += 1min;
  }
  // The minute allows, the day does not: its first token returns a fifth of a day after the
  // first take.
  const auto fifth = std::chrono::seconds(24h) / 5;
  EXPECT_EQ(limiter.wait("k", now), fifth - 5min);
  EXPECT_EQ(limiter.wait("k", t0 + fifth), 0s);
}

TEST(RateLimiter, ForgetsIdleKeysAndFailsClosedWhenFull) {
  reports::RateLimiter limiter({{1, 60s}}, 2);
  limiter.take("a", t0);
  limiter.take("b", t0);
  EXPECT_EQ(limiter.size(), 2u);
  // Both still bind: a third client waits rather than pushing one out.
  EXPECT_GT(limiter.wait("c", t0 + 30s), 0s);
  EXPECT_EQ(limiter.wait("a", t0 + 30s), 30s);
  // A minute later both buckets are full again and forgotten.
  EXPECT_EQ(limiter.wait("c", t0 + 60s), 0s);
  EXPECT_EQ(limiter.size(), 0u);
  EXPECT_THROW(reports::RateLimiter({{0, 60s}}), std::invalid_argument);
}

TEST(RecentKeys, RemembersForTheHorizonAndAtMostMaxKeys) {
  reports::RecentKeys keys(24h, 2);
  keys.insert("a", t0);
  EXPECT_TRUE(keys.contains("a", t0 + 23h));
  EXPECT_FALSE(keys.contains("a", t0 + 24h));
  keys.insert("a", t0 + 25h);
  keys.insert("b", t0 + 25h);
  keys.insert("c", t0 + 25h);  // over the cap: the oldest goes
  EXPECT_FALSE(keys.contains("a", t0 + 25h));
  EXPECT_TRUE(keys.contains("b", t0 + 25h));
  EXPECT_TRUE(keys.contains("c", t0 + 25h));
  EXPECT_EQ(keys.size(), 2u);
}

namespace ip = boost::asio::ip;

TEST(ClientAddress, ThePeerUnlessItIsATrustedProxy) {
  http::TrustedProxies none;
  http::TrustedProxies proxies({"127.0.0.1", "10.0.0.0/8", "fd00::/8"});
  auto peer = ip::make_address("203.0.113.7");
  // X-Forwarded-For from an untrusted peer is anyone's invention.
  EXPECT_EQ(http::client_address(peer, "198.51.100.1", proxies), peer);
  EXPECT_EQ(http::client_address(ip::make_address("127.0.0.1"), "198.51.100.1", none),
            ip::make_address("127.0.0.1"));
  // Behind trusted proxies: the first address from the right that is not one of them.
  EXPECT_EQ(http::client_address(ip::make_address("127.0.0.1"), "192.0.2.9, 198.51.100.1, 10.1.2.3",
                                 proxies),
            ip::make_address("198.51.100.1"));
  EXPECT_EQ(
      http::client_address(ip::make_address("::ffff:10.0.0.5"), "[2001:db8::1]:4711", proxies),
      ip::make_address("2001:db8::1"));
  EXPECT_EQ(http::client_address(ip::make_address("10.0.0.5"), "198.51.100.1:8080", proxies),
            ip::make_address("198.51.100.1"));
  // Garbage ends the walk at the last trusted hop.
  EXPECT_EQ(
      http::client_address(ip::make_address("127.0.0.1"), "198.51.100.1, junk, 10.9.9.9", proxies),
      ip::make_address("10.9.9.9"));
  // Only proxies in the chain: the leftmost.
  EXPECT_EQ(http::client_address(ip::make_address("127.0.0.1"), "10.0.0.1", proxies),
            ip::make_address("10.0.0.1"));
  EXPECT_THROW(http::TrustedProxies({"10.0.0.0/33"}), std::invalid_argument);
  EXPECT_THROW(http::TrustedProxies({"proxy.local"}), std::invalid_argument);
}

TEST(ClientAddress, IPv6ClientsAreKeyedByTheirSlash64) {
  EXPECT_EQ(http::client_key(ip::make_address("2001:db8:1:2:aaaa::1")),
            http::client_key(ip::make_address("2001:db8:1:2:bbbb::9")));
  EXPECT_NE(http::client_key(ip::make_address("2001:db8:1:2::1")),
            http::client_key(ip::make_address("2001:db8:1:3::1")));
  EXPECT_EQ(http::client_key(ip::make_address("::ffff:198.51.100.1")), "198.51.100.1");
  EXPECT_NE(http::client_key(ip::make_address("198.51.100.1")),
            http::client_key(ip::make_address("198.51.100.2")));
}

TEST(ReportViews, ATpsDocumentCountsPerBallotAndFieldAndNamesNoAddress) {
  Report r;
  r.id = 7;
  r.tps = kTps;
  r.ballot = int(Ballot::ppwp);
  r.fields = {"c1"};
  r.text = kText;
  r.received_ms = 1707900000000;
  ReportCounts counts;
  counts.total = 1;
  counts.tps = 1;
  counts.ballots[0] = 1;
  counts.fields[{0, "c1"}] = 1;
  json::value doc =
      reports::tps_reports_json(test::election(), test::election().find_tps(kTps), counts, {r});
  EXPECT_EQ(doc.at("total"), 1);
  EXPECT_EQ(doc.at("ballots").at("ppwp").at("fields").at("c1"), 1);
  EXPECT_EQ(doc.at("ballots").at("pdpr").at("total"), 0);
  const json::object& shown = doc.at("reports").at(0).as_object();
  EXPECT_EQ(shown.at("id"), 7);
  EXPECT_EQ(shown.at("text").as_string(), kText);
  EXPECT_FALSE(shown.contains("statement"));
  std::vector<std::string> keys;
  for (const auto& kv : shown) keys.emplace_back(kv.key());
  EXPECT_EQ(keys,
            (std::vector<std::string>{"id", "tps", "ballot", "fields", "text", "received_ms"}));
}

}  // namespace
}  // namespace rekap
