#include <gtest/gtest.h>

#include <functional>
#include <set>

#include "core/rules.hpp"
#include "test_election.hpp"

namespace rekap {
namespace {

using test::set;

struct RuleCase {
  std::string name;
  std::string contest;
  std::uint32_t voters;  // turnout of the valid form the case starts from
  std::function<void(const FormLayout&, std::vector<std::uint32_t>&)> mutate;
  std::set<std::string> broken;  // the rule ids the mutation must break, and no others
  std::string field;             // field named by the first violation of broken rules
};

const TpsParams kTps{50, 50};  // 100 registered voters, values up to 102

std::vector<RuleCase> cases() {
  return {
      {"sex_sum",
       "ppwp",
       80,
       [](auto& l, auto& v) { set(l, v, "disabilitas_l", 1); },
       {"sex_sum"},
       "disabilitas_j"},
      {"registry_dpt",
       "ppwp",
       80,
       [](auto& l, auto& v) {
         set(l, v, "pemilih_dpt_l", 1);
         set(l, v, "pemilih_dpt_p", -1);
       },
       {"registry_dpt"},
       "pemilih_dpt_l"},
      {"voters_sum",
       "ppwp",
       80,
       [](auto& l, auto& v) {
         set(l, v, "pengguna_total_l", 1);
         set(l, v, "pengguna_total_p", -1);
       },
       {"voters_sum"},
       "pengguna_total_l"},
      {"dpt_turnout",
       "ppwp",
       102,
       [](auto& l, auto& v) {
         // Count the DPTb voters as DPT voters: more DPT voters than the DPT has.
         for (const char* s : {"_l", "_p", "_j"}) {
           int moved = v[l.find(std::string("pengguna_dptb") + s)];
           set(l, v, std::string("pengguna_dpt") + s, moved);
           set(l, v, std::string("pengguna_dptb") + s, -moved);
         }
       },
       {"dpt_turnout"},
       "pengguna_dpt_j"},
      {"disabled_le_voters",
       "ppwp",
       60,
       [](auto& l, auto& v) {
         set(l, v, "disabilitas_l", 34);
         set(l, v, "disabilitas_p", 34);
         set(l, v, "disabilitas_j", 68);
       },
       {"disabled_le_voters"},
       "disabilitas_j"},
      {"ballots_balance",
       "ppwp",
       80,
       [](auto& l, auto& v) { set(l, v, "ss_sisa", 1); },
       {"ballots_balance"},
       "ss_diterima"},
      {"ballots_used",
       "ppwp",
       80,
       [](auto& l, auto& v) {
         set(l, v, "ss_digunakan", 1);
         set(l, v, "ss_sisa", -1);
       },
       {"ballots_used"},
       "ss_digunakan"},
      {"votes_sum",
       "ppwp",
       80,
       [](auto& l, auto& v) { set(l, v, "c1", 1); },
       {"votes_sum"},
       "suara_sah"},
      {"votes_sum_party",
       "pdpr-31-2",
       80,
       [](auto& l, auto& v) {
         set(l, v, "p1", 1);
         set(l, v, "p1t", 1);
       },
       {"votes_sum"},
       "suara_sah"},
      {"party_total",
       "pdpr-31-2",
       80,
       [](auto& l, auto& v) { set(l, v, "p2c1", 1); },
       {"party_total"},
       "p2t"},
      {"valid_invalid",
       "ppwp",
       80,
       [](auto& l, auto& v) {
         set(l, v, "suara_sah", 1);
         set(l, v, "c1", 1);
       },
       {"valid_invalid"},
       "suara_total"},
      {"total_voters",
       "ppwp",
       80,
       [](auto& l, auto& v) {
         set(l, v, "suara_total", 1);
         set(l, v, "suara_tidak_sah", 1);
       },
       {"total_voters"},
       "suara_total"},
      {"bounds",
       "pdpd-31",
       80,
       [](auto& l, auto& v) {
         // 117 read as 617: the number is beyond any TPS, and the sums break too.
         set(l, v, "c1", 500);
       },
       {"bounds", "votes_sum"},
       "c1"},
  };
}

class RuleTest : public ::testing::TestWithParam<RuleCase> {};

TEST_P(RuleTest, ValidFormPassesAndMutationBreaksExactlyTheRule) {
  const RuleCase& rc = GetParam();
  const Definition& def = test::election();
  const FormLayout& layout = def.contests[def.find_contest(rc.contest)].layout;
  auto values = test::valid_form(layout, kTps, rc.voters);
  ASSERT_TRUE(check_form(layout, kTps, values).empty()) << "the starting form must be valid";

  rc.mutate(layout, values);
  auto violations = check_form(layout, kTps, values);
  std::set<std::string> broken;
  for (const auto& v : violations) broken.insert(v.rule);
  EXPECT_EQ(broken, rc.broken);
  bool named = false;
  for (const auto& v : violations) named |= v.field == rc.field && rc.broken.count(v.rule);
  EXPECT_TRUE(named) << "no violation names field " << rc.field;
}

INSTANTIATE_TEST_SUITE_P(EveryRule, RuleTest, ::testing::ValuesIn(cases()),
                         [](const auto& info) { return info.param.name; });

TEST(Rules, ViolationReportsExpectedAndGot) {
  const Definition& def = test::election();
  const FormLayout& layout = def.contests[def.find_contest("ppwp")].layout;
  auto values = test::valid_form(layout, kTps, 80);
  std::uint32_t sah = values[layout.find("suara_sah")];
  set(layout, values, "c2", 7);
  auto violations = check_form(layout, kTps, values);
  ASSERT_EQ(violations.size(), 1u);
  EXPECT_EQ(violations[0].rule, "votes_sum");
  EXPECT_EQ(violations[0].field, "suara_sah");
  EXPECT_EQ(violations[0].op, "==");
  EXPECT_EQ(violations[0].expected, sah + 7);
  EXPECT_EQ(violations[0].got, sah);
}

TEST(Rules, BoundIsRegisteredVotersPlusTwoPercentRoundedUp) {
  EXPECT_EQ((TpsParams{50, 50}).max_value(), 102u);
  EXPECT_EQ((TpsParams{120, 130}).max_value(), 255u);
  EXPECT_EQ((TpsParams{1, 0}).max_value(), 2u);
  EXPECT_EQ((TpsParams{0, 0}).max_value(), 0u);
}

TEST(Rules, ValueAtTheBoundPassesOneAboveFails) {
  const Definition& def = test::election();
  const FormLayout& layout = def.contests[def.find_contest("ppwp")].layout;
  auto values = test::valid_form(layout, kTps, 102);
  EXPECT_TRUE(check_form(layout, kTps, values).empty());
  EXPECT_EQ(values[layout.find("ss_diterima")], 102u);
  set(layout, values, "ss_diterima", 1);
  set(layout, values, "ss_sisa", 1);
  auto violations = check_form(layout, kTps, values);
  ASSERT_EQ(violations.size(), 1u);
  EXPECT_EQ(violations[0].rule, "bounds");
  EXPECT_EQ(violations[0].field, "ss_diterima");
  EXPECT_EQ(violations[0].expected, 102);
  EXPECT_EQ(violations[0].got, 103);
}

}  // namespace
}  // namespace rekap
