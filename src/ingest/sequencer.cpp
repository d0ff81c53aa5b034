#include "ingest/sequencer.hpp"

#include <spdlog/spdlog.h>

#include <chrono>

#include "store/stored_values.hpp"
#include "tally/state_step.hpp"

namespace rekap::ingest {

namespace {
constexpr std::size_t kMaxBatch = 4096;

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

Decision unavailable() {
  Decision d;
  d.grounds = Decision::Grounds::unavailable;
  d.code = "store_failed";
  d.message = "the server could not store statements and is restarting; retry later";
  return d;
}
}  // namespace

Sequencer::Sequencer(const Definition& def, Ledger& ledger, tlog::Frontier& frontier, Store& store,
                     const ImageStore& images, Tally& tally,
                     std::function<void(std::uint64_t, const Hash32&)> on_commit)
    : def_(def),
      ledger_(ledger),
      frontier_(frontier),
      store_(store),
      images_(images),
      tally_(tally),
      on_commit_(std::move(on_commit)) {}

Sequencer::~Sequencer() {
  stop();
}

void Sequencer::start() {
  worker_.start("rekap-sequencer", [this] { loop(); });
}

void Sequencer::stop() {
  worker_.stop();
}

void Sequencer::submit(std::shared_ptr<const SignedStatement> s, Done done) {
  {
    std::lock_guard lock(mutex_);
    if (!failed_ && !worker_.stopping()) {
      queue_.push_back({std::move(s), std::move(done), {}});
      wake_.notify_one();
      return;
    }
  }
  done(unavailable());
}

Sequencer::Stats Sequencer::stats() const {
  std::lock_guard lock(mutex_);
  return stats_;
}

void Sequencer::loop() {
  std::vector<Item> batch;
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [&] { return worker_.stopping() || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and everything queued has been answered
      std::size_t n = std::min(queue_.size(), kMaxBatch);
      for (std::size_t i = 0; i < n; ++i) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    process(batch);
    batch.clear();
  }
}

std::vector<std::uint32_t> Sequencer::values_of(std::uint64_t index,
                                                const std::vector<Item>& batch) {
  for (const Item& item : batch) {
    if (item.decision.accepted() && item.decision.index == index) return item.decision.values;
  }
  return stored_values(store_, def_, index);
}

void Sequencer::process(std::vector<Item>& batch) {
  if (failed_) {
    for (Item& item : batch) item.done(unavailable());
    return;
  }
  std::vector<StoredStatement> rows;
  std::vector<CurrentUpdate> current;
  std::vector<tlog::StoredNode> completed;
  std::vector<TallyChange> changes;
  auto image_exists = [this](const Hash32& h) { return images_.exists(h); };
  // A result superseded within this batch is not stored yet; one from an earlier batch is.
  auto superseded = [&](std::uint64_t index, int, Ballot) { return values_of(index, batch); };
  std::int64_t received = now_ms();
  try {
    for (Item& item : batch) {
      const SignedStatement& s = *item.statement;
      StateStep step = step_state(ledger_, s, image_exists, superseded);
      item.decision = std::move(step.decision);
      if (!item.decision.accepted()) continue;
      if (step.change) changes.push_back(std::move(*step.change));
      const Statement& st = s.statement;
      bool about_tps = st.type == StatementType::result || st.type == StatementType::correction;
      Hash32 leaf = tlog::leaf_hash(s.log_entry());
      frontier_.append(leaf, completed);
      rows.push_back({item.decision.index, s.id, leaf, s.body, s.signature, about_tps ? st.tps : "",
                      about_tps ? int(st.ballot) : -1, received});
      if (about_tps) current.push_back({st.tps, int(st.ballot), item.decision.index});
    }
    std::vector<TreeNode> nodes;
    for (const auto& n : completed) nodes.push_back({n.tile_level, n.index, n.hash});
    if (!rows.empty()) store_.append(rows, current, nodes);
    if (!rows.empty() && on_commit_) on_commit_(frontier_.size(), frontier_.root());
    // Readers see the new totals only once they are durable.
    tally_.apply(changes);
  } catch (const std::exception& e) {
    // The ledger already holds statements the store does not: stop taking writes; a restart
    // rebuilds state from what the store has, which is exactly what was acknowledged.
    spdlog::critical("storing a batch of {} statements failed: {}", rows.size(), e.what());
    {
      std::lock_guard lock(mutex_);
      failed_ = true;
    }
    for (Item& item : batch) item.done(unavailable());
    if (on_fatal_) on_fatal_(e.what());
    return;
  }
  Stats delta;
  delta.batches = 1;
  for (Item& item : batch) {
    switch (item.decision.kind) {
      case Decision::Kind::accepted:
        ++delta.accepted;
        break;
      case Decision::Kind::duplicate:
        ++delta.duplicates;
        break;
      case Decision::Kind::rejected:
        ++delta.rejected;
        break;
    }
    item.done(item.decision);
  }
  std::lock_guard lock(mutex_);
  stats_.batches += delta.batches;
  stats_.accepted += delta.accepted;
  stats_.duplicates += delta.duplicates;
  stats_.rejected += delta.rejected;
}

}  // namespace rekap::ingest
