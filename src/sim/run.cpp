#include "sim/run.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <boost/json.hpp>
#include <chrono>
#include <map>
#include <mutex>
#include <thread>

#include "audit/compare.hpp"
#include "client/http_client.hpp"
#include "core/statement.hpp"
#include "crypto/encoding.hpp"
#include "sim/votes.hpp"
#include "tally/tally.hpp"

namespace rekap::sim {

namespace json = boost::json;
using Clock = std::chrono::steady_clock;

namespace {

// Election day, with each TPS's statements a little later than the one before, so that a re-run
// produces byte-identical statements.
std::string sim_time(std::size_t i) {
  std::size_t minutes = 13 * 60 + (i % (10 * 60));
  char buf[32];
  std::snprintf(buf, sizeof buf, "2024-02-14T%02zu:%02zu:00Z", minutes / 60, minutes % 60);
  return buf;
}

double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

// Posts every body from `clients` threads; returns per-request latencies in ms.
std::vector<double> post_all(const RunOptions& opt, const std::vector<std::string>& items,
                             std::atomic<std::uint64_t>& ok, std::atomic<std::uint64_t>& failed,
                             std::atomic<std::uint64_t>& retries) {
  std::atomic<std::size_t> next{0};
  std::mutex mutex;
  std::vector<double> latencies;
  latencies.reserve(items.size());
  std::vector<std::thread> threads;
  Url url = Url::parse(opt.url);
  for (int c = 0; c < std::max(1, opt.clients); ++c) {
    threads.emplace_back([&] {
      HttpClient client(url);
      std::vector<double> mine;
      for (std::size_t i; (i = next.fetch_add(1)) < items.size();) {
        bool done = false;
        for (int attempt = 1; attempt <= opt.max_attempts && !done; ++attempt) {
          auto start = Clock::now();
          try {
            auto res = client.request("POST", "/api/v1/statements", items[i]);
            mine.push_back(seconds_since(start) * 1000);
            if (res.status == 200) {
              ok.fetch_add(1);
            } else {
              spdlog::warn("statement {} refused ({}): {}", i, res.status, res.body);
              failed.fetch_add(1);
            }
            done = true;
          } catch (const HttpError& e) {
            if (attempt == opt.max_attempts) {
              spdlog::error("giving up on statement {}: {}", i, e.what());
              failed.fetch_add(1);
            } else {
              retries.fetch_add(1);
              std::this_thread::sleep_for(std::chrono::milliseconds(50 * attempt));
            }
          }
        }
      }
      std::lock_guard lock(mutex);
      latencies.insert(latencies.end(), mine.begin(), mine.end());
    });
  }
  for (auto& t : threads) t.join();
  return latencies;
}

Latency percentiles(std::vector<double> v) {
  Latency l;
  if (v.empty()) return l;
  std::sort(v.begin(), v.end());
  auto at = [&](double q) { return v[std::min(v.size() - 1, std::size_t(q * v.size()))]; };
  l.p50_ms = at(0.50);
  l.p90_ms = at(0.90);
  l.p99_ms = at(0.99);
  l.max_ms = v.back();
  return l;
}

}  // namespace

std::string request_body(const SignedStatement& s) {
  return json::serialize(
      json::object{{"statement", s.body}, {"signature", to_base64(s.signature)}});
}

Plan plan_election(const Definition& def, const SecretKey& admin, std::uint64_t seed) {
  Plan plan;
  for (const Tps& t : def.tps) {
    Statement st;
    st.type = StatementType::enrol;
    st.election = def.election_id;
    st.time = "2024-02-13T12:00:00Z";
    st.key = device_key(def.election_id, t.code, seed).public_key();
    st.role = Role::kpps;
    st.scope = t.code;
    plan.enrolments.push_back(SignedStatement::sign(st, admin));
  }
  VoteModel votes(def, seed);
  for (std::size_t i = 0; i < def.tps.size(); ++i) {
    const Tps& t = def.tps[i];
    SecretKey key = device_key(def.election_id, t.code, seed);
    for (Ballot b : kAllBallots) {
      int c = t.contest[int(b)];
      if (c < 0) continue;
      Statement st;
      st.type = StatementType::result;
      st.election = def.election_id;
      st.time = sim_time(i);
      st.tps = t.code;
      st.ballot = b;
      st.rev = 1;
      auto values = votes.values(int(i), b);
      const FormLayout& layout = def.contests[c].layout;
      for (std::size_t f = 0; f < layout.fields.size(); ++f) {
        st.values.emplace_back(layout.fields[f].name, values[f]);
      }
      plan.results.push_back(SignedStatement::sign(st, key));
    }
  }
  return plan;
}

SecretKey device_key(const std::string& election, const std::string& tps, std::uint64_t seed) {
  Hash32 h = sha256("rekap-sim-device/" + election + "/" + tps + "/" + std::to_string(seed));
  return SecretKey::from_seed(h);
}

RunReport run_election(const Definition& def, const SecretKey& admin, const RunOptions& options) {
  RunReport report;
  HttpClient client(Url::parse(options.url));
  auto election = client.get("/api/v1/election");
  if (election.status != 200) {
    throw std::runtime_error("GET /api/v1/election answered " + std::to_string(election.status));
  }
  json::value info = json::parse(election.body);
  if (info.at("definition_sha256").as_string() != to_hex(def.hash)) {
    throw std::runtime_error("the server runs a different election definition (" +
                             std::string(info.at("definition_sha256").as_string()) + ") than " +
                             to_hex(def.hash));
  }

  std::atomic<std::uint64_t> ok{0}, failed{0}, retries{0};
  // Everything is signed before the clock starts: the run measures the server, not the signing.
  Plan plan = plan_election(def, admin, options.seed);
  std::vector<std::string> enrolments, results;
  for (const auto& s : plan.enrolments) enrolments.push_back(request_body(s));
  for (const auto& s : plan.results) results.push_back(request_body(s));
  plan = {};
  auto counters = [&client] {
    auto doc = json::parse(client.get("/api/v1/health").body);
    return std::pair{doc.at("accepted").to_number<std::uint64_t>(),
                     doc.at("duplicates").to_number<std::uint64_t>()};
  };
  auto before = counters();
  auto start = Clock::now();
  post_all(options, enrolments, ok, failed, retries);
  report.enrol_seconds = seconds_since(start);
  report.enrolled = ok.exchange(0);

  // The ground truth, summed by the same delta rule the server uses but from the simulator's
  // own numbers, never from what the server said.
  VoteModel votes(def, options.seed);
  Tally expected(def);
  for (std::size_t i = 0; i < def.tps.size(); ++i) {
    for (Ballot b : kAllBallots) {
      if (def.tps[i].contest[int(b)] >= 0) expected.replace(int(i), b, {}, votes.values(int(i), b));
    }
  }
  start = Clock::now();
  auto latencies = post_all(options, results, ok, failed, retries);
  report.submit_seconds = seconds_since(start);
  report.results = ok.load();
  report.failed = failed.load();
  report.retries = retries.load();
  report.results_per_second =
      report.submit_seconds > 0 ? report.results / report.submit_seconds : 0;
  report.latency = percentiles(std::move(latencies));
  auto after = counters();
  report.new_statements = after.first - before.first;
  report.already_stored = after.second - before.second;

  if (options.check) {
    auto truth = [&](int tps, Ballot b) -> std::optional<std::vector<std::uint32_t>> {
      return votes.values(tps, b);
    };
    auto comparison = audit::compare_published(def, expected, truth, client);
    report.regions_checked = comparison.views;
    report.mismatches = std::move(comparison.mismatches);
  }
  return report;
}

std::string RunReport::to_text() const {
  std::string s;
  s += "enrolled devices:   " + std::to_string(enrolled) + " in " + std::to_string(enrol_seconds) +
       " s\n";
  s += "statements stored:  " + std::to_string(new_statements) + " new, " +
       std::to_string(already_stored) + " already stored (answered as duplicates)\n";
  s += "results acknowledged: " + std::to_string(results) + " in " +
       std::to_string(submit_seconds) + " s (" + std::to_string(std::uint64_t(results_per_second)) +
       " results/s)\n";
  s += "not acknowledged:   " + std::to_string(failed) + " (retries " + std::to_string(retries) +
       ")\n";
  s += "latency ms:         p50 " + std::to_string(latency.p50_ms) + ", p90 " +
       std::to_string(latency.p90_ms) + ", p99 " + std::to_string(latency.p99_ms) + ", max " +
       std::to_string(latency.max_ms) + "\n";
  s += "regions checked:    " + std::to_string(regions_checked) + " x ballot views\n";
  s += "totals:             " + std::string(mismatches.empty() ? "exact" : "MISMATCH") + "\n";
  for (std::size_t i = 0; i < std::min<std::size_t>(mismatches.size(), 20); ++i) {
    s += "  " + mismatches[i] + "\n";
  }
  return s;
}

std::string RunReport::to_json() const {
  json::array m;
  for (const auto& x : mismatches) m.push_back(json::value(x));
  return json::serialize(json::object{{"enrolled", enrolled},
                                      {"results", results},
                                      {"new_statements", new_statements},
                                      {"already_stored", already_stored},
                                      {"failed", failed},
                                      {"retries", retries},
                                      {"enrol_seconds", enrol_seconds},
                                      {"submit_seconds", submit_seconds},
                                      {"results_per_second", results_per_second},
                                      {"latency_ms", json::object{{"p50", latency.p50_ms},
                                                                  {"p90", latency.p90_ms},
                                                                  {"p99", latency.p99_ms},
                                                                  {"max", latency.max_ms}}},
                                      {"regions_checked", regions_checked},
                                      {"mismatches", std::move(m)},
                                      {"ok", ok()}});
}

}  // namespace rekap::sim
