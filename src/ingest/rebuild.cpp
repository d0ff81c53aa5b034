#include "ingest/rebuild.hpp"

#include <algorithm>
#include <deque>
#include <future>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "store/stored_values.hpp"
#include "tally/state_step.hpp"

namespace rekap::ingest {

namespace {

constexpr std::uint64_t kBatch = 4096;
// Batches on their way while one is replayed: one being read from the store (one thread) and
// one being decoded (every core) keep both busy beside the replay.
constexpr std::size_t kAhead = 2;

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
                           tlog::Frontier& frontier, Tally& tally, std::uint64_t end) {
  auto started = std::chrono::steady_clock::now();
  const std::uint64_t start = ledger.size();
  if (frontier.size() != start) {
    throw std::logic_error("rebuild_state: the ledger and the tree disagree on the log's size");
  }
  const unsigned threads = std::max(1u, std::thread::hardware_concurrency());
  ledger.reserve(end);
  std::deque<std::future<Batch>> pending;
  std::uint64_t next = start;
  auto load_ahead = [&] {
    for (; pending.size() < kAhead && next < end; next += kBatch) {
      pending.push_back(std::async(std::launch::async, [&store, &def, first = next, end, threads] {
        Batch b;
        b.first = first;
        b.rows = store.range(first, std::min(kBatch, end - first));
        prepare(def, b, threads);
        return b;
      }));
    }
  };
  auto trust_images = [](const Hash32&) { return true; };  // they were checked on arrival
  auto superseded = [&](std::uint64_t index, int, Ballot) {
    return stored_values(store, def, index);
  };
  RebuildStats stats;
  std::vector<tlog::StoredNode> completed;
  std::vector<TallyChange> changes;
  load_ahead();
  while (!pending.empty()) {
    Batch b = pending.front().get();
    pending.pop_front();
    load_ahead();
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
      StateStep step =
          step_state(ledger, s, trust_images, superseded, about_tps ? &b.content[i] : nullptr);
      if (!step.decision.accepted() || step.decision.index != row.index) {
        fail("does not replay: " + step.decision.message);
      }
      if (!step.change) continue;
      if (!step.decision.superseded) ++stats.results;
      changes.push_back(std::move(*step.change));
    }
    // One exclusive hold of the tally per batch, not per statement.
    tally.apply(changes);
    changes.clear();
    // The log is dense: a batch short of rows ends at a hole.
    if (b.rows.size() < std::min(kBatch, end - b.first)) {
      throw std::runtime_error("stored statement " + std::to_string(b.first + b.rows.size()) +
                               " is missing from the store");
    }
  }
  stats.statements = ledger.size() - start;
  stats.took = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - started);
  return stats;
}

}  // namespace rekap::ingest
