#include "audit/witness_pull.hpp"

#include "audit/remote_log.hpp"
#include "log/add_checkpoint.hpp"

namespace rekap::audit {

PullResult witness_pull(Witness& witness, const std::string& log_url) {
  RemoteLog log(log_url);
  HttpResult got = log.client().get("/log/checkpoint");
  if (got.status != 200) {
    throw AuditError("GET /log/checkpoint answered HTTP " + std::to_string(got.status));
  }
  std::optional<tlog::Checkpoint> cp;
  try {
    cp = tlog::parse_checkpoint_body(tlog::parse_note(got.body).text);
  } catch (const std::invalid_argument& e) {
    throw AuditError(std::string("the checkpoint is not a signed note: ") + e.what());
  }
  if (!cp) throw AuditError("the log's checkpoint is not a tlog checkpoint");
  const tlog::WitnessedTree held = witness.held(cp->origin);
  if (held.size > cp->size) {
    throw AuditError("the log shrank from " + std::to_string(held.size) + " to " +
                     std::to_string(cp->size) + " entries: refusing to cosign");
  }
  TileHashReader tiles(log, cp->size);
  tlog::AddCheckpoint request{held.size, tlog::consistency_proof(tiles, held.size, cp->size),
                              got.body};
  tlog::WitnessAnswer answer = witness.add_checkpoint(tlog::format_add_checkpoint(request));
  const std::string sizes = "the tree of size " + std::to_string(cp->size) +
                            " against the tree of size " + std::to_string(held.size) +
                            " this witness cosigned";
  switch (answer.status) {
    case 200:
      return {cp->size, held.size, answer.body};
    case 409:
      throw AuditError("the log forked: " + sizes + " (same size, another root)");
    case 422:
      throw AuditError("the log forked: " + sizes + " does not extend it");
    default:
      throw AuditError("the witness refused the log's checkpoint (HTTP " +
                       std::to_string(answer.status) + "): " + answer.body);
  }
}

}  // namespace rekap::audit
