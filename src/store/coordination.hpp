#pragma once
// What the nodes of one deployment coordinate through, in the database they share: which node
// is the sequencer (a lease), the statements the other nodes hand it, and the answers it gives
// back, with notifications so that nobody polls fast. PostgreSQL provides it (an advisory lock
// held by the write session, two tables, LISTEN/NOTIFY); an SQLite store serves one node and
// has none. docs/deployment.md tells the whole story.
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "crypto/keys.hpp"
#include "store/store.hpp"

namespace rekap {

// A statement waiting for the sequencer; its signature was checked by the node that queued it.
struct QueuedStatement {
  std::uint64_t id = 0;  // the queue's, growing; 0 before it is queued
  std::string body;
  Signature signature{};
};

// The sequencer's answer to a queued statement, as the client is to get it.
struct QueueAnswer {
  std::uint64_t id = 0;
  std::string text;
};

// An append refused because this node no longer holds the lease, or the log grew under it:
// another node is the sequencer now. Nothing was written.
class FencedOut : public StoreError {
 public:
  using StoreError::StoreError;
};

// What wait_events reports, as bits.
enum Event : unsigned {
  kEventLog = 1,      // the log grew
  kEventQueue = 2,    // statements were queued
  kEventAnswers = 4,  // queued statements were answered
};

class Coordination {
 public:
  virtual ~Coordination() = default;

  // Takes the sequencer's lease if no node holds it; whether this node holds it now. The lease
  // lives as long as the store's write session: it ends when the process dies, when the
  // process stops answering for longer than the lease time (the server closes a session idle
  // that long), and when the server fails over. Throws StoreError.
  virtual bool try_lead() = 0;
  // Keeps the write session from idling out while the sequencer has nothing to append, and
  // records the whole log as durable (see refresh_size). Throws FencedOut if the lease is gone.
  virtual void keep_lead() = 0;
  // Touches the write session while it holds the lease, so that the lease ends only when the
  // process stops or loses its connection, not when the sequencer's own thread is slow (a large
  // batch, a lock held by a reader). Call it several times per lease time from a thread other
  // than the sequencer's. Never waits behind a write in progress (the session is busy then)
  // and throws nothing: a session found lost ends the lease, which the sequencer's next call
  // reports as FencedOut.
  virtual void keep_alive() = 0;
  // The sequencer's append: Store::append, and in the same transaction the proof that this
  // session still holds the lease and that the log's size is the first statement's index
  // (else FencedOut, and nothing is written), the log's size before it as durable, the
  // answers to the queued statements decided (which leave the queue), and a notification to
  // the other nodes.
  virtual void append_decided(const std::vector<StoredStatement>& statements,
                              const std::vector<CurrentUpdate>& current,
                              const std::vector<TreeNode>& nodes,
                              const std::vector<QueueAnswer>& answers) = 0;

  // Hands statements to the sequencer, durably, in one transaction; their queue ids, in order.
  virtual std::vector<std::uint64_t> enqueue(const std::vector<QueuedStatement>& items) = 0;
  // The oldest queued statements, at most `limit`.
  virtual std::vector<QueuedStatement> queued(std::size_t limit) = 0;
  // The answers given so far to any of `ids`; each is removed as it is read.
  virtual std::vector<QueueAnswer> take_answers(const std::vector<std::uint64_t>& ids) = 0;

  // The log's durable size: the entries that the database's synchronous standby holds too,
  // as the sequencer last recorded it (an entry is visible in the primary a moment before the
  // standby confirms it; a follower that served it and then saw the primary fail would have
  // published what the promoted standby lacks). On a node that is not the sequencer, the
  // store's size() and reads follow it from then on. Throws StoreError.
  virtual std::uint64_t refresh_size() = 0;
  // Waits up to `timeout` for the other nodes' notifications; the events seen (Event bits), 0
  // if none came. A lost listening session is opened again and reported as every event,
  // since notifications may have been missed. Call from one thread only.
  virtual unsigned wait_events(std::chrono::milliseconds timeout) = 0;
};

}  // namespace rekap
