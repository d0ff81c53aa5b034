#include <gtest/gtest.h>

#include "tally/tally.hpp"
#include "test_election.hpp"

namespace rekap {
namespace {

class TallyTest : public ::testing::Test {
 protected:
  const Definition& def = test::election();
  Tally tally{def};
  int ppwp = def.find_contest("ppwp");
  const FormLayout& layout = def.contests[ppwp].layout;
  int tps_a = def.find_tps("3171011001001");
  int tps_b = def.find_tps("3171011002001");
  std::vector<std::uint32_t> form(int tps, std::uint32_t voters) {
    return test::valid_form(layout, {def.tps[tps].dpt_l, def.tps[tps].dpt_p}, voters);
  }
  std::int64_t total(const std::string& code, const std::string& field) {
    return tally.find(def.find_region(code), Ballot::ppwp, ppwp)->sums[layout.find(field)];
  }
};

TEST_F(TallyTest, ExpectedCountsPerRegion) {
  EXPECT_EQ(tally.find(0, Ballot::ppwp, ppwp)->expected, 4u);
  EXPECT_EQ(tally.find(def.find_region("3171011002"), Ballot::ppwp, ppwp)->expected, 2u);
  EXPECT_EQ(tally.find(0, Ballot::ppwp, ppwp)->reported, 0u);
}

TEST_F(TallyTest, FirstResultAddsToEveryAncestor) {
  auto a = form(tps_a, 80);
  tally.replace(tps_a, Ballot::ppwp, {}, a);
  for (const char* code : {"", "31", "3171", "317101", "3171011001"}) {
    EXPECT_EQ(total(code, "suara_total"), 80) << code;
    EXPECT_EQ(tally.find(def.find_region(code), Ballot::ppwp, ppwp)->reported, 1u);
  }
  EXPECT_EQ(tally.find(def.find_region("3171011002"), Ballot::ppwp, ppwp)->reported, 0u);
  EXPECT_EQ(total("3171011002", "suara_total"), 0);
}

TEST_F(TallyTest, SupersedingSwapsValuesWithoutCountingTwice) {
  auto first = form(tps_a, 80);
  auto second = form(tps_a, 90);
  auto other = form(tps_b, 100);
  tally.replace(tps_a, Ballot::ppwp, {}, first);
  tally.replace(tps_b, Ballot::ppwp, {}, other);
  int desa = def.find_region("3171011001");
  int other_desa = def.find_region("3171011002");
  auto before = tally.version(desa, Ballot::ppwp);
  auto other_before = tally.version(other_desa, Ballot::ppwp);
  auto nation_before = tally.version(0, Ballot::ppwp);
  tally.replace(tps_a, Ballot::ppwp, first, second);
  EXPECT_GT(tally.version(desa, Ballot::ppwp), before) << "a cached view of the desa is stale";
  EXPECT_GT(tally.version(0, Ballot::ppwp), nation_before);
  EXPECT_EQ(tally.version(other_desa, Ballot::ppwp), other_before) << "the other desa is not";
  EXPECT_EQ(total("", "suara_total"), 190);
  EXPECT_EQ(total("3171011001", "suara_total"), 90);
  EXPECT_EQ(total("3171011002", "suara_total"), 100);
  EXPECT_EQ(tally.find(0, Ballot::ppwp, ppwp)->reported, 2u);
}

TEST_F(TallyTest, BallotsAndContestsAreSeparate) {
  int dpr = def.find_contest("pdpr-31-2");
  const FormLayout& dl = def.contests[dpr].layout;
  auto v = test::valid_form(dl, {def.tps[tps_a].dpt_l, def.tps[tps_a].dpt_p}, 70);
  tally.replace(tps_a, Ballot::pdpr, {}, v);
  EXPECT_EQ(tally.find(0, Ballot::pdpr, dpr)->sums[dl.find("suara_total")], 70);
  EXPECT_EQ(tally.find(0, Ballot::ppwp, ppwp)->reported, 0u);
  ASSERT_EQ(tally.region(0, Ballot::pdpr).size(), 1u);
}

}  // namespace
}  // namespace rekap
