#pragma once
// Content-addressed form photos: each file is named by the SHA-256 of its bytes and lies at
// <dir>/<first 2 hex digits>/<64 hex digits>. Files are never changed once written.
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "crypto/keys.hpp"

namespace rekap {

class ImageHashMismatch : public std::runtime_error {
 public:
  ImageHashMismatch(const Hash32& expected, const Hash32& actual);
};

class ImageStore {
 public:
  // Creates dir and its 256 subdirectories if missing. Throws std::filesystem::filesystem_error
  // or std::system_error.
  explicit ImageStore(std::string dir);

  bool exists(const Hash32& hash) const;
  // Stores bytes as the image named expected, durably and atomically (a reader never sees a
  // partial file). Throws ImageHashMismatch if the bytes hash to something else, and
  // std::system_error on an I/O failure. Storing an image already present does nothing.
  void put(const Hash32& expected, std::string_view bytes);
  // The image's bytes, or nullopt if it is not stored. Throws std::system_error on I/O failure.
  std::optional<std::string> read(const Hash32& hash) const;
  std::string path_of(const Hash32& hash) const;

 private:
  std::string dir_;
};

}  // namespace rekap
