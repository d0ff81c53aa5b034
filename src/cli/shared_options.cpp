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

}  // namespace rekap::cli
