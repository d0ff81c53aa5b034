#pragma once
// `rekap verify` and `rekap witness`: checking a running election from outside, through its
// public interfaces only.
#include <CLI/CLI.hpp>
#include <string>
#include <vector>

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

// `rekap witness key|serve|pull`: one witness (name, key, state, the logs it cosigns).
struct WitnessArgs {
  std::string key;
  std::string name;
  std::string state;
  std::vector<std::string> logs;  // "<log verifier key> [<origin>]"
  std::string logs_file;          // the same, one a line
  // serve
  std::string listen = "127.0.0.1:8090";
  std::string prefix;  // the submission prefix's path, e.g. /witness
  int threads = 2;
  // pull
  std::string log_url;
  int interval = 0;  // seconds between rounds; 0: once
};
int cmd_witness_key(const WitnessArgs& a);
int cmd_witness_serve(const WitnessArgs& a);
int cmd_witness_pull(const WitnessArgs& a);

// Adds `verify` and `witness` to the program.
void add_audit_commands(CLI::App& app, Action& action);

}  // namespace rekap::cli
