// The witness side of c2sp.org/tlog-witness: the add-checkpoint body, every answer of the
// decision (400, 403, 404, 409, 422, 200), the state left unchanged by each refusal and kept on
// disk by each cosignature, and the HTTP interface with its body limit (413).
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <random>
#include <thread>

#include "audit/witness.hpp"
#include "audit/witness_http.hpp"
#include "client/http_client.hpp"
#include "crypto/encoding.hpp"
#include "http/server.hpp"
#include "log/add_checkpoint.hpp"
#include "log/merkle.hpp"
#include "log/witness.hpp"
#include "util/files.hpp"

namespace rekap::tlog {
namespace {

namespace fs = std::filesystem;

constexpr const char* kOrigin = "example.org/log";
constexpr const char* kWitness = "witness.example/w";
constexpr std::uint64_t kNow = 1700000000;

// A log built here, with the Merkle code, signing its checkpoints with its own key.
class TestLog {
 public:
  // `entries` names the entries: two logs with other names hold other trees.
  explicit TestLog(std::string entries = "entry ")
      : key_(SecretKey::from_seed(sha256("log"))), entries_(std::move(entries)) {}
  void grow(std::uint64_t to) {
    while (tree_.size() < to) tree_.append(leaf_hash(entries_ + std::to_string(tree_.size())));
  }
  Hash32 root(std::uint64_t size) { return tree_root(tree_, size); }
  std::string checkpoint(std::uint64_t size, const SecretKey* signer = nullptr) {
    std::string body = checkpoint_body({kOrigin, size, root(size), {}});
    return sign_note(body, kOrigin, signer ? *signer : key_);
  }
  std::string request(std::uint64_t old, std::uint64_t size) {
    return format_add_checkpoint({old, consistency_proof(tree_, old, size), checkpoint(size)});
  }
  Verifier verifier() const { return *parse_verifier_key(vkey()); }
  std::string vkey() const { return verifier_key(kOrigin, key_.public_key()); }

 private:
  SecretKey key_;
  std::string entries_;
  MemoryHashReader tree_;
};

class WitnessLogic : public ::testing::Test {
 protected:
  void SetUp() override {
    crypto_init();
    log.grow(40);
    logs[kOrigin] = log.verifier();
  }
  WitnessAnswer ask(const std::string& body) {
    return add_checkpoint(body, logs, state, witness, kNow);
  }
  // Applies an answer's update, as the witness does once it is on disk.
  void record(const WitnessAnswer& a) {
    ASSERT_TRUE(a.update);
    state[a.update->first] = a.update->second;
  }

