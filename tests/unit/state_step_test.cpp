// The one state step (tally/state_step.hpp) that the sequencer, the rebuild and the auditor take:
// a rejected statement changes nothing, a first result adds to the totals, a later one swaps the
// numbers it supersedes for its own, read through the caller's callback.
#include <gtest/gtest.h>

#include "tally/state_step.hpp"
#include "test_election.hpp"

namespace rekap {
namespace {

class StateStepTest : public ::testing::Test {
 protected:
  void SetUp() override {
    crypto_init();
    ASSERT_TRUE(step(test::genesis(def, admin)).decision.accepted());
    Statement st;
    st.type = StatementType::enrol;
    st.election = def.election_id;
    st.time = "2024-02-13T00:00:00Z";
    st.key = device.public_key();
    st.role = Role::kpps;
    st.scope = tps;
    ASSERT_TRUE(step(SignedStatement::sign(st, admin)).decision.accepted());
  }

  StateStep step(const SignedStatement& s) {
    StateStep out = step_state(ledger, s, no_images, superseded);
    if (out.change) tally.apply({&*out.change, 1});
    return out;
  }
  SignedStatement result(std::uint32_t rev, std::uint32_t voters) {
    Statement st;
    st.type = StatementType::result;
    st.election = def.election_id;
    st.time = "2024-02-14T13:00:00Z";
    st.tps = tps;
    st.ballot = Ballot::ppwp;
    st.rev = rev;
    const Tps& t = def.tps[std::size_t(def.find_tps(tps))];
    const FormLayout& layout = def.contests[std::size_t(t.contest[0])].layout;
    auto values = test::valid_form(layout, {t.dpt_l, t.dpt_p}, voters);
    for (std::size_t i = 0; i < values.size(); ++i)
      st.values.emplace_back(layout.fields[i].name, values[i]);
    return SignedStatement::sign(st, device);
  }
  std::int64_t nation_total_voters() const {
    const Totals* t = tally.find(0, Ballot::ppwp, def.tps[0].contest[0]);
    const FormLayout& layout = def.contests[std::size_t(t->contest)].layout;
    for (std::size_t i = 0; i < layout.fields.size(); ++i) {
      if (layout.fields[i].name == "suara_total") return t->sums[i];
    }
    return -1;
  }

  const Definition& def = test::election();
  SecretKey admin = SecretKey::from_seed(sha256("admin"));
  SecretKey device = SecretKey::from_seed(sha256("device 1"));
  Ledger ledger{def, admin.public_key()};
  Tally tally{def};
  std::string tps = "3171011001001";
  std::map<std::uint64_t, std::vector<std::uint32_t>> stored;  // what a store would hold
  std::vector<std::uint64_t> asked;
  Ledger::ImageExists no_images = [](const Hash32&) { return false; };
  SupersededValues superseded = [this](std::uint64_t index, int, Ballot) {
    asked.push_back(index);
    return stored.at(index);
  };
};

TEST_F(StateStepTest, ARejectedStatementChangesNothing) {
  SignedStatement stranger =
      SignedStatement::sign(result(1, 80).statement, SecretKey::from_seed(sha256("stranger")));
  StateStep s = step(stranger);
  EXPECT_FALSE(s.decision.accepted());
  EXPECT_EQ(s.decision.grounds, Decision::Grounds::not_enrolled);
  EXPECT_FALSE(s.change);
  EXPECT_EQ(ledger.size(), 2u);
  EXPECT_EQ(nation_total_voters(), 0);
}

TEST_F(StateStepTest, AFirstResultAddsAndALaterOneSwapsWhatItSupersedes) {
  StateStep first = step(result(1, 80));
  ASSERT_TRUE(first.decision.accepted()) << first.decision.message;
  ASSERT_TRUE(first.change);
  EXPECT_TRUE(first.change->previous.empty());
  EXPECT_EQ(first.change->current, first.decision.values);
  EXPECT_TRUE(asked.empty()) << "a first result supersedes nothing";
  EXPECT_EQ(nation_total_voters(), 80);
  stored[first.decision.index] = first.decision.values;

  StateStep second = step(result(2, 95));
  ASSERT_TRUE(second.decision.accepted()) << second.decision.message;
  ASSERT_EQ(asked, std::vector<std::uint64_t>{first.decision.index});
  EXPECT_EQ(second.change->previous, first.decision.values);
  EXPECT_EQ(nation_total_voters(), 95);
  EXPECT_EQ(tally.find(0, Ballot::ppwp, def.tps[0].contest[0])->reported, 1u);
}

TEST_F(StateStepTest, AnEnrolmentIsAppliedWithoutAChangeOfTotals) {
  Statement st;
  st.type = StatementType::enrol;
  st.election = def.election_id;
  st.time = "2024-02-13T00:00:00Z";
  st.key = SecretKey::from_seed(sha256("device 2")).public_key();
  st.role = Role::kpps;
  st.scope = tps;
  StateStep s = step(SignedStatement::sign(st, admin));
  EXPECT_TRUE(s.decision.accepted());
  EXPECT_FALSE(s.change);
  EXPECT_EQ(ledger.size(), 3u);
}

}  // namespace
}  // namespace rekap
