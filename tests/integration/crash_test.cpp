// kill -9 at random moments while clients submit: after each restart every acknowledged
// statement is there, and at the end the totals equal the ground truth exactly.
#include <gtest/gtest.h>

#include <atomic>
#include <boost/json.hpp>
#include <mutex>
#include <numeric>
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
  constexpr int kRounds = 6;
  int killed_mid_way = 0;
  for (int round = 0; round < kRounds; ++round) {
    test::ServerProcess server(e);
    // Every acknowledged statement from earlier rounds is still there, at its log index.
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
    // Each round sends everything again in a new order (the enrolments first): what was stored
    // is answered as a duplicate, the rest is new.
    std::vector<std::size_t> order(bodies.size());
    std::iota(order.begin(), order.end(), 0);
    std::shuffle(order.begin() + std::ptrdiff_t(plan.enrolments.size()), order.end(), rng);
    std::atomic<std::size_t> next{0};
    std::vector<std::thread> clients;
    for (int c = 0; c < 4; ++c) {
      clients.emplace_back([&] {
        HttpClient client(Url::parse(server.url()), std::chrono::seconds(5));
        for (std::size_t k; (k = next.fetch_add(1)) < order.size();) {
          std::size_t i = order[k];
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
    // A random moment, measured in progress: after a random share of the statements is sent.
    std::size_t target = 1 + rng() % (order.size() - 1);
    while (next.load() < target) std::this_thread::sleep_for(std::chrono::microseconds(200));
    if (next.load() < order.size()) ++killed_mid_way;
    server.kill_hard();
    for (auto& t : clients) t.join();
  }
  ::testing::Test::RecordProperty("killed_mid_way", killed_mid_way);
  EXPECT_EQ(killed_mid_way, kRounds) << "the kills should land while statements are in flight";
  ASSERT_FALSE(acked.empty());

  // Finally everything, with the exact-totals check against the ground truth.
  test::ServerProcess server(e);
  sim::RunOptions options;
  options.url = server.url();
  options.clients = 4;
  auto report = sim::run_election(e.def, admin, options);
  EXPECT_TRUE(report.ok()) << report.to_text();
  HttpClient client(Url::parse(server.url()));
  auto health = json::parse(client.get("/api/v1/health").body);
  EXPECT_EQ(std::size_t(health.at("statements").as_int64()), bodies.size() + 1)
      << "every statement stored exactly once, after the genesis";
}

}  // namespace
}  // namespace rekap
