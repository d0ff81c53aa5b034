#include "store/postgres/postgres_store.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstring>
#include <limits>
#include <map>
#include <string_view>
#include <thread>
#include <utility>

#include "store/append_check.hpp"
#include "store/postgres/binary_copy.hpp"
#include "store/postgres/connection.hpp"
#include "store/postgres/pool.hpp"
#include "store/postgres/schema.hpp"

namespace rekap {
namespace {

constexpr std::size_t kReadConnections = 4;
constexpr int kScanBatch = 512;
// Rows per INSERT of current results: 3 parameters each, far below PostgreSQL's 65,535.
constexpr std::size_t kCurrentRowsPerInsert = 1000;

// Report codes are digits, and the tps columns compare bytes (COLLATE "C"), so every code
// starting with a prefix sorts below prefix + "~": the range lets the reports_tps index find
// them.
constexpr char kAfterDigits = '~';

std::string select_statements(std::string_view where) {
  return "SELECT idx, id, body, sig, tps, ballot, received_ms, leaf FROM statements " +
         std::string(where);
}

// The write connection's statements. The batches of an append vary in shape and go unprepared.
std::vector<pg::Prepared> writer_statements() {
  return {
      {"put_meta",
       "INSERT INTO meta(key, value) VALUES($1, $2) "
       "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value"},
      {"clear_definition", "DELETE FROM definition"},
      {"put_definition", "INSERT INTO definition(name, content) VALUES($1, $2)"},
      {"insert_report",
       "INSERT INTO reports(tps, ballot, text, statement, image, received_ms) "
       "VALUES($1, $2, $3, $4, $5, $6) RETURNING id"},
      {"size", "SELECT COALESCE(MAX(idx) + 1, 0) FROM statements"},
      {"try_lead", "SELECT pg_try_advisory_lock(x'72656b6170000002'::bigint)::int"},
      // The lock's key, "rekap" and 2, as pg_locks shows a bigint key: its high and low halves.
      {"fence",
       "SELECT (SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted AND "
       "pid = pg_backend_pid() AND classid = 1919249249 AND objid = 1879048194 AND "
       "objsubid = 1), (SELECT COALESCE(MAX(idx) + 1, 0) FROM statements)"},
      {"delete_queued", "DELETE FROM queue WHERE id = ANY($1::bigint[])"},
      {"take_answers", "DELETE FROM answers WHERE id = ANY($1::bigint[]) RETURNING id, answer"},
  };
}

std::vector<pg::Prepared> reader_statements() {
  return {
      {"get_meta", "SELECT value FROM meta WHERE key = $1"},
      {"queued", "SELECT id, body, sig FROM queue ORDER BY id LIMIT $1"},
      {"durable_size",
       "SELECT COALESCE((SELECT convert_from(value, 'UTF8')::bigint FROM meta WHERE key = "
       "'durable_size'), (SELECT COALESCE(MAX(idx) + 1, 0) FROM statements))"},
      {"load_definition", "SELECT name, content FROM definition"},
      {"get", select_statements("WHERE idx = $1")},
      {"by_tps", select_statements("WHERE tps = $1 ORDER BY idx")},
      // Statements about no TPS are stored with tps NULL.
      {"by_no_tps", select_statements("WHERE tps IS NULL ORDER BY idx")},
      {"current_of", "SELECT ballot, idx FROM current WHERE tps = $1 ORDER BY ballot"},
      {"scan", select_statements("WHERE idx >= $1 AND idx < $2 ORDER BY idx LIMIT $3")},
      {"leaves", "SELECT leaf FROM statements WHERE idx >= $1 AND idx < $2 ORDER BY idx"},
      {"nodes", "SELECT hash FROM tree WHERE level = $1 AND idx >= $2 AND idx < $3 ORDER BY idx"},
      {"reports",
       "SELECT id, tps, ballot, text, statement, image, received_ms, "
       "(SELECT string_agg(field, ' ' ORDER BY pos) FROM report_fields "
       "WHERE report = reports.id) "
       "FROM reports WHERE tps >= $1 AND tps < $2 ORDER BY id DESC LIMIT $3"},
      {"report_totals",
       "SELECT count(*), count(DISTINCT tps) FROM reports WHERE tps >= $1 AND tps < $2"},
      {"report_ballots",
       "SELECT ballot, count(*) FROM reports WHERE tps >= $1 AND tps < $2 GROUP BY ballot"},
      {"report_fields",
       "SELECT r.ballot, f.field, count(*) FROM report_fields f "
       "JOIN reports r ON r.id = f.report WHERE r.tps >= $1 AND r.tps < $2 "
       "GROUP BY r.ballot, f.field"},
      // LIMIT NULL: no limit.
      {"report_groups",
       "SELECT substr(tps, 1, $3) AS code, count(*) AS n, max(received_ms) "
       "FROM reports WHERE tps >= $1 AND tps < $2 GROUP BY code ORDER BY n DESC, code LIMIT $4"},
  };
}

// Durable before it returns, whatever the server's default; a synchronous standby, where the
// server names one, holds the commit too. A session idle for longer than the lease is closed
// by the server, and the sequencer's lease with it.
std::string writer_setup(std::chrono::milliseconds lease) {
  const std::string ms = std::to_string(lease.count()) + "ms";
  return "SET synchronous_commit = on; SET idle_session_timeout = '" + ms +
         "'; SET idle_in_transaction_session_timeout = '" + ms + "'";
}

constexpr const char* kListen = "LISTEN rekap_log; LISTEN rekap_queue; LISTEN rekap_answers";

// The meta key of the log's size that the synchronous standby holds too.
constexpr const char* kDurableSize = "durable_size";

// A PostgreSQL array of ids, in text form.
std::string id_array(const std::vector<std::uint64_t>& ids) {
  std::string out = "{";
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (i > 0) out += ',';
    out += std::to_string(ids[i]);
  }
  return out + "}";
}
// Guards against a read path ever writing through a reader.
constexpr const char* kReaderSetup = "SET default_transaction_read_only = on";

// Reads a row selected with the statement columns. Assigns into out so a reused object keeps
// its buffers.
void read_statement(const PGresult* r, int row, StoredStatement& out, const std::string& label) {
  out.index = static_cast<std::uint64_t>(pg::integer(r, row, 0, label));
  pg::fixed(r, row, 1, out.id, label);
  out.body.assign(pg::bytes(r, row, 2));
  pg::fixed(r, row, 3, out.signature, label);
  if (pg::is_null(r, row, 4)) {
    out.tps.clear();
  } else {
    out.tps.assign(pg::bytes(r, row, 4));
  }
  out.ballot = pg::is_null(r, row, 5) ? -1 : static_cast<int>(pg::integer(r, row, 5, label));
  out.received_ms = pg::integer(r, row, 6, label);
  pg::fixed(r, row, 7, out.leaf, label);
}

std::vector<StoredStatement> read_statements(const PGresult* r, const std::string& label) {
  std::vector<StoredStatement> out(static_cast<std::size_t>(PQntuples(r)));
  for (std::size_t i = 0; i < out.size(); ++i) {
    read_statement(r, static_cast<int>(i), out[i], label);
  }
  return out;
}

std::uint64_t count(const PGresult* r, int row, int col, const std::string& label) {
  return static_cast<std::uint64_t>(pg::integer(r, row, col, label));
}

std::optional<Hash32> hash_or_null(const PGresult* r, int row, int col, const std::string& label) {
  if (pg::is_null(r, row, col)) return std::nullopt;
  Hash32 h;
  pg::fixed(r, row, col, h, label);
  return h;
}

// The range of TPS codes starting with `prefix`, as the first two parameters.
pg::Params& prefix_range(pg::Params& params, const std::string& prefix) {
  return params.text(prefix).text(prefix + kAfterDigits);
}

}  // namespace

