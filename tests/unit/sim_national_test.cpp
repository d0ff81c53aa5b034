// The national scale: KPU's 2024 regions (reference/wilayah-2024.csv) laid out by the
// generator. Generating the nation's files takes a few seconds in a debug build, and building
// its definition many more, so the nation is checked on its files, against the shipped CSV read
// here on its own, and the definition's rules on slices of it.
#include <gtest/gtest.h>

#include <algorithm>
#include <charconv>
#include <functional>
#include <map>
#include <set>
#include <stdexcept>
#include <string_view>

#include "core/csv.hpp"
#include "core/definition.hpp"
#include "core/region_code.hpp"
#include "sim/geo.hpp"
#include "sim/wilayah.hpp"
#include "util/files.hpp"

namespace rekap::sim {
namespace {

std::shared_ptr<const Wilayah> shipped() {
  static const auto w = read_wilayah(REKAP_WILAYAH_FILE);
  return w;
}

DefinitionFiles generate(const std::string& scale) {
  return generate_geo(shape_of(scale, shipped()), 1, "sim-" + scale + "-1");
}

// The rows of a CSV text after its header.
std::vector<std::vector<std::string>> rows_of(const std::string& text) {
  std::vector<std::vector<std::string>> out;
  for (CsvRow& r : parse_csv(text)) out.push_back(std::move(r.cells));
  out.erase(out.begin());
  return out;
}

// The lines of a file (after its header) that start with `prefix`.
std::vector<std::string> lines_starting(const std::string& text, const std::string& prefix) {
  std::vector<std::string> out;
  for (std::size_t start = text.find('\n') + 1; start < text.size();) {
    std::size_t end = std::min(text.find('\n', start), text.size());
    if (text.compare(start, prefix.size(), prefix) == 0) {
      out.push_back(text.substr(start, end - start));
    }
    start = end + 1;
  }
  return out;
}

// The codes of a contests.csv `regions` cell ("*" is the nation).
std::vector<std::string> split_regions(const std::string& cell) {
  std::vector<std::string> out;
  for (std::size_t start = 0; start <= cell.size();) {
    std::size_t end = std::min(cell.find(' ', start), cell.size());
    std::string code = cell.substr(start, end - start);
    out.push_back(code == "*" ? "" : code);
    start = end + 1;
  }
  return out;
}

// A whole number written in decimal; -1 for anything else.
int number(std::string_view text) {
  int n = -1;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  return ec == std::errc() && end == text.data() + text.size() ? n : -1;
}

// The 2024 parties: number, abbreviation, province of a local party.
const std::vector<std::vector<std::string>> kParties2024 = {
    {"1", "PKB", ""},    {"2", "GERINDRA", ""},    {"3", "PDIP", ""},       {"4", "GOLKAR", ""},
    {"5", "NASDEM", ""}, {"6", "BURUH", ""},       {"7", "GELORA", ""},     {"8", "PKS", ""},
    {"9", "PKN", ""},    {"10", "HANURA", ""},     {"11", "GARUDA", ""},    {"12", "PAN", ""},
    {"13", "PBB", ""},   {"14", "DEMOKRAT", ""},   {"15", "PSI", ""},       {"16", "PERINDO", ""},
    {"17", "PPP", ""},   {"18", "PNA", "11"},      {"19", "GABTHAT", "11"}, {"20", "PDA", "11"},
    {"21", "PA", "11"},  {"22", "PAS ACEH", "11"}, {"23", "SIRA", "11"},    {"24", "UMMAT", ""}};

void expect_regions_are_kpus(const DefinitionFiles& files) {
  // The shipped CSV read with the CSV reader alone, not the wilayah parser under test.
  auto kpu = rows_of(read_file_or_throw(REKAP_WILAYAH_FILE));
  std::vector<std::vector<std::string>> regions;
  for (auto& r : rows_of(files.at("regions.csv"))) {
    if (!r[0].starts_with("99")) regions.push_back(std::move(r));
  }
  ASSERT_EQ(regions.size(), kpu.size());
  std::map<std::size_t, int> per_length;
  std::map<std::string, int> kpu_tps;  // per desa
  for (std::size_t i = 0; i < kpu.size(); ++i) {
    ASSERT_EQ(regions[i][0], kpu[i][0]) << "row " << i;
    EXPECT_EQ(regions[i][1], kpu[i][1]) << kpu[i][0];
    ++per_length[kpu[i][0].size()];
    if (kpu[i][0].size() == 10) kpu_tps[kpu[i][0]] = std::stoi(kpu[i][2]);
  }
  EXPECT_EQ(per_length[2], 38);
  EXPECT_EQ(per_length[4], 514);
  EXPECT_EQ(per_length[6], 7277);
  EXPECT_EQ(per_length[10], 83731);

  // Each desa has its TPS numbered 001 to its count, with simulated voters. tps.csv is read by
  // hand, as the CSV reader is slow on its 800,000 lines in a debug build.
  std::map<std::string, int> tps;
  int domestic = 0;
  int overseas = 0;
  std::vector<std::string> misnumbered;
  std::vector<std::string> voters_outside;
  std::string_view text = files.at("tps.csv");
  for (std::size_t start = text.find('\n') + 1; start < text.size();) {
    std::size_t end = std::min(text.find('\n', start), text.size());
    std::string_view line = text.substr(start, end - start);
    start = end + 1;
    // code,dpt_l,dpt_p
    std::size_t a = line.find(',');
    std::size_t b = line.rfind(',');
    std::string_view code = line.substr(0, a);
    int dpt = number(line.substr(a + 1, b - a - 1)) + number(line.substr(b + 1));
    if (dpt < 198 || dpt > 300) voters_outside.emplace_back(line);
    if (code.starts_with("99")) {
      ++overseas;
      continue;
    }
    ++domestic;
    int& n = tps[std::string(code.substr(0, 10))];
    if (number(code.substr(10)) != ++n) misnumbered.emplace_back(code);
  }
  EXPECT_EQ(misnumbered, std::vector<std::string>{});
  EXPECT_EQ(voters_outside, std::vector<std::string>{});
  EXPECT_EQ(tps, kpu_tps);
  EXPECT_EQ(domestic, 818339);
  EXPECT_EQ(overseas, 3059);  // simulated
}

void expect_contests(const DefinitionFiles& files) {
  std::map<std::string, std::pair<int, int>> per_ballot;  // contests, seats
  std::map<std::string, std::pair<int, int>> dpr;         // per province: dapils, seats
  std::map<std::string, int> dprdk;                       // seats per kab/kota
  for (const auto& c : rows_of(files.at("contests.csv"))) {
    const std::string& ballot = c[1];
    int seats = std::stoi(c[3]);
    per_ballot[ballot].first += 1;
    per_ballot[ballot].second += seats;
    if (ballot == "pdpr") {
      EXPECT_TRUE(seats >= 3 && seats <= 10) << c[0];
      auto& [dapils, total] = dpr[c[0].substr(5, 2)];
      ++dapils;
      total += seats;
    }
    if (ballot == "pdprdp" || ballot == "pdprdk") {
      EXPECT_TRUE(seats >= 3 && seats <= 12) << c[0];
    }
    if (ballot == "pdprdk") dprdk[c[0].substr(7, 4)] += seats;
  }
  EXPECT_EQ(per_ballot["ppwp"], std::pair(1, 1));
  EXPECT_EQ(per_ballot["pdpd"], std::pair(38, 152));
  EXPECT_EQ(per_ballot["pdpr"], std::pair(84, 580));
  EXPECT_EQ(per_ballot["pdprdp"], std::pair(301, 2372));
  EXPECT_EQ(per_ballot["pdprdk"], std::pair(2325, 17510));
  EXPECT_EQ(dpr["32"], std::pair(11, 91));
  EXPECT_EQ(dpr["35"], std::pair(11, 87));
  EXPECT_EQ(dpr["33"], std::pair(10, 77));
  EXPECT_EQ(dpr["31"], std::pair(3, 21));
  // Every kab/kota outside DKI Jakarta has a DPRD of 20, 25, ... or 55 seats.
  EXPECT_EQ(dprdk.size(), 508u);
  for (const auto& [kab, n] : dprdk) {
    EXPECT_FALSE(kab.starts_with("31")) << kab;
    EXPECT_TRUE(n >= 20 && n <= 55 && n % 5 == 0) << kab << " has " << n;
  }
  // Voters abroad belong to DKI Jakarta II.
  auto dki2 = lines_starting(files.at("contests.csv"), "pdpr-31-2,");
  ASSERT_EQ(dki2.size(), 1u);
  EXPECT_TRUE(dki2[0].ends_with(" 99")) << dki2[0];

  std::vector<std::vector<std::string>> parties;
  for (const auto& p : rows_of(files.at("parties.csv"))) parties.push_back({p[0], p[1], p[3]});
  EXPECT_EQ(parties, kParties2024);
  EXPECT_EQ(lines_starting(files.at("candidates.csv"), "ppwp,"),
            (std::vector<std::string>{"ppwp,,1,ANIES RASYID BASWEDAN - MUHAIMIN ISKANDAR",
                                      "ppwp,,2,PRABOWO SUBIANTO - GIBRAN RAKABUMING RAKA",
                                      "ppwp,,3,GANJAR PRANOWO - MAHFUD MD"}));
}

// The candidates.csv lines of the contests `ids`, by contest id.
std::map<std::string, std::vector<std::string>> candidates_of(
    const DefinitionFiles& f, const std::set<std::string, std::less<>>& ids) {
  std::map<std::string, std::vector<std::string>> out;
  std::string_view text = f.at("candidates.csv");
  for (std::size_t start = text.find('\n') + 1; start < text.size();) {
    std::size_t end = std::min(text.find('\n', start), text.size());
    std::string_view line = text.substr(start, end - start);
    start = end + 1;
    auto id = ids.find(line.substr(0, line.find(',')));
    if (id != ids.end()) out[*id].emplace_back(line);
  }
  return out;
}

// province:<code> and kabupaten:<code> are the national files cut to that region: the same
// regions (with the province above a kab/kota), TPS and voters, and the contests that cover it
// with the same names, seats and candidates.
void expect_slice(const DefinitionFiles& national, const std::string& scale,
                  const std::string& code) {
  SCOPED_TRACE(scale);
  auto files = generate(scale);
  EXPECT_EQ(lines_starting(files.at("tps.csv"), ""), lines_starting(national.at("tps.csv"), code));
  std::vector<std::string> regions;
  if (code.size() == 4)
    regions = lines_starting(national.at("regions.csv"), code.substr(0, 2) + ",");
  for (auto& line : lines_starting(national.at("regions.csv"), code)) regions.push_back(line);
  EXPECT_EQ(lines_starting(files.at("regions.csv"), ""), regions);

  std::map<std::string, std::vector<std::string>> whole;
  for (auto& c : rows_of(national.at("contests.csv"))) whole[c[0]] = std::move(c);
  auto contests = rows_of(files.at("contests.csv"));
  ASSERT_FALSE(contests.empty());
  std::set<std::string, std::less<>> ids;
  for (const auto& c : contests) ids.insert(c[0]);
  auto candidates = candidates_of(files, ids);
  auto whole_candidates = candidates_of(national, ids);
  for (const auto& c : contests) {
    ASSERT_TRUE(whole.contains(c[0])) << c[0];
    EXPECT_EQ(c[1], whole[c[0]][1]) << c[0];  // ballot
    EXPECT_EQ(c[2], whole[c[0]][2]) << c[0];  // name
    EXPECT_EQ(c[3], whole[c[0]][3]) << c[0];  // seats
    EXPECT_EQ(candidates[c[0]], whole_candidates[c[0]]) << c[0];
    for (const auto& r : split_regions(c[4])) {
      EXPECT_TRUE(code_within(r, code) || code_within(code, r)) << c[0] << " covers " << r;
    }
  }
}

TEST(SimNational, KpuRegionsContestsAndSlices) {
  // One test case, as CTest runs each in a process of its own: the nation is generated once.
  auto files = generate("national");
  expect_regions_are_kpus(files);
  expect_contests(files);
  expect_slice(files, "province:11", "11");
  expect_slice(files, "kabupaten:3273", "3273");
}

TEST(SimNational, SameFilesOnEveryRun) {
  EXPECT_EQ(generate("province:65"), generate("province:65"));
  EXPECT_EQ(generate_geo(GeoOptions{"kabupaten:6504", 1, REKAP_WILAYAH_FILE}),
            generate("kabupaten:6504"));
}

TEST(SimNational, MissingWilayahFileIsNamed) {
  try {
    generate_geo(GeoOptions{"national", 1, "/nonexistent/w.csv"});
    ADD_FAILURE() << "no error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent/w.csv"), std::string::npos) << e.what();
  }
  EXPECT_THROW(shape_of("national"), std::invalid_argument);  // no regions given
}

