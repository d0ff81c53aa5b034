#pragma once
// A few sessions opened alike, shared by threads: a call takes a free session if there is one,
// else waits its turn on one. A session the server closed (a restart, a failover) is opened
// again before use, and a call that found it closed is run once more, so calls must be safe to
// repeat (reads, and writes that change nothing the second time).
#include <atomic>
#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "store/postgres/connection.hpp"

namespace rekap::pg {

class Pool {
 public:
  // Opens `size` sessions (see Connection). Throws StoreError.
  Pool(const std::string& conninfo, const std::string& label, const std::string& setup,
       const std::vector<Prepared>& prepared, std::size_t size) {
    for (std::size_t i = 0; i < size; ++i) {
      slots_.push_back(std::make_unique<Slot>(conninfo, label, setup, prepared));
    }
  }

  // fn(Connection&) on a session of the pool; what fn returns. Throws what fn throws.
  template <class Fn>
  auto run(Fn&& fn) {
    const std::size_t start = next_.fetch_add(1, std::memory_order_relaxed);
    Slot* slot = nullptr;
    std::unique_lock<std::mutex> lock;
    for (std::size_t i = 0; i < slots_.size() && !slot; ++i) {
      Slot& s = *slots_[(start + i) % slots_.size()];
      lock = std::unique_lock<std::mutex>(s.mu, std::try_to_lock);
      if (lock.owns_lock()) slot = &s;
    }
    if (!slot) {
      slot = slots_[start % slots_.size()].get();
      lock = std::unique_lock<std::mutex>(slot->mu);
    }
    Connection& conn = slot->conn;
    if (conn.closed()) conn.reopen();
    try {
      return fn(conn);
    } catch (const StoreError&) {
      // Closed while it ran: the call is safe to repeat.
      if (!conn.closed()) throw;
    }
    conn.reopen();
    return fn(conn);
  }

 private:
  struct Slot {
    Slot(const std::string& conninfo, const std::string& label, const std::string& setup,
         const std::vector<Prepared>& prepared)
        : conn(conninfo, label, setup, prepared) {}
    std::mutex mu;
    Connection conn;
  };
  std::vector<std::unique_ptr<Slot>> slots_;
  std::atomic<std::size_t> next_{0};
};

}  // namespace rekap::pg
