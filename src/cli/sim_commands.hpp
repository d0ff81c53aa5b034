#pragma once
// `rekap sim geo`, `rekap sim votes` and `rekap sim run`: a simulated election's definition,
// its votes, and election night played against a server.
#include <CLI/CLI.hpp>
#include <cstdint>
#include <string>
#include <vector>

#include "cli/action.hpp"

namespace rekap::cli {

struct SimGeoArgs {
  std::string scale = "tiny";
  std::uint64_t seed = 1;
  std::string wilayah;
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
  std::vector<std::string> urls;
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
  int attempts = 5;
  std::string receipts;
};
int cmd_sim_run(const SimRunArgs& a);

// Adds `sim` and its subcommands to the program.
void add_sim_commands(CLI::App& app, Action& action);

}  // namespace rekap::cli
