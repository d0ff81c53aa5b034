#pragma once
// Whole-file reads and atomic whole-file writes.
#include <filesystem>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace rekap {

// The file's bytes, or nullopt when it cannot be opened.
std::optional<std::string> read_file(const std::filesystem::path& path);
// The file's bytes; throws std::runtime_error naming the file when it cannot be read.
std::string read_file_or_throw(const std::filesystem::path& path);
// The named files of a directory, by name; throws std::runtime_error naming the first that
// cannot be read.
std::map<std::string, std::string> read_named_files(const std::filesystem::path& dir,
                                                    std::span<const char* const> names);
// Writes a temporary file beside `path` and renames it into place (creating directories), so a
// reader sees the old file or the new one, never half of it. Throws std::runtime_error.
void write_file_atomically(const std::filesystem::path& path, std::string_view data);
// The same, and on disk before it returns: the temporary file is fsynced before the rename and
// the directory after it, so a crash leaves the old file or the new one, never neither. For
// state a promise was made on (a witness's cosigned size); slower, so not for published files.
void write_file_durably(const std::filesystem::path& path, std::string_view data);

}  // namespace rekap
