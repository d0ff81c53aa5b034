#pragma once
// `rekap verify` and `rekap witness`: checking a running election from outside, through its
// public interfaces only.
#include <CLI/CLI.hpp>
#include <string>

#include "cli/action.hpp"

namespace rekap::cli {

struct VerifyArgs {
  std::string url;
  std::string log_key;
  std::string state;
  int threads = 2;
  bool results = true;
  bool json = false;
  std::string receipts;
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

// Adds `verify` and `witness` to the program.
void add_audit_commands(CLI::App& app, Action& action);

}  // namespace rekap::cli
