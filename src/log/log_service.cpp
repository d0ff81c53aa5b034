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
// The newest checkpoint witnesses cosigned, with their lines: how they reach every node.
constexpr const char* kCosignedMeta = "cosigned_checkpoint";
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
  load_cosigned_locked();
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
      if (options_.shared) load_cosigned_locked();
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
  }
  std::uint64_t to = signed_.size;
  std::string note = checkpoint_text_locked();
  lock.unlock();
  try {
    publish(from, to);
    if (!options_.publish_dir.empty() && !note.empty())
      write_file_atomically(fs::path(options_.publish_dir) / "log/checkpoint", note);
  } catch (...) {
    lock.lock();
    throw;
  }
  lock.lock();
  published_size_ = std::max(published_size_, to);
}

std::string LogService::Cosigned::text() const {
  std::string text = note;
  for (const auto& [name, line] : lines) text += line;
  return text;
}

const LogService::Cosigned* LogService::served_locked() const {
  if (options_.quorum > 0) return quorate_ ? &*quorate_ : nullptr;
  return cosigned_ && cosigned_->checkpoint == signed_ ? &*cosigned_ : nullptr;
}

std::string LogService::checkpoint_text_locked() const {
  if (const Cosigned* c = served_locked()) return c->text();
  return options_.quorum > 0 ? "" : signed_note_;
}

std::string LogService::latest_note() const {
  std::lock_guard lock(mutex_);
  return signed_note_;
}

std::optional<LogService::Cosigned> LogService::cosigned_in(const std::string& text) const {
  tlog::Note note;
  try {
    note = tlog::parse_note(text);
  } catch (const std::invalid_argument&) {
    return std::nullopt;
  }
  auto cp = tlog::parse_checkpoint_body(note.text);
  auto log_key = tlog::parse_verifier_key(verifier_key());
  if (!cp || cp->origin != options_.origin || !log_key || !tlog::verify_note(note, *log_key)) {
    return std::nullopt;
  }
  Cosigned c{*cp, tlog::sign_note(note.text, options_.origin, key_), {}};
  for (const tlog::NoteSignature& sig : note.signatures) {
    for (const tlog::Verifier& w : options_.witnesses) {
      if (tlog::verify_cosignature(note.text, sig, w)) {
        std::string one = tlog::format_note({note.text, {sig}});
        c.lines[w.name] = one.substr(note.text.size() + 1);
      }
    }
  }
  return c;
}

void LogService::adopt_locked(Cosigned c) {
  if (c.lines.empty()) return;
  // A node that follows serves no checkpoint beyond the tree it holds (its proofs and tiles).
  if (c.checkpoint.size > committed_size_) return;
  if (!cosigned_ || c.checkpoint.size >= cosigned_->checkpoint.size) cosigned_ = c;
  if (c.lines.size() >= std::max<std::size_t>(options_.quorum, 1) &&
      (!quorate_ || c.checkpoint.size >= quorate_->checkpoint.size)) {
    quorate_ = std::move(c);
  }
}

void LogService::load_cosigned_locked() {
  auto text = store_.get_meta(kCosignedMeta);
  if (!text) return;
  auto c = cosigned_in(*text);
  if (!c) {
    spdlog::warn("the stored cosigned checkpoint is not one this log signed; ignored");
    return;
  }
  adopt_locked(std::move(*c));
}

std::size_t LogService::add_cosignatures(const std::string& note, std::string_view lines) {
  auto fresh = cosigned_in(note + std::string(lines));
  if (!fresh || fresh->lines.empty()) return 0;
  std::lock_guard lock(mutex_);
  // Other witnesses' lines of the same checkpoint stay.
  Cosigned merged = cosigned_ && cosigned_->note == fresh->note ? *cosigned_ : *fresh;
  for (const auto& [name, line] : fresh->lines) merged.lines[name] = line;
  // Stored before it is served, so every node (and this one, restarted) serves it too; a late
  // answer for an older checkpoint never replaces a newer one there.
  if (!cosigned_ || merged.checkpoint.size >= cosigned_->checkpoint.size) {
    store_.put_meta(kCosignedMeta, merged.text());
  }
  adopt_locked(std::move(merged));
  return fresh->lines.size();
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
    std::string text = checkpoint_text();
    if (text.empty()) {
      return not_found("no checkpoint has been cosigned by " + std::to_string(options_.quorum) +
                       " witnesses yet");
    }
    return {200, "text/plain; charset=utf-8", "public, max-age=2", std::move(text), false};
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

std::vector<Hash32> LogService::inclusion_proof(std::uint64_t index, std::uint64_t& tree_size) {
  {
    std::lock_guard lock(mutex_);
    const Cosigned* served = served_locked();
    tree_size = served ? served->checkpoint.size : options_.quorum > 0 ? 0 : signed_.size;
  }
  if (index >= tree_size) return {};
  return tlog::inclusion_proof(proof_tiles_, index, tree_size);
}

}  // namespace rekap::tlog