TEST(SimNational, WilayahMustHoldThe2024Provinces) {
  auto lacking = std::make_shared<Wilayah>(*shipped());
  std::erase_if(lacking->regions, [](const WilayahRegion& r) { return r.code.starts_with("65"); });
  EXPECT_THROW(shape_of("national", lacking), std::invalid_argument);
  auto extra = std::make_shared<Wilayah>(*shipped());
  for (const char* code : {"97", "9701", "970101", "9701012001"}) {
    extra->regions.push_back({code, "BARU", std::string(code).size() == 10 ? 1 : 0});
  }
  try {
    shape_of("province:11", extra);
    ADD_FAILURE() << "no error";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("province 97 BARU"), std::string::npos) << e.what();
  }
}

// A slice builds into a definition that keeps every rule, with KPU's regions and TPS.
TEST(SimNational, AcehBuildsWithItsLocalPartiesOnDprdBallots) {
  Definition def = build_definition(generate("province:11"));
  EXPECT_EQ(def.election_id, "sim-province:11-1");
  std::map<Level, int> per_level;
  for (const Region& r : def.regions) ++per_level[r.level];
  std::map<std::size_t, int> kpu;
  int kpu_tps = 0;
  for (const WilayahRegion& r : shipped()->regions) {
    if (!r.code.starts_with("11")) continue;
    ++kpu[r.code.size()];
    kpu_tps += r.tps;
  }
  EXPECT_EQ(per_level[Level::province], 1);  // no abroad
  EXPECT_EQ(per_level[Level::kabkota], kpu[4]);
  EXPECT_EQ(per_level[Level::kecamatan], kpu[6]);
  EXPECT_EQ(per_level[Level::desa], kpu[10]);
  EXPECT_EQ(def.tps.size(), std::size_t(kpu_tps));
  EXPECT_EQ(def.regions[def.find_region("1171")].name, "KOTA BANDA ACEH");
  for (Ballot b : kAllBallots) EXPECT_EQ(def.tps_count(0, b), def.tps.size()) << ballot_id(b);

  ASSERT_EQ(def.parties.size(), 24u);
  std::map<Ballot, std::pair<int, int>> per_ballot;  // contests, seats
  for (const Contest& c : def.contests) {
    per_ballot[c.ballot].first += 1;
    per_ballot[c.ballot].second += c.seats;
    if (!is_party_ballot(c.ballot)) continue;
    bool dprd = c.ballot != Ballot::pdpr;
    std::vector<int> want;
    for (int n = 1; n <= 24; ++n) {
      if (dprd || n < 18 || n > 23) want.push_back(n);
    }
    EXPECT_EQ(c.parties, want) << c.id;
  }
  EXPECT_EQ(per_ballot[Ballot::pdpr], std::pair(2, 13));
  EXPECT_EQ(per_ballot[Ballot::pdprdp], std::pair(10, 81));
  EXPECT_EQ(per_ballot[Ballot::pdpd], std::pair(1, 4));
}