struct PostgresStore::Link {
  Link(const std::string& conninfo, const std::string& label, const std::string& setup,
       std::vector<pg::Prepared> prepared)
      : conn(conninfo, label, setup, std::move(prepared)) {}

  std::mutex mu;
  pg::Connection conn;
};

PostgresStore::PostgresStore(std::string conninfo, std::string label)
    : conninfo_(std::move(conninfo)), label_(std::move(label)) {}

PostgresStore::~PostgresStore() = default;

std::unique_ptr<PostgresStore> PostgresStore::open(const std::string& conninfo, OpenMode mode,
                                                   std::chrono::milliseconds lease) {
  std::unique_ptr<PostgresStore> store(new PostgresStore(conninfo, pg::describe(conninfo)));
  const std::string& label = store->label_;
  {
    // The schema first, on a connection of its own: the others prepare statements on its tables.
    pg::Connection schema(conninfo, label, "", {});
    pg::prepare_schema(schema, mode);
    pg::Result fsync = schema.query_sql("SELECT current_setting('fsync')", {}, "read fsync");
    if (pg::bytes(fsync.get(), 0, 0) != "on") {
      spdlog::warn(
          "{}: the server runs with fsync off: a crash of its machine can lose "
          "statements already acknowledged",
          label);
    }
  }
  store->writer_ =
      std::make_unique<Link>(conninfo, label, writer_setup(lease), writer_statements());
  if (mode == OpenMode::existing) {
    pg::Result ro =
        store->writer_->conn.query_sql("SELECT current_setting('transaction_read_only')", {},
                                       "ask whether the server takes writes");
    if (pg::bytes(ro.get(), 0, 0) == "on") {
      throw StoreError(label +
                       ": the server takes no writes (a read-only standby, or "
                       "default_transaction_read_only is on): name the primary, or list every "
                       "server with target_session_attrs=read-write so that the one taking "
                       "writes is found; nothing was written");
    }
  }
  store->readers_ = std::make_unique<pg::Pool>(conninfo, label, kReaderSetup, reader_statements(),
                                               kReadConnections);
  store->read_size();
  PGconn* w = store->writer_->conn.get();
  spdlog::info("{}: opened, {} statements (server {} port {})", label, store->size_.load(),
               PQhost(w), PQport(w));
  return store;
}

