#pragma once
// `rekap keygen`, `rekap enroll` and `rekap submit`: keys, and the signed statements that enrol
// a key or submit a TPS's result to a server.
#include <CLI/CLI.hpp>
#include <cstdint>
#include <string>
#include <vector>

#include "cli/action.hpp"

namespace rekap::cli {

struct KeygenArgs {
  std::string out;  // secret key file; the public key goes to <out>.pub
  bool json = false;
};
int cmd_keygen(const KeygenArgs& a);

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

// Adds `keygen`, `enroll` and `submit` to the program.
void add_statement_commands(CLI::App& app, Action& action);

}  // namespace rekap::cli
