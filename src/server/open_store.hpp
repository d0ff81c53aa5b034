#pragma once
// Opens the store a location names: a PostgreSQL server for a libpq connection string, an
// SQLite file for anything else, so that one option (`--store`) can take either. Here, in the
// composition root, because store/ stands below its backends and never names them.
#include <memory>
#include <string>

#include "store/store.hpp"

namespace rekap {

// PostgresStore::open when PostgresStore::is_connection_string(where), else SqliteStore::open.
// Throws StoreError.
std::unique_ptr<Store> open_store(const std::string& where);

}  // namespace rekap
