#include "publish/results_cache.hpp"

#include <boost/json.hpp>
#include <filesystem>

#include "http/answer.hpp"
#include "util/files.hpp"
#include "util/gzip.hpp"

namespace rekap::publish {

const std::string& Document::gzipped() const {
  std::call_once(gzip_once_, [this] { gz_ = gzip(body); });
  return gz_;
}

ResultsCache::ResultsCache(const Definition& def, const Tally& tally, TpsValues tps_values,
                           std::string publish_dir)
    : def_(def),
      tally_(tally),
      tps_values_(std::move(tps_values)),
      publish_dir_(std::move(publish_dir)),
      docs_(new std::atomic<std::shared_ptr<const Document>>[def.regions.size() * kBallotCount]),
      written_(def.regions.size() * kBallotCount, 0) {}

ResultsCache::~ResultsCache() {
  stop();
}

std::string ResultsCache::file_of(Ballot b, const std::string& code) {
  // nginx: location /api/v1/results/ { try_files $uri.json =404; }
  std::string base = "api/v1/results/" + std::string(ballot_id(b));
  return code.empty() ? base + ".json" : base + "/" + code + ".json";
}

std::shared_ptr<const Document> ResultsCache::get(Ballot b, int region) {
  auto& slot = docs_[std::size_t(region) * kBallotCount + int(b)];
  // Kecamatan and above stay in memory (a few per cent of the documents, most of the reads);
  // a desa's document is rendered when asked: kept, the 418,000 of a nation would hold gigabytes.
  bool keep = def_.regions[std::size_t(region)].level <= Level::kecamatan;
  auto lock = tally_.read_lock();
  std::uint32_t version = tally_.version(region, b);
  auto doc = keep ? slot.load() : nullptr;
  if (doc && doc->version == version) return doc;
  auto fresh = std::make_shared<Document>();
  fresh->body = boost::json::serialize(region_results_json(def_, tally_, b, region, tps_values_));
  fresh->etag = http::etag_of(fresh->body);
  fresh->version = version;
  if (keep) slot.store(fresh);
  return fresh;
}

void ResultsCache::start(std::chrono::milliseconds interval, const IngestActivity& ingest) {
  if (publish_dir_.empty()) return;
  publisher_.start("rekap-results", interval, ingest, [this] { publish_changed(); });
}

void ResultsCache::stop() {
  publisher_.stop();
}

void ResultsCache::publish_changed() {
  std::filesystem::path root(publish_dir_);
  for (std::size_t r = 0; r < def_.regions.size(); ++r) {
    for (Ballot b : kAllBallots) {
      std::size_t i = r * kBallotCount + int(b);
      {
        auto lock = tally_.read_lock();
        if (written_[i] == tally_.version(int(r), b)) continue;
      }
      auto doc = get(b, int(r));
      write_file_atomically(root / file_of(b, def_.regions[r].code), doc->body);
      written_[i] = doc->version;
      if (!publisher_.pace()) return;
    }
  }
}

}  // namespace rekap::publish
