#include "ingest/sequencer.hpp"

#include <spdlog/spdlog.h>

#include <chrono>

#include "ingest/decision_text.hpp"
#include "ingest/rebuild.hpp"
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

Decision unavailable(const std::string& message =
                         "the server could not store statements and is restarting; retry later") {
  Decision d;
  d.grounds = Decision::Grounds::unavailable;
  d.code = "store_failed";
  d.message = message;
  return d;
}
}  // namespace

Sequencer::Sequencer(const Definition& def, Ledger& ledger, tlog::Frontier& frontier, Store& store,
                     const ImageStore& images, Tally& tally,
                     std::function<void(std::uint64_t, const Hash32&)> on_commit,
                     Coordination* coordination)
    : def_(def),
      ledger_(ledger),
      frontier_(frontier),
      store_(store),
      images_(images),
      tally_(tally),
      on_commit_(std::move(on_commit)),
      coordination_(coordination),
      sequencing_(coordination == nullptr) {}

Sequencer::~Sequencer() {
  stop();
}

void Sequencer::start() {
  {
    std::lock_guard lock(mutex_);
    stats_.log_size = frontier_.size();
  }
  if (coordination_) {
    // Before the first client: on the lease's holder the log as far as it goes, on the others
    // as far as it is durable; nothing else touches the state yet.
    std::vector<Item> none;
    step(none);
  }
  worker_.start("rekap-sequencer", [this] { loop(); });
  if (coordination_) listener_.start("rekap-listen", [this] { listen(); });
}

void Sequencer::stop() {
  worker_.stop();
  listener_.stop();
}

void Sequencer::submit(std::shared_ptr<const SignedStatement> s, Done done) {
  {
    std::lock_guard lock(mutex_);
    if (!failed_ && !worker_.stopping()) {
      queue_.push_back({std::move(s), std::move(done), {}, 0});
      wake_.notify_one();
      return;
    }
  }
  done(unavailable());
}

Sequencer::Stats Sequencer::stats() const {
  std::lock_guard lock(mutex_);
  Stats s = stats_;
  s.sequencing = sequencing_;
  return s;
}

void Sequencer::listen() {
  auto kept = std::chrono::steady_clock::now();
  while (!listener_.stopping()) {
    // Here rather than on the sequencer's thread: a slow batch there must not end the lease.
    if (std::chrono::steady_clock::now() - kept >= kTick) {
      coordination_->keep_alive();
      kept = std::chrono::steady_clock::now();
    }
    if (coordination_->wait_events(kTick) == 0) continue;
    std::lock_guard lock(mutex_);
    notified_ = true;
    wake_.notify_all();
  }
}

void Sequencer::loop() {
  std::vector<Item> batch;
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      auto ready = [&] { return worker_.stopping() || !queue_.empty() || notified_; };
      if (coordination_) {
        wake_.wait_for(lock, kTick, ready);
      } else {
        wake_.wait(lock, ready);
      }
      // Stopping, and everything queued here has been answered.
      if (worker_.stopping() && queue_.empty()) break;
      std::size_t n = std::min(queue_.size(), kMaxBatch);
      for (std::size_t i = 0; i < n; ++i) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
      // A notification only wakes the loop early: every round looks at everything.
      notified_ = false;
    }
    if (failed_) {
      for (Item& item : batch) item.done(unavailable());
    } else if (coordination_) {
      step(batch);
    } else {
      process(batch);
    }
    batch.clear();
  }
  for (auto& [id, f] : forwarded_) {
    f.done(unavailable("this node is stopping before the sequencer answered; retry"));
  }
  forwarded_.clear();
}

