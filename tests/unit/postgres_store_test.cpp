// The PostgreSQL store where a server differs from a file: connection strings (several hosts, a
// URI), servers that refuse (unreachable, a wrong password, read-only), a newer rekap's schema,
// a failed append seen from another session, and sessions the server closes. The contract
// every store keeps is store_test.cpp's. Skipped unless REKAP_TEST_PG names a server
// (tests/pg/with-postgres.sh).
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <memory>
#include <string>

#include "crypto/keys.hpp"
#include "server/open_storage.hpp"
#include "store/postgres/postgres_store.hpp"
#include "unit/store_backends.hpp"

namespace rekap {
namespace {

constexpr const char* kTpsA = "3171011001001";
constexpr const char* kTpsB = "3171011001002";

// A port of 127.0.0.1 where nothing listens: bound, then closed.
std::string refusing_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  EXPECT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  EXPECT_EQ(::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len), 0);
  ::close(fd);
  return std::to_string(ntohs(addr.sin_port));
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// The StoreError that opening `where` throws.
std::string open_error(const std::string& where) {
  try {
    open_store(where);
  } catch (const StoreError& e) {
    return e.what();
  }
  ADD_FAILURE() << "opened " << where;
  return "";
}

class PostgresStoreTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { crypto_init(); }
  void SetUp() override {
    if (const std::string why = unavailable(Backend::postgres); !why.empty()) GTEST_SKIP() << why;
    db_ = std::make_unique<PostgresTestDatabase>();
  }
  std::unique_ptr<Store> open() { return open_store(db_->location()); }
  std::string rows(const std::string& table) const {
    return db_->in_database("SELECT count(*) FROM " + table);
  }

  std::unique_ptr<PostgresTestDatabase> db_;
};

TEST_F(PostgresStoreTest, SeveralHostsSkipOneThatRefuses) {
  const std::string dead = refusing_port();
  const std::string& host = db_->host();
  auto store = open_store("host=" + host + "," + host + " port=" + dead + "," + db_->port() +
                          " user=" + db_->user() + " dbname=" + db_->dbname() +
                          " target_session_attrs=read-write");
  EXPECT_NE(dynamic_cast<PostgresStore*>(store.get()), nullptr);
  store->append({make_statement(0, kTpsA, 0)}, {{kTpsA, 0, 0}}, {});
  store.reset();

  // The same as a URI.
  auto again =
      open_store("postgresql://" + db_->user() + "@" + host + ":" + dead + "," + host + ":" +
                 db_->port() + "/" + db_->dbname() + "?target_session_attrs=read-write");
  EXPECT_EQ(again->size(), 1u);
  expect_same(*again->get(0), make_statement(0, kTpsA, 0));
}

TEST_F(PostgresStoreTest, UnreachableServerIsNamedWithoutThePassword) {
  const std::string dead = refusing_port();
  const std::string secret = "s3cret-never-shown";
  for (const std::string& where :
       {"host=127.0.0.1 port=" + dead + " dbname=" + db_->dbname() + " password=" + secret,
        "postgresql://rekap:" + secret + "@127.0.0.1:" + dead + "/" + db_->dbname()}) {
    const std::string message = open_error(where);
    EXPECT_TRUE(contains(message, "cannot connect")) << message;
    EXPECT_TRUE(contains(message, "port=" + dead)) << message;
    EXPECT_TRUE(contains(message, "dbname=" + db_->dbname())) << message;
    EXPECT_FALSE(contains(message, secret)) << message;
  }
}

TEST_F(PostgresStoreTest, FailedAuthenticationIsNamedWithoutThePassword) {
  // tests/pg/with-postgres.sh makes this role give its password over TCP.
  db_->on_server("DROP ROLE IF EXISTS rekap_password_test");
  db_->on_server("CREATE ROLE rekap_password_test LOGIN PASSWORD 'right-password'");
  const std::string where = "host=" + db_->host() + " port=" + db_->port() +
                            " dbname=" + db_->dbname() + " user=rekap_password_test";
  std::string wrong, none;
  try {
    open_store(where + " password=wrong-password-x");
  } catch (const StoreError& e) {
    wrong = e.what();
  }
  try {
    open_store(where);
  } catch (const StoreError& e) {
    none = e.what();
  }
  db_->on_server("DROP ROLE rekap_password_test");
  if (wrong.empty()) GTEST_SKIP() << "the server does not ask rekap_password_test for a password";
  EXPECT_TRUE(contains(wrong, "cannot connect")) << wrong;
  EXPECT_TRUE(contains(wrong, "password authentication failed")) << wrong;
  EXPECT_FALSE(contains(wrong, "wrong-password-x")) << wrong;
  EXPECT_TRUE(contains(none, "the server asks for a password")) << none;
}

