#include "store/postgres/connection.hpp"

#include <poll.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <limits>
#include <utility>

namespace rekap::pg {
namespace {

// libpq's messages end in a newline and may span lines ("Is the server running...?"); a
// StoreError is one line.
std::string one_line(std::string_view text) {
  std::string out;
  bool space = false;
  for (char c : text) {
    if (c == '\n' || c == '\t' || c == '\r' || c == ' ') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

// A server that takes no writes answers SQLSTATE 25006 (read_only_sql_transaction).
constexpr std::string_view kReadOnly = "25006";
// Sent by COPY in 1 MiB pieces: PQputCopyData takes an int length.
constexpr std::size_t kCopyChunk = 1 << 20;

}  // namespace

std::string describe(const std::string& conninfo) {
  std::string out = "postgres store";
  char* error = nullptr;
  PQconninfoOption* options = PQconninfoParse(conninfo.c_str(), &error);
  if (!options) {
    // Connecting reports what is wrong with the string; the label must not quote it, since it
    // may hold a password.
    PQfreemem(error);
    return out + " (connection string not understood)";
  }
  for (const char* keyword : {"host", "hostaddr", "port", "dbname", "user"}) {
    for (PQconninfoOption* o = options; o->keyword; ++o) {
      if (std::strcmp(o->keyword, keyword) == 0 && o->val && *o->val) {
        out += ' ';
        out += keyword;
        out += '=';
        out += o->val;
      }
    }
  }
  PQconninfoFree(options);
  return out;
}

Params& Params::text(std::string value) {
  owned_.push_back(std::move(value));
  values_.push_back(owned_.back().c_str());
  lengths_.push_back(0);
  formats_.push_back(0);
  return *this;
}

Params& Params::index(std::uint64_t value) {
  constexpr auto kMax = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
  return number(static_cast<std::int64_t>(std::min(value, kMax)));
}

Params& Params::bytes(std::string_view value) {
  // libpq reads a null pointer as SQL NULL; an empty view may carry one.
  static const char kEmpty = 0;
  values_.push_back(value.empty() ? &kEmpty : value.data());
  lengths_.push_back(static_cast<int>(value.size()));
  formats_.push_back(1);
  return *this;
}

Params& Params::null() {
  values_.push_back(nullptr);
  lengths_.push_back(0);
  formats_.push_back(0);
  return *this;
}

Connection::Connection(std::string conninfo, std::string label, std::string setup,
                       std::vector<Prepared> prepared)
    : conninfo_(std::move(conninfo)),
      label_(std::move(label)),
      setup_(std::move(setup)),
      prepared_(std::move(prepared)) {
  // Options before "dbname" are defaults that conninfo, expanded in its place, overrides. A
  // host that neither answers nor refuses (a dead machine) would otherwise hold a multi-host
  // connect for minutes before the next host is tried.
  const char* keywords[] = {"connect_timeout", "fallback_application_name", "dbname", nullptr};
  const char* values[] = {"10", "rekap", conninfo_.c_str(), nullptr};
  conn_.reset(PQconnectdbParams(keywords, values, 1));
  if (!conn_) throw StoreError(label_ + ": cannot connect: libpq is out of memory");
  if (PQstatus(conn_.get()) != CONNECTION_OK) {
    std::string message = label_ + ": cannot connect: " + one_line(PQerrorMessage(conn_.get()));
    if (PQconnectionNeedsPassword(conn_.get())) {
      message +=
          " (the server asks for a password: give it in the connection string, in "
          "PGPASSWORD or in ~/.pgpass)";
    }
    throw StoreError(message);
  }
  // The server's notices and warnings go to the log, not to stderr.
  PQsetNoticeProcessor(
      conn_.get(),
      [](void* label, const char* message) {
        spdlog::warn("{}: server says: {}", *static_cast<const std::string*>(label),
                     one_line(message));
      },
      &label_);
  set_up();
}

bool Connection::closed() const {
  return PQstatus(conn_.get()) == CONNECTION_BAD;
}

void Connection::reopen() {
  spdlog::warn("{}: the server closed the connection; connecting again", label_);
  PQreset(conn_.get());
  if (PQstatus(conn_.get()) != CONNECTION_OK) {
    throw StoreError(label_ + ": cannot connect again: " + one_line(PQerrorMessage(conn_.get())));
  }
  set_up();
}

void Connection::set_up() {
  if (!setup_.empty()) exec(setup_, "set up the session");
  for (const Prepared& p : prepared_) {
    checked(PQprepare(conn_.get(), p.name.c_str(), p.sql.c_str(), 0, nullptr),
            "prepare '" + p.sql + "'");
  }
}

Result Connection::checked(PGresult* raw, const std::string& what) const {
  Result result(raw);
  const ExecStatusType status = PQresultStatus(result.get());
  if (!result || (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)) {
    fail(result.get(), what);
  }
  return result;
}

void Connection::exec(const std::string& sql, const std::string& what) {
  checked(PQexec(conn_.get(), sql.c_str()), what);
}

Result Connection::query(const char* name, const Params& params, const std::string& what) {
  return checked(PQexecPrepared(conn_.get(), name, params.size(), params.values(), params.lengths(),
                                params.formats(), 1),
                 what);
}

Result Connection::query_sql(const std::string& sql, const Params& params,
                             const std::string& what) {
  return checked(PQexecParams(conn_.get(), sql.c_str(), params.size(), nullptr, params.values(),
                              params.lengths(), params.formats(), 1),
                 what);
}

void Connection::copy_in(const std::string& copy_sql, std::string_view data,
                         const std::string& what) {
  Result start(PQexec(conn_.get(), copy_sql.c_str()));
  if (PQresultStatus(start.get()) != PGRES_COPY_IN) fail(start.get(), what);
  for (std::size_t at = 0; at < data.size(); at += kCopyChunk) {
    const std::size_t n = std::min(kCopyChunk, data.size() - at);
    if (PQputCopyData(conn_.get(), data.data() + at, static_cast<int>(n)) != 1) {
      fail(nullptr, what);
    }
  }
  if (PQputCopyEnd(conn_.get(), nullptr) != 1) fail(nullptr, what);
  Result end(PQgetResult(conn_.get()));
  // The connection takes no new command until every result of this one has been read.
  while (Result more{PQgetResult(conn_.get())}) {
  }
  if (PQresultStatus(end.get()) != PGRES_COMMAND_OK) fail(end.get(), what);
}

std::vector<std::string> Connection::notifications(std::chrono::milliseconds timeout) {
  std::vector<std::string> channels;
  const auto drain = [&] {
    while (PGnotify* n = PQnotifies(conn_.get())) {
      channels.emplace_back(n->relname);
      PQfreemem(n);
    }
  };
  drain();
  if (!channels.empty()) return channels;
  pollfd fd{PQsocket(conn_.get()), POLLIN, 0};
  if (fd.fd < 0) fail(nullptr, "wait for notifications");
  const int ready = ::poll(&fd, 1, static_cast<int>(timeout.count()));
  if (ready < 0 && errno != EINTR) {
    throw StoreError(label_ + ": wait for notifications: " + std::strerror(errno));
  }
  if (ready > 0 && PQconsumeInput(conn_.get()) != 1) fail(nullptr, "read notifications");
  drain();
  return channels;
}

void Connection::fail(const PGresult* result, const std::string& what) const {
  std::string message = label_ + ": " + what + ": ";
  const char* primary = result ? PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY) : nullptr;
  if (primary) {
    message += primary;
    for (int field : {PG_DIAG_MESSAGE_DETAIL, PG_DIAG_CONTEXT}) {
      if (const char* text = PQresultErrorField(result, field)) {
        message += " (" + one_line(text) + ")";
      }
    }
  } else if (result && *PQresultErrorMessage(result)) {
    message += one_line(PQresultErrorMessage(result));
  } else if (*PQerrorMessage(conn_.get())) {
    message += one_line(PQerrorMessage(conn_.get()));
  } else {
    message += std::string("unexpected answer ") + PQresStatus(PQresultStatus(result));
  }
  const char* state = result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  if (state && state == kReadOnly) {
    message +=
        ": the server takes no writes (a read-only standby, or "
        "default_transaction_read_only is on); nothing was written";
  }
  if (closed()) message += ": the connection to the server is lost";
  throw StoreError(message);
}

Transaction::Transaction(Connection& conn, std::string what) : conn_(conn), what_(std::move(what)) {
  conn_.exec("BEGIN", what_ + ": begin transaction");
}

Transaction::~Transaction() {
  if (committed_ || conn_.closed()) return;
  const PGTransactionStatusType status = PQtransactionStatus(conn_.get());
  if (status != PQTRANS_INTRANS && status != PQTRANS_INERROR) return;
  Result result(PQexec(conn_.get(), "ROLLBACK"));
  if (PQresultStatus(result.get()) != PGRES_COMMAND_OK) {
    spdlog::error("{}: {}: rollback failed: {}", conn_.label(), what_,
                  one_line(PQerrorMessage(conn_.get())));
  }
}

void Transaction::commit() {
  Result result(PQexec(conn_.get(), "COMMIT"));
  if (PQresultStatus(result.get()) != PGRES_COMMAND_OK) {
    // With the connection lost, the commit may have happened or not: the store reads the
    // log's size again when it reconnects.
    conn_.fail(result.get(), what_ + ": commit");
  }
  // COMMIT of a transaction that failed earlier answers "ROLLBACK", not an error.
  if (std::strcmp(PQcmdStatus(result.get()), "COMMIT") != 0) {
    throw StoreError(conn_.label() + ": " + what_ + ": commit: the server rolled back instead");
  }
  committed_ = true;
}

bool is_null(const PGresult* r, int row, int col) {
  return PQgetisnull(r, row, col) != 0;
}

namespace {

[[noreturn]] void wrong_size(const PGresult* r, int row, int col, const std::string& label,
                             const std::string& expected) {
  throw StoreError(label + ": corrupt row: column " + PQfname(r, col) + " of row " +
                   std::to_string(row) + " has " + std::to_string(PQgetlength(r, row, col)) +
                   " bytes, not " + expected);
}

}  // namespace

std::int64_t integer(const PGresult* r, int row, int col, const std::string& label) {
  const auto* p = reinterpret_cast<const unsigned char*>(PQgetvalue(r, row, col));
  const int n = PQgetlength(r, row, col);
  if (n != 2 && n != 4 && n != 8) wrong_size(r, row, col, label, "2, 4 or 8");
  // Binary integers are big-endian two's complement; widen from the sign of the first byte.
  std::uint64_t v = (p[0] & 0x80) ? ~std::uint64_t{0} : 0;
  for (int i = 0; i < n; ++i) v = (v << 8) | p[i];
  return static_cast<std::int64_t>(v);
}

std::string_view bytes(const PGresult* r, int row, int col) {
  return std::string_view(PQgetvalue(r, row, col),
                          static_cast<std::size_t>(PQgetlength(r, row, col)));
}

void fixed(const PGresult* r, int row, int col, std::uint8_t* out, std::size_t size,
           const std::string& label) {
  if (is_null(r, row, col) || static_cast<std::size_t>(PQgetlength(r, row, col)) != size) {
    wrong_size(r, row, col, label, std::to_string(size));
  }
  std::memcpy(out, PQgetvalue(r, row, col), size);
}

}  // namespace rekap::pg