  TestLog log;
  std::map<std::string, Verifier> logs;
  WitnessState state;
  WitnessIdentity witness{kWitness, SecretKey::from_seed(sha256("witness"))};
  Verifier witness_key =
      *parse_verifier_key(verifier_key(kWitness, witness.key.public_key(), kSigCosignatureV1));
};

TEST(AddCheckpointBody, RoundTripsAndRefusesWhatTheSpecForbids) {
  Hash32 a = sha256("a"), b = sha256("b");
  AddCheckpoint r{20852014, {a, b}, "origin\n1\nroot\n\n— sig\n"};
  std::string body = format_add_checkpoint(r);
  EXPECT_EQ(body, "old 20852014\n" + to_base64(a) + "\n" + to_base64(b) + "\n\n" + r.checkpoint);
  EXPECT_EQ(parse_add_checkpoint(body), r);
  EXPECT_EQ(parse_add_checkpoint("old 0\n\nx").old_size, 0u);

  for (const std::string& bad : std::vector<std::string>{
           "", "old 1", "old 1\n", "new 1\n\nx", "old 01\n\nx", "old -1\n\nx", "old 1 \n\nx",
           "old\n\nx", "old 18446744073709551616\n\nx", "old 1\nnot base64\n\nx",
           "old 1\n" + to_base64(sha256("x")).substr(4) + "\n\nx",  // not 32 bytes
           "old 1\n" + to_base64(a),                                // no newline, no empty line
       }) {
    EXPECT_THROW(parse_add_checkpoint(bad), std::invalid_argument) << bad;
  }
  std::string lines = "old 5\n";
  for (int i = 0; i < 63; ++i) lines += to_base64(a) + "\n";
  EXPECT_EQ(parse_add_checkpoint(lines + "\nx").proof.size(), 63u);
  EXPECT_THROW(parse_add_checkpoint(lines + to_base64(a) + "\n\nx"), std::invalid_argument);
  AddCheckpoint too_long{5, std::vector<Hash32>(64, a), "x"};
  EXPECT_THROW(format_add_checkpoint(too_long), std::invalid_argument);

  EXPECT_EQ(format_tlog_size(42), "42\n");
  EXPECT_EQ(parse_tlog_size("42\n"), std::optional<std::uint64_t>(42));
  EXPECT_FALSE(parse_tlog_size("42"));
  EXPECT_FALSE(parse_tlog_size("042\n"));
  EXPECT_FALSE(parse_tlog_size("x\n"));
}

TEST_F(WitnessLogic, CosignsAFirstCheckpointAndThenOnlyExtensions) {
  WitnessAnswer a = ask(log.request(0, 10));
  ASSERT_EQ(a.status, 200) << a.body;
  EXPECT_EQ(a.content_type, "text/plain; charset=utf-8");
  // The answer is one signature line; with the checkpoint it is a note whose cosignature
  // verifies with the witness's key and carries the time it was made.
  std::string text = checkpoint_body({kOrigin, 10, log.root(10), {}});
  Note back = parse_note(log.checkpoint(10) + a.body);
  ASSERT_EQ(back.signatures.size(), 2u);
  EXPECT_EQ(verify_cosignature(text, back.signatures[1], witness_key),
            std::optional<std::uint64_t>(kNow));
  ASSERT_TRUE(a.update);
  EXPECT_EQ(a.update->first, kOrigin);
  EXPECT_EQ(a.update->second, (WitnessedTree{10, log.root(10)}));
  record(a);

  WitnessAnswer b = ask(log.request(10, 40));
  ASSERT_EQ(b.status, 200) << b.body;
  record(b);
  EXPECT_EQ(state[kOrigin], (WitnessedTree{40, log.root(40)}));
  // The same checkpoint again is cosigned again (a log that lost the answer asks once more).
  EXPECT_EQ(ask(log.request(40, 40)).status, 200);
  // A checkpoint carrying other signatures too (another witness's) is still cosigned.
  std::string extra = log.checkpoint(40) + "— other.example/w " +
                      to_base64(std::vector<std::uint8_t>(68, 7)) + "\n";
  EXPECT_EQ(ask(format_add_checkpoint({40, {}, extra})).status, 200);
}

TEST_F(WitnessLogic, EveryRefusalHasTheSpecsStatusAndChangesNothing) {
  record(ask(log.request(0, 10)));
  const WitnessState before = state;
  auto refused = [&](const std::string& body, int status) {
    WitnessAnswer a = ask(body);
    EXPECT_EQ(a.status, status) << a.body;
    EXPECT_FALSE(a.update) << "a refusal must not change the state";
    EXPECT_FALSE(a.body.starts_with("—")) << "a refusal carries no cosignature";
    return a;
  };
  // 400: malformed bodies, and an old size above the checkpoint's.
  refused("", 400);
  refused("old 10\n", 400);
  refused("old 10\n\nnot a note\n", 400);
  refused(
      format_add_checkpoint(
          {10, {}, sign_note("not\na checkpoint\n", kOrigin, SecretKey::from_seed(sha256("x")))}),
      400);
  refused(format_add_checkpoint({20, {}, log.checkpoint(15)}), 400);
  // 404: a log it does not know.
  std::string foreign = sign_note(checkpoint_body({"elsewhere.example/log", 10, log.root(10), {}}),
                                  "elsewhere.example/log", SecretKey::from_seed(sha256("e")));
  refused(format_add_checkpoint({10, {}, foreign}), 404);
  // 403: the origin it knows, signed by another key (under the log's name or another name).
  SecretKey impostor = SecretKey::from_seed(sha256("impostor"));
  refused(format_add_checkpoint({10, {}, log.checkpoint(40, &impostor)}), 403);
  std::string other_name =
      sign_note(checkpoint_body({kOrigin, 40, log.root(40), {}}), "someone.else", impostor);
  refused(format_add_checkpoint({10, {}, other_name}), 403);
  // 409: an old size other than the one it holds, with that size as text/x.tlog.size.
  WitnessAnswer stale = refused(log.request(0, 40), 409);
  EXPECT_EQ(stale.content_type, "text/x.tlog.size");
  EXPECT_EQ(stale.body, "10\n");
  EXPECT_EQ(refused(log.request(5, 40), 409).body, "10\n");
  // 409: the size it holds with another root (a fork).
  TestLog fork("forked entry ");
  fork.grow(10);
  ASSERT_NE(fork.root(10), log.root(10));
  std::string forked = fork.checkpoint(10);
  EXPECT_EQ(refused(format_add_checkpoint({10, {}, forked}), 409).body, "10\n");
  // 422: a proof that does not verify: a changed hash, a missing one, one too many, none.
  std::string cp40 = log.checkpoint(40);
  std::string right = log.request(10, 40);
  AddCheckpoint r = parse_add_checkpoint(right);
  ASSERT_GE(r.proof.size(), 2u);
  AddCheckpoint changed = r;
  changed.proof[0][0] ^= 1;
  refused(format_add_checkpoint(changed), 422);
  AddCheckpoint shorter = r;
  shorter.proof.pop_back();
  refused(format_add_checkpoint(shorter), 422);
  AddCheckpoint longer = r;
  longer.proof.push_back(sha256("more"));
  refused(format_add_checkpoint(longer), 422);
  refused(format_add_checkpoint({10, {}, cp40}), 422);
  EXPECT_EQ(state, before);
  // A proof with old size 0 must be empty.
  WitnessState fresh;
  WitnessAnswer zero =
      add_checkpoint(format_add_checkpoint({0, {sha256("x")}, cp40}), logs, fresh, witness, kNow);
  EXPECT_EQ(zero.status, 422);
  EXPECT_FALSE(zero.update);
  // After all that, the right request is still cosigned.
  EXPECT_EQ(ask(right).status, 200);
}

TEST(WitnessStateText, RoundTripsAndRefusesDamage) {
  WitnessState s{{"a.example/log", {5, sha256("a")}}, {"b example with spaces", {0, sha256("")}}};
  EXPECT_EQ(parse_witness_state(format_witness_state(s)), s);
  EXPECT_TRUE(parse_witness_state("").empty());
  EXPECT_THROW(parse_witness_state("5 nothex origin\n"), std::invalid_argument);
  EXPECT_THROW(parse_witness_state("x " + to_base64(sha256("a")) + " o\n"), std::invalid_argument);
  EXPECT_THROW(parse_witness_state("5 " + to_base64(sha256("a")) + "\n"), std::invalid_argument);
  std::string line = "5 " + to_base64(sha256("a")) + " o\n";
  EXPECT_THROW(parse_witness_state(line + line), std::invalid_argument);
}

// The witness with its state file: on disk before a cosignature is answered, untouched by a
// refusal, and read back by the next process.
class WitnessFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    crypto_init();
    dir = fs::temp_directory_path() / ("rekap-witness-" + std::to_string(::getpid()) + "-" +
                                       std::to_string(std::random_device{}()));
    fs::create_directories(dir);
    write_key_files(SecretKey::from_seed(sha256("witness")), (dir / "w.key").string());
    log.grow(40);
    config = {kWitness, (dir / "w.key").string(), (dir / "state").string(), {log.vkey()}};
  }
  void TearDown() override { fs::remove_all(dir); }
  std::string state_text() { return read_file(config.state_file).value_or("<none>"); }

