#pragma once
// The open data (docs/open-data.md): CSV files per ballot and per contest, NIST SP 1500-100
// results, a Sirekap-compatible JSON tree, and a daily archive with signed checksums, all
// written to the publish directory by one background thread and served from there, so that
// rekap and any web server give the same bytes.
//
// Freshness: the Sirekap tree is brought up to date every `documents_interval`, the CSV and CDF
// files every `exports_interval`, each pass touching only what changed (paced as
// publisher_thread.hpp says). The archive of a day is made when the day ends (WIB) and when the
// server stops.
#include <chrono>
#include <filesystem>
#include <optional>
#include <string>

#include "crypto/keys.hpp"
#include "http/server.hpp"
#include "publish/opendata/csv_files.hpp"
#include "publish/opendata/sirekap_files.hpp"
#include "publish/publisher_thread.hpp"

namespace rekap::publish {

struct OpenDataOptions {
  std::chrono::milliseconds documents_interval{5000};
  std::chrono::milliseconds exports_interval{60000};
  // Besides the daily one: an archive of the day so far every this often (0: none); for tests
  // and for operators who want the day's archive to follow the night.
  std::chrono::milliseconds archive_interval{0};
};

class OpenData {
 public:
  OpenData(const Definition& def, const Tally& tally, Store& store,
           std::filesystem::path publish_dir, std::string log_origin, SecretKey log_key,
           OpenDataOptions options);
  ~OpenData();

  void start(const IngestActivity& ingest);
  // Stops the thread, brings the CSV and CDF files up to date and archives the day.
  void stop();

  // GET or HEAD of a path under /data/ or /pemilu/.
  http::Response serve(const http::Request& req, std::string_view path);

 private:
  void pass();
  // Brings the CSV and CDF files up to date; returns how many it wrote.
  std::size_t export_files();
  void archive(const std::string& date);
  void write_index();
  http::Response precinct_cdf(const http::Request& req, Ballot b, const std::string& code);
  // A TPS's Sirekap document, made when asked; nullopt for any other path.
  std::optional<http::Response> sirekap_tps(const http::Request& req, std::string_view path);

  const Definition& def_;
  const Tally& tally_;
  Store& store_;
  std::filesystem::path publish_dir_;
  std::string log_origin_;
  SecretKey log_key_;
  OpenDataOptions options_;
  SirekapTree sirekap_;
  CsvExports csv_;
  std::vector<std::uint32_t> cdf_written_;  // per ballot: the nation's tally version written
  bool index_written_ = false;

  // The publisher's thread alone uses these once started.
  std::string day_;  // WIB date of the day being published
  std::chrono::steady_clock::time_point next_export_;
  std::chrono::steady_clock::time_point next_archive_;
  bool started_ = false;
  bool stopped_ = false;
  PublisherThread publisher_;
};

}  // namespace rekap::publish
