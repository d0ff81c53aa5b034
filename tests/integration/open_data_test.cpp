// The open data against a real server on 127.0.0.1 with a simulated election: the CSV files,
// the NIST SP 1500-100 export and the Sirekap-compatible tree give the same numbers as the
// results API; they carry ETags and come gzipped; a correction reaches them; and the day's
// archive has checksums signed by the log's key.
#include <gtest/gtest.h>
#include <zlib.h>

#include <boost/json.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "client/http_client.hpp"
#include "core/csv.hpp"
#include "crypto/encoding.hpp"
#include "gunzip.hpp"
#include "log/note.hpp"
#include "publish/opendata/sirekap_documents.hpp"
#include "server_process.hpp"
#include "sim/run.hpp"
#include "unit/cdf_check.hpp"
#include "util/files.hpp"

namespace rekap {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;

using test::gunzip;

// A CSV file by column name.
struct Csv {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  explicit Csv(const std::string& text) {
    auto parsed = parse_csv(text);
    header = parsed.at(0).cells;
    for (std::size_t i = 1; i < parsed.size(); ++i) rows.push_back(parsed[i].cells);
  }
  int column(const std::string& name) const {
    auto it = std::find(header.begin(), header.end(), name);
    return it == header.end() ? -1 : int(it - header.begin());
  }
  std::string cell(const std::vector<std::string>& row, const std::string& name) const {
    return row.at(std::size_t(column(name)));
  }
};

class OpenDataTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    crypto_init();
    election = new test::Election("small", 3);
    server = new test::ServerProcess(
        *election, {"--open-data-ms", "100", "--exports-ms", "200", "--archive-ms", "500"});
    sim::RunOptions options;
    options.url = server->url();
    options.clients = 4;
    auto report = sim::run_election(election->def, read_secret_key(election->admin_key), options);
    ASSERT_TRUE(report.ok()) << report.to_text();
    wait_until_published();
  }
  static void TearDownTestSuite() {
    delete server;
    delete election;
  }

  // Until every file shows what the API shows: the index's rows all reported, the Sirekap
  // tree's nation complete, and an archive made after that.
  static void wait_until_published() {
    HttpClient c(Url::parse(server->url()));
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (std::chrono::steady_clock::now() < deadline) {
      bool done = true;
      auto index = c.get("/data/index.json");
      if (index.status != 200) done = false;
      if (done) {
        auto doc = json::parse(index.body);
        for (const auto& f : doc.at("files").as_array()) {
          if (f.at("format") == "csv" && f.at("reported") != f.at("rows")) done = false;
        }
        if (doc.at("archives").as_array().empty()) done = false;
      }
      for (Ballot b : kAllBallots) {
        auto nation = c.get("/pemilu/hhcw/" + std::string(ballot_id(b)) + ".json");
        if (nation.status != 200) {
          done = false;
          continue;
        }
        auto progres = json::parse(nation.body).at("progres");
        if (progres.at("progres") != progres.at("total")) done = false;
      }
      if (done) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    // One more archive and export round after everything was in.
    std::this_thread::sleep_for(std::chrono::milliseconds(1200));
  }

  json::value api(const std::string& path) {
    auto res = client().get(path);
    EXPECT_EQ(res.status, 200) << path;
    return json::parse(res.body);
  }
  std::string get(const std::string& path) {
    auto res = client().get(path);
    EXPECT_EQ(res.status, 200) << path << ": " << res.body;
    return res.body;
  }
  HttpClient& client() {
    if (!client_) client_ = std::make_unique<HttpClient>(Url::parse(server->url()));
    return *client_;
  }
  // Totals of a contest in a region, from the results API.
  json::object totals(Ballot b, const std::string& code, const std::string& contest) {
    std::string path =
        "/api/v1/results/" + std::string(ballot_id(b)) + (code.empty() ? "" : "/" + code);
    json::value doc = api(path);
    for (const auto& c : doc.at("contests").as_array()) {
      if (c.at("id").as_string() == contest) return c.at("totals").as_object();
    }
    ADD_FAILURE() << "no contest " << contest << " at " << path;
    return {};
  }
  // Ballots cast and rejected (suara_total, suara_tidak_sah) in a region or TPS, from the
  // results API: of one contest, or of every contest when `contest` is "".
  std::pair<std::int64_t, std::int64_t> ballots(Ballot b, const std::string& code,
                                                const std::string& contest) {
    std::string path =
        "/api/v1/results/" + std::string(ballot_id(b)) + (code.empty() ? "" : "/" + code);
    json::value doc = api(path);
    std::pair<std::int64_t, std::int64_t> sum{0, 0};
    for (const auto& c : doc.at("contests").as_array()) {
      if (!contest.empty() && c.at("id").as_string() != contest) continue;
      sum.first += c.at("totals").at("suara_total").to_number<std::int64_t>();
      sum.second += c.at("totals").at("suara_tidak_sah").to_number<std::int64_t>();
    }
    return sum;
  }
  // Each of a CDF report's BallotCounts against the API, by the unit it counts: a region or TPS
  // (ru-<code>, every contest there), a dapil (ed-<contest>), or a region's part of a dapil
  // (ru-<code>-<contest>). Returns how many parts of a dapil it has.
  int expect_ballot_counts_are_the_apis(Ballot b, const json::value& report) {
    int parts = 0;
    for (const auto& bc : report.at("Election").at(0).at("BallotCounts").as_array()) {
      std::string unit(bc.at("GpUnitId").as_string());
      std::pair<std::int64_t, std::int64_t> want;
      if (unit.starts_with("ed-")) {
        want = ballots(b, "", unit.substr(3));
      } else {
        std::string code = unit.substr(3), contest;
        if (auto dash = code.find('-'); dash != std::string::npos) {
          contest = code.substr(dash + 1);
          code.resize(dash);
          ++parts;
        }
        want = ballots(b, code == "nasional" ? "" : code, contest);
      }
      EXPECT_EQ(bc.at("BallotsCast").as_int64(), want.first) << ballot_id(b) << " " << unit;
      EXPECT_EQ(bc.at("BallotsRejected").as_int64(), want.second) << ballot_id(b) << " " << unit;
    }
    return parts;
  }
  const Definition& def() const { return election->def; }

  static test::Election* election;
  static test::ServerProcess* server;
  std::unique_ptr<HttpClient> client_;
};

