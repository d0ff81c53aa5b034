#pragma once
// The server's state restored from the stored statements alone: the ledger, the log's frontier
// and every running total, replayed in log order as when the statements arrived — at start,
// and on a node that follows the sequencer's log. Every entry is hashed again on the way, so a
// byte changed in the store stops the server instead of being served.
#include <chrono>
#include <cstdint>

#include "core/definition.hpp"
#include "core/ledger.hpp"
#include "log/merkle.hpp"
#include "store/store.hpp"
#include "tally/tally.hpp"

namespace rekap::ingest {

struct RebuildStats {
  std::uint64_t statements = 0;  // replayed
  std::uint64_t results = 0;     // TPS x ballot results in force
  std::chrono::milliseconds took{0};
};

// `ledger`, `frontier` and `tally` hold the state of the log's first ledger.size() entries
// (none at start); replays the stored entries from there up to `end`. Throws
// std::runtime_error naming the first stored statement that does not match its hashes or does
// not replay.
RebuildStats rebuild_state(Store& store, const Definition& def, Ledger& ledger,
                           tlog::Frontier& frontier, Tally& tally, std::uint64_t end);

}  // namespace rekap::ingest
