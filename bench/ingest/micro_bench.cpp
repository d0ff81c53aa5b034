// Where the time of one accepted result goes: each step of the ingest path on its own, for a
// DPR-sized form (the longest of the five ballots).
#include <benchmark/benchmark.h>

#include <spdlog/spdlog.h>
#include <boost/json.hpp>
#include <filesystem>

#include "core/ledger.hpp"
#include "crypto/encoding.hpp"
#include "log/merkle.hpp"
#include "sim/geo.hpp"
#include "sim/run.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace {

using namespace rekap;

struct Fixture {
  Definition def = build_definition(sim::generate_geo({"medium", 1}));
  SecretKey admin = SecretKey::from_seed(sha256("bench admin"));
  sim::Plan plan;
  std::vector<std::size_t> dpr;  // indexes of DPR results in plan.results
  Fixture() {
    spdlog::set_level(spdlog::level::warn);
    crypto_init();
    plan = sim::plan_election(def, admin, 1);
    for (std::size_t i = 0; i < plan.results.size(); ++i) {
      if (plan.results[i].statement.ballot == Ballot::pdpr) dpr.push_back(i);
    }
  }
  const SignedStatement& a_dpr(std::size_t i) const { return plan.results[dpr[i % dpr.size()]]; }
};

Fixture& fixture() {
  static Fixture f;
  return f;
}

void BM_ParseRequestJson(benchmark::State& state) {
  std::string body = sim::request_body(fixture().a_dpr(0));
  for (auto _ : state) benchmark::DoNotOptimize(boost::json::parse(body));
  state.SetLabel(std::to_string(body.size()) + " bytes");
}
BENCHMARK(BM_ParseRequestJson);

void BM_DecodeStatement(benchmark::State& state) {
  const auto& s = fixture().a_dpr(0);
  for (auto _ : state) benchmark::DoNotOptimize(decode_statement(s.body));
  state.SetLabel(std::to_string(s.statement.values.size()) + " fields");
}
BENCHMARK(BM_DecodeStatement);

void BM_VerifySignature(benchmark::State& state) {
  const auto& s = fixture().a_dpr(0);
  for (auto _ : state)
    benchmark::DoNotOptimize(verify_signature(s.statement.signer, s.body, s.signature));
}
BENCHMARK(BM_VerifySignature);

void BM_Sha256Body(benchmark::State& state) {
  const auto& s = fixture().a_dpr(0);
  for (auto _ : state) benchmark::DoNotOptimize(sha256(s.body));
}
BENCHMARK(BM_Sha256Body);

void BM_CheckForm(benchmark::State& state) {
  Fixture& f = fixture();
  const auto& s = f.a_dpr(0);
  const Tps& t = f.def.tps[f.def.find_tps(s.statement.tps)];
  const FormLayout& layout = f.def.contests[t.contest[int(Ballot::pdpr)]].layout;
  std::string why;
  auto values = *values_for_layout(layout, s.statement.values, why);
  for (auto _ : state) benchmark::DoNotOptimize(check_form(layout, {t.dpt_l, t.dpt_p}, values));
}
BENCHMARK(BM_CheckForm);

// Decide and apply every result of the election in a fresh ledger (enrolments first).
void BM_LedgerDecideApply(benchmark::State& state) {
  Fixture& f = fixture();
  auto no_images = [](const Hash32&) { return true; };
  std::size_t n = 0;
  for (auto _ : state) {
    state.PauseTiming();
    Ledger ledger(f.def, f.admin.public_key());
    Statement g;
    g.type = StatementType::genesis;
    g.election = f.def.election_id;
    g.time = "2024-02-01T00:00:00Z";
    g.definition = f.def.hash;
    auto genesis = SignedStatement::sign(g, f.admin);
    ledger.apply(genesis, ledger.decide(genesis, no_images));
    for (const auto& e : f.plan.enrolments) ledger.apply(e, ledger.decide(e, no_images));
    state.ResumeTiming();
    for (const auto& r : f.plan.results) ledger.apply(r, ledger.decide(r, no_images));
    n += f.plan.results.size();
  }
  state.SetItemsProcessed(std::int64_t(n));
}
BENCHMARK(BM_LedgerDecideApply)->Unit(benchmark::kMillisecond);

// Durable appends in batches of state.range(0) statements (synchronous=FULL, one fsync each).
void BM_SqliteAppend(benchmark::State& state) {
  Fixture& f = fixture();
  auto dir = std::filesystem::temp_directory_path() / "rekap-bench-sqlite";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  auto store = SqliteStore::open((dir / "bench.db").string());
  std::size_t batch = std::size_t(state.range(0)), next = 0, n = 0;
  for (auto _ : state) {
    std::vector<StoredStatement> rows;
    std::vector<CurrentUpdate> current;
    for (std::size_t i = 0; i < batch; ++i, ++next) {
      const auto& s = f.plan.results[next % f.plan.results.size()];
      // Ids stay unique when the plan repeats.
      rows.push_back({store->size() + i, sha256(std::to_string(next)),
                      tlog::leaf_hash(s.log_entry()), s.body, s.signature, s.statement.tps,
                      int(s.statement.ballot), 0});
      current.push_back({s.statement.tps, int(s.statement.ballot), rows.back().index});
    }
    store->append(rows, current, {});
    n += batch;
  }
  state.SetItemsProcessed(std::int64_t(n));
  std::filesystem::remove_all(dir);
}
BENCHMARK(BM_SqliteAppend)->Arg(1)->Arg(64)->Arg(512)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
