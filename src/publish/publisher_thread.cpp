#include "publish/publisher_thread.hpp"

#include <spdlog/spdlog.h>

#include "util/thread_role.hpp"

namespace rekap::publish {

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
  ingest_ = &ingest;
  thread_ = std::thread([this, name = std::move(name), interval, pass = std::move(pass)] {
    name_this_thread(name);
    thread_id_ = std::this_thread::get_id();
    bool first = true;
    while (!stopping_) {
      auto started = Clock::now();
      resumed_ = started;
      rested_ = {};
      try {
        pass();
      } catch (const std::exception& e) {
        spdlog::error("{}: publishing failed: {}", name, e.what());
      }
      pace();
      // Quiet: as much rest as work, half a core; the first pass renders everything once and
      // is followed by the interval only.
      auto worked = Clock::now() - started - rested_;
      auto rest = first || ingest_->busy() ? Clock::duration(0) : worked;
      first = false;
      std::unique_lock lock(mutex_);
      wake_.wait_for(lock, std::max<Clock::duration>(interval, rest),
                     [this] { return stopping_.load(); });
    }
  });
}

bool PublisherThread::pace() {
  if (stopping_ || std::this_thread::get_id() != thread_id_) return false;
  auto now = Clock::now();
  worked_ += now - resumed_;
  resumed_ = now;
  if (worked_ < kSlice) return true;
  auto rest = ingest_->busy() ? worked_ * kBusyRestFactor : Clock::duration(0);
  worked_ = {};
  if (rest > Clock::duration(0)) {
    std::unique_lock lock(mutex_);
    wake_.wait_for(lock, rest, [this] { return stopping_.load(); });
    resumed_ = Clock::now();
    rested_ += resumed_ - now;
  }
  return !stopping_;
}

void PublisherThread::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

}  // namespace rekap::publish
