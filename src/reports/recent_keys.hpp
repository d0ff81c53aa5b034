#pragma once
// Keys seen within a time horizon (e.g. what a client reported today, to refuse the same report
// twice), oldest forgotten first; at most `max_keys` are kept. Pure logic: the time is passed in.
#include <chrono>
#include <deque>
#include <string>
#include <unordered_set>
#include <utility>

#include "reports/rate_limiter.hpp"

namespace rekap::reports {

class RecentKeys {
 public:
  RecentKeys(std::chrono::seconds horizon, std::size_t max_keys);

  // Whether `key` was inserted less than the horizon before `now` (and not pushed out since).
  bool contains(const std::string& key, SteadyTime now);
  void insert(const std::string& key, SteadyTime now);
  std::size_t size() const { return keys_.size(); }

 private:
  void forget(SteadyTime now);

  std::chrono::seconds horizon_;
  std::size_t max_keys_;
  std::deque<std::pair<SteadyTime, std::string>> order_;  // oldest first
  std::unordered_set<std::string> keys_;
};

}  // namespace rekap::reports
