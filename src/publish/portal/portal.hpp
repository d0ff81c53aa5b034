#pragma once
// The public portal (docs/portal.md): the browser application built from web/ (`npm run
// build` there writes web/dist), and what it reads that the rest of the server does not
// publish: the election and contest documents, its search and contest indexes, summaries of
// the nation, provinces and kab/kota (region_summary.hpp), a status document, every TPS
// document and the photos they name. Everything is written to the publish directory under the
// URL paths the portal fetches (a JSON document at <path>.json), so that nginx or a CDN serves
// the portal and its data without rekap; rekap serves the same bytes.
//
// TPS documents follow the signed log: each pass reads the entries the latest checkpoint added
// and rewrites the documents of the TPS they concern, so a published document carries the
// inclusion proof of its result in force.
#include <atomic>
#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "core/definition.hpp"
#include "http/answer.hpp"
#include "http/server.hpp"
#include "log/log_service.hpp"
#include "publish/publisher_thread.hpp"
#include "store/image_store.hpp"
#include "store/store.hpp"
#include "tally/tally.hpp"

namespace rekap::publish {

struct PortalOptions {
  std::filesystem::path web_dir;      // the built portal; missing or empty: no portal files
  std::filesystem::path publish_dir;  // empty: nothing is written
  std::chrono::milliseconds interval{1000};
};

class Portal {
 public:
  Portal(const Definition& def, const Tally& tally, Store& store, tlog::LogService& log,
         const ImageStore& images, PortalOptions options);
  ~Portal();

  // Writes the portal's files and indexes, then follows the log in the background.
  void start(const IngestActivity& ingest);
  void stop();

  // GET or HEAD of "/", a file of the portal, or /api/v1/portal/...; nullopt for other paths.
  std::optional<http::Response> serve(const http::Request& req, std::string_view path);

 private:
  struct Summary {
    http::MemoryFile file;
    std::uint32_t version = 0;  // the tally's version of the region it shows
  };

  void load_web_files();
  void add_indexes();
  void publish_static() const;
  void pass();
  // Brings the TPS documents and the status up to the latest checkpoint.
  void publish_log();
  void link_image(const std::string& hex) const;
  void set_status(std::uint64_t log_size);
  // The summary of a region (one with has_summary) on a ballot, current as of the last commit.
  std::shared_ptr<const Summary> summary(Ballot b, int region);
  void publish_summaries();

  const Definition& def_;
  const Tally& tally_;
  Store& store_;
  tlog::LogService& log_;
  const ImageStore& images_;
  PortalOptions options_;
  // URL path -> file: the portal's files and its indexes; fixed after construction.
  std::map<std::string, http::MemoryFile, std::less<>> files_;
  std::atomic<std::shared_ptr<const http::MemoryFile>> status_;
  std::uint64_t published_ = 0;  // log entries whose TPS documents are written
  std::vector<int> summarised_;  // regions with summaries
  std::unique_ptr<std::atomic<std::shared_ptr<const Summary>>[]> summaries_;  // region x ballot
  std::vector<std::uint32_t> summary_written_;  // version written to disk, region x ballot
  bool static_published_ = false;

  PublisherThread publisher_;
};

}  // namespace rekap::publish
