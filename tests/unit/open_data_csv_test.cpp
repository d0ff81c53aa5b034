// The open data CSV renderer: columns, rows, blanks and provenance.
#include <gtest/gtest.h>

#include "core/csv.hpp"
#include "crypto/encoding.hpp"
#include "open_data_fixture.hpp"
#include "publish/opendata/csv_rows.hpp"

namespace rekap {
namespace {

using publish::CsvLayout;

class OpenDataCsv : public ::testing::Test {
 protected:
  test::OpenDataElection e;
  const Definition& def = e.def;

  // Parsed file: header cells and rows by TPS code.
  struct Table {
    std::vector<std::string> header;
    std::map<std::string, std::vector<std::string>> rows;
    std::string cell(const std::string& tps, const std::string& column) const {
      auto at = std::find(header.begin(), header.end(), column);
      EXPECT_NE(at, header.end()) << column;
      return rows.at(tps)[std::size_t(at - header.begin())];
    }
  };
  Table render(const CsvLayout& layout, Ballot b) {
    std::string text =
        publish::csv_header(layout) + publish::csv_rows(def, layout, e.results_in("", b));
    auto parsed = parse_csv(text);
    Table t;
    t.header = parsed.at(0).cells;
    for (std::size_t i = 1; i < parsed.size(); ++i) {
      EXPECT_EQ(parsed[i].cells.size(), t.header.size()) << "row " << i;
      t.rows[parsed[i].cells[8]] = parsed[i].cells;
    }
    return t;
  }
  std::string value(int tps, Ballot b, const std::string& field) {
    int c = def.tps[std::size_t(tps)].contest[int(b)];
    const auto& cur = e.current[std::size_t(tps) * kBallotCount + int(b)];
    return std::to_string(cur.values[std::size_t(def.contests[std::size_t(c)].layout.find(field))]);
  }
};

TEST_F(OpenDataCsv, PresidentialFileHasEveryFieldAndEveryTps) {
  CsvLayout layout = publish::ballot_csv_layout(def, Ballot::ppwp);
  Table t = render(layout, Ballot::ppwp);
  EXPECT_EQ(t.header[0], "provinsi_code");
  EXPECT_EQ(t.header[8], "tps_code");
  EXPECT_EQ(t.header.back(), "images");
  std::size_t fields = def.contests[std::size_t(def.find_contest("ppwp"))].layout.fields.size();
  EXPECT_EQ(t.header.size(), 12 + fields + 8);
  ASSERT_EQ(t.rows.size(), def.tps.size());
  const std::string a = "3171011001001";
  EXPECT_EQ(t.cell(a, "provinsi"), "DKI JAKARTA");
  EXPECT_EQ(t.cell(a, "kecamatan_code"), "317101");
  EXPECT_EQ(t.cell(a, "kelurahan"), "TEBET TIMUR");
  EXPECT_EQ(t.cell(a, "tps"), "TPS 001");
  EXPECT_EQ(t.cell(a, "contest"), "ppwp");
  EXPECT_EQ(t.cell(a, "status"), "reported");
  EXPECT_EQ(t.cell(a, "c2"), value(def.find_tps(a), Ballot::ppwp, "c2"));
  EXPECT_EQ(t.cell(a, "suara_total"), value(def.find_tps(a), Ballot::ppwp, "suara_total"));
  const auto& cur = e.current[std::size_t(def.find_tps(a)) * kBallotCount];
  EXPECT_EQ(t.cell(a, "statement_id"), to_hex(cur.id));
  EXPECT_EQ(t.cell(a, "log_index"), std::to_string(cur.index));
  EXPECT_EQ(t.cell(a, "signer"), to_base64(cur.signer));
  EXPECT_EQ(t.cell(a, "type"), "result");
  EXPECT_EQ(t.cell(a, "rev"), "1");
  EXPECT_EQ(t.cell(a, "time"), "2024-02-14T13:00:00Z");
  EXPECT_EQ(t.cell(a, "received"), "2024-02-14T13:00:0" + std::to_string(cur.index) + ".000Z");
  // The TPS that has not reported: its row is there, its numbers and provenance are blank.
  const std::string& m = def.tps[std::size_t(e.missing_tps)].code;
  EXPECT_EQ(t.cell(m, "status"), "missing");
  EXPECT_EQ(t.cell(m, "c1"), "");
  EXPECT_EQ(t.cell(m, "statement_id"), "");
  EXPECT_EQ(t.cell(m, "images"), "");
}

TEST_F(OpenDataCsv, PartyBallotFileHasEachPartysVotesAcrossDapils) {
  CsvLayout layout = publish::ballot_csv_layout(def, Ballot::pdpr);
  Table t = render(layout, Ballot::pdpr);
  // Administrasi, then party-only votes and total per party, then the totals; no candidates.
  auto at = [&](const std::string& c) { return std::find(t.header.begin(), t.header.end(), c); };
  EXPECT_NE(at("pemilih_dpt_j"), t.header.end());
  EXPECT_LT(at("p1"), at("p1t"));
  EXPECT_LT(at("p1t"), at("p2"));
  EXPECT_LT(at("p2t"), at("suara_sah"));
  EXPECT_EQ(at("p1c1"), t.header.end());
  ASSERT_EQ(t.rows.size(), 4u);
  // Party 1 does not run in DKI Jakarta III: blank there, a number in DKI Jakarta II.
  const std::string in_ii = "3171011001001", in_iii = "3171011002001";
  EXPECT_EQ(t.cell(in_ii, "contest"), "pdpr-31-2");
  EXPECT_EQ(t.cell(in_iii, "contest"), "pdpr-31-3");
  EXPECT_EQ(t.cell(in_ii, "p1t"), value(def.find_tps(in_ii), Ballot::pdpr, "p1t"));
  EXPECT_EQ(t.cell(in_iii, "p1t"), "");
  EXPECT_EQ(t.cell(in_iii, "p2t"), value(def.find_tps(in_iii), Ballot::pdpr, "p2t"));
}

TEST_F(OpenDataCsv, ContestFileHasOnlyItsTpsWithEveryField) {
  int c = def.find_contest("pdpr-31-3");
  CsvLayout layout = publish::contest_csv_layout(def, c);
  Table t = render(layout, Ballot::pdpr);
  ASSERT_EQ(t.rows.size(), 2u);
  EXPECT_TRUE(t.rows.count("3171011002001"));
  EXPECT_EQ(t.cell("3171011002002", "p2c2"),
            value(def.find_tps("3171011002002"), Ballot::pdpr, "p2c2"));
  EXPECT_EQ(t.header.size(), 12 + def.contests[std::size_t(c)].layout.fields.size() + 8);
}

TEST_F(OpenDataCsv, ColumnsDictionaryNamesPartiesAndCandidates) {
  auto rows = parse_csv(publish::csv_columns_dictionary(def, def.find_contest("pdpr-31-3")));
  EXPECT_EQ(rows[0].cells, (std::vector<std::string>{"column", "section", "label", "party_number",
                                                     "party", "candidate_number", "candidate"}));
  std::map<std::string, std::vector<std::string>> by_column;
  for (const auto& r : rows) by_column[r.cells[0]] = r.cells;
  EXPECT_EQ(by_column.at("p2c2")[4], "GERINDRA");
  EXPECT_EQ(by_column.at("p2c2")[6], "Caleg, Y") << "a name with a comma is quoted";
  EXPECT_EQ(by_column.at("p2t")[1], "votes");
  EXPECT_EQ(by_column.at("p2t")[5], "");
  EXPECT_EQ(by_column.at("suara_sah")[1], "totals");
  EXPECT_EQ(by_column.at("pemilih_dpt_l")[3], "");
}

}  // namespace
}  // namespace rekap