test::Election* OpenDataTest::election = nullptr;
test::ServerProcess* OpenDataTest::server = nullptr;

TEST_F(OpenDataTest, CsvRowsAreTheApisTpsResultsAndAddUpToItsTotals) {
  for (Ballot b : kAllBallots) {
    std::string id(ballot_id(b));
    Csv csv(get("/data/" + id + ".csv"));
    EXPECT_EQ(csv.rows.size(), def().tps_count(0, b)) << id;
    for (const auto& row : csv.rows) {
      std::string tps = csv.cell(row, "tps_code");
      EXPECT_EQ(csv.cell(row, "status"), "reported");
      auto doc = api("/api/v1/results/" + id + "/" + tps);
      const auto& values = doc.at("contests").at(0).at("totals").as_object();
      for (std::size_t col = 12; col + 8 < csv.header.size(); ++col) {
        const auto* want = values.if_contains(csv.header[col]);
        std::string got = row[col];
        if (want) {
          EXPECT_EQ(got, std::to_string(want->to_number<std::int64_t>()))
              << id << " " << tps << " " << csv.header[col];
        } else {
          EXPECT_EQ(got, "") << "a party not running in the TPS's dapil";
        }
      }
    }
    // The per-contest files add up to the nation's totals of each contest.
    json::value election_doc = api("/api/v1/election");
    for (const auto& contest : election_doc.at("ballots").at(int(b)).at("contests").as_array()) {
      std::string cid(contest.as_string());
      Csv file(get("/data/" + id + "/" + cid + ".csv"));
      auto want = totals(b, "", cid);
      for (const auto& [field, value] : want) {
        int col = file.column(std::string(field));
        ASSERT_GE(col, 0) << cid << " " << field;
        std::int64_t sum = 0;
        for (const auto& row : file.rows) sum += std::stoll(row[std::size_t(col)]);
        EXPECT_EQ(sum, value.to_number<std::int64_t>()) << cid << " " << field;
      }
    }
  }
}

