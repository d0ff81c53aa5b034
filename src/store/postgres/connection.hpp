#pragma once
// One libpq session with the PostgreSQL server behind the store, and what the store does with
// it: run SQL with parameters and read binary results, copy rows in, and turn every failure into
// a StoreError that names the store and the step, never the password. A Connection is not
// thread-safe: the store guards each one with its own mutex.
#include <libpq-fe.h>

#include <array>
#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "store/store.hpp"

namespace rekap::pg {

struct ResultFree {
  void operator()(PGresult* r) const { PQclear(r); }
};
using Result = std::unique_ptr<PGresult, ResultFree>;

// "postgres store host=... port=... dbname=... user=...": how errors and logs name a store,
// from the options libpq reads in conninfo, leaving out the password.
std::string describe(const std::string& conninfo);

// The parameters of one query. Numbers and text go in PostgreSQL's text format; bytes go in
// binary, as bytea, and are not copied: they must outlive the query.
class Params {
 public:
  Params() = default;
  // Copies would point into the original's strings.
  Params(const Params&) = delete;
  Params& operator=(const Params&) = delete;

  Params& text(std::string value);
  Params& number(std::int64_t value) { return text(std::to_string(value)); }
  // A log index or a count; the largest ones become PostgreSQL's largest bigint, which no
  // stored index reaches.
  Params& index(std::uint64_t value);
  Params& bytes(std::string_view value);
  template <std::size_t N>
  Params& bytes(const std::array<std::uint8_t, N>& value) {
    return bytes(std::string_view(reinterpret_cast<const char*>(value.data()), N));
  }
  Params& null();

  int size() const { return static_cast<int>(values_.size()); }
  const char* const* values() const { return values_.data(); }
  const int* lengths() const { return lengths_.data(); }
  const int* formats() const { return formats_.data(); }

 private:
  std::deque<std::string> owned_;  // a deque: growing it never moves the strings values_ points to
  std::vector<const char*> values_;
  std::vector<int> lengths_;
  std::vector<int> formats_;
};

// A statement prepared on the session under a name, again after every reconnection (prepared
// statements live as long as the session).
struct Prepared {
  std::string name;
  std::string sql;
};

class Connection {
 public:
  // Connects and runs `setup` (SET commands) and prepares `prepared`. libpq reads conninfo,
  // in either form (keywords or a postgresql:// URI), several hosts and target_session_attrs
  // included; rekap adds a 10 s connect_timeout and application_name "rekap" unless conninfo
  // sets them. Throws StoreError.
  Connection(std::string conninfo, std::string label, std::string setup,
             std::vector<Prepared> prepared);
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  const std::string& label() const { return label_; }
  PGconn* get() const { return conn_.get(); }
  // Whether the server closed the session (a restart, a failover, an administrator).
  bool closed() const;
  // Opens a closed session again with the same conninfo (so a multi-host string finds the
  // server that now takes writes) and sets it up again. Throws StoreError.
  void reopen();

  // Runs SQL without parameters (several statements are allowed). Throws StoreError.
  void exec(const std::string& sql, const std::string& what);
  // Runs a prepared statement; the rows, if any, come back in binary. Throws StoreError.
  Result query(const char* name, const Params& params, const std::string& what);
  // Runs SQL with parameters, unprepared: for statements whose shape varies with their input.
  Result query_sql(const std::string& sql, const Params& params, const std::string& what);
  // COPY ... FROM STDIN (FORMAT binary) with the rows in data (see binary_copy.hpp).
  void copy_in(const std::string& copy_sql, std::string_view data, const std::string& what);
  // The channels of the notifications this session (which LISTENs) has received, waiting up
  // to `timeout` for the first. Throws StoreError when the session is lost.
  std::vector<std::string> notifications(std::chrono::milliseconds timeout);

  // Throws a StoreError for a failed step: the server's message, its detail and context, and
  // what the failure means where it is one the operator must act on (a server that takes no
  // writes, a lost connection).
  [[noreturn]] void fail(const PGresult* result, const std::string& what) const;

 private:
  struct ConnFinish {
    void operator()(PGconn* c) const { PQfinish(c); }
  };

  void set_up();
  Result checked(PGresult* raw, const std::string& what) const;

  std::string conninfo_;
  std::string label_;
  std::string setup_;
  std::vector<Prepared> prepared_;
  std::unique_ptr<PGconn, ConnFinish> conn_;
};

// BEGIN ... COMMIT on one connection; rolls back unless committed.
class Transaction {
 public:
  Transaction(Connection& conn, std::string what);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

  // Throws StoreError if the commit fails, or if the server ended the transaction otherwise.
  void commit();

 private:
  Connection& conn_;
  std::string what_;
  bool committed_ = false;
};

// Readers of binary result columns. Each throws StoreError naming the column and row when the
// value does not have the size its type demands.
bool is_null(const PGresult* r, int row, int col);
// smallint, integer or bigint.
std::int64_t integer(const PGresult* r, int row, int col, const std::string& label);
std::string_view bytes(const PGresult* r, int row, int col);
void fixed(const PGresult* r, int row, int col, std::uint8_t* out, std::size_t size,
           const std::string& label);
template <std::size_t N>
void fixed(const PGresult* r, int row, int col, std::array<std::uint8_t, N>& out,
           const std::string& label) {
  fixed(r, row, col, out.data(), N, label);
}

}  // namespace rekap::pg
