#pragma once
// `rekap verify`: an auditor's check of a running election through its public interfaces only.
// Fetches the signed checkpoint, every entry and hash tile; checks the log's signature, the
// Merkle tree, every statement's signature and its place in the enrolment chain (by replaying
// the same rules the server applies); recomputes every total and compares it with the
// published results. With a state directory it caches immutable bundles and catches a log that
// rewrote what an earlier run saw.
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/keys.hpp"

namespace rekap::audit {

struct VerifyOptions {
  std::string url;
  std::string log_key;    // verifier key; empty: the one saved in state, else /log/key (trusted)
  std::string state_dir;  // empty: no state
  int threads = 2;        // for signature checks
  bool compare_results = true;
  // Acknowledgements a client kept: statement id by log index. Each must be the log's entry at
  // that index (a server that acknowledged a statement and lost it, or moved it, is caught).
  std::map<std::uint64_t, Hash32> receipts;
};

// Reads receipts: lines "<log index> <statement id, 64 hex digits>". Throws AuditError naming
// the line that is not one.
std::map<std::uint64_t, Hash32> parse_receipts(std::string_view text);

struct VerifyReport {
  std::string log_key;
  bool key_from_log = false;  // trusted on first use: the log told us its own key
  std::uint64_t tree_size = 0;
  std::uint64_t previous_size = 0;  // from the state, 0 if none
  std::uint64_t statements_replayed = 0;
  std::uint64_t results_in_force = 0;
  std::uint64_t views_compared = 0;
  std::uint64_t bundles_fetched = 0;
  std::uint64_t bundles_cached = 0;
  std::uint64_t receipts_checked = 0;
  double seconds = 0;                 // all of it
  double log_seconds = 0;             // checkpoint, entries, tree, tiles, signatures and replay
  double compare_seconds = 0;         // fetching and comparing the published results
  std::vector<std::string> problems;  // each names what differs; empty when all checks pass

  bool ok() const { return problems.empty(); }
  std::string to_text() const;
  std::string to_json() const;
};

VerifyReport verify(const VerifyOptions& options);

}  // namespace rekap::audit
