#pragma once
// Runs the real `rekap` program: a data directory with a simulated election, and the server as
// a child process on 127.0.0.1 with a port of its own choosing.
#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

#include "core/definition.hpp"

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

// A simulated election initialised in a data directory: def/, data/, data/admin.key.
struct Election {
  TempDir dir;
  std::string def_dir;
  std::string data_dir;
  std::string admin_key;
  Definition def;
  explicit Election(const std::string& scale = "tiny", std::uint64_t seed = 1);
};

class ServerProcess {
 public:
  explicit ServerProcess(const std::string& data_dir, const std::vector<std::string>& extra = {});
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
