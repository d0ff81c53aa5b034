#pragma once
// Form photos in the PostgreSQL database of the store (table images, keyed by their SHA-256),
// so that every node of a deployment reads every photo and a photo survives the loss of any one
// machine: it is replicated to the synchronous standby with everything else.
#include <memory>
#include <string>

#include "store/image_store.hpp"
#include "store/store.hpp"

namespace rekap {

namespace pg {
class Pool;
}

class PostgresImages : public ImageStore {
 public:
  // Connects with a libpq connection string, as PostgresStore::open does. Throws StoreError,
  // naming the server but never the password.
  static std::unique_ptr<PostgresImages> open(const std::string& conninfo,
                                              OpenMode mode = OpenMode::create);
  ~PostgresImages() override;

  bool exists(const Hash32& hash) const override;
  // One INSERT ... ON CONFLICT DO NOTHING, committed with synchronous_commit on. Throws
  // StoreError when it fails.
  void put(const Hash32& expected, std::string_view bytes) override;
  std::optional<std::string> read(const Hash32& hash) const override;
  std::optional<std::string> file_of(const Hash32&) const override { return std::nullopt; }

 private:
  explicit PostgresImages(std::unique_ptr<pg::Pool> pool);
  std::unique_ptr<pg::Pool> pool_;
};

}  // namespace rekap
