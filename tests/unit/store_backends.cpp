#include "unit/store_backends.hpp"

#include <libpq-fe.h>
#include <sqlite3.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <random>
#include <stdexcept>

#include "crypto/keys.hpp"

namespace rekap {

StoredStatement make_statement(std::uint64_t index, const std::string& tps, int ballot) {
  StoredStatement s;
  s.index = index;
  s.body = "statement " + std::to_string(index) + " about " + tps + '\0' + "binary";
  s.id = sha256(s.body);
  s.signature.fill(static_cast<std::uint8_t>(index));
  s.signature[63] = 0xAB;
  s.tps = tps;
  s.ballot = ballot;
  s.received_ms = 1'707'868'800'000 + static_cast<std::int64_t>(index);
  s.leaf = sha256("leaf " + std::to_string(index));
  return s;
}

void expect_same(const StoredStatement& a, const StoredStatement& b) {
  EXPECT_EQ(a.index, b.index);
  EXPECT_EQ(a.id, b.id);
  EXPECT_EQ(a.body, b.body);
  EXPECT_EQ(a.leaf, b.leaf);
  EXPECT_EQ(a.signature, b.signature);
  EXPECT_EQ(a.tps, b.tps);
  EXPECT_EQ(a.ballot, b.ballot);
  EXPECT_EQ(a.received_ms, b.received_ms);
}

namespace {

namespace fs = std::filesystem;

const char* test_server() {
  const char* conninfo = std::getenv("REKAP_TEST_PG");
  return conninfo && *conninfo ? conninfo : nullptr;
}

class SqliteTestDatabase : public TestDatabase {
 public:
  SqliteTestDatabase() {
    std::random_device rd;
    dir_ = fs::temp_directory_path() /
           ("rekap-store-test-" + std::to_string(::getpid()) + "-" + std::to_string(rd()));
    fs::create_directories(dir_);
  }
  ~SqliteTestDatabase() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  std::string location() const override { return (dir_ / "rekap.db").string(); }
  std::string name() const override { return location(); }
  void set_schema_version(int version) override {
    exec("PRAGMA user_version=" + std::to_string(version));
  }
  void make_version_1() override {
    exec("DROP TABLE report_fields; DROP TABLE reports; PRAGMA user_version=1;");
  }
  std::pair<std::string, std::string> unopenable() const override {
    const std::string missing = (dir_ / "no/such/dir/rekap.db").string();
    return {missing, missing};
  }

 private:
  void exec(const std::string& sql) const {
    sqlite3* db = nullptr;
    const bool opened = sqlite3_open(location().c_str(), &db) == SQLITE_OK;
    const std::string error =
        opened && sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK
            ? ""
            : sqlite3_errmsg(db);
    sqlite3_close(db);
    if (!error.empty()) throw std::runtime_error("sqlite test database: " + sql + ": " + error);
  }

  fs::path dir_;
};

// One query as the superuser; throws with the server's message.
std::string run(const std::string& conninfo, const std::string& sql) {
  PGconn* conn = PQconnectdb(conninfo.c_str());
  std::string error;
  std::string value;
  if (PQstatus(conn) != CONNECTION_OK) {
    error = PQerrorMessage(conn);
  } else {
    // Quiet: "role ... does not exist, skipping" and the like.
    PQsetNoticeProcessor(
        conn, [](void*, const char*) {}, nullptr);
    PGresult* r = PQexec(conn, sql.c_str());
    const ExecStatusType status = PQresultStatus(r);
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
      error = PQresultErrorMessage(r);
    } else if (PQntuples(r) > 0 && PQnfields(r) > 0) {
      value = PQgetvalue(r, 0, 0);
    }
    PQclear(r);
  }
  PQfinish(conn);
  if (!error.empty()) throw std::runtime_error("test server: " + sql + ": " + error);
  return value;
}

}  // namespace

void PrintTo(Backend backend, std::ostream* os) {
  *os << (backend == Backend::postgres ? "postgres" : "sqlite");
}

std::string unavailable(Backend backend) {
  if (backend == Backend::postgres && !test_server()) {
    return "REKAP_TEST_PG is not set: the PostgreSQL store's tests need a server (`ctest -R "
           "store_postgres` starts one with tests/pg/with-postgres.sh)";
  }
  return "";
}

std::unique_ptr<TestDatabase> make_test_database(Backend backend) {
  if (backend == Backend::postgres) return std::make_unique<PostgresTestDatabase>();
  return std::make_unique<SqliteTestDatabase>();
}

PostgresTestDatabase::PostgresTestDatabase() : PostgresTestDatabase("") {}

std::unique_ptr<PostgresTestDatabase> PostgresTestDatabase::copy() const {
  return std::unique_ptr<PostgresTestDatabase>(new PostgresTestDatabase(dbname_));
}

PostgresTestDatabase::PostgresTestDatabase(const std::string& template_db) {
  static std::atomic<int> counter{0};
  dbname_ = "rekap_test_" + std::to_string(::getpid()) + "_" + std::to_string(++counter);
  PGconn* conn = PQconnectdb(test_server());
  if (PQstatus(conn) != CONNECTION_OK) {
    const std::string error = PQerrorMessage(conn);
    PQfinish(conn);
    throw std::runtime_error("test server (REKAP_TEST_PG): " + error);
  }
  host_ = PQhost(conn);
  port_ = PQport(conn);
  user_ = PQuser(conn);
  PQfinish(conn);
  on_server("CREATE DATABASE " + dbname_ + (template_db.empty() ? "" : " TEMPLATE " + template_db));
}

PostgresTestDatabase::~PostgresTestDatabase() {
  try {
    // FORCE: a test that failed may have left a store open.
    on_server("DROP DATABASE " + dbname_ + " WITH (FORCE)");
  } catch (const std::exception& e) {
    ADD_FAILURE() << e.what();
  }
}

std::string PostgresTestDatabase::location() const {
  return "host=" + host_ + " port=" + port_ + " user=" + user_ + " dbname=" + dbname_;
}

void PostgresTestDatabase::set_schema_version(int version) {
  in_database("UPDATE rekap_schema SET version = " + std::to_string(version));
}

void PostgresTestDatabase::make_version_1() {
  in_database(
      "DROP TABLE images, queue, answers; DROP TABLE report_fields; DROP TABLE reports; "
      "UPDATE rekap_schema SET version = 1");
}

std::pair<std::string, std::string> PostgresTestDatabase::unopenable() const {
  const std::string missing = dbname_ + "_missing";
  return {"host=" + host_ + " port=" + port_ + " user=" + user_ + " dbname=" + missing, missing};
}

std::string PostgresTestDatabase::on_server(const std::string& sql) const {
  return run(test_server(), sql);
}

std::string PostgresTestDatabase::in_database(const std::string& sql) const {
  return run(location(), sql);
}

}  // namespace rekap