TEST_F(OpenDataTest, CsvProvenanceIsTheStatementInForce) {
  Csv csv(get("/data/pdpd.csv"));
  const auto& row = csv.rows.at(5);
  auto tps = api("/api/v1/tps/" + csv.cell(row, "tps_code"));
  const auto& current = tps.at("ballots").at("pdpd").at("current");
  EXPECT_EQ(csv.cell(row, "statement_id"), current.at("id").as_string());
  EXPECT_EQ(csv.cell(row, "log_index"), std::to_string(current.at("index").as_int64()));
  EXPECT_EQ(csv.cell(row, "signer"), current.at("signer").as_string());
  EXPECT_EQ(csv.cell(row, "time"), current.at("time").as_string());
  EXPECT_EQ(csv.cell(row, "rev"), std::to_string(current.at("rev").as_int64()));
}

TEST_F(OpenDataTest, CdfIsValidAndItsCountsAreTheApis) {
  std::map<std::string, std::string> documents;  // every CDF document the election publishes
  int dapil_parts = 0;
  for (Ballot b : kAllBallots) {
    std::string id(ballot_id(b));
    documents[id + ".json"] = get("/data/cdf/" + id + ".json");
    auto report = json::parse(documents[id + ".json"]);
    EXPECT_EQ(report.at("Status").as_string(), "unofficial-complete");
    dapil_parts += expect_ballot_counts_are_the_apis(b, report);
    for (const auto& contest : report.at("Election").at(0).at("Contest").as_array()) {
      std::string cid(contest.at("ExternalIdentifier").at(0).at("Value").as_string());
      std::map<std::string, json::object> by_unit;
      for (const auto& sel : contest.at("ContestSelection").as_array()) {
        std::string sel_id(sel.at("@id").as_string());
        std::string field = sel_id.substr(sel_id.rfind('-') + 1);
        for (const auto& vc : sel.at("VoteCounts").as_array()) {
          std::string unit(vc.at("GpUnitId").as_string());
          if (!by_unit.count(unit)) {
            std::string code = unit == "ru-nasional" ? "" : unit.substr(3);
            by_unit[unit] = totals(b, code, cid);
          }
          EXPECT_EQ(vc.at("Count").as_int64(), by_unit[unit].at(field).to_number<std::int64_t>())
              << cid << " " << field << " " << unit;
        }
      }
      EXPECT_GT(by_unit.size(), 1u) << "counts below the nation";
    }
  }
  EXPECT_GT(dapil_parts, 0) << "the overseas TPS are in a dapil of DKI Jakarta, but not in it";
  // Every kecamatan's and desa's, made when asked.
  for (const Region& r : def().regions) {
    if (r.level < Level::kecamatan) continue;
    for (Ballot b : kAllBallots) {
      std::string id(ballot_id(b));
      documents[id + "-" + r.code + ".json"] = get("/data/cdf/" + id + "/" + r.code + ".json");
    }
  }
  std::string errors = test::cdf_schema_errors(documents);
  EXPECT_TRUE(errors.empty()) << errors;
  // One kecamatan's TPS, with the TPS's numbers from the API.
  std::string kec = def().tps[0].code.substr(0, 6);
  auto precinct = json::parse(documents["ppwp-" + kec + ".json"]);
  expect_ballot_counts_are_the_apis(Ballot::ppwp, precinct);
  const auto& sel = precinct.at("Election").at(0).at("Contest").at(0).at("ContestSelection").at(1);
  int tps_counts = 0;
  for (const auto& vc : sel.at("VoteCounts").as_array()) {
    std::string unit(vc.at("GpUnitId").as_string());
    if (unit.size() != 16) continue;  // "ru-" and a 13-digit TPS code
    auto values = totals(Ballot::ppwp, unit.substr(3), "ppwp");
    EXPECT_EQ(vc.at("Count").as_int64(), values.at("c2").to_number<std::int64_t>()) << unit;
    ++tps_counts;
  }
  EXPECT_GT(tps_counts, 0);
  EXPECT_EQ(client().get("/data/cdf/ppwp/11.json").status, 404) << "not below a kecamatan";
}

