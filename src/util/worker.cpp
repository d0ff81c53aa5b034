#include "util/worker.hpp"

#include "util/thread_role.hpp"

namespace rekap {

void Worker::start(const std::string& name, const std::function<void()>& body, int count) {
  for (int i = 0; i < count; ++i) {
    threads_.emplace_back([name, body] {
      name_this_thread(name);
      body();
    });
  }
}

void Worker::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (std::thread& t : threads_) {
    if (t.joinable()) t.join();
  }
  threads_.clear();
}

}  // namespace rekap
