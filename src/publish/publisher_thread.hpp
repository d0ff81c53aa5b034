#pragma once
// The background thread of a publisher (the results documents, the portal's documents, the open
// data): a pass every interval, over what changed since the last. Passes call pace() between
// pieces of work: while statements are arriving, a publisher rests five times as long as it
// worked, every 50 ms of work, so the three publishers together take at most half a core from
// ingest whatever their passes cost (a first pass that renders a nation, a slow disk), and a
// long pass makes the next one cover more changes at once. When statements stop arriving,
// passes run unthrottled, each followed by a rest as long as it took, and the files catch up.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "util/worker.hpp"

namespace rekap::publish {

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
  static constexpr std::chrono::milliseconds kSlice{50};

  PublisherThread() = default;
  PublisherThread(const PublisherThread&) = delete;
  PublisherThread& operator=(const PublisherThread&) = delete;
  ~PublisherThread();

  // Runs `pass` on a thread named `name`, paced by `ingest` (which must outlive the thread); an
  // exception from a pass is logged and the next pass runs as usual.
  void start(std::string name, std::chrono::milliseconds interval, const IngestActivity& ingest,
             std::function<void()> pass);
  // Asks the pass in progress to stop and waits for the thread.
  void stop();
  // For the pass, between pieces of work: rests if the publisher has worked its share while
  // statements arrive. False once stop() was called: the pass should return (state it keeps
  // must let the next start redo what was left). Returns false at once on any other thread.
  bool pace();

 private:
  using Clock = std::chrono::steady_clock;
  const IngestActivity* ingest_ = nullptr;
  std::atomic<std::thread::id> thread_id_;
  // The publisher thread's own: work since its last rest, when it last resumed, and how long it
  // rested within the current pass.
  Clock::duration worked_{};
  Clock::time_point resumed_;
  Clock::duration rested_{};
  std::mutex mutex_;
  std::condition_variable wake_;
  Worker worker_{mutex_, wake_};
};

}  // namespace rekap::publish
