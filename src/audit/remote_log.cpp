#include "audit/remote_log.hpp"

namespace rekap::audit {

RemoteLog::RemoteLog(const std::string& url) : client_(Url::parse(url)) {}

std::string RemoteLog::fetch(const std::string& path) {
  auto res = client_.get(path);
  if (res.status != 200) {
    throw AuditError("GET " + path + " answered HTTP " + std::to_string(res.status));
  }
  return std::move(res.body);
}

std::string RemoteLog::published_key() {
  std::string key = fetch("/log/key");
  while (!key.empty() && (key.back() == '\n' || key.back() == '\r')) key.pop_back();
  return key;
}

SignedCheckpoint RemoteLog::checkpoint(const tlog::Verifier& log_key) {
  SignedCheckpoint out;
  out.text = fetch("/log/checkpoint");
  try {
    out.note = tlog::parse_note(out.text);
  } catch (const std::exception& e) {
    throw AuditError(std::string("the checkpoint is not a signed note: ") + e.what());
  }
  if (!tlog::verify_note(out.note, log_key)) {
    throw AuditError("the checkpoint is not signed by the log key " + log_key.name);
  }
  auto cp = tlog::parse_checkpoint_body(out.note.text);
  if (!cp) throw AuditError("the checkpoint's text is not a tlog checkpoint");
  if (cp->origin != log_key.name) {
    throw AuditError("the checkpoint is for log " + cp->origin + ", not " + log_key.name);
  }
  out.checkpoint = *cp;
  return out;
}

std::string RemoteLog::tile(const tlog::TileRef& ref) {
  return fetch("/log/" + tlog::tile_path(ref));
}

std::vector<std::string> RemoteLog::bundle(std::uint64_t index, int width) {
  std::string path = tlog::tile_path({0, index, width, true});
  std::vector<std::string> entries;
  try {
    entries = tlog::parse_bundle(tile({0, index, width, true}));
  } catch (const std::invalid_argument& e) {
    throw AuditError("entry bundle " + path + " is malformed: " + e.what());
  }
  if (entries.size() != std::size_t(width)) {
    throw AuditError("entry bundle " + path + " holds " + std::to_string(entries.size()) +
                     " entries, not " + std::to_string(width));
  }
  return entries;
}

std::vector<Hash32> TileHashReader::read(int tile_level, std::uint64_t first, std::uint64_t count) {
  std::vector<Hash32> out;
  out.reserve(count);
  for (std::uint64_t i = first; i < first + count; ++i) {
    std::uint64_t n = i / 256;
    auto key = std::pair{tile_level, n};
    auto it = tiles_.find(key);
    if (it == tiles_.end()) {
      int width = tlog::tile_width(tile_level, n, size_);
      if (width == 0) {
        throw AuditError("hash " + std::to_string(i) + " at tile level " +
                         std::to_string(tile_level) + " is beyond the tree");
      }
      std::string data = log_.tile({tile_level, n, width, false});
      if (data.size() != std::size_t(width) * 32) {
        throw AuditError("tile " + tlog::tile_path({tile_level, n, width, false}) + " has " +
                         std::to_string(data.size()) + " bytes, not " + std::to_string(width * 32));
      }
      it = tiles_.emplace(key, std::move(data)).first;
    }
    std::size_t at = std::size_t(i % 256) * 32;
    if (at + 32 > it->second.size()) throw AuditError("tile is shorter than the tree needs");
    Hash32& h = out.emplace_back();
    std::copy(it->second.begin() + std::ptrdiff_t(at), it->second.begin() + std::ptrdiff_t(at + 32),
              h.begin());
  }
  return out;
}

}  // namespace rekap::audit
