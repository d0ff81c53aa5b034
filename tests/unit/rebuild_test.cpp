// The state rebuilt at start from a real SQLite store equals the state the statements built as
// they arrived, over many batches; a changed byte or a hole in the store stops it.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>

#include "core/ledger.hpp"
#include "ingest/rebuild.hpp"
#include "log/merkle.hpp"
#include "store/sqlite/sqlite_store.hpp"
#include "tally/tally.hpp"
#include "test_election.hpp"

namespace rekap {
namespace {

namespace fs = std::filesystem;

// The state of one server: what arrives live, or what a rebuild restores.
struct State {
  State(const Definition& def, const PublicKey& admin) : ledger(def, admin), tally(def) {}
  Ledger ledger;
  Tally tally;
  tlog::Frontier frontier;
};

class RebuildTest : public ::testing::Test {
 protected:
  void SetUp() override {
    crypto_init();
    dir = fs::temp_directory_path() /
          ("rekap-rebuild-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
           "-" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir);
    fs::create_directories(dir);
    store = SqliteStore::open((dir / "rekap.db").string());
  }
  void TearDown() override {
    store.reset();
    fs::remove_all(dir);
  }

  // Decides, applies and stores one statement as the sequencer does.
  void arrive(const SignedStatement& s) {
    auto trust = [](const Hash32&) { return true; };
    Decision d = live.ledger.decide(s, trust);
    ASSERT_TRUE(d.accepted()) << d.message;
    live.ledger.apply(s, d);
    std::vector<std::uint32_t> previous;
    if (d.superseded) previous = values.at(*d.superseded);
    if (d.tps >= 0) {
      live.tally.replace(d.tps, s.statement.ballot, previous, d.values);
      values[d.index] = d.values;
    }
    Hash32 leaf = tlog::leaf_hash(s.log_entry());
    std::vector<tlog::StoredNode> completed;
    live.frontier.append(leaf, completed);
    std::vector<TreeNode> completed_nodes;
    for (const auto& n : completed) completed_nodes.push_back({n.tile_level, n.index, n.hash});
    bool about_tps = d.tps >= 0;
    const Statement& st = s.statement;
    if (about_tps) current.push_back({st.tps, int(st.ballot), d.index});
    rows.push_back({d.index, s.id, leaf, s.body, s.signature, about_tps ? st.tps : "",
                    about_tps ? int(st.ballot) : -1, 0});
    nodes.insert(nodes.end(), completed_nodes.begin(), completed_nodes.end());
    if (rows.size() == 512) flush();
  }
  // Group commit, as the sequencer does.
  void flush() {
    store->append(rows, current, nodes);
    rows.clear();
    current.clear();
    nodes.clear();
  }

  Statement result(const Tps& t, Ballot b, std::uint32_t rev, std::uint32_t voters) {
    Statement st;
    st.type = StatementType::result;
    st.election = def.election_id;
    st.time = "2024-02-14T13:00:00Z";
    st.tps = t.code;
    st.ballot = b;
    st.rev = rev;
    const FormLayout& layout = def.contests[std::size_t(t.contest[int(b)])].layout;
    TpsParams params{t.dpt_l, t.dpt_p};
    auto v = test::valid_form(layout, params, std::min(voters, params.max_value()));
    for (std::size_t i = 0; i < v.size(); ++i) st.values.emplace_back(layout.fields[i].name, v[i]);
    return st;
  }

  // Enrolments, then many revisions of every TPS x ballot (each superseding the one before),
  // then corrections by the kecamatan: well over one batch of the rebuild.
  void election_night(std::uint32_t revisions) {
    arrive(test::genesis(def, admin));
    std::vector<SecretKey> devices;
    for (std::size_t i = 0; i < def.tps.size(); ++i) {
      devices.push_back(SecretKey::from_seed(sha256("device " + std::to_string(i))));
      Statement st;
      st.type = StatementType::enrol;
      st.election = def.election_id;
      st.time = "2024-02-13T00:00:00Z";
      st.key = devices.back().public_key();
      st.role = Role::kpps;
      st.scope = def.tps[i].code;
      arrive(SignedStatement::sign(st, admin));
    }
    for (std::uint32_t rev = 1; rev <= revisions; ++rev) {
      for (std::size_t i = 0; i < def.tps.size(); ++i) {
        for (int b = 0; b < kBallotCount; ++b) {
          if (def.tps[i].contest[b] < 0) continue;
          std::uint32_t voters = 20 + (rev * 7 + std::uint32_t(i) * 13 + std::uint32_t(b)) % 80;
          arrive(SignedStatement::sign(result(def.tps[i], Ballot(b), rev, voters), devices[i]));
        }
      }
    }
    flush();
    for (std::size_t i = 0; i < def.tps.size(); ++i) {
      Statement st = result(def.tps[i], Ballot::ppwp, revisions + 1, 42);
      st.type = StatementType::correction;
      st.supersedes = *find_id(live.ledger.current(int(i), Ballot::ppwp).index);
      st.reason = "C1 dibaca ulang oleh PPK";
      arrive(SignedStatement::sign(st, admin));
    }
    flush();
  }

  std::optional<Hash32> find_id(std::uint64_t index) {
    auto row = store->get(index);
    if (!row) return std::nullopt;
    return row->id;
  }

  void exec(const std::string& sql) {
    store.reset();  // the server is stopped while someone edits its file
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open((dir / "rekap.db").string().c_str(), &db), SQLITE_OK);
    char* err = nullptr;
    int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
    std::string message = err ? err : "";
    sqlite3_free(err);
    sqlite3_close(db);
    ASSERT_EQ(rc, SQLITE_OK) << message;
    store = SqliteStore::open((dir / "rekap.db").string());
  }

