#pragma once
// The witness of `rekap witness serve` and `rekap witness pull` (c2sp.org/tlog-witness): the
// logs it is configured with, its key, and what it last cosigned for each log, kept in a state
// file. Each add-checkpoint request is decided (log/witness), the new state written to disk and
// only then answered, under one lock, so two requests never roll the state back.
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "log/witness.hpp"

namespace rekap::audit {

struct WitnessConfig {
  std::string name;        // the witness's key name, e.g. "bawaslu.go.id/witness"
  std::string key_file;    // its secret key (rekap keygen)
  std::string state_file;  // what it cosigned, per log
  // Each "<log verifier key> [<origin>]": a log it cosigns; the origin is the key's name when
  // it is left out.
  std::vector<std::string> logs;
};

class Witness {
 public:
  // Throws std::invalid_argument on a bad log entry or name, std::runtime_error on a key or a
  // state file that cannot be read.
  explicit Witness(const WitnessConfig& config);

  // Answers one add-checkpoint request body; the state is on disk before it returns 200.
  tlog::WitnessAnswer add_checkpoint(std::string_view body);
  // What it last cosigned for a log (size 0 for none).
  tlog::WitnessedTree held(const std::string& origin) const;
  // Its verifier key (type 0x04), for logs to list.
  std::string verifier_key() const;

 private:
  tlog::WitnessIdentity identity_;
  std::string state_file_;
  std::map<std::string, tlog::Verifier> logs_;  // origin -> the log's key
  mutable std::mutex mutex_;
  tlog::WitnessState state_;
};

// The witness's verifier key (type 0x04), for the log operator's `rekap serve --witness`.
std::string witness_verifier_key(const std::string& name, const std::string& key_file);

}  // namespace rekap::audit
