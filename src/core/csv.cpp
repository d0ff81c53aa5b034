#include "core/csv.hpp"

namespace rekap {

std::vector<CsvRow> parse_csv(std::string_view text) {
  std::vector<CsvRow> rows;
  CsvRow row;
  std::string cell;
  int line = 1;
  row.line = 1;
  bool in_quotes = false;
  bool cell_started = false;
  auto end_row = [&] {
    if (cell_started || !row.cells.empty()) {
      row.cells.push_back(std::move(cell));
      rows.push_back(std::move(row));
    }
    row = CsvRow{};
    cell.clear();
    cell_started = false;
  };
  int quote_line = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_quotes) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          cell.push_back('"');
          ++i;
        } else {
          in_quotes = false;
        }
      } else {
        if (c == '\n') ++line;
        cell.push_back(c);
      }
      continue;
    }
    switch (c) {
      case '"':
        in_quotes = true;
        cell_started = true;
        quote_line = line;
        break;
      case ',':
        row.cells.push_back(std::move(cell));
        cell.clear();
        cell_started = true;
        break;
      case '\r':
        break;
      case '\n':
        end_row();
        ++line;
        row.line = line;
        break;
      default:
        cell.push_back(c);
        cell_started = true;
    }
  }
  if (in_quotes) throw CsvError(quote_line, "a quoted cell is never closed");
  end_row();
  return rows;
}

std::string csv_cell(std::string_view value) {
  if (value.find_first_of(",\"\n\r") == std::string_view::npos) return std::string(value);
  std::string out = "\"";
  for (char c : value) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

}  // namespace rekap
