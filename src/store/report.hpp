#pragma once
// A citizen's report of a discrepancy between a TPS's C1 photo and the numbers published for it
// (docs/api.md#reports). Public once stored; it names no person and no address. Reports are
// not statements: they are not signed and not in the transparency log.
#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "crypto/keys.hpp"

namespace rekap {

struct Report {
  std::uint64_t id = 0;             // given by the store, from 1
  std::string tps;                  // 13 digits
  int ballot = 0;                   // Ballot
  std::vector<std::string> fields;  // form fields in question, as submitted; may be empty
  std::string text;                 // the description, UTF-8
  std::optional<Hash32> statement;  // the statement the reader looked at
  std::optional<Hash32> image;      // the photo the reader looked at
  std::int64_t received_ms = 0;     // server clock, Unix milliseconds
};

// Reports counted over the TPS whose code starts with a prefix.
struct ReportCounts {
  std::uint64_t total = 0;
  std::uint64_t tps = 0;                                        // TPS with at least one report
  std::array<std::uint64_t, 5> ballots{};                       // per Ballot
  std::map<std::pair<int, std::string>, std::uint64_t> fields;  // per (ballot, field)
};

// Reports of the TPS whose code starts with `code` (a region's code, or a TPS's).
struct ReportGroup {
  std::string code;
  std::uint64_t count = 0;
  std::int64_t latest_ms = 0;
};

}  // namespace rekap
