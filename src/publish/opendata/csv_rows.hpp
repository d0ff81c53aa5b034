#pragma once
// The open data CSV files (docs/open-data.md): one row per TPS with the region it lies in, the
// status of its result, the numbers in force by form field name, and the statement they come
// from. Pure: rows are rendered from the TpsResults given.
//
// Two shapes, because DPR and DPRD dapils have different candidates:
//  - per ballot (data/<ballot>.csv): every TPS of the ballot, with the columns that mean the
//    same thing in every contest of the ballot;
//  - per contest (data/<ballot>/<contest>.csv): the TPS of one contest with every field of its
//    form.
#include <string>
#include <vector>

#include "core/definition.hpp"
#include "publish/opendata/tps_result.hpp"

namespace rekap::publish {

struct CsvLayout {
  Ballot ballot = Ballot::ppwp;
  int contest = -1;                 // -1: the per-ballot file (every contest of the ballot)
  std::vector<std::string> fields;  // the value columns, by form field name
  // Per contest index: for each value column, the field's index in that contest's layout, or
  // -1 where the contest has no such field (the cell stays empty).
  std::vector<std::vector<int>> columns;
};

// The value columns of the per-ballot file: every field when the ballot has one contest (PPWP);
// otherwise administrasi, then for party ballots each party's party-only votes and total (a
// party's number is the same in every dapil), then the totals.
CsvLayout ballot_csv_layout(const Definition& def, Ballot b);
// Every field of the contest's form, in form order.
CsvLayout contest_csv_layout(const Definition& def, int contest);

std::string csv_header(const CsvLayout& layout);
// One line per result (those of the layout's contest, for a contest file), in the order given.
std::string csv_rows(const Definition& def, const CsvLayout& layout,
                     const std::vector<TpsResult>& results);
// What each value column of a contest file means: section, label, party and candidate.
std::string csv_columns_dictionary(const Definition& def, int contest);

}  // namespace rekap::publish
