// The Sirekap-compatible documents: shapes, keys and numbers.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "open_data_fixture.hpp"
#include "publish/opendata/sirekap_documents.hpp"
#include "publish/opendata/wib_time.hpp"

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
  for (const char* c : {"1", "2", "3"}) {
    EXPECT_EQ(doc.at("chart").at(c).as_int64(),
              total("", Ballot::ppwp, "ppwp", std::string("c") + c));
  }
  EXPECT_EQ(doc.at("progres").at("total").as_int64(), 4);
  EXPECT_EQ(doc.at("progres").at("progres").as_int64(), 3);
  EXPECT_DOUBLE_EQ(doc.at("chart").at("persen").to_number<double>(), 75.0);
  const auto& jakarta = doc.at("table").at("31");
  EXPECT_EQ(jakarta.at("2").as_int64(), total("31", Ballot::ppwp, "ppwp", "c2"));
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
  EXPECT_EQ(doc.at("chart").at("1").as_int64(), reported.at("1").as_int64())
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
  EXPECT_FALSE(doc.at("status_adm").as_bool());
  EXPECT_EQ(doc.at("ts").as_string(), "2024-02-14 21:00:00");
}

TEST_F(SirekapView, CandidateAndPartyLists) {
  auto paslon = parse(publish::sirekap_paslon(def, "ts"));
  EXPECT_EQ(paslon.at("2").at("nama").as_string(), "Pasangan Dua");
  EXPECT_EQ(paslon.at("2").at("nomor_urut").as_int64(), 2);
  auto partai = parse(publish::sirekap_partai(def, "ts"));
  EXPECT_EQ(partai.at("1").at("nama").as_string(), "PKB");
  EXPECT_EQ(partai.at("1").at("nama_lengkap").as_string(), "Partai Kebangkitan Bangsa");
  EXPECT_FALSE(partai.at("1").at("is_aceh").as_bool());
}

}  // namespace
}  // namespace rekap