TEST(SimNational, KabupatenIsOneKabKotaInItsProvince) {
  Definition def = build_definition(generate("kabupaten:3273"));
  std::map<Level, int> per_level;
  for (const Region& r : def.regions) ++per_level[r.level];
  EXPECT_EQ(per_level[Level::province], 1);
  EXPECT_EQ(per_level[Level::kabkota], 1);
  EXPECT_EQ(def.regions[def.find_region("32")].name, "JAWA BARAT");
  EXPECT_EQ(def.regions[def.find_region("3273")].name, "KOTA BANDUNG");
  EXPECT_EQ(def.parties.size(), 18u);  // no Aceh local parties
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

TEST(SimNational, DkiJakartaHasNoDprdKabKota) {
  Definition def = build_definition(generate("province:31"));
  EXPECT_EQ(def.tps_count(0, Ballot::pdprdk), 0u);
  EXPECT_EQ(def.tps_count(0, Ballot::pdprdp), def.tps.size());
  EXPECT_EQ(def.regions[def.find_region("3101")].name, "KEPULAUAN SERIBU");
}

TEST(SimNational, UnknownCodesThrow) {
  for (const char* scale :
       {"province:99", "province:20", "province:3", "province:320", "kabupaten:3299",
        "kabupaten:3219", "kabupaten:32", "kabupaten:9999", "kabupaten:", "nation"}) {
    EXPECT_THROW(shape_of(scale, shipped()), std::invalid_argument) << scale;
  }
  try {
    shape_of("kabupaten:3299", shipped());
    ADD_FAILURE() << "kabupaten:3299 did not throw";
  } catch (const std::invalid_argument& e) {
    EXPECT_EQ(std::string(e.what()),
              "scale `kabupaten:3299`: no kab/kota 3299 in province 32 JAWA BARAT (kabupaten "
              "3201-3218, kota 3271-3279)");
  }
}

// A shape laid out in a small wilayah of two provinces: the same mechanics as the nation's.
const char* kTwoProvinces =
    "kode,nama,tps\n"
    "11,ACEH,\n"
    "1101,ACEH SELATAN,\n"
    "110101,BAKONGAN,\n"
    "1101012001,KEUDE BAKONGAN,3\n"
    "1101012002,UJONG MANGKI,2\n"
    "110102,KLUET UTARA,\n"
    "1101022001,FAJAR HARAPAN,4\n"
    "1171,KOTA BANDA ACEH,\n"
    "117101,MEURAXA,\n"
    "1171012001,ULEE LHEUE,5\n"
    "1171012002,DEAH GLUMPANG,1\n"
    "31,DKI JAKARTA,\n"
    "3171,KOTA JAKARTA PUSAT,\n"
    "317101,GAMBIR,\n"
    "3171011001,GAMBIR,6\n"
    "3171011002,CIDENG,7\n"
    "317102,SAWAH BESAR,\n"
    "3171021001,PASAR BARU,8\n";

Shape two_provinces() {
  Shape s;
  s.provinces = {{"11", "ACEH", 1, 1, 3, 1, 12}, {"31", "DKI JAKARTA", 1, 1, 3, 2, 20}};
  s.provinces[1].dprdk = false;
  s.wilayah = std::make_shared<const Wilayah>(parse_wilayah(kTwoProvinces, "two.csv"));
  s.dprdk_total_seats = 45;  // Aceh's two kab/kota: 20 and 25
  s.dprdk_total_dapils = 5;
  s.list_candidates = 1;
  return s;
}

TEST(SimRealRegions, LaysOutEveryRegionAndTps) {
  Definition def = build_definition(generate_geo(two_provinces(), 3, "sim-two"));
  EXPECT_EQ(def.regions.size(), 1u + 18u);  // the nation and every row of the file
  EXPECT_EQ(def.regions[def.find_region("3171021001")].name, "PASAR BARU");
  EXPECT_EQ(def.tps.size(), 36u);
  EXPECT_GE(def.find_tps("3171021001008"), 0);
  EXPECT_LT(def.find_tps("3171021001009"), 0);
  int seats = 0;
  int dapils = 0;
  for (const Contest& c : def.contests) {
    if (c.ballot != Ballot::pdprdk) continue;
    seats += c.seats;
    ++dapils;
  }
  EXPECT_EQ(seats, 45);
  EXPECT_EQ(dapils, 5);
  EXPECT_EQ(def.tps_count(def.find_region("31"), Ballot::pdprdk), 0u);
  EXPECT_EQ(def.tps_count(def.find_region("11"), Ballot::pdprdk), 15u);
}

TEST(SimRealRegions, AProvinceComesOutTheSameWithoutTheOthers) {
  Shape s = two_provinces();
  auto whole = generate_geo(s, 3, "sim-two");
  s.within = "31";
  auto dki = generate_geo(s, 3, "sim-two");
  EXPECT_EQ(lines_starting(dki.at("tps.csv"), ""), lines_starting(whole.at("tps.csv"), "31"));
  EXPECT_EQ(lines_starting(dki.at("candidates.csv"), "pdpr-31"),
            lines_starting(whole.at("candidates.csv"), "pdpr-31"));
}

TEST(SimRealRegions, ProvincesMustMatchTheWilayah) {
  Shape s = two_provinces();
  s.provinces.pop_back();  // the file's DKI Jakarta gets no seats
  EXPECT_THROW(generate_geo(s, 1, "x"), std::invalid_argument);
  s = two_provinces();
  s.provinces.push_back({"32", "JAWA BARAT"});  // not in the file
  EXPECT_THROW(generate_geo(s, 1, "x"), std::invalid_argument);
  s = two_provinces();
  s.dprdk_total_seats = 20 * 2 - 5;  // below 20 for each of Aceh's 2 kab/kota
  EXPECT_THROW(generate_geo(s, 1, "x"), std::invalid_argument);
  s = two_provinces();
  s.wilayah = nullptr;  // DPRD kab/kota totals need real regions
  EXPECT_THROW(generate_geo(s, 1, "x"), std::invalid_argument);
}

}  // namespace
}  // namespace rekap::sim
