// kill -9 at random moments while clients submit: after each restart every acknowledged
// statement is there, and at the end the totals equal the ground truth exactly.
#include <gtest/gtest.h>

#include <atomic>
#include <boost/json.hpp>
#include <mutex>
#include <random>
#include <thread>

#include "client/http_client.hpp"
#include "crypto/encoding.hpp"
#include "server_process.hpp"
#include "sim/run.hpp"

namespace rekap {
namespace {

namespace json = boost::json;

struct Ack {
  std::string tps;
  std::string id;
  std::int64_t index;
};

TEST(Crash, KillNineLosesNothingAcknowledged) {
  crypto_init();
  test::Election e("small", 3);
  SecretKey admin = read_secret_key(e.admin_key);
  sim::Plan plan = sim::plan_election(e.def, admin, 1);
  std::vector<std::string> bodies;
  for (const auto& s : plan.enrolments) bodies.push_back(sim::request_body(s));
  for (const auto& s : plan.results) bodies.push_back(sim::request_body(s));
  std::vector<const SignedStatement*> statements;
  for (const auto& s : plan.enrolments) statements.push_back(&s);
  for (const auto& s : plan.results) statements.push_back(&s);

  std::mt19937_64 rng(42);
  std::vector<Ack> acked;
  std::mutex acked_mutex;
  std::size_t next_start = 0;
  constexpr int kRounds = 5;
  for (int round = 0; round < kRounds && next_start < bodies.size(); ++round) {
    test::ServerProcess server(e.data_dir);
    // Every acknowledged statement from earlier rounds is still there.
    {
      HttpClient check(Url::parse(server.url()));
      for (const Ack& a : acked) {
        if (a.tps.empty()) continue;
        auto doc = json::parse(check.get("/api/v1/tps/" + a.tps).body);
        bool found = false;
        for (const auto& [ballot, info] : doc.at("ballots").as_object()) {
          for (const auto& v : info.at("history").as_array()) {
            found |= v.at("id").as_string() == a.id && v.at("index").as_int64() == a.index;
          }
        }
        ASSERT_TRUE(found) << "round " << round << ": acknowledged " << a.id << " is gone";
      }
    }
    std::atomic<std::size_t> next{next_start};
    std::atomic<bool> stop{false};
    std::vector<std::thread> clients;
    for (int c = 0; c < 4; ++c) {
      clients.emplace_back([&] {
        HttpClient client(Url::parse(server.url()), std::chrono::seconds(5));
        for (std::size_t i; !stop && (i = next.fetch_add(1)) < bodies.size();) {
          try {
            auto r = client.request("POST", "/api/v1/statements", bodies[i]);
            if (r.status != 200) continue;
            auto doc = json::parse(r.body);
            std::lock_guard lock(acked_mutex);
            acked.push_back({statements[i]->statement.tps, std::string(doc.at("id").as_string()),
                             doc.at("index").as_int64()});
          } catch (const HttpError&) {
            return;  // the server is gone
          }
        }
      });
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100 + rng() % 400));
    server.kill_hard();
    stop = true;
    for (auto& t : clients) t.join();
    // Statements after the last handed out may or may not have been stored: resend from the
    // lowest one not handed out minus the in-flight window.
    next_start = std::min(next.load(), bodies.size());
    next_start = next_start > 8 ? next_start - 8 : 0;
  }
  ASSERT_FALSE(acked.empty());

  // Finally everything, with the exact-totals check against the ground truth.
  test::ServerProcess server(e.data_dir);
  sim::RunOptions options;
  options.url = server.url();
  options.clients = 4;
  auto report = sim::run_election(e.def, e.def_hash, admin, options);
  EXPECT_TRUE(report.ok()) << report.to_text();
  HttpClient client(Url::parse(server.url()));
  auto health = json::parse(client.get("/api/v1/health").body);
  EXPECT_EQ(std::size_t(health.at("statements").as_int64()), bodies.size())
      << "every statement stored exactly once";
}

}  // namespace
}  // namespace rekap
