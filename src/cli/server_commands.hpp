#pragma once
// `rekap init` and `rekap serve`: an election's data directory and the server that runs it.
#include <CLI/CLI.hpp>
#include <cstdint>
#include <string>
#include <vector>

#include "cli/action.hpp"
#include "ocr/image_header.hpp"

namespace rekap::cli {

struct InitArgs {
  std::string data;
  std::string def;
  std::string admin_key;  // secret key file; empty: generate <data>/admin.key
  std::string origin;     // the log's origin line; empty: rekap.local/<election id>
  std::string store;      // PostgreSQL connection string; empty: <data>/rekap.db
};
int cmd_init(const InitArgs& a);

struct ServeArgs {
  std::string data;
  std::string store;  // PostgreSQL connection string; empty: <data>/rekap.db
  std::string node;   // this node's name; empty: the host's
  std::string listen = "127.0.0.1:8080";
  int threads = 0;
  std::string publish;                 // empty: <data>/publish
  std::vector<std::string> witnesses;  // "<witness verifier key> <URL prefix>"
  std::size_t witness_quorum = 0;
  int checkpoint_ms = 1000;
  int open_data_ms = 5000;  // Sirekap tree
  int exports_ms = 60000;   // CSV and CDF files
  int archive_ms = 0;       // 0: the daily archive only
  // The built portal (npm run build in web/).
  std::string web = REKAP_WEB_DIR;
  // Citizens' reports: rate limits, and the reverse proxies whose X-Forwarded-For is believed.
  std::uint32_t report_minute = 3;
  std::uint32_t report_day = 20;
  std::uint32_t report_tps_hour = 30;
  std::vector<std::string> trusted_proxies;
  // The form reader behind POST /api/v1/ocr (empty model: the default, see ocr/digit_model).
  std::string model;
  int ocr_threads = 1;
  std::uint64_t max_image_pixels = ocr::kDefaultMaxImagePixels;
};
int cmd_serve(const ServeArgs& a);

// Adds `init` and `serve` to the program.
void add_server_commands(CLI::App& app, Action& action);

}  // namespace rekap::cli