bool PostgresStore::is_connection_string(const std::string& where) {
  if (where.starts_with("postgresql://") || where.starts_with("postgres://")) return true;
  char* error = nullptr;
  PQconninfoOption* options = PQconninfoParse(where.c_str(), &error);
  if (!options) {
    // Not libpq's keyword=value pairs.
    PQfreemem(error);
    return false;
  }
  bool names = false;
  for (PQconninfoOption* o = options; o->keyword; ++o) {
    const bool server_or_database = std::strcmp(o->keyword, "host") == 0 ||
                                    std::strcmp(o->keyword, "hostaddr") == 0 ||
                                    std::strcmp(o->keyword, "dbname") == 0;
    if (server_or_database && o->val && *o->val) names = true;
  }
  PQconninfoFree(options);
  return names;
}

std::string PostgresStore::describe(const std::string& conninfo) {
  return pg::describe(conninfo);
}

void PostgresStore::read_size() {
  pg::Result r = writer_->conn.query("size", {}, "read log size");
  size_ = count(r.get(), 0, 0, label_);
}

pg::Transaction PostgresStore::begin_write(const std::string& what) {
  pg::Connection& w = writer_->conn;
  if (!w.closed()) {
    try {
      return pg::Transaction(w, what);
    } catch (const StoreError&) {
      // Closed since the last write, found by BEGIN: nothing of this transaction was sent.
      if (!w.closed()) throw;
    }
  }
  w.reopen();
  // The last commit before the connection was lost may have happened without its answer.
  read_size();
  return pg::Transaction(w, what);
}

std::optional<std::string> PostgresStore::get_meta(const std::string& key) {
  return readers_->run([&](pg::Connection& c) -> std::optional<std::string> {
    pg::Result r = c.query("get_meta", pg::Params().text(key), "read meta '" + key + "'");
    if (PQntuples(r.get()) == 0) return std::nullopt;
    return std::string(pg::bytes(r.get(), 0, 0));
  });
}

void PostgresStore::put_meta(const std::string& key, const std::string& value) {
  std::lock_guard<std::mutex> lock(writer_->mu);
  const std::string what = "write meta '" + key + "'";
  pg::Transaction tx = begin_write(what);
  writer_->conn.query("put_meta", pg::Params().text(key).bytes(value), what);
  tx.commit();
}

void PostgresStore::save_definition(const DefinitionFiles& files) {
  std::lock_guard<std::mutex> lock(writer_->mu);
  pg::Connection& w = writer_->conn;
  pg::Transaction tx = begin_write("save definition");
  w.query("clear_definition", {}, "save definition: clear old files");
  for (const auto& [name, content] : files) {
    w.query("put_definition", pg::Params().text(name).bytes(content),
            "save definition: write " + name);
  }
  tx.commit();
  spdlog::info("{}: saved definition ({} files)", label_, files.size());
}

std::optional<DefinitionFiles> PostgresStore::load_definition() {
  return readers_->run([&](pg::Connection& c) -> std::optional<DefinitionFiles> {
    pg::Result r = c.query("load_definition", {}, "load definition");
    DefinitionFiles files;
    for (int i = 0; i < PQntuples(r.get()); ++i) {
      files.emplace(pg::bytes(r.get(), i, 0), pg::bytes(r.get(), i, 1));
    }
    if (files.empty()) return std::nullopt;
    return files;
  });
}

