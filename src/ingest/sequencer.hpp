#pragma once
// The single writer. Statements whose signatures have been checked queue here; one thread takes
// every statement waiting, decides each in order against the ledger, writes the accepted ones
// and their state changes in one transaction (group commit: one fsync for the whole batch),
// and only then updates the totals and answers the clients.
//
// Several nodes sharing one store (a Coordination): each node runs a Sequencer, and the one
// holding the store's lease sequences — its own clients' statements and those the other nodes
// queued in the store, every append fenced by the lease. The others hand their clients'
// statements to it through the store, answer each client once the sequencer's answer is
// durable, follow the log into their own state, and try for the lease every tick, so that one
// of them takes over within a tick of the lease coming free.
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>

#include "core/ledger.hpp"
#include "log/merkle.hpp"
#include "store/coordination.hpp"
#include "store/image_store.hpp"
#include "store/store.hpp"
#include "tally/tally.hpp"
#include "util/worker.hpp"

namespace rekap::ingest {

// How often a node that is not the sequencer tries for the lease, and looks for answers and
// log entries a lost notification did not announce.
inline constexpr std::chrono::milliseconds kTick{250};
// How long a node waits for the sequencer's answer to a statement it queued before telling
// its client to retry (the statement may still be decided; a retry gets the same answer).
inline constexpr std::chrono::seconds kAnswerWait{30};

class Sequencer {
 public:
  using Done = std::function<void(const Decision&)>;

  // The ledger and the tree's frontier belong to the sequencer alone. `on_commit` hears the
  // tree's size and root after each commit, and after each stretch of the log followed.
  // `coordination`: the deployment's, when several nodes share the store; null when this
  // node is the only one and always sequences.
  Sequencer(const Definition& def, Ledger& ledger, tlog::Frontier& frontier, Store& store,
            const ImageStore& images, Tally& tally,
            std::function<void(std::uint64_t, const Hash32&)> on_commit,
            Coordination* coordination = nullptr);
  ~Sequencer();

  void start();
  // Decides, stores and answers everything queued, then stops the thread. Statements handed
  // to another node and not answered yet are answered "unavailable" (retry).
  void stop();
  // `done` runs on the sequencer thread once the outcome is durable: keep it short.
  void submit(std::shared_ptr<const SignedStatement> s, Done done);
  // Called once, from the sequencer thread, if the store fails or another node took the lease
  // while this one sequenced: the process must restart (it rebuilds from the store). Called at
  // once, on the caller's thread, if that already happened.
  void on_fatal(std::function<void(const std::string&)> fn);
  // Called on the sequencer thread when this node takes the lease.
  void on_lead(std::function<void()> fn) { on_lead_ = std::move(fn); }

  struct Stats {
    std::uint64_t batches = 0;
    std::uint64_t accepted = 0;
    std::uint64_t duplicates = 0;
    std::uint64_t rejected = 0;
    std::uint64_t forwarded = 0;  // handed to the sequencer on another node
    bool sequencing = false;      // this node decides (always, without a Coordination)
    std::uint64_t log_size = 0;   // the log as this node's state holds it
  };
  Stats stats() const;

 private:
  struct Item {
    std::shared_ptr<const SignedStatement> statement;
    Done done;
    Decision decision;
    std::uint64_t queue_id = 0;  // a statement another node (or this one) queued in the store
  };
  struct Forwarded {
    Done done;
    std::chrono::steady_clock::time_point since;
  };
  void loop();
  // The listener's thread: wakes the loop on the other nodes' notifications, and keeps the
  // lease's session alive however long the loop takes over a batch.
  void listen();
  // One round of a node sharing the store: follow, try for the lease, then sequence or forward.
  void step(std::vector<Item>& batch);
  void lead(std::vector<Item>& batch);
  void forward(std::vector<Item>& batch);
  void collect_answers();
  // Replays the log's entries that other nodes appended.
  void follow();
  void process(std::vector<Item>& batch);
  void fail(const std::string& why, std::vector<Item>& batch);
  void count(const Decision& d, Stats& delta) const;
  std::vector<std::uint32_t> values_of(std::uint64_t index, const std::vector<Item>& batch);

  const Definition& def_;
  Ledger& ledger_;
  tlog::Frontier& frontier_;
  Store& store_;
  const ImageStore& images_;
  Tally& tally_;
  std::function<void(std::uint64_t, const Hash32&)> on_commit_;
  Coordination* coordination_;
  std::function<void()> on_lead_;

  // The sequencer thread's own.
  std::map<std::uint64_t, Forwarded> forwarded_;  // by queue id

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Item> queue_;
  bool notified_ = false;  // another node notified something since the last round
  bool failed_ = false;
  std::string failure_;                               // why, once failed_
  std::function<void(const std::string&)> on_fatal_;  // under mutex_
  bool sequencing_ = false;
  Stats stats_;
  Worker worker_{mutex_, wake_};
  Worker listener_{mutex_, wake_};
};

}  // namespace rekap::ingest
