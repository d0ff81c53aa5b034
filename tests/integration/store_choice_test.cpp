// `--store`: where `rekap init` puts an election and where `rekap serve` finds it, and each
// wrong store refused with an error that names it, before anything is written to it.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>

#include "client/http_client.hpp"
#include "server_process.hpp"

namespace rekap {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// The store an election's `--store` names, spelled out for SQLite too.
std::string store_of(const test::Election& e) {
  return e.store.empty() ? e.data_dir + "/rekap.db" : e.store;
}

std::int64_t statements_in(const test::Election& e) {
  test::ServerProcess server(e);
  HttpClient client(Url::parse(server.url()));
  return json::parse(client.get("/api/v1/health").body).at("statements").as_int64();
}

// Runs `rekap serve` expecting it to refuse at start; its output.
std::string refused_serve(const std::string& data_dir, const std::string& store) {
  std::string out;
  EXPECT_NE(test::run_rekap(
                {"serve", "--data", data_dir, "--store", store, "--listen", "127.0.0.1:0"}, &out),
            0)
      << out;
  return out;
}

TEST(StoreChoice, ServeRefusesTheStoreOfAnotherElection) {
  test::Election a("tiny", 1);
  test::Election b("tiny", 2);
  const std::string out = refused_serve(a.data_dir, store_of(b));
  EXPECT_TRUE(contains(out, a.data_dir + "/log.key is not the log key of election sim-tiny-2"))
      << out;
  EXPECT_TRUE(contains(out, "belong to different elections")) << out;
  EXPECT_EQ(statements_in(b), 1) << "b's store still holds its genesis alone";
}

TEST(StoreChoice, InitRefusesAStoreThatHoldsAnElection) {
  test::Election a("tiny", 1);
  const std::string fresh = a.dir / "fresh";
  std::string out;
  EXPECT_NE(test::run_rekap({"init", "--data", fresh, "--def", a.def_dir, "--store", store_of(a),
                             "--admin-key", a.admin_key},
                            &out),
            0);
  EXPECT_TRUE(contains(out, "already holds an election (log rekap.local/sim-tiny-1)")) << out;
  EXPECT_FALSE(fs::exists(fresh)) << "nothing is made for a refused election";
  EXPECT_EQ(statements_in(a), 1);
}

TEST(StoreChoice, ServeNeedsTheLogKeyInItsDataDirectory) {
  test::Election a("tiny", 1);
  const std::string node = a.dir / "node-b";
  fs::create_directories(node);
  std::string out = refused_serve(node, store_of(a));
  EXPECT_TRUE(contains(out, node + "/log.key is missing")) << out;
  // With the log key copied, a second data directory serves the same election.
  fs::copy_file(a.data_dir + "/log.key", node + "/log.key");
  test::ServerProcess server(node, store_of(a));
  HttpClient client(Url::parse(server.url()));
  EXPECT_EQ(json::parse(client.get("/api/v1/health").body).at("statements").as_int64(), 1);
}

class PostgresStoreChoice : public ::testing::Test {
 protected:
  void SetUp() override {
    if (const std::string why = unavailable(Backend::postgres); !why.empty()) GTEST_SKIP() << why;
  }
};

TEST_F(PostgresStoreChoice, ServeWritesNothingToADatabaseWithoutRekapsSchema) {
  test::Election a("tiny", 1);
  PostgresTestDatabase other;
  const std::string out = refused_serve(a.data_dir, other.location());
  EXPECT_TRUE(contains(out, "dbname=" + other.dbname())) << out;
  EXPECT_TRUE(contains(out, "holds no rekap schema")) << out;
  EXPECT_EQ(other.in_database("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"), "0");
}

TEST_F(PostgresStoreChoice, ServeRefusesAServerThatTakesNoWrites) {
  test::Election a("tiny", 1);
  PostgresTestDatabase db;
  ASSERT_EQ(test::run_rekap({"init", "--data", a.dir / "pg", "--def", a.def_dir, "--store",
                             db.location(), "--admin-key", a.admin_key}),
            0);
  // What a hot standby is to its clients.
  db.on_server("ALTER DATABASE " + db.dbname() + " SET default_transaction_read_only = on");
  const std::string out = refused_serve(a.dir / "pg", db.location());
  EXPECT_TRUE(contains(out, "dbname=" + db.dbname())) << out;
  EXPECT_TRUE(contains(out, "the server takes no writes")) << out;
  EXPECT_TRUE(contains(out, "target_session_attrs=read-write")) << out;
}

TEST_F(PostgresStoreChoice, AnUnreachableServerIsNamed) {
  test::Election a("tiny", 1);
  const std::string out = refused_serve(a.data_dir, "host=127.0.0.1 port=1 dbname=rekap");
  EXPECT_TRUE(contains(out, "postgres store host=127.0.0.1 port=1 dbname=rekap")) << out;
  EXPECT_TRUE(contains(out, "cannot connect")) << out;
}

}  // namespace
}  // namespace rekap
