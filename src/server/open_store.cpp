#include "server/open_store.hpp"

#include "store/postgres/postgres_store.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace rekap {

std::unique_ptr<Store> open_store(const std::string& where) {
  if (PostgresStore::is_connection_string(where)) return PostgresStore::open(where);
  return SqliteStore::open(where);
}

}  // namespace rekap
