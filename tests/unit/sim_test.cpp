#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <set>
#include <stdexcept>

#include <unistd.h>

#include "core/definition.hpp"
#include "core/rules.hpp"
#include "sim/geo.hpp"
#include "sim/votes.hpp"
#include "util/files.hpp"

namespace rekap::sim {
namespace {

Definition build(const std::string& scale, std::uint64_t seed) {
  return build_definition(generate_geo(GeoOptions{scale, seed}));
}

bool is_overseas(const Tps& t) {
  return t.code.starts_with("99");
}

TEST(SimGeo, TinyBuilds) {
  auto files = generate_geo(GeoOptions{});
  EXPECT_NO_THROW(build_definition(files));
  for (const char* name : kDefinitionFileNames) EXPECT_TRUE(files.contains(name)) << name;
  Definition def = build_definition(files);
  EXPECT_EQ(def.election_id, "sim-tiny-1");
  EXPECT_EQ(def.election_date, "2024-02-14");
}

TEST(SimGeo, TinyRegionsAndTps) {
  Definition def = build("tiny", 1);
  std::map<Level, int> per_level;
  for (const Region& r : def.regions) ++per_level[r.level];
  EXPECT_EQ(per_level[Level::nation], 1);
  EXPECT_EQ(per_level[Level::province], 2);   // Aceh and abroad
  EXPECT_EQ(per_level[Level::kabkota], 3);    // 2 + 1 country
  EXPECT_EQ(per_level[Level::kecamatan], 5);  // 4 + 1 city
  EXPECT_EQ(per_level[Level::desa], 9);       // 8 + 1
  ASSERT_EQ(def.tps.size(), 26u);
  EXPECT_EQ(def.regions[def.find_region("11")].name, "ACEH");
  EXPECT_EQ(def.regions[def.find_region("99")].name, "LUAR NEGERI");

  int overseas = 0;
  for (const Tps& t : def.tps) {
    EXPECT_EQ(t.code.size(), 13u);
    EXPECT_GE(t.code.substr(10), "001");
    EXPECT_GE(t.dpt(), 150u);
    EXPECT_LE(t.dpt(), 300u);
    EXPECT_GE(t.contest[int(Ballot::ppwp)], 0) << t.code;
    EXPECT_GE(t.contest[int(Ballot::pdpr)], 0) << t.code;
    if (is_overseas(t)) {
      ++overseas;
      EXPECT_EQ(t.contest[int(Ballot::pdpd)], -1) << t.code;
      EXPECT_EQ(t.contest[int(Ballot::pdprdp)], -1) << t.code;
      EXPECT_EQ(t.contest[int(Ballot::pdprdk)], -1) << t.code;
    } else {
      for (Ballot b : kAllBallots) EXPECT_GE(t.contest[int(b)], 0) << t.code;
    }
  }
  EXPECT_EQ(overseas, 2);
  EXPECT_EQ(def.tps_count(0, Ballot::ppwp), 26u);
  EXPECT_EQ(def.tps_count(0, Ballot::pdpr), 26u);
  EXPECT_EQ(def.tps_count(0, Ballot::pdpd), 24u);
  EXPECT_EQ(def.tps_count(0, Ballot::pdprdk), 24u);
}

TEST(SimGeo, TinyContestsAndCandidates) {
  Definition def = build("tiny", 1);
  std::map<Ballot, int> per_ballot;
  for (const Contest& c : def.contests) {
    ++per_ballot[c.ballot];
    if (c.ballot == Ballot::ppwp) {
      ASSERT_EQ(c.candidates.size(), 3u);
      EXPECT_EQ(c.candidates[1].name, "PRABOWO SUBIANTO - GIBRAN RAKABUMING RAKA");
    } else if (c.ballot == Ballot::pdpd) {
      EXPECT_EQ(c.candidates.size(), 4u);
      EXPECT_EQ(c.seats, 4);
    } else {
      EXPECT_EQ(c.candidates.size(), 2 * c.parties.size()) << c.id;
      EXPECT_GE(c.seats, 3) << c.id;
      EXPECT_LE(c.seats, c.ballot == Ballot::pdpr ? 10 : 12) << c.id;
    }
  }
  EXPECT_EQ(per_ballot[Ballot::ppwp], 1);
  EXPECT_EQ(per_ballot[Ballot::pdpd], 1);
  EXPECT_EQ(per_ballot[Ballot::pdpr], 2);
  EXPECT_EQ(per_ballot[Ballot::pdprdp], 2);
  EXPECT_EQ(per_ballot[Ballot::pdprdk], 4);
  EXPECT_EQ(def.contests[def.find_contest("ppwp")].regions, std::vector<std::string>{""});
  EXPECT_EQ(def.contests[def.find_contest("pdpd-11")].regions, std::vector<std::string>{"11"});
}

// KPU's 2024 numbers: national parties 1-17 and 24, Aceh's six local parties 18-23, which
// stand in every Aceh DPRD contest and nowhere else.
TEST(SimGeo, LocalPartiesOnlyOnAcehDprd) {
  Definition def = build("tiny", 1);
  ASSERT_EQ(def.parties.size(), 24u);
  std::set<int> local;
  for (const Party& p : def.parties) {
    if (p.number < 18 || p.number == 24) {
      EXPECT_EQ(p.province, "") << p.number;
    } else {
      EXPECT_EQ(p.province, "11") << p.number;
      local.insert(p.number);
    }
  }
  EXPECT_EQ(local, (std::set<int>{18, 19, 20, 21, 22, 23}));
  EXPECT_EQ(def.find_party(24)->abbrev, "UMMAT");
  EXPECT_EQ(def.find_party(21)->name, "Partai Aceh");
  for (const Contest& c : def.contests) {
    if (!is_party_ballot(c.ballot)) continue;
    std::set<int> parties(c.parties.begin(), c.parties.end());
    bool dprd = c.ballot == Ballot::pdprdp || c.ballot == Ballot::pdprdk;
    for (int n = 1; n <= 24; ++n) {
      EXPECT_EQ(parties.contains(n), !local.contains(n) || dprd) << c.id << " party " << n;
    }
    if (dprd) {
      for (const auto& code : c.regions) EXPECT_TRUE(code.starts_with("11")) << c.id;
    }
  }
}

TEST(SimGeo, SameSeedSameFilesOtherSeedOtherVoters) {
  auto a = generate_geo(GeoOptions{"tiny", 7});
  auto b = generate_geo(GeoOptions{"tiny", 7});
  auto c = generate_geo(GeoOptions{"tiny", 8});
  EXPECT_EQ(a, b);
  EXPECT_NE(a.at("tps.csv"), c.at("tps.csv"));
  // The shape is the same whatever the seed.
  Definition da = build_definition(a);
  Definition dc = build_definition(c);
  ASSERT_EQ(da.tps.size(), dc.tps.size());
  for (std::size_t i = 0; i < da.tps.size(); ++i) EXPECT_EQ(da.tps[i].code, dc.tps[i].code);
}

TEST(SimGeo, UnknownScaleThrows) {
  EXPECT_THROW(generate_geo(GeoOptions{"national-ish", 1}), std::invalid_argument);
  EXPECT_THROW(shape_of(""), std::invalid_argument);
}

TEST(SimGeo, ShapeThatDoesNotFitThrows) {
  Shape s = shape_of("tiny");
  s.tps = {1000, 0};  // TPS numbers have 3 digits
  EXPECT_THROW(generate_geo(s, 1, "x"), std::invalid_argument);
  s = shape_of("tiny");
  s.provinces[0].dpr_seats = 30;  // more than 10 per dapil
  EXPECT_THROW(generate_geo(s, 1, "x"), std::invalid_argument);
  s = shape_of("tiny");
  s.provinces[0].dprdp_dapils = 20;  // more than its 8 desa
  EXPECT_THROW(generate_geo(s, 1, "x"), std::invalid_argument);
}

TEST(SimGeo, SpreadTotalsAreExact) {
  Shape s = shape_of("small");
  s.kecamatan = {0, 40};
  s.desa = {0, 150};
  s.tps = {0, 700};
  Definition def = build_definition(generate_geo(s, 3, "sim-spread"));
  std::map<Level, int> per_level;
  for (const Region& r : def.regions) {
    if (r.code.starts_with("99")) continue;
    ++per_level[r.level];
    if (r.level == Level::kabkota || r.level == Level::kecamatan) {
      EXPECT_FALSE(r.children.empty()) << r.code;
    }
  }
  EXPECT_EQ(per_level[Level::kecamatan], 40);
  EXPECT_EQ(per_level[Level::desa], 150);
  EXPECT_EQ(def.tps_count(def.find_region("11"), Ballot::ppwp) +
                def.tps_count(def.find_region("31"), Ballot::ppwp),
            700u);
}

TEST(SimGeo, SmallBuildsWithOverseasInDkiJakartaII) {
  Definition def = build("small", 1);
  EXPECT_EQ(def.tps.size(), 2u * 3 * 3 * 3 * 4 + 4);
  const Contest& dki2 = def.contests[def.find_contest("pdpr-31-2")];
  EXPECT_EQ(dki2.regions.back(), "99");
  // DKI Jakarta has 6 DPRD dapils over 3 kab/kota: some are kecamatan.
  bool kecamatan_dapil = false;
  for (const Contest& c : def.contests) {
    if (c.ballot != Ballot::pdprdp || !c.id.starts_with("pdprdp-31")) continue;
    for (const auto& code : c.regions) kecamatan_dapil |= code.size() == 6;
  }
  EXPECT_TRUE(kecamatan_dapil);
}

TEST(SimGeo, WritesAndReadsBackADirectory) {
  auto files = generate_geo(GeoOptions{"tiny", 5});
  // Per process, so that concurrent test runs do not collide.
  auto dir = std::filesystem::path(::testing::TempDir()) /
             ("rekap-sim-test-" + std::to_string(::getpid()));
  write_definition_dir(files, (dir / "def").string());
  EXPECT_EQ(read_named_files(dir / "def", kDefinitionFileNames), files);
  std::filesystem::remove_all(dir);
}

TEST(SimScales, WithinMustNameARegionOfTheShape) {
  Shape s = shape_of("tiny");
  s.within = "1199";
  EXPECT_THROW(generate_geo(s, 1, "x"), std::invalid_argument);
}

// Checks every form of every TPS, and that VoteModel gives the same numbers as tps_values.
void expect_consistent(const Definition& def, std::uint64_t seed) {
  VoteModel model(def, seed);
  for (std::size_t i = 0; i < def.tps.size(); ++i) {
    const Tps& t = def.tps[i];
    for (Ballot b : kAllBallots) {
      int ci = t.contest[int(b)];
      if (ci < 0) continue;
      const FormLayout& layout = def.contests[ci].layout;
      auto values = tps_values(def, int(i), b, seed);
      ASSERT_EQ(values.size(), layout.fields.size());
      EXPECT_EQ(model.values(int(i), b), values);
      auto violations = check_form(layout, TpsParams{t.dpt_l, t.dpt_p}, values);
      for (const auto& v : violations) {
        ADD_FAILURE() << "seed " << seed << " TPS " << t.code << " " << ballot_id(b) << ": "
                      << v.rule << " " << v.field << " got " << v.got << " expected " << v.op << " "
                      << v.expected;
      }
    }
  }
}

TEST(SimVotes, TinyFormsPassEveryRule) {
  for (std::uint64_t seed : {1, 2, 3, 99}) expect_consistent(build("tiny", seed), seed);
}

TEST(SimVotes, SmallFormsPassEveryRule) {
  for (std::uint64_t seed : {1, 2}) expect_consistent(build("small", seed), seed + 10);
}

TEST(SimVotes, TinyRegistersStillConsistent) {
  // With one voter or none there are no spare ballots for DPTb and DPK voters.
  Definition def = build("tiny", 1);
  def.tps[0].dpt_l = 1;
  def.tps[0].dpt_p = 0;
  def.tps[1].dpt_l = 0;
  def.tps[1].dpt_p = 0;
  expect_consistent(def, 1);
}

TEST(SimVotes, DeterministicPerSeed) {
  Definition def = build("tiny", 1);
  EXPECT_EQ(tps_values(def, 3, Ballot::pdpr, 5), tps_values(def, 3, Ballot::pdpr, 5));
  EXPECT_NE(tps_values(def, 3, Ballot::pdpr, 5), tps_values(def, 3, Ballot::pdpr, 6));
  EXPECT_NE(tps_values(def, 3, Ballot::ppwp, 5), tps_values(def, 4, Ballot::ppwp, 5));
}

TEST(SimVotes, NoContestThrows) {
  Definition def = build("tiny", 1);
  int overseas = def.find_tps("9901012001001");
  ASSERT_GE(overseas, 0);
  EXPECT_THROW(tps_values(def, overseas, Ballot::pdpd, 1), std::invalid_argument);
  EXPECT_THROW(VoteModel(def, 1).values(overseas, Ballot::pdprdk), std::invalid_argument);
}

TEST(SimVotes, Plausible) {
  Definition def = build("small", 4);
  std::uint64_t dpt = 0;
  std::uint64_t voters = 0;
  std::uint64_t invalid = 0;
  std::uint64_t dptb = 0;
  std::uint64_t party_only = 0;
  std::uint64_t party_total = 0;
  for (std::size_t i = 0; i < def.tps.size(); ++i) {
    const Tps& t = def.tps[i];
    for (Ballot b : {Ballot::ppwp, Ballot::pdpr}) {
      const FormLayout& layout = def.contests[t.contest[int(b)]].layout;
      auto v = tps_values(def, int(i), b, 4);
      std::uint32_t used = v[layout.find("pengguna_dpt_j")];
      EXPECT_GE(used, t.dpt() * 70 / 100) << t.code;
      EXPECT_LE(used, t.dpt() * 95 / 100) << t.code;
      EXPECT_EQ(v[layout.find("ss_diterima")], t.dpt() + (t.dpt() * 2 + 99) / 100);
      dpt += t.dpt();
      voters += v[layout.find("pengguna_total_j")];
      invalid += v[layout.find("suara_tidak_sah")];
      dptb += v[layout.find("pengguna_dptb_j")];
      if (b == Ballot::pdpr) {
        for (int p : def.contests[t.contest[int(b)]].parties) {
          party_only += v[layout.find("p" + std::to_string(p))];
          party_total += v[layout.find("p" + std::to_string(p) + "t")];
        }
      }
    }
  }
  double turnout = double(voters) / double(dpt);
  EXPECT_GT(turnout, 0.75);
  EXPECT_LT(turnout, 0.92);
  EXPECT_GT(double(invalid) / double(voters), 0.01);
  EXPECT_LT(double(invalid) / double(voters), 0.04);
  EXPECT_GT(dptb, 0u);
  EXPECT_GT(party_only, party_total / 20);
  EXPECT_LT(party_only, party_total / 2);
}

TEST(SimVotes, NeighboursLookAlike) {
  // TPS of one kecamatan share its preferences: the PPWP leader there is mostly the same.
  Definition def = build("small", 2);
  int same = 0;
  int pairs = 0;
  int ppwp = def.find_contest("ppwp");
  const FormLayout& layout = def.contests[ppwp].layout;
  auto leader = [&](int tps) {
    auto v = tps_values(def, tps, Ballot::ppwp, 2);
    int best = 1;
    for (int c = 2; c <= 3; ++c) {
      if (v[layout.find("c" + std::to_string(c))] > v[layout.find("c" + std::to_string(best))]) {
        best = c;
      }
    }
    return best;
  };
  for (std::size_t i = 1; i < def.tps.size(); ++i) {
    if (def.tps[i].region != def.tps[i - 1].region) continue;
    ++pairs;
    same += leader(int(i)) == leader(int(i - 1));
  }
  ASSERT_GT(pairs, 100);
  EXPECT_GT(same * 10, pairs * 8);
}

}  // namespace
}  // namespace rekap::sim
