#include "reports/rate_limiter.hpp"

#include <algorithm>
#include <stdexcept>

namespace rekap::reports {

namespace {

// How long a new key waits while the table is full of keys whose limits still bind.
constexpr std::chrono::seconds kFullWait{60};

std::chrono::seconds round_up(std::chrono::steady_clock::duration d) {
  auto s = std::chrono::ceil<std::chrono::seconds>(d);
  return std::max(s, std::chrono::seconds(1));
}

}  // namespace

RateLimiter::RateLimiter(std::vector<Limit> limits, std::size_t max_keys) : max_keys_(max_keys) {
  for (const Limit& l : limits) {
    if (l.count == 0 || l.period <= std::chrono::seconds::zero()) {
      throw std::invalid_argument("a rate limit needs a count and a period above zero");
    }
    auto period = std::chrono::duration_cast<std::chrono::steady_clock::duration>(l.period);
    auto interval = period / l.count;
    rules_.push_back({interval, period - interval});
  }
}

std::chrono::seconds RateLimiter::wait(const std::string& key, SteadyTime now) {
  auto it = full_at_.find(key);
  if (it == full_at_.end()) {
    if (full_at_.size() >= max_keys_) forget_full(now);
    return full_at_.size() >= max_keys_ ? kFullWait : std::chrono::seconds::zero();
  }
  std::chrono::steady_clock::duration longest{0};
  for (std::size_t i = 0; i < rules_.size(); ++i) {
    // Room for one more while the bucket is full again within the burst tolerance.
    longest = std::max(longest, it->second[i] - rules_[i].tolerance - now);
  }
  return longest > std::chrono::steady_clock::duration::zero() ? round_up(longest)
                                                               : std::chrono::seconds::zero();
}

void RateLimiter::take(const std::string& key, SteadyTime now) {
  auto [it, added] = full_at_.try_emplace(key, rules_.size(), now);
  for (std::size_t i = 0; i < rules_.size(); ++i) {
    it->second[i] = std::max(it->second[i], now) + rules_[i].interval;
  }
}

void RateLimiter::forget_full(SteadyTime now) {
  std::erase_if(full_at_, [now](const auto& entry) {
    return std::all_of(entry.second.begin(), entry.second.end(),
                       [now](SteadyTime t) { return t <= now; });
  });
}

}  // namespace rekap::reports
