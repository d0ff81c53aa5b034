#pragma once
// Options that several subcommands share, declared once so they are spelled and described the
// same everywhere. Each returns the option, for the caller to make it required or check it.
#include <CLI/CLI.hpp>
#include <cstdint>
#include <string>
#include <utility>

namespace rekap::cli {

// --url: the server to talk to.
CLI::Option* add_url(CLI::App& cmd, std::string& url,
                     const std::string& description = "Server URL");
// --def: an election definition directory.
CLI::Option* add_def(CLI::App& cmd, std::string& dir,
                     const std::string& description = "The definition directory");
// --admin-key: the election admin's secret key file.
CLI::Option* add_admin_key(CLI::App& cmd, std::string& file,
                           const std::string& description = "The admin's secret key file");
// --tps: a TPS code.
CLI::Option* add_tps(CLI::App& cmd, std::string& tps);
// --ballot: a ballot's id.
CLI::Option* add_ballot(CLI::App& cmd, std::string& ballot);
// --json: print JSON instead of text; `description` says which JSON.
CLI::Option* add_json(CLI::App& cmd, bool& json, const std::string& description);

// --listen's ADDRESS:PORT, split; throws std::invalid_argument.
std::pair<std::string, std::uint16_t> split_listen(const std::string& listen);

}  // namespace rekap::cli