TEST_F(PostgresStoreTest, ReadOnlyServerRefusesAppendsAndNothingIsWritten) {
  open()->append({make_statement(0, kTpsA, 0)}, {{kTpsA, 0, 0}}, {});
  // What a hot standby is to its clients: every transaction read-only.
  db_->on_server("ALTER DATABASE " + db_->dbname() + " SET default_transaction_read_only = on");
  auto store = open();
  EXPECT_EQ(store->size(), 1u);
  expect_same(*store->get(0), make_statement(0, kTpsA, 0));
  try {
    store->append({make_statement(1, kTpsA, 0)}, {{kTpsA, 0, 1}}, {});
    FAIL() << "expected StoreError";
  } catch (const StoreError& e) {
    const std::string message = e.what();
    EXPECT_TRUE(contains(message, "append statements 1..2")) << message;
    EXPECT_TRUE(contains(message, "the server takes no writes (a read-only standby")) << message;
    EXPECT_TRUE(contains(message, "nothing was written")) << message;
  }
  EXPECT_THROW(store->put_meta("k", "v"), StoreError);
  EXPECT_EQ(store->size(), 1u);
  EXPECT_EQ(rows("statements"), "1");
  EXPECT_EQ(db_->in_database("SELECT idx FROM current"), "0");
  EXPECT_EQ(rows("meta"), "0");
  store.reset();

  // Writable again, the log goes on where it was.
  db_->on_server("ALTER DATABASE " + db_->dbname() + " RESET default_transaction_read_only");
  store = open();
  store->append({make_statement(1, kTpsA, 0)}, {{kTpsA, 0, 1}}, {});
  EXPECT_EQ(store->size(), 2u);
}

TEST_F(PostgresStoreTest, ReadOnlyServerCannotGetASchema) {
  db_->on_server("ALTER DATABASE " + db_->dbname() + " SET default_transaction_read_only = on");
  const std::string message = open_error(db_->location());
  EXPECT_TRUE(contains(message, "create schema version 1")) << message;
  EXPECT_TRUE(contains(message, "the server takes no writes")) << message;
  EXPECT_EQ(db_->in_database("SELECT to_regclass('rekap_schema') IS NULL"), "t");
}

TEST_F(PostgresStoreTest, NewerSchemaIsRefusedAndLeftAsItIs) {
  open()->put_meta("election", "pemilu-2029");
  db_->set_schema_version(4);
  const std::string message = open_error(db_->location());
  EXPECT_TRUE(contains(message, "dbname=" + db_->dbname())) << message;
  EXPECT_TRUE(contains(message,
                       "schema version 4 is not supported (this rekap knows versions "
                       "up to 3)"))
      << message;
  EXPECT_EQ(db_->in_database("SELECT version FROM rekap_schema"), "4");
  EXPECT_EQ(db_->in_database("SELECT convert_from(value, 'UTF8') FROM meta"), "pemilu-2029");
}

TEST_F(PostgresStoreTest, AppendFailingAtItsLastStepLeavesNothingForAnySession) {
  auto store = open();
  store->append({make_statement(0, kTpsA, 0)}, {{kTpsA, 0, 0}}, {});
  // The statements and the tree node go in first; the current result, last, is not UTF-8.
  try {
    store->append({make_statement(1, kTpsB, 0)}, {{"\xff", 0, 1}}, {{1, 0, sha256("node")}});
    FAIL() << "expected StoreError";
  } catch (const StoreError& e) {
    EXPECT_TRUE(contains(e.what(), "update current results")) << e.what();
  }
  EXPECT_EQ(store->size(), 1u);
  EXPECT_EQ(rows("statements"), "1");
  EXPECT_EQ(rows("tree"), "0");
  EXPECT_EQ(rows("current"), "1");
  store->append({make_statement(1, kTpsB, 0)}, {{kTpsB, 0, 1}}, {{1, 0, sha256("node")}});
  EXPECT_EQ(rows("statements"), "2");
  EXPECT_EQ(rows("tree"), "1");
}

TEST_F(PostgresStoreTest, SessionsTheServerClosedAreOpenedAgain) {
  auto store = open();
  store->append({make_statement(0, kTpsA, 0)}, {{kTpsA, 0, 0}}, {});
  const std::string others = "FROM pg_stat_activity WHERE datname = '" + db_->dbname() + "'";
  db_->on_server("SELECT count(pg_terminate_backend(pid)) " + others);
  while (db_->on_server("SELECT count(*) " + others) != "0") ::usleep(10'000);

  // Each read connection finds its session gone and reads again on a new one.
  for (int i = 0; i < 8; ++i) expect_same(*store->get(0), make_statement(0, kTpsA, 0));
  // The writer finds it at BEGIN, before anything of the append was sent.
  store->append({make_statement(1, kTpsA, 0)}, {{kTpsA, 0, 1}}, {});
  EXPECT_EQ(store->size(), 2u);
  EXPECT_EQ(rows("statements"), "2");
}

}  // namespace
}  // namespace rekap
