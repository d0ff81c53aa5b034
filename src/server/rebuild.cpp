#include "server/rebuild.hpp"

#include <algorithm>
#include <future>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "store/stored_values.hpp"

namespace rekap::server {

namespace {

constexpr std::uint64_t kBatch = 4096;

// One batch of the log, read and made ready for the in-order replay.
struct Batch {
  std::uint64_t first = 0;
  std::vector<StoredStatement> rows;
  std::vector<SignedStatement> statements;
  std::vector<Decision> content;  // check_result_content's answer, for results and corrections
  std::vector<std::string> errors;
};

// Decoding, hashing and checking each statement's content need no state, and are most of the
// cost: they run on every core, while the previous batch is replayed.
void prepare(const Definition& def, Batch& b, unsigned threads) {
  LayoutFor layout_for = [&def](const Statement& st) -> const FormLayout* {
    int tps = def.find_tps(st.tps);
    if (tps < 0) return nullptr;
    int contest = def.tps[std::size_t(tps)].contest[int(st.ballot)];
    return contest < 0 ? nullptr : &def.contests[std::size_t(contest)].layout;
  };
  std::size_t n = b.rows.size();
  b.statements.resize(n);
  b.content.resize(n);
  b.errors.assign(n, {});
  auto work = [&](std::size_t from, std::size_t step) {
    for (std::size_t i = from; i < n; i += step) {
      const StoredStatement& row = b.rows[i];
      if (row.index != b.first + i) {
        // The log is dense; a hole means the file was damaged, and a replay must not skip it.
        b.errors[i] = "is missing from the store";
        continue;
      }
      try {
        SignedStatement& s = b.statements[i];
        std::vector<std::uint32_t> values;
        s.statement = decode_stored_statement(row.body, layout_for, values);
        s.id = row.id;
        // The tree is recomputed from the entries themselves: a changed byte shows here.
        if (tlog::leaf_hash(log_entry(row.body, row.signature)) != row.leaf ||
            sha256(row.body) != row.id) {
          b.errors[i] = "does not match its hashes: the store has been altered";
          continue;
        }
        StatementType type = s.statement.type;
        if (type == StatementType::result || type == StatementType::correction) {
          b.content[i] = check_result_content(def, s.statement, std::move(values));
        }
      } catch (const StatementError& e) {
        b.errors[i] = e.what();
      }
    }
  };
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < threads; ++t) pool.emplace_back(work, t, threads);
  work(0, threads);
  for (auto& t : pool) t.join();
}

}  // namespace

RebuildStats rebuild_state(Store& store, const Definition& def, Ledger& ledger,
                           tlog::Frontier& frontier, Tally& tally) {
  auto started = std::chrono::steady_clock::now();
  const std::uint64_t end = store.size();
  const unsigned threads = std::max(1u, std::thread::hardware_concurrency());
  ledger.reserve(end);
  auto load = [&](std::uint64_t first) {
    return std::async(std::launch::async, [&store, &def, first, end, threads] {
      Batch b;
      b.first = first;
      b.rows = store.range(first, std::min(kBatch, end - first));
      if (b.rows.empty()) {
        throw std::runtime_error("stored statement " + std::to_string(first) +
                                 " is missing from the store");
      }
      prepare(def, b, threads);
      return b;
    });
  };
  auto trust_images = [](const Hash32&) { return true; };  // they were checked on arrival
  RebuildStats stats;
  std::vector<tlog::StoredNode> completed;
  std::future<Batch> next;
  if (end > 0) next = load(0);
  for (std::uint64_t first = 0; first < end;) {
    Batch b = next.get();
    first += b.rows.size();
    if (first < end) next = load(first);
    for (std::size_t i = 0; i < b.rows.size(); ++i) {
      const StoredStatement& row = b.rows[i];
      auto fail = [&](const std::string& what) {
        throw std::runtime_error("stored statement " + std::to_string(b.first + i) + " " + what);
      };
      if (!b.errors[i].empty()) fail(b.errors[i]);
      const SignedStatement& s = b.statements[i];
      frontier.append(row.leaf, completed);
      completed.clear();
      bool about_tps = s.statement.type == StatementType::result ||
                       s.statement.type == StatementType::correction;
      Decision d = ledger.decide(s, trust_images, about_tps ? &b.content[i] : nullptr);
      if (!d.accepted() || d.index != row.index) {
        fail("does not replay: " + d.message);
      }
      ledger.apply(s, d);
      if (d.tps < 0) continue;
      // Superseding is rare (corrections, re-read forms): the old numbers are read back then.
      std::vector<std::uint32_t> previous;
      if (d.superseded) {
        previous = stored_values(store, def, *d.superseded);
      } else {
        ++stats.results;
      }
      tally.replace(d.tps, s.statement.ballot, previous, d.values);
    }
  }
  stats.statements = ledger.size();
  stats.took = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - started);
  return stats;
}

}  // namespace rekap::server
