#pragma once
// Photos as files: each lies at <dir>/<first 2 hex digits>/<64 hex digits>, written to a
// temporary file, synced and renamed into place.
#include <optional>
#include <string>
#include <string_view>

#include "store/image_store.hpp"

namespace rekap {

class ImageFiles : public ImageStore {
 public:
  // Creates dir and its 256 subdirectories if missing. Throws std::filesystem::filesystem_error
  // or std::system_error.
  explicit ImageFiles(std::string dir);

  bool exists(const Hash32& hash) const override;
  // Throws std::system_error on an I/O failure.
  void put(const Hash32& expected, std::string_view bytes) override;
  std::optional<std::string> read(const Hash32& hash) const override;
  std::optional<std::string> file_of(const Hash32& hash) const override { return path_of(hash); }
  std::string path_of(const Hash32& hash) const;

 private:
  std::string dir_;
};

}  // namespace rekap
