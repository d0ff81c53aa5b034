#include "store/sqlite/sqlite_store.hpp"

#include <spdlog/spdlog.h>
#include <sqlite3.h>

#include <array>
#include <cstdlib>
#include <cstring>
#include <iterator>
#include <limits>
#include <string_view>
#include <utility>

#include "store/append_check.hpp"

namespace rekap {
namespace {

constexpr int kBusyTimeoutMs = 10000;
constexpr std::size_t kReadConnections = 4;
constexpr int kScanBatch = 512;

constexpr const char* kSchema = R"sql(
CREATE TABLE meta(key TEXT PRIMARY KEY, value BLOB);
CREATE TABLE definition(name TEXT PRIMARY KEY, content BLOB);
CREATE TABLE statements(
  idx INTEGER PRIMARY KEY,
  id BLOB NOT NULL UNIQUE,
  body BLOB NOT NULL,
  sig BLOB NOT NULL,
  tps TEXT,
  ballot INTEGER,
  received_ms INTEGER NOT NULL,
  leaf BLOB NOT NULL);
CREATE INDEX statements_tps ON statements(tps, idx);
CREATE TABLE current(
  tps TEXT NOT NULL,
  ballot INTEGER NOT NULL,
  idx INTEGER NOT NULL,
  PRIMARY KEY(tps, ballot)) WITHOUT ROWID;
CREATE TABLE tree(
  level INTEGER NOT NULL,
  idx INTEGER NOT NULL,
  hash BLOB NOT NULL,
  PRIMARY KEY(level, idx)) WITHOUT ROWID;
)sql";

// Citizens' reports (version 2). Not statements: nothing in the log refers to them.
constexpr const char* kReportsSchema = R"sql(
CREATE TABLE reports(
  id INTEGER PRIMARY KEY,
  tps TEXT NOT NULL,
  ballot INTEGER NOT NULL,
  text TEXT NOT NULL,
  statement BLOB,
  image BLOB,
  received_ms INTEGER NOT NULL);
CREATE INDEX reports_tps ON reports(tps, id);
CREATE TABLE report_fields(
  report INTEGER NOT NULL REFERENCES reports(id),
  pos INTEGER NOT NULL,
  field TEXT NOT NULL,
  PRIMARY KEY(report, pos)) WITHOUT ROWID;
)sql";

// kMigrations[v] takes a file from schema version v to v + 1; a new file runs them all, an
// existing one those it lacks, in the transaction that checks the version.
constexpr const char* kMigrations[] = {kSchema, kReportsSchema};
constexpr int kSchemaVersion = static_cast<int>(std::size(kMigrations));

// Report codes are digits, so every code starting with a prefix sorts below prefix + "~": the
// range lets the reports_tps index find them.
constexpr char kAfterDigits = '~';

constexpr const char* kStatementColumns = "idx, id, body, sig, tps, ballot, received_ms, leaf";

std::string context(const std::string& path, std::string_view what) {
  std::string out = "sqlite store ";
  out += path;
  out += ": ";
  out += what;
  return out;
}

[[noreturn]] void fail(sqlite3* db, const std::string& path, std::string_view what) {
  throw StoreError(context(path, what) + ": " + sqlite3_errmsg(db));
}

struct DbCloser {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
using DbHandle = std::unique_ptr<sqlite3, DbCloser>;

DbHandle open_connection(const std::string& path) {
  sqlite3* raw = nullptr;
  // NOMUTEX: each connection is guarded by our own mutex, so SQLite's would be redundant.
  const int rc =
      sqlite3_open_v2(path.c_str(), &raw,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  DbHandle db(raw);
  if (rc != SQLITE_OK) {
    throw StoreError(context(path, "open") + ": " +
                     (raw ? sqlite3_errmsg(raw) : sqlite3_errstr(rc)));
  }
  sqlite3_extended_result_codes(raw, 1);
  sqlite3_busy_timeout(raw, kBusyTimeoutMs);
  return db;
}

void exec(sqlite3* db, const std::string& path, const std::string& sql, std::string_view what) {
  if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) fail(db, path, what);
}

// A prepared statement, prepared once and reused for the connection's lifetime.
class Stmt {
 public:
  Stmt(sqlite3* db, const std::string& path, const std::string& sql) {
    if (sqlite3_prepare_v3(db, sql.c_str(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT,
                           &stmt_, nullptr) != SQLITE_OK) {
      fail(db, path, "prepare '" + sql + "'");
    }
  }
  ~Stmt() { sqlite3_finalize(stmt_); }
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  sqlite3_stmt* get() const { return stmt_; }

 private:
  sqlite3_stmt* stmt_ = nullptr;
};

// Resets a cached statement when the scope ends, even by exception, so that a reader does not
// keep its read transaction (and the WAL snapshot it pins) open.
class Use {
 public:
  explicit Use(const Stmt& stmt) : stmt_(stmt.get()) {}
  ~Use() { sqlite3_reset(stmt_); }
  Use(const Use&) = delete;
  Use& operator=(const Use&) = delete;
  sqlite3_stmt* get() const { return stmt_; }

