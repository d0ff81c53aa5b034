#pragma once
// `rekap witness pull`: the witness as a client of a log that does not push (rekap's own, or any
// tlog-tiles log). It fetches the log's checkpoint, builds from the log's hash tiles the
// add-checkpoint request the log would have sent (the size the witness holds and the
// consistency proof from it), and hands it to the same witness logic `serve` answers with.
#include <cstdint>
#include <string>

#include "audit/witness.hpp"

namespace rekap::audit {

struct PullResult {
  std::uint64_t size = 0;           // the checkpoint cosigned
  std::uint64_t previous_size = 0;  // what the witness held before
  std::string cosignature;          // the signature line
};

// Throws AuditError when the log cannot be read or the witness refuses its checkpoint (a log
// that shrank or forked, a bad signature, an unknown origin), naming why.
PullResult witness_pull(Witness& witness, const std::string& log_url);

}  // namespace rekap::audit
