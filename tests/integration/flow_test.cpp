// The full flow against a real server process: enrol every TPS, submit every result, check the
// published totals at every level; restart and check that the data is reused.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <opencv2/imgcodecs.hpp>

#include "client/http_client.hpp"
#include "crypto/encoding.hpp"
#include "server_process.hpp"
#include "sim/run.hpp"

namespace rekap {
namespace {

namespace json = boost::json;

TEST(Flow, SimulatedElectionNightGivesExactTotalsAndSurvivesRestart) {
  crypto_init();
  test::Election e;
  sim::RunOptions options;
  options.clients = 4;
  {
    test::ServerProcess server(e);
    options.url = server.url();
    auto report = sim::run_election(e.def, read_secret_key(e.admin_key), options);
    EXPECT_TRUE(report.ok()) << report.to_text();
    EXPECT_EQ(report.enrolled, e.def.tps.size());
    EXPECT_GT(report.results, e.def.tps.size() * 2);
    EXPECT_GT(report.regions_checked, e.def.regions.size());
    EXPECT_EQ(server.stop(), 0) << "a clean stop exits 0";
  }
  // Running again on the same data: every statement is a duplicate with the same answer.
  test::ServerProcess server(e);
  options.url = server.url();
  HttpClient client(Url::parse(server.url()));
  auto before = json::parse(client.get("/api/v1/health").body).at("statements").as_int64();
  auto report = sim::run_election(e.def, read_secret_key(e.admin_key), options);
  EXPECT_TRUE(report.ok()) << report.to_text();
  EXPECT_EQ(report.new_statements, 0u);
  EXPECT_EQ(report.already_stored, report.enrolled + report.results);
  auto health = json::parse(client.get("/api/v1/health").body);
  EXPECT_EQ(health.at("statements").as_int64(), before) << "nothing stored twice";
  EXPECT_EQ(health.at("accepted").as_int64(), 0);
  EXPECT_GT(health.at("duplicates").as_int64(), 0);
}

TEST(Flow, ReplayWithEveryFaultGivesExactTotalsAndRefusesEveryBadStatement) {
  crypto_init();
  test::Election e("small", 4);
  test::ServerProcess server(e);
  sim::RunOptions options;
  options.url = server.url();
  options.clients = 6;
  options.faults = sim::kFaults;
  options.fault_share = 0.1;
  auto report = sim::run_election(e.def, read_secret_key(e.admin_key), options);
  EXPECT_TRUE(report.ok()) << report.to_text();
  EXPECT_GT(report.dropped, 0u);
  EXPECT_GT(report.duplicated, 0u);
  EXPECT_GT(report.corrections, 0u);
  EXPECT_GT(report.bad_sent, 20u);
  EXPECT_EQ(report.bad_refused, report.bad_sent);
  EXPECT_EQ(report.failed, 0u);
  // Drops, duplicates and retries stored nothing twice: the genesis and each new statement once.
  HttpClient client(Url::parse(server.url()));
  auto health = json::parse(client.get("/api/v1/health").body);
  EXPECT_EQ(health.at("statements").to_number<std::uint64_t>(), 1 + report.new_statements);
}

TEST(Flow, CliKeygenEnrollSubmitAndCorrect) {
  crypto_init();
  test::Election e;
  test::ServerProcess server(e);
  const Tps& t = e.def.tps[0];
  std::string key = e.dir / "device.key";
  std::string ppk_key = e.dir / "ppk.key";
  std::string out;
  ASSERT_EQ(test::run_rekap({"keygen", "--out", key}, &out), 0) << out;
  ASSERT_EQ(test::run_rekap({"keygen", "--out", ppk_key}, &out), 0) << out;
  ASSERT_EQ(test::run_rekap({"enroll", "--url", server.url(), "--admin-key", e.admin_key, "--key",
                             key + ".pub", "--role", "kpps", "--scope", t.code},
                            &out),
            0)
      << out;
  std::string kec = t.code.substr(0, 6);
  ASSERT_EQ(test::run_rekap({"enroll", "--url", server.url(), "--admin-key", e.admin_key, "--key",
                             ppk_key + ".pub", "--role", "ppk", "--scope", kec},
                            &out),
            0)
      << out;

  // A values file and a photo, as an officer would have them.
  const Contest& c = e.def.contests[t.contest[int(Ballot::ppwp)]];
  auto values =
      sim::plan_election(e.def, read_secret_key(e.admin_key), 1).results[0].statement.values;
  json::object obj;
  for (const auto& [name, value] : values) obj[name] = value;
  std::string values_file = e.dir / "values.json";
  std::ofstream(values_file) << json::serialize(obj);
  std::string photo = e.dir / "c1.jpg";
  std::vector<unsigned char> jpeg;
  cv::imencode(".jpg", cv::Mat(600, 800, CV_8U, cv::Scalar(230)), jpeg);
  std::ofstream(photo, std::ios::binary)
      .write(reinterpret_cast<const char*>(jpeg.data()), std::streamsize(jpeg.size()));
  ASSERT_EQ(
      test::run_rekap({"submit", "--url", server.url(), "--key", key, "--tps", t.code, "--ballot",
                       "ppwp", "--values", values_file, "--image", photo, "--json"},
                      &out),
      0)
      << out;
  std::string id(json::parse(out.substr(out.find('{'))).at("id").as_string());

  // The ppk corrects one number (and the sums that follow from it).
  obj["c1"] = obj["c1"].to_number<std::int64_t>() + 1;
  obj["c2"] = obj["c2"].to_number<std::int64_t>() - 1;
  std::ofstream(values_file, std::ios::trunc) << json::serialize(obj);
  ASSERT_EQ(test::run_rekap({"submit", "--url", server.url(), "--key", ppk_key, "--tps", t.code,
                             "--ballot", "ppwp", "--values", values_file, "--rev", "2",
                             "--supersedes", id, "--reason", "salah baca angka", "--image", photo},
                            &out),
            0)
      << out;

  HttpClient client(Url::parse(server.url()));
  auto tps = json::parse(client.get("/api/v1/tps/" + t.code).body);
  const auto& ppwp = tps.at("ballots").at("ppwp");
  EXPECT_EQ(ppwp.at("status").as_string(), "reported");
  ASSERT_EQ(ppwp.at("history").as_array().size(), 2u);
  EXPECT_EQ(ppwp.at("history").as_array()[0].at("status").as_string(), "superseded");
  EXPECT_EQ(ppwp.at("current").at("type").as_string(), "correction");
  EXPECT_EQ(ppwp.at("current").at("reason").as_string(), "salah baca angka");
  EXPECT_EQ(ppwp.at("current").at("values").at("c1").as_int64(),
            obj["c1"].to_number<std::int64_t>());
  EXPECT_EQ(ppwp.at("current").at("images").as_array().size(), 1u);

  auto nation = json::parse(client.get("/api/v1/results/ppwp").body);
  const auto& totals = nation.at("contests").as_array()[0].at("totals");
  EXPECT_EQ(totals.at("c1").as_int64(), obj["c1"].to_number<std::int64_t>());
  EXPECT_EQ(nation.at("progress").at("reported").as_int64(), 1);
  EXPECT_EQ(c.id, std::string(nation.at("contests").as_array()[0].at("id").as_string()));

  // The photo is served back by its hash.
  auto img = client.get("/api/v1/images/" +
                        std::string(ppwp.at("current").at("images").as_array()[0].as_string()));
  EXPECT_EQ(img.status, 200);
  EXPECT_EQ(img.body, std::string(jpeg.begin(), jpeg.end()));
}

TEST(Flow, SimVotesWritesTheGroundTruthThatSimRunSubmits) {
  crypto_init();
  test::Election e;
  std::string out;
  ASSERT_EQ(test::run_rekap({"sim", "votes", "--def", e.def_dir, "--out", e.dir / "truth"}, &out),
            0)
      << out;
  const Tps& t = e.def.tps[3];
  const Contest& c = e.def.contests[t.contest[int(Ballot::pdpr)]];
  std::ifstream in(e.dir / ("truth/pdpr/" + c.id + ".csv"));
  ASSERT_TRUE(in) << out;
  std::string header, line, row;
  std::getline(in, header);
  EXPECT_EQ(header.substr(0, 17), "tps,pemilih_dpt_l");
  while (std::getline(in, line)) {
    if (line.starts_with(t.code + ",")) row = line;
  }
  auto plan = sim::plan_election(e.def, read_secret_key(e.admin_key), 1);
  std::string want = t.code;
  for (const auto& s : plan.results) {
    if (s.statement.tps == t.code && s.statement.ballot == Ballot::pdpr) {
      for (const auto& [name, value] : s.statement.values) want += "," + std::to_string(value);
    }
  }
  EXPECT_EQ(row, want);
}

TEST(Flow, InitRefusesABrokenDefinitionWithFileAndLine) {
  test::TempDir dir;
  std::string out;
  ASSERT_EQ(test::run_rekap({"sim", "geo", "--scale", "tiny", "--out", dir / "def"}, &out), 0)
      << out;
  {
    std::ofstream tps(dir / "def/tps.csv", std::ios::app);
    tps << "1101011001999,200,200\n";
  }
  EXPECT_NE(test::run_rekap({"init", "--data", dir / "data", "--def", dir / "def"}, &out), 0);
  EXPECT_NE(out.find("tps.csv:"), std::string::npos) << out;
  EXPECT_NE(out.find("400 registered voters; at most 300"), std::string::npos) << out;
  EXPECT_FALSE(std::filesystem::exists(dir / "data/admin.key")) << "nothing written";
}

TEST(Flow, InitKeepsAnExistingElectionAndItsAdminKey) {
  test::Election e;
  std::ifstream in(e.admin_key);
  std::string key((std::istreambuf_iterator<char>(in)), {});
  std::string out;
  EXPECT_NE(test::run_rekap({"init", "--data", e.data_dir, "--def", e.def_dir}, &out), 0);
  EXPECT_NE(out.find("already holds an election"), std::string::npos) << out;
  std::ifstream again(e.admin_key);
  EXPECT_EQ(std::string((std::istreambuf_iterator<char>(again)), {}), key);
}

}  // namespace
}  // namespace rekap
