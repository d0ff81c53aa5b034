// What several nodes coordinate through, on PostgreSQL: one lease holder at a time, appends
// fenced by the lease and the log's size, the queue and its answers, the durable size that
// followers read, and the notifications. Two PostgresStore objects on one database play two
// nodes. Skipped unless REKAP_TEST_PG names a server (tests/pg/with-postgres.sh).
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <memory>
#include <string>
#include <thread>

#include "crypto/keys.hpp"
#include "ingest/decision_text.hpp"
#include "store/postgres/postgres_store.hpp"
#include "unit/store_backends.hpp"

namespace rekap {
namespace {

using namespace std::chrono_literals;

constexpr const char* kTps = "3171011001001";

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(DecisionText, RoundTripsWhatAClientIsAnswered) {
  Decision d;
  d.kind = Decision::Kind::rejected;
  d.grounds = Decision::Grounds::invalid;
  d.code = "validation";
  d.message = "the form's arithmetic does not add up";
  d.index = 0;
  d.violations = {{"sah_total", "suara_sah", "==", 117, 617}};
  Decision back = ingest::decode_decision(ingest::encode_decision(d));
  EXPECT_EQ(back.kind, d.kind);
  EXPECT_EQ(back.grounds, d.grounds);
  EXPECT_EQ(back.code, d.code);
  EXPECT_EQ(back.message, d.message);
  EXPECT_EQ(back.violations, d.violations);

  Decision accepted;
  accepted.kind = Decision::Kind::duplicate;
  accepted.index = 4'896'809;
  back = ingest::decode_decision(ingest::encode_decision(accepted));
  EXPECT_EQ(back.kind, Decision::Kind::duplicate);
  EXPECT_EQ(back.index, 4'896'809u);
}

TEST(DecisionText, DamagedTextIsAnError) {
  for (const char* text : {"", "{}", "not json", R"({"kind":7,"grounds":0,"code":"","message":"",
      "index":0,"violations":[]})"}) {
    EXPECT_THROW(ingest::decode_decision(text), std::invalid_argument) << text;
  }
}

class CoordinationTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { crypto_init(); }
  void SetUp() override {
    if (const std::string why = unavailable(Backend::postgres); !why.empty()) GTEST_SKIP() << why;
    db_ = std::make_unique<PostgresTestDatabase>();
  }
  std::unique_ptr<PostgresStore> node(std::chrono::milliseconds lease = kDefaultLease) {
    return PostgresStore::open(db_->location(), OpenMode::create, lease);
  }
  std::string rows(const std::string& table) const {
    return db_->in_database("SELECT count(*) FROM " + table);
  }

  std::unique_ptr<PostgresTestDatabase> db_;
};

TEST_F(CoordinationTest, OneNodeHoldsTheLeaseUntilItsSessionEnds) {
  auto a = node();
  auto b = node();
  EXPECT_TRUE(a->try_lead());
  EXPECT_TRUE(a->try_lead()) << "asking again keeps it";
  EXPECT_FALSE(b->try_lead());
  a.reset();  // the process ends: its session, and the lock with it, a moment later
  bool taken = false;
  for (int i = 0; i < 100 && !taken; ++i) {
    taken = b->try_lead();
    if (!taken) std::this_thread::sleep_for(20ms);
  }
  EXPECT_TRUE(taken);
}

