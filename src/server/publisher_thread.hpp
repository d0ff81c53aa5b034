#pragma once
// The background thread of a publisher (the results documents, the portal's documents, the open
// data): a pass every interval. While statements are arriving, each pass is followed by a rest
// of kBusyRestFactor times as long as it took: three publishers then take at most half a core
// together from ingest, whatever their passes cost, and a slow pass (a national night, a slow
// disk) makes the passes rarer, each covering more changes at once. When statements stop
// arriving the rest is as long as the pass took, so the files catch up at half a core each.
// The first pass, which renders everything once at start, is followed by the interval only.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace rekap::server {

// When statements were last stored; the sequencer marks it, the publishers read it.
class IngestActivity {
 public:
  // Quiet this long after the last statement: the night is over or paused.
  static constexpr std::chrono::seconds kQuiet{2};

  void stored();
  bool busy() const;

 private:
  std::atomic<std::chrono::steady_clock::rep> last_{0};  // steady_clock ticks; 0: never
};

class PublisherThread {
 public:
  static constexpr int kBusyRestFactor = 5;

  PublisherThread() = default;
  PublisherThread(const PublisherThread&) = delete;
  PublisherThread& operator=(const PublisherThread&) = delete;
  ~PublisherThread();

  // Runs `pass` on a thread named `name`, paced by `ingest` (which must outlive the thread); an
  // exception from a pass is logged and the next pass runs as usual.
  void start(std::string name, std::chrono::milliseconds interval, const IngestActivity& ingest,
             std::function<void()> pass);
  // Asks the pass in progress to stop (passes check stopping()) and waits for the thread.
  void stop();
  // True once stop() was called: a pass should return soon.
  const std::atomic<bool>& stopping() const { return stopping_; }

 private:
  std::atomic<bool> stopping_{false};
  std::mutex mutex_;
  std::condition_variable wake_;
  std::thread thread_;
};

}  // namespace rekap::server
