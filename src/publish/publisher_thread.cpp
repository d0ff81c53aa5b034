#include "publish/publisher_thread.hpp"

#include <spdlog/spdlog.h>

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
  worker_.start(name, [this, name, interval, pass = std::move(pass)] {
    thread_id_ = std::this_thread::get_id();
    bool first = true;
    while (!worker_.stopping()) {
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
                     [this] { return worker_.stopping(); });
    }
  });
}

bool PublisherThread::pace() {
  if (worker_.stopping() || std::this_thread::get_id() != thread_id_) return false;
  auto now = Clock::now();
  worked_ += now - resumed_;
  resumed_ = now;
  if (worked_ < kSlice) return true;
  auto rest = ingest_->busy() ? worked_ * kBusyRestFactor : Clock::duration(0);
  worked_ = {};
  if (rest > Clock::duration(0)) {
    std::unique_lock lock(mutex_);
    wake_.wait_for(lock, rest, [this] { return worker_.stopping(); });
    resumed_ = Clock::now();
    rested_ += resumed_ - now;
  }
  return !worker_.stopping();
}

void PublisherThread::stop() {
  worker_.stop();
}

}  // namespace rekap::publish
