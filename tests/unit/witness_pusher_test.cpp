// The log's side of c2sp.org/tlog-witness: what the pusher sends, how it takes a 409, and what
// it does with answers it cannot use. The witness here is rekap's own, called without HTTP.
#include <gtest/gtest.h>

#include <filesystem>
#include <random>

#include "audit/witness.hpp"
#include "log/add_checkpoint.hpp"
#include "log/witness_pusher.hpp"
#include "server/app.hpp"
#include "test_election.hpp"
#include "util/files.hpp"

namespace rekap {
namespace {

namespace fs = std::filesystem;

constexpr const char* kWitnessName = "pusher.example/w";

class WitnessPusherTest : public ::testing::Test {
 protected:
  void SetUp() override {
    crypto_init();
    root = fs::temp_directory_path() / ("rekap-pusher-" + std::to_string(std::random_device{}()));
    server::init_data_dir((root / "data").string(), test::election_files(),
                          [this] { return admin; });
    write_key_files(SecretKey::from_seed(sha256("pusher witness")), (root / "w.key").string());
    witness_vkey = audit::witness_verifier_key(kWitnessName, (root / "w.key").string());
    server::AppOptions options;
    options.checkpoint_interval = std::chrono::milliseconds(20);
    // The App's own pusher finds nobody there; the tests push with their own.
    options.witnesses = {witness_vkey + " http://127.0.0.1:1"};
    app = std::make_unique<server::App>((root / "data").string(), options);
    std::string log_vkey = read_file_or_throw(root / "data/log.vkey");
    log_vkey.pop_back();
    witness = std::make_unique<audit::Witness>(audit::WitnessConfig{
        kWitnessName, (root / "w.key").string(), (root / "w.state").string(), {log_vkey}});
  }
  void TearDown() override {
    app.reset();
    fs::remove_all(root);
  }

  // A pusher whose one witness answers with `answer`, every request recorded.
  tlog::WitnessPusher pusher(std::function<tlog::WitnessReply(const std::string&)> answer) {
    tlog::WitnessEndpoint w{"test", *tlog::parse_verifier_key(witness_vkey),
                            [this, answer](const std::string& body) {
                              requests.push_back(tlog::parse_add_checkpoint(body));
                              return answer(body);
                            }};
    return tlog::WitnessPusher(
        app->log(), app->store(), {w}, [] { return true; }, std::chrono::milliseconds(20));
  }
  // The real witness's answer.
  tlog::WitnessReply real(const std::string& body) {
    tlog::WitnessAnswer a = witness->add_checkpoint(body);
    return {a.status, a.content_type, a.body};
  }
  std::size_t served_cosignatures() {
    return tlog::parse_note(app->log().checkpoint_text()).signatures.size() - 1;
  }

  fs::path root;
  SecretKey admin = SecretKey::from_seed(sha256("admin"));
  std::string witness_vkey;
  std::unique_ptr<server::App> app;
  std::unique_ptr<audit::Witness> witness;
  std::vector<tlog::AddCheckpoint> requests;
};

TEST_F(WitnessPusherTest, PushesFromWhatTheWitnessHoldsAndLearnsItFromA409) {
  auto first = pusher([this](const std::string& b) { return real(b); });
  EXPECT_EQ(first.push_round(), 1u);
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].old_size, 0u);
  EXPECT_TRUE(requests[0].proof.empty());
  EXPECT_EQ(requests[0].checkpoint, app->log().latest_note());
  EXPECT_EQ(served_cosignatures(), 1u);
  // Nothing new: nothing sent.
  EXPECT_EQ(first.push_round(), 0u);
  EXPECT_EQ(requests.size(), 1u);

  // A pusher that does not know what the witness holds (a restart, another sequencer): the
  // witness's 409 says it, and the same round asks again from there.
  requests.clear();
  auto second = pusher([this](const std::string& b) { return real(b); });
  EXPECT_EQ(second.push_round(), 1u);
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].old_size, 0u);
  // The witness holds the checkpoint it cosigned before: the retry is from its size.
  EXPECT_EQ(requests[1].old_size,
            tlog::parse_checkpoint_body(tlog::parse_note(requests[1].checkpoint).text)->size);
}

TEST_F(WitnessPusherTest, AnswersItCannotUseCosignNothing) {
  const std::vector<std::function<tlog::WitnessReply(const std::string&)>> useless{
      [](const std::string&) -> tlog::WitnessReply { throw std::runtime_error("unreachable"); },
      [](const std::string&) {
        return tlog::WitnessReply{200, "text/plain", "garbage\n"};
      },
      [](const std::string&) {
        return tlog::WitnessReply{409, "text/plain", "1\n"};
      },
      [](const std::string&) {
        return tlog::WitnessReply{409, tlog::kTlogSizeType, "x\n"};
      },
      [](const std::string&) {
        return tlog::WitnessReply{409, tlog::kTlogSizeType, "99999\n"};
      },
      [](const std::string&) {
        return tlog::WitnessReply{403, "text/plain", "no\n"};
      },
      [](const std::string&) {
        return tlog::WitnessReply{500, "text/plain", ""};
      },
  };
  for (std::size_t i = 0; i < useless.size(); ++i) {
    requests.clear();
    auto p = pusher(useless[i]);
    EXPECT_EQ(p.push_round(), 0u) << i;
    EXPECT_LE(requests.size(), 2u) << i << ": at most one retry";
  }
  EXPECT_EQ(served_cosignatures(), 0u);
  // A 409 always naming the size just sent is not retried for ever.
  requests.clear();
  auto stuck = pusher([](const std::string&) {
    return tlog::WitnessReply{409, tlog::kTlogSizeType, "0\n"};
  });
  EXPECT_EQ(stuck.push_round(), 0u);
  EXPECT_EQ(requests.size(), 1u);
}

}  // namespace
}  // namespace rekap
