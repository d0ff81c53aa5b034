#pragma once
// `rekap form render` and `rekap form template`: printable C1 forms and their templates.
#include <CLI/CLI.hpp>
#include <string>

#include "cli/action.hpp"

namespace rekap::cli {

struct FormRenderArgs {
  std::string def;
  std::string tps;
  std::string ballot;
  std::string out;     // .pdf, or .png (one file per page)
  std::string values;  // JSON file {"field": number, ...}; empty: a blank form
  std::string paper = "a4";
  double px_per_mm = 10;
  int page = 0;  // 1-based; 0: every page
};
int cmd_form_render(const FormRenderArgs& a);

struct FormTemplateArgs {
  std::string def;
  std::string tps;
  std::string ballot;
  std::string out;  // a file (one TPS; empty: stdout) or, with --all, a directory
  bool all = false;
  std::string paper = "a4";
};
int cmd_form_template(const FormTemplateArgs& a);

// Adds `form` and its subcommands to the program.
void add_form_commands(CLI::App& app, Action& action);

}  // namespace rekap::cli
