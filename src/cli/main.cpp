// rekap: recapitulation of election results from polling-station tally forms.
#include <spdlog/cfg/helpers.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/commands.hpp"
#include "cli/form_commands.hpp"
#include "cli/ocr_commands.hpp"
#include "crypto/keys.hpp"

int main(int argc, char** argv) {
  using namespace rekap::cli;
  CLI::App app{
      "rekap: turns the C1 tally forms of every polling station (TPS) into published, verifiable "
      "election results.\nEvery write is a signed statement; every total can be recomputed."};
  app.require_subcommand(1);
  std::string log_level = "info";
  app.add_option("--log-level", log_level, "trace, debug, info, warn, error or off")
      ->capture_default_str()
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "off"}));

  InitArgs init;
  auto* c_init = app.add_subcommand(
      "init", "Create a data directory for an election from its definition files");
  c_init->add_option("--data", init.data, "Data directory to create")->required();
  c_init->add_option("--def", init.def, "Directory with the election definition CSV files")
      ->required();
  c_init->add_option("--admin-key", init.admin_key,
                     "Secret key file of the election admin, who signs the log's genesis entry "
                     "(default: generate DATA/admin.key)");
  c_init->add_option(
      "--origin", init.origin,
      "The transparency log's name in checkpoints (default: rekap.local/<election id>)");

  ServeArgs serve;
  auto* c_serve =
      app.add_subcommand("serve", "Serve an election: accept signed statements, publish results");
  c_serve->add_option("--data", serve.data, "Data directory made by `rekap init`")->required();
  c_serve->add_option("--listen", serve.listen, "Address:port to listen on (port 0 picks one)")
      ->capture_default_str();
  c_serve->add_option("--threads", serve.threads, "HTTP threads (default: one per core)");
  c_serve->add_option(
      "--publish", serve.publish,
      "Directory for the static files any web server can serve (default: DATA/publish)");
  c_serve->add_option("--witness", serve.witnesses,
                      "Verifier key of a witness whose cosignatures are accepted; repeatable");
  c_serve
      ->add_option("--checkpoint-ms", serve.checkpoint_ms,
                   "Milliseconds between signed checkpoints while entries arrive")
      ->capture_default_str();
  c_serve
      ->add_option("--open-data-ms", serve.open_data_ms,
                   "Milliseconds between updates of the Sirekap-compatible tree (/pemilu/)")
      ->capture_default_str();
  c_serve
      ->add_option("--exports-ms", serve.exports_ms,
                   "Milliseconds between updates of the CSV and CDF files (/data/)")
      ->capture_default_str();
  c_serve
      ->add_option("--archive-ms", serve.archive_ms,
                   "Also archive the day so far (/data/<date>/) this often; 0: only when the "
                   "day ends (WIB) and at shutdown")
      ->capture_default_str();
  c_serve->add_option("--model", serve.model,
                      "Digit model (ONNX) for POST /api/v1/ocr; default models/digits.onnx");
  c_serve
      ->add_option("--ocr-threads", serve.ocr_threads,
                   "Photos read at once for POST /api/v1/ocr (the officer's page); 0: off")
      ->capture_default_str();
  c_serve
      ->add_option("--web", serve.web,
                   "The built portal, served at / and copied to the publish directory")
      ->capture_default_str();
  c_serve
      ->add_option("--report-minute", serve.report_minute,
                   "Citizens' reports accepted per client address in any minute")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  c_serve
      ->add_option("--report-day", serve.report_day,
                   "Citizens' reports accepted per client address in any day")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  c_serve
      ->add_option("--report-tps-hour", serve.report_tps_hour,
                   "Citizens' reports accepted about one TPS in any hour")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  c_serve->add_option("--trust-proxy", serve.trusted_proxies,
                      "A reverse proxy (address or network, e.g. 10.0.0.0/8; repeatable) whose "
                      "X-Forwarded-For names the client for the report limits");

  std::string keygen_out;
  bool keygen_json = false;
  auto* c_keygen = app.add_subcommand(
      "keygen", "Make an Ed25519 key pair: FILE (secret, mode 0600) and FILE.pub");
  c_keygen->add_option("--out", keygen_out, "Secret key file to write")->required();
  c_keygen->add_flag("--json", keygen_json, "Print the public key as JSON");

  EnrollArgs enroll;
  auto* c_enroll = app.add_subcommand(
      "enroll", "Enrol a device key for a TPS (kpps) or an operator key for a kecamatan (ppk)");
  c_enroll->add_option("--url", enroll.url, "Server URL, e.g. http://127.0.0.1:8080")->required();
  c_enroll->add_option("--admin-key", enroll.admin_key, "The admin's secret key file")->required();
  c_enroll->add_option("--key", enroll.key, "Public key to enrol: a .pub file or base64")
      ->required();
  c_enroll->add_option("--role", enroll.role, "kpps or ppk")
      ->required()
      ->check(CLI::IsMember({"kpps", "ppk"}));
  c_enroll->add_option("--scope", enroll.scope, "TPS code (kpps) or kecamatan code (ppk)")
      ->required();
  c_enroll->add_flag("--json", enroll.json, "Print the server's JSON answer");

  SubmitArgs submit;
  auto* c_submit = app.add_subcommand(
      "submit", "Sign and submit a TPS result (or, with --supersedes, a correction)");
  c_submit->add_option("--url", submit.url, "Server URL")->required();
  c_submit->add_option("--key", submit.key, "Secret key file of the signer")->required();
  c_submit->add_option("--tps", submit.tps, "TPS code (13 digits)")->required();
  c_submit->add_option("--ballot", submit.ballot, "ppwp, pdpr, pdpd, pdprdp or pdprdk")->required();
  c_submit->add_option("--values", submit.values, "JSON file with the form's numbers by field name")
      ->required();
  c_submit->add_option("--rev", submit.rev, "Revision; a higher one supersedes")
      ->capture_default_str();
  c_submit->add_option("--image", submit.images,
                       "Photo of a form page (uploaded first); repeatable");
  c_submit->add_option("--supersedes", submit.supersedes,
                       "Id (hex) of the result this corrects (ppk)");
  c_submit->add_option("--reason", submit.reason, "Reason for a correction");
  c_submit->add_flag("--json", submit.json, "Print the server's JSON answer");

  auto* c_sim = app.add_subcommand("sim", "Simulate an election");
  c_sim->require_subcommand(1);
  SimGeoArgs geo;
  auto* c_geo = c_sim->add_subcommand("geo", "Write a simulated election definition");
  c_geo
      ->add_option("--scale", geo.scale,
                   "tiny, small, medium, large, national, province:<code> or kabupaten:<code>")
      ->capture_default_str();
  c_geo->add_option("--seed", geo.seed, "Random seed")->capture_default_str();
  c_geo->add_option("--out", geo.out, "Directory to write the definition CSV files to")->required();
  SimVotesArgs votes;
  auto* c_votes = c_sim->add_subcommand(
      "votes",
      "Write the simulated votes (the ground truth sim run submits): <out>/<ballot>/<contest>.csv");
  c_votes->add_option("--def", votes.def, "The definition directory")->required();
  c_votes->add_option("--seed", votes.seed, "Seed of the simulated votes")->capture_default_str();
  c_votes->add_option("--out", votes.out, "Directory to write to")->required();
  SimRunArgs run;
  auto* c_run =
      c_sim->add_subcommand("run", "Play election night against a server and check the totals");
  c_run->add_option("--url", run.url, "Server URL")->required();
  c_run->add_option("--def", run.def, "The definition directory the server was initialised with")
      ->required();
  c_run->add_option("--admin-key", run.admin_key, "The admin's secret key file")->required();
  c_run->add_option("--clients", run.clients, "Concurrent clients")->capture_default_str();
  c_run->add_option("--seed", run.seed, "Seed of the simulated votes and device keys")
      ->capture_default_str();
  c_run->add_flag("!--no-check", run.check, "Skip the exact-totals check");
  c_run->add_flag("--presign", run.presign,
                  "Sign every statement before the clock starts (measures the server alone)");
  c_run
      ->add_option("--rate", run.rate,
                   "Results per second across all clients (0: as fast as possible)")
      ->capture_default_str();
  c_run
      ->add_option("--faults", run.faults,
                   "Faults to inject: drop, duplicate, reorder, correct, bad (comma-separated)")
      ->delimiter(',')
      ->check(CLI::IsMember({"drop", "duplicate", "reorder", "correct", "bad"}));
  c_run->add_option("--fault-share", run.fault_share, "Share of statements each fault touches")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 1.0));
  c_run
      ->add_option("--ocr-share", run.ocr_share,
                   "Share of TPS x ballot submitted through synthetic photos and the OCR reader")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 1.0));
  c_run->add_option("--model", run.model, "Digit model for --ocr-share (default models/)");
  c_run->add_option("--mnist", run.mnist, "MNIST IDX directory for --ocr-share");
  c_run->add_flag("--json", run.json, "Print the report as JSON");

  VerifyArgs verify;
  auto* c_verify = app.add_subcommand(
      "verify",
      "Audit a running election through its public interfaces: the signed log, every "
      "statement, every total");
  c_verify->add_option("--url", verify.url, "Server or mirror URL")->required();
  c_verify->add_option("--log-key", verify.log_key,
                       "The log's verifier key (name+hash+key) from a source you trust");
  c_verify->add_option("--state", verify.state,
                       "Directory that keeps the last verified checkpoint and cached bundles");
  c_verify->add_option("--threads", verify.threads, "Threads for signature checks")
      ->capture_default_str();
  c_verify->add_flag("!--no-results", verify.results, "Skip comparing the published results");
  c_verify->add_flag("--json", verify.json, "Print the report as JSON");

  WitnessArgs witness;
  auto* c_witness = app.add_subcommand(
      "witness", "Cosign the log's checkpoints after checking each extends the last one seen");
  c_witness->add_option("--log", witness.log, "The log's server URL");
  c_witness->add_option("--log-key", witness.log_key, "The log's verifier key");
  c_witness->add_option("--key", witness.key, "The witness's secret key file (rekap keygen)")
      ->required();
  c_witness->add_option("--name", witness.name, "The witness's key name, e.g. example.org/witness")
      ->required();
  c_witness->add_option("--state", witness.state, "File that keeps the last checkpoint seen");
  c_witness->add_option("--interval", witness.interval, "Seconds between rounds (0: once)")
      ->capture_default_str();
  c_witness->add_flag("--print-key", witness.print_key,
                      "Print the witness's verifier key (for `rekap serve --witness`) and exit");

  FormCommands form(app);
  OcrCommands ocr(app);

  CLI11_PARSE(app, argc, argv);
  if (*c_witness && !witness.print_key &&
      (witness.log.empty() || witness.log_key.empty() || witness.state.empty())) {
    std::cerr << "witness: --log, --log-key and --state are required\n";
    return 2;
  }

  auto logger = spdlog::stderr_color_mt("rekap");
  spdlog::set_default_logger(logger);
  spdlog::set_level(spdlog::level::from_str(log_level));
  rekap::crypto_init();

  try {
    if (*c_init) return cmd_init(init);
    if (*c_serve) return cmd_serve(serve);
    if (*c_keygen) return cmd_keygen(keygen_out, keygen_json);
    if (*c_enroll) return cmd_enroll(enroll);
    if (*c_submit) return cmd_submit(submit);
    if (*c_geo) return cmd_sim_geo(geo);
    if (*c_run) return cmd_sim_run(run);
    if (*c_votes) return cmd_sim_votes(votes);
    if (*c_verify) return cmd_verify(verify);
    if (*c_witness) return cmd_witness(witness);
    if (form.chosen()) return form.run();
    if (ocr.chosen()) return ocr.run();
  } catch (const std::exception& e) {
    spdlog::error("{}", e.what());
    return 1;
  }
  return 2;
}