TEST_F(OpenDataTest, SirekapTreeShowsTheApisNumbers) {
  auto nation = api("/pemilu/hhcw/ppwp.json");
  auto want = totals(Ballot::ppwp, "", "ppwp");
  // Pairs by Sirekap's ids: 100025 is pair 01.
  for (const auto& cand : def().contests[std::size_t(def().find_contest("ppwp"))].candidates) {
    std::string key = std::to_string(100024 + cand.number);
    EXPECT_EQ(nation.at("chart").at(key).as_int64(),
              want.at("c" + std::to_string(cand.number)).to_number<std::int64_t>());
  }
  auto results = api("/api/v1/results/ppwp");
  EXPECT_EQ(nation.at("progres").at("total"), results.at("progress").at("total"));
  for (const auto& child : results.at("children").as_array()) {
    std::string code(child.at("code").as_string());
    const auto& totals1 = child.at("contests").at(0).at("totals");
    EXPECT_EQ(nation.at("table").at(code).at("100025"), totals1.at("c1")) << code;
  }
  // A party ballot: each party's total over every dapil.
  auto pdpr = api("/pemilu/hhcw/pdpr.json");
  std::map<std::string, std::int64_t> party_totals;
  json::value pdpr_results = api("/api/v1/results/pdpr");
  for (const auto& c : pdpr_results.at("contests").as_array()) {
    for (const auto& [field, value] : c.at("totals").as_object()) {
      std::string f(field);
      if (f.size() > 2 && f[0] == 'p' && f.back() == 't') {
        party_totals[f.substr(1, f.size() - 2)] += value.to_number<std::int64_t>();
      }
    }
  }
  for (const auto& [party, sum] : party_totals)
    EXPECT_EQ(pdpr.at("chart").at(party).as_int64(), sum);
  // A TPS, down the codes' path.
  const Tps& t = def().tps[7];
  auto doc = api("/" + publish::sirekap_path(Ballot::ppwp, t.code));
  auto tps_totals = totals(Ballot::ppwp, t.code, "ppwp");
  const auto& adm = doc.at("administrasi");
  EXPECT_EQ(adm.at("suara_sah"), tps_totals.at("suara_sah"));
  EXPECT_EQ(adm.at("pengguna_non_dpt_j"), tps_totals.at("pengguna_dpk_j"));
  EXPECT_EQ(adm.at("pemilih_dpt_l"), tps_totals.at("pemilih_dpt_l"));
  EXPECT_EQ(doc.at("chart").at("100027"), tps_totals.at("c3"));
  EXPECT_TRUE(doc.at("status_suara").as_bool());
  // And a desa's table of its TPS.
  auto desa = api("/" + publish::sirekap_path(Ballot::ppwp, t.code.substr(0, 10)));
  EXPECT_EQ(desa.at("table").at(t.code).at("100027"), tps_totals.at("c3"));
}