 private:
  sqlite3_stmt* stmt_;
};

void bind_blob(sqlite3_stmt* s, int i, std::string_view bytes) {
  // A null pointer would bind SQL NULL; a zero-length view may carry one.
  static const char kEmpty = 0;
  sqlite3_bind_blob64(s, i, bytes.empty() ? &kEmpty : bytes.data(), bytes.size(), SQLITE_STATIC);
}

void bind_text(sqlite3_stmt* s, int i, std::string_view text) {
  sqlite3_bind_text64(s, i, text.data(), text.size(), SQLITE_STATIC, SQLITE_UTF8);
}

void bind_text_or_null(sqlite3_stmt* s, int i, std::string_view text) {
  if (text.empty()) {
    sqlite3_bind_null(s, i);
  } else {
    bind_text(s, i, text);
  }
}

void bind_index(sqlite3_stmt* s, int i, std::uint64_t index) {
  sqlite3_bind_int64(s, i, static_cast<sqlite3_int64>(index));
}

std::string column_bytes(sqlite3_stmt* s, int i) {
  const void* data = sqlite3_column_blob(s, i);
  const int n = sqlite3_column_bytes(s, i);
  return data ? std::string(static_cast<const char*>(data), n) : std::string();
}

template <std::size_t N>
void column_array(sqlite3_stmt* s, int i, std::array<std::uint8_t, N>& out,
                  const std::string& path) {
  const void* data = sqlite3_column_blob(s, i);
  if (!data || sqlite3_column_bytes(s, i) != static_cast<int>(N)) {
    throw StoreError(context(path, "corrupt row: column ") + sqlite3_column_name(s, i) +
                     " of statement " + std::to_string(sqlite3_column_int64(s, 0)) + " is not " +
                     std::to_string(N) + " bytes");
  }
  std::memcpy(out.data(), data, N);
}

// Reads a row selected with kStatementColumns. Assigns into out so a reused object keeps its
// buffers.
void read_statement(sqlite3_stmt* s, StoredStatement& out, const std::string& path) {
  out.index = static_cast<std::uint64_t>(sqlite3_column_int64(s, 0));
  column_array(s, 1, out.id, path);
  const void* body = sqlite3_column_blob(s, 2);
  out.body.assign(body ? static_cast<const char*>(body) : "",
                  static_cast<std::size_t>(sqlite3_column_bytes(s, 2)));
  column_array(s, 3, out.signature, path);
  const auto* tps = reinterpret_cast<const char*>(sqlite3_column_text(s, 4));
  out.tps.assign(tps ? tps : "", static_cast<std::size_t>(sqlite3_column_bytes(s, 4)));
  out.ballot = sqlite3_column_type(s, 5) == SQLITE_NULL ? -1 : sqlite3_column_int(s, 5);
  out.received_ms = sqlite3_column_int64(s, 6);
  column_array(s, 7, out.leaf, path);
}

std::string select_statements(std::string_view where) {
  return std::string("SELECT ") + kStatementColumns + " FROM statements " + std::string(where);
}

}  // namespace

struct SqliteStore::Writer {
  Writer(DbHandle handle, const std::string& path)
      : db(std::move(handle)),
        begin(db.get(), path, "BEGIN IMMEDIATE"),
        commit(db.get(), path, "COMMIT"),
        rollback(db.get(), path, "ROLLBACK"),
        insert_statement(db.get(), path,
                         "INSERT INTO statements(idx, id, body, sig, tps, ballot, received_ms, "
                         "leaf) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"),
        insert_node(db.get(), path, "INSERT INTO tree(level, idx, hash) VALUES(?1, ?2, ?3)"),
        put_current(db.get(), path,
                    "INSERT OR REPLACE INTO current(tps, ballot, idx) VALUES(?1, ?2, ?3)"),
        put_meta(db.get(), path, "INSERT OR REPLACE INTO meta(key, value) VALUES(?1, ?2)"),
        clear_definition(db.get(), path, "DELETE FROM definition"),
        put_definition(db.get(), path, "INSERT INTO definition(name, content) VALUES(?1, ?2)"),
        insert_report(db.get(), path,
                      "INSERT INTO reports(tps, ballot, text, statement, image, received_ms) "
                      "VALUES(?1, ?2, ?3, ?4, ?5, ?6)"),
        insert_report_field(db.get(), path,
                            "INSERT INTO report_fields(report, pos, field) VALUES(?1, ?2, ?3)") {}

