#include "log/witness_pusher.hpp"

#include <spdlog/spdlog.h>

#include "log/add_checkpoint.hpp"
#include "log/merkle.hpp"

namespace rekap::tlog {

namespace {

// Enough of a refusal's body to tell why, never a whole page.
std::string excerpt(const std::string& body) {
  return body.size() <= 200 ? body : body.substr(0, 200) + "…";
}

}  // namespace

WitnessPusher::WitnessPusher(LogService& log, Store& store, std::vector<WitnessEndpoint> witnesses,
                             std::function<bool()> signing, std::chrono::milliseconds interval)
    : log_(log), hashes_(store), signing_(std::move(signing)), interval_(interval) {
  for (auto& w : witnesses) peers_.push_back({std::move(w), 0});
}

WitnessPusher::~WitnessPusher() {
  stop();
}

void WitnessPusher::start() {
  if (peers_.empty()) return;
  worker_.start("rekap-witness", [this] { loop(); });
}

void WitnessPusher::stop() {
  worker_.stop();
}

void WitnessPusher::loop() {
  std::unique_lock lock(mutex_);
  while (!worker_.stopping()) {
    wake_.wait_for(lock, interval_, [this] { return worker_.stopping(); });
    if (worker_.stopping()) break;
    if (!signing_()) continue;
    lock.unlock();
    try {
      push_round();
    } catch (const std::exception& e) {
      spdlog::error("pushing the checkpoint to witnesses failed: {}", e.what());
    }
    lock.lock();
  }
}

std::size_t WitnessPusher::push_round() {
  std::string note = log_.latest_note();
  auto cp = note.empty() ? std::nullopt : parse_checkpoint_body(parse_note(note).text);
  if (!cp) return 0;
  std::size_t cosigned = 0;
  for (Peer& peer : peers_) {
    if (peer.old_size == cp->size) continue;
    try {
      if (push(peer, note, *cp)) ++cosigned;
    } catch (const std::exception& e) {
      spdlog::warn("witness {}: {}", peer.endpoint.url, e.what());
    }
  }
  return cosigned;
}

bool WitnessPusher::push(Peer& peer, const std::string& note, const Checkpoint& cp) {
  const std::string& url = peer.endpoint.url;
  // One retry: after a 409 the witness has said which size it holds.
  for (int attempt = 0; attempt < 2; ++attempt) {
    if (peer.old_size > cp.size) {
      spdlog::error("witness {} holds a tree of {} entries, more than this log's {}: a fork?", url,
                    peer.old_size, cp.size);
      return false;
    }
    AddCheckpoint request{peer.old_size, consistency_proof(hashes_, peer.old_size, cp.size), note};
    WitnessReply reply = peer.endpoint.post(format_add_checkpoint(request));
    if (reply.status == 200) {
      if (log_.add_cosignatures(note, reply.body) == 0) {
        spdlog::warn("witness {} answered 200 without a valid cosignature of size {}", url,
                     cp.size);
        return false;
      }
      peer.old_size = cp.size;
      return true;
    }
    auto held = reply.status == 409 && reply.content_type.starts_with(kTlogSizeType)
                    ? parse_tlog_size(reply.body)
                    : std::nullopt;
    if (!held || *held == peer.old_size) {
      spdlog::warn("witness {} refused the checkpoint of size {} from size {}: HTTP {} {}", url,
                   cp.size, peer.old_size, reply.status, excerpt(reply.body));
      return false;
    }
    peer.old_size = *held;
  }
  return false;
}

}  // namespace rekap::tlog
