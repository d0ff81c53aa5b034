#include "reports/reports.hpp"

#include <spdlog/spdlog.h>

#include <boost/json.hpp>
#include <filesystem>

#include "crypto/encoding.hpp"
#include "reports/request.hpp"
#include "reports/views.hpp"
#include "util/files.hpp"

namespace rekap::reports {

namespace json = boost::json;
using namespace std::chrono_literals;

namespace {

constexpr std::size_t kTopTps = 10;
constexpr std::size_t kTpsCodeLength = 13;
// What a client sent today is remembered to refuse it twice; the day limit's horizon.
constexpr std::chrono::seconds kDuplicateHorizon = 24h;
constexpr std::size_t kDuplicatesKept = 200000;

ReportAnswer refusal(int status, const std::string& code, const std::string& member,
                     const std::string& message) {
  json::object body{{"error", code}, {"message", message}};
  if (!member.empty()) body["field"] = member;
  return {status, std::move(body), 0s};
}

ReportAnswer too_many(const std::string& message, std::chrono::seconds wait) {
  ReportAnswer a = refusal(429, "rate_limited", "",
                           message + "; try again in " + std::to_string(wait.count()) + " s");
  a.body.as_object()["retry_after"] = wait.count();
  a.retry_after = wait;
  return a;
}

}  // namespace

Reports::Reports(const Definition& def, Store& store, std::string publish_dir,
                 ReportOptions options)
    : def_(def),
      store_(store),
      publish_dir_(std::move(publish_dir)),
      options_(std::move(options)),
      trusted_(options_.trusted_proxies),
      clients_({{options_.per_client_minute, 60s}, {options_.per_client_day, 24h}}),
      tps_({{options_.per_tps_hour, 1h}}),
      sent_(kDuplicateHorizon, kDuplicatesKept) {
  if (publish_dir_.empty()) return;
  // A publish directory started afresh gets the documents back.
  for (const ReportGroup& g : store_.report_groups("", kTpsCodeLength, 0)) {
    int t = def_.find_tps(g.code);
    if (t >= 0 && !std::filesystem::exists(std::filesystem::path(publish_dir_) / file_of(g.code))) {
      publish(t);
    }
  }
}

std::string Reports::file_of(const std::string& tps) {
  // nginx: location /api/v1/ { try_files $uri.json =404; }
  return "api/v1/reports/" + tps + ".json";
}

ReportAnswer Reports::submit(std::string_view body, const boost::asio::ip::address& peer,
                             std::string_view forwarded_for) {
  Report report;
  try {
    report = parse_report(body, def_);
    if (report.statement || report.image) check_evidence(report, store_.by_tps(report.tps));
  } catch (const ReportRefused& e) {
    return refusal(e.status(), e.code(), e.member(), e.what());
  }
  std::string client = http::client_key(http::client_address(peer, forwarded_for, trusted_));
  // Remembered as a hash: the duplicate memory holds neither addresses nor texts.
  std::string sent = to_hex(sha256(client + '\n' + report.tps + '\n' + report.text));
  auto now = std::chrono::steady_clock::now();

  std::lock_guard lock(mutex_);
  if (sent_.contains(sent, now)) {
    return refusal(409, "duplicate", "text",
                   "you have already reported this text for TPS " + report.tps + " today");
  }
  if (auto wait = clients_.wait(client, now); wait > 0s) {
    return too_many("too many reports from your address: at most " +
                        std::to_string(options_.per_client_minute) + " a minute and " +
                        std::to_string(options_.per_client_day) + " a day",
                    wait);
  }
  if (auto wait = tps_.wait(report.tps, now); wait > 0s) {
    return too_many("TPS " + report.tps + " has had " + std::to_string(options_.per_tps_hour) +
                        " reports in the last hour, the most accepted for one TPS",
                    wait);
  }
  report.received_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                           std::chrono::system_clock::now().time_since_epoch())
                           .count();
  report.id = store_.add_report(report);
  clients_.take(client, now);
  tps_.take(report.tps, now);
  sent_.insert(sent, now);
  int t = def_.find_tps(report.tps);
  publish(t);
  ReportCounts counts = store_.report_counts(report.tps);
  return {201,
          json::object{{"status", "stored"},
                       {"id", report.id},
                       {"report", report_json(report)},
                       {"tps_total", counts.total}},
          0s};
}

json::value Reports::document(const std::string& code) {
  if (int t = def_.find_tps(code); t >= 0) {
    return tps_reports_json(def_, t, store_.report_counts(code),
                            store_.reports(code, kTpsReportsShown));
  }
  int r = def_.find_region(code);
  if (r < 0) return nullptr;
  const Region& region = def_.regions[std::size_t(r)];
  // Sub-regions, or a desa's TPS.
  std::size_t child_length = region.children.empty()
                                 ? kTpsCodeLength
                                 : def_.regions[std::size_t(region.children.front())].code.size();
  return region_reports_json(def_, r, store_.report_counts(code),
                             store_.report_groups(code, child_length, 0),
                             store_.report_groups(code, kTpsCodeLength, kTopTps),
                             store_.reports(code, kRegionReportsShown));
}

void Reports::publish(int tps) {
  if (publish_dir_.empty()) return;
  const std::string& code = def_.tps[std::size_t(tps)].code;
  try {
    write_file_atomically(std::filesystem::path(publish_dir_) / file_of(code),
                          json::serialize(document(code)));
  } catch (const std::exception& e) {
    // The report is stored; the next one about this TPS, or a restart, writes the file again.
    spdlog::error("publishing the reports of TPS {} failed: {}", code, e.what());
  }
}

}  // namespace rekap::reports
