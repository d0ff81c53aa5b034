#include "cli/server_commands.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/signal_set.hpp>
#include <chrono>
#include <filesystem>
#include <iostream>
#include <thread>

#include "cli/shared_options.hpp"
#include "crypto/encoding.hpp"
#include "crypto/keys.hpp"
#include "http/server.hpp"
#include "ocr/digit_model.hpp"
#include "server/app.hpp"
#include "server/ocr_endpoint.hpp"
#include "server/routes.hpp"
#include "util/files.hpp"

namespace rekap::cli {

namespace fs = std::filesystem;

int cmd_init(const InitArgs& a) {
  server::init_data_dir(
      a.data, read_named_files(a.def, kDefinitionFileNames),
      [&] {
        if (!a.admin_key.empty()) return read_secret_key(a.admin_key);
        std::string path = (fs::path(a.data) / "admin.key").string();
        if (fs::exists(path)) {
          throw std::runtime_error(path + " exists already; pass --admin-key or remove it");
        }
        SecretKey key = SecretKey::generate();
        write_key_files(key, path);
        std::cout << "admin key: " << path << " (public " << to_base64(key.public_key()) << ")\n";
        return key;
      },
      a.origin, a.store);
  std::cout << "initialised " << a.data << "\n";
  return 0;
}

int cmd_serve(const ServeArgs& a) {
  auto [address, port] = split_listen(a.listen);
  server::AppOptions options;
  options.store = a.store;
  options.node = a.node;
  options.publish_dir = a.publish;
  options.witnesses = a.witnesses;
  options.witness_quorum = a.witness_quorum;
  options.checkpoint_interval = std::chrono::milliseconds(a.checkpoint_ms);
  options.open_data.documents_interval = std::chrono::milliseconds(a.open_data_ms);
  options.open_data.exports_interval = std::chrono::milliseconds(a.exports_ms);
  options.open_data.archive_interval = std::chrono::milliseconds(a.archive_ms);
  options.web_dir = a.web;
  options.max_image_pixels = a.max_image_pixels;
  options.reports = {a.report_minute, a.report_day, a.report_tps_hour, a.trusted_proxies};
  server::App app(a.data, options);
  server::OcrOptions ocr_options;
  ocr_options.model_required = !a.model.empty();
  ocr_options.model_path = a.model.empty() ? ocr::default_model_path() : a.model;
  ocr_options.threads = a.ocr_threads;
  server::OcrEndpoint ocr(app.def(), app.images(), ocr_options);
  auto router = server::make_router(app, ocr);
  http::HttpServer http(*router, address, port);
  int exit_code = 0;
  std::thread stopper;
  boost::asio::signal_set signals(http.context(), SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code& ec, int sig) {
    if (ec) return;
    spdlog::info("signal {}: stopping", sig);
    http.stop_accepting();
    // Statements already queued are decided, stored and answered; the answers get a moment to
    // be written before the connections close.
    stopper = std::thread([&] {
      app.sequencer().stop();
      std::this_thread::sleep_for(std::chrono::milliseconds(300));
      http.stop();
    });
  });
  app.sequencer().on_fatal([&](const std::string&) {
    exit_code = 1;
    http.stop();
  });
  int threads = a.threads > 0 ? a.threads : int(std::max(1u, std::thread::hardware_concurrency()));
  std::cout << "rekap serving election " << app.def().election_id << " at http://" << address << ":"
            << http.port() << "/" << std::endl;
  http.run(threads);
  // The reader's threads answer through the HTTP server's connections: stop them first.
  ocr.stop();
  if (stopper.joinable()) stopper.join();
  app.sequencer().stop();
  spdlog::info("stopped; {} statements stored", app.store().size());
  return exit_code;
}