// Where 2024's scrapers started: the region lists under /wilayah/pemilu/ppwp/, each entry's
// "kode" the next step of the path, down to the TPS, whose document is then read.
TEST_F(OpenDataTest, SirekapRegionListsLeadAScraperToEveryTpsOfADesa) {
  auto provinces = api("/wilayah/pemilu/ppwp/0.json");
  ASSERT_EQ(provinces.as_array().size(), def().regions[0].children.size());
  const Tps& t = def().tps[7];
  std::string path;
  std::string code;
  for (std::size_t len : {2, 4, 6, 10}) {
    auto list = api("/wilayah/pemilu/ppwp" + (path.empty() ? "/0" : path) + ".json");
    bool found = false;
    for (const auto& entry : list.as_array()) {
      if (entry.at("kode").as_string() == t.code.substr(0, len)) found = true;
    }
    ASSERT_TRUE(found) << t.code.substr(0, len) << " in " << path;
    path += "/" + t.code.substr(0, len);
  }
  auto tps_list = api("/wilayah/pemilu/ppwp" + path + ".json");
  const Region& desa = def().regions[std::size_t(t.region)];
  ASSERT_EQ(tps_list.as_array().size(), desa.tps.size());
  for (const auto& entry : tps_list.as_array()) {
    EXPECT_EQ(entry.at("tingkat").as_int64(), 5);
    auto doc = client().get("/pemilu/hhcw/ppwp" + path + "/" +
                            std::string(entry.at("kode").as_string()) + ".json");
    EXPECT_EQ(doc.status, 200) << entry;
    EXPECT_EQ(json::parse(doc.body).at("images").as_array().size(), 3u);
  }
  EXPECT_EQ(client().get("/wilayah/pemilu/ppwp/98.json").status, 404);
}

TEST_F(OpenDataTest, FilesCarryETagsComeGzippedAndAreTheFilesPublished) {
  fs::path publish = fs::path(election->data_dir) / "publish";
  for (const std::string path :
       {"/data/ppwp.csv", "/data/cdf/pdpr.json", "/pemilu/hhcw/ppwp.json"}) {
    auto first = client().get(path);
    ASSERT_EQ(first.status, 200) << path;
    std::string etag = first.header("etag");
    ASSERT_FALSE(etag.empty());
    EXPECT_EQ(first.body, read_file_or_throw(publish / path.substr(1))) << "what nginx would serve";
    auto again = client().request("GET", path, "", "", {{"If-None-Match", etag}});
    EXPECT_EQ(again.status, 304) << path;
    EXPECT_TRUE(again.body.empty());
    auto gz = client().request("GET", path, "", "", {{"Accept-Encoding", "gzip"}});
    EXPECT_EQ(gz.header("content-encoding"), "gzip") << path;
    EXPECT_EQ(gunzip(gz.body), first.body) << path;
    auto refused = client().request("GET", path, "", "", {{"Accept-Encoding", "br, gzip;q=0"}});
    EXPECT_TRUE(refused.header("content-encoding").empty()) << path << ": gzip;q=0 means no gzip";
    EXPECT_EQ(refused.body, first.body) << path;
    EXPECT_EQ(client()
                  .request("GET", path, "", "",
                           {{"Accept-Encoding", "gzip"}, {"If-None-Match", gz.header("etag")}})
                  .status,
              304);
  }
  EXPECT_EQ(client().get("/data/nothing.csv").status, 404);
  EXPECT_EQ(client().get("/data/../rekap.db").status, 404);
}

TEST_F(OpenDataTest, DailyArchiveHasChecksumsSignedByTheLogKey) {
  auto index = api("/data/index.json");
  ASSERT_FALSE(index.at("archives").as_array().empty());
  std::string date(index.at("archives").as_array().back().as_string());
  std::string sums = get("/data/" + date + "/SHA256SUMS");
  std::string vkey = read_file_or_throw(fs::path(election->data_dir) / "log.vkey");
  vkey.pop_back();
  auto verifier = tlog::parse_verifier_key(vkey);
  ASSERT_TRUE(verifier);
  tlog::Note note = tlog::parse_note(sums);
  EXPECT_TRUE(tlog::verify_note(note, *verifier)) << "signed by the log's key";
  // Every file listed is served with that SHA-256, the CSV of every ballot among them.
  std::size_t files = 0, csv = 0;
  std::string text = note.text;
  for (std::size_t at = 0; at < text.size();) {
    std::size_t end = text.find('\n', at);
    std::string line = text.substr(at, end - at);
    at = end + 1;
    std::string hash = line.substr(0, 64), name = line.substr(66);
    EXPECT_EQ(to_hex(sha256(get("/data/" + date + "/" + name))), hash) << name;
    ++files;
    if (name.find('/') == std::string::npos && name.ends_with(".csv")) ++csv;
  }
  EXPECT_EQ(csv, std::size_t(kBallotCount));
  EXPECT_GT(files, 20u);
  // The archive holds what was published: its PPWP file is the live one (nothing changed since).
  EXPECT_EQ(get("/data/" + date + "/ppwp.csv"), get("/data/ppwp.csv"));
}