  std::mutex mu;
  DbHandle db;  // declared before the statements so that it is closed after they are finalized
  Stmt begin, commit, rollback;
  Stmt insert_statement, insert_node, put_current, put_meta, clear_definition, put_definition;
  Stmt insert_report, insert_report_field;
};

struct SqliteStore::Reader {
  Reader(DbHandle handle, const std::string& path)
      : db(std::move(handle)),
        get_meta(db.get(), path, "SELECT value FROM meta WHERE key = ?1"),
        load_definition(db.get(), path, "SELECT name, content FROM definition"),
        get(db.get(), path, select_statements("WHERE idx = ?1")),
        // IS, not =, so that "" (bound as NULL) finds the statements about no TPS.
        by_tps(db.get(), path, select_statements("WHERE tps IS ?1 ORDER BY idx")),
        current_of(db.get(), path,
                   "SELECT ballot, idx FROM current WHERE tps = ?1 ORDER BY ballot"),
        scan(db.get(), path,
             select_statements("WHERE idx >= ?1 AND idx < ?2 ORDER BY idx LIMIT ?3")),
        leaves(db.get(), path,
               "SELECT leaf FROM statements WHERE idx >= ?1 AND idx < ?2 ORDER BY idx"),
        nodes(db.get(), path,
              "SELECT hash FROM tree WHERE level = ?1 AND idx >= ?2 AND idx < ?3 ORDER BY idx"),
        reports(db.get(), path,
                "SELECT id, tps, ballot, text, statement, image, received_ms, "
                "(SELECT group_concat(field, ' ') FROM (SELECT field FROM report_fields "
                "WHERE report = reports.id ORDER BY pos)) "
                "FROM reports WHERE tps >= ?1 AND tps < ?2 ORDER BY id DESC LIMIT ?3"),
        report_totals(db.get(), path,
                      "SELECT COUNT(*), COUNT(DISTINCT tps) FROM reports "
                      "WHERE tps >= ?1 AND tps < ?2"),
        report_ballots(db.get(), path,
                       "SELECT ballot, COUNT(*) FROM reports WHERE tps >= ?1 AND tps < ?2 "
                       "GROUP BY ballot"),
        report_fields(db.get(), path,
                      "SELECT r.ballot, f.field, COUNT(*) FROM report_fields f "
                      "JOIN reports r ON r.id = f.report WHERE r.tps >= ?1 AND r.tps < ?2 "
                      "GROUP BY r.ballot, f.field"),
        report_groups(db.get(), path,
                      "SELECT substr(tps, 1, ?3) AS code, COUNT(*) AS n, MAX(received_ms) "
                      "FROM reports WHERE tps >= ?1 AND tps < ?2 "
                      "GROUP BY code ORDER BY n DESC, code LIMIT ?4") {}

  std::mutex mu;
  DbHandle db;
  Stmt get_meta, load_definition, get, by_tps, current_of, scan, leaves, nodes;
  Stmt reports, report_totals, report_ballots, report_fields, report_groups;
};

namespace {

// BEGIN IMMEDIATE ... COMMIT on the write connection; rolls back unless committed.
class Transaction {
 public:
  Transaction(sqlite3* db, const Stmt& begin, const Stmt& commit, const Stmt& rollback,
              const std::string& path, std::string what)
      : db_(db), commit_(commit), rollback_(rollback), path_(path), what_(std::move(what)) {
    Use use(begin);
    if (sqlite3_step(use.get()) != SQLITE_DONE) fail(db_, path_, what_ + ": begin transaction");
  }
  ~Transaction() {
    // SQLite may already have rolled back by itself (e.g. on a full disk).
    if (committed_ || sqlite3_get_autocommit(db_)) return;
    Use use(rollback_);
    if (sqlite3_step(use.get()) != SQLITE_DONE) {
      spdlog::error("{}: rollback failed: {}", context(path_, what_), sqlite3_errmsg(db_));
    }
  }
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

