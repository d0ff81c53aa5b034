#include "cli/sim_commands.hpp"

#include <iostream>

#include "cli/shared_options.hpp"
#include "core/definition.hpp"
#include "crypto/keys.hpp"
#include "sim/geo.hpp"
#include "sim/run.hpp"
#include "sim/votes.hpp"
#include "util/files.hpp"

namespace rekap::cli {

int cmd_sim_geo(const SimGeoArgs& a) {
  auto files = sim::generate_geo({a.scale, a.seed, a.wilayah});
  Definition def = build_definition(files);
  sim::write_definition_dir(files, a.out);
  std::cout << "wrote election " << def.election_id << " to " << a.out << ": "
            << def.regions.size() - 1 << " regions, " << def.tps.size() << " TPS, "
            << def.contests.size() << " contests\n";
  return 0;
}

int cmd_sim_votes(const SimVotesArgs& a) {
  Definition def = build_definition(read_named_files(a.def, kDefinitionFileNames));
  sim::write_ground_truth(def, a.seed, a.out);
  std::cout << "wrote the ground truth of " << def.tps.size() << " TPS, " << def.contests.size()
            << " contests, to " << a.out << "\n";
  return 0;
}

int cmd_sim_run(const SimRunArgs& a) {
  auto files = read_named_files(a.def, kDefinitionFileNames);
  Definition def = build_definition(files);
  sim::RunOptions options;
  options.url = a.urls.at(0);
  options.nodes.assign(a.urls.begin() + 1, a.urls.end());
  options.max_attempts = a.attempts;
  options.receipts = a.receipts;
  options.clients = a.clients;
  options.seed = a.seed;
  options.check = a.check;
  options.presign = a.presign;
  options.rate = a.rate;
  options.faults = {a.faults.begin(), a.faults.end()};
  options.fault_share = a.fault_share;
  options.ocr_share = a.ocr_share;
  options.model = a.model;
  options.mnist = a.mnist;
  auto report = sim::run_election(def, read_secret_key(a.admin_key), options);
  std::cout << (a.json ? report.to_json() + "\n" : report.to_text());
  return report.ok() ? 0 : 1;
}

namespace {

void add_geo(CLI::App& sim, Action& action) {
  auto* cmd = sim.add_subcommand("geo", "Write a simulated election definition");
  SimGeoArgs& a = bind_action<SimGeoArgs>(*cmd, action, cmd_sim_geo);
  cmd->add_option("--scale", a.scale,
                  "tiny, small, medium, large, national, province:<code> or kabupaten:<code>")
      ->capture_default_str();
  cmd->add_option("--seed", a.seed, "Random seed")->capture_default_str();
  cmd->add_option("--wilayah", a.wilayah,
                  "KPU's 2024 regions (kode,nama,tps) for national, province:<code> and "
                  "kabupaten:<code>; default $REKAP_WILAYAH, else reference/wilayah-2024.csv");
  cmd->add_option("--out", a.out, "Directory to write the definition CSV files to")->required();
}

void add_votes(CLI::App& sim, Action& action) {
  auto* cmd = sim.add_subcommand(
      "votes",
      "Write the simulated votes (the ground truth sim run submits): <out>/<ballot>/<contest>.csv");
  SimVotesArgs& a = bind_action<SimVotesArgs>(*cmd, action, cmd_sim_votes);
  add_def(*cmd, a.def)->required();
  cmd->add_option("--seed", a.seed, "Seed of the simulated votes")->capture_default_str();
  cmd->add_option("--out", a.out, "Directory to write to")->required();
}

void add_run(CLI::App& sim, Action& action) {
  auto* cmd =
      sim.add_subcommand("run", "Play election night against a server and check the totals");
  SimRunArgs& a = bind_action<SimRunArgs>(*cmd, action, cmd_sim_run);
  cmd->add_option("--url", a.urls,
                  "Server URL; repeat it for the nodes of one deployment: the clients spread "
                  "over them, the totals are checked at the first")
      ->required();
  add_def(*cmd, a.def, "The definition directory the server was initialised with")->required();
  add_admin_key(*cmd, a.admin_key)->required();
  cmd->add_option("--clients", a.clients, "Concurrent clients")->capture_default_str();
  cmd->add_option("--attempts", a.attempts,
                  "Sends of one statement before giving up, on connection failures and 503 "
                  "(each at the next --url)")
      ->capture_default_str()
      ->check(CLI::Range(1, 1000));
  cmd->add_option("--receipts", a.receipts,
                  "Write each acknowledgement's log index and statement id to this file, for "
                  "`rekap verify --receipts`");
  cmd->add_option("--seed", a.seed, "Seed of the simulated votes and device keys")
      ->capture_default_str();
  cmd->add_flag("!--no-check", a.check, "Skip the exact-totals check");
  cmd->add_flag("--presign", a.presign,
                "Sign every statement before the clock starts (measures the server alone)");
  cmd->add_option("--rate", a.rate,
                  "Results per second across all clients (0: as fast as possible)")
      ->capture_default_str();
  cmd->add_option("--faults", a.faults,
                  "Faults to inject: drop, duplicate, reorder, correct, bad (comma-separated)")
      ->delimiter(',')
      ->check(CLI::IsMember({"drop", "duplicate", "reorder", "correct", "bad"}));
  cmd->add_option("--fault-share", a.fault_share, "Share of statements each fault touches")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 1.0));
  cmd->add_option("--ocr-share", a.ocr_share,
                  "Share of TPS x ballot submitted through synthetic photos and the OCR reader")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 1.0));
  cmd->add_option("--model", a.model, "Digit model for --ocr-share (default models/)");
  cmd->add_option("--mnist", a.mnist, "MNIST IDX directory for --ocr-share");
  add_json(*cmd, a.json, "Print the report as JSON");
}

}  // namespace

void add_sim_commands(CLI::App& app, Action& action) {
  auto* sim = app.add_subcommand("sim", "Simulate an election");
  sim->require_subcommand(1);
  add_geo(*sim, action);
  add_votes(*sim, action);
  add_run(*sim, action);
}

}  // namespace rekap::cli
