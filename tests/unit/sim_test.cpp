#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
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
      EXPECT_EQ(c.candidates.size(), 3u);
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

TEST(SimGeo, LocalPartiesOnlyOnAcehDprd) {
  Definition def = build("tiny", 1);
  ASSERT_EQ(def.parties.size(), 24u);
  std::set<int> local;
  for (const Party& p : def.parties) {
    if (p.number <= 18) {
      EXPECT_EQ(p.province, "") << p.number;
    } else {
      EXPECT_EQ(p.province, "11") << p.number;
      local.insert(p.number);
    }
  }
  ASSERT_EQ(local.size(), 6u);
  for (const Contest& c : def.contests) {
    if (!is_party_ballot(c.ballot)) continue;
    std::set<int> parties(c.parties.begin(), c.parties.end());
    bool dprd = c.ballot == Ballot::pdprdp || c.ballot == Ballot::pdprdk;
    for (int n = 1; n <= 18; ++n) EXPECT_TRUE(parties.contains(n)) << c.id << " party " << n;
    for (int n : local) EXPECT_EQ(parties.contains(n), dprd) << c.id << " party " << n;
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

// The lines of a definition file (after its header) whose first cell lies inside `code`.
std::vector<std::string> lines_within(const std::string& text, const std::string& code) {
  std::vector<std::string> out;
  std::size_t start = text.find('\n') + 1;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    std::string line = text.substr(start, end - start);
    if (line.starts_with(code)) out.push_back(line);
    start = end + 1;
  }
  return out;
}

// |count - total * weight / all| < 1: what a largest-remainder share is.
void expect_share(int count, int total, const ProvinceShape& p, std::int64_t all,
                  const char* what) {
  double quota = double(total) * double(p.weight) / double(all);
  EXPECT_LT(std::abs(count - quota), 1.0) << what << " in province " << p.code;
}

void expect_national_geography(const Definition& def) {
  Shape shape = shape_of("national");
  std::map<Level, int> per_level;
  std::map<std::string, std::map<Level, int>> per_province;
  for (const Region& r : def.regions) {
    if (r.code.starts_with("99")) continue;
    ++per_level[r.level];
    if (r.level >= Level::kecamatan) ++per_province[r.code.substr(0, 2)][r.level];
  }
  EXPECT_EQ(per_level[Level::province], 38);
  EXPECT_EQ(per_level[Level::kabkota], 514);
  EXPECT_EQ(per_level[Level::kecamatan], 7277);
  EXPECT_EQ(per_level[Level::desa], 83731);

  ASSERT_EQ(def.tps.size(), 823220u);
  int overseas = 0;
  std::uint64_t voters = 0;
  std::uint32_t most = 0;
  std::map<std::string, int> tps_per_province;
  for (const Tps& t : def.tps) {
    voters += t.dpt();
    most = std::max(most, t.dpt());
    if (is_overseas(t)) {
      ++overseas;
      EXPECT_EQ(def.contests[t.contest[int(Ballot::pdpr)]].id, "pdpr-31-2") << t.code;
    } else {
      ++tps_per_province[t.code.substr(0, 2)];
    }
  }
  EXPECT_EQ(overseas, 3059);
  EXPECT_EQ(def.tps.size() - overseas, 820161u);
  EXPECT_NEAR(double(voters), 204807222.0, 204807222.0 * 0.005);
  EXPECT_LE(most, 300u);

  std::int64_t all = 0;
  for (const ProvinceShape& p : shape.provinces) all += p.weight;
  for (const ProvinceShape& p : shape.provinces) {
    expect_share(per_province[p.code][Level::kecamatan], 7277, p, all, "kecamatan");
    expect_share(per_province[p.code][Level::desa], 83731, p, all, "desa");
    expect_share(tps_per_province[p.code], 820161, p, all, "TPS");
  }

  // Abroad votes PPWP and DPR only; DKI Jakarta has no DPRD kab/kota.
  std::uint32_t dki = def.tps_count(def.find_region("31"), Ballot::ppwp);
  EXPECT_EQ(def.tps_count(0, Ballot::ppwp), 823220u);
  EXPECT_EQ(def.tps_count(0, Ballot::pdpr), 823220u);
  EXPECT_EQ(def.tps_count(0, Ballot::pdpd), 820161u);
  EXPECT_EQ(def.tps_count(0, Ballot::pdprdp), 820161u);
  EXPECT_EQ(def.tps_count(0, Ballot::pdprdk), 820161u - dki);
}

void expect_national_contests(const Definition& def) {
  std::map<Ballot, int> contests;
  std::map<Ballot, int> seats;
  std::map<std::string, int> dprdk_seats;          // per kab/kota
  std::map<std::string, std::pair<int, int>> dpr;  // per province: dapils, seats
  for (const Contest& c : def.contests) {
    ++contests[c.ballot];
    seats[c.ballot] += c.seats;
    if (c.ballot == Ballot::pdpd) {
      EXPECT_EQ(c.seats, 4) << c.id;
      EXPECT_GE(c.candidates.size(), 4u) << c.id;
    }
    if (!is_party_ballot(c.ballot)) continue;
    EXPECT_GE(c.seats, 3) << c.id;
    EXPECT_LE(c.seats, c.ballot == Ballot::pdpr ? 10 : 12) << c.id;
    EXPECT_EQ(c.candidates.size(), std::size_t(c.seats) * c.parties.size()) << c.id;
    if (c.ballot == Ballot::pdpr) {
      auto& [dapils, total] = dpr[c.id.substr(5, 2)];
      ++dapils;
      total += c.seats;
    }
    if (c.ballot == Ballot::pdprdk) dprdk_seats[c.id.substr(7, 4)] += c.seats;
  }
  EXPECT_EQ(contests[Ballot::ppwp], 1);
  EXPECT_EQ(contests[Ballot::pdpd], 38);
  EXPECT_EQ(seats[Ballot::pdpd], 152);
  EXPECT_EQ(contests[Ballot::pdpr], 84);
  EXPECT_EQ(seats[Ballot::pdpr], 580);
  EXPECT_EQ(contests[Ballot::pdprdp], 301);
  EXPECT_EQ(seats[Ballot::pdprdp], 2372);
  EXPECT_EQ(contests[Ballot::pdprdk], 2325);
  EXPECT_EQ(seats[Ballot::pdprdk], 17510);
  EXPECT_EQ(dpr["32"], std::pair(11, 91));
  EXPECT_EQ(dpr["35"], std::pair(11, 87));
  EXPECT_EQ(dpr["33"], std::pair(10, 77));
  EXPECT_EQ(dpr["31"], std::pair(3, 21));
  // Every kab/kota outside DKI Jakarta has a DPRD of 20, 25, ... or 55 seats.
  EXPECT_EQ(dprdk_seats.size(), 508u);
  for (const auto& [kab, n] : dprdk_seats) {
    EXPECT_FALSE(kab.starts_with("31")) << kab;
    EXPECT_TRUE(n >= 20 && n <= 55 && n % 5 == 0) << kab << " has " << n;
  }
}

// Aceh's six local parties stand in every Aceh DPRD contest and nowhere else.
void expect_local_parties_only_in_aceh_dprd(const Definition& def) {
  ASSERT_EQ(def.parties.size(), 24u);
  for (const Contest& c : def.contests) {
    if (!is_party_ballot(c.ballot)) continue;
    bool aceh_dprd = c.ballot != Ballot::pdpr && c.regions.front().starts_with("11");
    for (int n = 19; n <= 24; ++n) {
      bool runs = std::find(c.parties.begin(), c.parties.end(), n) != c.parties.end();
      EXPECT_EQ(runs, aceh_dprd) << c.id << " party " << n;
    }
    EXPECT_EQ(c.parties.size(), aceh_dprd ? 24u : 18u) << c.id;
  }
}

// province:<code> and kabupaten:<code> are the national definition cut to that region: the
// same regions and TPS, and the contests that cover it with the same seats and candidates.
void expect_slice(const DefinitionFiles& national_files, const Definition& national,
                  const std::string& scale, const std::string& code) {
  SCOPED_TRACE(scale);
  auto files = generate_geo(GeoOptions{scale, 1});
  EXPECT_EQ(lines_within(files.at("tps.csv"), ""),
            lines_within(national_files.at("tps.csv"), code));
  std::vector<std::string> regions;
  if (code.size() == 4)
    regions = lines_within(national_files.at("regions.csv"), code.substr(0, 2) + ",");
  for (auto& line : lines_within(national_files.at("regions.csv"), code)) regions.push_back(line);
  EXPECT_EQ(lines_within(files.at("regions.csv"), ""), regions);

  Definition def = build_definition(files);
  for (const Contest& c : def.contests) {
    int whole = national.find_contest(c.id);
    ASSERT_GE(whole, 0) << c.id;
    EXPECT_EQ(c.seats, national.contests[whole].seats) << c.id;
    EXPECT_EQ(c.parties, national.contests[whole].parties) << c.id;
    EXPECT_EQ(c.candidates.size(), national.contests[whole].candidates.size()) << c.id;
    for (const auto& r : c.regions) {
      EXPECT_TRUE(code_within(r, code) || code_within(code, r)) << c.id << " covers " << r;
    }
  }
}

TEST(SimNational, RealCountsAndSlices) {
  // One test case, as CTest runs each in a process of its own: 823,220 TPS are generated and
  // built once.
  auto files = generate_geo(GeoOptions{"national", 1});
  Definition def = build_definition(files);
  EXPECT_EQ(def.election_id, "sim-national-1");
  expect_national_geography(def);
  expect_national_contests(def);
  expect_local_parties_only_in_aceh_dprd(def);
  expect_slice(files, def, "province:32", "32");
  expect_slice(files, def, "kabupaten:3273", "3273");
}

TEST(SimScales, ProvinceHasItsNationalShape) {
  Definition def = build("province:32", 1);
  std::map<Level, int> per_level;
  for (const Region& r : def.regions) ++per_level[r.level];
  EXPECT_EQ(per_level[Level::province], 1);  // no abroad
  EXPECT_EQ(per_level[Level::kabkota], 27);
  EXPECT_EQ(def.regions[def.find_region("3273")].name.substr(0, 5), "KOTA ");
  EXPECT_EQ(def.parties.size(), 18u);                // no Aceh local parties
  std::map<Ballot, std::pair<int, int>> per_ballot;  // contests, seats
  for (const Contest& c : def.contests) {
    per_ballot[c.ballot].first += 1;
    per_ballot[c.ballot].second += c.seats;
  }
  EXPECT_EQ(per_ballot[Ballot::pdpr], std::pair(11, 91));
  EXPECT_EQ(per_ballot[Ballot::pdprdp], std::pair(15, 120));
  EXPECT_EQ(per_ballot[Ballot::pdpd], std::pair(1, 4));
  EXPECT_GE(per_ballot[Ballot::pdprdk].second, 27 * 20);
  EXPECT_LE(per_ballot[Ballot::pdprdk].second, 27 * 55);
  // About Jawa Barat's share of the nation's 820,161 TPS (17.6% of the registered voters).
  EXPECT_NEAR(double(def.tps.size()), 820161.0 * 35714901 / 203056748, 1.0);
  for (Ballot b : kAllBallots) EXPECT_EQ(def.tps_count(0, b), def.tps.size()) << ballot_id(b);
}

TEST(SimScales, KabupatenIsOneKabKotaInItsProvince) {
  Definition def = build("kabupaten:3273", 1);
  std::map<Level, int> per_level;
  for (const Region& r : def.regions) ++per_level[r.level];
  EXPECT_EQ(per_level[Level::province], 1);
  EXPECT_EQ(per_level[Level::kabkota], 1);
  EXPECT_GE(def.find_region("3273"), 0);
  EXPECT_GT(def.tps.size(), 1000u);  // a fifth of Jawa Barat's TPS on average per kab/kota
  std::map<Ballot, int> per_ballot;
  int dprdk_seats = 0;
  for (const Contest& c : def.contests) {
    ++per_ballot[c.ballot];
    if (c.ballot == Ballot::pdprdk) dprdk_seats += c.seats;
  }
  EXPECT_EQ(per_ballot[Ballot::ppwp], 1);
  EXPECT_EQ(per_ballot[Ballot::pdpd], 1);
  EXPECT_EQ(per_ballot[Ballot::pdpr], 1);
  EXPECT_GE(per_ballot[Ballot::pdprdp], 1);
  EXPECT_TRUE(dprdk_seats >= 20 && dprdk_seats <= 55 && dprdk_seats % 5 == 0) << dprdk_seats;
  for (Ballot b : kAllBallots) EXPECT_EQ(def.tps_count(0, b), def.tps.size()) << ballot_id(b);
}

TEST(SimScales, UnknownCodesThrow) {
  for (const char* scale :
       {"province:99", "province:20", "province:3", "province:320", "kabupaten:3299",
        "kabupaten:3219", "kabupaten:32", "kabupaten:9999", "kabupaten:", "nation"}) {
    EXPECT_THROW(shape_of(scale), std::invalid_argument) << scale;
  }
  try {
    shape_of("kabupaten:3299");
    ADD_FAILURE() << "kabupaten:3299 did not throw";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("kota 3271-3279"), std::string::npos) << e.what();
  }
  Shape s = shape_of("tiny");
  s.within = "1199";
  EXPECT_THROW(generate_geo(s, 1, "x"), std::invalid_argument);
}