  void commit() {
    Use use(commit_);
    if (sqlite3_step(use.get()) != SQLITE_DONE) fail(db_, path_, what_ + ": commit");
    committed_ = true;
  }

 private:
  sqlite3* db_;
  const Stmt& commit_;
  const Stmt& rollback_;
  const std::string& path_;
  std::string what_;
  bool committed_ = false;
};

void step_done(const Stmt& stmt, sqlite3* db, const std::string& path, std::string_view what) {
  if (sqlite3_step(stmt.get()) != SQLITE_DONE) fail(db, path, what);
}

}  // namespace

SqliteStore::SqliteStore(std::string path) : path_(std::move(path)) {}

SqliteStore::~SqliteStore() = default;

std::unique_ptr<SqliteStore> SqliteStore::open(const std::string& path) {
  std::unique_ptr<SqliteStore> store(new SqliteStore(path));
  DbHandle db = open_connection(path);
  sqlite3* raw = db.get();

  // journal_mode answers with the mode in force, which stays "delete" on a file system without
  // shared memory instead of failing.
  std::string mode;
  const auto read_mode = [](void* out, int, char** values, char**) {
    *static_cast<std::string*>(out) = values[0] ? values[0] : "";
    return 0;
  };
  if (sqlite3_exec(raw, "PRAGMA journal_mode=WAL", read_mode, &mode, nullptr) != SQLITE_OK) {
    fail(raw, path, "set journal_mode=WAL");
  }
  if (mode != "wal") throw StoreError(context(path, "journal_mode is '" + mode + "', not 'wal'"));
  // FULL: an append is acknowledged to clients as soon as it returns, so it must be on disk.
  exec(raw, path, "PRAGMA synchronous=FULL", "set synchronous=FULL");

  // Create or check the schema inside a write transaction, so two processes opening a new file
  // at once do not both create it.
  exec(raw, path, "BEGIN IMMEDIATE", "begin schema transaction");
  try {
    int version = -1;
    const auto read_version = [](void* out, int, char** values, char**) {
      *static_cast<int*>(out) = values[0] ? std::atoi(values[0]) : 0;
      return 0;
    };
    if (sqlite3_exec(raw, "PRAGMA user_version", read_version, &version, nullptr) != SQLITE_OK) {
      fail(raw, path, "read schema version");
    }
    if (version < 0 || version > kSchemaVersion) {
      throw StoreError(context(path, "schema version " + std::to_string(version) +
                                         " is not supported (this rekap knows versions up to " +
                                         std::to_string(kSchemaVersion) + ")"));
    }
    if (version < kSchemaVersion) {
      for (int v = version; v < kSchemaVersion; ++v) {
        exec(raw, path, kMigrations[v], "schema version " + std::to_string(v + 1));
      }
      exec(raw, path, "PRAGMA user_version=" + std::to_string(kSchemaVersion),
           "set schema version");
      if (version == 0) {
        spdlog::info("sqlite store {}: created schema version {}", path, kSchemaVersion);
      } else {
        spdlog::info("sqlite store {}: schema version {} upgraded to {}", path, version,
                     kSchemaVersion);
      }
    }
    exec(raw, path, "COMMIT", "commit schema");
  } catch (...) {
    sqlite3_exec(raw, "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }

  store->writer_ = std::make_unique<Writer>(std::move(db), path);
  for (std::size_t i = 0; i < kReadConnections; ++i) {
    DbHandle reader = open_connection(path);
    // Guards against a read path ever writing through a reader.
    exec(reader.get(), path, "PRAGMA query_only=1", "set query_only on a read connection");
    store->readers_.push_back(std::make_unique<Reader>(std::move(reader), path));
  }

  {
    Stmt max_index(raw, path, "SELECT COALESCE(MAX(idx) + 1, 0) FROM statements");
    if (sqlite3_step(max_index.get()) != SQLITE_ROW) fail(raw, path, "read log size");
    store->size_ = static_cast<std::uint64_t>(sqlite3_column_int64(max_index.get(), 0));
  }
  spdlog::info("sqlite store {}: opened, {} statements", path, store->size_.load());
  return store;
}

SqliteStore::Reader& SqliteStore::reader(std::unique_lock<std::mutex>& lock) {
  const std::size_t start = next_reader_.fetch_add(1, std::memory_order_relaxed);
  for (std::size_t i = 0; i < readers_.size(); ++i) {
    Reader& r = *readers_[(start + i) % readers_.size()];
    lock = std::unique_lock<std::mutex>(r.mu, std::try_to_lock);
    if (lock.owns_lock()) return r;
  }
  Reader& r = *readers_[start % readers_.size()];
  lock = std::unique_lock<std::mutex>(r.mu);
  return r;
}

std::optional<std::string> SqliteStore::get_meta(const std::string& key) {
  std::unique_lock<std::mutex> lock;
  Reader& r = reader(lock);
  Use q(r.get_meta);
  bind_text(q.get(), 1, key);
  switch (sqlite3_step(q.get())) {
    case SQLITE_ROW:
      return column_bytes(q.get(), 0);
    case SQLITE_DONE:
      return std::nullopt;
    default:
      fail(r.db.get(), path_, "read meta '" + key + "'");
  }
}

void SqliteStore::put_meta(const std::string& key, const std::string& value) {
  std::lock_guard<std::mutex> lock(writer_->mu);
  Use q(writer_->put_meta);
  bind_text(q.get(), 1, key);
  bind_blob(q.get(), 2, value);
  step_done(writer_->put_meta, writer_->db.get(), path_, "write meta '" + key + "'");
}

void SqliteStore::save_definition(const DefinitionFiles& files) {
  std::lock_guard<std::mutex> lock(writer_->mu);
  Writer& w = *writer_;
  Transaction tx(w.db.get(), w.begin, w.commit, w.rollback, path_, "save definition");
  {
    Use q(w.clear_definition);
    step_done(w.clear_definition, w.db.get(), path_, "save definition: clear old files");
  }
  for (const auto& [name, content] : files) {
    Use q(w.put_definition);
    bind_text(q.get(), 1, name);
    bind_blob(q.get(), 2, content);
    step_done(w.put_definition, w.db.get(), path_, "save definition: write " + name);
  }
  tx.commit();
  spdlog::info("sqlite store {}: saved definition ({} files)", path_, files.size());
}

std::optional<DefinitionFiles> SqliteStore::load_definition() {
  std::unique_lock<std::mutex> lock;
  Reader& r = reader(lock);
  Use q(r.load_definition);
  DefinitionFiles files;
  int rc;
  while ((rc = sqlite3_step(q.get())) == SQLITE_ROW) {
    const auto* name = reinterpret_cast<const char*>(sqlite3_column_text(q.get(), 0));
    files.emplace(name ? name : "", column_bytes(q.get(), 1));
  }
  if (rc != SQLITE_DONE) fail(r.db.get(), path_, "load definition");
  if (files.empty()) return std::nullopt;
  return files;
}

std::uint64_t SqliteStore::size() {
  return size_.load();
}

void SqliteStore::append(const std::vector<StoredStatement>& statements,
                         const std::vector<CurrentUpdate>& current,
                         const std::vector<TreeNode>& nodes) {
  std::lock_guard<std::mutex> lock(writer_->mu);
  Writer& w = *writer_;
  const std::uint64_t base = size_.load();
  const std::uint64_t end = base + statements.size();
  const auto refuse = [&](const std::string& why) {
    throw StoreError(
        context(path_, "append refused (log size " + std::to_string(base) + "): " + why));
  };
  if (auto why = append_problem(base, statements, current)) refuse(*why);
  if (statements.empty() && current.empty() && nodes.empty()) return;

  const std::string what = "append statements " + std::to_string(base) + ".." +
                           std::to_string(end) + " (" + std::to_string(current.size()) +
                           " current updates)";
  try {
    Transaction tx(w.db.get(), w.begin, w.commit, w.rollback, path_, what);
    for (const StoredStatement& s : statements) {
      Use q(w.insert_statement);
      sqlite3_stmt* st = q.get();
      bind_index(st, 1, s.index);
      sqlite3_bind_blob(st, 2, s.id.data(), static_cast<int>(s.id.size()), SQLITE_STATIC);
      bind_blob(st, 3, s.body);
      sqlite3_bind_blob(st, 4, s.signature.data(), static_cast<int>(s.signature.size()),
                        SQLITE_STATIC);
      bind_text_or_null(st, 5, s.tps);
      if (s.ballot < 0) {
        sqlite3_bind_null(st, 6);
      } else {
        sqlite3_bind_int(st, 6, s.ballot);
      }
      sqlite3_bind_int64(st, 7, s.received_ms);
      sqlite3_bind_blob(st, 8, s.leaf.data(), static_cast<int>(s.leaf.size()), SQLITE_STATIC);
      step_done(w.insert_statement, w.db.get(), path_,
                what + ": insert statement " + std::to_string(s.index));
    }
    for (const TreeNode& n : nodes) {
      Use q(w.insert_node);
      sqlite3_bind_int(q.get(), 1, n.level);
      bind_index(q.get(), 2, n.index);
      sqlite3_bind_blob(q.get(), 3, n.hash.data(), static_cast<int>(n.hash.size()), SQLITE_STATIC);
      step_done(
          w.insert_node, w.db.get(), path_,
          what + ": insert tree node " + std::to_string(n.level) + "/" + std::to_string(n.index));
    }
    for (const CurrentUpdate& c : current) {
      Use q(w.put_current);
      bind_text(q.get(), 1, c.tps);
      sqlite3_bind_int(q.get(), 2, c.ballot);
      bind_index(q.get(), 3, c.index);
      step_done(w.put_current, w.db.get(), path_,
                what + ": update current of " + c.tps + " ballot " + std::to_string(c.ballot));
    }
    tx.commit();
  } catch (const StoreError& e) {
    spdlog::error("{}", e.what());
    throw;
  }
  size_.store(end);
  spdlog::debug("sqlite store {}: appended {} statements, {} current updates", path_,
                statements.size(), current.size());
}

void SqliteStore::scan(std::uint64_t from, const std::function<void(const StoredStatement&)>& fn) {
  const std::uint64_t end = size_.load();
  // Reused across batches so that the strings keep their buffers.
  std::vector<StoredStatement> batch;
  std::uint64_t next = from;
  while (next < end) {
    std::size_t n = 0;
    {
      std::unique_lock<std::mutex> lock;
      Reader& r = reader(lock);
      Use q(r.scan);
      bind_index(q.get(), 1, next);
      bind_index(q.get(), 2, end);
      sqlite3_bind_int(q.get(), 3, kScanBatch);
      int rc;
      while ((rc = sqlite3_step(q.get())) == SQLITE_ROW) {
        if (n == batch.size()) batch.emplace_back();
        read_statement(q.get(), batch[n], path_);
        // The log is dense; a hole means the file was damaged, and a replay must not skip it.
        if (batch[n].index != next + n) {
          throw StoreError(
              context(path_, "scan: statement " + std::to_string(next + n) + " is missing"));
        }
        ++n;
      }
      if (rc != SQLITE_DONE) fail(r.db.get(), path_, "scan from " + std::to_string(next));
    }
    if (n == 0) {
      throw StoreError(context(path_, "scan: statement " + std::to_string(next) + " is missing"));
    }
    for (std::size_t i = 0; i < n; ++i) fn(batch[i]);
    next += n;
  }
}

std::vector<StoredStatement> SqliteStore::range(std::uint64_t first, std::uint64_t count) {
  std::unique_lock<std::mutex> lock;
  Reader& r = reader(lock);
  Use q(r.scan);
  bind_index(q.get(), 1, first);
  bind_index(q.get(), 2, first + count);
  sqlite3_bind_int64(q.get(), 3, static_cast<sqlite3_int64>(count));
  std::vector<StoredStatement> out;
  int rc;
  while ((rc = sqlite3_step(q.get())) == SQLITE_ROW)
    read_statement(q.get(), out.emplace_back(), path_);
  if (rc != SQLITE_DONE) fail(r.db.get(), path_, "read statements from " + std::to_string(first));
  return out;
}

std::vector<Hash32> SqliteStore::read_hashes(int level, std::uint64_t first, std::uint64_t count) {
  std::unique_lock<std::mutex> lock;
  Reader& r = reader(lock);
  Stmt& stmt = level == 0 ? r.leaves : r.nodes;
  Use q(stmt);
  int at = 1;
  if (level != 0) sqlite3_bind_int(q.get(), at++, level);
  bind_index(q.get(), at++, first);
  bind_index(q.get(), at, first + count);
  std::vector<Hash32> out;
  out.reserve(count);
  int rc;
  while ((rc = sqlite3_step(q.get())) == SQLITE_ROW)
    column_array(q.get(), 0, out.emplace_back(), path_);
  if (rc != SQLITE_DONE) fail(r.db.get(), path_, "read tree hashes");
  if (out.size() != count) {
    throw StoreError(context(path_, "tree hashes at level " + std::to_string(level) + " from " +
                                        std::to_string(first) + ": " + std::to_string(count) +
                                        " wanted, " + std::to_string(out.size()) + " stored"));
  }
  return out;
}

std::optional<StoredStatement> SqliteStore::get(std::uint64_t index) {
  if (index > static_cast<std::uint64_t>(std::numeric_limits<sqlite3_int64>::max())) {
    return std::nullopt;
  }
  std::unique_lock<std::mutex> lock;
  Reader& r = reader(lock);
  Use q(r.get);
  bind_index(q.get(), 1, index);
  switch (sqlite3_step(q.get())) {
    case SQLITE_ROW: {
      StoredStatement s;
      read_statement(q.get(), s, path_);
      return s;
    }
    case SQLITE_DONE:
      return std::nullopt;
    default:
      fail(r.db.get(), path_, "get statement " + std::to_string(index));
  }
}

std::vector<StoredStatement> SqliteStore::by_tps(const std::string& tps) {
  std::unique_lock<std::mutex> lock;
  Reader& r = reader(lock);
  Use q(r.by_tps);
  bind_text_or_null(q.get(), 1, tps);
  std::vector<StoredStatement> out;
  int rc;
  while ((rc = sqlite3_step(q.get())) == SQLITE_ROW) {
    read_statement(q.get(), out.emplace_back(), path_);
  }
  if (rc != SQLITE_DONE) fail(r.db.get(), path_, "read statements of TPS '" + tps + "'");
  return out;
}

std::vector<CurrentUpdate> SqliteStore::current_of(const std::string& tps) {
  std::unique_lock<std::mutex> lock;
  Reader& r = reader(lock);
  Use q(r.current_of);
  bind_text(q.get(), 1, tps);
  std::vector<CurrentUpdate> out;
  int rc;
  while ((rc = sqlite3_step(q.get())) == SQLITE_ROW) {
    out.push_back({tps, sqlite3_column_int(q.get(), 0),
                   static_cast<std::uint64_t>(sqlite3_column_int64(q.get(), 1))});
  }
  if (rc != SQLITE_DONE) fail(r.db.get(), path_, "read current results of TPS '" + tps + "'");
  return out;
}

namespace {

// Binds the range of TPS codes starting with `prefix` to ?1 and ?2.
void bind_prefix(sqlite3_stmt* s, const std::string& prefix, std::string& upper) {
  upper = prefix + kAfterDigits;
  bind_text(s, 1, prefix);
  bind_text(s, 2, upper);
}

std::string column_text(sqlite3_stmt* s, int i) {
  const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(s, i));
  return text ? std::string(text, static_cast<std::size_t>(sqlite3_column_bytes(s, i)))
              : std::string();
}

std::optional<Hash32> column_hash(sqlite3_stmt* s, int i, const std::string& path) {
  if (sqlite3_column_type(s, i) == SQLITE_NULL) return std::nullopt;
  Hash32 h;
  column_array(s, i, h, path);
  return h;
}

void bind_hash_or_null(sqlite3_stmt* s, int i, const std::optional<Hash32>& h) {
  if (h) {
    sqlite3_bind_blob(s, i, h->data(), static_cast<int>(h->size()), SQLITE_STATIC);
  } else {
    sqlite3_bind_null(s, i);
  }
}

}  // namespace

std::uint64_t SqliteStore::add_report(const Report& report) {
  std::lock_guard<std::mutex> lock(writer_->mu);
  Writer& w = *writer_;
  const std::string what = "add a report about TPS " + report.tps;
  Transaction tx(w.db.get(), w.begin, w.commit, w.rollback, path_, what);
  {
    Use q(w.insert_report);
    bind_text(q.get(), 1, report.tps);
    sqlite3_bind_int(q.get(), 2, report.ballot);
    bind_text(q.get(), 3, report.text);
    bind_hash_or_null(q.get(), 4, report.statement);
    bind_hash_or_null(q.get(), 5, report.image);
    sqlite3_bind_int64(q.get(), 6, report.received_ms);
    step_done(w.insert_report, w.db.get(), path_, what);
  }
  const auto id = static_cast<std::uint64_t>(sqlite3_last_insert_rowid(w.db.get()));
  for (std::size_t i = 0; i < report.fields.size(); ++i) {
    Use q(w.insert_report_field);
    bind_index(q.get(), 1, id);
    sqlite3_bind_int(q.get(), 2, static_cast<int>(i));
    bind_text(q.get(), 3, report.fields[i]);
    step_done(w.insert_report_field, w.db.get(), path_, what + ": field " + report.fields[i]);
  }
  tx.commit();
  return id;
}

std::vector<Report> SqliteStore::reports(const std::string& prefix, std::size_t limit) {
  std::unique_lock<std::mutex> lock;
  Reader& r = reader(lock);
  Use q(r.reports);
  std::string upper;
  bind_prefix(q.get(), prefix, upper);
  sqlite3_bind_int64(q.get(), 3, static_cast<sqlite3_int64>(limit));
  std::vector<Report> out;
  int rc;
  while ((rc = sqlite3_step(q.get())) == SQLITE_ROW) {
    Report& rep = out.emplace_back();
    rep.id = static_cast<std::uint64_t>(sqlite3_column_int64(q.get(), 0));
    rep.tps = column_text(q.get(), 1);
    rep.ballot = sqlite3_column_int(q.get(), 2);
    rep.text = column_text(q.get(), 3);
    rep.statement = column_hash(q.get(), 4, path_);
    rep.image = column_hash(q.get(), 5, path_);
    rep.received_ms = sqlite3_column_int64(q.get(), 6);
    // Field names are [a-z0-9_], so a space separates them.
    const std::string list = column_text(q.get(), 7);
    std::string_view fields = list;
    while (!fields.empty()) {
      auto space = fields.find(' ');
      rep.fields.emplace_back(fields.substr(0, space));
      fields = space == std::string_view::npos ? "" : fields.substr(space + 1);
    }
  }
  if (rc != SQLITE_DONE) fail(r.db.get(), path_, "read reports of '" + prefix + "'");
  return out;
}

ReportCounts SqliteStore::report_counts(const std::string& prefix) {
  std::unique_lock<std::mutex> lock;
  Reader& r = reader(lock);
  ReportCounts out;
  std::string upper;
  const std::string what = "count reports of '" + prefix + "'";
  {
    Use q(r.report_totals);
    bind_prefix(q.get(), prefix, upper);
    if (sqlite3_step(q.get()) != SQLITE_ROW) fail(r.db.get(), path_, what);
    out.total = static_cast<std::uint64_t>(sqlite3_column_int64(q.get(), 0));
    out.tps = static_cast<std::uint64_t>(sqlite3_column_int64(q.get(), 1));
  }
  {
    Use q(r.report_ballots);
    bind_prefix(q.get(), prefix, upper);
    int rc;
    while ((rc = sqlite3_step(q.get())) == SQLITE_ROW) {
      const int ballot = sqlite3_column_int(q.get(), 0);
      if (ballot >= 0 && ballot < static_cast<int>(out.ballots.size())) {
        out.ballots[static_cast<std::size_t>(ballot)] =
            static_cast<std::uint64_t>(sqlite3_column_int64(q.get(), 1));
      }
    }
    if (rc != SQLITE_DONE) fail(r.db.get(), path_, what + " per ballot");
  }
  {
    Use q(r.report_fields);
    bind_prefix(q.get(), prefix, upper);
    int rc;
    while ((rc = sqlite3_step(q.get())) == SQLITE_ROW) {
      out.fields[{sqlite3_column_int(q.get(), 0), column_text(q.get(), 1)}] =
          static_cast<std::uint64_t>(sqlite3_column_int64(q.get(), 2));
    }
    if (rc != SQLITE_DONE) fail(r.db.get(), path_, what + " per field");
  }
  return out;
}

std::vector<ReportGroup> SqliteStore::report_groups(const std::string& prefix, std::size_t length,
                                                    std::size_t limit) {
  std::unique_lock<std::mutex> lock;
  Reader& r = reader(lock);
  Use q(r.report_groups);
  std::string upper;
  bind_prefix(q.get(), prefix, upper);
  sqlite3_bind_int64(q.get(), 3, static_cast<sqlite3_int64>(length));
  // LIMIT -1: no limit.
  sqlite3_bind_int64(q.get(), 4, limit == 0 ? -1 : static_cast<sqlite3_int64>(limit));
  std::vector<ReportGroup> out;
  int rc;
  while ((rc = sqlite3_step(q.get())) == SQLITE_ROW) {
    out.push_back({column_text(q.get(), 0),
                   static_cast<std::uint64_t>(sqlite3_column_int64(q.get(), 1)),
                   sqlite3_column_int64(q.get(), 2)});
  }
  if (rc != SQLITE_DONE) fail(r.db.get(), path_, "group reports of '" + prefix + "'");
  return out;
}

}  // namespace rekap
