#include "server/publisher_thread.hpp"

#include <spdlog/spdlog.h>

#include "util/thread_role.hpp"

namespace rekap::server {

void IngestActivity::stored() {
  last_.store(std::chrono::steady_clock::now().time_since_epoch().count(),
              std::memory_order_relaxed);
}

bool IngestActivity::busy() const {
  auto last = last_.load(std::memory_order_relaxed);
  if (last == 0) return false;
  auto since = std::chrono::steady_clock::now().time_since_epoch() -
               std::chrono::steady_clock::duration(last);
  return since < kQuiet;
}

PublisherThread::~PublisherThread() {
  stop();
}

void PublisherThread::start(std::string name, std::chrono::milliseconds interval,
                            const IngestActivity& ingest, std::function<void()> pass) {
  thread_ = std::thread([this, name = std::move(name), interval, &ingest, pass = std::move(pass)] {
    using clock = std::chrono::steady_clock;
    name_this_thread(name);
    bool first = true;
    while (!stopping_) {
      auto started = clock::now();
      try {
        pass();
      } catch (const std::exception& e) {
        spdlog::error("{}: publishing failed: {}", name, e.what());
      }
      auto ended = clock::now();
      auto took = first ? clock::duration(0) : ended - started;
      first = false;
      // Woken every interval to see whether ingest went quiet, which shortens the rest.
      std::unique_lock lock(mutex_);
      while (!stopping_) {
        auto rest =
            std::max<clock::duration>(interval, ingest.busy() ? took * kBusyRestFactor : took);
        auto now = clock::now();
        if (now >= ended + rest) break;
        wake_.wait_for(lock, std::min<clock::duration>(ended + rest - now, interval));
      }
    }
  });
}

void PublisherThread::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

}  // namespace rekap::server
