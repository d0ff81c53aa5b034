#pragma once
// Opens the storage a location names, so that one option (`--store`) takes either backend: a
// libpq connection string opens PostgreSQL for the log and the photos alike (every node of a
// deployment shares both); anything else is the path of an SQLite file, with the photos as
// files in a directory beside it. Here, in the composition root, because store/ stands below
// its backends and never names them.
#include <memory>
#include <string>

#include "store/coordination.hpp"
#include "store/image_store.hpp"
#include "store/store.hpp"

namespace rekap {

struct Storage {
  std::unique_ptr<Store> store;
  std::unique_ptr<ImageStore> images;
  std::string name;  // store_name(where)
  // PostgreSQL's, through which several nodes share the store; null for SQLite. The store's.
  Coordination* coordination = nullptr;
};

// The store alone: PostgresStore::open when PostgresStore::is_connection_string(where), else
// SqliteStore::open. OpenMode::existing refuses a missing SQLite file or a database without
// rekap's schema, writing nothing. Throws StoreError.
std::unique_ptr<Store> open_store(const std::string& where, OpenMode mode = OpenMode::create);

// How messages name the store at `where`: the file, or the server and database (no password).
std::string store_name(const std::string& where);

// The store and the photos: PostgreSQL for both when where is a connection string; else the
// SQLite file `where` and the photo files under `images_dir`. Throws StoreError (std::system_error
// for the photos' directory).
Storage open_storage(const std::string& where, const std::string& images_dir, OpenMode mode);

}  // namespace rekap
