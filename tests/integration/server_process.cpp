#include "server_process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "util/files.hpp"

extern char** environ;

namespace rekap::test {

namespace fs = std::filesystem;

namespace {

pid_t spawn(const std::vector<std::string>& args, const std::string& out_path) {
  std::vector<std::string> all{REKAP_BIN};
  all.insert(all.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : all) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0644);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  pid_t pid = -1;
  int rc = posix_spawn(&pid, REKAP_BIN, &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) throw std::runtime_error("cannot start " + std::string(REKAP_BIN));
  return pid;
}

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

int wait_exit(pid_t pid) {
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return -1;
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

}  // namespace

int run_rekap(const std::vector<std::string>& args, std::string* output) {
  TempDir tmp;
  std::string out = tmp / "out.txt";
  int code = wait_exit(spawn(args, out));
  if (output) *output = slurp(out);
  return code;
}

TempDir::TempDir() {
  std::random_device rd;
  path_ = (fs::temp_directory_path() /
           ("rekap-it-" + std::to_string(getpid()) + "-" + std::to_string(rd())))
              .string();
  fs::create_directories(path_);
}

TempDir::~TempDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

Backend test_backend() {
  const char* store = std::getenv("REKAP_TEST_STORE");
  if (!store || std::string(store) == "sqlite") return Backend::sqlite;
  if (std::string(store) == "postgres") return Backend::postgres;
  throw std::runtime_error("REKAP_TEST_STORE must be sqlite or postgres, not " +
                           std::string(store));
}

Election::Election(const std::string& scale, std::uint64_t seed) {
  def_dir = dir / "def";
  data_dir = dir / "data";
  admin_key = data_dir + "/admin.key";
  if (test_backend() == Backend::postgres) {
    if (const std::string why = unavailable(Backend::postgres); !why.empty()) {
      throw std::runtime_error(why);
    }
    db = std::make_unique<PostgresTestDatabase>();
    store = db->location();
  }
  std::string out;
  if (run_rekap({"sim", "geo", "--scale", scale, "--seed", std::to_string(seed), "--out", def_dir},
                &out) != 0) {
    throw std::runtime_error("rekap sim geo failed: " + out);
  }
  std::vector<std::string> init{"init", "--data", data_dir, "--def", def_dir};
  if (!store.empty()) init.insert(init.end(), {"--store", store});
  if (run_rekap(init, &out) != 0) {
    throw std::runtime_error("rekap init failed: " + out);
  }
  auto files = read_named_files(def_dir, kDefinitionFileNames);
  def = build_definition(files);
}

std::string Election::copy(const std::string& to) {
  fs::copy(data_dir, to, fs::copy_options::recursive);
  if (!db) return "";
  copies_.push_back(db->copy());
  return copies_.back()->location();
}

ServerProcess::ServerProcess(const std::string& data_dir, const std::string& store,
                             const std::vector<std::string>& extra) {
  log_ = data_dir + "/../server-" +
         std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()) + ".log";
  std::vector<std::string> args{"serve",     "--data", data_dir,          "--listen", "127.0.0.1:0",
                                "--threads", "2",      "--checkpoint-ms", "100"};
  if (!store.empty()) args.insert(args.end(), {"--store", store});
  args.insert(args.end(), extra.begin(), extra.end());
  pid_ = spawn(args, log_);
  // The server prints its URL once it is listening.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (std::chrono::steady_clock::now() < deadline) {
    std::string text = slurp(log_);
    auto at = text.find(" at http://");
    if (at != std::string::npos && text.find("/\n", at) != std::string::npos) {
      url_ = text.substr(at + 4, text.find("/\n", at) - at - 4);
      return;
    }
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      throw std::runtime_error("server exited at start: " + text);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  kill_hard();
  throw std::runtime_error("server did not start within 60 s: " + slurp(log_));
}

ServerProcess::~ServerProcess() {
  if (pid_ <= 0) return;
  // A server that ended on its own is what a failing test needs to see: its last words.
  int status = 0;
  if (waitpid(pid_, &status, WNOHANG) == pid_) {
    pid_ = -1;
    std::string text = slurp(log_);
    if (text.size() > 8000) text = "..." + text.substr(text.size() - 8000);
    std::fprintf(stderr, "rekap serve ended by itself (%s %d); its output:\n%s\n",
                 WIFEXITED(status) ? "exit" : "signal",
                 WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status), text.c_str());
    return;
  }
  stop();
}

void ServerProcess::kill_hard() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGKILL);
  wait_exit(pid_);
  pid_ = -1;
}

int ServerProcess::stop() {
  if (pid_ <= 0) return -1;
  ::kill(pid_, SIGTERM);
  int code = wait_exit(pid_);
  pid_ = -1;
  return code;
}

}  // namespace rekap::test
