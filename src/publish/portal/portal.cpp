#include "publish/portal/portal.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/json.hpp>
#include <charconv>

#include "crypto/encoding.hpp"
#include "http/media_type.hpp"
#include "publish/json_documents.hpp"
#include "publish/portal/indexes.hpp"
#include "publish/portal/region_summary.hpp"
#include "publish/tps_document.hpp"
#include "util/files.hpp"

namespace rekap::publish {

namespace fs = std::filesystem;
namespace json = boost::json;

namespace {

constexpr std::string_view kStatusPath = "/api/v1/portal/status";
constexpr std::string_view kSummaryPath = "/api/v1/portal/summary";
// Log entries whose TPS documents are published, so a restart does not rewrite them all.
constexpr const char* kMarkerFile = ".portal-tps";
constexpr std::uint64_t kRangeRows = 4096;

// The portal's scripts and styles have content hashes in their names (esbuild's [hash]), so
// they can be cached for good; everything else is revalidated.
std::string cache_control_of(std::string_view path) {
  return path.starts_with("/assets/") ? "public, max-age=31536000, immutable" : "no-cache";
}

// A TPS document below the publish directory (nginx: location /api/v1/ { try_files $uri.json
// =404; }, docs/portal.md).
std::string tps_file(const std::string& code) {
  return "api/v1/tps/" + code + ".json";
}

// Rewriting a file that has not changed would change its mtime, and with it the ETag that
// nginx derives from it.
void write_if_changed(const fs::path& path, std::string_view data) {
  auto old = read_file(path);
  if (!old || *old != data) write_file_atomically(path, data);
}

}  // namespace

Portal::Portal(const Definition& def, const Tally& tally, Store& store, tlog::LogService& log,
               const ImageStore& images, PortalOptions options)
    : def_(def),
      tally_(tally),
      store_(store),
      log_(log),
      images_(images),
      options_(std::move(options)),
      summaries_(
          new std::atomic<std::shared_ptr<const Summary>>[def.regions.size() * kBallotCount]),
      summary_written_(def.regions.size() * kBallotCount, 0) {
  for (std::size_t r = 0; r < def.regions.size(); ++r) {
    if (has_summary(def.regions[r].level)) summarised_.push_back(int(r));
  }
  load_web_files();
  auto started = std::chrono::steady_clock::now();
  add_indexes();
  spdlog::info("portal: search and contest indexes in {} ms",
               std::chrono::duration_cast<std::chrono::milliseconds>(
                   std::chrono::steady_clock::now() - started)
                   .count());
  status_.store(std::make_shared<const http::MemoryFile>(
      http::make_memory_file(R"({"log_size":0,"updated_ms":null})", "application/json")));
}

Portal::~Portal() {
  stop();
}

void Portal::load_web_files() {
  std::error_code ec;
  if (options_.web_dir.empty() || !fs::is_directory(options_.web_dir, ec)) {
    spdlog::warn("portal: no built portal in '{}' (npm run build in web/); / answers text",
                 options_.web_dir.string());
    return;
  }
  for (const auto& entry : fs::recursive_directory_iterator(options_.web_dir)) {
    if (!entry.is_regular_file()) continue;
    std::string rel = fs::relative(entry.path(), options_.web_dir).generic_string();
    if (rel.starts_with(".")) continue;
    std::string path = "/" + rel;
    files_[path] =
        http::make_memory_file(read_file_or_throw(entry.path()),
                               std::string(http::media_type_of_name(rel)), cache_control_of(path));
  }
  spdlog::info("portal: {} files from {}", files_.size(), options_.web_dir.string());
}

void Portal::add_indexes() {
  for (auto& [key, shard] : search_shards(def_)) {
    files_["/api/v1/portal/search/" + key] =
        http::make_memory_file(json::serialize(shard), "application/json");
  }
  for (Ballot b : kAllBallots) {
    for (auto& [province, list] : ballot_contests_by_province(def_, b)) {
      files_["/api/v1/portal/contests/" + std::string(ballot_id(b)) + "/" + province] =
          http::make_memory_file(json::serialize(list), "application/json");
    }
  }
  files_["/api/v1/portal/parties"] =
      http::make_memory_file(json::serialize(parties_json(def_)), "application/json");
}

void Portal::publish_static() const {
  fs::path root = options_.publish_dir;
  for (const auto& [path, file] : files_) {
    bool document = path.starts_with("/api/");
    write_if_changed(root / (path.substr(1) + (document ? ".json" : "")), file.body);
  }
  // The API renders these when asked; a static mirror needs them as files.
  for (std::size_t c = 0; c < def_.contests.size(); ++c) {
    write_if_changed(root / "api/v1/contests" / (def_.contests[c].id + ".json"),
                     json::serialize(contest_json(def_, int(c))));
  }
}

void Portal::start(const IngestActivity& ingest) {
  if (options_.publish_dir.empty()) return;
  if (auto marker = read_file(options_.publish_dir / kMarkerFile)) {
    std::from_chars(marker->data(), marker->data() + marker->size(), published_);
    // A marker from another store (a new election in the same directory) counts for nothing.
    if (published_ > store_.size()) published_ = 0;
  }
  set_status(published_);
  publisher_.start("rekap-portal", options_.interval, ingest, [this] { pass(); });
}

void Portal::stop() {
  publisher_.stop();
}

void Portal::pass() {
  // Its files at the first pass, in the background: a nation's contest documents are some
  // 150 MB to compare or write, and the server answers them itself meanwhile.
  if (!static_published_) {
    static_published_ = true;  // once; a failure is logged and the documents go on
    auto started = std::chrono::steady_clock::now();
    try {
      publish_static();
      spdlog::info("portal: published its files and indexes in {} ms",
                   std::chrono::duration_cast<std::chrono::milliseconds>(
                       std::chrono::steady_clock::now() - started)
                       .count());
    } catch (const std::exception& e) {
      spdlog::error("portal: publishing its files failed: {}", e.what());
    }
  }
  publish_summaries();
  publish_log();
}

void Portal::publish_log() {
  std::uint64_t size = checkpoint_tree_size(log_.checkpoint_text());
  if (size <= published_) return;
  auto started = std::chrono::steady_clock::now();
  std::vector<int> changed;
  for (std::uint64_t from = published_; from < size;) {
    auto rows = store_.range(from, std::min(kRangeRows, size - from));
    if (rows.empty()) break;
    for (const StoredStatement& row : rows) {
      if (int t = row.tps.empty() ? -1 : def_.find_tps(row.tps); t >= 0) changed.push_back(t);
    }
    from += rows.size();
  }
  std::sort(changed.begin(), changed.end());
  changed.erase(std::unique(changed.begin(), changed.end()), changed.end());
  for (int t : changed) {
    if (!publisher_.pace()) return;  // published_ stays: the next start does these again
    json::value doc = tps_document(def_, store_, log_, t);
    // Photos first: a mirror that has the document has its photos.
    for (const auto& [ballot, info] : doc.at("ballots").as_object()) {
      for (const auto& version : info.at("history").as_array()) {
        for (const auto& image : version.at("images").as_array()) {
          link_image(std::string(image.as_string()));
        }
      }
    }
    write_file_atomically(options_.publish_dir / tps_file(def_.tps[std::size_t(t)].code),
                          json::serialize(doc));
  }
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                                  started)
                .count();
  // A long pass (a restart without the marker, a busy night) is worth knowing about.
  if (ms >= 1000) {
    spdlog::info("portal: {} TPS documents for log entries {}..{} in {} ms", changed.size(),
                 published_, size, ms);
  }
  published_ = size;
  write_file_atomically(options_.publish_dir / kMarkerFile, std::to_string(size));
  set_status(size);
}