void Sequencer::step(std::vector<Item>& batch) {
  bool sequencing = false;
  {
    std::lock_guard lock(mutex_);
    sequencing = sequencing_;
  }
  if (!sequencing) {
    try {
      follow();
      if (coordination_->try_lead()) {
        follow();
        {
          std::lock_guard lock(mutex_);
          sequencing_ = true;
        }
        sequencing = true;
        spdlog::info("this node is the sequencer now, at log size {}", ledger_.size());
        if (on_lead_) on_lead_();
      }
    } catch (const StoreError& e) {
      // The database is away (a restart, a failover): answer what came, try again next tick.
      spdlog::warn("following the log: {}", e.what());
      for (Item& item : batch) item.done(unavailable("the database is unavailable; retry"));
      return;
    } catch (const std::exception& e) {
      fail(std::string("following the log: ") + e.what(), batch);
      return;
    }
  }
  if (sequencing) {
    lead(batch);
  } else {
    forward(batch);
  }
  // Also on a node that became the sequencer: another one may have answered what it queued.
  collect_answers();
}

void Sequencer::follow() {
  const std::uint64_t end = coordination_->refresh_size();
  if (end <= ledger_.size()) return;
  RebuildStats stats = rebuild_state(store_, def_, ledger_, frontier_, tally_, end);
  spdlog::debug("followed {} log entries to {}", stats.statements, end);
  {
    std::lock_guard lock(mutex_);
    stats_.log_size = frontier_.size();
  }
  if (on_commit_) on_commit_(frontier_.size(), frontier_.root());
}

void Sequencer::lead(std::vector<Item>& batch) {
  try {
    for (QueuedStatement& q : coordination_->queued(kMaxBatch)) {
      Item item;
      item.queue_id = q.id;
      try {
        item.statement = std::make_shared<const SignedStatement>(
            SignedStatement::from_checked(std::move(q.body), q.signature));
      } catch (const StatementError& e) {
        item.decision.code = "malformed_statement";
        item.decision.grounds = Decision::Grounds::invalid;
        item.decision.message = std::string("statement: ") + e.what();
      }
      batch.push_back(std::move(item));
    }
    if (batch.empty()) {
      // Idle: the followers may go as far as the log now is, and the lease stays alive.
      coordination_->keep_lead();
      return;
    }
  } catch (const std::exception& e) {
    fail(e.what(), batch);
    return;
  }
  process(batch);
}

void Sequencer::forward(std::vector<Item>& batch) {
  if (batch.empty()) return;
  std::vector<QueuedStatement> items;
  for (const Item& item : batch)
    items.push_back({0, item.statement->body, item.statement->signature});
  std::vector<std::uint64_t> ids;
  try {
    ids = coordination_->enqueue(items);
  } catch (const StoreError& e) {
    spdlog::warn("handing {} statements to the sequencer: {}", items.size(), e.what());
    for (Item& item : batch) item.done(unavailable("the database is unavailable; retry"));
    return;
  }
  const auto now = std::chrono::steady_clock::now();
  for (std::size_t i = 0; i < batch.size(); ++i) {
    forwarded_.emplace(ids[i], Forwarded{std::move(batch[i].done), now});
  }
  std::lock_guard lock(mutex_);
  stats_.forwarded += batch.size();
}

void Sequencer::collect_answers() {
  if (forwarded_.empty()) return;
  std::vector<std::uint64_t> ids;
  for (const auto& [id, f] : forwarded_) ids.push_back(id);
  std::vector<QueueAnswer> answers;
  try {
    answers = coordination_->take_answers(ids);
  } catch (const StoreError& e) {
    spdlog::warn("reading the sequencer's answers: {}", e.what());
  }
  Stats delta;
  for (const QueueAnswer& a : answers) {
    auto it = forwarded_.find(a.id);
    if (it == forwarded_.end()) continue;
    Decision d;
    try {
      d = decode_decision(a.text);
      count(d, delta);
    } catch (const std::invalid_argument& e) {
      spdlog::error("{} (queue id {})", e.what(), a.id);
      d = unavailable("the sequencer's answer was damaged; retry");
    }
    it->second.done(d);
    forwarded_.erase(it);
  }
  const auto now = std::chrono::steady_clock::now();
  for (auto it = forwarded_.begin(); it != forwarded_.end();) {
    if (now - it->second.since < kAnswerWait) {
      ++it;
      continue;
    }
    it->second.done(
        unavailable("no sequencer answered in time; retry (the same statement gets "
                    "the same answer)"));
    it = forwarded_.erase(it);
  }
  std::lock_guard lock(mutex_);
  stats_.accepted += delta.accepted;
  stats_.duplicates += delta.duplicates;
  stats_.rejected += delta.rejected;
}

