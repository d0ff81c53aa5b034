#include "sim/run.hpp"

#include "util/files.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <boost/json.hpp>
#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <set>
#include <thread>

#include "audit/compare.hpp"
#include "client/http_client.hpp"
#include "core/statement.hpp"
#include "crypto/encoding.hpp"
#include "sim/ocr_officer.hpp"
#include "sim/votes.hpp"
#include "tally/tally.hpp"

namespace rekap::sim {

namespace json = boost::json;
using Clock = std::chrono::steady_clock;

namespace {

// Election day, with each TPS's statements a little later than the one before, so that a re-run
// produces byte-identical statements.
std::string sim_time(std::size_t i, int hour = 13) {
  std::size_t minutes = std::size_t(hour) * 60 + (i % (10 * 60));
  char buf[32];
  std::snprintf(buf, sizeof buf, "2024-02-14T%02zu:%02zu:00Z", (minutes / 60) % 24, minutes % 60);
  return buf;
}

double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

// A deterministic coin: the same seed, fault and item always give the same answer.
bool coin(std::uint64_t seed, std::string_view fault, std::uint64_t item, double share) {
  Hash32 h = sha256(std::string(fault) + "/" + std::to_string(seed) + "/" + std::to_string(item));
  std::uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | h[std::size_t(i)];
  return double(v >> 11) / double(1ULL << 53) < share;
}

struct Job {
  int tps = 0;
  Ballot ballot = Ballot::ppwp;
};

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

// The statements of the night, made on demand (a national night does not fit in memory signed).
class Night {
 public:
  Night(const Definition& def, const SecretKey& admin, const RunOptions& o)
      : def_(def), admin_(admin), o_(o), votes_(def, o.seed) {
    if (o.ocr_share > 0) {
      officer_ =
          std::make_unique<OcrOfficer>(def, o.model.empty() ? ocr::default_model_path() : o.model,
                                       o.mnist.empty() ? default_mnist_dir() : o.mnist);
    }
    for (std::size_t t = 0; t < def.tps.size(); ++t) {
      for (Ballot b : kAllBallots) {
        if (def.tps[t].contest[int(b)] >= 0) jobs_.push_back({int(t), b});
      }
    }
    if (has("reorder")) {
      std::mt19937_64 rng(o.seed);
      std::shuffle(jobs_.begin(), jobs_.end(), rng);
    }
    if (has("correct")) {
      for (std::size_t r = 0; r < def.regions.size(); ++r) {
        if (def.regions[r].level == Level::kecamatan) kecamatan_.push_back(int(r));
      }
    }
  }

  bool has(const std::string& fault) const { return o_.faults.count(fault) > 0; }
  bool hit(std::string_view fault, std::uint64_t item) const {
    return has(std::string(fault)) && coin(o_.seed, fault, item, o_.fault_share);
  }
  const std::vector<Job>& jobs() const { return jobs_; }
  std::size_t enrolment_count() const { return def_.tps.size() + kecamatan_.size(); }

  SignedStatement enrolment(std::size_t i) const {
    Statement st;
    st.type = StatementType::enrol;
    st.election = def_.election_id;
    st.time = "2024-02-13T12:00:00Z";
    if (i < def_.tps.size()) {
      st.key = device_key(def_.election_id, def_.tps[i].code, o_.seed).public_key();
      st.role = Role::kpps;
      st.scope = def_.tps[i].code;
    } else {
      const std::string& kec = def_.regions[kecamatan_[i - def_.tps.size()]].code;
      st.key = ppk_key(kec).public_key();
      st.role = Role::ppk;
      st.scope = kec;
    }
    return SignedStatement::sign(st, admin_);
  }

