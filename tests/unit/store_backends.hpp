#pragma once
// The databases the store's contract tests run on, one empty database per test: an SQLite file
// in a temporary directory, or a PostgreSQL database of its own, created for the test on the
// server that REKAP_TEST_PG names (a libpq keyword string; tests/pg/with-postgres.sh starts a
// throwaway server and sets it) and dropped after it. The contract tests take the backend as
// their parameter, so that every store passes the same tests. And the statements they store.
#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <ostream>
#include <string>
#include <utility>

#include "store/store.hpp"

namespace rekap {

// Statement `index` of a test log: its body holds a NUL byte, its signature and hashes are
// made up. crypto_init() first.
StoredStatement make_statement(std::uint64_t index, const std::string& tps, int ballot);
// Expects every field equal.
void expect_same(const StoredStatement& a, const StoredStatement& b);

enum class Backend { sqlite, postgres };
// "sqlite" or "postgres", in test names and messages.
void PrintTo(Backend backend, std::ostream* os);

// Why the backend's tests cannot run here, or "" if they can.
std::string unavailable(Backend backend);

class TestDatabase {
 public:
  virtual ~TestDatabase() = default;

  // What open_store opens: a path or a connection string.
  virtual std::string location() const = 0;
  // How the store's errors name the database.
  virtual std::string name() const = 0;
  // Stamps the schema version, as another rekap would have.
  virtual void set_schema_version(int version) = 0;
  // Makes the database what schema version 1 made: no report tables.
  virtual void make_version_1() = 0;
  // A location of this backend that cannot be opened, and how an error names it.
  virtual std::pair<std::string, std::string> unopenable() const = 0;
};

// An empty database; the backend must be available.
std::unique_ptr<TestDatabase> make_test_database(Backend backend);

// A test's own database on the server REKAP_TEST_PG names, with the superuser's powers over it.
class PostgresTestDatabase : public TestDatabase {
 public:
  PostgresTestDatabase();
  ~PostgresTestDatabase() override;
  // A new database with this one's content (CREATE DATABASE ... TEMPLATE): no session may be
  // open on this one.
  std::unique_ptr<PostgresTestDatabase> copy() const;
  PostgresTestDatabase(const PostgresTestDatabase&) = delete;
  PostgresTestDatabase& operator=(const PostgresTestDatabase&) = delete;

  std::string location() const override;
  std::string name() const override { return dbname_; }
  void set_schema_version(int version) override;
  void make_version_1() override;
  std::pair<std::string, std::string> unopenable() const override;

  const std::string& dbname() const { return dbname_; }
  // The server's address and the superuser, as REKAP_TEST_PG gives them.
  const std::string& host() const { return host_; }
  const std::string& port() const { return port_; }
  const std::string& user() const { return user_; }
  // Runs SQL as the superuser on the server's maintenance database (CREATE ROLE, ALTER
  // DATABASE, pg_terminate_backend) or in this test's database; returns the first column of
  // the first row, as text, or "".
  std::string on_server(const std::string& sql) const;
  std::string in_database(const std::string& sql) const;

 private:
  explicit PostgresTestDatabase(const std::string& template_db);
  std::string dbname_;
  std::string host_, port_, user_;
};

}  // namespace rekap
