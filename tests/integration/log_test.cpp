// The transparency log against a real server: an auditor's `verify` passes on an honest server
// and names every lie a tampering server tells; a fork is caught by verify and by a witness;
// the published tiles and the inclusion proofs check out; the server pushes its checkpoints to
// a witness (c2sp.org/tlog-witness) and serves its cosignatures.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <boost/json.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "audit/remote_log.hpp"
#include "audit/verify.hpp"
#include "audit/witness.hpp"
#include "audit/witness_http.hpp"
#include "audit/witness_pull.hpp"
#include "client/http_client.hpp"
#include "crypto/encoding.hpp"
#include "http/server.hpp"
#include "log/merkle.hpp"
#include "log/note.hpp"
#include "log/tiles.hpp"
#include "server_process.hpp"
#include "sim/run.hpp"
#include "tamper_proxy.hpp"
#include "util/files.hpp"

namespace rekap {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;

std::uint64_t stored(HttpClient& c) {
  return json::parse(c.get("/api/v1/health").body).at("statements").to_number<std::uint64_t>();
}

// Waits until the signed checkpoint covers every stored statement.
tlog::Checkpoint settled_checkpoint(const std::string& url) {
  HttpClient c(Url::parse(url));
  for (int i = 0; i < 200; ++i) {
    auto cp = tlog::parse_checkpoint_body(tlog::parse_note(c.get("/log/checkpoint").body).text);
    if (cp && cp->size == stored(c)) return *cp;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  throw std::runtime_error("the checkpoint never caught up");
}

void post_all(const std::string& url, const std::vector<SignedStatement>& statements) {
  HttpClient c(Url::parse(url));
  for (const auto& s : statements) {
    auto r = c.request("POST", "/api/v1/statements", sim::request_body(s));
    if (r.status != 200) throw std::runtime_error("refused: " + r.body);
  }
}

bool mentions(const audit::VerifyReport& r, const std::string& text) {
  for (const auto& p : r.problems) {
    if (p.find(text) != std::string::npos) return true;
  }
  return false;
}

std::string all_problems(const audit::VerifyReport& r) {
  return r.to_text();
}

class Log : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    crypto_init();
    election = new test::Election("small", 2);
    server = new test::ServerProcess(*election);
    sim::RunOptions options;
    options.url = server->url();
    options.clients = 4;
    auto report = sim::run_election(election->def, read_secret_key(election->admin_key), options);
    ASSERT_TRUE(report.ok()) << report.to_text();
    checkpoint = settled_checkpoint(server->url());
  }
  static void TearDownTestSuite() {
    delete server;
    delete election;
  }
  audit::VerifyReport verify(const std::string& url, const std::string& state = "") {
    audit::VerifyOptions o;
    o.url = url;
    o.log_key = audit::RemoteLog(server->url()).published_key();
    o.state_dir = state;
    return audit::verify(o);
  }

  static test::Election* election;
  static test::ServerProcess* server;
  static tlog::Checkpoint checkpoint;
};

test::Election* Log::election = nullptr;
test::ServerProcess* Log::server = nullptr;
tlog::Checkpoint Log::checkpoint;

TEST_F(Log, VerifyPassesOnAnHonestServer) {
  test::TempDir state;
  auto r = verify(server->url(), state.path());
  EXPECT_TRUE(r.ok()) << all_problems(r);
  EXPECT_EQ(r.tree_size, checkpoint.size);
  EXPECT_EQ(r.statements_replayed, checkpoint.size);
  EXPECT_GT(r.results_in_force, election->def.tps.size());
  EXPECT_EQ(r.views_compared, election->def.regions.size() * kBallotCount);
  // A second run resumes: full bundles come from the state, and the log is still consistent.
  auto again = verify(server->url(), state.path());
  EXPECT_TRUE(again.ok()) << all_problems(again);
  EXPECT_EQ(again.previous_size, checkpoint.size);
  EXPECT_EQ(again.bundles_cached, checkpoint.size / 256);
}

