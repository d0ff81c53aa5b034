#include "audit/witness.hpp"

#include <boost/json.hpp>
#include <chrono>

#include "audit/remote_log.hpp"
#include "crypto/encoding.hpp"
#include "util/files.hpp"

namespace rekap::audit {

std::string witness_verifier_key(const std::string& name, const std::string& key_file) {
  return tlog::verifier_key(name, read_secret_key(key_file).public_key(), tlog::kSigCosignatureV1);
}

WitnessResult witness_once(const WitnessOptions& o) {
  auto verifier = tlog::parse_verifier_key(o.log_key);
  if (!verifier) throw AuditError("not a verifier key: " + o.log_key);
  SecretKey key = read_secret_key(o.key_file);
  RemoteLog log(o.log_url);
  SignedCheckpoint now = log.checkpoint(*verifier);
  const tlog::Checkpoint& cp = now.checkpoint;
  WitnessResult result;
  result.size = cp.size;

  if (auto text = read_file(o.state_file)) {
    auto seen = tlog::parse_checkpoint_body(*text);
    if (!seen) throw AuditError("the witness state " + o.state_file + " is damaged");
    result.previous_size = seen->size;
    if (seen->origin != cp.origin) throw AuditError("the state is for log " + seen->origin);
    if (cp.size < seen->size) {
      throw AuditError("the log shrank from " + std::to_string(seen->size) + " to " +
                       std::to_string(cp.size) + " entries: refusing to cosign");
    }
    if (cp.size == seen->size && cp.root != seen->root) {
      throw AuditError("the log forked: two different trees of size " + std::to_string(cp.size));
    }
    if (cp.size > seen->size && seen->size > 0) {
      TileHashReader tiles(log, cp.size);
      auto proof = tlog::consistency_proof(tiles, seen->size, cp.size);
      if (!tlog::verify_consistency(seen->size, cp.size, seen->root, cp.root, proof)) {
        throw AuditError("the log forked: the tree of size " + std::to_string(cp.size) +
                         " does not extend the tree of size " + std::to_string(seen->size) +
                         " this witness cosigned before");
      }
    }
  }
  // Remember the checkpoint before cosigning it: the witness never goes back.
  write_file_atomically(o.state_file, now.note.text);

  auto seconds = std::chrono::duration_cast<std::chrono::seconds>(
                     std::chrono::system_clock::now().time_since_epoch())
                     .count();
  tlog::NoteSignature sig = tlog::cosign(now.note.text, o.name, key, std::uint64_t(seconds));
  std::string full = tlog::format_note({now.note.text, {sig}});
  result.cosignature = full.substr(full.find("\n\n") + 2);
  if (o.submit) {
    std::string body = boost::json::serialize(
        boost::json::object{{"checkpoint", now.text}, {"cosignature", result.cosignature}});
    auto res = log.client().request("POST", "/api/v1/log/cosignatures", body);
    result.message = res.body;
    if (res.status != 200) {
      throw AuditError("the log refused the cosignature (HTTP " + std::to_string(res.status) +
                       "): " + res.body);
    }
  }
  return result;
}

}  // namespace rekap::audit