  fs::path dir;
  TestLog log;
  audit::WitnessConfig config;
};

TEST_F(WitnessFiles, StateIsOnDiskBeforeTheAnswerAndUnchangedByRefusals) {
  {
    audit::Witness w(config);
    EXPECT_EQ(w.add_checkpoint(log.request(0, 10)).status, 200);
    EXPECT_EQ(state_text(), format_witness_state({{kOrigin, {10, log.root(10)}}}));
    const std::string after = state_text();
    EXPECT_EQ(w.add_checkpoint("old 10\n").status, 400);
    EXPECT_EQ(w.add_checkpoint(log.request(0, 40)).status, 409);
    AddCheckpoint bad = parse_add_checkpoint(log.request(10, 40));
    bad.proof[0][1] ^= 4;
    EXPECT_EQ(w.add_checkpoint(format_add_checkpoint(bad)).status, 422);
    EXPECT_EQ(state_text(), after);
    EXPECT_EQ(w.held(kOrigin), (WitnessedTree{10, log.root(10)}));
  }
  // A new process knows what the last one cosigned.
  audit::Witness again(config);
  EXPECT_EQ(again.held(kOrigin), (WitnessedTree{10, log.root(10)}));
  EXPECT_EQ(again.add_checkpoint(log.request(0, 40)).body, "10\n");
  EXPECT_EQ(again.add_checkpoint(log.request(10, 40)).status, 200);
  EXPECT_EQ(again.verifier_key(), audit::witness_verifier_key(kWitness, config.key_file));
}

