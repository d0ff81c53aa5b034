#pragma once
// NIST SP 1500-100 v2 documents checked against the standard's own JSON schema, as NIST
// publishes it (../shared/standards/nist-1500-100-v2.json beside the checkout), by a JSON
// Schema validator: tests/standards/validate_cdf.py, jsonschema's Draft4Validator (Debian's
// python3-jsonschema, installed by scripts/setup.sh). Used by the unit and the integration tests.
#include <stdlib.h>

#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#ifndef REKAP_CDF_SCHEMA
#error "tests/CMakeLists.txt defines REKAP_CDF_SCHEMA and REKAP_CDF_VALIDATOR"
#endif

namespace rekap::test {

// The validator's report on the documents (file name -> JSON text): "" when each validates
// with no error, else every error with its file and JSON path.
inline std::string cdf_schema_errors(const std::map<std::string, std::string>& documents) {
  namespace fs = std::filesystem;
  if (!fs::exists(REKAP_CDF_SCHEMA)) {
    return std::string("no schema at ") + REKAP_CDF_SCHEMA + ": the tests need ../shared";
  }
  std::string dir_template = (fs::temp_directory_path() / "rekap-cdf-XXXXXX").string();
  if (!mkdtemp(dir_template.data())) {
    return "mkdtemp " + dir_template + ": " + std::strerror(errno);
  }
  fs::path dir = dir_template;
  std::string command =
      std::string("python3 '") + REKAP_CDF_VALIDATOR + "' '" + REKAP_CDF_SCHEMA + "'";
  for (const auto& [name, text] : documents) {
    std::ofstream(dir / name, std::ios::binary) << text;
    command += " '" + (dir / name).string() + "'";
  }
  std::string output;
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  if (!pipe) return "cannot run " + command + ": " + std::strerror(errno);
  std::array<char, 4096> buf;
  while (std::size_t n = std::fread(buf.data(), 1, buf.size(), pipe)) output.append(buf.data(), n);
  int status = pclose(pipe);
  fs::remove_all(dir);
  if (status == 0) return "";
  return std::string(REKAP_CDF_VALIDATOR) + " failed (wait status " + std::to_string(status) +
         "):\n" + output;
}

}  // namespace rekap::test