  const Definition& def = test::election();
  SecretKey admin = SecretKey::from_seed(sha256("admin"));
  fs::path dir;
  std::unique_ptr<SqliteStore> store;
  State live{def, admin.public_key()};
  std::map<std::uint64_t, std::vector<std::uint32_t>> values;
  std::vector<StoredStatement> rows;
  std::vector<CurrentUpdate> current;
  std::vector<TreeNode> nodes;
};

TEST_F(RebuildTest, RestoresTheStateTheStatementsBuiltAcrossManyBatches) {
  election_night(420);  // 20 TPS x ballot results x 420 revisions: three batches of 4096
  ASSERT_GT(store->size(), 2u * 4096);
  State rebuilt{def, admin.public_key()};
  ingest::RebuildStats stats = ingest::rebuild_state(*store, def, rebuilt.ledger, rebuilt.frontier,
                                                     rebuilt.tally, store->size());
  EXPECT_EQ(stats.statements, store->size());
  EXPECT_EQ(stats.results, def.tps.size() * kBallotCount);
  EXPECT_EQ(rebuilt.ledger.size(), live.ledger.size());
  EXPECT_EQ(rebuilt.frontier.root(), live.frontier.root());
  for (std::size_t r = 0; r < def.regions.size(); ++r) {
    for (int b = 0; b < kBallotCount; ++b) {
      EXPECT_EQ(rebuilt.tally.region(int(r), Ballot(b)), live.tally.region(int(r), Ballot(b)))
          << def.regions[r].code << " ballot " << b;
    }
  }
  for (std::size_t t = 0; t < def.tps.size(); ++t) {
    for (int b = 0; b < kBallotCount; ++b) {
      auto want = live.ledger.current(int(t), Ballot(b));
      auto got = rebuilt.ledger.current(int(t), Ballot(b));
      EXPECT_EQ(got.index, want.index);
      EXPECT_EQ(got.rev, want.rev);
      EXPECT_EQ(got.corrected, want.corrected);
    }
  }
  // The rebuilt ledger goes on deciding as the live one: a repeat is a duplicate.
  auto again = store->get(5000);
  ASSERT_TRUE(again);
  SignedStatement s;
  s.statement = decode_statement(again->body);
  s.id = again->id;
  EXPECT_EQ(rebuilt.ledger.decide(s, [](const Hash32&) { return true; }).kind,
            Decision::Kind::duplicate);
}

// A follower replays the log in pieces as it grows; the state it ends with is the same.
TEST_F(RebuildTest, ReplayInPiecesEndsInTheSameState) {
  election_night(230);  // 20 TPS x ballot results x 230 revisions: more than a batch of 4096
  const std::uint64_t end = store->size();
  State rebuilt{def, admin.public_key()};
  std::uint64_t replayed = 0;
  ASSERT_GT(end, 4197u);
  // Pieces of one entry, of less and of more than a batch of 4096.
  for (std::uint64_t upto :
       {std::uint64_t{1}, std::uint64_t{2}, std::uint64_t{100}, std::uint64_t{4197}, end}) {
    replayed +=
        ingest::rebuild_state(*store, def, rebuilt.ledger, rebuilt.frontier, rebuilt.tally, upto)
            .statements;
    EXPECT_EQ(rebuilt.ledger.size(), upto);
    EXPECT_EQ(rebuilt.frontier.size(), upto);
  }
  EXPECT_EQ(replayed, end);
  EXPECT_EQ(rebuilt.frontier.root(), live.frontier.root());
  for (std::size_t r = 0; r < def.regions.size(); ++r) {
    for (int b = 0; b < kBallotCount; ++b) {
      EXPECT_EQ(rebuilt.tally.region(int(r), Ballot(b)), live.tally.region(int(r), Ballot(b)));
    }
  }
}

TEST_F(RebuildTest, AChangedByteInABodyStopsItAndNamesTheStatement) {
  election_night(230);
  // A well-formed statement with one number changed: only the hashes can tell.
  exec(
      "UPDATE statements SET body = CAST(replace(CAST(body AS TEXT), 'v suara_sah ', "
      "'v suara_sah 1') AS BLOB) WHERE idx = 4500");
  State rebuilt{def, admin.public_key()};
  try {
    ingest::rebuild_state(*store, def, rebuilt.ledger, rebuilt.frontier, rebuilt.tally,
                          store->size());
    ADD_FAILURE() << "rebuilt from an altered store";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("stored statement 4500 "), std::string::npos) << e.what();
  }
}

TEST_F(RebuildTest, AHoleInTheLogStopsIt) {
  election_night(230);
  // Inside a batch, then at the last place of an earlier batch (which then comes up short).
  for (std::uint64_t hole : {4097, 4095}) {
    exec("DELETE FROM statements WHERE idx = " + std::to_string(hole));
    State rebuilt{def, admin.public_key()};
    try {
      ingest::rebuild_state(*store, def, rebuilt.ledger, rebuilt.frontier, rebuilt.tally,
                            store->size());
      ADD_FAILURE() << "rebuilt a log with a hole at " << hole;
    } catch (const std::runtime_error& e) {
      EXPECT_NE(
          std::string(e.what()).find("stored statement " + std::to_string(hole) + " is missing"),
          std::string::npos)
          << e.what();
    }
  }
}

}  // namespace
}  // namespace rekap
