// Thousands of random results, duplicates and supersessions in random order, applied by deltas
// as the server does, must give the same totals as summing the results in force from scratch.
#include <gtest/gtest.h>

#include <map>
#include <random>

#include "core/ledger.hpp"
#include "sim/geo.hpp"
#include "tally/tally.hpp"
#include "test_election.hpp"

namespace rekap {
namespace {

void check_random_history(const Definition& def, std::uint64_t seed, int statements) {
  crypto_init();
  std::mt19937_64 rng(seed);
  SecretKey admin = SecretKey::from_seed(sha256("property admin"));
  Ledger ledger(def, admin.public_key());
  Tally tally(def);
  auto none = [](const Hash32&) { return false; };
  auto genesis = test::genesis(def, admin);
  ledger.apply(genesis, ledger.decide(genesis, none));
  std::vector<SecretKey> keys;
  for (const Tps& t : def.tps) {
    keys.push_back(SecretKey::from_seed(sha256("property device " + t.code)));
    Statement e;
    e.type = StatementType::enrol;
    e.election = def.election_id;
    e.time = "2024-02-13T00:00:00Z";
    e.key = keys.back().public_key();
    e.scope = t.code;
    auto s = SignedStatement::sign(e, admin);
    Decision d = ledger.decide(s, none);
    ASSERT_TRUE(d.accepted()) << d.message;
    ledger.apply(s, d);
  }
  std::vector<SignedStatement> pool;
  for (int i = 0; i < statements; ++i) {
    int tps = int(rng() % def.tps.size());
    const Tps& t = def.tps[tps];
    Ballot b = kAllBallots[rng() % kBallotCount];
    if (t.contest[int(b)] < 0) continue;
    const FormLayout& layout = def.contests[t.contest[int(b)]].layout;
    TpsParams params{t.dpt_l, t.dpt_p};
    Statement st;
    st.type = StatementType::result;
    st.election = def.election_id;
    st.time = "2024-02-14T13:00:00Z";
    st.tps = t.code;
    st.ballot = b;
    st.rev = 1 + std::uint32_t(rng() % 6);
    auto values = test::valid_form(layout, params, std::uint32_t(rng() % (params.max_value() + 1)));
    for (std::size_t f = 0; f < values.size(); ++f)
      st.values.emplace_back(layout.fields[f].name, values[f]);
    pool.push_back(SignedStatement::sign(st, keys[tps]));
    if (rng() % 5 == 0) pool.push_back(pool.back());  // a retry: the same bytes again
  }
  std::shuffle(pool.begin(), pool.end(), rng);

  std::map<std::uint64_t, std::vector<std::uint32_t>> values_at;  // log index -> values
  std::size_t accepted = 0, duplicates = 0, superseded = 0;
  for (const SignedStatement& s : pool) {
    Decision d = ledger.decide(s, none);
    if (d.kind == Decision::Kind::duplicate) ++duplicates;
    if (!d.accepted()) continue;
    ++accepted;
    ledger.apply(s, d);
    std::vector<std::uint32_t> previous;
    if (d.superseded) {
      previous = values_at.at(*d.superseded);
      ++superseded;
    }
    tally.replace(d.tps, s.statement.ballot, previous, d.values);
    values_at[d.index] = d.values;
  }
  ASSERT_GT(duplicates, 0u);
  ASSERT_GT(superseded, 0u);

  // From scratch: every region's sums over the TPS whose code lies inside it.
  for (std::size_t r = 0; r < def.regions.size(); ++r) {
    const Region& region = def.regions[r];
    for (Ballot b : kAllBallots) {
      std::map<int, std::vector<std::int64_t>> sums;
      std::map<int, std::uint32_t> reported;
      for (std::size_t t = 0; t < def.tps.size(); ++t) {
        int c = def.tps[t].contest[int(b)];
        if (c < 0 || !code_within(def.tps[t].code, region.code)) continue;
        auto& s = sums[c];
        s.resize(def.contests[c].layout.fields.size());
        auto cur = ledger.current(int(t), b);
        if (cur.rev == 0) continue;
        reported[c] += 1;
        const auto& v = values_at.at(cur.index);
        for (std::size_t f = 0; f < v.size(); ++f) s[f] += v[f];
      }
      ASSERT_EQ(tally.region(int(r), b).size(), sums.size()) << region.code;
      for (const auto& [c, want] : sums) {
        const Totals* got = tally.find(int(r), b, c);
        ASSERT_NE(got, nullptr);
        EXPECT_EQ(got->sums, want) << "region " << region.code << " contest " << def.contests[c].id;
        EXPECT_EQ(got->reported, reported[c]) << region.code;
      }
    }
  }
  ::testing::Test::RecordProperty("accepted", int(accepted));
}

TEST(TallyProperty, RandomHistoryMatchesRecomputeSmallElection) {
  for (std::uint64_t seed : {1, 2, 3}) check_random_history(test::election(), seed, 3000);
}

TEST(TallyProperty, RandomHistoryMatchesRecomputeSimulatedElection) {
  auto def = build_definition(sim::generate_geo({"small", 7}));
  check_random_history(def, 11, 6000);
}

}  // namespace
}  // namespace rekap