std::vector<std::uint32_t> Sequencer::values_of(std::uint64_t index,
                                                const std::vector<Item>& batch) {
  for (const Item& item : batch) {
    if (item.decision.accepted() && item.decision.index == index) return item.decision.values;
  }
  return stored_values(store_, def_, index);
}

void Sequencer::on_fatal(std::function<void(const std::string&)> fn) {
  std::unique_lock lock(mutex_);
  on_fatal_ = std::move(fn);
  if (!failed_ || !on_fatal_) return;
  auto call = on_fatal_;
  std::string why = failure_;
  lock.unlock();
  call(why);
}

void Sequencer::fail(const std::string& why, std::vector<Item>& batch) {
  // The ledger may hold statements the store does not: stop taking writes; a restart rebuilds
  // state from what the store has, which is exactly what was acknowledged.
  spdlog::critical("{}", why);
  std::function<void(const std::string&)> call;
  {
    std::lock_guard lock(mutex_);
    failed_ = true;
    failure_ = why;
    sequencing_ = false;
    call = on_fatal_;
  }
  for (Item& item : batch) {
    if (item.done) item.done(unavailable());
  }
  if (call) call(why);
}

void Sequencer::count(const Decision& d, Stats& delta) const {
  switch (d.kind) {
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
}

void Sequencer::process(std::vector<Item>& batch) {
  std::vector<StoredStatement> rows;
  std::vector<CurrentUpdate> current;
  std::vector<tlog::StoredNode> completed;
  std::vector<TallyChange> changes;
  std::vector<QueueAnswer> answers;
  auto image_exists = [this](const Hash32& h) { return images_.exists(h); };
  // A result superseded within this batch is not stored yet; one from an earlier batch is.
  auto superseded = [&](std::uint64_t index, int, Ballot) { return values_of(index, batch); };
  std::int64_t received = now_ms();
  try {
    for (Item& item : batch) {
      if (!item.statement) continue;  // refused before it could be decided
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
    // Statements this node queued itself it answers itself; the other nodes read theirs.
    for (const Item& item : batch) {
      if (item.queue_id != 0 && !forwarded_.contains(item.queue_id)) {
        answers.push_back({item.queue_id, encode_decision(item.decision)});
      }
    }
    std::vector<TreeNode> nodes;
    for (const auto& n : completed) nodes.push_back({n.tile_level, n.index, n.hash});
    if (coordination_) {
      bool queued = false;
      for (const Item& item : batch) queued |= item.queue_id != 0;
      if (!rows.empty() || queued) coordination_->append_decided(rows, current, nodes, answers);
    } else if (!rows.empty()) {
      store_.append(rows, current, nodes);
    }
    if (!rows.empty() && on_commit_) on_commit_(frontier_.size(), frontier_.root());
    // Readers see the new totals only once they are durable.
    tally_.apply(changes);
  } catch (const std::exception& e) {
    fail("storing a batch of " + std::to_string(rows.size()) + " statements failed: " + e.what(),
         batch);
    return;
  }
  Stats delta;
  delta.batches = 1;
  for (Item& item : batch) {
    count(item.decision, delta);
    if (item.done) {
      item.done(item.decision);
    } else if (auto it = forwarded_.find(item.queue_id); it != forwarded_.end()) {
      it->second.done(item.decision);
      forwarded_.erase(it);
    }
  }
  std::lock_guard lock(mutex_);
  stats_.batches += delta.batches;
  stats_.accepted += delta.accepted;
  stats_.duplicates += delta.duplicates;
  stats_.rejected += delta.rejected;
  stats_.log_size = frontier_.size();
}

}  // namespace rekap::ingest