TEST_F(Log, VerifyNamesAChangedByteInAnEntry) {
  test::TamperProxy proxy(server->url(), [](const std::string& path, std::string& body) {
    if (path == "/log/tile/entries/000") body[2 + 40] ^= 0x01;  // inside the first entry
  });
  auto r = verify(proxy.url());
  EXPECT_FALSE(r.ok());
  EXPECT_TRUE(mentions(r, "entry 0")) << all_problems(r);
  EXPECT_TRUE(mentions(r, "the entries hash to root")) << all_problems(r);
}

TEST_F(Log, VerifyNamesADroppedEntry) {
  test::TamperProxy proxy(server->url(), [](const std::string& path, std::string& body) {
    if (path != "/log/tile/entries/001") return;
    auto entries = tlog::parse_bundle(body);
    entries.erase(entries.begin() + 17);
    body = tlog::bundle_data(entries);
  });
  auto r = verify(proxy.url());
  EXPECT_FALSE(r.ok());
  EXPECT_TRUE(mentions(r, "tile/entries/001 holds 255 entries, not 256")) << all_problems(r);
}

TEST_F(Log, VerifyNamesAWrongHashTile) {
  test::TamperProxy proxy(server->url(), [](const std::string& path, std::string& body) {
    if (path == "/log/tile/0/002") body[100] ^= 0x01;
  });
  auto r = verify(proxy.url());
  EXPECT_TRUE(mentions(r, "hash tile tile/0/002 differs")) << all_problems(r);
}

TEST_F(Log, VerifyNamesAPublishedNumberThatIsNotTheLogs) {
  test::TamperProxy proxy(server->url(), [](const std::string& path, std::string& body) {
    if (path != "/api/v1/results/ppwp") return;
    auto doc = json::parse(body);
    auto& totals = doc.at("contests").as_array()[0].as_object()["totals"].as_object();
    totals["c1"] = totals["c1"].to_number<std::int64_t>() + 500;  // 117 published as 617
    body = json::serialize(doc);
  });
  auto r = verify(proxy.url());
  EXPECT_FALSE(r.ok());
  EXPECT_TRUE(mentions(r, "published result differs: ppwp nasional ppwp c1: published"))
      << all_problems(r);
}

TEST_F(Log, VerifyRefusesACheckpointNotSignedByTheLog) {
  test::TamperProxy proxy(server->url(), [](const std::string& path, std::string& body) {
    if (path == "/log/checkpoint") body[body.find('\n') + 1] ^= 0x01;  // the size line
  });
  auto r = verify(proxy.url());
  EXPECT_TRUE(mentions(r, "not signed by the log key")) << all_problems(r);
}

TEST_F(Log, FullTilesArePublishedAndProofsVerify) {
  HttpClient c(Url::parse(server->url()));
  fs::path publish = fs::path(election->data_dir) / "publish/log";
  std::uint64_t full = checkpoint.size / 256;
  ASSERT_GE(full, 4u);
  for (std::uint64_t n = 0; n < full; ++n) {
    for (bool entries : {false, true}) {
      std::string path = tlog::tile_path({0, n, 256, entries});
      std::ifstream in(publish / path, std::ios::binary);
      ASSERT_TRUE(in) << path << " is not in the publish directory";
      std::string file((std::istreambuf_iterator<char>(in)), {});
      EXPECT_EQ(file, c.get("/log/" + path).body) << path;
    }
  }
  EXPECT_TRUE(fs::exists(publish / "checkpoint"));
  EXPECT_EQ(c.get("/log/tile/0/999").status, 404);

  // One citizen checks one TPS: its result's leaf is in the signed tree.
  const Tps& t = election->def.tps[7];
  auto doc = json::parse(c.get("/api/v1/tps/" + t.code).body);
  const auto& proof = doc.at("ballots").at("ppwp").at("current").at("proof");
  std::vector<Hash32> hashes;
  for (const auto& h : proof.at("hashes").as_array()) {
    ASSERT_TRUE(from_hex(h.as_string(), hashes.emplace_back()));
  }
  Hash32 leaf;
  ASSERT_TRUE(from_hex(proof.at("leaf_hash").as_string(), leaf));
  auto cp = tlog::parse_checkpoint_body(tlog::parse_note(proof.at("checkpoint").as_string()).text);
  ASSERT_TRUE(cp);
  std::uint64_t index = proof.at("index").to_number<std::uint64_t>();
  EXPECT_TRUE(tlog::verify_inclusion(leaf, index, cp->size, hashes, cp->root));
  EXPECT_FALSE(tlog::verify_inclusion(leaf, index + 1, cp->size, hashes, cp->root));
}

