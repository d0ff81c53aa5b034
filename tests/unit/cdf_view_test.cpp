// The NIST SP 1500-100 export: valid against the schema's rules, numbers equal to the totals.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "cdf_check.hpp"
#include "open_data_fixture.hpp"
#include "publish/opendata/cdf.hpp"

namespace rekap {
namespace {

namespace json = boost::json;

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
    for (const auto& s : contest.at("BallotSelection").as_array()) {
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
};

TEST_F(CdfView, SummaryOfEveryBallotPassesTheSchemasRules) {
  for (Ballot b : kAllBallots) {
    auto report = json::parse(publish::cdf_summary(def, e.tally, b, "2024-02-14T15:00:00.000Z"));
    auto problems = test::cdf_problems(report);
    EXPECT_TRUE(problems.empty()) << ballot_id(b) << ": " << problems.front();
    EXPECT_EQ(report.at("Format").as_string(), "summary-contest");
  }
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
  EXPECT_EQ(ppwp.at("SummaryCounts").at(0).at("BallotsCast").as_int64(),
            total("", Ballot::ppwp, "ppwp", "suara_total"));
  // No desa or TPS in the summary.
  for (const auto& u : report.at("GpUnit").as_array()) {
    EXPECT_NE(u.at("Type").as_string(), "precinct");
    EXPECT_FALSE(u.as_object().contains("OtherType") &&
                 u.at("OtherType").as_string() == "kelurahan");
  }
}

TEST_F(CdfView, PartyBallotSelectionsAddUpToValidVotes) {
  auto report =
      json::parse(publish::cdf_summary(def, e.tally, Ballot::pdpr, "2024-02-14T15:00:00Z"));
  const auto& c = contest(report, "pdpr-31-3");
  std::int64_t sum = 0;
  for (const auto& s : c.at("BallotSelection").as_array()) {
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
  EXPECT_EQ(c.at("ElectoralDistrictId").as_string(), "ed-pdpr-31-3");
}

TEST_F(CdfView, PrecinctReportHasEveryTpsOfAKecamatan) {
  int kec = def.find_region("317101");
  auto results = e.results_in("317101", Ballot::ppwp);
  auto report =
      json::parse(publish::cdf_precinct(def, Ballot::ppwp, kec, results, "2024-02-14T15:00:00Z"));
  auto problems = test::cdf_problems(report);
  ASSERT_TRUE(problems.empty()) << problems.front();
  EXPECT_EQ(report.at("Format").as_string(), "precinct-level");
  const auto& ppwp = contest(report, "ppwp");
  for (const auto& r : results) {
    const std::string& code = def.tps[std::size_t(r.tps)].code;
    if (!r.current) continue;
    std::int64_t want =
        r.current->values[std::size_t(def.contests[std::size_t(r.contest)].layout.find("c3"))];
    EXPECT_EQ(count(ppwp, "sel-ppwp-c3", "ru-" + code), want) << code;
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
