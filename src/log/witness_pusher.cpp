#include "log/witness_pusher.hpp"

#include <spdlog/spdlog.h>

#include <cctype>

#include "log/add_checkpoint.hpp"
#include "log/merkle.hpp"

namespace rekap::tlog {

namespace {

// Enough of a refusal's body to tell why, never a whole page.
std::string excerpt(std::string body) {
  while (!body.empty() && std::isspace(static_cast<unsigned char>(body.back()))) body.pop_back();
  return body.size() <= 200 ? body : body.substr(0, 200) + "…";
}

}  // namespace

WitnessPusher::WitnessPusher(LogService& log, Store& store, std::vector<WitnessEndpoint> witnesses,
                             std::function<bool()> signing, std::chrono::milliseconds interval)
    : log_(log), hashes_(store), signing_(std::move(signing)), interval_(interval) {
  for (auto& w : witnesses) peers_.push_back({std::move(w), 0, ""});
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
    std::string why;
    try {
      why = push(peer, note, *cp);
    } catch (const std::exception& e) {
      why = e.what();
    }
    // A witness that is down would otherwise fill the log every interval: a failure is logged
    // when its kind (what precedes the first colon, sizes aside) changes.
    const std::string kind = why.substr(0, why.find(':'));
    if (why.empty()) {
      if (!peer.failing.empty()) spdlog::info("witness {} cosigns again", peer.endpoint.url);
      ++cosigned;
    } else if (kind != peer.failing) {
      spdlog::warn("witness {}: {}", peer.endpoint.url, why);
    }
    peer.failing = kind;
  }
  return cosigned;
}

std::string WitnessPusher::push(Peer& peer, const std::string& note, const Checkpoint& cp) {
  // One retry: after a 409 the witness has said which size it holds.
  for (int attempt = 0; attempt < 2; ++attempt) {
    if (peer.old_size > cp.size) {
      return "it holds a larger tree than this log's: " + std::to_string(peer.old_size) +
             " entries, not " + std::to_string(cp.size) + " (a fork?)";
    }
    AddCheckpoint request{peer.old_size, consistency_proof(hashes_, peer.old_size, cp.size), note};
    WitnessReply reply = peer.endpoint.post(format_add_checkpoint(request));
    if (reply.status == 200) {
      if (log_.add_cosignatures(note, reply.body) == 0) {
        return "HTTP 200 without a valid cosignature: of the checkpoint of size " +
               std::to_string(cp.size);
      }
      peer.old_size = cp.size;
      return "";
    }
    auto held = reply.status == 409 && reply.content_type.starts_with(kTlogSizeType)
                    ? parse_tlog_size(reply.body)
                    : std::nullopt;
    if (!held || *held == peer.old_size) {
      return "HTTP " + std::to_string(reply.status) + ": it refused the checkpoint of size " +
             std::to_string(cp.size) + " from size " + std::to_string(peer.old_size) + ": " +
             excerpt(reply.body);
    }
    peer.old_size = *held;
  }
  return "it answered 409 twice";
}

}  // namespace rekap::tlog
