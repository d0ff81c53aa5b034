#pragma once
// How rekap runs a long-lived thread (the sequencer, the log's signer, the publishers, the form
// readers): started with a name (thread_role.hpp), stopped by setting a flag under its owner's
// mutex, waking every waiter on the owner's condition variable and joining, so a loop that waits
// there for "stopping() or work" never misses the stop.
#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace rekap {

class Worker {
 public:
  // The owner's mutex and condition variable; declare the Worker after them.
  Worker(std::mutex& mutex, std::condition_variable& wake) : mutex_(mutex), wake_(wake) {}
  ~Worker() { stop(); }
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;

  // Runs `body` on `count` threads named `name`.
  void start(const std::string& name, const std::function<void()>& body, int count = 1);
  // Asks the threads to stop and waits for them; calling it again does nothing.
  void stop();
  // True once stop() was called; read it anywhere, wait for it under the owner's mutex.
  bool stopping() const { return stopping_.load(); }

 private:
  std::mutex& mutex_;
  std::condition_variable& wake_;
  std::atomic<bool> stopping_{false};
  std::vector<std::thread> threads_;
};

}  // namespace rekap
