#pragma once
// The subcommands of the `rekap` program. Each returns the process exit code.
#include <cstdint>
#include <string>
#include <vector>

namespace rekap::cli {

struct InitArgs {
  std::string data;
  std::string def;
  std::string admin_key;  // secret key file; empty: generate <data>/admin.key
  std::string origin;     // the log's origin line; empty: rekap.local/<election id>
};
int cmd_init(const InitArgs& a);

struct ServeArgs {
  std::string data;
  std::string listen = "127.0.0.1:8080";
  int threads = 0;
  std::string publish;                 // empty: <data>/publish
  std::vector<std::string> witnesses;  // witness verifier keys
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
};
int cmd_serve(const ServeArgs& a);

int cmd_keygen(const std::string& out, bool json);

struct EnrollArgs {
  std::string url;
  std::string admin_key;
  std::string key;  // public key file or base64
  std::string role;
  std::string scope;
  bool json = false;
};
int cmd_enroll(const EnrollArgs& a);

struct SubmitArgs {
  std::string url;
  std::string key;
  std::string tps;
  std::string ballot;
  std::string values;  // JSON file: {"field": number, ...}
  std::uint32_t rev = 1;
  std::vector<std::string> images;
  std::string supersedes;  // hex id: makes it a correction
  std::string reason;
  bool json = false;
};
int cmd_submit(const SubmitArgs& a);

struct SimGeoArgs {
  std::string scale = "tiny";
  std::uint64_t seed = 1;
  std::string out;
};
int cmd_sim_geo(const SimGeoArgs& a);

struct SimVotesArgs {
  std::string def;
  std::uint64_t seed = 1;
  std::string out;
};
int cmd_sim_votes(const SimVotesArgs& a);

struct SimRunArgs {
  std::string url;
  std::string def;
  std::string admin_key;
  int clients = 8;
  std::uint64_t seed = 1;
  bool check = true;
  bool json = false;
  bool presign = false;
  double rate = 0;
  std::vector<std::string> faults;
  double fault_share = 0.05;
  double ocr_share = 0;
  std::string model;
  std::string mnist;
};
int cmd_sim_run(const SimRunArgs& a);

struct VerifyArgs {
  std::string url;
  std::string log_key;
  std::string state;
  int threads = 2;
  bool results = true;
  bool json = false;
};
int cmd_verify(const VerifyArgs& a);

struct WitnessArgs {
  std::string log;
  std::string log_key;
  std::string key;
  std::string name;
  std::string state;
  int interval = 0;  // seconds between rounds; 0: once
  bool print_key = false;
};
int cmd_witness(const WitnessArgs& a);

}  // namespace rekap::cli
