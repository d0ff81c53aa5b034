#pragma once
// `rekap witness`: an observer that cosigns a log's checkpoints (C2SP tlog-cosignature) only
// after checking, from the log's own tiles, that each checkpoint extends the last one it saw.
// What it saw is kept in a state file, so a log that forks or rewrites history is refused.
#include <cstdint>
#include <string>

namespace rekap::audit {

struct WitnessOptions {
  std::string log_url;
  std::string log_key;     // the log's verifier key
  std::string key_file;    // the witness's secret key
  std::string name;        // the witness's key name, e.g. "bawaslu.go.id/witness"
  std::string state_file;  // the last checkpoint seen
  bool submit = true;      // send the cosignature to the log
};

struct WitnessResult {
  std::uint64_t size = 0;
  std::uint64_t previous_size = 0;
  std::string cosignature;  // the signature line
  std::string message;      // what the log answered
};

// Checks and cosigns the log's current checkpoint once; throws AuditError on any fault found.
WitnessResult witness_once(const WitnessOptions& options);

// The witness's verifier key (type 0x04), for the log operator's --witness list.
std::string witness_verifier_key(const std::string& name, const std::string& key_file);

}  // namespace rekap::audit