TEST_F(CoordinationTest, AnAppendOfANodeThatLostTheLeaseWritesNothing) {
  auto a = node();
  auto b = node();
  ASSERT_TRUE(a->try_lead());
  a->append_decided({make_statement(0, kTps, 0)}, {{kTps, 0, 0}}, {}, {});
  // The server closes a's sessions (as when a pauses past its lease); b takes over.
  EXPECT_EQ(db_->in_database("SELECT count(pg_terminate_backend(pid)) FROM pg_locks WHERE "
                             "locktype = 'advisory' AND objid = 1879048194 AND database = "
                             "(SELECT oid FROM pg_database WHERE datname = current_database())"),
            "1");
  for (int i = 0; i < 100 && !b->try_lead(); ++i) std::this_thread::sleep_for(20ms);
  ASSERT_TRUE(b->try_lead());
  ASSERT_EQ(b->refresh_size(), 1u);
  b->append_decided({make_statement(1, kTps, 0)}, {{kTps, 0, 1}}, {}, {});
  try {
    a->append_decided({make_statement(1, kTps, 1)}, {{kTps, 1, 1}}, {}, {});
    FAIL() << "expected FencedOut";
  } catch (const FencedOut& e) {
    EXPECT_TRUE(contains(e.what(), "no longer holds the sequencer's lease")) << e.what();
    EXPECT_TRUE(contains(e.what(), "nothing was written")) << e.what();
  }
  EXPECT_EQ(rows("statements"), "2");
  EXPECT_EQ(db_->in_database("SELECT count(*) FROM current WHERE ballot = 1"), "0");
  EXPECT_THROW(a->keep_lead(), FencedOut);
  EXPECT_FALSE(a->try_lead()) << "b holds it";
}

TEST_F(CoordinationTest, AnAppendThatDoesNotExtendTheLogIsFencedOut) {
  auto a = node();
  ASSERT_TRUE(a->try_lead());
  a->append_decided({make_statement(0, kTps, 0)}, {}, {}, {});
  // Someone else wrote entry 1 behind the sequencer's back (no node can: this is the check).
  db_->in_database(
      "INSERT INTO statements(idx, id, body, sig, received_ms, leaf) VALUES "
      "(1, 'x', 'y', 'z', 0, 'w')");
  EXPECT_THROW(a->append_decided({make_statement(1, kTps, 0)}, {}, {}, {}), FencedOut);
  EXPECT_EQ(rows("statements"), "2");
}

TEST_F(CoordinationTest, QueuedStatementsAreAnsweredInTheAppendsTransaction) {
  auto leader = node();
  auto follower = node();
  ASSERT_TRUE(leader->try_lead());
  const StoredStatement s = make_statement(0, kTps, 0);
  std::vector<std::uint64_t> ids =
      follower->enqueue({{0, s.body, s.signature}, {0, "second", s.signature}});
  ASSERT_EQ(ids.size(), 2u);
  EXPECT_LT(ids[0], ids[1]);
  auto queued = leader->queued(10);
  ASSERT_EQ(queued.size(), 2u);
  EXPECT_EQ(queued[0].id, ids[0]);
  EXPECT_EQ(queued[0].body, s.body);
  EXPECT_EQ(queued[0].signature, s.signature);
  EXPECT_EQ(queued[1].body, "second");
  EXPECT_TRUE(follower->take_answers(ids).empty()) << "not decided yet";

  leader->append_decided({s}, {{kTps, 0, 0}}, {}, {{ids[0], "yes"}, {ids[1], "no"}});
  EXPECT_TRUE(leader->queued(10).empty());
  auto answers = follower->take_answers(ids);
  ASSERT_EQ(answers.size(), 2u);
  EXPECT_EQ(answers[0].text, "yes");
  EXPECT_EQ(answers[1].text, "no");
  EXPECT_TRUE(follower->take_answers(ids).empty()) << "an answer is read once";
}

TEST_F(CoordinationTest, FollowersReadOnlyTheDurableSize) {
  auto leader = node();
  auto follower = node();
  ASSERT_TRUE(leader->try_lead());
  leader->append_decided({make_statement(0, kTps, 0)}, {}, {}, {});
  leader->append_decided({make_statement(1, kTps, 0)}, {}, {}, {});
  // Each append records the size before it: the entry just committed may not be on the
  // synchronous standby yet when another session sees it.
  EXPECT_EQ(follower->refresh_size(), 1u);
  EXPECT_EQ(follower->size(), 1u);
  leader->keep_lead();  // idle: the whole log is durable
  EXPECT_EQ(follower->refresh_size(), 2u);
  EXPECT_EQ(follower->size(), 2u);
}

