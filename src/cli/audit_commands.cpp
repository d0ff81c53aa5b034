#include "cli/audit_commands.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/signal_set.hpp>
#include <chrono>
#include <iostream>
#include <sstream>
#include <thread>

#include "audit/verify.hpp"
#include "audit/witness.hpp"
#include "audit/witness_http.hpp"
#include "audit/witness_pull.hpp"
#include "cli/shared_options.hpp"
#include "http/server.hpp"
#include "util/files.hpp"

namespace rekap::cli {

int cmd_verify(const VerifyArgs& a) {
  audit::VerifyOptions options;
  options.url = a.url;
  options.log_key = a.log_key;
  options.state_dir = a.state;
  options.threads = a.threads;
  options.compare_results = a.results;
  if (!a.receipts.empty()) {
    auto text = read_file(a.receipts);
    if (!text) throw std::runtime_error("cannot read " + a.receipts);
    options.receipts = audit::parse_receipts(*text);
  }
  auto report = audit::verify(options);
  std::cout << (a.json ? report.to_json() + "\n" : report.to_text());
  return report.ok() ? 0 : 1;
}

namespace {

audit::WitnessConfig witness_config(const WitnessArgs& a) {
  audit::WitnessConfig config{a.name, a.key, a.state, a.logs};
  if (!a.logs_file.empty()) {
    // One log a line; blank lines and lines starting with # are skipped.
    std::istringstream lines(read_file_or_throw(a.logs_file));
    for (std::string line; std::getline(lines, line);) {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (!line.empty() && line[0] != '#') config.logs.push_back(line);
    }
  }
  if (config.logs.empty()) throw std::invalid_argument("no log to witness: give --log or --logs");
  return config;
}

}  // namespace

int cmd_witness_key(const WitnessArgs& a) {
  std::cout << audit::witness_verifier_key(a.name, a.key) << "\n";
  return 0;
}

int cmd_witness_serve(const WitnessArgs& a) {
  auto [address, port] = split_listen(a.listen);
  std::string prefix = a.prefix;
  while (prefix.ends_with('/')) prefix.pop_back();
  if (!prefix.empty() && prefix[0] != '/') prefix.insert(0, "/");
  audit::Witness witness(witness_config(a));
  audit::WitnessHttp routes(witness, prefix);
  http::HttpServer http(routes.router(), address, port);
  boost::asio::signal_set signals(http.context(), SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code& ec, int sig) {
    if (ec) return;
    spdlog::info("signal {}: stopping", sig);
    http.stop();
  });
  std::cout << "rekap witness " << witness.verifier_key() << " serving at http://" << address << ":"
            << http.port() << prefix << "/add-checkpoint" << std::endl;
  http.run(std::max(1, a.threads));
  return 0;
}

int cmd_witness_pull(const WitnessArgs& a) {
  audit::Witness witness(witness_config(a));
  for (;;) {
    auto r = audit::witness_pull(witness, a.log_url);
    std::cout << "cosigned checkpoint of " << r.size << " entries (previously " << r.previous_size
              << "): " << r.cosignature << std::flush;
    if (a.interval <= 0) return 0;
    std::this_thread::sleep_for(std::chrono::seconds(a.interval));
  }
}

namespace {

void add_verify(CLI::App& app, Action& action) {
  auto* cmd = app.add_subcommand(
      "verify",
      "Audit a running election through its public interfaces: the signed log, every "
      "statement, every total");
  VerifyArgs& a = bind_action<VerifyArgs>(*cmd, action, cmd_verify);
  add_url(*cmd, a.url, "Server or mirror URL")->required();
  cmd->add_option("--log-key", a.log_key,
                  "The log's verifier key (name+hash+key) from a source you trust");
  cmd->add_option("--state", a.state,
                  "Directory that keeps the last verified checkpoint and cached bundles");
  cmd->add_option("--threads", a.threads, "Threads for signature checks")->capture_default_str();
  cmd->add_flag("!--no-results", a.results, "Skip comparing the published results");
  cmd->add_option("--receipts", a.receipts,
                  "Acknowledgements a client kept, a line `<log index> <statement id>` each (as "
                  "`rekap sim run --receipts` writes them): each must be the log's entry there");
  add_json(*cmd, a.json, "Print the report as JSON");
}

// The options every witness command shares: who it is and which logs it cosigns.
void add_witness_identity(CLI::App& cmd, WitnessArgs& a) {
  cmd.add_option("--key", a.key, "The witness's secret key file (rekap keygen)")->required();
  cmd.add_option("--name", a.name, "The witness's key name, e.g. example.org/witness")->required();
}

void add_witnessed_logs(CLI::App& cmd, WitnessArgs& a) {
  add_witness_identity(cmd, a);
  cmd.add_option("--state", a.state, "File that keeps what was cosigned, per log")->required();
  cmd.add_option("--log", a.logs,
                 "A log to cosign: \"<its verifier key> [<origin>]\" (the origin is the key's "
                 "name when left out); repeatable");
  cmd.add_option("--logs", a.logs_file, "A file of logs to cosign, one --log value a line")
      ->check(CLI::ExistingFile);
}

void add_witness(CLI::App& app, Action& action) {
  auto* witness = app.add_subcommand(
      "witness", "A C2SP tlog-witness: cosign logs' checkpoints that extend what it saw before");
  witness->require_subcommand(1);

  auto* key = witness->add_subcommand(
      "key", "Print the witness's verifier key (for a log's `rekap serve --witness`)");
  add_witness_identity(*key, bind_action<WitnessArgs>(*key, action, cmd_witness_key));

  auto* serve = witness->add_subcommand(
      "serve", "Answer POST <prefix>/add-checkpoint (c2sp.org/tlog-witness) for the logs listed");
  WitnessArgs& s = bind_action<WitnessArgs>(*serve, action, cmd_witness_serve);
  add_witnessed_logs(*serve, s);
  serve->add_option("--listen", s.listen, "Address:port to listen on (port 0 picks one)")
      ->capture_default_str();
  serve->add_option("--prefix", s.prefix, "The submission prefix's path, e.g. /witness");
  serve->add_option("--threads", s.threads, "HTTP threads")->capture_default_str();

  auto* pull = witness->add_subcommand(
      "pull", "Cosign a tlog-tiles log that does not push: fetch its checkpoint and tiles");
  WitnessArgs& p = bind_action<WitnessArgs>(*pull, action, cmd_witness_pull);
  add_witnessed_logs(*pull, p);
  add_url(*pull, p.log_url, "The log's URL (serving /log/checkpoint and /log/tile/)")->required();
  pull->add_option("--interval", p.interval, "Seconds between rounds (0: once)")
      ->capture_default_str();
}

}  // namespace

void add_audit_commands(CLI::App& app, Action& action) {
  add_verify(app, action);
  add_witness(app, action);
}

}  // namespace rekap::cli