TEST_F(OpenDataTest, ACorrectionReachesEveryExportAndOnlyTheFilesItChanges) {
  const Tps& t = def().tps[3];
  std::string before_csv = client().get("/data/ppwp.csv").header("etag");
  std::string before_pdpd = client().get("/data/pdpd.csv").header("etag");
  std::string before_tps =
      client().get("/" + publish::sirekap_path(Ballot::ppwp, t.code)).header("etag");
  // The kecamatan's ppk moves a vote from pair 2 to pair 1.
  std::string ppk = election->dir / "ppk.key", out;
  ASSERT_EQ(test::run_rekap({"keygen", "--out", ppk}, &out), 0) << out;
  ASSERT_EQ(
      test::run_rekap({"enroll", "--url", server->url(), "--admin-key", election->admin_key,
                       "--key", ppk + ".pub", "--role", "ppk", "--scope", t.code.substr(0, 6)},
                      &out),
      0)
      << out;
  auto current = api("/api/v1/tps/" + t.code).at("ballots").at("ppwp").at("current");
  json::object values = current.at("values").as_object();
  values["c1"] = values["c1"].to_number<std::int64_t>() + 1;
  values["c2"] = values["c2"].to_number<std::int64_t>() - 1;
  std::string file = election->dir / "values.json";
  std::ofstream(file) << json::serialize(values);
  ASSERT_EQ(test::run_rekap({"submit", "--url", server->url(), "--key", ppk, "--tps", t.code,
                             "--ballot", "ppwp", "--values", file, "--rev", "2", "--supersedes",
                             std::string(current.at("id").as_string()), "--reason", "salah baca"},
                            &out),
            0)
      << out;
  std::string want_c1 = std::to_string(values["c1"].to_number<std::int64_t>());
  std::string row_c1;
  // Exports every 200 ms; a loaded test machine (sanitizers, tests side by side) takes longer.
  for (int i = 0; i < 600 && row_c1 != want_c1; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    Csv csv(get("/data/ppwp.csv"));
    for (const auto& row : csv.rows) {
      if (csv.cell(row, "tps_code") == t.code) row_c1 = csv.cell(row, "c1");
    }
  }
  EXPECT_EQ(row_c1, want_c1);
  Csv csv(get("/data/ppwp/ppwp.csv"));
  for (const auto& row : csv.rows) {
    if (csv.cell(row, "tps_code") != t.code) continue;
    EXPECT_EQ(csv.cell(row, "type"), "correction");
    EXPECT_EQ(csv.cell(row, "rev"), "2");
    EXPECT_EQ(csv.cell(row, "c2"), std::to_string(values["c2"].to_number<std::int64_t>()));
  }
  EXPECT_NE(client().get("/data/ppwp.csv").header("etag"), before_csv);
  EXPECT_EQ(client().get("/data/pdpd.csv").header("etag"), before_pdpd) << "untouched by PPWP";
  auto doc = client().get("/" + publish::sirekap_path(Ballot::ppwp, t.code));
  EXPECT_NE(doc.header("etag"), before_tps);
  EXPECT_EQ(json::parse(doc.body).at("chart").at("100025").as_int64(),
            values["c1"].to_number<std::int64_t>());
  auto cdf = json::parse(get("/data/cdf/ppwp.json"));
  auto nation = totals(Ballot::ppwp, "", "ppwp");
  const auto& sel = cdf.at("Election").at(0).at("Contest").at(0).at("ContestSelection").at(0);
  EXPECT_EQ(sel.at("VoteCounts").at(0).at("Count"), nation.at("c1"));
}

}  // namespace
}  // namespace rekap
