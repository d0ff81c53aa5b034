#include "log/witness.hpp"

#include <charconv>
#include <stdexcept>

#include "crypto/encoding.hpp"
#include "log/add_checkpoint.hpp"
#include "log/merkle.hpp"

namespace rekap::tlog {

namespace {

WitnessAnswer refuse(int status, std::string why) {
  return {status, "text/plain; charset=utf-8", std::move(why) + "\n", std::nullopt};
}

WitnessAnswer conflict(std::uint64_t size) {
  return {409, kTlogSizeType, format_tlog_size(size), std::nullopt};
}

// The signature line of a note that carries this one signature.
std::string signature_line(const std::string& text, const NoteSignature& sig) {
  std::string note = format_note({text, {sig}});
  return note.substr(text.size() + 1);
}

}  // namespace

WitnessAnswer add_checkpoint(std::string_view body, const std::map<std::string, Verifier>& logs,
                             const WitnessState& state, const WitnessIdentity& witness,
                             std::uint64_t now) {
  AddCheckpoint request;
  Note note;
  std::optional<Checkpoint> cp;
  try {
    request = parse_add_checkpoint(body);
    note = parse_note(request.checkpoint);
    cp = parse_checkpoint_body(note.text);
  } catch (const std::invalid_argument& e) {
    return refuse(400, std::string("malformed add-checkpoint body: ") + e.what());
  }
  if (!cp) return refuse(400, "malformed add-checkpoint body: the note is not a checkpoint");
  auto log = logs.find(cp->origin);
  if (log == logs.end()) return refuse(404, "unknown log origin: " + cp->origin);
  // Signatures by other keys (other witnesses' cosignatures among them) are ignored.
  if (!verify_note(note, log->second)) {
    return refuse(403, "the checkpoint carries no valid signature by the key of " + cp->origin);
  }
  if (request.old_size > cp->size) {
    return refuse(400, "old size " + std::to_string(request.old_size) +
                           " is above the checkpoint's size " + std::to_string(cp->size));
  }
  auto seen = state.find(cp->origin);
  const WitnessedTree known = seen == state.end() ? WitnessedTree{} : seen->second;
  if (request.old_size != known.size) return conflict(known.size);
  if (cp->size == known.size && cp->root != known.root) return conflict(known.size);
  if (!verify_consistency(known.size, cp->size, known.root, cp->root, request.proof)) {
    return refuse(422, "the consistency proof from size " + std::to_string(known.size) +
                           " to size " + std::to_string(cp->size) + " does not verify");
  }
  NoteSignature sig = cosign(note.text, witness.name, witness.key, now);
  return {200, "text/plain; charset=utf-8", signature_line(note.text, sig),
          std::make_pair(cp->origin, WitnessedTree{cp->size, cp->root})};
}

std::string format_witness_state(const WitnessState& state) {
  std::string text;
  for (const auto& [origin, tree] : state) {
    text += std::to_string(tree.size) + " " + to_base64(tree.root) + " " + origin + "\n";
  }
  return text;
}

WitnessState parse_witness_state(std::string_view text) {
  WitnessState state;
  std::size_t pos = 0;
  for (int n = 1; pos < text.size(); ++n) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    const std::string where = "witness state line " + std::to_string(n);
    std::size_t a = line.find(' '), b = a == line.npos ? a : line.find(' ', a + 1);
    if (b == line.npos || b + 1 >= line.size()) throw std::invalid_argument(where + " is damaged");
    WitnessedTree tree;
    auto [p, ec] = std::from_chars(line.data(), line.data() + a, tree.size);
    auto root = from_base64(line.substr(a + 1, b - a - 1));
    if (ec != std::errc() || p != line.data() + a || !root || root->size() != tree.root.size()) {
      throw std::invalid_argument(where + " is damaged");
    }
    std::copy(root->begin(), root->end(), tree.root.begin());
    if (!state.emplace(std::string(line.substr(b + 1)), tree).second) {
      throw std::invalid_argument(where + " repeats a log");
    }
  }
  return state;
}

}  // namespace rekap::tlog
