#pragma once
// The open data (docs/open-data.md): CSV files per ballot and per contest, NIST SP 1500-100
// results, a Sirekap-compatible JSON tree, and a daily archive with signed checksums, all
// written to the publish directory by one background thread and served from there, so that
// rekap and any web server give the same bytes.
//
// Freshness: the Sirekap tree is brought up to date every `documents_interval`, the CSV and CDF
// files every `exports_interval`, each pass touching only what changed (a pass that takes
// longer than its interval is followed by a rest as long as it took). The archive of a day is
// made when the day ends (WIB) and when the server stops.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <thread>

#include "crypto/keys.hpp"
#include "server/csv_exports.hpp"
#include "server/http_server.hpp"
#include "server/sirekap_tree.hpp"

namespace rekap::server {

struct OpenDataOptions {
  std::chrono::milliseconds documents_interval{5000};
  std::chrono::milliseconds exports_interval{60000};
  // Besides the daily one: an archive of the day so far every this often (0: none); for tests
  // and for operators who want the day's archive to follow the night.
  std::chrono::milliseconds archive_interval{0};
};

class OpenData {
 public:
  OpenData(const Definition& def, const Tally& tally, std::shared_mutex& tally_lock, Store& store,
           std::filesystem::path publish_dir, std::string log_origin, SecretKey log_key,
           OpenDataOptions options);
  ~OpenData();

  void start();
  // Stops the thread, brings the CSV and CDF files up to date and archives the day.
  void stop();

  // GET or HEAD of a path under /data/ or /pemilu/.
  Response serve(const Request& req, std::string_view path);

 private:
  void loop();
  // Brings the CSV and CDF files up to date; returns how many it wrote.
  std::size_t export_files();
  void archive(const std::string& date);
  void write_index();
  Response precinct_cdf(const Request& req, Ballot b, const std::string& code);

  const Definition& def_;
  const Tally& tally_;
  std::shared_mutex& tally_lock_;
  Store& store_;
  std::filesystem::path publish_dir_;
  std::string log_origin_;
  SecretKey log_key_;
  OpenDataOptions options_;
  SirekapTree sirekap_;
  CsvExports csv_;
  std::vector<std::uint32_t> cdf_written_;  // per ballot: the nation's tally version written
  bool index_written_ = false;

  std::atomic<bool> stopping_{false};
  std::mutex mutex_;
  std::condition_variable wake_;
  std::thread thread_;
};

}  // namespace rekap::server