TEST_F(CoordinationTest, NotificationsWakeTheOtherNodes) {
  auto leader = node();
  auto follower = node();
  ASSERT_TRUE(leader->try_lead());
  // The first call opens the listening session and reports every event.
  EXPECT_EQ(follower->wait_events(10ms), unsigned(kEventLog | kEventQueue | kEventAnswers));
  EXPECT_EQ(leader->wait_events(10ms), unsigned(kEventLog | kEventQueue | kEventAnswers));
  EXPECT_EQ(follower->wait_events(10ms), 0u);
  auto ids = follower->enqueue({{0, "a statement", {}}});
  EXPECT_EQ(leader->wait_events(2s) & kEventQueue, unsigned(kEventQueue));
  leader->append_decided({make_statement(0, kTps, 0)}, {}, {}, {{ids[0], "answer"}});
  unsigned seen = 0;
  for (int i = 0; i < 10 && seen != (kEventLog | kEventAnswers); ++i) {
    seen |= follower->wait_events(500ms);
  }
  EXPECT_EQ(seen & (kEventLog | kEventAnswers), unsigned(kEventLog | kEventAnswers));
}

TEST_F(CoordinationTest, AWriteSessionIdleLongerThanTheLeaseLosesIt) {
  // A lease the opening of a store under load (a few hundred ms) cannot outlast.
  auto a = node(std::chrono::milliseconds(1000));
  auto b = node();
  ASSERT_TRUE(a->try_lead());
  std::this_thread::sleep_for(2500ms);  // a stops answering for longer than its lease
  bool taken = false;
  for (int i = 0; i < 100 && !taken; ++i) {
    taken = b->try_lead();
    if (!taken) std::this_thread::sleep_for(20ms);
  }
  EXPECT_TRUE(taken);
  EXPECT_THROW(a->keep_lead(), FencedOut);
}

TEST_F(CoordinationTest, KeepAliveHoldsTheLeaseOfALiveProcessWhoseSequencerIsSlow) {
  auto a = node(std::chrono::milliseconds(1000));
  auto b = node();
  ASSERT_TRUE(a->try_lead());
  // a's sequencer takes three lease times over one batch; another of its threads keeps the
  // session.
  for (int i = 0; i < 15; ++i) {
    a->keep_alive();
    std::this_thread::sleep_for(200ms);
    EXPECT_FALSE(b->try_lead()) << "after " << (i + 1) * 200 << " ms";
  }
  EXPECT_NO_THROW(a->keep_lead());
  b->keep_alive();  // not the lease holder: nothing to keep, and nothing taken
  EXPECT_FALSE(b->try_lead());
}

TEST_F(CoordinationTest, ASessionThatIdledOutBeforeAskingAsksAgainOnANewOne) {
  auto a = node(std::chrono::milliseconds(1000));
  std::this_thread::sleep_for(2500ms);  // a starts slowly: the server ends its idle session
  EXPECT_TRUE(a->try_lead());
  EXPECT_NO_THROW(a->keep_lead());
}

TEST_F(CoordinationTest, KeepAliveFindsALostSessionAndTheLeaseEnds) {
  auto a = node();
  auto b = node();
  ASSERT_TRUE(a->try_lead());
  // The server ends a's session (a failover, an operator): the lock goes with it.
  db_->in_database(
      "SELECT count(pg_terminate_backend(pid)) FROM pg_locks WHERE locktype = 'advisory' "
      "AND granted");
  a->keep_alive();
  EXPECT_THROW(a->keep_lead(), FencedOut);
  bool taken = false;
  for (int i = 0; i < 100 && !taken; ++i) {
    taken = b->try_lead();
    if (!taken) std::this_thread::sleep_for(20ms);
  }
  EXPECT_TRUE(taken);
}

}  // namespace
}  // namespace rekap
