#pragma once
// Election night against a running server: enrol a device key for every TPS (and a ppk key for
// every kecamatan when corrections are played), submit every TPS's result for every ballot as
// signed statements from concurrent clients, inject faults, then check that the published
// totals at every region level equal the ground truth exactly and that every bad statement was
// refused.
#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "core/definition.hpp"
#include "core/statement.hpp"
#include "crypto/keys.hpp"

namespace rekap::sim {

// Faults the simulator can inject; see docs/simulator.md.
inline const std::set<std::string> kFaults = {"drop", "duplicate", "reorder", "correct", "bad"};

struct RunOptions {
  std::string url;
  // More nodes of the same deployment: the clients spread over url and these, and a client
  // whose node fails or answers 503 sends again to the next.
  std::vector<std::string> nodes;
  int clients = 8;
  std::uint64_t seed = 1;
  bool check = true;
  bool presign = false;  // sign everything before the clock starts (measures the server alone)
  double rate = 0;       // results per second across all clients; 0: as fast as possible
  std::set<std::string> faults;
  double fault_share = 0.05;  // share of TPS (or statements) each fault touches
  int max_attempts = 5;       // per statement, on connection failures and 503
  // Share of TPS x ballot whose numbers go through photos and the OCR reader (sim/ocr_officer).
  double ocr_share = 0;
  std::string model;  // digit model; empty: the default
  std::string mnist;  // MNIST IDX directory; empty: the default
  // Where to write the receipts: a line "<log index> <statement id>" for each acknowledgement,
  // for `rekap verify --receipts`; empty: none.
  std::string receipts;
};

// Forms that went through photos and the reader.
struct OcrReport {
  std::uint64_t forms = 0;
  std::uint64_t photos = 0;
  std::uint64_t accepted = 0;          // accepted by the reader with no person involved
  std::uint64_t reviewed = 0;          // forms a person had to look at
  std::uint64_t fields_reviewed = 0;   // fields the reader marked
  std::uint64_t fields_corrected = 0;  // ... whose reading was wrong
  std::uint64_t wrong_accepted = 0;    // wrong values the reader accepted (must be 0)
  std::uint64_t wrong_unflagged = 0;   // wrong values a review did not mark (must be 0)
  std::uint64_t retakes = 0;           // photos refused and taken again
  std::uint64_t typed = 0;             // forms typed by hand after three refused photos
};

struct Latency {
  double p50_ms = 0, p90_ms = 0, p99_ms = 0, max_ms = 0;
};

struct RunReport {
  std::uint64_t enrolled = 0;
  std::uint64_t results = 0;         // result statements acknowledged with 200
  std::uint64_t new_statements = 0;  // of everything sent, how many the server stored now
  std::uint64_t already_stored = 0;  // ... and how many it had already (a re-run)
  std::uint64_t failed = 0;          // good statements not acknowledged
  std::uint64_t retries = 0;
  std::uint64_t dropped = 0;              // requests sent on a connection dropped before the answer
  std::uint64_t duplicated = 0;           // statements sent again after their acknowledgement
  std::uint64_t corrections = 0;          // ppk corrections acknowledged
  std::uint64_t bad_sent = 0;             // statements that must be refused
  std::uint64_t bad_refused = 0;          // ... refused with the expected status
  std::vector<std::string> bad_accepted;  // ... that were not: each named
  double enrol_seconds = 0;
  double submit_seconds = 0;
  double results_per_second = 0;
  Latency latency;
  std::uint64_t regions_checked = 0;
  std::vector<std::string> mismatches;  // empty when the totals are exact
  OcrReport ocr;
  std::string to_text() const;
  std::string to_json() const;
  bool ok() const {
    return failed == 0 && mismatches.empty() && bad_accepted.empty() && ocr.wrong_accepted == 0 &&
           ocr.wrong_unflagged == 0;
  }
};

// The key the simulator gives a TPS's device: derived from the election and seed, so that a
// re-run signs the same statements (and the server answers them as duplicates).
SecretKey device_key(const std::string& election, const std::string& tps, std::uint64_t seed);

// Every statement of a simulated election night without faults, signed: one enrolment per TPS
// (by the admin), then one result per TPS and ballot (by the TPS's device), byte-identical for
// the same seed.
struct Plan {
  std::vector<SignedStatement> enrolments;
  std::vector<SignedStatement> results;
};
Plan plan_election(const Definition& def, const SecretKey& admin, std::uint64_t seed);

// The JSON body of POST /api/v1/statements.
std::string request_body(const SignedStatement& s);

RunReport run_election(const Definition& def, const SecretKey& admin, const RunOptions& options);

}  // namespace rekap::sim