std::uint64_t PostgresStore::size() {
  return size_.load();
}

void PostgresStore::append(const std::vector<StoredStatement>& statements,
                           const std::vector<CurrentUpdate>& current,
                           const std::vector<TreeNode>& nodes) {
  write_append(statements, current, nodes, {}, false);
}

void PostgresStore::append_decided(const std::vector<StoredStatement>& statements,
                                   const std::vector<CurrentUpdate>& current,
                                   const std::vector<TreeNode>& nodes,
                                   const std::vector<QueueAnswer>& answers) {
  write_append(statements, current, nodes, answers, true);
}

std::pair<bool, std::uint64_t> PostgresStore::read_fence(const std::string& what) {
  pg::Result r = writer_->conn.query("fence", {}, what + ": check the sequencer's lease");
  return {count(r.get(), 0, 0, label_) > 0, count(r.get(), 0, 1, label_)};
}

void PostgresStore::write_append(const std::vector<StoredStatement>& statements,
                                 const std::vector<CurrentUpdate>& current,
                                 const std::vector<TreeNode>& nodes,
                                 const std::vector<QueueAnswer>& answers, bool fenced) {
  std::lock_guard<std::mutex> lock(writer_->mu);
  pg::Connection& w = writer_->conn;
  const std::uint64_t base = size_.load();
  const std::uint64_t end = base + statements.size();
  const auto refuse = [&](const std::string& why) {
    throw StoreError(label_ + ": append refused (log size " + std::to_string(base) + "): " + why);
  };
  if (auto why = append_problem(base, statements, current)) refuse(*why);
  if (statements.empty() && current.empty() && nodes.empty() && answers.empty()) return;

  const std::string what = "append statements " + std::to_string(base) + ".." +
                           std::to_string(end) + " (" + std::to_string(current.size()) +
                           " current updates)";
  try {
    pg::Transaction tx = begin_write(what);
    if (fenced) {
      // In this transaction: the lock is the session's until the session ends, which would end
      // the transaction too, so no other node can append before this commits or fails.
      const auto [held, stored] = read_fence(what);
      if (!held || stored != base) {
        leading_ = false;
        throw FencedOut(label_ + ": " + what + " refused: " +
                        (held ? "the log holds " + std::to_string(stored) + " statements"
                              : std::string("this node no longer holds the sequencer's lease")) +
                        ", another node is the sequencer; nothing was written");
      }
    } else if (size_.load() != base) {
      refuse("the log holds " + std::to_string(size_.load()) +
             " statements after the connection was lost and opened again");
    }
    if (!statements.empty()) {
      pg::BinaryCopy rows;
      for (const StoredStatement& s : statements) {
        rows.row(8);
        rows.int8(static_cast<std::int64_t>(s.index));
        rows.bytes(s.id);
        rows.bytes(s.body);
        rows.bytes(s.signature);
        if (s.tps.empty()) {
          rows.null();
        } else {
          rows.bytes(s.tps);
        }
        if (s.ballot < 0) {
          rows.null();
        } else {
          rows.int2(static_cast<std::int16_t>(s.ballot));
        }
        rows.int8(s.received_ms);
        rows.bytes(s.leaf);
      }
      w.copy_in(
          "COPY statements(idx, id, body, sig, tps, ballot, received_ms, leaf) "
          "FROM STDIN (FORMAT binary)",
          rows.finish(), what + ": insert statements");
    }
    if (!nodes.empty()) {
      pg::BinaryCopy rows;
      for (const TreeNode& n : nodes) {
        rows.row(3);
        rows.int2(static_cast<std::int16_t>(n.level));
        rows.int8(static_cast<std::int64_t>(n.index));
        rows.bytes(n.hash);
      }
      w.copy_in("COPY tree(level, idx, hash) FROM STDIN (FORMAT binary)", rows.finish(),
                what + ": insert tree nodes");
    }
    // One row per TPS and ballot, the batch's last: an INSERT ... ON CONFLICT may not change a
    // row twice.
    std::map<std::pair<std::string, int>, std::uint64_t> latest;
    for (const CurrentUpdate& c : current) latest[{c.tps, c.ballot}] = c.index;
    auto next = latest.begin();
    while (next != latest.end()) {
      std::string sql = "INSERT INTO current(tps, ballot, idx) VALUES ";
      pg::Params params;
      for (std::size_t row = 0; row < kCurrentRowsPerInsert && next != latest.end();
           ++row, ++next) {
        const int at = params.size();
        sql += row == 0 ? "(" : ", (";
        sql += "$" + std::to_string(at + 1) + ", $" + std::to_string(at + 2) + ", $" +
               std::to_string(at + 3) + ")";
        params.text(next->first.first).number(next->first.second).index(next->second);
      }
      sql += " ON CONFLICT (tps, ballot) DO UPDATE SET idx = EXCLUDED.idx";
      w.query_sql(sql, params, what + ": update current results");
    }
    if (fenced) {
      // What the previous append made durable: a row committed here is visible to other
      // sessions before the synchronous standby holds it, so followers go only this far.
      w.query("put_meta", pg::Params().text(kDurableSize).bytes(std::to_string(base)),
              what + ": mark the log durable");
    }
    if (!answers.empty()) {
      std::vector<std::uint64_t> ids;
      pg::BinaryCopy rows;
      for (const QueueAnswer& a : answers) {
        ids.push_back(a.id);
        rows.row(2);
        rows.int8(static_cast<std::int64_t>(a.id));
        rows.bytes(a.text);
      }
      w.query("delete_queued", pg::Params().text(id_array(ids)), what + ": take from the queue");
      w.copy_in("COPY answers(id, answer) FROM STDIN (FORMAT binary)", rows.finish(),
                what + ": answer queued statements");
      w.exec("NOTIFY rekap_answers", what + ": notify the nodes");
    }
    if (fenced && !statements.empty()) w.exec("NOTIFY rekap_log", what + ": notify the nodes");
    tx.commit();
  } catch (const StoreError& e) {
    spdlog::error("{}", e.what());
    throw;
  }
  if (fenced) durable_ = base;
  size_.store(end);
  spdlog::debug("{}: appended {} statements, {} current updates", label_, statements.size(),
                current.size());
}

