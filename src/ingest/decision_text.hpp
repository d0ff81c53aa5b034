#pragma once
// A decision as text, for the answer the sequencer gives a statement another node queued: what
// that node needs to answer its client exactly as the sequencer's own clients are answered
// (kind, grounds, code, message, violations, log index). The state it changed travels in the
// log, not here.
#include <string>
#include <string_view>

#include "core/ledger.hpp"

namespace rekap::ingest {

std::string encode_decision(const Decision& d);
// Throws std::invalid_argument naming what is wrong with the text.
Decision decode_decision(std::string_view text);

}  // namespace rekap::ingest