void Portal::link_image(const std::string& hex) const {
  Hash32 hash;
  if (!from_hex(hex, hash)) return;
  fs::path target = options_.publish_dir / "api/v1/images" / hex;
  std::error_code ec;
  if (fs::exists(target, ec)) return;
  fs::create_directories(target.parent_path());
  // Photos are never changed once stored, so a hard link costs no space and stays right; a
  // publish directory on another file system gets a copy, and photos kept in a database are
  // written out.
  auto source = images_.file_of(hash);
  if (!source) {
    if (auto bytes = images_.read(hash)) write_file_atomically(target, *bytes);
    return;
  }
  fs::path temp = target;
  temp += ".tmp";
  fs::remove(temp, ec);
  fs::create_hard_link(*source, temp, ec);
  if (ec) fs::copy_file(*source, temp, fs::copy_options::overwrite_existing);
  fs::rename(temp, target);
}

void Portal::set_status(std::uint64_t log_size) {
  json::value updated = nullptr;
  if (log_size > 0) {
    if (auto row = store_.get(log_size - 1); row && row->received_ms > 0) {
      updated = row->received_ms;
    }
  }
  json::object status{{"log_size", log_size}, {"updated_ms", updated}};
  auto file = std::make_shared<const http::MemoryFile>(
      http::make_memory_file(json::serialize(status), "application/json"));
  if (!options_.publish_dir.empty()) {
    write_file_atomically(options_.publish_dir / (std::string(kStatusPath.substr(1)) + ".json"),
                          file->body);
  }
  status_.store(std::move(file));
}

