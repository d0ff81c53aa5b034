#pragma once
// The read path for region results: documents of kecamatan and above rendered once per change
// of the totals they show and kept in memory with their ETag; desa documents rendered when
// asked. Every changed document is written to the publish directory so that nginx or a CDN can
// serve the same bytes. Readers of a cached document take no lock the writer waits on for more
// than a version check.
#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "publish/json_documents.hpp"
#include "publish/publisher_thread.hpp"
#include "tally/tally.hpp"

namespace rekap::publish {

struct Document {
  std::string body;
  std::string etag;  // quoted, as sent in the ETag header
  std::uint32_t version = 0;

  // The body gzipped, made by the first reader that wants it and kept with the document, so a
  // document read by many is compressed once per change, and one nobody asks gzipped never is.
  const std::string& gzipped() const;

 private:
  mutable std::once_flag gzip_once_;
  mutable std::string gz_;
};

class ResultsCache {
 public:
  ResultsCache(const Definition& def, const Tally& tally, TpsValues tps_values,
               std::string publish_dir);
  ~ResultsCache();

  // The results of a region on a ballot, current as of the last commit.
  std::shared_ptr<const Document> get(Ballot b, int region);

  // Writes every document whose totals changed to <publish>/api/v1/results/, in the background.
  void start(std::chrono::milliseconds interval, const IngestActivity& ingest);
  void stop();
  // Path of a region's document below the publish directory.
  static std::string file_of(Ballot b, const std::string& code);

 private:
  void publish_changed();

  const Definition& def_;
  const Tally& tally_;
  TpsValues tps_values_;
  std::string publish_dir_;
  std::unique_ptr<std::atomic<std::shared_ptr<const Document>>[]> docs_;  // region x ballot
  std::vector<std::uint32_t> written_;  // version last written to disk, per region x ballot
  PublisherThread publisher_;
};

}  // namespace rekap::publish
