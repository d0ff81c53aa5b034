#pragma once
// How a subcommand hands `main` its work: parsing the command line picks one subcommand, whose
// callback leaves its action in an Action that main runs once logging is set up. Every command
// group (server_commands, sim_commands, ...) binds its subcommands with bind_action.
#include <CLI/CLI.hpp>
#include <functional>
#include <memory>

namespace rekap::cli {

// The chosen subcommand's work; returns the process exit code.
using Action = std::function<int()>;

// Arguments for `cmd` that live as long as the program (its options fill them in); when the
// user chooses `cmd`, `action` becomes run(arguments).
template <class Args, class Run>
Args& bind_action(CLI::App& cmd, Action& action, Run run) {
  auto args = std::make_shared<Args>();
  cmd.callback([&action, args, run] { action = [args, run] { return run(*args); }; });
  return *args;
}

}  // namespace rekap::cli
