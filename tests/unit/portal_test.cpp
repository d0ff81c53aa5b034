// The portal's server side: its indexes, files served from memory (ETag, 304, gzip), and what
// it publishes for a static mirror, TPS documents with their proofs and photos included.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <future>
#include <random>
#include <thread>

#include "crypto/encoding.hpp"
#include "http/answer.hpp"
#include "publish/json_documents.hpp"
#include "publish/portal/indexes.hpp"
#include "publish/portal/region_summary.hpp"
#include "server/app.hpp"
#include "tally/tally.hpp"
#include "test_election.hpp"
#include "util/files.hpp"

namespace rekap {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;
using namespace publish;
using namespace http;
using namespace server;

Request get(std::string target, std::string accept_encoding = "", std::string if_none_match = "") {
  Request req{http::verb::get, target, 11};
  if (!accept_encoding.empty()) req.set(http::field::accept_encoding, accept_encoding);
  if (!if_none_match.empty()) req.set(http::field::if_none_match, if_none_match);
  return req;
}

TEST(PortalIndex, SearchWordsAreLowerCaseLettersAndDigits) {
  EXPECT_EQ(search_words("KAB. BLANG-SARI 2"),
            (std::vector<std::string>{"kab", "blang", "sari", "2"}));
  EXPECT_EQ(search_words("Ul\xc3\xa9\x65 Kareng"), (std::vector<std::string>{"ul", "e", "kareng"}));
  EXPECT_TRUE(search_words(" .. ").empty());
}

TEST(PortalIndex, ShardsListEachRegionUnderItsWordsWithWhereItLies) {
  auto shards = search_shards(test::election());
  // TEBET (kecamatan), TEBET TIMUR and TEBET BARAT (desa): each once under "te", although
  // TEBET TIMUR has two words starting "t"... and "ti".
  const json::object& te = shards.at("te").as_object();
  std::vector<std::string> codes;
  for (const auto& r : te.at("regions").as_array()) codes.emplace_back(r.as_array()[0].as_string());
  EXPECT_EQ(codes, (std::vector<std::string>{"317101", "3171011001", "3171011002"}));
  EXPECT_EQ(te.at("names").at("317101").as_string(), "TEBET");
  EXPECT_EQ(te.at("names").at("3171").as_string(), "JAKARTA SELATAN");
  EXPECT_EQ(te.at("names").at("31").as_string(), "DKI JAKARTA");
  EXPECT_EQ(shards.at("ti").at("regions").as_array().size(), 1u);
  EXPECT_EQ(shards.at("ja").at("regions").as_array().size(), 2u) << "DKI JAKARTA, JAKARTA SELATAN";
  EXPECT_FALSE(shards.contains("")) << "the nation is not listed";
}

TEST(PortalIndex, ContestScopeIsTheSmallestRegionHoldingTheWholeContest) {
  const Definition& def = test::election();
  auto scope = [&](const char* id) { return contest_scope(def.contests[def.find_contest(id)]); };
  EXPECT_EQ(scope("ppwp"), "");
  EXPECT_EQ(scope("pdpd-31"), "31");
  EXPECT_EQ(scope("pdpr-31-2"), "3171");
  EXPECT_EQ(scope("pdprdk-3171-1"), "317101");
  Contest two_desa;
  two_desa.regions = {"3171011001", "3171011002"};
  EXPECT_EQ(contest_scope(two_desa), "317101") << "the common prefix 31710110 is no region";
  two_desa.regions.push_back("99");
  EXPECT_EQ(contest_scope(two_desa), "") << "with overseas TPS: the nation";
}

TEST(PortalIndex, ContestsAreListedUnderEachProvinceTheyHaveTpsIn) {
  auto by_province = ballot_contests_by_province(test::election(), Ballot::pdpr);
  ASSERT_EQ(by_province.size(), 1u);
  const auto& list = by_province.at("31").as_array();
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0], json::parse(R"({"id":"pdpr-31-2","name":"DKI Jakarta II","seats":7,
                                     "regions":["3171"],"scope":"3171"})"));
  // PPWP covers the nation: every province lists it.
  EXPECT_EQ(ballot_contests_by_province(test::election(), Ballot::ppwp).at("31").as_array().size(),
            1u);
  EXPECT_EQ(
      parties_json(test::election()).as_array()[1],
      json::parse(R"({"number":2,"abbrev":"GERINDRA","name":"Partai Gerakan Indonesia Raya"})"));
}

