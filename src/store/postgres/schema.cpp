#include "store/postgres/schema.hpp"

#include <spdlog/spdlog.h>

#include <iterator>

namespace rekap::pg {
namespace {

// Version 1: the log (statements and the roots of complete subtrees) and the result in force
// per TPS and ballot. TPS codes compare byte by byte (COLLATE "C") whatever the database's
// locale, so that a code's prefix range holds exactly the codes under it. toast_tuple_target at
// its largest keeps a statement (1-3 KB) in its row, uncompressed: compressing would cost the
// writer time for bytes that are mostly numbers and signatures.
constexpr const char* kSchema = R"sql(
CREATE TABLE rekap_schema(version integer NOT NULL);
INSERT INTO rekap_schema VALUES (1);
CREATE TABLE meta(key text PRIMARY KEY, value bytea NOT NULL);
CREATE TABLE definition(name text PRIMARY KEY, content bytea NOT NULL);
CREATE TABLE statements(
  idx bigint PRIMARY KEY CHECK (idx >= 0),
  id bytea NOT NULL UNIQUE,
  body bytea NOT NULL,
  sig bytea NOT NULL,
  tps text COLLATE "C",
  ballot smallint,
  received_ms bigint NOT NULL,
  leaf bytea NOT NULL) WITH (toast_tuple_target = 8160);
CREATE INDEX statements_tps ON statements(tps, idx);
CREATE TABLE current(
  tps text COLLATE "C" NOT NULL,
  ballot smallint NOT NULL,
  idx bigint NOT NULL,
  PRIMARY KEY(tps, ballot));
CREATE TABLE tree(
  level smallint NOT NULL,
  idx bigint NOT NULL,
  hash bytea NOT NULL,
  PRIMARY KEY(level, idx));
)sql";

// Version 2: citizens' reports. Not statements: nothing in the log refers to them.
constexpr const char* kReportsSchema = R"sql(
CREATE TABLE reports(
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tps text COLLATE "C" NOT NULL,
  ballot smallint NOT NULL,
  text text NOT NULL,
  statement bytea,
  image bytea,
  received_ms bigint NOT NULL);
CREATE INDEX reports_tps ON reports(tps, id);
CREATE TABLE report_fields(
  report bigint NOT NULL REFERENCES reports(id),
  pos integer NOT NULL,
  field text COLLATE "C" NOT NULL,
  PRIMARY KEY(report, pos));
)sql";

// Version 3: several nodes. The form photos, so that every node reads them and they survive
// the loss of a machine as the log does (JPEG is already compressed: EXTERNAL storage moves it
// out of line without trying again); the statements the nodes hand the sequencer, and its
// answers, until the node that queued a statement has read its answer.
constexpr const char* kNodesSchema = R"sql(
CREATE TABLE images(hash bytea PRIMARY KEY, bytes bytea NOT NULL);
ALTER TABLE images ALTER COLUMN bytes SET STORAGE EXTERNAL;
CREATE TABLE queue(
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  body bytea NOT NULL,
  sig bytea NOT NULL,
  queued_at timestamptz NOT NULL DEFAULT now());
CREATE TABLE answers(
  id bigint PRIMARY KEY,
  answer bytea NOT NULL,
  answered_at timestamptz NOT NULL DEFAULT now());
)sql";

// kMigrations[v] takes a database from version v to v + 1.
constexpr const char* kMigrations[] = {kSchema, kReportsSchema, kNodesSchema};
constexpr int kSchemaVersion = static_cast<int>(std::size(kMigrations));

// The advisory lock that serialises schema changes ("rekap" and 1); other rekap locks take
// other keys.
constexpr const char* kLockSchema = "SELECT pg_advisory_xact_lock(x'72656b6170000001'::bigint)";

}  // namespace

void prepare_schema(Connection& conn, OpenMode mode) {
  Transaction tx(conn, "check the schema");
  conn.exec(kLockSchema, "lock the schema");
  Result exists = conn.query_sql("SELECT (to_regclass('rekap_schema') IS NOT NULL)::int", {},
                                 "look for the schema version");
  int version = 0;
  if (integer(exists.get(), 0, 0, conn.label()) != 0) {
    Result row = conn.query_sql("SELECT version FROM rekap_schema", {}, "read schema version");
    if (PQntuples(row.get()) != 1) {
      throw StoreError(conn.label() + ": rekap_schema holds " +
                       std::to_string(PQntuples(row.get())) + " rows, not one");
    }
    version = static_cast<int>(integer(row.get(), 0, 0, conn.label()));
  }
  if (version == 0 && mode == OpenMode::existing) {
    throw StoreError(conn.label() +
                     " holds no rekap schema (no table rekap_schema): not a database that "
                     "`rekap init` made; nothing was written");
  }
  if (version < 0 || version > kSchemaVersion) {
    throw StoreError(conn.label() + ": schema version " + std::to_string(version) +
                     " is not supported (this rekap knows versions up to " +
                     std::to_string(kSchemaVersion) + ")");
  }
  if (version == kSchemaVersion) {
    tx.commit();
    return;
  }
  for (int v = version; v < kSchemaVersion; ++v) {
    conn.exec(kMigrations[v], "create schema version " + std::to_string(v + 1));
  }
  conn.exec("UPDATE rekap_schema SET version = " + std::to_string(kSchemaVersion),
            "set schema version");
  tx.commit();
  if (version == 0) {
    spdlog::info("{}: created schema version {}", conn.label(), kSchemaVersion);
  } else {
    spdlog::info("{}: schema version {} upgraded to {}", conn.label(), version, kSchemaVersion);
  }
}

}  // namespace rekap::pg