TEST_F(WitnessFiles, RefusesBadConfigurationAndDamagedState) {
  auto bad = config;
  bad.logs = {"not a key"};
  EXPECT_THROW(audit::Witness{bad}, std::invalid_argument);
  bad.logs = {audit::witness_verifier_key(kWitness, config.key_file)};  // a cosigner, not a log
  EXPECT_THROW(audit::Witness{bad}, std::invalid_argument);
  bad.logs = {log.vkey(), log.vkey()};
  EXPECT_THROW(audit::Witness{bad}, std::invalid_argument);
  bad = config;
  bad.name = "has space";
  EXPECT_THROW(audit::Witness{bad}, std::invalid_argument);
  // A log whose origin differs from its key's name.
  bad = config;
  bad.logs = {log.vkey() + " another origin"};
  audit::Witness other(bad);
  EXPECT_EQ(other.add_checkpoint(log.request(0, 10)).status, 404);
  write_file_atomically(config.state_file, "damaged\n");
  EXPECT_THROW(audit::Witness{config}, std::runtime_error);
}

TEST_F(WitnessFiles, HttpAnswersTheSpecsStatusesAndBoundsTheBody) {
  audit::Witness w(config);
  audit::WitnessHttp routes(w, "/w");
  http::HttpServer server(routes.router(), "127.0.0.1", 0);
  std::thread runner([&] { server.run(1); });
  HttpClient c(Url::parse("http://127.0.0.1:" + std::to_string(server.port()) + "/w"));
  HttpResult ok = c.request("POST", "/add-checkpoint", log.request(0, 10), "text/plain");
  EXPECT_EQ(ok.status, 200) << ok.body;
  EXPECT_TRUE(ok.body.starts_with("— witness.example/w ")) << ok.body;
  HttpResult stale = c.request("POST", "/add-checkpoint", log.request(0, 20), "text/plain");
  EXPECT_EQ(stale.status, 409);
  EXPECT_EQ(stale.header("content-type"), "text/x.tlog.size");
  EXPECT_EQ(stale.body, "10\n");
  EXPECT_EQ(c.request("POST", "/add-checkpoint", "garbage", "text/plain").status, 400);
  const std::string before = state_text();
  HttpClient big(Url::parse("http://127.0.0.1:" + std::to_string(server.port()) + "/w"));
  std::string huge = "old 10\n\n" + std::string(audit::kAddCheckpointBodyLimit, 'x');
  EXPECT_EQ(big.request("POST", "/add-checkpoint", huge, "text/plain").status, 413);
  EXPECT_EQ(state_text(), before);
  HttpClient other(Url::parse("http://127.0.0.1:" + std::to_string(server.port())));
  EXPECT_EQ(other.get("/add-checkpoint").status, 404);
  EXPECT_EQ(other.get("/w/add-checkpoint").status, 405);
  server.stop();
  runner.join();
}

}  // namespace
}  // namespace rekap::tlog
