#include <gtest/gtest.h>

#include "core/csv.hpp"

namespace rekap {
namespace {

TEST(Csv, QuotedCellsAndLineNumbers) {
  auto rows = parse_csv("a,b\n\n\"x, y\",\"say \"\"hi\"\"\"\r\n\"multi\nline\",z\nlast,");
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[0].line, 1);
  EXPECT_EQ(rows[1].line, 3);
  EXPECT_EQ(rows[1].cells, (std::vector<std::string>{"x, y", "say \"hi\""}));
  EXPECT_EQ(rows[2].cells, (std::vector<std::string>{"multi\nline", "z"}));
  EXPECT_EQ(rows[3].line, 6);
  EXPECT_EQ(rows[3].cells, (std::vector<std::string>{"last", ""}));
}

TEST(Csv, UnclosedQuoteNamesItsLine) {
  try {
    parse_csv("a\nb\n\"open,\n");
    FAIL();
  } catch (const CsvError& e) {
    EXPECT_EQ(e.line(), 3);
  }
}

TEST(Csv, CellQuotingRoundTrips) {
  EXPECT_EQ(csv_cell("plain"), "plain");
  EXPECT_EQ(csv_cell("a,b"), "\"a,b\"");
  EXPECT_EQ(parse_csv(csv_cell("q\"uote") + "\n")[0].cells[0], "q\"uote");
}

}  // namespace
}  // namespace rekap
