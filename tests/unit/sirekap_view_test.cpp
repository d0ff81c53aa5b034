// The Sirekap-compatible documents: shapes, keys and numbers.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <cctype>
#include <filesystem>

#include "open_data_fixture.hpp"
#include "publish/opendata/sirekap_documents.hpp"
#include "publish/opendata/wib_time.hpp"
#include "util/files.hpp"

namespace rekap {
namespace {

namespace json = boost::json;

class SirekapView : public ::testing::Test {
 protected:
  test::OpenDataElection e;
  const Definition& def = e.def;
  std::int64_t total(const std::string& region, Ballot b, const std::string& contest,
                     const std::string& field) {
    int c = def.find_contest(contest);
    const Totals* t = e.tally.find(def.find_region(region), b, c);
    return t->sums[std::size_t(def.contests[std::size_t(c)].layout.find(field))];
  }
  // Through text, as a client reads it.
  json::value parse(const json::value& doc) { return json::parse(publish::sirekap_serialize(doc)); }
};

TEST_F(SirekapView, PathsFollowSirekapsCodes) {
  EXPECT_EQ(publish::sirekap_path(Ballot::ppwp, ""), "pemilu/hhcw/ppwp.json");
  EXPECT_EQ(publish::sirekap_path(Ballot::pdpr, "31"), "pemilu/hhcw/pdpr/31.json");
  EXPECT_EQ(publish::sirekap_path(Ballot::ppwp, "3171011001001"),
            "pemilu/hhcw/ppwp/31/3171/317101/3171011001/3171011001001.json");
}

TEST_F(SirekapView, NationShowsTotalsTableAndProgress) {
  auto doc = parse(publish::sirekap_region(def, e.tally, Ballot::ppwp, 0, "2024-02-14 20:00:00"));
  EXPECT_EQ(doc.at("mode").as_string(), "hhcw");
  // Sirekap's ids of the pairs: 100025 is pair 01.
  for (int n : {1, 2, 3}) {
    EXPECT_EQ(doc.at("chart").at(std::to_string(100024 + n)).as_int64(),
              total("", Ballot::ppwp, "ppwp", "c" + std::to_string(n)));
  }
  EXPECT_EQ(doc.at("progres").at("total").as_int64(), 4);
  EXPECT_EQ(doc.at("progres").at("progres").as_int64(), 3);
  EXPECT_DOUBLE_EQ(doc.at("chart").at("persen").to_number<double>(), 75.0);
  const auto& jakarta = doc.at("table").at("31");
  EXPECT_EQ(jakarta.at("100026").as_int64(), total("31", Ballot::ppwp, "ppwp", "c2"));
  EXPECT_EQ(jakarta.at("psu").as_string(), "Reguler");
  EXPECT_TRUE(jakarta.at("status_progress").as_bool());
  EXPECT_EQ(doc.at("ts").as_string(), "2024-02-14 20:00:00");
}

TEST_F(SirekapView, SharesAreWrittenAsSirekapWroteThem) {
  json::object doc{{"persen", 41.01}, {"all", 100.0}, {"none", 0.0}, {"n", 7}, {"s", "a\"b"}};
  EXPECT_EQ(publish::sirekap_serialize(doc),
            R"({"persen":41.01,"all":100,"none":0,"n":7,"s":"a\"b"})");
}

TEST_F(SirekapView, PartyBallotChartsPartyTotalsSummedOverDapils) {
  auto doc = parse(publish::sirekap_region(def, e.tally, Ballot::pdpr, 0, "ts"));
  // Party 2 runs in both dapils; its national total is the sum of both.
  EXPECT_EQ(doc.at("chart").at("2").as_int64(), total("", Ballot::pdpr, "pdpr-31-2", "p2t") +
                                                    total("", Ballot::pdpr, "pdpr-31-3", "p2t"));
  EXPECT_EQ(doc.at("chart").at("1").as_int64(), total("", Ballot::pdpr, "pdpr-31-2", "p1t"));
}

TEST_F(SirekapView, DesaTableIsPerTpsAndAMissingTpsHasOnlyItsStatus) {
  auto results = e.results_in("3171011001", Ballot::ppwp);
  auto doc = parse(publish::sirekap_desa(def, Ballot::ppwp, results, "ts"));
  const auto& missing = doc.at("table").at(def.tps[std::size_t(e.missing_tps)].code).as_object();
  EXPECT_EQ(missing.size(), 3u);
  EXPECT_FALSE(missing.at("status_progress").as_bool());
  EXPECT_DOUBLE_EQ(missing.at("persen").to_number<double>(), 0);
  const auto& reported = doc.at("table").at("3171011001001");
  EXPECT_DOUBLE_EQ(reported.at("persen").to_number<double>(), 100);
  EXPECT_EQ(doc.at("chart").at("100025").as_int64(), reported.at("100025").as_int64())
      << "one TPS of two reported: the desa's chart is that TPS's";
  EXPECT_EQ(doc.at("progres").at("progres").as_int64(), 1);
}

TEST_F(SirekapView, TpsDocumentHasSirekapsAdministrasiAndChart) {
  int t = def.find_tps("3171011002001");
  auto results = e.results({t}, Ballot::pdpr);
  auto doc = parse(publish::sirekap_tps(def, results[0], "ts"));
  const auto& cur = *results[0].current;
  const FormLayout& layout = def.contests[std::size_t(results[0].contest)].layout;
  auto v = [&](const char* f) { return std::int64_t(cur.values[std::size_t(layout.find(f))]); };
  const auto& adm = doc.at("administrasi");
  EXPECT_EQ(adm.at("suara_sah").as_int64(), v("suara_sah"));
  EXPECT_EQ(adm.at("pemilih_dpt_j").as_int64(), v("pemilih_dpt_j"));
  EXPECT_EQ(adm.at("pengguna_non_dpt_j").as_int64(), v("pengguna_dpk_j")) << "DPK is non-DPT";
  EXPECT_EQ(adm.at("pengguna_total_p").as_int64(), v("pengguna_total_p"));
  // Party 2 with its party-only votes, total and each candidate by number.
  const auto& p2 = doc.at("chart").at("2");
  EXPECT_EQ(p2.at("jml_suara_total").as_int64(), v("p2t"));
  EXPECT_EQ(p2.at("jml_suara_partai").as_int64(), v("p2"));
  EXPECT_EQ(p2.at("2").as_int64(), v("p2c2"));
  EXPECT_FALSE(doc.at("chart").as_object().contains("1")) << "party 1 is not in this dapil";
  EXPECT_TRUE(doc.at("psu").is_null());
  EXPECT_TRUE(doc.at("status_suara").as_bool());
  EXPECT_EQ(doc.at("ts").as_string(), publish::wib_timestamp(cur.received_ms)) << "when it arrived";
}

TEST_F(SirekapView, TpsWithoutResultHasNulls) {
  auto results = e.results({e.missing_tps}, Ballot::ppwp);
  auto doc = parse(publish::sirekap_tps(def, results[0], "2024-02-14 21:00:00"));
  EXPECT_TRUE(doc.at("chart").is_null());
  EXPECT_TRUE(doc.at("administrasi").is_null());
  EXPECT_EQ(doc.at("images"), json::parse("[null,null,null]"));
  EXPECT_FALSE(doc.at("status_adm").as_bool());
  EXPECT_EQ(doc.at("ts").as_string(), "2024-02-14 21:00:00");
}

TEST_F(SirekapView, CandidateAndPartyLists) {
  auto paslon = parse(publish::sirekap_paslon(def, "ts"));
  EXPECT_EQ(paslon.at("100026").at("nama").as_string(), "Pasangan Dua");
  EXPECT_EQ(paslon.at("100026").at("nomor_urut").as_int64(), 2);
  auto partai = parse(publish::sirekap_partai(def, "ts"));
  EXPECT_EQ(partai.at("1").at("nama").as_string(), "PKB");
  EXPECT_EQ(partai.at("1").at("nama_lengkap").as_string(), "Partai Kebangkitan Bangsa");
  EXPECT_FALSE(partai.at("1").at("is_aceh").as_bool());
}

TEST_F(SirekapView, TpsImagesAreAlwaysThreeAndEveryPhotoIsInRekapImages) {
  int t = def.find_tps("3171011001001");
  auto results = e.results({t}, Ballot::ppwp);
  ASSERT_TRUE(results[0].current);
  auto& photos = results[0].current->images;
  photos.clear();
  const auto photo = [](int i) {
    Hash32 h{};
    h[0] = static_cast<std::uint8_t>(i);
    return h;
  };
  photos.push_back(photo(1));
  auto one = parse(publish::sirekap_tps(def, results[0], "ts"));
  ASSERT_EQ(one.at("images").as_array().size(), 3u);
  EXPECT_TRUE(one.at("images").at(0).as_string().starts_with("/api/v1/images/01"));
  EXPECT_TRUE(one.at("images").at(1).is_null());
  EXPECT_TRUE(one.at("images").at(2).is_null());
  EXPECT_EQ(one.at("rekap_images").as_array().size(), 1u);
  for (int i = 2; i <= 5; ++i) photos.push_back(photo(i));
  auto five = parse(publish::sirekap_tps(def, results[0], "ts"));
  ASSERT_EQ(five.at("images").as_array().size(), 3u);
  EXPECT_TRUE(five.at("images").at(2).as_string().starts_with("/api/v1/images/03"));
  ASSERT_EQ(five.at("rekap_images").as_array().size(), 5u);
  EXPECT_TRUE(five.at("rekap_images").at(4).as_string().starts_with("/api/v1/images/05"));
}

TEST_F(SirekapView, WilayahListsEachLevelDownToTheTps) {
  EXPECT_EQ(publish::sirekap_wilayah_path(""), "wilayah/pemilu/ppwp/0.json");
  EXPECT_EQ(publish::sirekap_wilayah_path("3171011001"),
            "wilayah/pemilu/ppwp/31/3171/317101/3171011001.json");
  auto nation = parse(publish::sirekap_wilayah(def, 0));
  ASSERT_EQ(nation.as_array().size(), def.regions[0].children.size());
  const auto& first = nation.at(0).as_object();
  const Region& province = def.regions[std::size_t(def.regions[0].children[0])];
  // Sirekap's keys, in its order.
  std::vector<std::string> keys;
  for (const auto& kv : first) keys.emplace_back(kv.key());
  EXPECT_EQ(keys, (std::vector<std::string>{"id", "nama", "kode", "tingkat"}));
  EXPECT_EQ(first.at("kode").as_string(), province.code);
  EXPECT_EQ(first.at("nama").as_string(), province.name);
  EXPECT_EQ(first.at("id").as_int64(), std::stoll(province.code));
  EXPECT_EQ(first.at("tingkat").as_int64(), 1);
  int desa = def.find_region("3171011001");
  auto tps = parse(publish::sirekap_wilayah(def, desa));
  ASSERT_EQ(tps.as_array().size(), def.regions[std::size_t(desa)].tps.size());
  EXPECT_EQ(tps.at(0).at("kode").as_string(), "3171011001001");
  EXPECT_EQ(tps.at(0).at("nama").as_string(), "TPS 001");
  EXPECT_EQ(tps.at(0).at("tingkat").as_int64(), 5);
}

// KPU's own TPS documents of February 2024 (../shared/standards/sirekap-2024): rekap's TPS
// documents must have every key they have, in their order, with the same kinds of values, so
// that tools written against them read rekap's unchanged.
class SirekapAsKpuPublishedIt : public SirekapView {
 protected:
  static std::vector<std::pair<std::string, json::value>> real_documents() {
    std::vector<std::pair<std::string, json::value>> out;
    for (const auto& entry : std::filesystem::directory_iterator(REKAP_SIREKAP_2024)) {
      if (entry.path().extension() != ".json") continue;
      out.emplace_back(entry.path().filename().string(), json::parse(*read_file(entry.path())));
    }
    std::sort(out.begin(), out.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    return out;
  }
  static std::vector<std::string> keys(const json::object& o) {
    std::vector<std::string> out;
    for (const auto& kv : o) out.emplace_back(kv.key());
    return out;
  }
  // Every key of `real`, in its order, is in `ours` in the same order (rekap may add keys).
  static void expect_keys_in_order(const json::object& real, const json::object& ours,
                                   const std::string& where) {
    std::vector<std::string> ours_keys = keys(ours);
    auto at = ours_keys.begin();
    for (const std::string& k : keys(real)) {
      auto found = std::find(at, ours_keys.end(), k);
      EXPECT_NE(found, ours_keys.end()) << where << ": key " << k << " missing or out of order";
      if (found != ours_keys.end()) at = found + 1;
    }
  }
  static bool is_integer(const json::value& v) { return v.is_int64() || v.is_uint64(); }
  // Sirekap's "ts": YYYY-MM-DD HH:MM:SS.
  static bool is_ts(const json::value& v) {
    if (!v.is_string()) return false;
    const std::string_view s = v.as_string();
    constexpr std::string_view kShape = "dddd-dd-dd dd:dd:dd";
    if (s.size() != kShape.size()) return false;
    for (std::size_t i = 0; i < s.size(); ++i) {
      if (kShape[i] == 'd' ? !std::isdigit(static_cast<unsigned char>(s[i])) : s[i] != kShape[i]) {
        return false;
      }
    }
    return true;
  }
};

TEST_F(SirekapAsKpuPublishedIt, TpsDocumentsHaveTheRealShape) {
  const auto real = real_documents();
  ASSERT_GE(real.size(), 18u) << REKAP_SIREKAP_2024;
  auto reported = parse(publish::sirekap_tps(
      def, e.results({def.find_tps("3171011001001")}, Ballot::ppwp)[0], "2024-02-14 00:00:00"));
  auto unreported =
      parse(publish::sirekap_tps(def, e.results({e.missing_tps}, Ballot::ppwp)[0], "ts"));
  int with_chart = 0, with_administrasi = 0;
  for (const auto& [name, doc] : real) {
    const json::object& r = doc.as_object();
    expect_keys_in_order(r, reported.as_object(), name);
    expect_keys_in_order(r, unreported.as_object(), name + " (unreported)");
    // images: always three, each a URL or null.
    ASSERT_EQ(r.at("images").as_array().size(), 3u) << name;
    for (const json::value& doc_images : {reported.at("images"), unreported.at("images")}) {
      ASSERT_EQ(doc_images.as_array().size(), 3u);
      for (const json::value& i : doc_images.as_array()) EXPECT_TRUE(i.is_string() || i.is_null());
    }
    EXPECT_TRUE(r.at("psu").is_null()) << name;
    EXPECT_TRUE(reported.at("psu").is_null());
    EXPECT_TRUE(is_ts(r.at("ts"))) << name;
    EXPECT_TRUE(is_ts(reported.at("ts")));
    EXPECT_TRUE(r.at("status_suara").is_bool() && reported.at("status_suara").is_bool());
    EXPECT_TRUE(r.at("status_adm").is_bool() && reported.at("status_adm").is_bool());
    if (r.contains("mode")) {
      EXPECT_EQ(r.at("mode"), reported.at("mode")) << name;
    }
    // chart: the same keys ("null" first, null; the pairs' ids, numbers), or null.
    if (r.at("chart").is_object()) {
      ++with_chart;
      const json::object& rc = r.at("chart").as_object();
      const json::object& oc = reported.at("chart").as_object();
      EXPECT_EQ(keys(rc), keys(oc)) << name;
      EXPECT_TRUE(rc.at("null").is_null() && oc.at("null").is_null()) << name;
      for (const auto& kv : rc) {
        if (kv.key() == "null") continue;
        EXPECT_TRUE(is_integer(kv.value()) && is_integer(oc.at(kv.key())))
            << name << " " << kv.key();
      }
    } else {
      EXPECT_TRUE(r.at("chart").is_null()) << name;
      EXPECT_TRUE(unreported.at("chart").is_null());
    }
    // administrasi: Sirekap's keys in its order, all numbers (rekap's further fields after),
    // or null.
    if (r.at("administrasi").is_object()) {
      ++with_administrasi;
      const json::object& ra = r.at("administrasi").as_object();
      const json::object& oa = reported.at("administrasi").as_object();
      std::vector<std::string> ours = keys(oa);
      ours.resize(ra.size());
      EXPECT_EQ(keys(ra), ours) << name;
      for (const auto& kv : ra) {
        EXPECT_TRUE(is_integer(kv.value()) && is_integer(oa.at(kv.key())))
            << name << " " << kv.key();
      }
    } else {
      EXPECT_TRUE(unreported.at("administrasi").is_null());
    }
  }
  EXPECT_GT(with_chart, 0);
  EXPECT_GT(with_administrasi, 0);
}

// What a 2024 checker did with every TPS document: the pairs' votes by Sirekap's ids, summed
// and held against suara_sah; the images' first entry read.
TEST_F(SirekapAsKpuPublishedIt, ATpsDocumentReadsAsA2024CheckerReadIt) {
  int t = def.find_tps("3171011001001");
  auto results = e.results({t}, Ballot::ppwp);
  auto doc = parse(publish::sirekap_tps(def, results[0], "ts"));
  const auto& chart = doc.at("chart");
  const FormLayout& layout = def.contests[std::size_t(results[0].contest)].layout;
  std::int64_t sum = 0;
  for (const char* id : {"100025", "100026", "100027"}) sum += chart.at(id).as_int64();
  EXPECT_EQ(sum, doc.at("administrasi").at("suara_sah").as_int64());
  EXPECT_EQ(sum, std::int64_t(results[0].current->values[std::size_t(layout.find("suara_sah"))]));
  // images[0]: a URL, or null when no photo came (never an empty list).
  EXPECT_EQ(doc.at("images").as_array().size(), 3u);
}

}  // namespace
}  // namespace rekap