  Statement result_statement(const Job& j, std::uint32_t rev,
                             const std::vector<std::uint32_t>& values) const {
    Statement st;
    st.type = StatementType::result;
    st.election = def_.election_id;
    st.time = sim_time(std::size_t(j.tps));
    st.tps = def_.tps[j.tps].code;
    st.ballot = j.ballot;
    st.rev = rev;
    const FormLayout& layout = layout_of(j);
    for (std::size_t f = 0; f < layout.fields.size(); ++f) {
      st.values.emplace_back(layout.fields[f].name, values[f]);
    }
    return st;
  }
  SignedStatement result(const Job& j) const {
    if (by_photo(j)) return photographed_result(j);
    return SignedStatement::sign(result_statement(j, 1, truth(j)), device(j));
  }
  bool by_photo(const Job& j) const {
    return officer_ &&
           coin(o_.seed, "ocr", std::uint64_t(j.tps) * kBallotCount + int(j.ballot), o_.ocr_share);
  }
  OcrReport ocr_report() const {
    std::lock_guard lock(ocr_mutex_);
    return ocr_report_;
  }
  bool corrected(std::size_t job) const { return hit("correct", job); }
  // A kecamatan's recount moves one vote between two candidates (the sums stay right).
  SignedStatement correction(const Job& j) const {
    Statement st = result_statement(j, 2, corrected_values(j));
    st.type = StatementType::correction;
    st.supersedes = result(j).id;
    st.reason = "rekapitulasi kecamatan: satu suara salah dicatat";
    st.time = sim_time(std::size_t(j.tps), 20);
    return SignedStatement::sign(st, ppk_key(def_.tps[j.tps].code.substr(0, 6)));
  }
  std::vector<std::uint32_t> truth(const Job& j) const { return votes_.values(j.tps, j.ballot); }
  std::vector<std::uint32_t> final_values(std::size_t job) const {
    return corrected(job) ? corrected_values(jobs_[job]) : truth(jobs_[job]);
  }

  // A statement the server must refuse, with the status it must answer and what it is.
  struct Bad {
    std::string body;
    int status;
    std::string what;
  };
  Bad bad(std::size_t job) const {
    const Job& j = jobs_[job];
    const std::string& code = def_.tps[j.tps].code;
    std::string label = code + " " + std::string(ballot_id(j.ballot));
    Statement st = result_statement(j, 3, truth(j));
    switch (job % 6) {
      case 0:
        return {request_body(SignedStatement::sign(st, SecretKey::from_seed(sha256("stranger")))),
                401, "a key never enrolled, for " + label};
      case 1: {
        const std::string& other = def_.tps[std::size_t(j.tps + 1) % def_.tps.size()].code;
        return {
            request_body(SignedStatement::sign(st, device_key(def_.election_id, other, o_.seed))),
            403, "the key of TPS " + other + ", for " + label};
      }
      case 2: {
        const FormLayout& layout = layout_of(j);
        for (std::size_t f = 0; f < layout.fields.size(); ++f) {
          if (layout.fields[f].section == Section::votes) {
            st.values[f].second += 1;
            break;
          }
        }
        return {request_body(SignedStatement::sign(st, device(j))), 422,
                "numbers that break the form's sums, for " + label};
      }
      case 3: {
        Statement old = result_statement(j, 1, truth(j));
        old.time = sim_time(std::size_t(j.tps), 22);
        return {request_body(SignedStatement::sign(old, device(j))), 409,
                "an older revision signed again, for " + label};
      }
      case 4:
        return {std::string(300 * 1024, ' ') + request_body(result(j)), 413,
                "an oversized body, for " + label};
      default:
        return {"{\"statement\": " + request_body(result(j)), 400,
                "a malformed body, for " + label};
    }
  }

 private:
  const FormLayout& layout_of(const Job& j) const {
    return def_.contests[def_.tps[j.tps].contest[int(j.ballot)]].layout;
  }
  SecretKey device(const Job& j) const {
    return device_key(def_.election_id, def_.tps[j.tps].code, o_.seed);
  }
  SecretKey ppk_key(const std::string& kecamatan) const {
    return SecretKey::from_seed(sha256("rekap-sim-ppk/" + def_.election_id + "/" + kecamatan + "/" +
                                       std::to_string(o_.seed)));
  }
  // The officer photographs the form, the reader reads it, the officer checks what it marks;
  // the photos are uploaded and named in the statement. Made once per job (a correction names
  // it again).
  SignedStatement photographed_result(const Job& j) const {
    std::pair<int, int> key{j.tps, int(j.ballot)};
    {
      std::lock_guard lock(ocr_mutex_);
      auto it = photographed_.find(key);
      if (it != photographed_.end()) return it->second;
    }
    OfficerForm form = officer_->fill_in(
        j.tps, j.ballot, truth(j), o_.seed * 1000003 + std::uint64_t(j.tps) * 8 + int(j.ballot));
    thread_local std::unique_ptr<HttpClient> uploader;
    if (!uploader) uploader = std::make_unique<HttpClient>(Url::parse(o_.url));
    Statement st = result_statement(j, 1, form.values);
    for (const auto& jpeg : form.photos) {
      std::string body(jpeg.begin(), jpeg.end());
      Hash32 h = sha256(body);
      auto res = uploader->request("PUT", "/api/v1/images/" + to_hex(h), body);
      if (res.status != 200 && res.status != 201) {
        throw std::runtime_error("image upload answered HTTP " + std::to_string(res.status) + ": " +
                                 res.body);
      }
      st.images.push_back(h);
    }
    std::sort(st.images.begin(), st.images.end());
    st.images.erase(std::unique(st.images.begin(), st.images.end()), st.images.end());
    SignedStatement signed_st = SignedStatement::sign(st, device(j));
    std::lock_guard lock(ocr_mutex_);
    auto [it, fresh] = photographed_.emplace(key, signed_st);
    if (fresh) {
      OcrReport& r = ocr_report_;
      ++r.forms;
      r.photos += form.photos.size();
      r.accepted += form.accepted ? 1 : 0;
      r.reviewed += !form.accepted && !form.typed ? 1 : 0;
      r.fields_reviewed += std::uint64_t(form.reviewed_fields);
      r.fields_corrected += std::uint64_t(form.corrected_fields);
      r.wrong_accepted += std::uint64_t(form.wrong_accepted);
      r.wrong_unflagged += std::uint64_t(form.wrong_unflagged);
      r.retakes += std::uint64_t(form.retakes);
      r.typed += form.typed ? 1 : 0;
    }
    return it->second;
  }

