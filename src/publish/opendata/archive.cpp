#include "publish/opendata/archive.hpp"

#include <algorithm>
#include <fstream>
#include <stdexcept>

#include "crypto/encoding.hpp"
#include "crypto/sha256.hpp"
#include "log/note.hpp"
#include "util/files.hpp"

namespace rekap::publish {

namespace fs = std::filesystem;

std::string sha256sums_text(std::vector<std::pair<std::string, Hash32>> files) {
  std::sort(files.begin(), files.end());
  std::string out;
  for (const auto& [path, hash] : files) out += to_hex(hash) + "  " + path + "\n";
  return out;
}

Hash32 sha256_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  Sha256 hasher;
  std::string chunk(1 << 20, '\0');
  while (in) {
    in.read(chunk.data(), std::streamsize(chunk.size()));
    hasher.update({chunk.data(), std::size_t(in.gcount())});
  }
  if (in.bad()) throw std::runtime_error("cannot read " + path.string());
  return hasher.finish();
}

bool is_archive_name(const std::string& name) {
  if (name.size() != 10) return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    bool dash = i == 4 || i == 7;
    if (dash ? name[i] != '-' : (name[i] < '0' || name[i] > '9')) return false;
  }
  return true;
}

std::vector<std::string> archive_dates(const fs::path& data_dir) {
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(data_dir, ec)) {
    std::string name = entry.path().filename().string();
    if (entry.is_directory() && is_archive_name(name)) out.push_back(name);
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string make_archive(const fs::path& data_dir, const std::string& date,
                         const std::string& origin, const SecretKey& key) {
  if (!is_archive_name(date)) throw std::invalid_argument("not an archive date: " + date);
  // Built beside the archives under a name no URL reaches, then renamed into place.
  fs::path building = data_dir / ("." + date + ".new");
  fs::path target = data_dir / date;
  fs::path replaced = data_dir / ("." + date + ".old");
  fs::remove_all(building);
  fs::remove_all(replaced);
  std::vector<std::pair<std::string, Hash32>> sums;
  for (auto it = fs::recursive_directory_iterator(data_dir);
       it != fs::recursive_directory_iterator(); ++it) {
    std::string name = it->path().filename().string();
    if (it.depth() == 0 && it->is_directory() && (is_archive_name(name) || name.starts_with("."))) {
      it.disable_recursion_pending();
      continue;
    }
    // index.json describes the live files, not an archive's.
    if (!it->is_regular_file() || name.ends_with(".tmp") ||
        (it.depth() == 0 && name == "index.json")) {
      continue;
    }
    fs::path relative = it->path().lexically_relative(data_dir);
    fs::path copy = building / relative;
    fs::create_directories(copy.parent_path());
    std::error_code ec;
    fs::create_hard_link(it->path(), copy, ec);
    if (ec) fs::copy_file(it->path(), copy);
    // Hashed from the archived copy: what the note vouches for is what stays.
    sums.emplace_back(relative.generic_string(), sha256_file(copy));
  }
  std::string note = tlog::sign_note(sha256sums_text(std::move(sums)), origin, key);
  write_file_atomically(building / "SHA256SUMS", note);
  if (fs::exists(target)) fs::rename(target, replaced);
  fs::rename(building, target);
  fs::remove_all(replaced);
  return note;
}

}  // namespace rekap::publish
