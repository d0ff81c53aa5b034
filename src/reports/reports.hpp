#pragma once
// "Laporkan": citizens' reports of a discrepancy between a TPS's C1 photo and its published
// numbers, without accounts (docs/api.md#reports). A report is checked (report_request.hpp),
// held to rate limits per client address and per TPS and refused when the same client sent the
// same text for the same TPS today, then stored durably and the TPS's reports document written
// to the publish directory. Client addresses stay in memory, only as long as their limits need.
#include <boost/asio/ip/address.hpp>
#include <boost/json/value.hpp>
#include <chrono>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "core/definition.hpp"
#include "http/client_address.hpp"
#include "reports/rate_limiter.hpp"
#include "reports/recent_keys.hpp"
#include "store/store.hpp"

namespace rekap::reports {

struct ReportOptions {
  std::uint32_t per_client_minute = 3;
  std::uint32_t per_client_day = 20;
  std::uint32_t per_tps_hour = 30;
  // Reverse proxies whose X-Forwarded-For names the client (addresses or networks).
  std::vector<std::string> trusted_proxies;
};

// The answer to POST /api/v1/reports.
struct ReportAnswer {
  int status = 201;
  boost::json::value body;
  std::chrono::seconds retry_after{0};  // with 429
};

class Reports {
 public:
  // Writes the reports document of every TPS with reports that is missing from `publish_dir`
  // (none when it is empty). Throws std::invalid_argument for a bad option.
  Reports(const Definition& def, Store& store, std::string publish_dir, ReportOptions options);

  // A report from the connection's `peer`; `forwarded_for` is its X-Forwarded-For, read only
  // when the peer is a trusted proxy.
  ReportAnswer submit(std::string_view body, const boost::asio::ip::address& peer,
                      std::string_view forwarded_for);
  // GET /api/v1/reports[/<code>]: a TPS's reports, or the counts over a region (the nation for
  // ""); null when the code is neither.
  boost::json::value document(const std::string& code);
  // Path of a TPS's reports document below the publish directory.
  static std::string file_of(const std::string& tps);

 private:
  void publish(int tps);

  const Definition& def_;
  Store& store_;
  std::string publish_dir_;
  ReportOptions options_;
  http::TrustedProxies trusted_;

  std::mutex mutex_;  // the limits, the duplicate memory, and writing a TPS's document
  RateLimiter clients_;
  RateLimiter tps_;
  RecentKeys sent_;
};

}  // namespace rekap::reports
