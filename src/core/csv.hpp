#pragma once
// RFC 4180 CSV reading with line numbers, for definition files written by people.
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace rekap {

struct CsvRow {
  int line = 0;  // 1-based line where the record starts
  std::vector<std::string> cells;
};

class CsvError : public std::runtime_error {
 public:
  CsvError(int line, const std::string& what) : std::runtime_error(what), line_(line) {}
  int line() const { return line_; }

 private:
  int line_;
};

// Parses the whole text; empty lines are skipped. Throws CsvError on an unterminated quote.
std::vector<CsvRow> parse_csv(std::string_view text);

// Quotes a cell when it needs it.
std::string csv_cell(std::string_view value);

}  // namespace rekap