TEST(SimScales, WeightsForEveryProvinceOrNone) {
  Shape s = shape_of("small");
  s.provinces[0].weight = 10;
  EXPECT_THROW(generate_geo(s, 1, "x"), std::invalid_argument);
  s.provinces[1].weight = 30;
  s.dprdk_total_seats = 20 * 6 - 5;  // below 20 for each of the 6 kab/kota
  s.dprdk_total_dapils = 12;
  EXPECT_THROW(generate_geo(s, 1, "x"), std::invalid_argument);
}

TEST(SimScales, WeightedTotalsAreExactAndProportional) {
  Shape s = shape_of("small");
  s.provinces[0].weight = 1;
  s.provinces[1].weight = 3;
  s.kecamatan = {0, 40};
  s.desa = {0, 160};
  s.tps = {0, 800};
  s.dprdk_total_seats = 150;  // Aceh's 3 kab/kota; DKI's 3 have none
  s.dprdk_total_dapils = 18;
  s.provinces[1].dprdk = false;
  Definition def = build_definition(generate_geo(s, 3, "sim-weighted"));
  EXPECT_EQ(def.tps_count(def.find_region("11"), Ballot::ppwp), 200u);
  EXPECT_EQ(def.tps_count(def.find_region("31"), Ballot::ppwp), 600u);
  EXPECT_EQ(def.tps_count(def.find_region("31"), Ballot::pdprdk), 0u);
  int seats = 0;
  int dapils = 0;
  for (const Contest& c : def.contests) {
    if (c.ballot != Ballot::pdprdk) continue;
    seats += c.seats;
    ++dapils;
  }
  EXPECT_EQ(seats, 150);
  EXPECT_EQ(dapils, 18);
  // A province comes out the same without the others.
  auto whole = generate_geo(s, 3, "sim-weighted");
  s.within = "11";
  auto aceh = generate_geo(s, 3, "sim-weighted");
  EXPECT_EQ(lines_within(aceh.at("tps.csv"), ""), lines_within(whole.at("tps.csv"), "11"));
  EXPECT_EQ(lines_within(aceh.at("candidates.csv"), "pdprdk-11"),
            lines_within(whole.at("candidates.csv"), "pdprdk-11"));
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
