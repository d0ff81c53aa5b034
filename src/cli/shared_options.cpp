#include "cli/shared_options.hpp"

namespace rekap::cli {

CLI::Option* add_url(CLI::App& cmd, std::string& url, const std::string& description) {
  return cmd.add_option("--url", url, description);
}

CLI::Option* add_def(CLI::App& cmd, std::string& dir, const std::string& description) {
  return cmd.add_option("--def", dir, description);
}

CLI::Option* add_admin_key(CLI::App& cmd, std::string& file, const std::string& description) {
  return cmd.add_option("--admin-key", file, description);
}

CLI::Option* add_tps(CLI::App& cmd, std::string& tps) {
  return cmd.add_option("--tps", tps, "TPS code (13 digits)");
}

CLI::Option* add_ballot(CLI::App& cmd, std::string& ballot) {
  return cmd.add_option("--ballot", ballot, "ppwp, pdpr, pdpd, pdprdp or pdprdk");
}

CLI::Option* add_json(CLI::App& cmd, bool& json, const std::string& description) {
  return cmd.add_flag("--json", json, description);
}

std::pair<std::string, std::uint16_t> split_listen(const std::string& listen) {
  auto colon = listen.rfind(':');
  if (colon == std::string::npos) throw std::invalid_argument("--listen must be ADDRESS:PORT");
  int port = std::stoi(listen.substr(colon + 1));
  if (port < 0 || port > 65535) throw std::invalid_argument("--listen port out of range");
  return {listen.substr(0, colon), std::uint16_t(port)};
}

}  // namespace rekap::cli
