#pragma once
// Form photos, content-addressed: each is named by the SHA-256 of its bytes and never changes
// once stored. Two backends: files in the data directory (image_files.hpp), for one machine,
// and a table in PostgreSQL (postgres/postgres_images.hpp), replicated with the log, for
// several. Implementations are safe to call from any thread.
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
  virtual ~ImageStore() = default;

  virtual bool exists(const Hash32& hash) const = 0;
  // Stores bytes as the image named expected, durably and atomically (a reader never sees a
  // partial image). Throws ImageHashMismatch if the bytes hash to something else, and
  // std::runtime_error (std::system_error, StoreError) when storing fails. Storing an image
  // already present does nothing.
  virtual void put(const Hash32& expected, std::string_view bytes) = 0;
  // The image's bytes, or nullopt if it is not stored. Throws std::runtime_error on failure.
  virtual std::optional<std::string> read(const Hash32& hash) const = 0;
  // A local file holding the image, where the backend keeps one (so that a publisher can link
  // it rather than copy it); nullopt otherwise.
  virtual std::optional<std::string> file_of(const Hash32& hash) const = 0;
};

}  // namespace rekap
