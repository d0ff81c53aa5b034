#pragma once
// Runs the real `rekap` program: a data directory with a simulated election, and the server as
// a child process on 127.0.0.1 with a port of its own choosing.
//
// The store is the tests' parameter: with REKAP_TEST_STORE=postgres each election gets a
// PostgreSQL database of its own on the server REKAP_TEST_PG names (ctest's
// integration_postgres starts a throwaway one), else the SQLite file in its data directory.
#include <sys/types.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/definition.hpp"
#include "unit/store_backends.hpp"

namespace rekap::test {

// Runs `rekap args...` to completion; returns its exit code and fills `output` (stdout+stderr).
int run_rekap(const std::vector<std::string>& args, std::string* output = nullptr);

// A temporary directory removed at destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::string& path() const { return path_; }
  std::string operator/(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// Which store the tests run on (REKAP_TEST_STORE).
Backend test_backend();

// A simulated election initialised in a data directory: def/, data/, data/admin.key, and the
// store (data/rekap.db, or a database of its own).
struct Election {
  TempDir dir;
  std::string def_dir;
  std::string data_dir;
  std::string admin_key;
  std::unique_ptr<PostgresTestDatabase> db;  // on PostgreSQL
  std::string store;                         // `--store` for init and serve; "" for SQLite
  Definition def;
  explicit Election(const std::string& scale = "tiny", std::uint64_t seed = 1);
  // Copies the data directory to `to` and the store beside it, as an operator who keeps a copy
  // could; returns the copy's `--store`.
  std::string copy(const std::string& to);

 private:
  std::vector<std::unique_ptr<PostgresTestDatabase>> copies_;
};

class ServerProcess {
 public:
  ServerProcess(const std::string& data_dir, const std::string& store,
                const std::vector<std::string>& extra = {});
  explicit ServerProcess(const Election& e, const std::vector<std::string>& extra = {})
      : ServerProcess(e.data_dir, e.store, extra) {}
  ~ServerProcess();
  ServerProcess(const ServerProcess&) = delete;

  const std::string& url() const { return url_; }
  pid_t pid() const { return pid_; }
  // SIGKILL, no chance to clean up.
  void kill_hard();
  // SIGTERM and wait; returns the exit status.
  int stop();
  const std::string& log_path() const { return log_; }

 private:
  pid_t pid_ = -1;
  std::string url_;
  std::string log_;
};

}  // namespace rekap::test
