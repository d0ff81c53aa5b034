#include "server/open_storage.hpp"

#include <filesystem>

#include "store/image_files.hpp"
#include "store/postgres/postgres_images.hpp"
#include "store/postgres/postgres_store.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace rekap {

std::unique_ptr<Store> open_store(const std::string& where, OpenMode mode) {
  if (PostgresStore::is_connection_string(where)) return PostgresStore::open(where, mode);
  if (mode == OpenMode::existing && !std::filesystem::exists(where)) {
    throw StoreError(where + " does not exist: `rekap init` makes it");
  }
  return SqliteStore::open(where);
}

std::string store_name(const std::string& where) {
  return PostgresStore::is_connection_string(where) ? PostgresStore::describe(where) : where;
}

Storage open_storage(const std::string& where, const std::string& images_dir, OpenMode mode) {
  Storage s;
  if (PostgresStore::is_connection_string(where)) {
    auto store = PostgresStore::open(where, mode);
    s.coordination = store.get();
    s.store = std::move(store);
    s.images = PostgresImages::open(where, mode);
  } else {
    s.store = open_store(where, mode);
    s.images = std::make_unique<ImageFiles>(images_dir);
  }
  s.name = store_name(where);
  return s;
}

}  // namespace rekap
