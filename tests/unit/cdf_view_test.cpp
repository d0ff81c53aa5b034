// The NIST SP 1500-100 export: valid against the standard's JSON schema, numbers equal to the
// totals.
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>

#include "cdf_check.hpp"
#include "open_data_fixture.hpp"
#include "publish/opendata/cdf.hpp"
#include "test_election.hpp"

namespace rekap {
namespace {

namespace json = boost::json;

// The ballots cast and rejected in a reporting unit.
std::pair<std::int64_t, std::int64_t> ballots(const json::value& report, const std::string& unit) {
  for (const auto& bc : report.at("Election").at(0).at("BallotCounts").as_array()) {
    if (bc.at("GpUnitId").as_string() == unit) {
      return {bc.at("BallotsCast").as_int64(), bc.at("BallotsRejected").as_int64()};
    }
  }
  throw std::runtime_error("no BallotCounts of " + unit);
}

class CdfView : public ::testing::Test {
 protected:
  test::OpenDataElection e;
  const Definition& def = e.def;

  static const json::object& contest(const json::value& report, const std::string& id) {
    for (const auto& c : report.at("Election").at(0).at("Contest").as_array()) {
      if (c.at("@id").as_string() == "contest-" + id) return c.as_object();
    }
    throw std::runtime_error("no contest " + id);
  }
  // The count of a selection in a reporting unit.
  static std::int64_t count(const json::object& contest, const std::string& selection,
                            const std::string& unit) {
    for (const auto& s : contest.at("ContestSelection").as_array()) {
      if (s.at("@id").as_string() != selection) continue;
      for (const auto& vc : s.at("VoteCounts").as_array()) {
        if (vc.at("GpUnitId").as_string() == unit) return vc.at("Count").as_int64();
      }
    }
    throw std::runtime_error("no count of " + selection + " in " + unit);
  }
  std::int64_t total(const std::string& region, Ballot b, const std::string& c,
                     const std::string& field) {
    int k = def.find_contest(c);
    return e.tally.find(def.find_region(region), b, k)
        ->sums[std::size_t(def.contests[std::size_t(k)].layout.find(field))];
  }
  std::pair<std::int64_t, std::int64_t> ballots_total(const std::string& region, Ballot b,
                                                      const std::string& c) {
    return {total(region, b, c, "suara_total"), total(region, b, c, "suara_tidak_sah")};
  }
};

TEST_F(CdfView, EveryDocumentValidatesAgainstTheStandardsSchema) {
  std::map<std::string, std::string> documents;
  for (Ballot b : kAllBallots) {
    std::string id(ballot_id(b));
    documents[id + ".json"] = publish::cdf_summary(def, e.tally, b, "2024-02-14T15:00:00Z");
    for (std::size_t r = 0; r < def.regions.size(); ++r) {
      const Region& region = def.regions[r];
      if (region.level < Level::kecamatan) continue;
      documents[id + "-" + region.code + ".json"] = publish::cdf_precinct(
          def, b, int(r), e.results_in(region.code, b), "2024-02-14T15:00:00Z");
    }
  }
  EXPECT_EQ(documents.size(), 5u * 4u) << "each ballot: the nation, a kecamatan, two desa";
  std::string errors = test::cdf_schema_errors(documents);
  EXPECT_TRUE(errors.empty()) << errors;
}

TEST_F(CdfView, SummaryCountsEqualTheTotalsAtEveryLevelDownToKecamatan) {
  auto report =
      json::parse(publish::cdf_summary(def, e.tally, Ballot::ppwp, "2024-02-14T15:00:00Z"));
  EXPECT_EQ(report.at("Status").as_string(), "unofficial-partial") << "one TPS is missing";
  const auto& ppwp = contest(report, "ppwp");
  for (const char* region : {"", "31", "3171", "317101"}) {
    std::string unit = std::string("ru-") + (*region ? region : "nasional");
    EXPECT_EQ(count(ppwp, "sel-ppwp-c1", unit), total(region, Ballot::ppwp, "ppwp", "c1")) << unit;
  }
  EXPECT_EQ(ppwp.at("TotalSubUnits").as_int64(), 4);
  EXPECT_EQ(ppwp.at("SubUnitsReported").as_int64(), 3);
  for (const char* region : {"", "31", "3171", "317101"}) {
    std::string unit = std::string("ru-") + (*region ? region : "nasional");
    EXPECT_EQ(ballots(report, unit), ballots_total(region, Ballot::ppwp, "ppwp")) << unit;
  }
  // No desa or TPS in the summary.
  for (const auto& u : report.at("GpUnit").as_array()) {
    EXPECT_NE(u.at("Type").as_string(), "precinct");
    EXPECT_FALSE(u.as_object().contains("OtherType") &&
                 u.at("OtherType").as_string() == "kelurahan");
  }
}

TEST_F(CdfView, PartyAndCandidateSelectionsAddUpToValidVotes) {
  auto report =
      json::parse(publish::cdf_summary(def, e.tally, Ballot::pdpr, "2024-02-14T15:00:00Z"));
  const auto& c = contest(report, "pdpr-31-3");
  std::int64_t sum = 0;
  for (const auto& s : c.at("ContestSelection").as_array()) {
    for (const auto& vc : s.at("VoteCounts").as_array()) {
      if (vc.at("GpUnitId").as_string() == "ru-nasional") sum += vc.at("Count").as_int64();
    }
  }
  EXPECT_EQ(sum, total("", Ballot::pdpr, "pdpr-31-3", "suara_sah"));
  EXPECT_EQ(count(c, "sel-pdpr-31-3-p2", "ru-nasional"), total("", Ballot::pdpr, "pdpr-31-3", "p2"))
      << "the party selection counts votes for the party alone";
  EXPECT_EQ(c.at("VoteVariation").as_string(), "proportional");
  EXPECT_EQ(c.at("NumberElected").as_int64(), 3);
  // A dapil of a desa, below the summary's reporting units, is a district of its own.
  EXPECT_EQ(c.at("ElectionDistrictId").as_string(), "ed-pdpr-31-3");
}

TEST_F(CdfView, BallotsAreCountedPerUnitAndPerDapil) {
  auto report =
      json::parse(publish::cdf_summary(def, e.tally, Ballot::pdpr, "2024-02-14T15:00:00Z"));
  // A unit's ballots are those of every dapil in it; a dapil's, those of its district.
  for (const char* region : {"", "31", "3171", "317101"}) {
    std::string unit = std::string("ru-") + (*region ? region : "nasional");
    auto [cast2, rejected2] = ballots_total(region, Ballot::pdpr, "pdpr-31-2");
    auto [cast3, rejected3] = ballots_total(region, Ballot::pdpr, "pdpr-31-3");
    EXPECT_EQ(ballots(report, unit), std::make_pair(cast2 + cast3, rejected2 + rejected3)) << unit;
  }
  for (const char* contest : {"pdpr-31-2", "pdpr-31-3"}) {
    EXPECT_EQ(ballots(report, std::string("ed-") + contest),
              ballots_total("", Ballot::pdpr, contest));
  }
  EXPECT_EQ(report.at("Election").at(0).at("BallotCounts").as_array().size(), 6u);
}

// A dapil of a desa of one kecamatan and the whole of another: the first kecamatan's part of it
// is neither the kecamatan nor the dapil, and is a reporting unit of its own.
TEST(CdfPartOfADapil, HasBallotCountsOfItsOwn) {
  DefinitionFiles files = test::election_files();
  files["regions.csv"] += "317102,TEBET TENGAH\n3171021001,MENTENG DALAM\n";
  files["tps.csv"] += "3171021001001,40,40\n";
  std::string& contests = files["contests.csv"];
  std::string dapil = "pdpr-31-2,pdpr,DKI Jakarta II,7,3171\n";
  contests.replace(contests.find(dapil), dapil.size(),
                   "pdpr-31-2,pdpr,DKI Jakarta II,7,3171011001\n"
                   "pdpr-31-3,pdpr,DKI Jakarta III,3,3171011002 317102\n");
  files["candidates.csv"] += "pdpr-31-3,2,1,Caleg Z\n";
  Definition def = build_definition(files);
  Tally tally(def);
  for (std::size_t t = 0; t < def.tps.size(); ++t) {
    const Tps& tps = def.tps[t];
    int c = tps.contest[int(Ballot::pdpr)];
    if (c < 0) continue;
    TpsParams params{tps.dpt_l, tps.dpt_p};
    tally.replace(int(t), Ballot::pdpr, {},
                  test::valid_form(def.contests[std::size_t(c)].layout, params,
                                   std::min(tps.dpt() * 3 / 4, params.max_value())));
  }
  std::string text = publish::cdf_summary(def, tally, Ballot::pdpr, "2024-02-14T15:00:00Z");
  std::string errors = test::cdf_schema_errors({{"pdpr.json", text}});
  EXPECT_TRUE(errors.empty()) << errors;
  auto report = json::parse(text);
  int dapil3 = def.find_contest("pdpr-31-3");
  const FormLayout& layout = def.contests[std::size_t(dapil3)].layout;
  auto ballots_in = [&](const std::string& region) {
    const auto& sums = tally.find(def.find_region(region), Ballot::pdpr, dapil3)->sums;
    return std::make_pair(sums[std::size_t(layout.find("suara_total"))],
                          sums[std::size_t(layout.find("suara_tidak_sah"))]);
  };
  EXPECT_EQ(ballots(report, "ru-317101-pdpr-31-3"), ballots_in("317101"));
  EXPECT_EQ(ballots(report, "ed-pdpr-31-3"), ballots_in(""));
  EXPECT_EQ(ballots(report, "ru-317102"), ballots_in("317102")) << "all of it in the dapil";
  bool unit = false;
  for (const auto& u : report.at("GpUnit").as_array()) {
    if (u.at("@id").as_string() != "ru-317101-pdpr-31-3") continue;
    unit = true;
    EXPECT_EQ(u.at("OtherType").as_string(), "dapil-part");
  }
  EXPECT_TRUE(unit);
}

TEST_F(CdfView, PrecinctReportHasEveryTpsOfAKecamatan) {
  int kec = def.find_region("317101");
  auto results = e.results_in("317101", Ballot::ppwp);
  auto report =
      json::parse(publish::cdf_precinct(def, Ballot::ppwp, kec, results, "2024-02-14T15:00:00Z"));
  EXPECT_EQ(report.at("Format").as_string(), "precinct-level");
  const auto& ppwp = contest(report, "ppwp");
  for (const auto& r : results) {
    const std::string& code = def.tps[std::size_t(r.tps)].code;
    if (!r.current) continue;
    std::int64_t want =
        r.current->values[std::size_t(def.contests[std::size_t(r.contest)].layout.find("c3"))];
    EXPECT_EQ(count(ppwp, "sel-ppwp-c3", "ru-" + code), want) << code;
    const FormLayout& layout = def.contests[std::size_t(r.contest)].layout;
    EXPECT_EQ(ballots(report, "ru-" + code),
              std::make_pair(
                  std::int64_t(r.current->values[std::size_t(layout.find("suara_total"))]),
                  std::int64_t(r.current->values[std::size_t(layout.find("suara_tidak_sah"))])))
        << code;
  }
  EXPECT_EQ(count(ppwp, "sel-ppwp-c3", "ru-317101"), total("317101", Ballot::ppwp, "ppwp", "c3"));
  EXPECT_EQ(count(ppwp, "sel-ppwp-c3", "ru-3171011002"),
            total("3171011002", Ballot::ppwp, "ppwp", "c3"));
  // The regions above are there to place it, without counts.
  bool nation = false;
  for (const auto& u : report.at("GpUnit").as_array()) {
    if (u.at("@id").as_string() == "ru-nasional") {
      nation = true;
      EXPECT_FALSE(u.as_object().contains("VotersRegistered"));
    }
  }
  EXPECT_TRUE(nation);
}

}  // namespace
}  // namespace rekap