// The test election with its DPR dapil split in two, one per desa.
Definition two_dapil_election() {
  DefinitionFiles files = test::election_files();
  std::string& contests = files["contests.csv"];
  std::string one = "pdpr-31-2,pdpr,DKI Jakarta II,7,3171";
  contests.replace(contests.find(one), one.size(),
                   "pdpr-31-1,pdpr,DKI Jakarta I,3,3171011001\n"
                   "pdpr-31-2,pdpr,DKI Jakarta II,4,3171011002");
  std::string& candidates = files["candidates.csv"];
  candidates += "pdpr-31-1,1,1,Caleg X\npdpr-31-1,2,1,Caleg Y\n";
  return build_definition(files);
}

TEST(RegionSummary, SumsWhatMeansTheSameInEveryDapilAndListsWholeOnes) {
  Definition def = two_dapil_election();
  Tally tally(def);
  for (const char* code : {"3171011001001", "3171011002001"}) {
    const Tps& t = def.tps[def.find_tps(code)];
    const FormLayout& layout = def.contests[t.contest[int(Ballot::pdpr)]].layout;
    auto values = test::valid_form(layout, {t.dpt_l, t.dpt_p}, 60);
    tally.replace(def.find_tps(code), Ballot::pdpr, {}, values);
  }
  auto nation = region_summary_json(def, tally, Ballot::pdpr, 0).as_object();
  auto totals = nation.at("totals").as_object();
  // Both TPS have 60 voters; the valid votes and each party's total add up over both dapil.
  EXPECT_EQ(totals.at("pengguna_total_j").as_int64(), 120);
  EXPECT_TRUE(totals.contains("p1t"));
  EXPECT_FALSE(totals.contains("p1c1")) << "candidate 1 of party 1 is another person per dapil";
  EXPECT_FALSE(totals.contains("p1")) << "party-only votes are only on dapil pages";
  EXPECT_FALSE(nation.contains("contest"));
  EXPECT_EQ(nation.at("progress"), json::parse(R"({"reported":2,"total":4})"));
  const auto& rows = nation.at("contests").as_array();
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].at("id").as_string(), "pdpr-31-1");
  std::vector<std::string> fields;
  for (const auto& [k, v] : rows[0].at("totals").as_object()) fields.emplace_back(k);
  EXPECT_EQ(fields, (std::vector<std::string>{"p1t", "p2t", "suara_sah"}));
  const auto& children = nation.at("children").as_array();
  ASSERT_EQ(children.size(), 1u);
  EXPECT_EQ(children[0].at("totals").at("suara_sah"), totals.at("suara_sah"));

  // A desa has one dapil: all of its numbers, and the contest named; none lies whole in a TPS.
  auto desa = region_summary_json(def, tally, Ballot::pdpr, def.find_region("3171011001"));
  EXPECT_EQ(desa.at("contest").as_string(), "pdpr-31-1");
  EXPECT_TRUE(desa.at("totals").as_object().contains("p1c1"));
  EXPECT_EQ(desa.at("contests").as_array().size(), 1u) << "the dapil is the desa";
  // The kecamatan holds both dapil whole.
  auto kec = region_summary_json(def, tally, Ballot::pdpr, def.find_region("317101"));
  EXPECT_EQ(kec.at("contests").as_array().size(), 2u);
  // Its desa have one dapil each: their rows keep the party totals, not the candidates.
  const auto& desa_row = kec.at("children").as_array()[0].at("totals").as_object();
  EXPECT_TRUE(desa_row.contains("p1t"));
  EXPECT_FALSE(desa_row.contains("p1c1"));
  EXPECT_FALSE(desa_row.contains("p1"));
  EXPECT_EQ(kec.at("parents").as_array().size(), 3u);
}

