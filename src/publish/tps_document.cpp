#include "publish/tps_document.hpp"

#include <boost/json.hpp>
#include <charconv>

#include "crypto/encoding.hpp"
#include "publish/json_documents.hpp"

namespace rekap::publish {

namespace json = boost::json;

std::uint64_t checkpoint_tree_size(std::string_view note) {
  auto first = note.find('\n');
  if (first == std::string_view::npos) return 0;
  std::uint64_t size = 0;
  std::string_view line = note.substr(first + 1);
  std::from_chars(line.data(), line.data() + line.size(), size);
  return size;
}

json::value inclusion_proof_json(tlog::LogService& log, Store& store, std::uint64_t index) {
  // A checkpoint may be signed between reading the proof and reading the note: the proof must
  // be for the tree the note states, or it does not verify. Checkpoints are at least
  // --checkpoint-ms apart, so a second try nearly always agrees.
  std::string note;
  std::vector<Hash32> hashes;
  std::uint64_t size = 0;
  for (int attempt = 0; attempt < 5; ++attempt) {
    note = log.checkpoint_text();
    hashes = log.inclusion_proof(index, size);
    if (size == checkpoint_tree_size(note)) break;
  }
  if (index >= size || size != checkpoint_tree_size(note)) return nullptr;
  auto row = store.get(index);
  if (!row) return nullptr;
  json::array proof;
  for (const auto& h : hashes) proof.push_back(json::value(to_hex(h)));
  return json::object{{"index", index},
                      {"leaf_hash", to_hex(row->leaf)},
                      {"tree_size", size},
                      {"hashes", std::move(proof)},
                      {"checkpoint", std::move(note)}};
}

json::value tps_document(const Definition& def, Store& store, tlog::LogService& log, int tps) {
  const std::string& code = def.tps[std::size_t(tps)].code;
  json::value doc = tps_json(def, tps, store.by_tps(code), store.current_of(code));
  for (auto& [ballot, info] : doc.at("ballots").as_object()) {
    json::value& current = info.as_object()["current"];
    if (current.is_object()) {
      current.as_object()["proof"] =
          inclusion_proof_json(log, store, current.at("index").to_number<std::uint64_t>());
    }
  }
  return doc;
}

}  // namespace rekap::publish