std::shared_ptr<const Portal::Summary> Portal::summary(Ballot b, int region) {
  auto& slot = summaries_[std::size_t(region) * kBallotCount + int(b)];
  auto lock = tally_.read_lock();
  std::uint32_t version = tally_.version(region, b);
  auto doc = slot.load();
  if (doc && doc->version == version) return doc;
  auto fresh = std::make_shared<Summary>();
  fresh->file = http::make_memory_file(
      json::serialize(region_summary_json(def_, tally_, b, region)), "application/json");
  fresh->version = version;
  slot.store(fresh);
  return fresh;
}

void Portal::publish_summaries() {
  for (int r : summarised_) {
    for (Ballot b : kAllBallots) {
      std::size_t i = std::size_t(r) * kBallotCount + int(b);
      auto doc = summary(b, r);
      // Version 0 (nothing reported yet) is written too: a mirror has every summary.
      if (summary_written_[i] == doc->version + 1) continue;
      const std::string& code = def_.regions[std::size_t(r)].code;
      std::string file = std::string(kSummaryPath.substr(1)) + "/" + std::string(ballot_id(b)) +
                         (code.empty() ? "" : "/" + code) + ".json";
      write_file_atomically(options_.publish_dir / file, doc->file.body);
      summary_written_[i] = doc->version + 1;
      if (!publisher_.pace()) return;
    }
  }
}

std::optional<http::Response> Portal::serve(const http::Request& req, std::string_view path) {
  if (path == kStatusPath) return http::respond(*status_.load(), req);
  if (path.starts_with(kSummaryPath) && path.size() > kSummaryPath.size() &&
      path[kSummaryPath.size()] == '/') {
    // /api/v1/portal/summary/<ballot>[/<code>]
    std::string_view rest = path.substr(kSummaryPath.size() + 1);
    auto slash = rest.find('/');
    auto b = parse_ballot(rest.substr(0, slash));
    std::string_view code = slash == std::string_view::npos ? "" : rest.substr(slash + 1);
    int r = b ? def_.find_region(code) : -1;
    if (r < 0 || !has_summary(def_.regions[std::size_t(r)].level)) return std::nullopt;
    return http::respond(summary(*b, r)->file, req);
  }
  if (path == "/") path = "/index.html";
  // The officer's page (docs/officer.md) has a short address to type on a phone.
  if (path == "/petugas") path = "/petugas.html";
  auto it = files_.find(path);
  if (it == files_.end()) return std::nullopt;
  return http::respond(it->second, req);
}

}  // namespace rekap::publish