TEST(MemoryFile, AnswersWithEtagGzipAndNotModified) {
  std::string body(4000, 'x');
  MemoryFile f = make_memory_file(body, "text/css; charset=utf-8");
  Response plain = respond(f, get("/a.css"));
  EXPECT_EQ(plain.result(), http::status::ok);
  EXPECT_EQ(plain.body(), body);
  EXPECT_EQ(plain[http::field::content_type], "text/css; charset=utf-8");
  EXPECT_EQ(plain[http::field::etag], f.etag);
  EXPECT_EQ(plain[http::field::vary], "Accept-Encoding");

  Response packed = respond(f, get("/a.css", "gzip, deflate"));
  EXPECT_EQ(packed[http::field::content_encoding], "gzip");
  EXPECT_LT(packed.body().size(), 100u);
  EXPECT_NE(packed[http::field::etag], f.etag) << "another representation, another tag";

  std::string tag(packed[http::field::etag]);
  EXPECT_EQ(respond(f, get("/a.css", "gzip", tag)).result(), http::status::not_modified);
  EXPECT_EQ(respond(f, get("/a.css", "gzip", "\"other\", W/" + tag)).result(),
            http::status::not_modified);
  EXPECT_EQ(respond(f, get("/a.css", "", "\"other\"")).result(), http::status::ok);

  Request head{http::verb::head, "/a.css", 11};
  Response h = respond(f, head);
  EXPECT_TRUE(h.body().empty());
  EXPECT_EQ(h[http::field::content_length], std::to_string(body.size()));

  MemoryFile small = make_memory_file("{}", "application/json");
  EXPECT_TRUE(small.gz.empty()) << "not worth compressing";
  EXPECT_TRUE(respond(small, get("/s", "gzip"))[http::field::content_encoding].empty());
}

class PortalApp : public ::testing::Test {
 protected:
  void SetUp() override {
    crypto_init();
    root = fs::temp_directory_path() / ("rekap-portal-" + std::to_string(std::random_device{}()));
    fs::create_directories(root / "web/assets");
    write_file_atomically(root / "web/index.html", "<!doctype html><title>rekap</title>");
    write_file_atomically(root / "web/assets/app-ABC.js", std::string(2000, ';'));
    init_data_dir((root / "data").string(), test::election_files(), [this] { return admin; });
    AppOptions options;
    options.web_dir = (root / "web").string();
    options.checkpoint_interval = std::chrono::milliseconds(20);
    app = std::make_unique<App>((root / "data").string(), options);
  }
  void TearDown() override {
    app.reset();
    fs::remove_all(root);
  }

  Decision submit(const Statement& st, const SecretKey& key) {
    auto s = std::make_shared<const SignedStatement>(SignedStatement::sign(st, key));
    std::promise<Decision> done;
    app->sequencer().submit(s, [&](const Decision& d) { done.set_value(d); });
    return done.get_future().get();
  }