  std::vector<std::uint32_t> corrected_values(const Job& j) const {
    const FormLayout& layout = layout_of(j);
    std::vector<std::uint32_t> v = truth(j);
    std::set<int> totals;
    for (const Constraint& c : layout.constraints) {
      if (c.rule == "party_total") totals.insert(c.rhs_field);
    }
    std::vector<int> units;
    for (std::size_t f = 0; f < layout.fields.size(); ++f) {
      if (layout.fields[f].section == Section::votes && !totals.count(int(f)))
        units.push_back(int(f));
    }
    for (std::size_t k = 0; k < units.size(); ++k) {
      if (v[std::size_t(units[k])] == 0) continue;
      v[std::size_t(units[k])] -= 1;
      v[std::size_t(units[(k + 1) % units.size()])] += 1;
      break;
    }
    for (const Constraint& c : layout.constraints) {
      if (c.rule != "party_total") continue;
      std::uint32_t sum = 0;
      for (const Term& t : c.lhs) sum += v[std::size_t(t.field)];
      v[std::size_t(c.rhs_field)] = sum;
    }
    return v;
  }

  const Definition& def_;
  const SecretKey& admin_;
  const RunOptions& o_;
  VoteModel votes_;
  std::vector<Job> jobs_;
  std::vector<int> kecamatan_;
  std::unique_ptr<OcrOfficer> officer_;
  mutable std::mutex ocr_mutex_;
  mutable std::map<std::pair<int, int>, SignedStatement> photographed_;
  mutable OcrReport ocr_report_;
};

// One client's connection to one of the deployment's nodes, moving to the next on failure.
class NodeClient {
 public:
  NodeClient(const std::vector<Url>& urls, std::size_t first)
      : urls_(urls), at_(first % urls.size()) {
    connect();
  }
  HttpClient& get() { return *client_; }
  void next() {
    at_ = (at_ + 1) % urls_.size();
    connect();
  }

 private:
  void connect() { client_ = std::make_unique<HttpClient>(urls_[at_]); }
  const std::vector<Url>& urls_;
  std::size_t at_;
  std::unique_ptr<HttpClient> client_;
};

// Sends statements from concurrent clients, with the faults that concern transport.
class Sender {
 public:
  Sender(const RunOptions& o, const Night& night, RunReport& report)
      : o_(o), night_(night), report_(report) {
    urls_.push_back(Url::parse(o.url));
    for (const std::string& node : o.nodes) urls_.push_back(Url::parse(node));
  }