void PostgresStore::scan(std::uint64_t from,
                         const std::function<void(const StoredStatement&)>& fn) {
  const std::uint64_t end = size_.load();
  // Reused across batches so that the strings keep their buffers.
  std::vector<StoredStatement> batch;
  std::uint64_t next = from;
  while (next < end) {
    const std::size_t n = readers_->run([&](pg::Connection& c) {
      pg::Result r = c.query("scan", pg::Params().index(next).index(end).number(kScanBatch),
                             "scan from " + std::to_string(next));
      const auto rows = static_cast<std::size_t>(PQntuples(r.get()));
      for (std::size_t i = 0; i < rows; ++i) {
        if (i == batch.size()) batch.emplace_back();
        read_statement(r.get(), static_cast<int>(i), batch[i], label_);
        // The log is dense; a hole means the database was damaged, and a replay must not
        // skip it.
        if (batch[i].index != next + i) {
          throw StoreError(label_ + ": scan: statement " + std::to_string(next + i) +
                           " is missing");
        }
      }
      return rows;
    });
    if (n == 0) {
      throw StoreError(label_ + ": scan: statement " + std::to_string(next) + " is missing");
    }
    for (std::size_t i = 0; i < n; ++i) fn(batch[i]);
    next += n;
  }
}

std::vector<StoredStatement> PostgresStore::range(std::uint64_t first, std::uint64_t count) {
  return readers_->run([&](pg::Connection& c) {
    pg::Result r = c.query("scan", pg::Params().index(first).index(first + count).index(count),
                           "read statements from " + std::to_string(first));
    return read_statements(r.get(), label_);
  });
}

std::vector<Hash32> PostgresStore::read_hashes(int level, std::uint64_t first,
                                               std::uint64_t count) {
  std::vector<Hash32> out = readers_->run([&](pg::Connection& c) {
    pg::Params params;
    if (level != 0) params.number(level);
    params.index(first).index(first + count);
    pg::Result r = c.query(level == 0 ? "leaves" : "nodes", params, "read tree hashes");
    std::vector<Hash32> hashes(static_cast<std::size_t>(PQntuples(r.get())));
    for (std::size_t i = 0; i < hashes.size(); ++i) {
      pg::fixed(r.get(), static_cast<int>(i), 0, hashes[i], label_);
    }
    return hashes;
  });
  if (out.size() != count) {
    throw StoreError(label_ + ": tree hashes at level " + std::to_string(level) + " from " +
                     std::to_string(first) + ": " + std::to_string(count) + " wanted, " +
                     std::to_string(out.size()) + " stored");
  }
  return out;
}

