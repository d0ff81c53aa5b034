// Which store a location opens: PostgreSQL for a libpq connection string, SQLite for a path.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <random>

#include "server/open_storage.hpp"
#include "store/postgres/postgres_store.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace rekap {
namespace {

TEST(OpenStore, ConnectionStringsArePostgresAndPathsSqlite) {
  for (const char* where : {
           "postgresql://rekap@db1:5432,db2:5432/rekap?target_session_attrs=read-write",
           "postgres://localhost/rekap",
           "host=10.0.0.1,10.0.0.2 port=5432,5432 dbname=rekap target_session_attrs=read-write",
           "dbname=rekap",
           "hostaddr=127.0.0.1 user=rekap",
           "host=/var/run/postgresql dbname=rekap",
       }) {
    EXPECT_TRUE(PostgresStore::is_connection_string(where)) << where;
  }
  for (const char* where : {
           "rekap.db",
           "/srv/rekap/rekap.db",
           "data dir/rekap.db",
           // Paths that hold a keyword are still paths: libpq knows no keyword "/tmp/dbname".
           "/tmp/dbname=x/rekap.db",
           "./host=db/rekap.db",
           // Keywords, but naming neither a server nor a database.
           "port=5432",
           "",
       }) {
    EXPECT_FALSE(PostgresStore::is_connection_string(where)) << where;
  }
}

TEST(OpenStore, APathOpensAnSqliteFile) {
  namespace fs = std::filesystem;
  const fs::path dir =
      fs::temp_directory_path() / ("rekap-open-store-" + std::to_string(::getpid()) + "-" +
                                   std::to_string(std::random_device{}()));
  fs::create_directories(dir);
  {
    auto store = open_store((dir / "rekap.db").string());
    EXPECT_NE(dynamic_cast<SqliteStore*>(store.get()), nullptr);
    store->put_meta("election", "pemilu-2024");
  }
  EXPECT_TRUE(fs::is_regular_file(dir / "rekap.db"));
  fs::remove_all(dir);
}

}  // namespace
}  // namespace rekap
