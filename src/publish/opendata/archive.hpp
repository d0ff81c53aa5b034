#pragma once
// The daily archive of the open data: data/<YYYY-MM-DD>/ holds every file under data/ as it
// was at the end of that day (WIB), and SHA256SUMS, a C2SP signed note (c2sp.org/signed-note)
// by the transparency log's key whose text is in sha256sum's format. Anyone can check that an
// archived file is the one rekap published: the note verifies with the log's verifier key and
// the file's SHA-256 is in it.
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "crypto/keys.hpp"

namespace rekap::publish {

// "<hex sha256>  <path>\n" per file, sorted by path, as `sha256sum` writes and `-c` reads.
std::string sha256sums_text(std::vector<std::pair<std::string, Hash32>> files);

// SHA-256 of a file's bytes, read in chunks; throws std::runtime_error naming the file.
Hash32 sha256_file(const std::filesystem::path& path);

// Snapshots every file under `data_dir` except archives (directories named by a date) and the
// live index.json into
// data_dir/<date>/, replacing an earlier snapshot of the same date, and writes its SHA256SUMS
// signed by `key` under the name `origin` (the log's). Files are hard links where the file
// system allows (published files are replaced, never changed in place), else copies. Returns
// the SHA256SUMS note. Throws std::runtime_error.
std::string make_archive(const std::filesystem::path& data_dir, const std::string& date,
                         const std::string& origin, const SecretKey& key);

// True for "YYYY-MM-DD" (digits and dashes in those places).
bool is_archive_name(const std::string& name);

// The dates of the archives under data_dir, oldest first.
std::vector<std::string> archive_dates(const std::filesystem::path& data_dir);

}  // namespace rekap::publish