std::optional<StoredStatement> PostgresStore::get(std::uint64_t index) {
  if (index > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
    return std::nullopt;
  }
  return readers_->run([&](pg::Connection& c) -> std::optional<StoredStatement> {
    pg::Result r =
        c.query("get", pg::Params().index(index), "get statement " + std::to_string(index));
    if (PQntuples(r.get()) == 0) return std::nullopt;
    StoredStatement s;
    read_statement(r.get(), 0, s, label_);
    return s;
  });
}

std::vector<StoredStatement> PostgresStore::by_tps(const std::string& tps) {
  return readers_->run([&](pg::Connection& c) {
    const std::string what = "read statements of TPS '" + tps + "'";
    pg::Result r = tps.empty() ? c.query("by_no_tps", {}, what)
                               : c.query("by_tps", pg::Params().text(tps), what);
    return read_statements(r.get(), label_);
  });
}

std::vector<CurrentUpdate> PostgresStore::current_of(const std::string& tps) {
  return readers_->run([&](pg::Connection& c) {
    pg::Result r =
        c.query("current_of", pg::Params().text(tps), "read current results of TPS '" + tps + "'");
    std::vector<CurrentUpdate> out;
    for (int i = 0; i < PQntuples(r.get()); ++i) {
      out.push_back({tps, static_cast<int>(pg::integer(r.get(), i, 0, label_)),
                     count(r.get(), i, 1, label_)});
    }
    return out;
  });
}

std::uint64_t PostgresStore::add_report(const Report& report) {
  std::lock_guard<std::mutex> lock(writer_->mu);
  pg::Connection& w = writer_->conn;
  const std::string what = "add a report about TPS " + report.tps;
  pg::Transaction tx = begin_write(what);
  pg::Params params;
  params.text(report.tps).number(report.ballot).text(report.text);
  if (report.statement) {
    params.bytes(*report.statement);
  } else {
    params.null();
  }
  if (report.image) {
    params.bytes(*report.image);
  } else {
    params.null();
  }
  params.number(report.received_ms);
  pg::Result r = w.query("insert_report", params, what);
  const std::uint64_t id = count(r.get(), 0, 0, label_);
  if (!report.fields.empty()) {
    std::string sql = "INSERT INTO report_fields(report, pos, field) VALUES ";
    pg::Params fields;
    fields.index(id);
    for (std::size_t i = 0; i < report.fields.size(); ++i) {
      sql += i == 0 ? "" : ", ";
      sql += "($1, " + std::to_string(i) + ", $" + std::to_string(i + 2) + ")";
      fields.text(report.fields[i]);
    }
    w.query_sql(sql, fields, what + ": fields");
  }
  tx.commit();
  return id;
}

std::vector<Report> PostgresStore::reports(const std::string& prefix, std::size_t limit) {
  return readers_->run([&](pg::Connection& c) {
    pg::Params params;
    prefix_range(params, prefix).index(limit);
    pg::Result r = c.query("reports", params, "read reports of '" + prefix + "'");
    const PGresult* res = r.get();
    std::vector<Report> out(static_cast<std::size_t>(PQntuples(res)));
    for (std::size_t k = 0; k < out.size(); ++k) {
      const int i = static_cast<int>(k);
      Report& rep = out[k];
      rep.id = count(res, i, 0, label_);
      rep.tps = pg::bytes(res, i, 1);
      rep.ballot = static_cast<int>(pg::integer(res, i, 2, label_));
      rep.text = pg::bytes(res, i, 3);
      rep.statement = hash_or_null(res, i, 4, label_);
      rep.image = hash_or_null(res, i, 5, label_);
      rep.received_ms = pg::integer(res, i, 6, label_);
      // Field names are [a-z0-9_], so a space separates them.
      std::string_view fields = pg::bytes(res, i, 7);
      while (!fields.empty()) {
        const auto space = fields.find(' ');
        rep.fields.emplace_back(fields.substr(0, space));
        fields = space == std::string_view::npos ? "" : fields.substr(space + 1);
      }
    }
    return out;
  });
}