  // Waits until `file` exists and `ready` holds for its JSON (the portal publishes in the
  // background).
  json::value published(const fs::path& file,
                        const std::function<bool(const json::value&)>& ready) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (std::chrono::steady_clock::now() < deadline) {
      if (auto text = read_file(file)) {
        json::value doc = json::parse(*text);
        if (ready(doc)) return doc;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    ADD_FAILURE() << file << " was not published in time";
    return nullptr;
  }

  fs::path root;
  SecretKey admin = SecretKey::from_seed(sha256("admin"));
  std::unique_ptr<App> app;
};

TEST_F(PortalApp, ServesItsFilesFromMemoryAndNothingElse) {
  Portal& portal = app->portal();
  auto index = portal.serve(get("/"), "/");
  ASSERT_TRUE(index);
  EXPECT_EQ(index->body(), "<!doctype html><title>rekap</title>");
  EXPECT_EQ((*index)[http::field::content_type], "text/html; charset=utf-8");
  EXPECT_EQ((*index)[http::field::cache_control], "no-cache");

  auto script = portal.serve(get("/assets/app-ABC.js", "gzip"), "/assets/app-ABC.js");
  ASSERT_TRUE(script);
  EXPECT_EQ((*script)[http::field::content_type], "text/javascript; charset=utf-8");
  EXPECT_EQ((*script)[http::field::cache_control], "public, max-age=31536000, immutable");
  EXPECT_EQ((*script)[http::field::content_encoding], "gzip");

  // Only the files loaded at start: a path is looked up, never opened.
  for (const char* path :
       {"/assets/../index.html", "/../data/rekap.db", "/assets/", "/web/index.html",
        "/api/v1/election", "/data/index.json", "/api/v1/portal/search/zz"}) {
    EXPECT_FALSE(portal.serve(get(path), path)) << path;
  }

  auto shard = portal.serve(get("/api/v1/portal/search/te"), "/api/v1/portal/search/te");
  ASSERT_TRUE(shard);
  EXPECT_NE(shard->body().find("TEBET TIMUR"), std::string::npos);
  auto status = portal.serve(get("/api/v1/portal/status"), "/api/v1/portal/status");
  ASSERT_TRUE(status);
  EXPECT_EQ((*status)[http::field::content_type], "application/json");
  EXPECT_TRUE(json::parse(status->body()).as_object().contains("log_size"));
}

TEST_F(PortalApp, PublishesWhatTheApiServesForAStaticMirror) {
  fs::path pub = root / "data/publish";
  // The publisher's first pass writes the files and indexes, then the summaries.
  published(pub / "api/v1/portal/summary/pdpr/3171.json", [](const json::value&) { return true; });
  EXPECT_EQ(read_file(pub / "index.html"), "<!doctype html><title>rekap</title>");
  EXPECT_TRUE(fs::exists(pub / "assets/app-ABC.js"));
  EXPECT_EQ(json::parse(read_file_or_throw(pub / "api/v1/contests/pdpr-31-2.json")),
            contest_json(app->def(), app->def().find_contest("pdpr-31-2")));
  EXPECT_TRUE(fs::exists(pub / "api/v1/portal/search/te.json"));
  EXPECT_TRUE(fs::exists(pub / "api/v1/portal/contests/pdprdk/31.json"));
  EXPECT_TRUE(fs::exists(pub / "api/v1/portal/parties.json"));
  // Summaries of the nation, the province and the kab/kota, none below.
  EXPECT_TRUE(fs::exists(pub / "api/v1/portal/summary/pdpr.json"));
  EXPECT_TRUE(fs::exists(pub / "api/v1/portal/summary/pdpr/31.json"));
  EXPECT_TRUE(fs::exists(pub / "api/v1/portal/summary/pdpr/3171.json"));
  EXPECT_FALSE(fs::exists(pub / "api/v1/portal/summary/pdpr/317101.json"));

  // A kpps device reports TPS 3171011001001 with a photo.
  SecretKey device = SecretKey::from_seed(sha256("device"));
  Statement enrol;
  enrol.type = StatementType::enrol;
  enrol.election = app->def().election_id;
  enrol.time = "2024-02-13T00:00:00Z";
  enrol.key = device.public_key();
  enrol.role = Role::kpps;
  enrol.scope = "3171011001001";
  ASSERT_TRUE(submit(enrol, admin).accepted());
  std::string photo = "\xff\xd8\xff a photo of the form";
  Hash32 photo_hash = sha256(photo);
  app->images().put(photo_hash, photo);
  Statement result;
  result.type = StatementType::result;
  result.election = app->def().election_id;
  result.time = "2024-02-14T13:00:00Z";
  result.tps = "3171011001001";
  const Tps& t = app->def().tps[app->def().find_tps(result.tps)];
  const FormLayout& layout = app->def().contests[t.contest[0]].layout;
  auto values = test::valid_form(layout, {t.dpt_l, t.dpt_p}, 80);
  for (std::size_t i = 0; i < values.size(); ++i)
    result.values.emplace_back(layout.fields[i].name, values[i]);
  result.images = {photo_hash};
  Decision d = submit(result, device);
  ASSERT_TRUE(d.accepted()) << d.message;

  // Once a checkpoint covers it, the TPS document is published with the proof of its result.
  auto doc = published(pub / "api/v1/tps/3171011001001.json", [](const json::value& v) {
    return v.at("ballots").at("ppwp").at("current").is_object() &&
           v.at("ballots").at("ppwp").at("current").at("proof").is_object();
  });
  ASSERT_TRUE(doc.is_object());
  const auto& current = doc.at("ballots").at("ppwp").at("current");
  EXPECT_EQ(current.at("index").as_int64(), std::int64_t(d.index));
  EXPECT_EQ(current.at("proof").at("tree_size").as_int64(), std::int64_t(d.index) + 1);
  EXPECT_EQ(read_file(pub / "api/v1/images" / to_hex(photo_hash)), photo);
  auto status = published(pub / "api/v1/portal/status.json", [&](const json::value& v) {
    return v.at("log_size").as_int64() == std::int64_t(d.index) + 1;
  });
  EXPECT_GT(status.at("updated_ms").as_int64(), 0);
  // The published document is what the API answers (the API's proof may be of a later tree).
  EXPECT_EQ(doc.at("ballots").at("ppwp").at("history"),
            tps_json(app->def(), app->def().find_tps("3171011001001"),
                     app->store().by_tps("3171011001001"), app->store().current_of("3171011001001"))
                .at("ballots")
                .at("ppwp")
                .at("history"));
}

}  // namespace
}  // namespace rekap
