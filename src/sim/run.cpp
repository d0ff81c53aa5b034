#include "sim/run.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <boost/json.hpp>
#include <chrono>
#include <map>
#include <mutex>
#include <thread>

#include "client/http_client.hpp"
#include "core/statement.hpp"
#include "crypto/encoding.hpp"
#include "sim/votes.hpp"

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

// Ground truth per region and contest: sums and reporting TPS, summed directly from the votes.
struct Expected {
  std::map<std::pair<int, int>, std::vector<std::int64_t>> sums;  // (region, contest)
  std::map<std::pair<int, int>, std::uint32_t> reported;
};

void compare_totals(const Contest& contest, const json::object& got,
                    const std::vector<std::int64_t>& want, const std::string& where,
                    std::vector<std::string>& mismatches) {
  const FormLayout& layout = contest.layout;
  for (std::size_t f = 0; f < layout.fields.size(); ++f) {
    const json::value* v = got.if_contains(layout.fields[f].name);
    std::int64_t have = v && v->is_int64() ? v->as_int64() : -1;
    if (have != want[f]) {
      mismatches.push_back(where + " " + contest.id + " " + layout.fields[f].name + ": published " +
                           std::to_string(have) + ", expected " + std::to_string(want[f]));
    }
  }
}

void check_region(const Definition& def, HttpClient& client, Ballot b, int region,
                  const Expected& expected, std::uint64_t seed, RunReport& report) {
  const Region& r = def.regions[region];
  std::string path =
      "/api/v1/results/" + std::string(ballot_id(b)) + (r.code.empty() ? "" : "/" + r.code);
  auto res = client.get(path);
  std::string where = std::string(ballot_id(b)) + " " + (r.code.empty() ? "nasional" : r.code);
  if (res.status != 200) {
    report.mismatches.push_back(where + ": GET " + path + " answered " +
                                std::to_string(res.status));
    return;
  }
  json::value doc = json::parse(res.body);
  auto check_contests = [&](int reg, const json::array& contests, const std::string& at) {
    std::size_t want_count = 0;
    for (const auto& [key, sums] : expected.sums) {
      if (key.first != reg || def.contests[key.second].ballot != b) continue;
      ++want_count;
      const Contest& c = def.contests[key.second];
      const json::object* found = nullptr;
      for (const auto& cj : contests) {
        if (cj.as_object().at("id").as_string() == c.id) found = &cj.as_object();
      }
      if (!found) {
        report.mismatches.push_back(at + ": contest " + c.id + " is missing");
        continue;
      }
      std::int64_t reported = found->at("progress").as_object().at("reported").as_int64();
      if (reported != std::int64_t(expected.reported.at(key))) {
        report.mismatches.push_back(at + " " + c.id + ": " + std::to_string(reported) +
                                    " TPS reported, expected " +
                                    std::to_string(expected.reported.at(key)));
      }
      compare_totals(c, found->at("totals").as_object(), sums, at, report.mismatches);
    }
    if (contests.size() != want_count) {
      report.mismatches.push_back(at + ": " + std::to_string(contests.size()) +
                                  " contests, expected " + std::to_string(want_count));
    }
  };
  check_contests(region, doc.at("contests").as_array(), where);
  for (const auto& child : doc.at("children").as_array()) {
    const json::object& co = child.as_object();
    std::string code(co.at("code").as_string());
    if (co.at("level").as_string() != "tps") {
      check_contests(def.find_region(code), co.at("contests").as_array(),
                     std::string(ballot_id(b)) + " " + code);
      continue;
    }
    int t = def.find_tps(code);
    int c = def.tps[t].contest[int(b)];
    if (c < 0) continue;
    const json::value& totals = co.at("contests").as_array().at(0).as_object().at("totals");
    if (!totals.is_object()) {
      report.mismatches.push_back(std::string(ballot_id(b)) + " " + code + ": no result published");
      continue;
    }
    auto values = tps_values(def, t, b, seed);
    compare_totals(def.contests[c], totals.as_object(),
                   std::vector<std::int64_t>(values.begin(), values.end()),
                   std::string(ballot_id(b)) + " " + code, report.mismatches);
  }
  ++report.regions_checked;
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

  Expected expected;
  VoteModel votes(def, options.seed);
  for (std::size_t i = 0; i < def.tps.size(); ++i) {
    const Tps& t = def.tps[i];
    for (Ballot b : kAllBallots) {
      int c = t.contest[int(b)];
      if (c < 0) continue;
      auto values = votes.values(int(i), b);
      for (int r = t.region; r >= 0; r = def.regions[r].parent) {
        auto& sums = expected.sums[{r, c}];
        sums.resize(values.size());
        for (std::size_t f = 0; f < values.size(); ++f) sums[f] += values[f];
        expected.reported[{r, c}] += 1;
      }
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
    for (Ballot b : kAllBallots) {
      for (std::size_t r = 0; r < def.regions.size(); ++r) {
        check_region(def, client, b, int(r), expected, options.seed, report);
      }
    }
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
