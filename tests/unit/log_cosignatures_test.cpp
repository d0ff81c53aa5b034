// The log service's side of the witnesses: which cosignatures it keeps (configured witnesses,
// valid, timestamped, of a checkpoint it signed), which checkpoint it serves with and without a
// quorum, and that the cosignatures survive a restart through the store.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <random>
#include <thread>

#include "crypto/encoding.hpp"
#include "log/note.hpp"
#include "server/app.hpp"
#include "test_election.hpp"

namespace rekap {
namespace {

namespace fs = std::filesystem;

// Two witnesses the log knows (nowhere to be reached: the tests hand their answers in), and one
// it does not.
class LogCosignatures : public ::testing::Test {
 protected:
  void SetUp() override {
    crypto_init();
    root = fs::temp_directory_path() / ("rekap-cosign-" + std::to_string(std::random_device{}()));
    server::init_data_dir((root / "data").string(), test::election_files(),
                          [this] { return admin; });
  }
  void TearDown() override {
    app.reset();
    fs::remove_all(root);
  }
  void open(std::size_t quorum) {
    app.reset();
    server::AppOptions options;
    options.checkpoint_interval = std::chrono::milliseconds(20);
    for (const Witness* w : {&w1, &w2})
      options.witnesses.push_back(w->vkey() + " http://127.0.0.1:1");
    options.witness_quorum = quorum;
    app = std::make_unique<server::App>((root / "data").string(), options);
  }

  struct Witness {
    std::string name;
    SecretKey key;
    std::string vkey() const {
      return tlog::verifier_key(name, key.public_key(), tlog::kSigCosignatureV1);
    }
    // Its answer to add-checkpoint for `note`, made at `time`.
    std::string line(const std::string& note, std::uint64_t time) const {
      std::string text = tlog::parse_note(note).text;
      std::string full = tlog::format_note({text, {tlog::cosign(text, name, key, time)}});
      return full.substr(text.size() + 1);
    }
  };

  fs::path root;
  SecretKey admin = SecretKey::from_seed(sha256("admin"));
  Witness w1{"w1.example/w", SecretKey::from_seed(sha256("w1"))};
  Witness w2{"w2.example/w", SecretKey::from_seed(sha256("w2"))};
  Witness stranger{"stranger.example/w", SecretKey::from_seed(sha256("stranger"))};
  std::unique_ptr<server::App> app;
};

TEST_F(LogCosignatures, KeepsOnlyValidTimestampedCosignaturesOfConfiguredWitnesses) {
  open(0);
  tlog::LogService& log = app->log();
  const std::string note = log.latest_note();
  ASSERT_FALSE(note.empty());
  EXPECT_EQ(log.checkpoint_text(), note);

  EXPECT_EQ(log.add_cosignatures(note, stranger.line(note, 1700000000)), 0u);
  EXPECT_EQ(log.add_cosignatures(note, "not a signature line\n"), 0u);
  // A valid Ed25519 signature of the spec's message with a timestamp of 0.
  std::string text = tlog::parse_note(note).text;
  Signature zero = w1.key.sign("cosignature/v1\ntime 0\n" + text);
  std::string raw =
      std::string(4, '\0') + std::string(8, '\0') + std::string(zero.begin(), zero.end());
  std::uint32_t id = tlog::key_id(w1.name, w1.key.public_key(), tlog::kSigCosignatureV1);
  for (int k = 0; k < 4; ++k) raw[std::size_t(k)] = char(id >> (24 - 8 * k));
  EXPECT_EQ(log.add_cosignatures(note, "— " + w1.name + " " + to_base64(as_bytes(raw)) + "\n"), 0u);
  // A cosignature of another checkpoint (one this log never signed) is refused.
  std::string forged = tlog::sign_note("rekap.local/other\n1\n" + to_base64(sha256("x")) + "\n",
                                       "rekap.local/other", admin);
  EXPECT_EQ(log.add_cosignatures(forged, w1.line(forged, 1700000000)), 0u);
  EXPECT_EQ(log.checkpoint_text(), note);

  EXPECT_EQ(log.add_cosignatures(note, w1.line(note, 1700000000)), 1u);
  EXPECT_EQ(log.add_cosignatures(note, w2.line(note, 1700000001) + stranger.line(note, 5)), 1u);
  tlog::Note served = tlog::parse_note(log.checkpoint_text());
  ASSERT_EQ(served.signatures.size(), 3u);
  EXPECT_EQ(served.signatures[1].name, w1.name);
  EXPECT_EQ(served.signatures[2].name, w2.name);

  // After a restart (or on another node) the store gives them back.
  open(0);
  EXPECT_EQ(tlog::parse_note(app->log().checkpoint_text()).signatures.size(), 3u);
}

TEST_F(LogCosignatures, AQuorumServesOnlyCheckpointsThatEnoughWitnessesCosigned) {
  open(2);
  tlog::LogService& log = app->log();
  const std::string note = log.latest_note();
  EXPECT_EQ(log.checkpoint_text(), "");
  EXPECT_EQ(log.get("checkpoint").status, 404);
  std::uint64_t size = 7;
  EXPECT_TRUE(log.inclusion_proof(0, size).empty());
  EXPECT_EQ(size, 0u);

  EXPECT_EQ(log.add_cosignatures(note, w1.line(note, 1700000000)), 1u);
  EXPECT_EQ(log.checkpoint_text(), "") << "one of two";
  EXPECT_EQ(log.add_cosignatures(note, w2.line(note, 1700000000)), 1u);
  EXPECT_EQ(log.get("checkpoint").status, 200);
  EXPECT_EQ(tlog::parse_note(log.checkpoint_text()).signatures.size(), 3u);

  // Restarted with the same quorum, it serves the same checkpoint at once.
  open(2);
  EXPECT_EQ(tlog::parse_note(app->log().checkpoint_text()).signatures.size(), 3u);
  // A quorum above the witnesses configured is refused.
  server::AppOptions options;
  options.witnesses = {w1.vkey() + " http://127.0.0.1:1"};
  options.witness_quorum = 2;
  app.reset();
  EXPECT_THROW(server::App((root / "data").string(), options), std::invalid_argument);
  options.witnesses = {w1.vkey()};
  options.witness_quorum = 0;
  EXPECT_THROW(server::App((root / "data").string(), options), std::invalid_argument);
}

}  // namespace
}  // namespace rekap