  // Sends bodies 0..n-1 (made by make(i)); each must be acknowledged with 200. Returns the
  // latencies in ms.
  std::vector<double> send(std::size_t n, const std::function<std::string(std::size_t)>& make,
                           std::string_view phase) {
    std::atomic<std::size_t> next{0};
    std::mutex mutex;
    std::vector<double> latencies;
    std::vector<std::thread> threads;
    auto started = Clock::now();
    for (int c = 0; c < std::max(1, o_.clients); ++c) {
      threads.emplace_back([&, c] {
        NodeClient client(urls_, std::size_t(c));
        std::vector<double> mine;
        for (std::size_t i; (i = next.fetch_add(1)) < n;) {
          if (o_.rate > 0) {
            std::this_thread::sleep_until(started +
                                          std::chrono::duration_cast<Clock::duration>(
                                              std::chrono::duration<double>(double(i) / o_.rate)));
          }
          std::string body = make(i);
          std::uint64_t item = std::hash<std::string_view>{}(phase) ^ i;
          if (night_.hit("drop", item)) {
            try {
              client.get().send_and_abandon("POST", "/api/v1/statements", body);
              dropped_.fetch_add(1);
            } catch (const std::exception&) {
              // The connection failed before the request went out: nothing to drop.
            }
          }
          auto answer = deliver(client, body, mine, i);
          if (answer && night_.hit("duplicate", item)) {
            auto again = deliver(client, body, mine, i);
            duplicated_.fetch_add(1);
            if (again && *again != *answer) {
              std::lock_guard lock(mutex);
              report_.mismatches.push_back("statement " + std::to_string(i) + " of the " +
                                           std::string(phase) +
                                           " was answered differently when repeated");
            }
          }
        }
        std::lock_guard lock(mutex);
        latencies.insert(latencies.end(), mine.begin(), mine.end());
      });
    }
    for (auto& t : threads) t.join();
    report_.dropped += dropped_.exchange(0);
    report_.duplicated += duplicated_.exchange(0);
    return latencies;
  }

  std::uint64_t ok() { return ok_.exchange(0); }
  // "<index> <id>" lines of every acknowledgement.
  std::string receipts() const {
    std::lock_guard lock(receipts_mutex_);
    return receipts_;
  }
  std::uint64_t failed() const { return failed_.load(); }
  std::uint64_t retries() const { return retries_.load(); }

 private:
  // Sends one statement until it is answered; returns the answer of a 200. A failed node, or
  // one that answers 503 (its store is away, or its sequencer), gets the statement again at
  // the next node: the same statement always gets the same answer.
  std::optional<std::string> deliver(NodeClient& client, const std::string& body,
                                     std::vector<double>& latencies, std::size_t i) {
    for (int attempt = 1; attempt <= o_.max_attempts; ++attempt) {
      auto start = Clock::now();
      std::string why;
      try {
        auto res = client.get().request("POST", "/api/v1/statements", body);
        latencies.push_back(seconds_since(start) * 1000);
        if (res.status == 200) {
          ok_.fetch_add(1);
          keep_receipt(res.body);
          return res.body;
        }
        if (res.status != 503) {
          spdlog::warn("statement {} refused ({}): {}", i, res.status, res.body);
          failed_.fetch_add(1);
          return std::nullopt;
        }
        why = "503 " + res.body;
      } catch (const HttpError& e) {
        why = e.what();
      }
      if (attempt == o_.max_attempts) {
        spdlog::error("giving up on statement {}: {}", i, why);
        failed_.fetch_add(1);
        return std::nullopt;
      }
      retries_.fetch_add(1);
      client.next();
      std::this_thread::sleep_for(std::chrono::milliseconds(std::min(50 * attempt, 500)));
    }
    return std::nullopt;
  }

  void keep_receipt(const std::string& answer) {
    if (o_.receipts.empty()) return;
    json::object a = json::parse(answer).as_object();
    const std::string line = std::to_string(a.at("index").to_number<std::uint64_t>()) + " " +
                             std::string(a.at("id").as_string()) + "\n";
    std::lock_guard lock(receipts_mutex_);
    receipts_ += line;
  }