ReportCounts PostgresStore::report_counts(const std::string& prefix) {
  return readers_->run([&](pg::Connection& c) {
    ReportCounts out;
    const std::string what = "count reports of '" + prefix + "'";
    {
      pg::Params params;
      pg::Result r = c.query("report_totals", prefix_range(params, prefix), what);
      out.total = count(r.get(), 0, 0, label_);
      out.tps = count(r.get(), 0, 1, label_);
    }
    {
      pg::Params params;
      pg::Result r = c.query("report_ballots", prefix_range(params, prefix), what + " per ballot");
      for (int i = 0; i < PQntuples(r.get()); ++i) {
        const std::int64_t ballot = pg::integer(r.get(), i, 0, label_);
        if (ballot >= 0 && ballot < static_cast<std::int64_t>(out.ballots.size())) {
          out.ballots[static_cast<std::size_t>(ballot)] = count(r.get(), i, 1, label_);
        }
      }
    }
    {
      pg::Params params;
      pg::Result r = c.query("report_fields", prefix_range(params, prefix), what + " per field");
      for (int i = 0; i < PQntuples(r.get()); ++i) {
        out.fields[{static_cast<int>(pg::integer(r.get(), i, 0, label_)),
                    std::string(pg::bytes(r.get(), i, 1))}] = count(r.get(), i, 2, label_);
      }
    }
    return out;
  });
}

std::vector<ReportGroup> PostgresStore::report_groups(const std::string& prefix, std::size_t length,
                                                      std::size_t limit) {
  return readers_->run([&](pg::Connection& c) {
    pg::Params params;
    prefix_range(params, prefix).index(length);
    if (limit == 0) {
      params.null();
    } else {
      params.index(limit);
    }
    pg::Result r = c.query("report_groups", params, "group reports of '" + prefix + "'");
    std::vector<ReportGroup> out;
    for (int i = 0; i < PQntuples(r.get()); ++i) {
      out.push_back({std::string(pg::bytes(r.get(), i, 0)), count(r.get(), i, 1, label_),
                     pg::integer(r.get(), i, 2, label_)});
    }
    return out;
  });
}

bool PostgresStore::try_lead() {
  std::lock_guard<std::mutex> lock(writer_->mu);
  if (leading_) return true;
  pg::Connection& w = writer_->conn;
  if (w.closed()) w.reopen();
  const std::string what = "take the sequencer's lease";
  pg::Result r = [&] {
    try {
      return w.query("try_lead", {}, what);
    } catch (const StoreError&) {
      // The server ended the session while it sat idle longer than the lease (a node that
      // was starting or busy): it held nothing, so a new session may ask at once.
      if (!w.closed()) throw;
      w.reopen();
      return w.query("try_lead", {}, what);
    }
  }();
  if (pg::integer(r.get(), 0, 0, label_) == 0) return false;
  leading_ = true;
  // Everything the last sequencer appended is committed: its session, and with it any
  // transaction it had open, ended before the lock came free. Marking it durable waits for
  // the synchronous standby, which then holds all of it.
  read_size();
  durable_ = 0;
  mark_durable();
  spdlog::info("{}: this node holds the sequencer's lease (log size {})", label_, size_.load());
  return true;
}

void PostgresStore::mark_durable() {
  pg::Connection& w = writer_->conn;
  const std::string what = "mark the log durable";
  pg::Transaction tx(w, what);
  const auto [held, stored] = read_fence(what);
  if (!held || stored != size_.load()) {
    leading_ = false;
    throw FencedOut(label_ + ": this node no longer holds the sequencer's lease");
  }
  w.query("put_meta", pg::Params().text(kDurableSize).bytes(std::to_string(size_.load())), what);
  // Answers nobody read: the node that queued the statement died first.
  w.exec("DELETE FROM answers WHERE answered_at < now() - interval '1 hour'",
         what + ": drop answers nobody read");
  w.exec("NOTIFY rekap_log", what + ": notify the nodes");
  tx.commit();
  durable_ = size_.load();
}

void PostgresStore::keep_lead() {
  std::lock_guard<std::mutex> lock(writer_->mu);
  if (!leading_ || writer_->conn.closed()) {
    leading_ = false;
    throw FencedOut(label_ + ": this node no longer holds the sequencer's lease");
  }
  try {
    if (durable_ < size_.load()) {
      mark_durable();
      return;
    }
    const auto [held, stored] = read_fence("keep the sequencer's lease");
    if (!held || stored != size_.load()) {
      leading_ = false;
      throw FencedOut(label_ + ": this node no longer holds the sequencer's lease");
    }
  } catch (const FencedOut&) {
    throw;
  } catch (const StoreError& e) {
    if (!writer_->conn.closed()) throw;
    // The session that held the lock is gone, and the lock with it.
    leading_ = false;
    throw FencedOut(std::string(e.what()) + ": this node no longer holds the sequencer's lease");
  }
}