TEST_F(Log, ResultsCarryETagsAndArePublishedAsFiles) {
  HttpClient c(Url::parse(server->url()));
  auto first = c.get("/api/v1/results/ppwp/11");
  ASSERT_EQ(first.status, 200);
  std::string etag = first.header("etag");
  ASSERT_FALSE(etag.empty());
  auto again = c.request("GET", "/api/v1/results/ppwp/11", "", "", {{"If-None-Match", etag}});
  EXPECT_EQ(again.status, 304);
  EXPECT_TRUE(again.body.empty());
  // The same bytes are in the publish directory, for nginx or a CDN.
  fs::path publish = fs::path(election->data_dir) / "publish";
  std::string file;
  for (int i = 0; i < 100 && file != first.body; ++i) {
    std::ifstream in(publish / "api/v1/results/ppwp/11.json", std::ios::binary);
    file.assign(std::istreambuf_iterator<char>(in), {});
    if (file != first.body) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_EQ(file, first.body);
  EXPECT_TRUE(fs::exists(publish / "api/v1/results/pdpr.json"));
  // Gzip for entry bundles, when asked for.
  auto bundle = c.request("GET", "/log/tile/entries/000", "", "", {{"Accept-Encoding", "gzip"}});
  EXPECT_EQ(bundle.header("content-encoding"), "gzip");
  EXPECT_EQ(bundle.header("cache-control"), "public, max-age=31536000, immutable");
  EXPECT_NE(c.get("/log/checkpoint").header("cache-control").find("max-age=2"), std::string::npos);
}

TEST(LogFork, CaughtByVerifyAndByAWitness) {
  crypto_init();
  test::Election e("tiny", 5);
  SecretKey admin = read_secret_key(e.admin_key);
  sim::Plan plan = sim::plan_election(e.def, admin, 1);
  std::size_t half = plan.results.size() / 2;
  std::vector<SignedStatement> first(plan.enrolments);
  first.insert(first.end(), plan.results.begin(), plan.results.begin() + std::ptrdiff_t(half));
  std::vector<SignedStatement> rest(plan.results.begin() + std::ptrdiff_t(half),
                                    plan.results.end());

  std::string witness_key = e.dir / "witness.key";
  write_key_files(SecretKey::from_seed(sha256("witness")), witness_key);
  {
    test::ServerProcess a(e);
    post_all(a.url(), first);
    settled_checkpoint(a.url());
  }
  // The operator keeps a copy, then lets the two copies tell different stories.
  std::string fork_dir = e.dir / "fork";
  std::string fork_store = e.copy(fork_dir);

  test::TempDir verify_state;
  audit::WitnessConfig w{"observer.example/w", witness_key, verify_state / "witness.state", {}};
  audit::VerifyOptions v;
  v.state_dir = verify_state / "verify";
  {
    test::ServerProcess a(e);
    post_all(a.url(), rest);
    settled_checkpoint(a.url());
    v.url = a.url();
    v.log_key = audit::RemoteLog(a.url()).published_key();
    w.logs = {v.log_key};
    auto report = audit::verify(v);
    ASSERT_TRUE(report.ok()) << report.to_text();
    // The witness pulls: its first checkpoint, then nothing new.
    audit::Witness witness(w);
    auto cosigned = audit::witness_pull(witness, a.url());
    EXPECT_EQ(cosigned.size, report.tree_size);
    EXPECT_EQ(cosigned.previous_size, 0u);
    EXPECT_TRUE(cosigned.cosignature.starts_with("— observer.example/w ")) << cosigned.cosignature;
    EXPECT_EQ(audit::witness_pull(witness, a.url()).previous_size, report.tree_size);
  }
  {
    test::ServerProcess b(fork_dir, fork_store);
    std::vector<SignedStatement> reordered(rest.rbegin(), rest.rend());
    post_all(b.url(), reordered);
    settled_checkpoint(b.url());
    v.url = b.url();
    auto report = audit::verify(v);
    EXPECT_FALSE(report.ok());
    EXPECT_TRUE(mentions(report, "the log rewrote history")) << report.to_text();
    // A new process, reading what the witness cosigned from its state file.
    audit::Witness witness(w);
    try {
      audit::witness_pull(witness, b.url());
      ADD_FAILURE() << "the witness cosigned a fork";
    } catch (const audit::AuditError& err) {
      EXPECT_NE(std::string(err.what()).find("forked"), std::string::npos) << err.what();
    }
  }
}

// The served checkpoint once it covers `size` entries and carries `lines` cosignatures (or the
// last answer, after five seconds).
HttpResult cosigned_checkpoint(HttpClient& c, std::uint64_t size, std::size_t lines) {
  HttpResult r;
  for (int i = 0; i < 100; ++i) {
    r = c.get("/log/checkpoint");
    if (r.status == 200) {
      tlog::Note note = tlog::parse_note(r.body);
      auto cp = tlog::parse_checkpoint_body(note.text);
      if (cp && cp->size == size && note.signatures.size() == 1 + lines) return r;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return r;
}

// A witness in this process, answering c2sp.org/tlog-witness on a port of its own.
struct TestWitness {
  test::TempDir dir;
  std::unique_ptr<audit::Witness> witness;
  std::unique_ptr<audit::WitnessHttp> routes;
  std::unique_ptr<http::HttpServer> server;
  std::thread runner;
  explicit TestWitness(const std::string& log_vkey) {
    write_key_files(SecretKey::from_seed(sha256("push witness")), dir / "w.key");
    witness = std::make_unique<audit::Witness>(
        audit::WitnessConfig{"push.example/w", dir / "w.key", dir / "state", {log_vkey}});
    routes = std::make_unique<audit::WitnessHttp>(*witness, "/witness");
    server = std::make_unique<http::HttpServer>(routes->router(), "127.0.0.1", 0);
    runner = std::thread([this] { server->run(1); });
  }
  ~TestWitness() {
    server->stop();
    runner.join();
  }
  // `rekap serve --witness`'s value.
  std::string spec() const {
    return witness->verifier_key() + " http://127.0.0.1:" + std::to_string(server->port()) +
           "/witness";
  }
};

TEST(WitnessPush, TheServerPushesCheckpointsAndServesOnlyCosignedOnesUnderAQuorum) {
  crypto_init();
  test::Election e("tiny", 8);
  SecretKey admin = read_secret_key(e.admin_key);
  sim::Plan plan = sim::plan_election(e.def, admin, 1);
  std::vector<SignedStatement> first(plan.enrolments), rest(plan.results);
  std::string log_vkey = read_file_or_throw(fs::path(e.data_dir) / "log.vkey");
  log_vkey.pop_back();
  auto log_key = *tlog::parse_verifier_key(log_vkey);
  TestWitness w(log_vkey);
  auto witness_key = *tlog::parse_verifier_key(w.witness->verifier_key());
  const std::vector<std::string> push{"--witness", w.spec(), "--witness-quorum", "1"};
  std::uint64_t size = 0;

  auto check = [&](const HttpResult& r, std::uint64_t want) {
    ASSERT_EQ(r.status, 200) << r.body;
    tlog::Note note = tlog::parse_note(r.body);
    auto cp = tlog::parse_checkpoint_body(note.text);
    ASSERT_TRUE(cp);
    ASSERT_EQ(cp->size, want) << r.body;
    ASSERT_EQ(note.signatures.size(), 2u) << r.body;
    EXPECT_TRUE(tlog::verify_note(note, log_key));
    auto when = tlog::verify_cosignature(note.text, note.signatures[1], witness_key);
    ASSERT_TRUE(when) << r.body;
    EXPECT_GT(*when, 1700000000u);
    EXPECT_EQ(w.witness->held(log_key.name).size, want);
  };
  {
    test::ServerProcess s(e, push);
    post_all(s.url(), first);
    HttpClient c(Url::parse(s.url()));
    size = stored(c);
    check(cosigned_checkpoint(c, size, 1), size);
  }
  {
    // A restarted server does not know what the witness holds: the witness's 409 tells it.
    test::ServerProcess s(e, push);
    post_all(s.url(), rest);
    HttpClient c(Url::parse(s.url()));
    size = stored(c);
    check(cosigned_checkpoint(c, size, 1), size);
  }
  {
    // Two witnesses asked for, one unreachable: no checkpoint reaches the quorum, none is served.
    SecretKey other = SecretKey::from_seed(sha256("other witness"));
    std::string unreachable =
        tlog::verifier_key("other.example/w", other.public_key(), tlog::kSigCosignatureV1) +
        " http://127.0.0.1:1/witness";
    test::ServerProcess s(
        e, {"--witness", w.spec(), "--witness", unreachable, "--witness-quorum", "2"});
    HttpClient c(Url::parse(s.url()));
    std::this_thread::sleep_for(std::chrono::milliseconds(600));
    EXPECT_EQ(c.get("/log/checkpoint").status, 404);
    // Without a quorum the newest checkpoint is served, with the cosignature it got.
  }
  {
    test::ServerProcess s(e, {"--witness", w.spec()});
    HttpClient c(Url::parse(s.url()));
    check(cosigned_checkpoint(c, size, 1), size);
  }
  // A quorum larger than the witnesses configured is refused at start.
  std::string out;
  std::vector<std::string> serve = {"serve",    "--data",           e.data_dir,
                                    "--listen", "127.0.0.1:0",      "--witness",
                                    w.spec(),   "--witness-quorum", "2"};
  if (!e.store.empty()) serve.insert(serve.end(), {"--store", e.store});
  EXPECT_NE(test::run_rekap(serve, &out), 0);
  EXPECT_NE(out.find("quorum"), std::string::npos) << out;
}

TEST(LogStore, AnAlteredStatementStopsTheServerAtStart) {
  crypto_init();
  test::Election e("tiny", 6);
  {
    test::ServerProcess s(e);
    sim::RunOptions o;
    o.url = s.url();
    o.check = false;
    ASSERT_TRUE(sim::run_election(e.def, read_secret_key(e.admin_key), o).ok());
  }
  // One digit of one stored result: 117 becomes 617, as in 2024.
  if (e.db) {
    const std::string changed = e.db->in_database(
        "UPDATE statements SET body = convert_to(replace(convert_from(body, 'UTF8'), "
        "'v suara_sah 1', 'v suara_sah 6'), 'UTF8') WHERE idx = (SELECT MIN(idx) FROM "
        "statements WHERE convert_from(body, 'UTF8') LIKE '%v suara_sah 1%') RETURNING idx");
    EXPECT_NE(changed, "") << "no stored result holds 'v suara_sah 1'";
  } else {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open((e.data_dir + "/rekap.db").c_str(), &db), SQLITE_OK);
    const char* sql =
        "UPDATE statements SET body = CAST(replace(CAST(body AS TEXT), 'v suara_sah 1', "
        "'v suara_sah 6') AS BLOB) WHERE idx = (SELECT MIN(idx) FROM statements WHERE "
        "CAST(body AS TEXT) LIKE '%v suara_sah 1%')";
    ASSERT_EQ(sqlite3_exec(db, sql, nullptr, nullptr, nullptr), SQLITE_OK);
    EXPECT_EQ(sqlite3_changes(db), 1);
    sqlite3_close(db);
  }
  try {
    test::ServerProcess s(e);
    ADD_FAILURE() << "the server started on an altered store";
  } catch (const std::exception& err) {
    EXPECT_NE(std::string(err.what()).find("has been altered"), std::string::npos) << err.what();
  }
}

}  // namespace
}  // namespace rekap