namespace {

void add_store(CLI::App& cmd, std::string& store) {
  cmd.add_option("--store", store,
                 "PostgreSQL connection string for the log, its state and the photos, shared "
                 "by every node (postgresql://... or \"host=a,b dbname=rekap "
                 "target_session_attrs=read-write\"); default: DATA/rekap.db and DATA/images");
}

void add_init(CLI::App& app, Action& action) {
  auto* cmd = app.add_subcommand(
      "init", "Create a data directory for an election from its definition files");
  InitArgs& a = bind_action<InitArgs>(*cmd, action, cmd_init);
  cmd->add_option("--data", a.data, "Data directory to create")->required();
  add_def(*cmd, a.def, "Directory with the election definition CSV files")->required();
  add_admin_key(*cmd, a.admin_key,
                "Secret key file of the election admin, who signs the log's genesis entry "
                "(default: generate DATA/admin.key)");
  cmd->add_option(
      "--origin", a.origin,
      "The transparency log's name in checkpoints (default: rekap.local/<election id>)");
  add_store(*cmd, a.store);
}

void add_serve(CLI::App& app, Action& action) {
  auto* cmd =
      app.add_subcommand("serve", "Serve an election: accept signed statements, publish results");
  ServeArgs& a = bind_action<ServeArgs>(*cmd, action, cmd_serve);
  cmd->add_option("--data", a.data, "Data directory made by `rekap init`")->required();
  add_store(*cmd, a.store);
  cmd->add_option("--node", a.node,
                  "This node's name in /api/v1/health when several share the store (default: the "
                  "host name)");
  cmd->add_option("--listen", a.listen, "Address:port to listen on (port 0 picks one)")
      ->capture_default_str();
  cmd->add_option("--threads", a.threads, "HTTP threads (default: one per core)");
  cmd->add_option(
      "--publish", a.publish,
      "Directory for the static files any web server can serve (default: DATA/publish)");
  cmd->add_option("--witness", a.witnesses,
                  "A witness to push each new checkpoint to (c2sp.org/tlog-witness), as \"<its "
                  "verifier key> <its URL prefix>\" (POST <prefix>/add-checkpoint); repeatable");
  cmd->add_option("--witness-quorum", a.witness_quorum,
                  "Serve only checkpoints at least this many witnesses cosigned (0: serve each "
                  "checkpoint at once)")
      ->capture_default_str();
  cmd->add_option("--checkpoint-ms", a.checkpoint_ms,
                  "Milliseconds between signed checkpoints while entries arrive")
      ->capture_default_str();
  cmd->add_option("--open-data-ms", a.open_data_ms,
                  "Milliseconds between updates of the Sirekap-compatible tree (/pemilu/)")
      ->capture_default_str();
  cmd->add_option("--exports-ms", a.exports_ms,
                  "Milliseconds between updates of the CSV and CDF files (/data/)")
      ->capture_default_str();
  cmd->add_option("--archive-ms", a.archive_ms,
                  "Also archive the day so far (/data/<date>/) this often; 0: only when the "
                  "day ends (WIB) and at shutdown")
      ->capture_default_str();
  cmd->add_option("--model", a.model,
                  "Digit model (ONNX) for POST /api/v1/ocr; default models/digits.onnx");
  cmd->add_option("--max-image-pixels", a.max_image_pixels,
                  "Largest photo accepted, width x height in pixels (default: 200,000,000, a "
                  "200-megapixel phone's)")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--ocr-threads", a.ocr_threads,
                  "Photos read at once for POST /api/v1/ocr (the officer's page); 0: off")
      ->capture_default_str();
  cmd->add_option("--web", a.web,
                  "The built portal, served at / and copied to the publish directory")
      ->capture_default_str();
  cmd->add_option("--report-minute", a.report_minute,
                  "Citizens' reports accepted per client address in any minute")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  cmd->add_option("--report-day", a.report_day,
                  "Citizens' reports accepted per client address in any day")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  cmd->add_option("--report-tps-hour", a.report_tps_hour,
                  "Citizens' reports accepted about one TPS in any hour")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  cmd->add_option("--trust-proxy", a.trusted_proxies,
                  "A reverse proxy (address or network, e.g. 10.0.0.0/8; repeatable) whose "
                  "X-Forwarded-For names the client for the report limits");
}

}  // namespace

void add_server_commands(CLI::App& app, Action& action) {
  add_init(app, action);
  add_serve(app, action);
}

}  // namespace rekap::cli