void PostgresStore::keep_alive() {
  if (!leading_) return;
  std::unique_lock<std::mutex> lock(writer_->mu, std::try_to_lock);
  if (!lock.owns_lock() || !leading_) return;  // a write in progress keeps the session busy
  try {
    writer_->conn.exec("SELECT 1", "keep the sequencer's session alive");
  } catch (const StoreError& e) {
    // The session, and the lock with it, is gone; the sequencer's next call says so.
    leading_ = false;
    spdlog::warn("{}", e.what());
  }
}

std::vector<std::uint64_t> PostgresStore::enqueue(const std::vector<QueuedStatement>& items) {
  if (items.empty()) return {};
  std::lock_guard<std::mutex> lock(writer_->mu);
  pg::Connection& w = writer_->conn;
  const std::string what = "queue " + std::to_string(items.size()) + " statements";
  pg::Transaction tx = begin_write(what);
  std::string sql = "INSERT INTO queue(body, sig) VALUES ";
  pg::Params params;
  for (std::size_t i = 0; i < items.size(); ++i) {
    const int at = params.size();
    sql += i == 0 ? "(" : ", (";
    sql += "$" + std::to_string(at + 1) + ", $" + std::to_string(at + 2) + ")";
    params.bytes(items[i].body).bytes(items[i].signature);
  }
  pg::Result r = w.query_sql(sql + " RETURNING id", params, what);
  // Identities are drawn in the order of the rows.
  std::vector<std::uint64_t> ids;
  for (int i = 0; i < PQntuples(r.get()); ++i) ids.push_back(count(r.get(), i, 0, label_));
  std::sort(ids.begin(), ids.end());
  w.exec("NOTIFY rekap_queue", what + ": notify the sequencer");
  tx.commit();
  return ids;
}

std::vector<QueuedStatement> PostgresStore::queued(std::size_t limit) {
  return readers_->run([&](pg::Connection& c) {
    pg::Result r = c.query("queued", pg::Params().index(limit), "read the queue");
    std::vector<QueuedStatement> out(static_cast<std::size_t>(PQntuples(r.get())));
    for (std::size_t i = 0; i < out.size(); ++i) {
      const int row = static_cast<int>(i);
      out[i].id = count(r.get(), row, 0, label_);
      out[i].body.assign(pg::bytes(r.get(), row, 1));
      pg::fixed(r.get(), row, 2, out[i].signature, label_);
    }
    return out;
  });
}

std::vector<QueueAnswer> PostgresStore::take_answers(const std::vector<std::uint64_t>& ids) {
  if (ids.empty()) return {};
  std::lock_guard<std::mutex> lock(writer_->mu);
  pg::Connection& w = writer_->conn;
  if (w.closed()) w.reopen();
  pg::Result r = w.query("take_answers", pg::Params().text(id_array(ids)), "read answers");
  std::vector<QueueAnswer> out(static_cast<std::size_t>(PQntuples(r.get())));
  for (std::size_t i = 0; i < out.size(); ++i) {
    out[i].id = count(r.get(), static_cast<int>(i), 0, label_);
    out[i].text.assign(pg::bytes(r.get(), static_cast<int>(i), 1));
  }
  return out;
}

std::uint64_t PostgresStore::refresh_size() {
  const std::uint64_t durable = readers_->run([&](pg::Connection& c) {
    return count(c.query("durable_size", {}, "read the log's durable size").get(), 0, 0, label_);
  });
  // The sequencer's own size is ahead of what it has marked durable; a follower's follows it.
  std::uint64_t now = size_.load();
  while (!leading_.load() && durable > now && !size_.compare_exchange_weak(now, durable)) {
  }
  return durable;
}

unsigned PostgresStore::wait_events(std::chrono::milliseconds timeout) {
  constexpr unsigned kAll = kEventLog | kEventQueue | kEventAnswers;
  try {
    if (!listener_ || listener_->closed()) {
      listener_.reset();
      listener_ =
          std::make_unique<pg::Connection>(conninfo_, label_, kListen, std::vector<pg::Prepared>{});
      return kAll;
    }
    unsigned events = 0;
    for (const std::string& channel : listener_->notifications(timeout)) {
      if (channel == "rekap_log") events |= kEventLog;
      if (channel == "rekap_queue") events |= kEventQueue;
      if (channel == "rekap_answers") events |= kEventAnswers;
    }
    return events;
  } catch (const StoreError& e) {
    spdlog::warn("{}", e.what());
    listener_.reset();
    std::this_thread::sleep_for(timeout);
    return kAll;
  }
}

}  // namespace rekap