  const RunOptions& o_;
  const Night& night_;
  RunReport& report_;
  std::vector<Url> urls_;
  mutable std::mutex receipts_mutex_;
  std::string receipts_;
  std::atomic<std::uint64_t> ok_{0}, failed_{0}, retries_{0}, dropped_{0}, duplicated_{0};
};

}  // namespace

std::string request_body(const SignedStatement& s) {
  return json::serialize(
      json::object{{"statement", s.body}, {"signature", to_base64(s.signature)}});
}

SecretKey device_key(const std::string& election, const std::string& tps, std::uint64_t seed) {
  Hash32 h = sha256("rekap-sim-device/" + election + "/" + tps + "/" + std::to_string(seed));
  return SecretKey::from_seed(h);
}

Plan plan_election(const Definition& def, const SecretKey& admin, std::uint64_t seed) {
  RunOptions o;
  o.seed = seed;
  Night night(def, admin, o);
  Plan plan;
  for (std::size_t i = 0; i < night.enrolment_count(); ++i)
    plan.enrolments.push_back(night.enrolment(i));
  for (const Job& j : night.jobs()) plan.results.push_back(night.result(j));
  return plan;
}

namespace {

// A client of the node whose state holds everything acknowledged: the sequencer (the only
// node of a run with one URL), or after 20 s without one, a node that has followed the whole
// log the database holds as durable; waits up to a minute. Throws std::runtime_error.
std::unique_ptr<HttpClient> settled_node(const RunOptions& o) {
  std::vector<std::string> urls{o.url};
  urls.insert(urls.end(), o.nodes.begin(), o.nodes.end());
  const auto start = Clock::now();
  const auto deadline = start + std::chrono::seconds(60);
  for (;;) {
    const bool any_follower = Clock::now() > start + std::chrono::seconds(20);
    for (const std::string& url : urls) {
      try {
        auto c = std::make_unique<HttpClient>(Url::parse(url));
        auto res = c->get("/api/v1/health");
        if (res.status != 200) continue;
        const json::object doc = json::parse(res.body).as_object();
        if (doc.at("role").as_string() == "sequencer") return c;
        if (any_follower && doc.at("behind").to_number<std::uint64_t>() == 0) return c;
      } catch (const HttpError&) {
        // Restarting, or gone: the next one.
      }
    }
    if (Clock::now() > deadline) {
      throw std::runtime_error("no node answered /api/v1/health, caught up, within 60 s");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
}

}  // namespace

RunReport run_election(const Definition& def, const SecretKey& admin, const RunOptions& options) {
  for (const auto& f : options.faults) {
    if (!kFaults.count(f)) throw std::invalid_argument("unknown fault `" + f + "`");
  }
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
  // The log's size, as a node that has followed all of it tells.
  auto log_size = [](HttpClient& c) {
    return json::parse(c.get("/api/v1/health").body).at("statements").to_number<std::uint64_t>();
  };
  const std::uint64_t before = log_size(client);

  Night night(def, admin, options);
  Sender sender(options, night, report);
  const auto& jobs = night.jobs();
  auto start = Clock::now();
  sender.send(
      night.enrolment_count(), [&](std::size_t i) { return request_body(night.enrolment(i)); },
      "enrolments");
  report.enrol_seconds = seconds_since(start);
  report.enrolled = sender.ok();

  // With --presign the clients only send: the run measures the server, not the signing.
  std::vector<std::string> presigned;
  if (options.presign) {
    presigned.resize(jobs.size());
    std::vector<std::thread> threads;
    int n = std::max(1, int(std::thread::hardware_concurrency()));
    for (int t = 0; t < n; ++t) {
      threads.emplace_back([&, t] {
        for (std::size_t i = std::size_t(t); i < jobs.size(); i += std::size_t(n)) {
          presigned[i] = request_body(night.result(jobs[i]));
        }
      });
    }
    for (auto& t : threads) t.join();
  }
  start = Clock::now();
  auto latencies = sender.send(
      jobs.size(),
      [&](std::size_t i) {
        return options.presign ? std::move(presigned[i]) : request_body(night.result(jobs[i]));
      },
      "results");
  report.submit_seconds = seconds_since(start);
  report.results = sender.ok();
  report.results_per_second =
      report.submit_seconds > 0 ? report.results / report.submit_seconds : 0;
  report.latency = percentiles(std::move(latencies));
  presigned = {};

  if (night.has("correct")) {
    std::vector<std::size_t> chosen;
    for (std::size_t i = 0; i < jobs.size(); ++i) {
      if (night.corrected(i)) chosen.push_back(i);
    }
    sender.send(
        chosen.size(),
        [&](std::size_t k) { return request_body(night.correction(jobs[chosen[k]])); },
        "corrections");
    report.corrections = sender.ok();
  }
  report.failed = sender.failed();
  report.retries = sender.retries();

  // The checks read a node that answers and has followed the whole log: with several nodes,
  // one may be restarting when the sending ends.
  std::unique_ptr<HttpClient> settled = settled_node(options);
  if (night.has("bad")) {
    HttpClient& bad_client = *settled;
    for (std::size_t i = 0; i < jobs.size(); ++i) {
      if (!night.hit("bad", i)) continue;
      auto bad = night.bad(i);
      ++report.bad_sent;
      int status = 0;
      try {
        status = bad_client.request("POST", "/api/v1/statements", bad.body).status;
      } catch (const HttpError& e) {
        report.bad_accepted.push_back(bad.what + ": " + e.what());
        continue;
      }
      if (status == bad.status) {
        ++report.bad_refused;
      } else {
        report.bad_accepted.push_back(bad.what + ": answered HTTP " + std::to_string(status) +
                                      ", expected " + std::to_string(bad.status));
      }
    }
  }
  report.ocr = night.ocr_report();
  const std::uint64_t acknowledged = report.enrolled + report.results + report.corrections;
  report.new_statements = log_size(*settled) - before;
  report.already_stored =
      acknowledged > report.new_statements ? acknowledged - report.new_statements : 0;

  if (options.check) {
    // The ground truth, summed from the simulator's own numbers, never from what the server said.
    Tally expected(def);
    std::map<std::pair<int, int>, std::vector<std::uint32_t>> truth;
    for (std::size_t i = 0; i < jobs.size(); ++i) {
      auto v = night.final_values(i);
      expected.replace(jobs[i].tps, jobs[i].ballot, {}, v);
      truth[{jobs[i].tps, int(jobs[i].ballot)}] = std::move(v);
    }
    auto values = [&](int tps, Ballot b) -> std::optional<std::vector<std::uint32_t>> {
      auto it = truth.find({tps, int(b)});
      if (it == truth.end()) return std::nullopt;
      return it->second;
    };
    auto comparison = audit::compare_published(def, expected, values, *settled);
    report.regions_checked = comparison.views;
    for (auto& m : comparison.mismatches) report.mismatches.push_back(std::move(m));
  }
  if (!options.receipts.empty()) write_file_atomically(options.receipts, sender.receipts());
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
  if (dropped || duplicated || corrections || bad_sent) {
    s += "faults:             " + std::to_string(dropped) + " dropped connections, " +
         std::to_string(duplicated) + " duplicates, " + std::to_string(corrections) +
         " ppk corrections, " + std::to_string(bad_refused) + " of " + std::to_string(bad_sent) +
         " bad statements refused\n";
  }
  for (const auto& b : bad_accepted) s += "  NOT REFUSED: " + b + "\n";
  if (ocr.forms) {
    s += "photographed forms: " + std::to_string(ocr.forms) + " (" + std::to_string(ocr.photos) +
         " photos): " + std::to_string(ocr.accepted) + " accepted by the reader, " +
         std::to_string(ocr.reviewed) + " reviewed (" + std::to_string(ocr.fields_reviewed) +
         " fields marked, " + std::to_string(ocr.fields_corrected) + " of them misread), " +
         std::to_string(ocr.typed) + " typed, " + std::to_string(ocr.retakes) +
         " photos retaken; wrong values accepted: " + std::to_string(ocr.wrong_accepted) +
         ", wrong values not marked: " + std::to_string(ocr.wrong_unflagged) + "\n";
  }
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
  return json::serialize(
      json::object{{"enrolled", enrolled},
                   {"results", results},
                   {"new_statements", new_statements},
                   {"already_stored", already_stored},
                   {"failed", failed},
                   {"retries", retries},
                   {"dropped", dropped},
                   {"duplicated", duplicated},
                   {"corrections", corrections},
                   {"bad_sent", bad_sent},
                   {"bad_refused", bad_refused},
                   {"enrol_seconds", enrol_seconds},
                   {"submit_seconds", submit_seconds},
                   {"results_per_second", results_per_second},
                   {"latency_ms", json::object{{"p50", latency.p50_ms},
                                               {"p90", latency.p90_ms},
                                               {"p99", latency.p99_ms},
                                               {"max", latency.max_ms}}},
                   {"regions_checked", regions_checked},
                   {"ocr", json::object{{"forms", ocr.forms},
                                        {"photos", ocr.photos},
                                        {"accepted", ocr.accepted},
                                        {"reviewed", ocr.reviewed},
                                        {"fields_reviewed", ocr.fields_reviewed},
                                        {"fields_corrected", ocr.fields_corrected},
                                        {"wrong_accepted", ocr.wrong_accepted},
                                        {"wrong_unflagged", ocr.wrong_unflagged},
                                        {"retakes", ocr.retakes},
                                        {"typed", ocr.typed}}},
                   {"mismatches", std::move(m)},
                   {"ok", ok()}});
}

}  // namespace rekap::sim
