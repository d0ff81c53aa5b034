#pragma once
// The store on a PostgreSQL server (15 or later), through libpq: the same tables, semantics and
// errors as the SQLite store, for deployments beyond one machine (docs/operations.md).
//
// Threads: libpq connections are not thread-safe, so the store holds one write connection
// under a mutex, which serialises every write (appends, metadata, definition, reports), and a
// small pool of read connections, each under its own mutex, which readers take in turn. A read
// never waits for an append's commit, and sees every append whose append() has returned.
//
// Durability: an append is one transaction with synchronous_commit on, so it returns only once
// the server (and, where it has synchronous standbys, they) hold it. Reads and scans stop at
// size(), the log's size when the last append returned.
//
// Connections: a session the server closes (a restart, a failover) is opened again on its
// next use, with the same connection string: a multi-host string with
// target_session_attrs=read-write then finds the server that now takes writes. A read that
// found its session closed is tried once more; a write is not (its commit may have happened),
// but the next one reconnects, reading the log's size again first.
//
// Several nodes (Coordination): the sequencer's lease is a session-level advisory lock taken
// by the write session, which idles out after the lease time (idle_session_timeout), so that
// a paused process loses it (keep_alive, from another thread of a live process, keeps the
// session busy); a sequencer's append checks in its transaction that its session
// holds the lock and that the log has the size it extends. Statements and answers pass
// through the tables queue and answers; NOTIFY on rekap_log, rekap_queue and rekap_answers
// wakes the other nodes, which LISTEN on a session of their own.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "store/coordination.hpp"
#include "store/store.hpp"

namespace rekap {

namespace pg {
class Connection;
class Pool;
class Transaction;
}  // namespace pg

// How long the sequencer's lease outlives a process that stops answering.
inline constexpr std::chrono::milliseconds kDefaultLease{3000};

class PostgresStore : public Store, public Coordination {
 public:
  // Connects with a libpq connection string, in keyword form ("host=a,b port=5432,5432
  // dbname=rekap user=rekap target_session_attrs=read-write") or as a URI
  // ("postgresql://rekap@a:5432,b:5432/rekap"), creating the schema in an empty database and
  // upgrading an older rekap's. OpenMode::existing refuses a database without the schema and
  // a server that takes no writes; with OpenMode::create, opening a server that takes no writes
  // succeeds if the schema is current, and appends to it are refused. Throws StoreError, whose
  // message names the server and the database but never the password.
  static std::unique_ptr<PostgresStore> open(const std::string& conninfo,
                                             OpenMode mode = OpenMode::create,
                                             std::chrono::milliseconds lease = kDefaultLease);
  // Whether `where` is a connection string rather than a file's path: a postgresql:// or
  // postgres:// URI, or keywords naming a host, a host address or a database, as libpq reads
  // them (so a path with "=" in it stays a path).
  static bool is_connection_string(const std::string& where);
  // "postgres store host=... port=... dbname=... user=...": how errors name the store.
  static std::string describe(const std::string& conninfo);
  ~PostgresStore() override;
  PostgresStore(const PostgresStore&) = delete;
  PostgresStore& operator=(const PostgresStore&) = delete;

  std::optional<std::string> get_meta(const std::string& key) override;
  void put_meta(const std::string& key, const std::string& value) override;

  void save_definition(const DefinitionFiles& files) override;
  std::optional<DefinitionFiles> load_definition() override;

  std::uint64_t size() override;
  // The statements and tree nodes go in by binary COPY, the current results by one multi-row
  // INSERT ... ON CONFLICT, all in one transaction.
  void append(const std::vector<StoredStatement>& statements,
              const std::vector<CurrentUpdate>& current,
              const std::vector<TreeNode>& nodes) override;
  std::vector<StoredStatement> range(std::uint64_t first, std::uint64_t count) override;
  std::vector<Hash32> read_hashes(int level, std::uint64_t first, std::uint64_t count) override;
  // Streams in batches, releasing the connection between them, so fn may call back into the
  // store. Stops at the size the log had when the scan began.
  void scan(std::uint64_t from, const std::function<void(const StoredStatement&)>& fn) override;
  std::optional<StoredStatement> get(std::uint64_t index) override;
  std::vector<StoredStatement> by_tps(const std::string& tps) override;
  std::vector<CurrentUpdate> current_of(const std::string& tps) override;
  std::uint64_t add_report(const Report& report) override;
  std::vector<Report> reports(const std::string& prefix, std::size_t limit) override;
  ReportCounts report_counts(const std::string& prefix) override;
  std::vector<ReportGroup> report_groups(const std::string& prefix, std::size_t length,
                                         std::size_t limit) override;

  bool try_lead() override;
  void keep_lead() override;
  void keep_alive() override;
  void append_decided(const std::vector<StoredStatement>& statements,
                      const std::vector<CurrentUpdate>& current, const std::vector<TreeNode>& nodes,
                      const std::vector<QueueAnswer>& answers) override;
  std::vector<std::uint64_t> enqueue(const std::vector<QueuedStatement>& items) override;
  std::vector<QueuedStatement> queued(std::size_t limit) override;
  std::vector<QueueAnswer> take_answers(const std::vector<std::uint64_t>& ids) override;
  std::uint64_t refresh_size() override;
  unsigned wait_events(std::chrono::milliseconds timeout) override;

 private:
  struct Link;

  PostgresStore(std::string conninfo, std::string label);
  // Both appends; `fenced`: the sequencer's, which proves its lease and the log's size.
  void write_append(const std::vector<StoredStatement>& statements,
                    const std::vector<CurrentUpdate>& current, const std::vector<TreeNode>& nodes,
                    const std::vector<QueueAnswer>& answers, bool fenced);
  // Whether the write session holds the lease, and the log's size, read in its transaction or
  // on its own; call with the writer's mutex held.
  std::pair<bool, std::uint64_t> read_fence(const std::string& what);
  // Records the log's size as durable, in a fenced transaction whose commit the synchronous
  // standby acknowledges; call with the writer's mutex held. Throws FencedOut.
  void mark_durable();
  // Begins a write transaction; call with the writer's mutex held.
  pg::Transaction begin_write(const std::string& what);
  void read_size();

  std::string conninfo_;
  std::string label_;
  std::unique_ptr<Link> writer_;
  std::atomic<bool> leading_{false};  // changed under the writer's mutex
  std::uint64_t durable_ = 0;         // the durable size last recorded; under the writer's mutex
  std::unique_ptr<pg::Connection> listener_;  // wait_events' own
  std::unique_ptr<pg::Pool> readers_;
  // Statements stored; only the writer changes it, after its transaction commits.
  std::atomic<std::uint64_t> size_{0};
};

}  // namespace rekap
