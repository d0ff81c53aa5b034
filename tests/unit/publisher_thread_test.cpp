// The publishers' pacing: while statements arrive a publisher rests five times as long as it
// worked; when they stop it does not; stop() ends a rest at once. Lower bounds on sleeps only
// (a sleep is never shorter than asked), and generous upper bounds where something must not wait.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "publish/publisher_thread.hpp"

namespace rekap::publish {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

void work_for(Clock::duration d) {
  auto until = Clock::now() + d;
  while (Clock::now() < until) {
  }
}

// Runs one pass that works `work` and then paces; returns how long pace() took.
Clock::duration paced_after(const IngestActivity& ingest, Clock::duration work) {
  PublisherThread publisher;
  std::atomic<bool> done = false;
  std::atomic<Clock::rep> paced = 0;
  publisher.start("test-publisher", 10ms, ingest, [&] {
    if (done) return;
    work_for(work);
    auto before = Clock::now();
    publisher.pace();
    paced = (Clock::now() - before).count();
    done = true;
  });
  for (int i = 0; i < 1000 && !done; ++i) std::this_thread::sleep_for(10ms);
  publisher.stop();
  EXPECT_TRUE(done);
  return Clock::duration(paced.load());
}

TEST(PublisherThread, RestsFiveTimesItsWorkWhileStatementsArrive) {
  IngestActivity ingest;
  ingest.stored();
  EXPECT_TRUE(ingest.busy());
  EXPECT_GE(paced_after(ingest, 80ms), 5 * 80ms);
}

TEST(PublisherThread, DoesNotRestWhenNoStatementsArrive) {
  IngestActivity never;
  EXPECT_FALSE(never.busy());
  EXPECT_LT(paced_after(never, 80ms), 300ms);
}

TEST(PublisherThread, StopEndsARestAtOnce) {
  IngestActivity ingest;
  ingest.stored();
  PublisherThread publisher;
  std::atomic<bool> resting = false;
  std::atomic<bool> went_on = true;
  publisher.start("test-publisher", 10ms, ingest, [&] {
    work_for(1s);  // earns a five-second rest
    resting = true;
    went_on = publisher.pace();
  });
  while (!resting) std::this_thread::sleep_for(1ms);
  std::this_thread::sleep_for(100ms);
  auto before = Clock::now();
  publisher.stop();
  EXPECT_LT(Clock::now() - before, 3s);
  EXPECT_FALSE(went_on) << "pace() tells the pass to stop";
}

TEST(PublisherThread, PaceOnAnotherThreadNeitherRestsNorGoesOn) {
  IngestActivity ingest;
  ingest.stored();
  PublisherThread publisher;
  auto before = Clock::now();
  EXPECT_FALSE(publisher.pace());
  EXPECT_LT(Clock::now() - before, 1s);
}

}  // namespace
}  // namespace rekap::publish
