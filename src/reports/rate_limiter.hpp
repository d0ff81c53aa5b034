#pragma once
// Rate limits without accounts: for every key (a client's address, a TPS) and every limit, a
// token bucket, kept as the generic cell rate algorithm keeps one: a single time, the moment the
// bucket will be full again. A key whose buckets are all full holds no information and is
// forgotten, so memory follows the keys active within the longest period. Pure logic: the time
// is passed in.
#include <chrono>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

namespace rekap::reports {

using SteadyTime = std::chrono::steady_clock::time_point;

// At most `count` actions in any `period`; up to `count` at once after a quiet period.
struct Limit {
  std::uint32_t count = 1;
  std::chrono::seconds period{60};
};

class RateLimiter {
 public:
  // Throws std::invalid_argument for a limit of 0 or an empty period. `max_keys` bounds the keys
  // remembered: while that many are active, a new key waits (fails closed) rather than evicting
  // one whose limits still bind.
  explicit RateLimiter(std::vector<Limit> limits, std::size_t max_keys = 100000);

  // How long until `key` may act under every limit (rounded up to whole seconds); zero when it
  // may act now.
  std::chrono::seconds wait(const std::string& key, SteadyTime now);
  // Counts one action of `key` (after wait() said zero).
  void take(const std::string& key, SteadyTime now);
  // Keys remembered.
  std::size_t size() const { return full_at_.size(); }

 private:
  struct Rule {
    std::chrono::steady_clock::duration interval;   // period / count: one token's refill
    std::chrono::steady_clock::duration tolerance;  // period - interval: the burst allowed
  };
  // Forgets the keys whose buckets are all full again.
  void forget_full(SteadyTime now);

  std::vector<Rule> rules_;
  std::size_t max_keys_;
  // Per key, per rule: when that bucket is full again.
  std::unordered_map<std::string, std::vector<SteadyTime>> full_at_;
};

}  // namespace rekap::reports
