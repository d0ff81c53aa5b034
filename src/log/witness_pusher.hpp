#pragma once
// The log's side of c2sp.org/tlog-witness: pushes each new checkpoint to the witnesses the log
// is configured with, with the size each last cosigned and the consistency proof from it, and
// hands their cosignatures to the log service. A witness that answers 409 says what size it
// holds; the push is made again from there. Only the node that signs (the sequencer) pushes.
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "log/log_service.hpp"
#include "log/note.hpp"
#include "store/store.hpp"
#include "util/worker.hpp"

namespace rekap::tlog {

// A witness's HTTP answer.
struct WitnessReply {
  int status = 0;
  std::string content_type;
  std::string body;
};

struct WitnessEndpoint {
  std::string url;  // the submission prefix, for messages
  Verifier key;     // type 0x04
  // POSTs an add-checkpoint body to <url>/add-checkpoint; throws std::runtime_error when the
  // witness cannot be reached.
  std::function<WitnessReply(const std::string& body)> post;
};

class WitnessPusher {
 public:
  WitnessPusher(LogService& log, Store& store, std::vector<WitnessEndpoint> witnesses,
                std::function<bool()> signing, std::chrono::milliseconds interval);
  ~WitnessPusher();

  void start();
  void stop();
  // Pushes the log's newest checkpoint to every witness that has not cosigned it; returns how
  // many witnesses cosigned it in this round.
  std::size_t push_round();

 private:
  struct Peer {
    WitnessEndpoint endpoint;
    std::uint64_t old_size = 0;  // what it last cosigned, as far as this node knows
    std::string failing;         // the kind of the last push's failure, logged once
  };
  // Empty when the witness cosigned the checkpoint, else why not.
  std::string push(Peer& peer, const std::string& note, const Checkpoint& cp);
  void loop();

  LogService& log_;
  StoreHashReader hashes_;
  std::vector<Peer> peers_;
  std::function<bool()> signing_;
  std::chrono::milliseconds interval_;
  std::mutex mutex_;
  std::condition_variable wake_;
  Worker worker_{mutex_, wake_};
};

}  // namespace rekap::tlog
