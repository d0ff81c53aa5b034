#include "util/files.hpp"

#include <fstream>
#include <sstream>
#include <stdexcept>

namespace rekap {

std::optional<std::string> read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string read_file_or_throw(const std::filesystem::path& path) {
  auto data = read_file(path);
  if (!data) throw std::runtime_error("cannot read " + path.string());
  return std::move(*data);
}

void write_file_atomically(const std::filesystem::path& path, std::string_view data) {
  if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path());
  std::filesystem::path tmp = path;
  tmp += ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out.write(data.data(), std::streamsize(data.size()));
    if (!out.flush()) throw std::runtime_error("cannot write " + tmp.string());
  }
  std::filesystem::rename(tmp, path);
}

std::map<std::string, std::string> read_named_files(const std::filesystem::path& dir,
                                                    std::span<const char* const> names) {
  std::map<std::string, std::string> files;
  for (const char* name : names) files.emplace(name, read_file_or_throw(dir / name));
  return files;
}

}  // namespace rekap
