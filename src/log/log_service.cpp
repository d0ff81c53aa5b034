#include "log/log_service.hpp"

#include <spdlog/spdlog.h>

#include <filesystem>

#include "core/statement.hpp"
#include "log/tiles.hpp"
#include "util/files.hpp"

namespace rekap::tlog {

namespace fs = std::filesystem;

namespace {

constexpr const char* kCheckpointMeta = "checkpoint";
constexpr const char* kImmutable = "public, max-age=31536000, immutable";

// Tiles kept for proofs: 16 MiB, the newest 256 K entries' tiles and the levels above them.
constexpr std::size_t kProofTiles = 1024;

LogResponse not_found(const std::string& what) {
  return {404, "text/plain; charset=utf-8", "no-cache", what + "\n", false};
}

// The size of a stored checkpoint; 0 for none.
std::uint64_t stored_size(const std::optional<std::string>& note) {
  if (!note) return 0;
  auto cp = tlog::parse_checkpoint_body(tlog::parse_note(*note).text);
  return cp ? cp->size : 0;
}

// The text part of a note: everything before the blank line that starts the signatures.
std::string note_body(const std::string& note) {
  return note.substr(0, note.find("\n\n") + 1);
}

}  // namespace

LogService::LogService(Store& store, SecretKey key, LogOptions options, std::uint64_t size,
                       const Hash32& root)
    : store_(store),
      key_(std::move(key)),
      options_(std::move(options)),
      reader_(store),
      proof_tiles_(reader_, kProofTiles) {
  proof_tiles_.set_size(size);
  committed_size_ = size;
  committed_root_ = root;
  if (auto text = store_.get_meta(kCheckpointMeta)) {
    tlog::Note note = tlog::parse_note(*text);
    auto cp = tlog::parse_checkpoint_body(note.text);
    auto verifier = tlog::parse_verifier_key(verifier_key());
    if (!cp || cp->origin != options_.origin || !verifier || !tlog::verify_note(note, *verifier)) {
      throw std::runtime_error("the stored checkpoint is not one this log signed");
    }
    // The log may only ever extend what it has signed: the rebuilt tree must contain it.
    check_stored_ = options_.shared && cp->size > size;
    if (!check_stored_) require_extends(*cp, size);
    signed_ = *cp;
    signed_note_ = *text;
    published_size_ = 0;  // checked once at start: the publish directory may be new
  } else {
    signed_.origin = options_.origin;
    signed_.size = 0;
    signed_.root = sha256("");
  }
}

void LogService::require_extends(const tlog::Checkpoint& cp, std::uint64_t size) {
  if (cp.size > size || tlog::tree_root(reader_, cp.size) != cp.root) {
    throw std::runtime_error(
        "the stored statements do not extend the last signed checkpoint (size " +
        std::to_string(cp.size) + "); refusing to sign a forked tree");
  }
}

LogService::~LogService() {
  stop();
}

void LogService::start() {
  {
    std::unique_lock lock(mutex_);
    sign_locked(lock);
  }
  worker_.start("rekap-log", [this] { loop(); });
}

void LogService::stop() {
  worker_.stop();
}

void LogService::committed(std::uint64_t size, const Hash32& root) {
  proof_tiles_.set_size(size);
  std::lock_guard lock(mutex_);
  committed_size_ = size;
  committed_root_ = root;
}

void LogService::loop() {
  std::unique_lock lock(mutex_);
  while (!worker_.stopping()) {
    wake_.wait_for(lock, options_.interval, [this] { return worker_.stopping(); });
    if (worker_.stopping()) break;
    try {
      sign_locked(lock);
    } catch (const std::exception& e) {
      spdlog::error("signing a checkpoint failed: {}", e.what());
    }
  }
}

void LogService::sign_locked(std::unique_lock<std::mutex>& lock) {
  std::uint64_t from = published_size_;
  if (check_stored_ && committed_size_ >= signed_.size) {
    require_extends(signed_, committed_size_);
    check_stored_ = false;
  }
  if (committed_size_ > signed_.size || signed_note_.empty()) {
    tlog::Checkpoint cp{options_.origin, committed_size_, committed_root_, {}};
    std::string note = tlog::sign_note(tlog::checkpoint_body(cp), options_.origin, key_);
    // Durable before it is served: after a crash the log still knows what it signed. Of the
    // nodes sharing a store, the one furthest ahead keeps it.
    if (!options_.shared || stored_size(store_.get_meta(kCheckpointMeta)) < cp.size) {
      store_.put_meta(kCheckpointMeta, note);
    }
    signed_ = cp;
    signed_note_ = note;
    cosignatures_.clear();
  }
  std::uint64_t to = signed_.size;
  std::string note = checkpoint_text_locked();
  lock.unlock();
  try {
    publish(from, to);
    if (!options_.publish_dir.empty())
      write_file_atomically(fs::path(options_.publish_dir) / "log/checkpoint", note);
  } catch (...) {
    lock.lock();
    throw;
  }
  lock.lock();
  published_size_ = std::max(published_size_, to);
}

std::string LogService::checkpoint_text_locked() const {
  std::string text = signed_note_;
  for (const auto& [name, line] : cosignatures_) text += line;
  return text;
}

std::string LogService::checkpoint_text() const {
  std::lock_guard lock(mutex_);
  return checkpoint_text_locked();
}

std::string LogService::verifier_key() const {
  return tlog::verifier_key(options_.origin, key_.public_key());
}

void LogService::publish(std::uint64_t from, std::uint64_t to) {
  if (options_.publish_dir.empty() || to <= from) return;
  fs::path root = fs::path(options_.publish_dir) / "log";
  // Full tiles only: they never change, so any web server or CDN may cache them for good.
  for (int level = 0; (to >> (8 * level)) >= 256; ++level) {
    std::uint64_t first = (from >> (8 * level)) / 256, last = (to >> (8 * level)) / 256;
    for (std::uint64_t n = first; n < last; ++n) {
      fs::path path = root / tlog::tile_path({level, n, 256, false});
      if (!fs::exists(path))
        write_file_atomically(path, tlog::hash_tile_data(reader_, level, n, 256));
    }
  }
  for (std::uint64_t n = from / 256; n < to / 256; ++n) {
    fs::path path = root / tlog::tile_path({0, n, 256, true});
    if (!fs::exists(path)) write_file_atomically(path, tlog::bundle_data(entries(n * 256, 256)));
  }
}

std::vector<std::string> LogService::entries(std::uint64_t first, std::uint64_t count) {
  std::vector<std::string> out;
  for (const StoredStatement& s : store_.range(first, count)) {
    out.push_back(log_entry(s.body, s.signature));
  }
  return out;
}

LogResponse LogService::get(std::string_view rest) {
  if (rest == "checkpoint") {
    return {200, "text/plain; charset=utf-8", "public, max-age=2", checkpoint_text(), false};
  }
  if (rest == "key")
    return {200, "text/plain; charset=utf-8", "public, max-age=300", verifier_key() + "\n", false};
  if (rest.starts_with("tile/")) return tile(rest);
  return not_found("no such log path: " + std::string(rest));
}

LogResponse LogService::tile(std::string_view path) {
  auto ref = tlog::parse_tile_path(path);
  if (!ref) return not_found("not a tile path: " + std::string(path));
  std::uint64_t size;
  {
    std::lock_guard lock(mutex_);
    size = committed_size_;
  }
  // A partial tile narrower than today's is still the same bytes, so it stays servable.
  int available = ref->entries ? tlog::bundle_width(ref->index, size)
                               : tlog::tile_width(ref->level, ref->index, size);
  if (available < ref->width) return not_found("tile " + std::string(path) + " does not exist yet");
  std::string cache = ref->width == 256 ? kImmutable : "public, max-age=60";
  if (ref->entries) {
    return {200, "application/octet-stream", cache,
            tlog::bundle_data(entries(ref->index * 256, std::uint64_t(ref->width))), true};
  }
  return {200, "application/octet-stream", cache,
          tlog::hash_tile_data(reader_, ref->level, ref->index, ref->width), false};
}

LogResponse LogService::add_cosignature(std::string_view checkpoint_text, std::string_view line) {
  std::lock_guard lock(mutex_);
  std::string body = tlog::checkpoint_body(signed_);
  if (note_body(std::string(checkpoint_text)) != body) {
    return {409, "text/plain; charset=utf-8", "no-cache",
            "the checkpoint cosigned is not the current one (size " + std::to_string(signed_.size) +
                "); fetch /log/checkpoint again\n",
            false};
  }
  tlog::Note note;
  try {
    note = tlog::parse_note(body + "\n" + std::string(line));
  } catch (const std::exception& e) {
    return {400, "text/plain; charset=utf-8", "no-cache",
            std::string("malformed cosignature: ") + e.what() + "\n", false};
  }
  for (const tlog::NoteSignature& sig : note.signatures) {
    for (const tlog::Verifier& w : options_.witnesses) {
      if (w.name != sig.name || w.key_id != sig.key_id) continue;
      if (!tlog::verify_cosignature(body, sig, w)) {
        return {403, "text/plain; charset=utf-8", "no-cache",
                "cosignature of " + w.name + " does not verify\n", false};
      }
      std::string full = tlog::format_note({body, {sig}});
      cosignatures_[w.name] = full.substr(full.find("\n\n") + 2);
      return {200, "text/plain; charset=utf-8", "no-cache",
              "cosigned by " + w.name + " at size " + std::to_string(signed_.size) + "\n", false};
    }
  }
  return {403, "text/plain; charset=utf-8", "no-cache",
          "no configured witness has that name and key\n", false};
}

std::vector<Hash32> LogService::inclusion_proof(std::uint64_t index, std::uint64_t& tree_size) {
  {
    std::lock_guard lock(mutex_);
    tree_size = signed_.size;
  }
  if (index >= tree_size) return {};
  return tlog::inclusion_proof(proof_tiles_, index, tree_size);
}

}  // namespace rekap::tlog
