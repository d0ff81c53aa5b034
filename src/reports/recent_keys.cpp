#include "reports/recent_keys.hpp"

namespace rekap::reports {

RecentKeys::RecentKeys(std::chrono::seconds horizon, std::size_t max_keys)
    : horizon_(horizon), max_keys_(max_keys) {}

bool RecentKeys::contains(const std::string& key, SteadyTime now) {
  forget(now);
  return keys_.contains(key);
}

void RecentKeys::insert(const std::string& key, SteadyTime now) {
  forget(now);
  if (!keys_.insert(key).second) return;
  order_.emplace_back(now, key);
  if (order_.size() > max_keys_) {
    keys_.erase(order_.front().second);
    order_.pop_front();
  }
}

void RecentKeys::forget(SteadyTime now) {
  while (!order_.empty() && order_.front().first + horizon_ <= now) {
    keys_.erase(order_.front().second);
    order_.pop_front();
  }
}

}  // namespace rekap::reports
