#pragma once
// The document of one TPS as GET /api/v1/tps/<code> answers it and the portal publishes it:
// tps_json with, on each ballot's result in force, its inclusion proof in the latest
// checkpoint, so that one citizen can check one TPS against the signed log.
#include <boost/json/value.hpp>
#include <cstdint>
#include <string_view>

#include "core/definition.hpp"
#include "log/log_service.hpp"
#include "store/store.hpp"

namespace rekap::publish {

// {index, leaf_hash, tree_size, hashes, checkpoint} of log entry `index`; null while the entry
// is newer than the latest checkpoint.
boost::json::value inclusion_proof_json(tlog::LogService& log, Store& store, std::uint64_t index);

// The tree size a checkpoint note states (its second line); 0 for no note.
std::uint64_t checkpoint_tree_size(std::string_view note);

boost::json::value tps_document(const Definition& def, Store& store, tlog::LogService& log,
                                int tps);

}  // namespace rekap::publish
