#include "cli/audit_commands.hpp"

#include <chrono>
#include <iostream>
#include <thread>

#include "audit/verify.hpp"
#include "audit/witness.hpp"
#include "cli/shared_options.hpp"
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

int cmd_witness(const WitnessArgs& a) {
  if (a.print_key) {
    std::cout << audit::witness_verifier_key(a.name, a.key) << "\n";
    return 0;
  }
  // Only a round needs them; --print-key does not, so CLI11 cannot require them.
  if (a.log.empty() || a.log_key.empty() || a.state.empty()) {
    std::cerr << "witness: --log, --log-key and --state are required\n";
    return 2;
  }
  audit::WitnessOptions options{a.log, a.log_key, a.key, a.name, a.state, true};
  for (;;) {
    auto r = audit::witness_once(options);
    std::cout << "cosigned checkpoint of " << r.size << " entries"
              << " (previously " << r.previous_size << "): " << r.message << "\n"
              << std::flush;
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

void add_witness(CLI::App& app, Action& action) {
  auto* cmd = app.add_subcommand(
      "witness", "Cosign the log's checkpoints after checking each extends the last one seen");
  WitnessArgs& a = bind_action<WitnessArgs>(*cmd, action, cmd_witness);
  cmd->add_option("--log", a.log, "The log's server URL");
  cmd->add_option("--log-key", a.log_key, "The log's verifier key");
  cmd->add_option("--key", a.key, "The witness's secret key file (rekap keygen)")->required();
  cmd->add_option("--name", a.name, "The witness's key name, e.g. example.org/witness")->required();
  cmd->add_option("--state", a.state, "File that keeps the last checkpoint seen");
  cmd->add_option("--interval", a.interval, "Seconds between rounds (0: once)")
      ->capture_default_str();
  cmd->add_flag("--print-key", a.print_key,
                "Print the witness's verifier key (for `rekap serve --witness`) and exit");
}

}  // namespace

void add_audit_commands(CLI::App& app, Action& action) {
  add_verify(app, action);
  add_witness(app, action);
}

}  // namespace rekap::cli
