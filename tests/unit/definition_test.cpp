#include <gtest/gtest.h>

#include "core/definition.hpp"
#include "test_election.hpp"

namespace rekap {
namespace {

// Builds the test election with one file replaced and returns the problems found.
std::vector<std::string> problems_with(const std::string& file, const std::string& content) {
  auto files = test::election_files();
  files[file] = content;
  try {
    build_definition(files);
  } catch (const DefinitionError& e) {
    std::vector<std::string> out;
    for (const auto& p : e.problems()) out.push_back(p.to_string());
    return out;
  }
  return {};
}

bool contains(const std::vector<std::string>& problems, const std::string& text) {
  for (const auto& p : problems) {
    if (p.find(text) != std::string::npos) return true;
  }
  return false;
}

TEST(Definition, BuildsTreeContestsAndLayouts) {
  const Definition& def = test::election();
  EXPECT_EQ(def.election_id, "test-2024");
  EXPECT_EQ(def.regions.size(), 6u);
  EXPECT_EQ(def.tps.size(), 4u);
  int desa = def.find_region("3171011001");
  ASSERT_GE(desa, 0);
  EXPECT_EQ(def.regions[desa].tps.size(), 2u);
  EXPECT_EQ(def.regions[def.regions[desa].parent].code, "317101");
  const Tps& t = def.tps[def.find_tps("3171011002001")];
  EXPECT_EQ(t.dpt(), 185u);
  EXPECT_EQ(def.contests[t.contest[int(Ballot::pdprdk)]].id, "pdprdk-3171-1");
  EXPECT_EQ(def.tps_count(0, Ballot::ppwp), 4u);
  const Contest& dpr = def.contests[def.find_contest("pdpr-31-2")];
  EXPECT_EQ(dpr.parties, (std::vector<int>{1, 2}));
  EXPECT_GE(dpr.layout.find("p1c2"), 0);
  EXPECT_GE(dpr.layout.find("p2t"), 0);
  EXPECT_EQ(dpr.layout.find("p2c2"), -1);
  const Contest& ppwp = def.contests[def.find_contest("ppwp")];
  EXPECT_GE(ppwp.layout.find("c3"), 0);
}

TEST(Definition, DanglingCodesAreNamedWithFileAndLine) {
  auto p = problems_with("regions.csv",
                         "code,name\n31,DKI\n3171,JAKSEL\n317101,TEBET\n"
                         "3171011001,TIMUR\n3171011002,BARAT\n3172019999,ORPHAN\n");
  EXPECT_TRUE(contains(p, "regions.csv:7: region 3172019999 has no parent region 317201")) << p[0];
  p = problems_with("tps.csv", "code,dpt_l,dpt_p\n3171011001001,50,50\n3171011009001,1,1\n");
  EXPECT_TRUE(contains(p, "tps.csv:3: TPS 3171011009001 has no desa 3171011009"));
  p = problems_with("contests.csv",
                    "id,ballot,name,seats,regions\nppwp,ppwp,P,1,*\npdpd-31,pdpd,D,4,32\n");
  EXPECT_TRUE(contains(p, "contests.csv:3: contest pdpd-31 names region 32"));
}

TEST(Definition, DuplicateCodesAreRefused) {
  auto p = problems_with("tps.csv", "code,dpt_l,dpt_p\n3171011001001,50,50\n3171011001001,1,1\n");
  EXPECT_TRUE(contains(p, "tps.csv:3: duplicate TPS code 3171011001001"));
  p = problems_with("regions.csv", "code,name\n31,A\n31,B\n");
  EXPECT_TRUE(contains(p, "regions.csv:3: duplicate region code 31 (first on line 2)"));
}

TEST(Definition, TpsOver300VotersIsRefused) {
  auto p = problems_with("tps.csv", "code,dpt_l,dpt_p\n3171011001001,150,151\n");
  EXPECT_TRUE(contains(p, "tps.csv:2: TPS 3171011001001 has 301 registered voters; at most 300"));
  EXPECT_TRUE(problems_with("tps.csv", "code,dpt_l,dpt_p\n3171011001001,150,150\n").empty());
}

TEST(Definition, MalformedRowsAndHeaders) {
  auto p = problems_with("tps.csv", "code,dpt_l\n3171011001001,50\n");
  EXPECT_TRUE(contains(p, "tps.csv:1: header must be `code,dpt_l,dpt_p`"));
  p = problems_with("tps.csv", "code,dpt_l,dpt_p\n3171011001001,50\n");
  EXPECT_TRUE(contains(p, "tps.csv:2: expected 3 columns, found 2"));
  p = problems_with("tps.csv", "code,dpt_l,dpt_p\n3171011001001,lima,50\n");
  EXPECT_TRUE(contains(p, "tps.csv:2: TPS 3171011001001: dpt_l and dpt_p must be whole numbers"));
  p = problems_with("contests.csv", "id,ballot,name,seats,regions\nx,dpr,X,1,31\n");
  EXPECT_TRUE(contains(p, "contests.csv:2: contest x: unknown ballot `dpr`"));
}

TEST(Definition, OverlappingContestsAreRefused) {
  auto files = test::election_files();
  files["contests.csv"] += "pdpd-31b,pdpd,DPD lagi,4,3171\n";
  files["candidates.csv"] += "pdpd-31b,,1,Calon Z\n";
  try {
    build_definition(files);
    FAIL();
  } catch (const DefinitionError& e) {
    EXPECT_NE(std::string(e.what()).find("is covered by two pdpd contests"), std::string::npos)
        << e.what();
  }
}

TEST(Definition, LocalPartyOnlyInItsProvince) {
  auto files = test::election_files();
  files["parties.csv"] += "19,PA,Partai Aceh,11\n";
  files["regions.csv"] += "11,ACEH\n";
  files["candidates.csv"] += "pdpr-31-2,19,1,Caleg Aceh\n";
  try {
    build_definition(files);
    FAIL();
  } catch (const DefinitionError& e) {
    EXPECT_NE(std::string(e.what()).find("party 19 runs only in province 11"), std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace rekap
