// rekap: recapitulation of election results from polling-station tally forms. Each command
// group's file declares its subcommands' options beside their actions; main parses, sets up
// logging and runs the action of the subcommand chosen.
#include <spdlog/cfg/helpers.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>

#include "cli/action.hpp"
#include "cli/audit_commands.hpp"
#include "cli/form_commands.hpp"
#include "cli/ocr_commands.hpp"
#include "cli/server_commands.hpp"
#include "cli/sim_commands.hpp"
#include "cli/statement_commands.hpp"
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

  // In the order `rekap --help` lists them.
  Action action;
  add_server_commands(app, action);     // init, serve
  add_statement_commands(app, action);  // keygen, enroll, submit
  add_sim_commands(app, action);        // sim geo, sim votes, sim run
  add_audit_commands(app, action);      // verify, witness
  add_form_commands(app, action);       // form render, form template
  add_ocr_commands(app, action);        // ocr read, ocr synth

  CLI11_PARSE(app, argc, argv);

  auto logger = spdlog::stderr_color_mt("rekap");
  spdlog::set_default_logger(logger);
  spdlog::set_level(spdlog::level::from_str(log_level));
  rekap::crypto_init();

  try {
    return action();
  } catch (const std::exception& e) {
    spdlog::error("{}", e.what());
    return 1;
  }
}
