#pragma once
// The single writer. Statements whose signatures have been checked queue here; one thread takes
// every statement waiting, decides each in order against the ledger, writes the accepted ones
// and their state changes in one transaction (group commit: one fsync for the whole batch),
// and only then updates the totals and answers the clients.
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>

#include "core/ledger.hpp"
#include "log/merkle.hpp"
#include "store/image_store.hpp"
#include "store/store.hpp"
#include "tally/tally.hpp"
#include "util/worker.hpp"

namespace rekap::ingest {

class Sequencer {
 public:
  using Done = std::function<void(const Decision&)>;

  // The ledger and the tree's frontier belong to the sequencer alone. `on_commit` hears the
  // tree's size and root after each commit.
  Sequencer(const Definition& def, Ledger& ledger, tlog::Frontier& frontier, Store& store,
            const ImageStore& images, Tally& tally,
            std::function<void(std::uint64_t, const Hash32&)> on_commit);
  ~Sequencer();

  void start();
  // Decides, stores and answers everything queued, then stops the thread.
  void stop();
  // `done` runs on the sequencer thread once the outcome is durable: keep it short.
  void submit(std::shared_ptr<const SignedStatement> s, Done done);
  // Called once, from the sequencer thread, if the store fails: the process must restart.
  void on_fatal(std::function<void(const std::string&)> fn) { on_fatal_ = std::move(fn); }

  struct Stats {
    std::uint64_t batches = 0;
    std::uint64_t accepted = 0;
    std::uint64_t duplicates = 0;
    std::uint64_t rejected = 0;
  };
  Stats stats() const;

 private:
  struct Item {
    std::shared_ptr<const SignedStatement> statement;
    Done done;
    Decision decision;
  };
  void loop();
  void process(std::vector<Item>& batch);
  std::vector<std::uint32_t> values_of(std::uint64_t index, const std::vector<Item>& batch);

  const Definition& def_;
  Ledger& ledger_;
  tlog::Frontier& frontier_;
  Store& store_;
  const ImageStore& images_;
  Tally& tally_;
  std::function<void(std::uint64_t, const Hash32&)> on_commit_;
  std::function<void(const std::string&)> on_fatal_;

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Item> queue_;
  bool failed_ = false;
  Stats stats_;
  Worker worker_{mutex_, wake_};
};

}  // namespace rekap::ingest
