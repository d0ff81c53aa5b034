#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <map>
#include <stdexcept>
#include <string>

#include "sim/wilayah.hpp"
#include "util/files.hpp"

namespace rekap::sim {
namespace {

const std::string kHeader = "kode,nama,tps\n";
// A well-formed file: one province, one kab/kota, one kecamatan, two desa.
const std::string kGood = kHeader +
                          "11,ACEH,\n"
                          "1101,ACEH SELATAN,\n"
                          "110101,BAKONGAN,\n"
                          "1101012001,KEUDE BAKONGAN,3\n"
                          "1101012002,\"UJONG \"\"MANGKI\"\", I,II\",2\n";

TEST(Wilayah, ParsesRegionsInOrder) {
  Wilayah w = parse_wilayah(kGood, "w.csv");
  EXPECT_EQ(w.source, "w.csv");
  ASSERT_EQ(w.regions.size(), 5u);
  EXPECT_EQ(w.regions[0].code, "11");
  EXPECT_EQ(w.regions[0].name, "ACEH");
  EXPECT_EQ(w.regions[0].tps, 0);
  EXPECT_EQ(w.regions[3].tps, 3);
  EXPECT_EQ(w.regions[4].name, "UJONG \"MANGKI\", I,II");
  EXPECT_EQ(w.regions[4].tps, 2);
}

// The message of the error parsing `text` throws; "" when it throws none.
std::string error_of(const std::string& text) {
  try {
    parse_wilayah(text, "w.csv");
  } catch (const WilayahError& e) {
    return e.what();
  }
  return "";
}

TEST(Wilayah, MalformedRowsNameFileLineAndProblem) {
  struct Case {
    std::string text;
    std::string message;  // the whole message, file and line first
  };
  const std::string p = kHeader + "11,ACEH,\n";  // line 2
  const std::string k = p + "1101,ACEH SELATAN,\n";
  const std::string c = k + "110101,BAKONGAN,\n";  // line 4
  const std::vector<Case> cases = {
      {"", "w.csv:1: header must be `kode,nama,tps`"},
      {"code,name,tps\n11,ACEH,\n", "w.csv:1: header must be `kode,nama,tps`"},
      {kHeader, "w.csv:1: no regions"},
      {kHeader + "11,ACEH\n", "w.csv:2: expected 3 columns (kode,nama,tps), found 2"},
      {kHeader + "11,ACEH,,\n", "w.csv:2: expected 3 columns (kode,nama,tps), found 4"},
      {kHeader + "1X,ACEH,\n", "w.csv:2: code `1X` must be 2, 4, 6 or 10 digits"},
      {kHeader + "110,ACEH,\n", "w.csv:2: code `110` must be 2, 4, 6 or 10 digits"},
      {kHeader + "1101012001001,TPS,\n",
       "w.csv:2: code `1101012001001` must be 2, 4, 6 or 10 digits"},
      {kHeader + "99,LUAR NEGERI,\n",
       "w.csv:2: code 99 is under 99, voting abroad, which the simulator lays out itself"},
      {p + "11,ACEH,\n",
       "w.csv:3: code 11 follows 11: codes must ascend, each region after the "
       "one it lies in"},
      {kHeader + "12,SUMUT,\n11,ACEH,\n",
       "w.csv:3: code 11 follows 12: codes must ascend, each region after the one it lies in"},
      {p + "110101,BAKONGAN,\n",
       "w.csv:3: region 110101 lies in 1101, which is not listed before it"},
      {kHeader + "1101,ACEH SELATAN,\n",
       "w.csv:2: region 1101 lies in 11, which is not listed before it"},
      {p + "1101,,\n", "w.csv:3: region 1101 has no name"},
      {p + "1101,ACEH SELATAN,4\n", "w.csv:3: region 1101 is no desa; only a desa has TPS"},
      {c + "1101012001,KEUDE,\n",
       "w.csv:5: desa 1101012001: tps `` must be a whole number from 1 to 999"},
      {c + "1101012001,KEUDE,0\n",
       "w.csv:5: desa 1101012001: tps `0` must be a whole number from 1 to 999"},
      {c + "1101012001,KEUDE,1000\n",
       "w.csv:5: desa 1101012001: tps `1000` must be a whole number from 1 to 999"},
      {c + "1101012001,KEUDE,3x\n",
       "w.csv:5: desa 1101012001: tps `3x` must be a whole number from 1 to 999"},
      {c + "1101012001,KEUDE,-3\n",
       "w.csv:5: desa 1101012001: tps `-3` must be a whole number from 1 to 999"},
      {c, "w.csv:4: region 110101 has no region under it"},
      {k + "110101,BAKONGAN,\n1101012001,KEUDE,3\n1102,ACEH TENGGARA,\n",
       "w.csv:6: region 1102 has no region under it"},
      {c + "1101012001,\"KEUDE,3\n", "w.csv:5: a quoted cell is never closed"},
  };
  for (const Case& t : cases) EXPECT_EQ(error_of(t.text), t.message) << t.text;
  try {
    parse_wilayah(kHeader + "11,ACEH\n", "w.csv");
    ADD_FAILURE() << "no error";
  } catch (const WilayahError& e) {
    EXPECT_EQ(e.line(), 2);
  }
}

TEST(Wilayah, CarriageReturnsAndBlankLinesAreAccepted) {
  std::string crlf;
  for (char ch : kGood) {
    if (ch == '\n')
      crlf += "\r\n\r\n";
    else
      crlf.push_back(ch);
  }
  EXPECT_EQ(parse_wilayah(crlf, "w.csv").regions.size(), 5u);
}

TEST(Wilayah, UnreadableFileIsNamed) {
  try {
    read_wilayah("/nonexistent/wilayah.csv");
    ADD_FAILURE() << "no error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent/wilayah.csv"), std::string::npos)
        << e.what();
  }
}

TEST(Wilayah, DefaultPathFollowsTheEnvironment) {
  ::setenv("REKAP_WILAYAH", "/somewhere/w.csv", 1);
  EXPECT_EQ(default_wilayah_path(), "/somewhere/w.csv");
  ::unsetenv("REKAP_WILAYAH");
  EXPECT_TRUE(default_wilayah_path().ends_with("reference/wilayah-2024.csv"));
}

// The shipped file, counted here by hand (its first column is the code, its last the TPS, as
// names may hold quoted commas), holds the 2024 totals, and the parser reads every row of it.
TEST(Wilayah, ShippedFileHoldsThe2024Regions) {
  std::string text = read_file_or_throw(REKAP_WILAYAH_FILE);
  std::map<std::size_t, int> per_length;
  long tps = 0;
  std::size_t rows = 0;
  for (std::size_t start = text.find('\n') + 1; start < text.size();) {
    std::size_t end = std::min(text.find('\n', start), text.size());
    std::string line = text.substr(start, end - start);
    start = end + 1;
    ++rows;
    std::size_t code = line.find(',');
    ++per_length[code];
    if (code == 10) tps += std::stol(line.substr(line.rfind(',') + 1));
  }
  EXPECT_EQ(per_length[2], 38);
  EXPECT_EQ(per_length[4], 514);
  EXPECT_EQ(per_length[6], 7277);
  EXPECT_EQ(per_length[10], 83731);
  EXPECT_EQ(tps, 818339);

  auto w = read_wilayah(REKAP_WILAYAH_FILE);
  ASSERT_EQ(w->regions.size(), rows);
  long parsed_tps = 0;
  for (const WilayahRegion& r : w->regions) parsed_tps += r.tps;
  EXPECT_EQ(parsed_tps, tps);
}

}  // namespace
}  // namespace rekap::sim
